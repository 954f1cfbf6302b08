/*
 * personalities/linux/vdso.c - the vDSO, as Linux gives every process one:
 * the object built from vdso/image.c (an i386 program's: vdso/image32.c,
 * whose __kernel_vsyscall AT_SYSINFO names too), each held once in this server's memory
 * and shared into each new image at execve (mem_share: every process
 * maps the same frames, and a fork's clone shares them rather than copy),
 * at an address mmap would choose, named by AT_SYSINFO_EHDR.  Its data
 * page holds the kernel's clock figures (stats(STATS_CLOCK)) and the wall
 * clock's base, which this server rewrites in both, under a sequence count, when
 * clock_settime or settimeofday moves it.  A process in a time namespace
 * of its own has a second data page there instead, the same figures
 * marked timens, whose reader asks clock_gettime for the clocks the
 * namespace offsets (timens.c).
 *
 * Entry points: vdso.h.  Layer: mm.  Book: docs/linux.md, "Programs and
 * processes".
 */
#include "vdso.h"
#include "proc.h"
#include "time.h"
#include "timens.h"
#include <persona/elf.h>
#include <stdlib.h>
#include <string.h>
#include "vdso_image.h"   /* generated: the object's bytes, vdso_image[] */
#include "vdso32_image.h" /* and the i386 one's, vdso32_image[] */

/* The two objects, 64-bit and i386, each held once at its window in this
 * server's memory, which processes share. */
static struct image {
    const unsigned char *bytes;
    uint64_t filesz, window;
    uint64_t size; /* in memory: 0 until vdso_init */
    struct vdso_data *data, *timens; /* its data page, and the one of time namespaces (just past it) */
} images[2] = {
    {vdso_image, sizeof vdso_image, 0x4ff000000000ull, 0, NULL, NULL},
    {vdso32_image, sizeof vdso32_image, 0x4ff000100000ull, 0, NULL, NULL},
};

static int load(struct image *im, uint64_t filesz, uint64_t memsz)
{
    uint64_t need = (memsz + 4095) & ~4095ull;
    if (filesz > im->filesz || need <= VDSO_DATA_OFFSET || !linux_clock.mult ||
        sys_mem_map(H_SELF, im->window, need + 4096, PROT_READ | PROT_WRITE) < 0)
        return -LINUX_ENOMEM;
    memcpy((void *)im->window, im->bytes, filesz);
    im->data = (struct vdso_data *)(im->window + VDSO_DATA_OFFSET);
    im->data->clock = linux_clock; /* the figures time_init fetched */
    im->data->realtime_base = (int64_t)EPOCH_NS;
    im->timens = (struct vdso_data *)(im->window + need);
    *im->timens = *im->data;
    im->timens->timens = 1;
    im->size = need;
    return 0;
}

int vdso_init(void)
{
    const struct elf_hdr *h = (const struct elf_hdr *)(const void *)vdso_image;
    const struct elf_phdr *ph = (const struct elf_phdr *)(const void *)(vdso_image + h->phoff);
    if (ph[0].type != ELF_PT_LOAD)
        return -LINUX_ENOMEM;
    /* the whole file, as Linux maps its vDSO image: its section headers
     * too, which gdb reads when it sizes the object from maps */
    uint64_t size = sizeof vdso_image;
    int r = load(&images[0], size, ph[0].memsz > size ? ph[0].memsz : size);
    /* the i386 object is copied whole: one segment, from its start, with
     * nothing past its file's bytes */
    return r < 0 ? r : load(&images[1], sizeof vdso32_image, sizeof vdso32_image);
}

uint64_t vdso_map(struct proc *p, bool i386)
{
    const struct image *im = &images[i386];
    uint64_t at = im->size ? mm_gap(p->mm, im->size) : 0;
    struct vma *v = at ? calloc(1, sizeof *v) : NULL;
    if (!v || sys_mem_share(H_SELF, im->window, p->task, at, im->size, PROT_READ | PROT_EXEC) < 0) {
        free(v);
        return 0;
    }
    *v = (struct vma){.start = at, .end = at + im->size, .prot = PROT_READ | PROT_EXEC, .vdso = true};
    mm_insert(p->mm, v);
    if (timens_away(p))
        vdso_timens(p, true);
    return at;
}

void vdso_timens(struct proc *p, bool away)
{
    const struct image *im = &images[p->mm->compat];
    uint64_t at = vdso_base(p->mm);
    if (at && im->size)
        sys_mem_share(H_SELF, away ? (uint64_t)im->timens : (uint64_t)im->data, p->task, at + VDSO_DATA_OFFSET, 4096,
                      PROT_READ | PROT_EXEC);
}

uint64_t vdso_base(const struct mm *mm)
{
    for (const struct vma *v = mm->vmas; v; v = v->next)
        if (v->vdso)
            return v->start;
    return 0;
}

void vdso_set_realtime(int64_t base, int32_t minuteswest, int32_t dsttime)
{
    for (int i = 0; i < 4; i++) {
        struct vdso_data *data = i < 2 ? images[i].data : images[i - 2].timens;
        if (!data)
            continue;
        data->seq++; /* odd: readers wait */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        data->realtime_base = base;
        data->tz_minuteswest = minuteswest;
        data->tz_dsttime = dsttime;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        data->seq++;
    }
}
