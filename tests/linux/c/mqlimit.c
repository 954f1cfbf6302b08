/*
 * tests/linux/c/mqlimit.c - RLIMIT_MSGQUEUE, as Linux's mqueue_get_inode:
 * mq_open with O_CREAT charges the creator's real user a queue's most:
 * maxmsg * (sizeof(struct msg_msg) + msgsize) + min(maxmsg, MQ_PRIO_MAX) *
 * sizeof(struct posix_msg_tree_node), 48 and 48 bytes on x86-64; past the
 * soft limit EMFILE.  The charge goes when the queue does (unlinked and
 * its last descriptor closed); opening a queue that exists charges
 * nothing.  Runs as a user of its own (uid 4321), whose count starts at 0.
 * And /proc/sys/fs/mqueue/queues_max: past it a user without
 * CAP_SYS_RESOURCE gets ENOSPC, before the attributes are looked at
 * (Linux's mqueue_create_attr counts, then mqueue_get_inode checks), in
 * an IPC namespace of its own on the host (unshare, as root).
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <mqueue.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* mq_open without the C library's name mangling: the call's own */
static long mqopen(const char *name, int flags, long maxmsg, long msgsize)
{
    struct mq_attr a = {.mq_maxmsg = maxmsg, .mq_msgsize = msgsize};
    return syscall(SYS_mq_open, name, flags, 0600, maxmsg ? &a : NULL);
}

static void show(const char *what, long r)
{
    printf("%-44s = %s %s\n", what, r < 0 ? "-1" : "fd", r < 0 ? (errno == EMFILE ? "EMFILE" : errno_name(errno)) : "");
    errno = 0;
}

static void setlimit(unsigned long n)
{
    struct rlimit r = {n, 819200}; /* the soft limit: the hard one stays (no raising it back) */
    printf("limit %lu: %d\n", n, setrlimit(RLIMIT_MSGQUEUE, &r));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct rlimit r;
    getrlimit(RLIMIT_MSGQUEUE, &r);
    printf("default %lu %lu\n", (unsigned long)r.rlim_cur, (unsigned long)r.rlim_max);
    pid_t pid = fork();
    if (pid == 0) {
        if (setresuid(4321, 4321, 4321) < 0)
            return 1;
        /* 4 messages of 100: 4 * (48 + 100) + 4 * 48 = 784 */
        setlimit(783);
        show("create 4x100 (784)", mqopen("mqlimit-a", O_CREAT | O_RDWR, 4, 100));
        setlimit(784);
        long a = mqopen("mqlimit-a", O_CREAT | O_RDWR, 4, 100);
        show("create 4x100 (784)", a);
        show("create 1x1 (97)", mqopen("mqlimit-b", O_CREAT | O_RDWR, 1, 1));
        show("open the first again", mqopen("mqlimit-a", O_RDWR, 0, 0));
        show("open it again with O_CREAT", mqopen("mqlimit-a", O_CREAT | O_RDWR, 4, 100));
        printf("unlink: %d\n", mq_unlink("mqlimit-a"));
        show("create 1x1 (97), first still open", mqopen("mqlimit-b", O_CREAT | O_RDWR, 1, 1));
        for (int fd = 3; fd < 10; fd++)
            close(fd);
        show("create 1x1 (97), first closed", mqopen("mqlimit-b", O_CREAT | O_RDWR, 1, 1));
        mq_unlink("mqlimit-b");
        for (int fd = 3; fd < 10; fd++)
            close(fd);
        /* the default limit: 10 messages of 8192 are 82880 bytes; 819200 takes 9 */
        setlimit(819200);
        char name[32];
        for (int i = 0; i < 10; i++) {
            snprintf(name, sizeof name, "mqlimit-%d", i);
            show(name, mqopen(name, O_CREAT | O_RDWR, 0, 0));
        }
        for (int i = 0; i < 10; i++) {
            snprintf(name, sizeof name, "mqlimit-%d", i);
            mq_unlink(name);
        }
        return 0;
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child exit %d\n", WEXITSTATUS(status));
    if ((pid = fork()) == 0) {
        unshare(CLONE_NEWIPC);
        int opened;
        if (write_text("/proc/sys/fs/mqueue/queues_max", "1", &opened) < 0 || setresuid(4322, 4322, 4322) < 0)
            return 1;
        show("queues_max 1: the first", mqopen("mqlimit-q1", O_CREAT | O_RDWR, 0, 0));
        show("the second", mqopen("mqlimit-q2", O_CREAT | O_RDWR, 0, 0));
        show("the second, 0 messages", mqopen("mqlimit-q2", O_CREAT | O_RDWR, -1, 1));
        show("the second, too many", mqopen("mqlimit-q2", O_CREAT | O_RDWR, 11, 100));
        show("the first again", mqopen("mqlimit-q1", O_RDWR, 0, 0));
        mq_unlink("mqlimit-q1");
        show("the first gone, too many", mqopen("mqlimit-q2", O_CREAT | O_RDWR, 11, 100));
        return 0;
    }
    waitpid(pid, &status, 0);
    printf("child exit %d\n", WEXITSTATUS(status));
    return 0;
}
