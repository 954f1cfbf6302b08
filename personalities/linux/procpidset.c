/*
 * personalities/linux/procpidset.c - the settings of /proc/PID that a
 * process reads and writes: oom_score_adj (-1000..1000, EINVAL outside;
 * lowering it below the least a privileged writer set, Linux's
 * oom_score_adj_min, needs CAP_SYS_RESOURCE: EACCES), oom_adj (its old
 * scaled view, -17..15), oom_score (Linux's badness of the process,
 * read-only), timerslack_ns (prctl's PR_SET_TIMERSLACK value of the
 * thread: another's needs CAP_SYS_NICE to read or write, EPERM),
 * coredump_filter (the bits coredump.c's choice of mappings reads),
 * setgroups, uid_map, gid_map and projid_map (the process's user
 * namespace's: userns.c shows them and takes their writes), loginuid
 * and sessionid (the audit login uid a
 * process sets for itself, EPERM for another's: once set, changing it
 * needs CAP_AUDIT_CONTROL; each setting starts a new session),
 * timens_offsets (its time namespace for children's offsets, timens.c),
 * comm (a thread's name, written by a thread of its process: else
 * EINVAL; its first 15 bytes, to a NUL; no pwrite, ESPIPE).  Numbers
 * are parsed as Linux's kstrto* (EINVAL, ERANGE).  The files are written
 * at lookup as procfs's others (their node marked PROCSET_NODE; io's too,
 * procio.c); their writes and the checks at open and read (another's
 * timerslack_ns, another's io) are here.
 *
 * Not built: the out-of-memory killer has no choice to make (main.c and
 * mm.c end the process whose page could not be had), so oom_score_adj
 * and oom_score are kept and shown but choose no victim; oom_score
 * counts resident pages, not page tables.
 *
 * Entry points: procpidset_file, procpidset_write, procset_fops, and
 * the parsing procpidlive.c shares, procpid_kstrtoint and procpid_strip
 * (procfs.h).  Callers: procpid.c, procsys.c, procpidmem.c.  Layer:
 * procfs.  Book: docs/linux.md, "/proc".
 */
#include "file.h"
#include "klog.h"
#include "proc.h"
#include "procfs.h"
#include "timens.h"
#include "userns.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000
#define OOM_DISABLE (-17)
#define OOM_ADJUST_MAX 15
#define MMF_DUMP_FILTER_BITS 9

/* Linux's kstrtoull: an optional '+', a number in base (0: C's
 * prefixes), one optional newline, nothing after. */
static int kstrtoull(const char *s, unsigned base, unsigned long long *res)
{
    s += *s == '+';
    if (!base)
        base = s[0] != '0' ? 10 : tolower((unsigned char)s[1]) == 'x' && isxdigit((unsigned char)s[2]) ? 16 : 8;
    if (base == 16 && s[0] == '0' && tolower((unsigned char)s[1]) == 'x')
        s += 2;
    unsigned long long v = 0;
    bool over = false;
    const char *at = s;
    for (;; s++) {
        unsigned d = isdigit((unsigned char)*s) ? (unsigned)(*s - '0')
                     : isxdigit((unsigned char)*s) ? (unsigned)(tolower((unsigned char)*s) - 'a' + 10) : 99;
        if (d >= base)
            break;
        over |= v > (~0ull - d) / base;
        v = v * base + d;
    }
    if (over)
        return -LINUX_ERANGE;
    if (s == at)
        return -LINUX_EINVAL;
    s += *s == '\n';
    if (*s)
        return -LINUX_EINVAL;
    *res = v;
    return 0;
}

/* kstrtoint: an optional '-' before kstrtoull's, within an int (ERANGE). */
static int kstrtoint(const char *s, unsigned base, int *res)
{
    bool neg = *s == '-';
    unsigned long long u;
    int r = kstrtoull(s + neg, base, &u);
    if (r)
        return r;
    if (u > (neg ? 2147483648ull : 2147483647ull))
        return -LINUX_ERANGE;
    *res = neg ? (int)-(long long)u : (int)u;
    return 0;
}

/* The first n bytes of data (at most room - 1) as a string, as Linux's
 * *_from_user copies them. */
static void user_text(char *to, size_t room, const void *data, size_t n)
{
    n = n < room - 1 ? n : room - 1;
    memcpy(to, data, n);
    to[n] = '\0';
}

