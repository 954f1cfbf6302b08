/*
 * personalities/linux/elf.c - loading an ELF64 program into a fresh pico
 * task, as Linux's binfmt_elf does: a fixed-address executable (ET_EXEC)
 * where it says, a position-independent one (ET_DYN: PIE, static-PIE, or
 * ld.so run by hand) at Linux's base, and for a dynamic program (one with
 * PT_INTERP) its interpreter too, read from the file system and placed
 * where mmap would put it; then the initial stack Linux programs expect:
 * argc, argv, envp and the auxiliary vector.  The interpreter starts
 * first, and finds the program through AT_PHDR, AT_ENTRY and AT_BASE.
 *
 * A 32-bit program (ELF32, i386) loads the same way, its headers widened
 * as it is read, below 4 GiB (docs/i386.md): its stack under I386_TOP,
 * its words four bytes, the interpreter ELF32 too.
 *
 * Every field of both files is checked: a bad, truncated or foreign
 * program is ENOEXEC; an interpreter that is missing is ENOENT, one too
 * short for an ELF header EIO (both as Linux), and one that is no ELF
 * file, is foreign, or is itself dynamic is ELIBBAD.  (Linux would load a
 * dynamic interpreter and let it crash, unrelocated.)
 * Nothing in either file can crash this server.
 *
 * Entry point: elf_exec (exec.c).  Layer: proc, over fs and mm.  Book:
 * docs/linux.md, "Programs and processes".
 */
#include "exec.h"
#include "proc.h"
#include "vdso.h"
#include <persona/pico.h>
#include <stdlib.h>
#include <string.h>
#include <persona/elf.h>

#define PIE_BASE 0x555555554000ull /* Linux's ELF_ET_DYN_BASE, unrandomized */
#define STACK_TOP TASK_SIZE
#define STACK_MAX (8ull << 20)
#define IMAGE_MAX (STACK_MAX / 2) /* the initial stack image: execve keeps argv and envp to 6 MiB (exec.c) */
#define MAX_PHDRS 64
#define PIE_BASE32 0x56555000u   /* where Linux puts an i386 PIE, unrandomized */
#define ELF_EM_386 3

/* ELF32's header and program header (the fields in their order). */
struct elf32_hdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf32_phdr {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};
_Static_assert(sizeof(struct elf32_hdr) == 52 && sizeof(struct elf32_phdr) == 32, "ELF32 headers");

/* One ELF file as it is loaded. */
struct image {
    struct inode *file;
    struct elf_hdr h;
    struct elf_phdr ph[MAX_PHDRS];
    uint64_t base;  /* added to every address in the file */
    uint64_t phdr;  /* where its program headers are in memory, or 0 */
    bool is32;      /* ELF32 (i386): h and ph are widened from the file's */
};

/* An i386 program's headers, read as ELF64's: 0, or -ENOEXEC. */
static int read_image32(struct inode *f, struct image *im)
{
    struct elf32_hdr h;
    static struct elf32_phdr ph[MAX_PHDRS];
    if (fs_read(f, 0, &h, sizeof h) < sizeof h || h.machine != ELF_EM_386 || h.phentsize != sizeof *ph ||
        h.phnum == 0 || h.phnum > MAX_PHDRS || h.phoff > f->size || h.phnum * sizeof *ph > f->size - h.phoff)
        return -LINUX_ENOEXEC;
    im->h = (struct elf_hdr){.type = h.type, .machine = h.machine, .entry = h.entry, .phoff = h.phoff,
                             .phentsize = sizeof(struct elf_phdr), .phnum = h.phnum};
    memcpy(im->h.ident, h.ident, 16);
    fs_read(f, h.phoff, ph, h.phnum * sizeof *ph);
    for (int i = 0; i < h.phnum; i++)
        im->ph[i] = (struct elf_phdr){ph[i].type, ph[i].flags, ph[i].offset, ph[i].vaddr, ph[i].paddr,
                                      ph[i].filesz, ph[i].memsz, ph[i].align};
    im->is32 = true;
    return 0;
}

