# Persona - top-level build.
#
#   make run     install what is missing, build, boot the ISO in QEMU
#   make test    install what is missing, build, run every test
#   make debug   boot with QEMU's gdb stub and attach gdb, with every program's symbols
#   make check   style and size budgets (kernel line count)
#   make iso     build build/persona.iso only
#   make lab LAB=NAME DEST=DIR   a student's tree for a lab (LAB=all: every lab)
#   make grade LAB=NAME          run a lab's tests, print its score out of 100
#
# Build output goes to $(BUILD); nothing else in the tree is written.

BUILD ?= build
# One spelling of every target, whether BUILD came relative or absolute:
# the tools call make with an absolute BUILD, and an object's header
# dependencies (its .d file) name it as the make that compiled it did.
override BUILD := $(abspath $(BUILD))
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
# The accelerator for every QEMU that make, scripts/ and tests/ start:
# TCG, which runs anywhere; `make run ACCEL=kvm` opts in to KVM.  Exported,
# so scripts/persona-run and tests/lib/persona_qemu.py read the same value.
ACCEL ?= tcg
export ACCEL

.PHONY: all iso run run-small test unit debian-root qemu-tests debug check deps clean abi-doc linux-doc bench bench-progs \
	lab grade
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
ULDFLAGS := -static -nostdlib -no-pie -Wl,--no-warn-rwx-segments -Wl,-z,noexecstack
LIBGCC := $(shell $(CC) -print-libgcc-file-name)
ABI_STUBS := $(BUILD)/gen/persona/syscalls.h
LIBPERSONA_OBJS := $(patsubst %,$(BUILD)/user/%.o,libc/start.c libc/ipc.S libc/pico.c libc/trace.c libc/sys/syscalls.c)
CRT0 := $(BUILD)/user/libc/crt0.S.o
USER_LIBS := $(BUILD)/user/libpersona.a $(NEWLIB_LIBM) $(NEWLIB_LIBC) $(LIBGCC)

$(ABI_STUBS): kernel/uapi/persona/syscalls.def scripts/gen-abi.py
	@mkdir -p $(dir $@)
	python3 scripts/gen-abi.py --stubs $@

# The kernel's typed handler prototypes and dispatch entries.
KERNEL_SYSCALLS := $(BUILD)/gen/persona/kernel_syscalls.h
$(KERNEL_SYSCALLS): kernel/uapi/persona/syscalls.def scripts/gen-abi.py
	@mkdir -p $(dir $@)
	python3 scripts/gen-abi.py --kernel $@

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

# Where each boot program is linked.  Every program has an address range of
# its own, so that gdb can hold all their symbols at once (make debug) and
# a breakpoint or a profile address names one program: a software
# breakpoint under QEMU matches the address in every address space.  Each
# range starts at its base and holds the program's text and data (its heap
# follows in its own address space, where nothing else is).  Linux
# programs sit at 0x400000 and PIEs at 0x555555554000, mmap works down from
# 0x7ffff7fff000; the root task (init) puts the startup stack under
# 0x7ffffff00000 and blobs at 0x100000000000, and finds the boot modules at
# 0x200000000000.  tool-link-addresses checks that no two overlap.
LINK_hello-prog := 0x08000000
LINK_init := 0x0c000000
LINK_console := 0x10000000
LINK_hello := 0x11000000
LINK_mini := 0x12000000
LINK_linux := 0x40000000
# tests/native programs, in name order: 16 MiB each from 0x20000000
LINK_TESTS := 0x20000000 0x21000000 0x22000000 0x23000000 0x24000000 0x25000000 0x26000000 0x27000000 \
	0x28000000 0x29000000 0x2a000000 0x2b000000 0x2c000000 0x2d000000 0x2e000000 0x2f000000