/* Linux's strstrip: blanks off both ends. */
static char *strip(char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* The thread (its directory's: /proc/PID, /proc/TID or task/TID) and
 * name of a node; its process's settings are its leader's. */
static struct proc *node_proc(struct inode *ino, const char **name)
{
    bool attr;
    return procpid_node_thread(ino, name, &attr);
}

/* Linux's oom_badness scaled as proc_oom_score shows it: 0 for the
 * unkillable (init, a process that has ended or is vfork's child, one
 * at OOM_SCORE_ADJ_MIN). */
static unsigned long oom_score(struct proc *p)
{
    struct persona_memstats ms = {0, 0};
    sys_stats(STATS_MEMORY, -1, &ms, sizeof ms);
    long total = (long)(ms.total_bytes / 4096);
    if (p->pid == 1 || p->zombie || (p->vfork.shared && p->vfork.parent) || p->oom_score_adj == OOM_SCORE_ADJ_MIN ||
        total <= 0)
        return 0;
    long badness = (long)(proc_resident(p, NULL) / 4096) + p->oom_score_adj * (total / 1000);
    return (unsigned long)((1000 + badness * 1000 / total) * 2 / 3);
}

static int oom_adj_of(int adj)
{
    return adj == OOM_SCORE_ADJ_MAX ? OOM_ADJUST_MAX : adj * -OOM_DISABLE / OOM_SCORE_ADJ_MAX;
}

void procpidset_file(struct inode *d, struct proc *p, const char *name)
{
    if (strcmp(name, "oom_score") == 0)
        procfs_put("%lu\n", oom_score(p));
    else if (strcmp(name, "oom_adj") == 0)
        procfs_put("%d\n", oom_adj_of(p->oom_score_adj));
    else if (strcmp(name, "oom_score_adj") == 0)
        procfs_put("%d\n", p->oom_score_adj);
    else if (strcmp(name, "coredump_filter") == 0 && !p->zombie) /* no mm: empty, as Linux's */
        procfs_put("%08x\n", p->coredump_filter);
    else if (userns_file(name))
        userns_show(p, name); /* setgroups and the id maps: its user namespace's */
    else if (strcmp(name, "timerslack_ns") == 0)
        procfs_put("%lu\n", (unsigned long)p->pr.timer_slack);
    else if (strcmp(name, "loginuid") == 0 || strcmp(name, "sessionid") == 0) /* no newline, as Linux's */
        procfs_put("%u", name[0] == 'l' ? p->loginuid : p->sessionid);
    else if (strcmp(name, "timens_offsets") == 0)
        timens_show(p);
    procfs_file(d, name);
    struct inode *i = fs_dir_find(d, name, strlen(name));
    if (i && strcmp(name, "oom_score") != 0 && strcmp(name, "sessionid") != 0)
        i->rdev = PROCSET_NODE;
}

/* Linux's __set_oom_adj: the new value for p's process and every other
 * sharing its memory but vfork's children (as Linux's, which a privileged
 * writer's oom_score_adj also makes the least). */
static int set_oom(struct proc *p, int adj, bool legacy)
{
    bool privileged = cred_capable(fs_cred, CAP_SYS_RESOURCE);
    if (!privileged && adj < (legacy ? p->oom_score_adj : p->oom_score_adj_min))
        return -LINUX_EACCES;
    static bool warned;
    struct proc *w = procfs_viewer();
    if (legacy && !warned && w) {
        warned = true;
        klog(KERN_WARNING, "%s (%d): /proc/%d/oom_adj is deprecated, please use /proc/%d/oom_score_adj instead.",
             w->comm, w->pid, p->pid, p->pid);
    }
    for (struct proc *q = proc_list(); q; q = q->next)
        if (q == p || (!p->zombie && !q->leader && !q->zombie && q->mm == p->mm && q->pid != 1 &&
                       !(q->vfork.shared && q->vfork.parent))) { /* an ended process has no memory to share */
            q->oom_score_adj = (int16_t)adj;
            if (!legacy && privileged)
                q->oom_score_adj_min = (int16_t)adj;
        }
    return 0;
}

static int write_oom(struct proc *p, const void *data, size_t n, bool legacy)
{
    char buf[13]; /* PROC_NUMBUF */
    int v, r;
    user_text(buf, sizeof buf, data, n);
    if ((r = kstrtoint(strip(buf), 0, &v)))
        return r;
    if (legacy) {
        if (v < OOM_DISABLE || v > OOM_ADJUST_MAX)
            return -LINUX_EINVAL;
        v = v == OOM_ADJUST_MAX ? OOM_SCORE_ADJ_MAX : v * OOM_SCORE_ADJ_MAX / -OOM_DISABLE;
    } else if (v < OOM_SCORE_ADJ_MIN || v > OOM_SCORE_ADJ_MAX) {
        return -LINUX_EINVAL;
    }
    return set_oom(p, v, legacy); /* a zombie's too, as Linux's until it is reaped */
}

/* Linux's audit_set_loginuid for the caller w: a first setting needs no
 * privilege, a change CAP_AUDIT_CONTROL; setting one starts a session,
 * clearing it (AUDIT_UID_UNSET) ends it. */
static int set_loginuid(struct proc *w, uint64_t off, const void *data, size_t n)
{
    char buf[35]; /* kstrtou32_from_user's */
    unsigned long long u;
    int r;
    if (off)
        return -LINUX_EINVAL; /* no partial writes */
    user_text(buf, sizeof buf, data, n);
    if ((r = kstrtoull(buf, 10, &u)) || (r = u > UINT32_MAX ? -LINUX_ERANGE : 0))
        return r;
    if (w->loginuid != UINT32_MAX && !cred_capable(&w->cred, CAP_AUDIT_CONTROL))
        return -LINUX_EPERM;
    static uint32_t session_id;
    if (u != UINT32_MAX && ++session_id == UINT32_MAX)
        ++session_id;
    w->sessionid = u != UINT32_MAX ? session_id : UINT32_MAX;
    w->loginuid = (uint32_t)u;
    return 0;
}

/* Reading or writing another thread's slack needs CAP_SYS_NICE. */
static bool slack_allowed(const struct proc *caller, const struct proc *p)
{
    return caller == p || cred_capable(&caller->cred, CAP_SYS_NICE);
}

int procpidset_write(struct inode *ino, uint64_t off, const void *data, size_t n)
{
    const char *name;
    struct proc *t = node_proc(ino, &name), *p = t ? proc_group(t) : NULL, *w = procfs_viewer();
    char buf[67];
    unsigned long long u;
    int r;
    if (!p || !w)
        return -LINUX_ESRCH;
    if (strcmp(name, "timens_offsets") == 0) /* its time namespace for children's (timens.c) */
        return (int)timens_write(p, w, off, data, n);
    if (strcmp(name, "oom_score_adj") == 0 || strcmp(name, "oom_adj") == 0)
        r = write_oom(p, data, n, name[4] == 'a');
    else if (strcmp(name, "timerslack_ns") == 0) {
        user_text(buf, sizeof buf, data, n);
        if (!(r = kstrtoull(buf, 10, &u)) && !(r = slack_allowed(w, t) ? 0 : -LINUX_EPERM))
            t->pr.timer_slack = u ? u : t->pr.default_slack;
    } else if (strcmp(name, "coredump_filter") == 0) {
        user_text(buf, 35, data, n);
        if (!(r = kstrtoull(buf, 0, &u)) && !(r = u >> 32 ? -LINUX_ERANGE : 0) && !(r = p->zombie ? -LINUX_ESRCH : 0))
            p->coredump_filter = (uint32_t)u & ((1u << MMF_DUMP_FILTER_BITS) - 1);
    } else if (strcmp(name, "loginuid") == 0) { /* the process's own, by the thread its directory is */
        r = w != t ? -LINUX_EPERM : set_loginuid(w, off, data, n);
    } else if (userns_file(name)) {
        r = userns_write(w, p, name, off, data, n);
    } else if (strcmp(name, "comm") == 0) { /* a thread of the writer's process: its first 15 bytes */
        user_text(buf, 16, data, n);
        if (!(r = proc_group(w) == p ? 0 : -LINUX_EINVAL))
            memset(t->comm, 0, sizeof t->comm), memcpy(t->comm, buf, strlen(buf)); /* at most 15 bytes */
        if (!r && ino->entry_dir) /* the file open on it reads the new name, as a seq_file's next read */
            procfs_text(ino->entry_dir, "comm", "%s\n", t->comm);
    } else
        r = -LINUX_EIO;
    return r ? r : (int)n;
}

/* Opening setgroups to write needs CAP_SYS_ADMIN; reading another
 * thread's timerslack_ns, CAP_SYS_NICE. */
static int set_open(struct sys_ctx *c, struct file *f, int flags)
{
    const char *name;
    struct proc *p = node_proc(f->inode, &name);
    if (!p)
        return -LINUX_ESRCH;
    int r = userns_open(c->p, proc_group(p), name, flags);
    if (r < 0)
        return r;
    f->pidfd.pid = p->pid, f->pidfd.start_ns = p->start_ns;
    return 0;
}

static int64_t set_read(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    const char *name;
    struct proc *p = node_proc(f->inode, &name);
    if (p && strcmp(name, "timerslack_ns") == 0 && !slack_allowed(c->p, p))
        return -LINUX_EPERM;
    if (p && strcmp(name, "io") == 0 && proc_group(c->p) != proc_group(p) && !proc_may_ptrace(c->p, proc_group(p)))
        return -LINUX_EACCES; /* another's I/O: ptrace's read access (procio.c) */
    return inode_fops.read(c, f, ubuf, len, at);
}

static int64_t set_write(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, int64_t at)
{
    const char *name;
    if (at >= 0 && node_proc(f->inode, &name) && strcmp(name, "comm") == 0)
        return -LINUX_ESPIPE; /* a seq_file: no pwrite */
    if (!len && node_proc(f->inode, &name) && userns_file(name)) /* nothing written is still parsed: EINVAL */
        return procpidset_write(f->inode, at >= 0 ? (uint64_t)at : f->pos, "", 0);
    return inode_fops.write(c, f, ubuf, len, at);
}

static int64_t set_kread(struct file *f, char *buf, uint64_t n, uint64_t *pos) { return inode_fops.kread(f, buf, n, pos); }

static int64_t set_kwrite(struct file *f, const char *buf, uint64_t n, uint64_t *pos)
{
    return inode_fops.kwrite(f, buf, n, pos);
}

int procpid_kstrtoint(const char *s, unsigned base, int *res) { return kstrtoint(s, base, res); }

char *procpid_strip(char *s) { return strip(s); }

const struct file_ops procset_fops = {.read = set_read, .write = set_write, .kread = set_kread, .kwrite = set_kwrite,
                                      .open = set_open};
