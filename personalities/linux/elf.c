/*
 * personalities/linux/elf.c - loading a static ELF64 executable (ET_EXEC,
 * or static-PIE ET_DYN at a fixed base) into a fresh pico task, and the
 * initial stack Linux programs expect: argc, argv, envp and the auxiliary
 * vector.  Every field of the file is checked: a bad, truncated or foreign
 * file is ENOEXEC, never a crash.
 *
 * Entry point: elf_exec (exec.c).  Layer: proc, over fs and mm.  Book:
 * docs/linux.md, "Programs and processes".
 */
#include "exec.h"
#include "proc.h"
#include <persona/pico.h>
#include <stdlib.h>
#include <string.h>
#include <persona/elf.h>

#define PIE_BASE 0x555555554000ull
#define STACK_TOP TASK_SIZE
#define STACK_MAX (8ull << 20)
#define IMAGE_MAX (64ull << 10) /* the most the initial stack image (arguments, environment) may take */

/* Reads and checks the header and the program headers (at most 64) into
 * h and ph. */
static int check_header(const struct inode *f, struct elf_hdr *h, struct elf_phdr ph[64])
{
    if (fs_read(f, 0, h, sizeof *h) < sizeof *h || memcmp(h->ident, "\177ELF\2\1\1", 7) != 0 ||
        (h->type != ELF_ET_EXEC && h->type != ELF_ET_DYN) || h->machine != ELF_EM_X86_64 || h->phentsize != sizeof(struct elf_phdr) ||
        h->phnum == 0 || h->phnum > 64 || h->phoff > f->size || h->phnum * sizeof(struct elf_phdr) > f->size - h->phoff)
        return -LINUX_ENOEXEC;
    fs_read(f, h->phoff, ph, h->phnum * sizeof *ph);
    for (int i = 0; i < h->phnum; i++) {
        if (ph[i].type == ELF_PT_INTERP) /* dynamic executables need a loader we do not have */
            return -LINUX_ENOEXEC;
        if (ph[i].type == ELF_PT_LOAD && (ph[i].offset > f->size || ph[i].filesz > f->size - ph[i].offset ||
                                ph[i].filesz > ph[i].memsz || ph[i].memsz > (1ull << 40) ||
                                ph[i].vaddr > (1ull << 46) || (ph[i].vaddr - ph[i].offset) % 4096))
            return -LINUX_ENOEXEC;
    }
    return 0;
}

static int load_segments(struct proc *p, struct inode *f, const struct elf_hdr *h, const struct elf_phdr *ph,
                         uint64_t base, uint64_t *phdr)
{
    uint64_t end = 0;
    *phdr = 0;
    for (int i = 0; i < h->phnum; i++) {
        if (ph[i].type != ELF_PT_LOAD)
            continue;
        uint64_t va = base + ph[i].vaddr, start = va & ~4095ull, stop = (va + ph[i].memsz + 4095) & ~4095ull;
        int prot = (ph[i].flags & ELF_PF_R ? PROT_READ : 0) | (ph[i].flags & ELF_PF_W ? PROT_WRITE : 0) |
                   (ph[i].flags & ELF_PF_X ? PROT_EXEC : 0);
        /* Loaded page by page as the program touches it (mm.c), as Linux
         * pages a program in: the file's bytes from the start of the page
         * to the end of the segment's file part, zeros after. */
        struct vma *v = calloc(1, sizeof *v);
        if (!v)
            return -LINUX_ENOMEM;
        *v = (struct vma){.start = start, .end = stop, .prot = prot, .lazy = true, .file = f,
                          .file_off = ph[i].offset - (va - start), .file_end = va + ph[i].filesz,
                          .next = p->mm->vmas};
        f->exec_mapped = true;
        p->mm->vmas = v;
        if (h->phoff >= ph[i].offset && h->phoff < ph[i].offset + ph[i].filesz)
            *phdr = va + h->phoff - ph[i].offset;
        end = stop > end ? stop : end;
    }
    p->mm->brk_start = p->mm->brk = end;
    return 0;
}

