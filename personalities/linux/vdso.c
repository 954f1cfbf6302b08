/*
 * personalities/linux/vdso.c - the vDSO, as Linux gives every process one:
 * the object built from vdso/image.c, held once in this server's memory
 * and shared into each new image at execve (mem_share: every process
 * maps the same frames, and a fork's clone shares them rather than copy),
 * at an address mmap would choose, named by AT_SYSINFO_EHDR.  Its data
 * page holds the kernel's clock figures (stats(STATS_CLOCK)) and the wall
 * clock's base, which this server rewrites, under a sequence count, when
 * clock_settime or settimeofday moves it.
 *
 * Entry points: vdso.h.  Layer: mm.  Book: docs/linux.md, "Programs and
 * processes".
 */
#include "vdso.h"
#include "proc.h"
#include "time.h"
#include <persona/elf.h>
#include <stdlib.h>
#include <string.h>
#include "vdso_image.h" /* generated: the object's bytes, vdso_image[] */

#define VDSO_WINDOW 0x4ff000000000ull /* this server's copy, which processes share */

static uint64_t size; /* of the object in memory: 0 until vdso_init */
static struct vdso_data *data;

int vdso_init(void)
{
    const struct elf_hdr *h = (const struct elf_hdr *)(const void *)vdso_image;
    const struct elf_phdr *ph = (const struct elf_phdr *)(const void *)(vdso_image + h->phoff);
    uint64_t filesz = ph[0].filesz, need = (ph[0].memsz + 4095) & ~4095ull;
    if (ph[0].type != ELF_PT_LOAD || filesz > sizeof vdso_image || need <= VDSO_DATA_OFFSET || !linux_clock.mult ||
        sys_mem_map(H_SELF, VDSO_WINDOW, need, PROT_READ | PROT_WRITE) < 0)
        return -LINUX_ENOMEM;
    memcpy((void *)VDSO_WINDOW, vdso_image, filesz);
    data = (struct vdso_data *)(VDSO_WINDOW + VDSO_DATA_OFFSET);
    data->clock = linux_clock; /* the figures time_init fetched */
    data->realtime_base = (int64_t)EPOCH_NS;
    size = need;
    return 0;
}

uint64_t vdso_map(struct proc *p)
{
    uint64_t at = size ? mm_gap(p->mm, size) : 0;
    struct vma *v = at ? calloc(1, sizeof *v) : NULL;
    if (!v || sys_mem_share(H_SELF, VDSO_WINDOW, p->task, at, size, PROT_READ | PROT_EXEC) < 0) {
        free(v);
        return 0;
    }
    *v = (struct vma){.start = at, .end = at + size, .prot = PROT_READ | PROT_EXEC, .vdso = true};
    mm_insert(p->mm, v);
    return at;
}

void vdso_set_realtime(int64_t base, int32_t minuteswest, int32_t dsttime)
{
    if (!data)
        return;
    data->seq++; /* odd: readers wait */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    data->realtime_base = base;
    data->tz_minuteswest = minuteswest;
    data->tz_dsttime = dsttime;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    data->seq++;
}