/* The file at path, if it may be run: a regular file the caller may
 * execute (EACCES, even for root if no one may), which nobody has open for
 * writing (ETXTBSY). */
static int open_exec(struct proc *p, const char *path, struct inode *given, struct inode **f)
{
    struct inode *dir = NULL; /* the directory it is found in, for Landlock's walk */
    int r = given ? (*f = given, 0) : fs_lookup_in(p->cwd, path, f, &dir);
    if (r < 0)
        return r;
    if (((*f)->mode & S_IFMT) != S_IFREG || fs_permission(*f, MAY_EXEC) < 0)
        return -LINUX_EACCES;
    if (landlock_check_in(p, *f, dir, LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE) < 0)
        return -LINUX_EACCES; /* opened to be run, and read, as Linux's open_exec */
    return (*f)->writers ? -LINUX_ETXTBSY : 0;
}

/* Reads and checks the header and the program headers into im; 0 or
 * -ENOEXEC. */
static int read_image(struct inode *f, struct image *im)
{
    struct elf_hdr *h = &im->h;
    im->file = f;
    im->is32 = false;
    if (fs_read(f, 0, h, 16) == 16 && memcmp(h->ident, "\177ELF\1\1\1", 7) == 0 && read_image32(f, im) < 0)
        return -LINUX_ENOEXEC;
    if (!im->is32 && (fs_read(f, 0, h, sizeof *h) < sizeof *h || memcmp(h->ident, "\177ELF\2\1\1", 7) != 0 ||
                      h->machine != ELF_EM_X86_64 || h->phentsize != sizeof(struct elf_phdr) || h->phnum == 0 ||
                      h->phnum > MAX_PHDRS || h->phoff > f->size ||
                      h->phnum * sizeof(struct elf_phdr) > f->size - h->phoff))
        return -LINUX_ENOEXEC;
    if (h->type != ELF_ET_EXEC && h->type != ELF_ET_DYN)
        return -LINUX_ENOEXEC;
    if (!im->is32)
        fs_read(f, h->phoff, im->ph, h->phnum * sizeof *im->ph);
    uint64_t top = im->is32 ? I386_TOP : 1ull << 46;
    for (int i = 0; i < h->phnum; i++) {
        const struct elf_phdr *ph = &im->ph[i];
        if (ph->type == ELF_PT_LOAD && (ph->offset > f->size || ph->filesz > f->size - ph->offset ||
                                        ph->filesz > ph->memsz || ph->memsz > (1ull << 40) ||
                                        ph->vaddr > top || ph->memsz > top - ph->vaddr || (ph->vaddr - ph->offset) % 4096))
            return -LINUX_ENOEXEC;
    }
    return 0;
}

/* The interpreter a dynamic program names (PT_INTERP) into path: 1, or 0
 * for a static program, or -ENOEXEC for a malformed name (as Linux: empty,
 * longer than a path, or not NUL-terminated). */
static int interp_name(const struct image *im, char *path, size_t size)
{
    for (int i = 0; i < im->h.phnum; i++) {
        const struct elf_phdr *ph = &im->ph[i];
        if (ph->type != ELF_PT_INTERP)
            continue;
        if (ph->filesz < 2 || ph->filesz > size || ph->offset > im->file->size ||
            ph->filesz > im->file->size - ph->offset || fs_read(im->file, ph->offset, path, ph->filesz) < ph->filesz ||
            path[ph->filesz - 1] != '\0')
            return -LINUX_ENOEXEC;
        return 1;
    }
    return 0;
}

