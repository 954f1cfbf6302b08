/*
 * tests/linux/c/forkfdtable.c - a fork's child has a descriptor table of
 * its own: whatever one side changes after the fork (open, close, dup,
 * dup2, dup3, F_DUPFD, pipe, F_SETFD, FIOCLEX, close_range's CLOSE_RANGE_CLOEXEC
 * and its closing), whichever side changes first, the other side's table
 * (fcntl F_GETFD, fstat, pread, /proc/self/fd) is as it was; a vfork child's
 * too; threads share their process's table, and a clone(CLONE_FILES)
 * process its parent's, while a fork of them keeps its own.  Record locks
 * belong to the process (its table): a child's close of its copy of a
 * descriptor, its exit or its exec leaves the parent's locks, its own go
 * when it exits, and an exec that closes a close-on-exec descriptor of the
 * file drops the process's locks on it.  One line per check; the output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SPAN 48      /* the descriptors described: 3..SPAN-1 (the runner's 0..2 differ) */
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC 4 /* linux/close_range.h */
#endif

#define MANY 200     /* descriptors open past them, so that the table has grown */
#define MANY_AT 100

static ino_t ino_a, ino_b;
static pid_t main_pid;

/* fork, with nothing of stdout's buffer left for the child to print again. */
static pid_t fork_flushed(void)
{
    fflush(stdout);
    return fork();
}

/* What descriptor fd is: "-" (not open), or A, B or other, with "+c" if close-on-exec. */
static void describe_fd(char *out, size_t n, int fd)
{
    int fl = fcntl(fd, F_GETFD);
    struct stat st;
    if (fl < 0 || fstat(fd, &st) < 0) {
        snprintf(out, n, "-");
        return;
    }
    char head[4] = "";
    const char *what = st.st_ino == ino_a ? "A" : st.st_ino == ino_b ? "B" : S_ISFIFO(st.st_mode) ? "P" : "o";
    if (S_ISREG(st.st_mode) && pread(fd, head, 1, 0) != 1)
        head[0] = '?';
    snprintf(out, n, "%s%s%s", what, head, (fl & FD_CLOEXEC) ? "+c" : "");
}

/* The table's descriptors 3..SPAN-1 on one line, and how many of the many are open. */
static void describe(const char *who)
{
    char line[SPAN * 8] = "", one[8];
    for (int fd = 3; fd < SPAN; fd++) {
        describe_fd(one, sizeof one, fd);
        snprintf(line + strlen(line), sizeof line - strlen(line), " %s", one);
    }
    int many = 0;
    for (int fd = MANY_AT; fd < MANY_AT + MANY; fd++)
        many += fcntl(fd, F_GETFD) >= 0;
    printf("%s:%s | many %d\n", who, line, many);
    fflush(stdout);
}

/* Whether /proc/self/fd lists exactly the descriptors fcntl finds open. */
static void proc_listing(const char *who)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d) {
        printf("%s: /proc/self/fd: %s\n", who, strerror(errno));
        return;
    }
    int listed = 0, open_ = 0, own = dirfd(d), agree = 1;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.') {
            listed++;
            agree &= fcntl(atoi(e->d_name), F_GETFD) >= 0;
        }
    closedir(d);
    for (int fd = 0; fd < 1024; fd++)
        open_ += fd != own && fcntl(fd, F_GETFD) >= 0;
    printf("%s: /proc/self/fd lists what fcntl finds: %d\n", who, agree && listed == open_ + 1);
    fflush(stdout);
}

/* The changes one side makes, each printed. */
static void change(const char *who)
{
    printf("%s changes:\n", who);
    CHECK(close(4));
    CHECK(open("forkfdtable-b", O_RDONLY));
    CHECK(dup2(3, 20));
    CHECK(dup3(3, 21, O_CLOEXEC));
    CHECK(fcntl(3, F_DUPFD, 30));
    CHECK(fcntl(5, F_SETFD, FD_CLOEXEC));
    CHECK(fcntl(6, F_SETFD, 0));
    CHECK(ioctl(7, FIOCLEX));
    CHECK(ioctl(8, FIONCLEX));
    CHECK(syscall(SYS_close_range, 9, 10, CLOSE_RANGE_CLOEXEC));
    CHECK(syscall(SYS_close_range, 11, 12, 0));
    CHECK(close(MANY_AT + 7));
    int p[2];
    CHECK(pipe(p));
    CHECK(p[0]);
    describe(who);
}

/* The table the test starts every round with: 3, 5, 7, 9, 11, 12 on A;
 * 4, 6, 8, 10 on B; 6 and 8 close-on-exec; MANY more on A. */
static void setup(void)
{
    for (int fd = 3; fd < MANY_AT + MANY + 8; fd++)
        close(fd);
    for (int fd = 3; fd <= 12; fd++) {
        int f = open(fd % 2 ? "forkfdtable-a" : "forkfdtable-b", O_RDONLY | (fd == 6 || fd == 8 ? O_CLOEXEC : 0));
        if (f != fd)
            printf("setup: %d at %d\n", f, fd);
    }
    for (int fd = MANY_AT; fd < MANY_AT + MANY; fd++)
        dup2(3, fd);
}

