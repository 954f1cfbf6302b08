/*
 * personalities/linux/timens.c - time namespaces, as Linux 6.1's
 * kernel/time/namespace.c keeps them: each has offsets for CLOCK_MONOTONIC
 * (and its _RAW and _COARSE views) and CLOCK_BOOTTIME (and _ALARM), which
 * the processes in it see added to the kernel's clocks.  A namespace is
 * made for a thread's children (unshare or clone3 with CLONE_NEWTIME, its
 * offsets a copy of the old one's); /proc/PID/timens_offsets sets them
 * until a process enters it, at a fork (the child of a thread whose time
 * namespace for children is not its own enters that one) or setns; from
 * then on they are frozen (EACCES).  The wall clock is never moved.
 *
 * Linux gives a process in such a namespace a vDSO data page of its own,
 * whose reader adds the offsets; here the vDSO's data page for every
 * non-initial namespace is one with a mark (vdso.c) that sends the
 * monotonic and boot clocks to clock_gettime, which adds them.
 *
 * Entry points: timens.h.  Callers: ns.c, setns.c, time.c, wait.c,
 * ptimer.c, counter.c, futex.c, sys.c, procglobal.c, procpid.c,
 * procpidset.c, vdso.c.  Layer: proc.  Book: docs/linux.md, "Programs and
 * processes".
 */
#include "timens.h"
#include "ns.h"
#include "proc.h"
#include "userns.h"
#include "procfs.h"
#include "time.h"
#include "vdso.h"
#include <ctype.h>
#include <string.h>

#define NSEC 1000000000ll
#define KTIME_SEC_MAX (INT64_MAX / NSEC) /* Linux's: the seconds a ktime_t holds */

/* The offset clock takes from a namespace: 0 monotonic, 1 boottime, -1
 * none (the wall clocks, the CPU clocks). */
static int offset_kind(int clock)
{
    switch (clock) {
    case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_MONOTONIC_COARSE: return 0;
    case CLOCK_BOOTTIME: case CLOCK_BOOTTIME_ALARM: return 1;
    default: return -1;
    }
}

static int64_t offset_ns(const struct timens *t, int k) { return t->sec[k] * NSEC + t->nsec[k]; }

uint64_t timens_from_host(const struct proc *p, int clock, uint64_t ns)
{
    int k = offset_kind(clock);
    if (!p || k < 0 || !p->ns[NS_TIME])
        return ns;
    return (uint64_t)((int64_t)ns + offset_ns(&p->ns[NS_TIME]->time, k)); /* the write's checks keep it >= 0 */
}

uint64_t timens_to_host(const struct proc *p, int clock, uint64_t ns)
{
    if (!p || !p->ns[NS_TIME] || (clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME && clock != CLOCK_BOOTTIME_ALARM))
        return ns;
    int64_t off = offset_ns(&p->ns[NS_TIME]->time, offset_kind(clock));
    if ((int64_t)ns < off)
        return 0; /* before the namespace's offset: expired already */
    return off >= 0 ? ns - (uint64_t)off : ns_sat(ns, (uint64_t)-off);
}

bool timens_away(const struct proc *p) { return p && p->ns[NS_TIME]; }

/* p has entered n (Linux's timens_commit): n's offsets are frozen, and
 * p's vDSO, if its memory is its own, reads them. */
static void commit(struct proc *p, struct ns *n, bool own_mm)
{
    n->time.frozen = true;
    if (own_mm)
        vdso_timens(p, timens_away(p));
}

void timens_fork(struct proc *t, const struct proc *p)
{
    struct ns *n = ns_of(t, NS_TIME_CHILD);
    if (ns_of(t, NS_TIME) != n)
        ns_enter(t, NS_TIME, n);
    if (n != ns_of(p, NS_TIME)) /* it has entered another than its parent's */
        commit(t, n, t->mm != p->mm);
}

void timens_install(struct proc *p, struct ns *n)
{
    ns_enter(p, NS_TIME, n);
    ns_enter(p, NS_TIME_CHILD, n);
    commit(p, n, true);
}

void timens_show(struct proc *p)
{
    const struct timens *t = &ns_of(p, NS_TIME_CHILD)->time;
    static const char *const names[2] = {"monotonic", "boottime"};
    for (int k = 0; k < 2 && !p->zombie; k++) /* an ended process is in none: empty */
        procfs_put("%-10s %10lld %9ld\n", names[k], (long long)t->sec[k], (long)t->nsec[k]);
}