/* The page-aligned extent of im's loadable segments, at base 0. */
static void extent(const struct image *im, uint64_t *lo, uint64_t *hi)
{
    *lo = UINT64_MAX, *hi = 0;
    for (int i = 0; i < im->h.phnum; i++) {
        const struct elf_phdr *ph = &im->ph[i];
        if (ph->type != ELF_PT_LOAD)
            continue;
        uint64_t start = ph->vaddr & ~4095ull, stop = (ph->vaddr + ph->memsz + 4095) & ~4095ull;
        *lo = start < *lo ? start : *lo;
        *hi = stop > *hi ? stop : *hi;
    }
}

/* Adds im's segments to p's memory map at im->base, each page loaded from
 * the file as the program first touches it (mm.c), as Linux pages a
 * program in: the file's bytes from the start of the page to the end of
 * the segment's file part, zeros after.  Sets im->phdr. */
static int load_segments(struct proc *p, struct image *im)
{
    im->phdr = 0;
    for (int i = 0; i < im->h.phnum; i++) {
        const struct elf_phdr *ph = &im->ph[i];
        if (ph->type != ELF_PT_LOAD)
            continue;
        uint64_t va = im->base + ph->vaddr, start = va & ~4095ull, stop = (va + ph->memsz + 4095) & ~4095ull;
        int prot = (ph->flags & ELF_PF_R ? PROT_READ : 0) | (ph->flags & ELF_PF_W ? PROT_WRITE : 0) |
                   (ph->flags & ELF_PF_X ? PROT_EXEC : 0);
        struct vma *v = calloc(1, sizeof *v);
        if (!v)
            return -LINUX_ENOMEM;
        *v = (struct vma){.start = start, .end = stop, .prot = prot, .lazy = true, .file = im->file,
                          .account = (prot & PROT_WRITE) != 0, /* private and writable: committed */
                          .file_off = ph->offset - (va - start), .file_end = va + ph->filesz};
        im->file->lazily_mapped = true;
        mm_insert(p->mm, v);
        if (im->h.phoff >= ph->offset && im->h.phoff < ph->offset + ph->filesz)
            im->phdr = va + im->h.phoff - ph->offset;
    }
    return 0;
}

/* Loads the interpreter named path for p: where mmap would put a mapping
 * its size.  0, -ENOENT (or another lookup error) when it is not there,
 * -ELIBBAD when it is no loadable ELF interpreter. */
static int load_interp(struct proc *p, const char *path, struct image *im)
{
    struct inode *f;
    int r = open_exec(p, path, NULL, &f);
    if (r < 0)
        return r;
    char inner[2];
    if (f->size < sizeof im->h)
        return -LINUX_EIO; /* Linux's short read of its header */
    /* An interpreter needs no interpreter; a fixed-address one would land
     * on the program. */
    if (read_image(f, im) < 0 || im->h.type != ELF_ET_DYN || interp_name(im, inner, sizeof inner) != 0 ||
        im->is32 != p->mm->compat)
        return -LINUX_ELIBBAD;
    uint64_t lo, hi;
    extent(im, &lo, &hi);
    uint64_t at = hi > lo ? mm_gap(p->mm, hi - lo) : 0;
    if (!at)
        return -LINUX_ENOMEM;
    im->base = at - lo;
    return load_segments(p, im);
}

/* Builds the initial stack image below the stack's top and writes it:
 * its words 8 bytes, or 4 for an i386 program. */