static void sync_wait(int fd)
{
    char c;
    if (read(fd, &c, 1) != 1)
        printf("sync: %s\n", strerror(errno));
}

static void sync_post(int fd)
{
    fflush(stdout);
    if (write(fd, "x", 1) != 1)
        printf("sync: %s\n", strerror(errno));
}

/* A fork where one side changes its table first and the other then looks
 * at its own, then the other way round. */
static void round_trip(bool child_first)
{
    setup();
    int to_child[2], to_parent[2];
    if (pipe2(to_child, O_CLOEXEC) || pipe2(to_parent, O_CLOEXEC) || dup2(to_child[0], 60) < 0 ||
        dup2(to_child[1], 61) < 0 || dup2(to_parent[0], 62) < 0 || dup2(to_parent[1], 63) < 0)
        return;
    for (int i = 0; i < 2; i++)
        close(to_child[i]), close(to_parent[i]);
    printf("-- round, the %s changes first\n", child_first ? "child" : "parent");
    describe("before");
    pid_t pid = fork_flushed();
    if (pid == 0) {
        if (child_first) {
            change("child");
            sync_post(63);
            sync_wait(60);
            describe("child after the parent's changes");
            proc_listing("child");
        } else {
            sync_wait(60);
            describe("child after the parent's changes");
            change("child");
            proc_listing("child"); /* before the parent goes on and prints */
            sync_post(63);
        }
        _exit(0);
    }
    if (child_first) {
        sync_wait(62);
        describe("parent after the child's changes");
        change("parent");
        sync_post(61);
    } else {
        change("parent");
        sync_post(61);
        sync_wait(62);
        describe("parent after the child's changes");
    }
    waitpid(pid, NULL, 0);
    describe("parent after the child's exit");
    proc_listing("parent");
}

/* A vfork child's dup2 and close leave its parent's table. */
static void vfork_child(void)
{
    setup();
    printf("-- vfork\n");
    pid_t pid = vfork();
    if (pid == 0) {
        dup2(4, 3);
        close(5);
        fcntl(7, F_SETFD, FD_CLOEXEC);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    describe("parent after the vfork child");
}

static void *thread_change(void *arg)
{
    (void)arg;
    close(3);
    dup2(4, 5);
    fcntl(7, F_SETFD, FD_CLOEXEC);
    return NULL;
}

/* A thread of a process whose table a child shares since the fork: the
 * thread's changes are its process's, not the child's. */
static void thread_after_fork(void)
{
    setup();
    printf("-- a thread changes the table after a fork\n");
    int go[2];
    if (pipe2(go, O_CLOEXEC) || dup2(go[0], 60) < 0 || dup2(go[1], 61) < 0)
        return;
    close(go[0]), close(go[1]);
    pid_t pid = fork_flushed();
    if (pid == 0) {
        sync_wait(60);
        describe("child");
        _exit(0);
    }
    pthread_t t;
    if (pthread_create(&t, NULL, thread_change, NULL) == 0)
        pthread_join(t, NULL);
    describe("parent, after its thread");
    sync_post(61);
    waitpid(pid, NULL, 0);
}

static char clone_stack[65536] __attribute__((aligned(16)));

static int clone_change(void *arg)
{
    (void)arg;
    sync_wait(60);
    close(3);
    dup2(4, 5);
    fcntl(7, F_SETFD, FD_CLOEXEC);
    sync_post(63);
    return 0;
}

/* clone(CLONE_FILES): the clone's changes are its parent's, but not those
 * of a child the parent forked while sharing.  Descriptors 60..65: the
 * parent's word to the clone, the clone's to the child, the child's to
 * the parent. */
static void clone_files_then_fork(void)
{
    setup();
    printf("-- clone(CLONE_FILES), then a fork\n");
    for (int fd = 60; fd < 66; fd += 2) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) || dup2(p[0], fd) < 0 || dup2(p[1], fd + 1) < 0)
            return;
        close(p[0]), close(p[1]);
    }
    fflush(stdout);
    pid_t sharer = clone(clone_change, clone_stack + sizeof clone_stack, CLONE_FILES | SIGCHLD, NULL);
    if (sharer < 0) {
        printf("clone: %s\n", strerror(errno));
        return;
    }
    pid_t pid = fork_flushed();
    if (pid == 0) {
        sync_wait(62);
        describe("forked child, after the clone's changes");
        sync_post(65);
        _exit(0);
    }
    sync_post(61);
    sync_wait(64);
    describe("parent, after the clone's changes");
    waitpid(pid, NULL, 0);
    waitpid(sharer, NULL, 0);
    describe("parent, after both ended");
}