# A native program from one or more C files: $(call native_prog,NAME,SOURCES,ADDRESS).
# The empty file build/link/NAME.ADDRESS stands for its address: a test
# added to tests/native moves the later ones, which must be linked again.
define native_prog
$(BUILD)/boot/$(1).elf: $(CRT0) $(patsubst %,$(BUILD)/user/%.o,$(2)) $(USER_LIBS) Makefile $(BUILD)/link/$(subst /,-,$(1)).$(3)
	@mkdir -p $$(dir $$@)
	$(CC) $(ULDFLAGS) -Wl,-Ttext-segment=$(3) -o $$@ $(CRT0) $(patsubst %,$(BUILD)/user/%.o,$(2)) -Wl,--start-group $(USER_LIBS) -Wl,--end-group
$(BUILD)/link/$(subst /,-,$(1)).$(3):
	@mkdir -p $$(dir $$@)
	@rm -f $(BUILD)/link/$(subst /,-,$(1)).0x* && touch $$@
BOOT_FILES += $(BUILD)/boot/$(1).elf
endef

# A freestanding pico program (no libc): $(call pico_prog,NAME,SOURCES[,ADDRESS])
comma := ,
PCFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector -Wall -Wextra -Werror -MMD -MP
define pico_prog
$(BUILD)/boot/$(1).elf: $(2) Makefile
	@mkdir -p $$(dir $$@)
	$(CC) $(PCFLAGS) -Ilibc/include -static -nostdlib -no-pie -Wl,-z,noexecstack $(if $(3),-Wl$(comma)-Ttext-segment=$(3)) -o $$@ $(2)
BOOT_FILES += $(BUILD)/boot/$(1).elf
endef

$(eval $(call native_prog,init,personalities/native/init.c personalities/native/supervise.c,$(LINK_init)))
# The root task goes to the kernel as a flat image: the kernel parses no ELF.
$(BUILD)/boot/init.img: $(BUILD)/boot/init.elf scripts/root-image.py
	python3 scripts/root-image.py $< $@
BOOT_FILES += $(BUILD)/boot/init.img
$(eval $(call native_prog,console,personalities/native/console.c,$(LINK_console)))
$(eval $(call native_prog,hello,personalities/hello/hello.c,$(LINK_hello)))
$(eval $(call pico_prog,hello-prog,personalities/hello/prog/hello-prog.c,$(LINK_hello-prog)))
# The personality lab's server (docs/labs/personality.md).
$(eval $(call native_prog,mini,personalities/mini/mini.c,$(LINK_mini)))
# hello's programs that the Linux root file system carries in /opt/hello/bin
# (the Linux personality hands them to hello: docs/personality-protocol.md).
HELLO_BIN := greet upper fault
HELLO_BIN_FILES := $(patsubst %,$(BUILD)/hello-bin/%,$(HELLO_BIN))
$(BUILD)/hello-bin/%: personalities/hello/prog/%.c personalities/hello/prog/hello.h libc/include/persona/spawn.h Makefile
	@mkdir -p $(dir $@)
	$(CC) $(PCFLAGS) -MF $(BUILD)/hello-bin.$*.d -Ilibc/include -static -nostdlib -no-pie -Wl,-z,noexecstack -o $@ $<
