# libc/newlib.mk - builds newlib (libc.a, libm.a) from Debian's
# newlib-source for Persona's native programs, with the host gcc, and
# caches it in $(BUILD)/newlib.  Included by the top-level Makefile.
#
# newlib is configured for the bare x86_64-elf target without its own OS
# glue (--disable-newlib-supplied-syscalls): libc/sys/syscalls.c supplies
# _write, _read, _sbrk and the rest over the native ABI.

BUILD ?= build
NEWLIB_TARBALL := $(lastword $(sort $(wildcard /usr/src/newlib/newlib-*.tar.*)))
NEWLIB_DIR := $(BUILD)/newlib
NEWLIB_PREFIX := $(abspath $(NEWLIB_DIR))/install
NEWLIB_INC := $(NEWLIB_PREFIX)/x86_64-elf/include
NEWLIB_LIBC := $(NEWLIB_PREFIX)/x86_64-elf/lib/libc.a
NEWLIB_LIBM := $(NEWLIB_PREFIX)/x86_64-elf/lib/libm.a
NEWLIB_STAMP := $(NEWLIB_DIR)/.installed
NEWLIB_CFLAGS := -O2 -g -fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer -mcmodel=small

$(NEWLIB_LIBC) $(NEWLIB_LIBM): $(NEWLIB_STAMP)

$(NEWLIB_STAMP): libc/newlib.mk
	@test -n "$(NEWLIB_TARBALL)" || { echo "newlib: no /usr/src/newlib/newlib-*.tar.* (package newlib-source)"; exit 1; }
	@echo "newlib: building $(notdir $(NEWLIB_TARBALL)) (a few minutes, once; log in $(NEWLIB_DIR)/build.log)"
	@rm -rf $(NEWLIB_DIR) && mkdir -p $(NEWLIB_DIR)/obj
	@tar -xf $(NEWLIB_TARBALL) -C $(NEWLIB_DIR)
	@cd $(NEWLIB_DIR)/obj && ../newlib-*/configure --target=x86_64-elf --prefix=$(NEWLIB_PREFIX) \
		--disable-multilib --disable-newlib-supplied-syscalls --enable-newlib-io-long-long \
		--enable-newlib-io-c99-formats --disable-newlib-multithread --disable-nls \
		CC_FOR_TARGET=gcc AR_FOR_TARGET=ar AS_FOR_TARGET=as LD_FOR_TARGET=ld NM_FOR_TARGET=nm \
		RANLIB_FOR_TARGET=ranlib OBJDUMP_FOR_TARGET=objdump STRIP_FOR_TARGET=strip \
		CFLAGS_FOR_TARGET="$(NEWLIB_CFLAGS)" >$(abspath $(NEWLIB_DIR))/build.log 2>&1 \
		|| { tail -30 $(NEWLIB_DIR)/build.log; exit 1; }
	@$(MAKE) -C $(NEWLIB_DIR)/obj -j$(JOBS) all-target-newlib >>$(NEWLIB_DIR)/build.log 2>&1 \
		|| { tail -30 $(NEWLIB_DIR)/build.log; exit 1; }
	@$(MAKE) -C $(NEWLIB_DIR)/obj install-target-newlib >>$(NEWLIB_DIR)/build.log 2>&1 \
		|| { tail -30 $(NEWLIB_DIR)/build.log; exit 1; }
	@touch $@