/* An epoll instance's interest in a pipe outlives a child's close of its copy. */
static void epoll_after_child_close(void)
{
    printf("-- epoll\n");
    int p[2], ep = epoll_create1(0);
    if (ep < 0 || pipe(p))
        return;
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    pid_t pid = fork_flushed();
    if (pid == 0) {
        close(p[0]);
        close(ep);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    CHECK(write(p[1], "x", 1));
    CHECK(epoll_wait(ep, &ev, 1, 0));
    CHECK(ev.data.u32);
    close(p[0]), close(p[1]), close(ep);
}

/* Whether bytes start..start+len-1 of the file are locked, as another
 * process (a child of the caller) sees them. */
static void probe(const char *what, int fd, long start, long len)
{
    pid_t pid = fork_flushed();
    if (pid == 0) {
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
        if (fcntl(fd, F_GETLK, &fl) < 0)
            printf("%s: %s\n", what, strerror(errno));
        else
            printf("%s: %s\n", what, fl.l_type == F_UNLCK          ? "free"
                                    : fl.l_pid == main_pid ? "locked by the test's first process"
                                    : fl.l_pid == getppid() ? "locked by the prober's parent"
                                                            : "locked by another");
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

static int lock(int fd, int type, long start, long len)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    return fcntl(fd, F_SETLK, &fl);
}

/* The exec'd image of exec_locks: its locks on the file, seen by a child. */
static int after_exec(int fd)
{
    main_pid = getppid();
    probe("after exec, 0..9 (the exec'ing process's lock)", fd, 0, 10);
    probe("after exec, 40..49 (its parent's lock)", fd, 40, 10);
    return 0;
}

/* A child locks, maybe opens the file again close-on-exec, and execs. */
static void exec_locks(int fd, bool cloexec_copy)
{
    pid_t pid = fork_flushed();
    if (pid == 0) {
        if (lock(fd, F_WRLCK, 0, 10) < 0)
            printf("lock: %s\n", strerror(errno));
        if (cloexec_copy && open("forkfdtable-l", O_RDWR | O_CLOEXEC) < 0)
            printf("open: %s\n", strerror(errno));
        char arg[16];
        snprintf(arg, sizeof arg, "%d", fd);
        execl("/proc/self/exe", "forkfdtable", "after-exec", arg, (char *)NULL);
        printf("exec: %s\n", strerror(errno));
        _exit(1);
    }
    waitpid(pid, NULL, 0);
}

static void record_locks(void)
{
    printf("-- record locks\n");
    int fd = open("forkfdtable-l", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(write(fd, "0123456789", 10));
    CHECK(lock(fd, F_WRLCK, 40, 10));
    pid_t pid = fork_flushed();
    if (pid == 0) { /* its close of its copy, and of another descriptor of the file, leave the parent's lock */
        int again = open("forkfdtable-l", O_RDWR);
        close(fd);
        close(again);
        probe("after the child's closes, 40..49", again = open("forkfdtable-l", O_RDWR), 40, 10);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    probe("after the child's exit, 40..49", fd, 40, 10);
    int go[2], back[2];
    if (pipe(go) || pipe(back))
        return;
    pid = fork_flushed();
    if (pid == 0) { /* a child's own lock, with its table never changed: it goes at the child's exit */
        if (lock(fd, F_WRLCK, 20, 5) < 0)
            printf("lock: %s\n", strerror(errno));
        sync_post(back[1]);
        sync_wait(go[0]);
        _exit(0);
    }
    sync_wait(back[0]);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 20, .l_len = 5};
    CHECK(fcntl(fd, F_GETLK, &fl));
    printf("while the child lives, 20..24: %s by the child %d\n", fl.l_type == F_UNLCK ? "free" : "locked",
           fl.l_pid == pid);
    sync_post(go[1]);
    waitpid(pid, NULL, 0);
    CHECK(fcntl(fd, F_GETLK, &fl));
    printf("after the child's exit, 20..24: %s\n", fl.l_type == F_UNLCK ? "free" : "locked");
    close(go[0]), close(go[1]), close(back[0]), close(back[1]);
    printf("exec with no close-on-exec descriptor of the file:\n");
    exec_locks(fd, false);
    printf("exec with a close-on-exec descriptor of the file:\n");
    exec_locks(fd, true);
    probe("the parent's, after its children's execs, 40..49", fd, 40, 10);
    close(fd);
    unlink("forkfdtable-l");
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "after-exec"))
        return after_exec(atoi(argv[2]));
    main_pid = getpid();
    syscall(SYS_close_range, 3, ~0u, 0); /* whatever the runner left open */
    int a = open("forkfdtable-a", O_RDWR | O_CREAT | O_TRUNC, 0600), b = open("forkfdtable-b", O_RDWR | O_CREAT | O_TRUNC, 0600);
    struct stat st;
    if (a < 0 || b < 0 || write(a, "a", 1) != 1 || write(b, "b", 1) != 1)
        return 1;
    fstat(a, &st), ino_a = st.st_ino;
    fstat(b, &st), ino_b = st.st_ino;
    close(a), close(b);
    round_trip(true);
    round_trip(false);
    vfork_child();
    thread_after_fork();
    clone_files_then_fork();
    epoll_after_child_close();
    record_locks();
    unlink("forkfdtable-a");
    unlink("forkfdtable-b");
    return 0;
}
