/*
 * personalities/linux/acct.c - acct(2), BSD process accounting as Linux's
 * CONFIG_BSD_PROCESS_ACCT_V3: while it is on, every process that ends
 * appends a struct acct_v3 to the file acct named (held open for
 * writing, as Linux holds it): its flags (AFORK: it never exec'd; ACORE;
 * AXSIG), the exit code as wait reports it, real uid and gid, pid and
 * parent's pid, start time, elapsed, user and system time in 1/100 s as
 * Linux encodes them (comp_t, and a float's bits), average memory in KiB,
 * and its name.  ac_tty is 0, and the page-fault counts are 0 (neither is
 * kept here); ac_io, ac_rw and ac_swaps are 0 as on Linux.
 * CAP_SYS_PACCT is needed (EPERM); the file must be a regular one a
 * write open reaches (EACCES, EISDIR, the path's errors).
 *
 * Entry points: sys_acct, acct_exit (exit.c), acct_umount (mount.c: an
 * unmount stops accounting to a file there, as Linux's).  Layer: proc.  Book:
 * docs/linux.md, "Programs and processes".
 */
#include "proc.h"
#include "procfs.h"
#include "linux_entries/acct.h" /* generated: the handlers' prototypes, entries */
#include <string.h>

#define ACCT_VERSION 3
#define AFORK 0x01
#define ACORE 0x08
#define AXSIG 0x10
#define AHZ 100

struct acct_v3 {
    uint8_t ac_flag, ac_version;
    uint16_t ac_tty;
    uint32_t ac_exitcode, ac_uid, ac_gid, ac_pid, ac_ppid, ac_btime;
    uint32_t ac_etime; /* a float's bits */
    uint16_t ac_utime, ac_stime, ac_mem, ac_io, ac_rw, ac_minflt, ac_majflt, ac_swaps;
    char ac_comm[16];
};
_Static_assert(sizeof(struct acct_v3) == 64, "struct acct_v3");

static struct inode *acct_file; /* accounting is on while it is set */

/* comp_t: 13 bits of mantissa, 3 of a base-8 exponent, rounded. */
static uint16_t encode_comp(uint64_t v)
{
    int exp = 0;
    bool round = false;
    while (v > 0x1fff) {
        round = v & 4;
        v >>= 3;
        exp++;
    }
    if (round && ++v > 0x1fff) {
        v >>= 3;
        exp++;
    }
    return exp > 7 ? 0xffff : (uint16_t)((exp << 13) + v);
}

/* The bits of v as an IEEE single, truncated as Linux's encode_float. */
static uint32_t encode_float(uint64_t v)
{
    unsigned exp = 190;
    if (!v)
        return 0;
    while ((int64_t)v > 0) {
        v <<= 1;
        exp--;
    }
    return (uint32_t)((v >> 40) & 0x7fffff) | (exp << 23);
}

void acct_exit(struct proc *g, int status)
{
    if (!acct_file)
        return;
    uint64_t user, sys, now = clock_now();
    proc_cpu_times(g, &user, &sys);
    struct acct_v3 a = {(uint8_t)((g->forked_only ? AFORK : 0) | (status & WCOREFLAG ? ACORE : 0) |
                                  ((status & 0x7f) ? AXSIG : 0)),
                        ACCT_VERSION, 0, (uint32_t)status, g->cred.uid, g->cred.gid, (uint32_t)g->pid,
                        (uint32_t)g->ppid, (uint32_t)((realtime_at_boot() + (int64_t)g->start_ns) / 1000000000),
                        encode_float((now - g->start_ns) / (1000000000 / AHZ)), encode_comp(user), encode_comp(sys),
                        encode_comp(proc_vsize(g) / 1024), 0, 0, 0, 0, 0, {0}};
    memcpy(a.ac_comm, g->comm, sizeof a.ac_comm);
    const struct cred *saved = fs_cred;
    fs_cred = &g->cred;
    if (fs_write(acct_file, acct_file->size, &a, sizeof a) > 0)
        fs_modified(acct_file);
    fs_cred = saved;
}

static void acct_off(void)
{
    if (!acct_file)
        return;
    acct_file->writers--;
    if (--acct_file->refs == 0)
        fs_release(acct_file);
    acct_file = NULL;
}

void acct_umount(const struct fs *fs)
{
    if (acct_file && acct_file->fs == fs)
        acct_off();
}

static int64_t sys_acct(struct sys_ctx *c, uint64_t upath)
{
    static char path[PATH_MAX_LEN];
    if (!cred_capable(&c->p->cred, CAP_PACCT))
        return -LINUX_EPERM;
    if (!upath) {
        acct_off();
        return 0;
    }
    struct inode *dir, *ino;
    int r = path_arg(c, AT_FDCWD, upath, path, &dir);
    if (r < 0 || (r = fs_lookup(dir, path, true, &ino)) < 0)
        return r;
    if ((ino->mode & S_IFMT) == S_IFDIR)
        return -LINUX_EISDIR;
    if ((r = fs_permission(ino, MAY_WRITE)) < 0)
        return r;
    if ((ino->mode & S_IFMT) != S_IFREG)
        return -LINUX_EACCES;
    acct_off();
    ino->refs++, ino->writers++; /* held open for writing */
    acct_file = ino;
    return 0;
}