/* Linux's vsscanf of a number at *s (spaces first; a sign only if
 * is_signed), wrapping as simple_strtoll: false if none is there. */
static bool scan_number(const char **s, bool is_signed, uint64_t *v)
{
    const char *c = *s;
    while (isspace((unsigned char)*c))
        c++;
    bool neg = is_signed && *c == '-';
    c += neg;
    if (!isdigit((unsigned char)*c))
        return false;
    uint64_t x = 0;
    while (isdigit((unsigned char)*c))
        x = x * 10 + (uint64_t)(*c++ - '0');
    *v = neg ? -x : x;
    *s = c;
    return true;
}

/* One line, as Linux's sscanf(line, "%9s %lld %lu"): the clock's name
 * (at most 9 characters), seconds and ns; false if any is missing. */
static bool scan_line(const char *line, char clock[10], int64_t *sec, uint64_t *nsec)
{
    const char *c = line;
    size_t n = 0;
    while (isspace((unsigned char)*c))
        c++;
    while (*c && !isspace((unsigned char)*c) && n < 9)
        clock[n++] = *c++;
    clock[n] = '\0';
    uint64_t s;
    if (!n || !scan_number(&c, true, &s) || !scan_number(&c, false, nsec))
        return false;
    *sec = (int64_t)s;
    return true;
}

/* The checks of proc_timens_set_offset for offsets of kinds kind[i]. */
static int set_offsets(struct proc *p, struct proc *w, const int *kind, const int64_t *sec, const uint64_t *nsec,
                       int count)
{
    struct timens *t = &ns_of(p, NS_TIME_CHILD)->time;
    if (p->zombie)
        return -LINUX_ESRCH; /* its namespaces went at its exit */
    if (!cred_ns_capable(&w->cred, userns_owner(ns_of(p, NS_TIME_CHILD)), CAP_SYS_TIME))
        return -LINUX_EPERM; /* over the namespace's owner (file_ns_capable) */
    uint64_t now = clock_now(); /* the monotonic and boot clocks are one here */
    for (int i = 0; i < count; i++) {
        if (sec[i] > KTIME_SEC_MAX || sec[i] < -KTIME_SEC_MAX)
            return -LINUX_ERANGE;
        int64_t tsec = (int64_t)(now / NSEC) + sec[i];
        if ((int64_t)(now % NSEC) + (int64_t)nsec[i] >= NSEC)
            tsec++;
        if (tsec < 0 || tsec > KTIME_SEC_MAX / 2) /* KTIME_MAX stays out of reach */
            return -LINUX_ERANGE;
    }
    if (t->frozen)
        return -LINUX_EACCES;
    for (int i = 0; i < count; i++)
        t->sec[kind[i]] = sec[i], t->nsec[kind[i]] = (int64_t)nsec[i];
    return 0;
}

int64_t timens_write(struct proc *p, struct proc *w, uint64_t off, const void *data, size_t n)
{
    static char text[4096];
    if (off || n >= sizeof text) /* one write of less than a page, at the start */
        return -LINUX_EINVAL;
    memcpy(text, data, n);
    text[n] = '\0';
    int kind[2], count = 0;
    int64_t sec[2];
    uint64_t nsec[2];
    size_t taken = n;
    for (char *line = text, *next; line; line = next) {
        char clock[10], *nl = strchr(line, '\n');
        next = NULL;
        if (nl) /* a line ends at its newline; the last one's is the text's end */
            *nl = '\0', next = nl[1] ? nl + 1 : NULL;
        if (!scan_line(line, clock, &sec[count], &nsec[count]) || nsec[count] >= (uint64_t)NSEC)
            return -LINUX_EINVAL;
        if (strcmp(clock, "monotonic") == 0 || strcmp(clock, "1") == 0)
            kind[count] = 0;
        else if (strcmp(clock, "boottime") == 0 || strcmp(clock, "7") == 0)
            kind[count] = 1;
        else
            return -LINUX_EINVAL;
        if (++count == 2) { /* two at most: the rest is not taken */
            taken = next ? (size_t)(next - text) : n;
            break;
        }
    }
    int r = set_offsets(p, w, kind, sec, nsec, count);
    return r < 0 ? r : (int64_t)taken;
}
