# libc/newlib.mk - builds newlib (libc.a, libm.a) from Debian's
# newlib-source for Persona's native programs, with the host gcc, and
# caches it in $(BUILD)/newlib.  Included by the top-level Makefile; also
# usable alone: make -f libc/newlib.mk BUILD=/tmp/b newlib
#
# newlib is configured for the bare x86_64-elf target (no sys/ directory, no
# crt0, no libgloss) without its own OS glue (--disable-newlib-supplied-
# syscalls): libc/sys/syscalls.c supplies write, read, sbrk and the rest
# over the native ABI.  Only newlib itself is built (all-target-newlib).
#
# Output:  $(NEWLIB_INC)            headers (newlib's; stddef.h, stdarg.h
#                                   and friends come from gcc's own include)
#          $(NEWLIB_LIBC) $(NEWLIB_LIBM)
#          $(NEWLIB_STAMP)          depend on this; it holds the configuration,
#                                   and newlib is rebuilt only when that changes

BUILD ?= build
JOBS ?= $(shell nproc)

NEWLIB_TARBALL := $(lastword $(sort $(wildcard /usr/src/newlib/newlib-*.tar.*)))
NEWLIB_DIR := $(BUILD)/newlib
NEWLIB_PREFIX := $(abspath $(NEWLIB_DIR))/install
NEWLIB_INC := $(NEWLIB_PREFIX)/include
NEWLIB_LIBC := $(NEWLIB_PREFIX)/lib/libc.a
NEWLIB_LIBM := $(NEWLIB_PREFIX)/lib/libm.a
NEWLIB_STAMP := $(NEWLIB_DIR)/.installed
NEWLIB_LOG := $(NEWLIB_DIR)/build.log

NEWLIB_CFLAGS := -O2 -g -fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer -mcmodel=small \
	-Wa,--noexecstack
NEWLIB_CONFIG := --target=x86_64-elf --disable-multilib --disable-nls \
	--disable-newlib-supplied-syscalls --disable-newlib-multithread \
	--enable-newlib-io-long-long --enable-newlib-io-c99-formats
# The *_FOR_TARGET tools: the host's.  READELF matters: without it
# configure looks for x86_64-elf-readelf, fails, and newlib loses
# __libc_init_array / __libc_fini_array.
NEWLIB_TOOLS := CC_FOR_TARGET=gcc AR_FOR_TARGET=ar AS_FOR_TARGET=as LD_FOR_TARGET=ld \
	NM_FOR_TARGET=nm RANLIB_FOR_TARGET=ranlib OBJDUMP_FOR_TARGET=objdump \
	OBJCOPY_FOR_TARGET=objcopy READELF_FOR_TARGET=readelf STRIP_FOR_TARGET=strip

# What the stamp records; a different one (new tarball, flags) rebuilds.
NEWLIB_ID := $(strip $(notdir $(NEWLIB_TARBALL)) $(NEWLIB_CONFIG) $(NEWLIB_CFLAGS))
ifneq ($(file <$(NEWLIB_STAMP)),$(NEWLIB_ID))
NEWLIB_FORCE := newlib-force
endif

.PHONY: newlib newlib-force newlib-clean
newlib: $(NEWLIB_STAMP)
newlib-clean:
	rm -rf $(NEWLIB_DIR)

$(NEWLIB_LIBC) $(NEWLIB_LIBM) $(NEWLIB_INC): $(NEWLIB_STAMP)

NEWLIB_FAIL = { echo "newlib: $(1) failed; first errors, then the end of $(NEWLIB_LOG):"; \
	grep -m8 -E "error:|Error [0-9]|^configure: error" $(NEWLIB_LOG); echo ...; tail -25 $(NEWLIB_LOG); exit 1; }

$(NEWLIB_STAMP): $(NEWLIB_FORCE)
	@test -n "$(NEWLIB_TARBALL)" || { echo "newlib: no /usr/src/newlib/newlib-*.tar.* (apt-get install newlib-source)"; exit 1; }
	@echo "newlib: building $(notdir $(NEWLIB_TARBALL)) once (about two minutes; log in $(NEWLIB_LOG))"
	@rm -rf $(NEWLIB_DIR) && mkdir -p $(NEWLIB_DIR)/src $(NEWLIB_DIR)/obj
	@tar -xf $(NEWLIB_TARBALL) -C $(NEWLIB_DIR)/src --strip-components=1
	@cd $(NEWLIB_DIR)/obj && ../src/configure --prefix=$(NEWLIB_PREFIX) $(NEWLIB_CONFIG) \
		$(NEWLIB_TOOLS) CFLAGS_FOR_TARGET="$(NEWLIB_CFLAGS)" >$(abspath $(NEWLIB_LOG)) 2>&1 \
		|| $(call NEWLIB_FAIL,configure)
	@$(MAKE) -C $(NEWLIB_DIR)/obj -j$(JOBS) all-target-newlib >>$(NEWLIB_LOG) 2>&1 \
		|| $(call NEWLIB_FAIL,build)
	@$(MAKE) -C $(NEWLIB_DIR)/obj install-target-newlib tooldir=$(NEWLIB_PREFIX) >>$(NEWLIB_LOG) 2>&1 \
		|| $(call NEWLIB_FAIL,install)
	@test -f $(NEWLIB_LIBC) && test -f $(NEWLIB_LIBM) && test -f $(NEWLIB_INC)/stdio.h \
		|| $(call NEWLIB_FAIL,install check: libc.a or libm.a or stdio.h missing)
	@echo '$(NEWLIB_ID)' >$@
	@echo "newlib: installed in $(NEWLIB_PREFIX)"
