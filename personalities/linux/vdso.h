/*
 * personalities/linux/vdso.h - the vDSO: a small shared object mapped into
 * every process (AT_SYSINFO_EHDR), whose clock_gettime, gettimeofday,
 * time and getcpu answer in user mode, from the TSC and a page of figures
 * this server keeps (struct vdso_data), instead of trapping.  The object
 * is built from vdso/image.c with vdso/image.lds; vdso.c keeps one copy
 * of it, which every process shares.
 *
 * Entry points: vdso_init (main.c), vdso_map (elf.c: at execve), vdso_base
 * (i386sig.c: the signal returns),
 * vdso_set_realtime (time.c: the wall clock moved), vdso_timens
 * (timens.c: a process entered a time namespace).  Layer: mm.  Book:
 * docs/linux.md, "Programs and processes".
 */
#ifndef LINUX_VDSO_H
#define LINUX_VDSO_H
#include <persona/abi.h>
#include <stdbool.h>
#include <stdint.h>

/* Where the figures are in the object: its second page (image.lds and
 * image32.lds put them there); and where the i386 one's __kernel_vsyscall
 * and signal returns are, at the start of its code (image32.lds puts them
 * first, image32.c at these places). */
#define VDSO_DATA_OFFSET 4096
#define VDSO32_VSYSCALL_OFFSET 8192
#define VDSO32_SIGRETURN_OFFSET (8192 + 16)
#define VDSO32_RT_SIGRETURN_OFFSET (8192 + 32)

/* The figures, as the object reads them.  The kernel's clock is
 * persona_clock_ns(&clock, rdtsc) ns since boot (stats(STATS_CLOCK));
 * CLOCK_REALTIME adds realtime_base.  seq is odd while this server
 * writes; a reader that saw it odd, or changed, reads again. */
struct vdso_data {
    volatile uint32_t seq;
    uint32_t timens; /* nonzero: the reader is in a time namespace of its own, whose
                        monotonic and boot clocks clock_gettime answers (timens.c) */
    struct persona_clock clock;
    int64_t realtime_base; /* ns */
    int32_t tz_minuteswest, tz_dsttime;
};

#ifndef VDSO_IMAGE
struct proc;
/* Loads the object and its figures; 0 or -errno. */
int vdso_init(void);
/* Maps the object (an i386 program's if i386) into p's new image; its
 * address, or 0 if it could not (the program then runs without one). */
uint64_t vdso_map(struct proc *p, bool i386);
/* Where mm's vDSO is, or 0 (an i386 signal frame returns through it). */
struct mm;
uint64_t vdso_base(const struct mm *mm);
/* The wall clock is now the kernel's clock plus base ns; the time zone
 * settimeofday keeps. */
void vdso_set_realtime(int64_t base, int32_t minuteswest, int32_t dsttime);
/* p's vDSO (its memory's own) reads the data page of a time namespace of
 * its own if away, else the initial one's. */
void vdso_timens(struct proc *p, bool away);
#endif

#endif