static int push_stack(struct proc *p, const char *path, char *const argv[], int argc, char *const envp[], int envc,
                      const uint64_t *aux, int naux, uint64_t *sp_out)
{
    size_t strings = strlen(path) + 1 + 16 + 7;
    for (int i = 0; i < argc; i++)
        strings += strlen(argv[i]) + 1;
    for (int i = 0; i < envc; i++)
        strings += strlen(envp[i]) + 1;
    size_t words = 1 + (size_t)argc + 1 + (size_t)envc + 1 + (size_t)naux * 2;
    size_t ws = p->mm->compat ? 4 : 8;
    size_t total = ((strings + 15) & ~15ull) + words * ws + 16;
    if (total > IMAGE_MAX)
        return -LINUX_E2BIG;
    uint8_t *img = calloc(1, total);
    uint64_t *w = calloc(words, 8);
    if (!img || !w) {
        free(img), free(w);
        return -LINUX_ENOMEM;
    }
    uint64_t top = p->mm->compat ? I386_TOP : STACK_TOP;
    uint64_t base = (top - total) & ~15ull, str = base + words * ws + 16, pos = str;
    size_t k = 0;
    w[k++] = (uint64_t)argc;
#define PUT_STR(s)                                                                                       \
    ({                                                                                                   \
        size_t n_ = strlen(s) + 1;                                                                       \
        memcpy(img + (pos - base), s, n_);                                                               \
        pos += n_;                                                                                       \
        pos - n_;                                                                                        \
    })
    p->mm->arg_start = pos;
    for (int i = 0; i < argc; i++)
        w[k++] = PUT_STR(argv[i]);
    w[k++] = 0;
    p->mm->arg_end = p->mm->env_start = pos;
    for (int i = 0; i < envc; i++)
        w[k++] = PUT_STR(envp[i]);
    w[k++] = 0;
    p->mm->env_end = pos, p->mm->start_stack = base;
    uint64_t execfn = PUT_STR(path), platform = PUT_STR(p->mm->compat ? "i686" : "x86_64");
    uint64_t random = pos;
    for (int i = 0; i < 16; i++)
        img[pos - base + (size_t)i] = (uint8_t)rand();
    pos += 16;
    uint32_t *saved32 = (uint32_t *)p->mm->auxv; /* an i386 program's: its 32-bit words, as Linux keeps them */
    size_t room = sizeof p->mm->auxv / (p->mm->compat ? sizeof *saved32 : sizeof *p->mm->auxv);
    memset(p->mm->auxv, 0, sizeof p->mm->auxv);
    for (int i = 0; i < naux; i++) {
        uint64_t type = aux[2 * i], val = aux[2 * i + 1];
        val = type == AT_RANDOM ? random : type == AT_EXECFN ? execfn : type == AT_PLATFORM ? platform : val;
        w[k++] = type;
        w[k++] = val;
        if (2 * (size_t)i + 1 < room && p->mm->compat)
            saved32[2 * i] = (uint32_t)type, saved32[2 * i + 1] = (uint32_t)val;
        else if (2 * (size_t)i + 1 < room)
            p->mm->auxv[2 * i] = type, p->mm->auxv[2 * i + 1] = val;
    }
    p->mm->auxv_len = mm_auxv_words(p->mm);
    for (size_t i = 0; i < k; i++)
        memcpy(img + i * ws, &w[i], ws); /* little-endian: an i386 word is the low half */
    int r = mem_out_force(p, base, img, (size_t)(pos - base)) < 0 ? -LINUX_ENOMEM : 0; /* maps the pages it needs */
    free(img), free(w);
    *sp_out = base;
    return r;
}

