/*
 * personalities/linux/procpidinfo.c - the smaller files of /proc/PID that
 * tools read to learn where a process is and what it belongs to: wchan (the Linux
 * function its wait would sleep in), timers (its POSIX timers, as
 * CONFIG_CHECKPOINT_RESTORE's), schedstat, mountstats, net (the network
 * tables, as /proc/net), cgroup and cpuset (the root group: Persona has
 * no control groups), arch_status (empty: no AVX-512 to time),
 * ksm_merging_pages and ksm_stat (no page is merged).
 *
 * Entry points: procpidinfo_file (procfs.h).  Callers: procpid.c.
 * Layer: procfs, which shows processes.  Book: docs/linux.md, "/proc".
 */
#include "cgroup.h"
#include "linux_names.h"
#include "proc.h"
#include "procfs.h"
#include "ptimer.h"
#include "tty.h"
#include "wait.h"
#include <stdio.h>
#include <string.h>

/* The function Linux 6.1's get_wchan finds for a wait of this kind (the
 * first caller outside the scheduler), as near as the server knows the
 * wait: "0" for a thread that runs. */
static const char *wchan_of(struct proc *t)
{
    struct proc *g = proc_group(t);
    if (t->zombie)
        return "0";
    if (t->pt.stopped)
        return "ptrace_stop";
    if (g->job.stopped)
        return "do_signal_stop";
    if (t->block.pipe)
        return t->block.writer ? "pipe_write" : "pipe_read";
    if (t->reap.waiting)
        return "do_wait";
    if (tty_waiting(t))
        return "wait_woken";
    switch (t->wait.kind) {
    case WAIT_POLL:
    case WAIT_SELECT: return "poll_schedule_timeout.constprop.0";
    case WAIT_SLEEP: return "hrtimer_nanosleep";
    case WAIT_SIGSUSPEND: return t->wait_nr == LNR_pause ? "__do_sys_pause" : "sigsuspend";
    case WAIT_SIGWAIT: return "do_sigtimedwait";
    case WAIT_FUTEX: return "futex_wait_queue";
    case WAIT_FUTEXV: return "futex_wait_multiple";
    case WAIT_COUNTER: return "do_wait_intr_irq";
    case WAIT_ACCEPT: return "inet_csk_accept";
    case WAIT_CONNECT:
    case WAIT_UNIXQ: return "unix_wait_for_peer";
    case WAIT_EPOLL: return "ep_poll";
    case WAIT_FLOCK: return "locks_lock_inode_wait";
    case WAIT_RECLOCK: return "do_lock_file_wait";
    case WAIT_READ: return "wait_woken";
    case WAIT_SPLICE: return "pipe_wait_readable";
    case WAIT_SYSV:
        return t->wait_nr == LNR_msgrcv ? "do_msgrcv" : t->wait_nr == LNR_msgsnd ? "do_msgsnd" : "__do_semtimedop";
    case WAIT_MQUEUE: return "wq_sleep";
    case WAIT_DGRAM: return "__skb_wait_for_more_packets";
    case WAIT_AIO: return "read_events";
    case WAIT_AIOSUB: return "aio_poll";
    case WAIT_SECCOMP: return "seccomp_notify_recv";
    case WAIT_IOURING: return "io_cqring_wait";
    case WAIT_LEASE: return "__break_lease";
    case WAIT_FANPERM: return "fanotify_get_response";
    default: return "0";
    }
}

/* wchan: "0" unless the reader may read the thread as ptrace would, as
 * Linux's proc_pid_wchan; no newline. */
static void wchan_file(struct inode *d, struct proc *t, const char *name)
{
    struct proc *v = procfs_viewer();
    procfs_put("%s", v == t || (v && !proc_may_ptrace(v, proc_group(t))) ? "0" : wchan_of(t)); /* the reader runs */
    procfs_file(d, name);
}

static void timer_line(int id, int signo, uint64_t value, int notify, int pid, int32_t clock)
{
    static const char *const how[] = {"signal", "none", "thread"}; /* SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD */
    int kind = notify & ~SIGEV_THREAD_ID;
    procfs_put("ID: %d\nsignal: %d/%016lx\nnotify: %s/%s.%d\nClockID: %d\n", id, signo, (unsigned long)value,
               kind >= 0 && kind < 3 ? how[kind] : "signal", (notify & SIGEV_THREAD_ID) ? "tid" : "pid", pid, clock);
}

/* schedstat: the CPU time in ns (as sched's se.sum_exec_runtime), the
 * time waited to run (not kept: 0) and the turns on the CPU (the waits
 * it came back from, and its first). */
static void schedstat_file(struct inode *d, struct proc *t, const char *name)
{
    uint64_t ut, st;
    proc_thread_cpu_ns(t, &ut, &st);
    procfs_put("%lu 0 %lu\n", (unsigned long)(ut + st), (unsigned long)(t->counts.switches + 1));
    procfs_file(d, name);
}

/* mountstats: a line per mount, from the mount table's own ("device D
 * mounted on M with fstype T"). */
static void mountstats_file(struct inode *d, const char *name)
{
    static char table[16384];
    size_t n = mount_table_text(table, sizeof table - 1, false);
    table[n] = '\0';
    for (char *line = table, *end; *line; line = end + 1) {
        char dev[256], dir[1024], type[64];
        if (!(end = strchr(line, '\n')))
            break;
        *end = '\0';
        if (sscanf(line, "%255s %1023s %63s", dev, dir, type) == 3)
            procfs_put("device %s mounted on %s with fstype %s\n", dev, dir, type);
    }
    procfs_file(d, name);
}

void procpidinfo_file(struct inode *d, struct proc *p, const char *name)
{
    struct proc *g = proc_group(p);
    if (strcmp(name, "net") == 0) {
        procglobal_write(d, name); /* the one network namespace's tables */
        return;
    }
    if (strcmp(name, "wchan") == 0) {
        wchan_file(d, p, name);
        return;
    }
    if (strcmp(name, "schedstat") == 0) {
        schedstat_file(d, p, name);
        return;
    }
    if (strcmp(name, "mountstats") == 0) {
        mountstats_file(d, name);
        return;
    }
    if (strcmp(name, "timers") == 0)
        ptimer_each(g, timer_line);
    else if (strcmp(name, "cgroup") == 0) {
        char line[PATH_MAX_LEN + 8];
        cgroup_proc_text(procfs_viewer(), p, line, sizeof line);
        procfs_put("%s", line);
    }
    else if (strcmp(name, "cpuset") == 0)
        procfs_put("/\n");

    else if (strcmp(name, "ksm_merging_pages") == 0)
        procfs_put("0\n");
    else if (strcmp(name, "ksm_stat") == 0 && !g->zombie)
        procfs_put("ksm_rmap_items 0\n");
    procfs_file(d, name); /* arch_status: empty */
}
