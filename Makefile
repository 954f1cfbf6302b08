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
	-Wall -Wextra -Werror -Ikernel -I$(BUILD)/gen -MMD -MP
KLDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack -T boot/kernel.ld

KERNEL_C := $(wildcard kernel/*.c) tests/kernel/ktest.c
KERNEL_S := boot/boot.S $(wildcard kernel/*.S)
KERNEL_OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(KERNEL_C) $(KERNEL_S))
KERNEL_ELF := $(BUILD)/persona.elf
ISO := $(BUILD)/persona.iso

QEMU ?= qemu-system-x86_64
QEMU_BASE := -machine pc -m 256M -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04
QEMU_RUN_ACCEL ?= -accel kvm -accel tcg

.PHONY: all iso run test unit qemu-tests debug check deps clean
all: iso

deps:
	@scripts/install-deps.sh

$(BUILD)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

$(KERNEL_ELF): $(KERNEL_OBJS) boot/kernel.ld
	$(LD) $(KLDFLAGS) -o $@ $(KERNEL_OBJS)

$(ISO): $(KERNEL_ELF) boot/grub.cfg
	@rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	cp boot/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	cp $(KERNEL_ELF) $(BUILD)/iso/boot/persona.elf
	grub-mkrescue -o $@ $(BUILD)/iso 2>$(BUILD)/grub-mkrescue.log || { cat $(BUILD)/grub-mkrescue.log; exit 1; }

iso: $(ISO)

run: deps
	@$(MAKE) --no-print-directory iso
	$(QEMU) $(QEMU_BASE) $(QEMU_RUN_ACCEL) -cdrom $(ISO) -nographic

debug: deps
	@$(MAKE) --no-print-directory iso
	@echo "QEMU waits for gdb on :1234; gdb starts with scripts/gdbinit"
	$(QEMU) $(QEMU_BASE) -cdrom $(ISO) -display none -serial file:$(BUILD)/debug-serial.log -s -S & \
	gdb -q -x scripts/gdbinit $(KERNEL_ELF); kill %1 2>/dev/null || true

unit:
	@$(MAKE) --no-print-directory -C tests/unit BUILD=$(abspath $(BUILD))/unit

test: deps
	@$(MAKE) --no-print-directory iso
	@python3 tests/run-all.py --build $(BUILD) --jobs $(JOBS)

check:
	@scripts/check.sh

clean:
	rm -rf $(BUILD)

-include $(KERNEL_OBJS:.o=.d)