# The Linux personality, its syscall table (names, each handler file's typed
# prototypes and entries, the dispatch table: all from syscalls.def), and
# its root file system.  The handlers must be where syscalls.def says
# (checked before linking).
LINUX_SRCS := $(wildcard personalities/linux/*.c)
LINUX_GEN := $(BUILD)/gen/linux_names.h $(BUILD)/gen/linux_table.h $(BUILD)/gen/linux_table32.h $(BUILD)/gen/linux_entries/.made
$(eval $(call native_prog,linux,$(LINUX_SRCS),$(LINK_linux)))
# Order only: an object depends on the generated headers it includes (its
# .d file), and the generator rewrites only those whose text changed, so
# a new call in syscalls.def recompiles its handler file, main.c and
# trace.c, not every file.
$(patsubst %,$(BUILD)/user/%.o,$(LINUX_SRCS)): | $(LINUX_GEN)
$(LINUX_GEN) &: scripts/gen-linux-table.py personalities/linux/syscalls.def personalities/linux/i386.def
	@mkdir -p $(dir $@)
	python3 scripts/gen-linux-table.py --header $(BUILD)/gen/linux_names.h \
		--entries $(BUILD)/gen/linux_entries --table $(BUILD)/gen/linux_table.h --table32 $(BUILD)/gen/linux_table32.h
	@touch $(LINUX_GEN)
$(BUILD)/gen/linux_handlers.checked: scripts/gen-linux-table.py personalities/linux/syscalls.def personalities/linux/i386.def $(LINUX_SRCS)
	@mkdir -p $(dir $@)
	python3 scripts/gen-linux-table.py --check personalities/linux
	@touch $@
$(BUILD)/boot/linux.elf: $(BUILD)/gen/linux_handlers.checked
# The vDSO (personalities/linux/vdso): a shared object of its own, without
# library or relocations, whose bytes the server holds (vdso_image.h).
VDSO_FLAGS := -std=gnu11 -O2 -fPIC -fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin -nostdlib \
	-shared -Wl,-T,personalities/linux/vdso/image.lds -Wl,--hash-style=both -Wl,-soname=linux-vdso.so.1 \
	-Wl,-z,max-page-size=4096 -Wl,--build-id=none -Wall -Wextra -Werror -Ikernel/uapi
$(BUILD)/gen/vdso.so: personalities/linux/vdso/image.c personalities/linux/vdso/image.lds personalities/linux/vdso.h \
		kernel/uapi/persona/abi.h
	@mkdir -p $(dir $@)
	$(CC) $(VDSO_FLAGS) -o $@ $<
$(BUILD)/gen/vdso_image.h: $(BUILD)/gen/vdso.so
	python3 -c 'import sys; b = open(sys.argv[1], "rb").read(); print("static const unsigned char vdso_image[] __attribute__((aligned(8))) = {" + ",".join(map(str, b)) + "};")' $< > $@
# The i386 programs' vDSO (vdso/image32.c): the same, built -m32.
$(BUILD)/gen/vdso32.so: personalities/linux/vdso/image32.c personalities/linux/vdso/image32.lds \
		personalities/linux/vdso.h kernel/uapi/persona/abi.h
	@mkdir -p $(dir $@)
	$(CC) -m32 $(subst image.lds,image32.lds,$(subst linux-vdso.so.1,linux-gate.so.1,$(VDSO_FLAGS))) -o $@ $<
$(BUILD)/gen/vdso32_image.h: $(BUILD)/gen/vdso32.so
	python3 -c 'import sys; b = open(sys.argv[1], "rb").read(); print("static const unsigned char vdso32_image[] __attribute__((aligned(8))) = {" + ",".join(map(str, b)) + "};")' $< > $@
$(BUILD)/user/personalities/linux/vdso.c.o: $(BUILD)/gen/vdso_image.h $(BUILD)/gen/vdso32_image.h
# The relay (personalities/linux/relay): a freestanding Linux program the
# server holds as bytes (relay_image.h) and runs for other personalities'
# programs (interop.c).
$(BUILD)/gen/relay.elf: personalities/linux/relay/relay.c personalities/linux/relay.h
	@mkdir -p $(dir $@)
	$(CC) $(PCFLAGS) -g0 -s -static -nostdlib -no-pie -Wl,-z,noexecstack -Wl,--build-id=none -o $@ $<
$(BUILD)/gen/relay_image.h: $(BUILD)/gen/relay.elf
	python3 -c 'import sys; b = open(sys.argv[1], "rb").read(); print("static const unsigned char relay_image[] __attribute__((aligned(8))) = {" + ",".join(map(str, b)) + "};")' $< > $@
$(BUILD)/user/personalities/linux/interop.c.o: $(BUILD)/gen/relay_image.h
# Debian's 32-bit busybox-static and bash-static, for both roots' /opt/i386
# (scripts/fetch-i386.sh; the packages are cached in build/i386/debs).
I386_OPT := $(BUILD)/i386/opt
$(BUILD)/i386/.made: scripts/fetch-i386.sh
	scripts/fetch-i386.sh $(BUILD)/i386
	@touch $@
$(BUILD)/boot/initramfs.cpio: scripts/mkrootfs.sh scripts/rootfs-etc.sh $(HELLO_BIN_FILES) $(BUILD)/i386/.made
	@mkdir -p $(dir $@)
	scripts/mkrootfs.sh $(BUILD)/rootfs $@ $(BUILD)/hello-bin $(I386_OPT)
BOOT_FILES += $(BUILD)/boot/initramfs.cpio

# Debian's own dynamically linked userland as a root file system tree
# (scripts/mkrootfs-debian.sh; the packages are cached in build/debian/debs).
DEBIAN_ROOT := $(BUILD)/debian/root
$(BUILD)/debian/.made: scripts/mkrootfs-debian.sh scripts/rootfs-etc.sh $(BUILD)/i386/.made
	scripts/mkrootfs-debian.sh $(BUILD)/debian/debs $(DEBIAN_ROOT) $(I386_OPT)
	@touch $@
debian-root: $(BUILD)/debian/.made

linux-doc:
	python3 scripts/gen-linux-table.py --doc docs/linux-syscalls.md

NATIVE_TESTS := $(sort $(basename $(notdir $(wildcard tests/native/*.c))))
SLOTS := 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
$(if $(word 17,$(NATIVE_TESTS)),$(error more tests/native programs than LINK_TESTS has addresses))
$(foreach i,$(wordlist 1,$(words $(NATIVE_TESTS)),$(SLOTS)),$(eval $(call native_prog,tests/$(word $(i),$(NATIVE_TESTS)),tests/native/$(word $(i),$(NATIVE_TESTS)).c,$(word $(i),$(LINK_TESTS)))))
$(foreach t,$(basename $(notdir $(wildcard tests/pico/prog/*.c))),$(eval $(call pico_prog,tests/$(t),tests/pico/prog/$(t).c)))
# Bad and odd boot modules for tests/qemu/init-modules.test: an ELF cut
# short in its first segment, and an empty file.
$(BUILD)/boot/tests/truncated.elf: $(BUILD)/boot/tests/t-boot.elf
	head -c 4096 $< > $@
$(BUILD)/boot/tests/empty:
	@mkdir -p $(dir $@)
	: > $@
BOOT_FILES += $(BUILD)/boot/tests/truncated.elf $(BUILD)/boot/tests/empty

deps:
	@scripts/install-deps.sh

$(BUILD)/obj/%.c.o: %.c $(KERNEL_SYSCALLS)
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
	rm $(BUILD)/iso/boot/init.elf # the kernel starts init.img; gdb has build/boot's
	grub-mkrescue -o $@ $(BUILD)/iso 2>$(BUILD)/grub-mkrescue.log || { cat $(BUILD)/grub-mkrescue.log; exit 1; }

iso: $(ISO)

# `make run` boots into Debian's own bash, with Debian's userland as the
# Linux personality's root (scripts/persona-shell); `make run-small` into
# the ISO's own initramfs (busybox and bash-static).  QEMU leaves through
# isa-debug-exit with (status << 1) | 1: a shell that exits 0 ends with 1,
# which is success here.  When stdin is a terminal, its size goes to
# Persona's as an SMBIOS OEM string, which boot/grub.cfg puts on the kernel
# command line (linux.rows= and linux.cols=).
run: deps
	@$(MAKE) --no-print-directory iso debian-root
	@BUILD=$(BUILD) scripts/persona-shell --root $(DEBIAN_ROOT)

run-small: deps
	@$(MAKE) --no-print-directory iso
	@set --; if [ -t 0 ] && size=$$(stty size 2>/dev/null) && [ -n "$$size" ]; then \
	    set -- -smbios "type=11,value=linux.rows=$${size% *} linux.cols=$${size#* }"; fi; \
	echo $(QEMU) $(QEMU_BASE) -accel $(ACCEL) -cdrom $(ISO) -nographic "$$@"; \
	$(QEMU) $(QEMU_BASE) -accel $(ACCEL) -cdrom $(ISO) -nographic "$$@"; s=$$?; [ $$s -le 1 ] || exit $$s

# gdb with every program's symbols on QEMU's stub; QEMU ends with gdb
# (scripts/persona-debug, which reads ACCEL and QEMU from the environment).
debug: deps
	@$(MAKE) --no-print-directory iso
	@BUILD=$(abspath $(BUILD)) QEMU=$(QEMU) scripts/persona-debug

# ---- benchmarks (tests/bench): the same static binary on Persona and Linux ----
BENCH_DIR := $(BUILD)/bench
BENCH_PROGS := $(BENCH_DIR)/root/bench/bench $(BENCH_DIR)/root/bench/tiny $(BENCH_DIR)/count.so \
	$(BENCH_DIR)/root/bench/bench32 $(BENCH_DIR)/root/bench/tiny32

$(BENCH_DIR)/root/bench/bench: tests/bench/bench.c
	@mkdir -p $(dir $@)
	musl-gcc -static -O2 -Wall -Wextra -o $@ $<

$(BENCH_DIR)/root/bench/tiny: tests/bench/tiny.c
	@mkdir -p $(dir $@)
	$(CC) -static -nostdlib -O2 -Wall -Wextra -o $@ $<

# and both built 32-bit (i386 glibc), run against Linux running the same binary
$(BENCH_DIR)/root/bench/bench32: tests/bench/bench.c
	@mkdir -p $(dir $@)
	$(CC) -m32 -static -O2 -Wall -Wextra -DTINY='"/bench/tiny32"' -o $@ $<

$(BENCH_DIR)/root/bench/tiny32: tests/bench/tiny.c
	@mkdir -p $(dir $@)
	$(CC) -m32 -static -nostdlib -O2 -Wall -Wextra -o $@ $<

$(BENCH_DIR)/count.so: tests/bench/plugin/count.c
	@mkdir -p $(dir $@)
	$(CC) -shared -fPIC -O2 -Wall -Wextra -Werror -fvisibility=hidden -o $@ $<

bench-progs: $(BENCH_PROGS)

bench: deps
	@$(MAKE) --no-print-directory iso bench-progs debian-root
	python3 tests/bench/run.py --build $(BUILD)  # ACCEL=kvm: real time under KVM, where it works

unit:
	@$(MAKE) --no-print-directory -C tests/unit BUILD=$(abspath $(BUILD))/unit

test: deps
	@$(MAKE) --no-print-directory iso bench-progs debian-root
	@python3 tests/run-all.py --build $(BUILD) --jobs $(JOBS)

check:
	@scripts/check.sh

# ---- graded labs (docs/labs/README.md, scripts/lab.py) ----
lab:
	@test -n "$(LAB)" -a -n "$(DEST)" || { echo "usage: make lab LAB=NAME|all DEST=DIR (labs: $$(python3 scripts/lab.py list | tr '\n' ' '))"; exit 2; }
	@python3 scripts/lab.py extract $(LAB) $(DEST)

grade: deps
	@test -n "$(LAB)" || { echo "usage: make grade LAB=NAME (labs: $$(python3 scripts/lab.py list | tr '\n' ' '))"; exit 2; }
	@$(MAKE) --no-print-directory iso bench-progs debian-root
	@python3 scripts/lab.py grade $(LAB) --build $(BUILD)

clean:
	rm -rf $(BUILD)

-include $(KERNEL_OBJS:.o=.d) $(shell find $(BUILD)/user -name '*.d' 2>/dev/null)
