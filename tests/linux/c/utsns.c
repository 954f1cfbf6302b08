/*
 * tests/linux/c/utsns.c - UTS namespaces: unshare(CLONE_NEWUTS) and
 * clone(CLONE_NEWUTS) give a copy of the names (a new uts:[N]); uname,
 * sethostname, setdomainname and /proc/sys/kernel/{hostname,domainname}
 * are the namespace's, seen by its children and nobody else; an open
 * /proc/<pid>/ns/uts keeps the namespace after its processes end and
 * setns joins it; a thread's unshare, or a thread made with
 * clone(CLONE_THREAD|CLONE_NEWUTS), moves that thread alone (its
 * task/TID/ns/uts); a user without CAP_SYS_ADMIN gets EPERM.  Every change
 * is made inside a new namespace, so the host's names stay.  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static char outer[65], outer_link[64];

static void show(const char *what, long r)
{
    printf("%-40s %ld %s\n", what, r, r < 0 ? errno_name(errno) : "");
    errno = 0;
}

static void link_of(const char *path, char *buf, size_t size)
{
    long n = readlink(path, buf, size - 1);
    buf[n < 0 ? 0 : n] = '\0';
}

/* What the caller sees: its names (the outer host name as "OUTER") and
 * whether its namespace is the outer one. */
static void names(const char *who)
{
    struct utsname u;
    char proc_host[80], proc_dom[80], link[64];
    uname(&u);
    read_text("/proc/sys/kernel/hostname", proc_host, sizeof proc_host);
    read_text("/proc/sys/kernel/domainname", proc_dom, sizeof proc_dom);
    proc_host[strcspn(proc_host, "\n")] = proc_dom[strcspn(proc_dom, "\n")] = '\0';
    link_of("/proc/self/ns/uts", link, sizeof link);
    bool same = strcmp(u.nodename, outer) == 0;
    printf("%s: node %s domain %s proc %s/%s outer-ns %d\n", who, same ? "OUTER" : u.nodename,
           strcmp(u.domainname, "(none)") == 0 ? "(none)" : u.domainname,
           strcmp(proc_host, outer) == 0 ? "OUTER" : proc_host, proc_dom, strcmp(link, outer_link) == 0);
}

/* A thread of a process moves to a namespace of its own: the others stay. */
static void *thread_main(void *arg)
{
    (void)arg;
    show("thread: unshare(CLONE_NEWUTS)", unshare(CLONE_NEWUTS));
    show("thread: sethostname(thread)", sethostname("thread", 6));
    names("thread");
    char mine[64], path[64], leader[64];
    snprintf(path, sizeof path, "/proc/self/task/%ld/ns/uts", (long)syscall(SYS_gettid));
    link_of(path, mine, sizeof mine);
    link_of("/proc/self/ns/uts", leader, sizeof leader);
    printf("thread: task/TID/ns/uts is not the process's: %d\n", strcmp(mine, leader) != 0 && mine[0]);
    return NULL;
}

/* A thread made by clone(CLONE_THREAD|CLONE_NEWUTS), which makes raw
 * calls only (it has no thread area of its own): its own namespace. */
static volatile int thread_state;
static volatile long thread_tid;
static int raw_thread(void *arg)
{
    (void)arg;
    thread_tid = syscall(SYS_gettid);
    syscall(SYS_sethostname, "rawthread", 9);
    thread_state = 1;
    while (thread_state != 2)
        syscall(SYS_sched_yield);
    syscall(SYS_exit, 0);
    return 0;
}

static void clone_thread(void)
{
    static char stack[65536] __attribute__((aligned(16)));
    int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_NEWUTS;
    int r = clone(raw_thread, stack + sizeof stack, flags, NULL);
    show("clone(CLONE_THREAD|CLONE_NEWUTS)", r < 0 ? r : 0);
    while (r >= 0 && thread_state != 1)
        sched_yield();
    char mine[64], path[64], leader[64];
    snprintf(path, sizeof path, "/proc/self/task/%ld/ns/uts", thread_tid);
    link_of(path, mine, sizeof mine);
    link_of("/proc/self/ns/uts", leader, sizeof leader);
    printf("cloned thread: its own uts namespace: %d\n", strcmp(mine, leader) != 0 && mine[0]);
    names("cloned thread's process");
    thread_state = 2;
}

static int wait_child(pid_t pid)
{
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    gethostname(outer, sizeof outer);
    link_of("/proc/self/ns/uts", outer_link, sizeof outer_link);
    int up[2];
    pipe(up);

    pid_t a = fork();
    if (a == 0) { /* a namespace of its own, named, then kept waiting */
        show("unshare(CLONE_NEWUTS)", unshare(CLONE_NEWUTS));
        names("a, new");
        char link[64], num[32];
        link_of("/proc/self/ns/uts", link, sizeof link);
        struct stat st;
        stat("/proc/self/ns/uts", &st);
        snprintf(num, sizeof num, "[%lu]", (unsigned long)st.st_ino);
        printf("a: link names its inode: %d\n", strstr(link, num) != NULL);
        show("sethostname(inner-a)", sethostname("inner-a", 7));
        show("setdomainname(dom-a)", setdomainname("dom-a", 5));
        names("a, named");
        int w;
        show("write /proc/sys/kernel/hostname", write_text("/proc/sys/kernel/hostname", "inner-b\n", &w));
        names("a, by /proc");
        pid_t g = fork();
        if (g == 0) {
            names("a's child");
            show("a's child: sethostname(grand)", sethostname("grand", 5));
            _exit(0);
        }
        wait_child(g);
        names("a, after its child");
        write(up[1], "x", 1);
        pause();
        _exit(0);
    }
    char x;
    read(up[0], &x, 1);
    names("parent");
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/uts", (int)a);
    int fd = open(path, O_RDONLY);
    kill(a, SIGKILL);
    printf("a ended: %d\n", wait_child(a));

    pid_t b = fork();
    if (b == 0) { /* the namespace lives on in the open file */
        show("b: setns(a's uts, CLONE_NEWUTS)", setns(fd, CLONE_NEWUTS));
        names("b, in a's");
        show("b: setns(a's uts, CLONE_NEWIPC)", setns(fd, CLONE_NEWIPC));
        _exit(0);
    }
    wait_child(b);

    long c = syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, 0L, 0L, 0L, 0L);
    if (c == 0) {
        names("clone child");
        show("clone child: sethostname(cloned)", sethostname("cloned", 6));
        names("clone child, named");
        _exit(0);
    }
    wait_child((pid_t)c);
    names("parent, at the end");

    pid_t t = fork();
    if (t == 0) {
        pthread_t th;
        pthread_create(&th, NULL, thread_main, NULL);
        pthread_join(th, NULL);
        names("thread's process");
        clone_thread();
        _exit(0);
    }
    wait_child(t);

    pid_t n = fork();
    if (n == 0) {
        if (setgid(65534) || setuid(65534))
            _exit(9);
        show("nobody: unshare(CLONE_NEWUTS)", unshare(CLONE_NEWUTS));
        show("nobody: clone(CLONE_NEWUTS)", syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, 0L, 0L, 0L, 0L));
        show("nobody: setns(a's uts, 0)", setns(fd, 0));
        show("nobody: sethostname", sethostname("x", 1));
        _exit(0);
    }
    printf("nobody: %d\n", wait_child(n));
    close(fd);
    return 0;
}