int elf_exec(struct proc *p, const char *path, char *const argv[], int argc, char *const envp[], int envc,
             uint64_t *entry, uint64_t *sp)
{
    struct inode *f;
    static struct image prog, interp; /* big; this server runs one call at a time */
    static char interp_path[PATH_MAX_LEN];
    int r = open_exec(p, path, exec_at, &f); /* execveat's file, or the path's */
    if (r < 0)
        return r;
    if ((r = read_image(f, &prog)) < 0)
        return r;
    int dynamic = interp_name(&prog, interp_path, sizeof interp_path);
    if (dynamic < 0)
        return dynamic;
    p->mm->compat = prog.is32;
    uint64_t top = prog.is32 ? I386_TOP : STACK_TOP;
    p->mm->mmap_top = mm_mmap_base(top, proc_group(p)->rlim[RLIMIT_STACK][0]); /* below the stack's room */
    prog.base = prog.h.type == ELF_ET_DYN ? (prog.is32 ? PIE_BASE32 : PIE_BASE) : 0;
    if ((r = load_segments(p, &prog)) < 0)
        return r;
    uint64_t lo, hi;
    extent(&prog, &lo, &hi);
    p->mm->brk_start = p->mm->brk = prog.base + hi;
    /* Linux's start_data and end_data: the last segment's start, the end
     * of the last file part; start_code and end_code the executable ones' */
    p->mm->start_code = ~0ull, p->mm->end_code = 0;
    for (int i = 0; i < prog.h.phnum; i++) {
        const struct elf_phdr *ph = &prog.ph[i];
        uint64_t at = prog.base + ph->vaddr, file_end = at + ph->filesz;
        if (ph->type == ELF_PT_LOAD && (ph->flags & 1)) { /* PF_X */
            p->mm->start_code = at < p->mm->start_code ? at : p->mm->start_code;
            p->mm->end_code = file_end > p->mm->end_code ? file_end : p->mm->end_code;
        }
        if (ph->type == ELF_PT_LOAD) {
            p->mm->start_data = at > p->mm->start_data ? at : p->mm->start_data;
            p->mm->end_data = file_end > p->mm->end_data ? file_end : p->mm->end_data;
        }
    }
    p->mm->exe = f;
    interp.base = 0;
    if (dynamic && (r = load_interp(p, interp_path, &interp)) < 0)
        return r;
    /* The stack is mapped as Linux maps it, on demand: the pages its first
     * image is written to now, the rest when they are touched (mm_fault). */
    struct vma *stack = calloc(1, sizeof *stack);
    if (!stack)
        return -LINUX_ENOMEM;
    *stack = (struct vma){.start = top - STACK_MAX, .end = top, .prot = PROT_READ | PROT_WRITE, .grows_down = true,
                          .account = true};
    mm_insert(p->mm, stack);
    uint32_t cpu[4];
    __asm__ volatile("cpuid" : "=a"(cpu[0]), "=b"(cpu[1]), "=c"(cpu[2]), "=d"(cpu[3]) : "a"(1), "c"(0));
    /* Linux's order; AT_HWCAP2 has no bit this machine sets (FSGSBASE
     * is not enabled for user mode); AT_SYSINFO_EHDR 0 (no vDSO: no memory
     * left for it) tells the C library to make system calls instead.  An
     * i386 program's starts with AT_SYSINFO, its vDSO's __kernel_vsyscall
     * (or, with none, no entry). */
    uint64_t vdso = vdso_map(p, prog.is32);
    uint64_t aux[] = {AT_SYSINFO, vdso + VDSO32_VSYSCALL_OFFSET, AT_SYSINFO_EHDR, vdso, AT_MINSIGSTKSZ, SIGFRAME_SIZE, AT_HWCAP, cpu[3],
                      AT_PAGESZ, 4096, AT_CLKTCK, USER_HZ, AT_PHDR, prog.phdr, AT_PHENT, prog.is32 ? 32 : sizeof(struct elf_phdr), AT_PHNUM, prog.h.phnum,
                      AT_BASE, interp.base, AT_FLAGS, 0, AT_ENTRY, prog.base + prog.h.entry, AT_UID, 0, AT_EUID, 0,
                      AT_GID, 0, AT_EGID, 0, AT_SECURE, 0, AT_RANDOM, 0, AT_HWCAP2, 0, AT_EXECFN, 0,
                      AT_PLATFORM, 0, AT_NULL, 0};
    *entry = dynamic ? interp.base + interp.h.entry : prog.base + prog.h.entry;
    int skip = prog.is32 && vdso ? 0 : 2; /* AT_SYSINFO's pair */
    r = push_stack(p, path, argv, argc, envp, envc, aux + skip, (int)((sizeof aux / sizeof aux[0] - skip) / 2), sp);
    if (r == 0)
        mm_stack_trim(p, stack, *sp); /* Linux's first size: it grows on faults (mm_fault) */
    return r;
}
