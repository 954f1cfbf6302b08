/*
 * kernel/uapi/persona/elf.h - the parts of the ELF64 format that the
 * kernel (boot modules), libc (pico_load_elf) and the Linux personality
 * (execve) read, in one place.
 */
#ifndef PERSONA_UAPI_ELF_H
#define PERSONA_UAPI_ELF_H
#include <stdint.h>

#define ELF_ET_EXEC 2
#define ELF_ET_DYN 3
#define ELF_EM_X86_64 62
#define ELF_PT_LOAD 1
#define ELF_PT_INTERP 3
#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

struct elf_hdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

_Static_assert(sizeof(struct elf_hdr) == 64, "Elf64_Ehdr");
_Static_assert(sizeof(struct elf_phdr) == 56, "Elf64_Phdr");

#endif
