# Persona - top-level build.
#
#   make run     install what is missing, build, boot the ISO in QEMU
#   make test    install what is missing, build, run every test
#   make debug   boot with QEMU's gdb stub and attach gdb
#   make check   style and size budgets (kernel line count)
#   make iso     build build/persona.iso only
#
# Build output goes to $(BUILD); nothing else in the tree is written.

BUILD ?= build
CC := gcc
LD := ld
JOBS ?= $(shell nproc)

KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -mcmodel=kernel -mno-red-zone \
	-mgeneral-regs-only -fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-Wall -Wextra -Werror -Ikernel -Ikernel/uapi -I$(BUILD)/gen -MMD -MP
KLDFLAGS := -nostdlib --no-warn-rwx-segments -z max-page-size=0x1000 -z noexecstack -T boot/kernel.ld

KERNEL_C := $(wildcard kernel/*.c) tests/kernel/ktest.c
KERNEL_S := boot/boot.S $(wildcard kernel/*.S)
KERNEL_OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(KERNEL_C) $(KERNEL_S))
KERNEL_ELF := $(BUILD)/persona.elf
ISO := $(BUILD)/persona.iso

QEMU ?= qemu-system-x86_64
QEMU_BASE := -machine pc -m 256M -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04
QEMU_RUN_ACCEL ?= -accel kvm -accel tcg

.PHONY: all iso run test unit qemu-tests debug check deps clean abi-doc linux-doc bench bench-progs
all: iso

include libc/newlib.mk

# ---- user space: native programs on newlib, pico programs freestanding ----
GCC_INC := $(shell $(CC) -print-file-name=include)
# -fno-tree-vectorize: GCC 12's -O2 vectorizer turns a server's stores of
# the message registers it received into SSE shuffles, more instructions
# on its hottest path for nothing.
UCFLAGS := -std=gnu11 -O2 -fno-tree-vectorize -g -fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	-Wall -Wextra -Werror -nostdinc -isystem $(NEWLIB_INC) -isystem $(GCC_INC) \
	-Ilibc/include -Ikernel/uapi -I$(BUILD)/gen -MMD -MP
ULDFLAGS := -static -nostdlib -no-pie -Wl,-Ttext-segment=0x10000000 -Wl,--no-warn-rwx-segments -Wl,-z,noexecstack
LIBGCC := $(shell $(CC) -print-libgcc-file-name)
ABI_STUBS := $(BUILD)/gen/persona/syscalls.h
LIBPERSONA_OBJS := $(patsubst %,$(BUILD)/user/%.o,libc/start.c libc/ipc.S libc/pico.c libc/sys/syscalls.c)
CRT0 := $(BUILD)/user/libc/crt0.S.o
USER_LIBS := $(BUILD)/user/libpersona.a $(NEWLIB_LIBM) $(NEWLIB_LIBC) $(LIBGCC)

$(ABI_STUBS): kernel/uapi/persona/syscalls.def scripts/gen-abi.py
	@mkdir -p $(dir $@)
	python3 scripts/gen-abi.py --stubs $@

abi-doc:
	python3 scripts/gen-abi.py --doc docs/abi.md

$(BUILD)/user/%.c.o: %.c $(ABI_STUBS) $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"; $(CC) $(UCFLAGS) -c $< -o $@

$(BUILD)/user/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  CC      $<"; $(CC) $(UCFLAGS) -c $< -o $@

$(BUILD)/user/libc/sys/syscalls.c.o: UCFLAGS += -Wno-unused-parameter

$(BUILD)/user/libpersona.a: $(LIBPERSONA_OBJS)
	@rm -f $@
	ar rcs $@ $^

# A native program from one or more C files: $(call native_prog,NAME,SOURCES)
define native_prog
$(BUILD)/boot/$(1).elf: $(CRT0) $(patsubst %,$(BUILD)/user/%.o,$(2)) $(USER_LIBS)
	@mkdir -p $$(dir $$@)
	$(CC) $(ULDFLAGS) -o $$@ $(CRT0) $(patsubst %,$(BUILD)/user/%.o,$(2)) -Wl,--start-group $(USER_LIBS) -Wl,--end-group
BOOT_FILES += $(BUILD)/boot/$(1).elf
endef

# A freestanding pico program (no libc): $(call pico_prog,NAME,SOURCES)
PCFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector -Wall -Wextra -Werror -MMD -MP
define pico_prog
$(BUILD)/boot/$(1).elf: $(2)
	@mkdir -p $$(dir $$@)
	$(CC) $(PCFLAGS) -static -nostdlib -no-pie -Wl,-z,noexecstack -o $$@ $(2)
BOOT_FILES += $(BUILD)/boot/$(1).elf
endef

$(eval $(call native_prog,console,personalities/native/console.c))
$(eval $(call native_prog,hello,personalities/hello/hello.c))
$(eval $(call pico_prog,hello-prog,personalities/hello/prog/hello-prog.c))
# The Linux personality, its syscall table (names, each handler file's typed
# prototypes and entries, the dispatch table: all from syscalls.def), and
# its root file system.  The handlers must be where syscalls.def says
# (checked before linking).
LINUX_SRCS := $(wildcard personalities/linux/*.c)
LINUX_GEN := $(BUILD)/gen/linux_names.h $(BUILD)/gen/linux_table.h $(BUILD)/gen/linux_entries/.made
$(eval $(call native_prog,linux,$(LINUX_SRCS)))
$(patsubst %,$(BUILD)/user/%.o,$(LINUX_SRCS)): $(LINUX_GEN)
$(LINUX_GEN) &: scripts/gen-linux-table.py personalities/linux/syscalls.def
	@mkdir -p $(dir $@)
	python3 scripts/gen-linux-table.py --header $(BUILD)/gen/linux_names.h \
		--entries $(BUILD)/gen/linux_entries --table $(BUILD)/gen/linux_table.h
	@touch $(LINUX_GEN)
$(BUILD)/gen/linux_handlers.checked: scripts/gen-linux-table.py personalities/linux/syscalls.def $(LINUX_SRCS)
	@mkdir -p $(dir $@)
	python3 scripts/gen-linux-table.py --check personalities/linux
	@touch $@
$(BUILD)/boot/linux.elf: $(BUILD)/gen/linux_handlers.checked
$(BUILD)/boot/initramfs.cpio: scripts/mkrootfs.sh
	@mkdir -p $(dir $@)
	scripts/mkrootfs.sh $(BUILD)/rootfs $@
BOOT_FILES += $(BUILD)/boot/initramfs.cpio

linux-doc:
	python3 scripts/gen-linux-table.py --doc docs/linux-syscalls.md

$(foreach t,$(basename $(notdir $(wildcard tests/native/*.c))),$(eval $(call native_prog,tests/$(t),tests/native/$(t).c)))
$(foreach t,$(basename $(notdir $(wildcard tests/pico/prog/*.c))),$(eval $(call pico_prog,tests/$(t),tests/pico/prog/$(t).c)))

deps:
	@scripts/install-deps.sh

$(BUILD)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"; $(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  CC      $<"; $(CC) $(KCFLAGS) -c $< -o $@

$(KERNEL_ELF): $(KERNEL_OBJS) boot/kernel.ld
	$(LD) $(KLDFLAGS) -o $@ $(KERNEL_OBJS)

$(ISO): $(KERNEL_ELF) boot/grub.cfg $(BOOT_FILES)
	@rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	cp boot/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	cp $(KERNEL_ELF) $(BUILD)/iso/boot/persona.elf
	cp -r $(BUILD)/boot/. $(BUILD)/iso/boot/
	grub-mkrescue -o $@ $(BUILD)/iso 2>$(BUILD)/grub-mkrescue.log || { cat $(BUILD)/grub-mkrescue.log; exit 1; }

iso: $(ISO)

# QEMU leaves through isa-debug-exit with (status << 1) | 1: a shell that
# exits 0 ends with 1, which is success here.
run: deps
	@$(MAKE) --no-print-directory iso
	$(QEMU) $(QEMU_BASE) $(QEMU_RUN_ACCEL) -cdrom $(ISO) -nographic; s=$$?; [ $$s -le 1 ] || exit $$s

debug: deps
	@$(MAKE) --no-print-directory iso
	@echo "QEMU waits for gdb on :1234; gdb starts with scripts/gdbinit"
	$(QEMU) $(QEMU_BASE) -cdrom $(ISO) -display none -serial file:$(BUILD)/debug-serial.log -s -S & \
	gdb -q -x scripts/gdbinit $(KERNEL_ELF); kill %1 2>/dev/null || true

# ---- benchmarks (tests/bench): the same static binary on Persona and Linux ----
BENCH_DIR := $(BUILD)/bench
BENCH_PROGS := $(BENCH_DIR)/root/bench/bench $(BENCH_DIR)/root/bench/tiny $(BENCH_DIR)/count.so

$(BENCH_DIR)/root/bench/bench: tests/bench/bench.c
	@mkdir -p $(dir $@)
	musl-gcc -static -O2 -Wall -Wextra -o $@ $<

$(BENCH_DIR)/root/bench/tiny: tests/bench/tiny.c
	@mkdir -p $(dir $@)
	$(CC) -static -nostdlib -O2 -Wall -Wextra -o $@ $<

$(BENCH_DIR)/count.so: tests/bench/plugin/count.c
	@mkdir -p $(dir $@)
	$(CC) -shared -fPIC -O2 -Wall -Wextra -Werror -fvisibility=hidden -o $@ $<

bench-progs: $(BENCH_PROGS)

bench: deps
	@$(MAKE) --no-print-directory iso bench-progs
	python3 tests/bench/run.py --build $(BUILD)

unit:
	@$(MAKE) --no-print-directory -C tests/unit BUILD=$(abspath $(BUILD))/unit

test: deps
	@$(MAKE) --no-print-directory iso bench-progs
	@python3 tests/run-all.py --build $(BUILD) --jobs $(JOBS)

check:
	@scripts/check.sh

clean:
	rm -rf $(BUILD)

-include $(KERNEL_OBJS:.o=.d) $(shell find $(BUILD)/user -name '*.d' 2>/dev/null)