/* Builds the initial stack image below STACK_TOP and writes it. */
static int push_stack(struct proc *p, const char *path, char *const argv[], int argc, char *const envp[], int envc,
                      const uint64_t *aux, int naux, uint64_t *sp_out)
{
    size_t strings = strlen(path) + 1 + 16 + 7;
    for (int i = 0; i < argc; i++)
        strings += strlen(argv[i]) + 1;
    for (int i = 0; i < envc; i++)
        strings += strlen(envp[i]) + 1;
    size_t words = 1 + (size_t)argc + 1 + (size_t)envc + 1 + (size_t)naux * 2;
    size_t total = ((strings + 15) & ~15ull) + words * 8 + 16;
    if (total > IMAGE_MAX)
        return -LINUX_E2BIG;
    uint8_t *img = calloc(1, total);
    uint64_t *w = calloc(words, 8);
    if (!img || !w) {
        free(img), free(w);
        return -LINUX_ENOMEM;
    }
    uint64_t base = (STACK_TOP - total) & ~15ull, str = base + words * 8 + 16, pos = str;
    size_t k = 0;
    w[k++] = (uint64_t)argc;
#define PUT_STR(s)                                                                                       \
    ({                                                                                                   \
        size_t n_ = strlen(s) + 1;                                                                       \
        memcpy(img + (pos - base), s, n_);                                                               \
        pos += n_;                                                                                       \
        pos - n_;                                                                                        \
    })
    for (int i = 0; i < argc; i++)
        w[k++] = PUT_STR(argv[i]);
    w[k++] = 0;
    for (int i = 0; i < envc; i++)
        w[k++] = PUT_STR(envp[i]);
    w[k++] = 0;
    uint64_t execfn = PUT_STR(path), platform = PUT_STR("x86_64");
    uint64_t random = pos;
    for (int i = 0; i < 16; i++)
        img[pos - base + (size_t)i] = (uint8_t)rand();
    pos += 16;
    for (int i = 0; i < naux; i++) {
        uint64_t type = aux[2 * i], val = aux[2 * i + 1];
        val = type == AT_RANDOM ? random : type == AT_EXECFN ? execfn : type == AT_PLATFORM ? platform : val;
        w[k++] = type;
        w[k++] = val;
    }
    memcpy(img, w, k * 8);
    int r = mem_out(p, base, img, (size_t)(pos - base)) < 0 ? -LINUX_ENOMEM : 0; /* maps the pages it needs */
    free(img), free(w);
    *sp_out = base;
    return r;
}

int elf_exec(struct proc *p, const char *path, char *const argv[], int argc, char *const envp[], int envc,
             uint64_t *entry, uint64_t *sp)
{
    struct inode *f;
    struct elf_hdr hdr, *h = &hdr;
    struct elf_phdr ph[64];
    int r = fs_lookup(p->cwd, path, true, &f);
    if (r < 0)
        return r;
    if ((f->mode & S_IFMT) != S_IFREG)
        return -LINUX_EACCES;
    if (f->writers)
        return -LINUX_ETXTBSY; /* open for writing somewhere */
    if ((r = check_header(f, h, ph)) < 0)
        return r;
    uint64_t base = h->type == ELF_ET_DYN ? PIE_BASE : 0, phdr;
    if ((r = load_segments(p, f, h, ph, base, &phdr)) < 0)
        return r;
    p->mm->exe = f;
    /* The stack is mapped as Linux maps it, on demand: the pages its first
     * image is written to now, the rest when they are touched (mm_fault). */
    struct vma *stack = calloc(1, sizeof *stack);
    if (!stack)
        return -LINUX_ENOMEM;
    *stack = (struct vma){.start = STACK_TOP - STACK_MAX, .end = STACK_TOP, .prot = PROT_READ | PROT_WRITE, .grows_down = true};
    struct vma **pv = &p->mm->vmas;
    while (*pv)
        pv = &(*pv)->next;
    *pv = stack;
    uint32_t cpu[4];
    __asm__ volatile("cpuid" : "=a"(cpu[0]), "=b"(cpu[1]), "=c"(cpu[2]), "=d"(cpu[3]) : "a"(1), "c"(0));
    uint64_t aux[] = {AT_PHDR, phdr, AT_PHENT, sizeof(struct elf_phdr), AT_PHNUM, h->phnum, AT_PAGESZ, 4096,
                      AT_BASE, 0, AT_FLAGS, 0, AT_ENTRY, base + h->entry, AT_UID, 0, AT_EUID, 0, AT_GID, 0,
                      AT_EGID, 0, AT_SECURE, 0, AT_HWCAP, cpu[3], AT_CLKTCK, USER_HZ, AT_RANDOM, 0,
                      AT_PLATFORM, 0, AT_EXECFN, 0, AT_NULL, 0};
    *entry = base + h->entry;
    return push_stack(p, path, argv, argc, envp, envc, aux, (int)(sizeof aux / sizeof aux[0] / 2), sp);
}
