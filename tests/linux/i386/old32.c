/*
 * tests/linux/i386/old32.c - i386's old calls and its 32-bit timer
 * structures, made raw (syscall(), i386 numbers): umount, nice, signal's
 * one-shot handler and the old handler it answers, sgetmask and ssetmask,
 * olduname and oldolduname against uname, getdents' 32-bit linux_dirent
 * and readdir's one old_linux_dirent a call, oldstat's
 * __old_kernel_stat, stime's EFAULT and EPERM, sched_rr_get_interval,
 * timerfd and POSIX timers with 32-bit itimerspecs and timer_create's
 * compat sigevent.  Built gcc -m32 -static; the output must equal the
 * host Linux's running the same binary (run as root).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../c/check.h"

struct ts32 { int32_t sec, nsec; };
struct its32 { struct ts32 interval, value; };

static volatile int hits, value;

static sigjmp_buf back;

/* signal() gives no restorer, so returning would take the return code on
 * the stack (Linux: the vDSO's); the handler jumps out instead. */
static void on_usr1(int sig)
{
    (void)sig;
    hits++;
    siglongjmp(back, 1);
}

static void on_timer(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    hits++;
    value = si->si_value.sival_int;
}

static void signal_calls(void)
{
    CHECK(syscall(SYS_signal, SIGUSR1, on_usr1) == 0);
    CHECK(syscall(SYS_signal, SIGUSR1, on_usr1) == (long)on_usr1);
    if (!sigsetjmp(back, 1))
        raise(SIGUSR1);
    printf("  hits %d; the handler is reset: %d\n", hits, syscall(SYS_signal, SIGUSR1, SIG_IGN) == (long)SIG_DFL);
    CHECK(syscall(SYS_signal, SIGKILL, SIG_IGN));
    CHECK(syscall(SYS_signal, 99, SIG_IGN));
    signal(SIGUSR1, SIG_DFL);
    CHECK(syscall(SYS_sgetmask));
    CHECK(syscall(SYS_ssetmask, (1 << (SIGUSR2 - 1)) | (1 << (SIGKILL - 1))));
    CHECK(syscall(SYS_sgetmask));
    sigset_t s;
    sigprocmask(SIG_BLOCK, NULL, &s);
    printf("  SIGUSR2 blocked %d, SIGKILL %d\n", sigismember(&s, SIGUSR2), sigismember(&s, SIGKILL));
    CHECK(syscall(SYS_ssetmask, -1));
    sigprocmask(SIG_BLOCK, NULL, &s);
    printf("  all: SIGRTMIN+3 blocked %d, SIGSTOP %d\n", sigismember(&s, SIGRTMIN + 3), sigismember(&s, SIGSTOP));
    CHECK(syscall(SYS_ssetmask, 0));
}

static void uname_calls(void)
{
    struct utsname u;
    uname(&u);
    char old[5][65], oldold[5][9];
    memset(old, 'x', sizeof old);
    memset(oldold, 'x', sizeof oldold);
    CHECK(syscall(SYS_olduname, old));
    CHECK(syscall(SYS_oldolduname, oldold));
    printf("  olduname: same %d %d %d %d %d\n", !strcmp(old[0], u.sysname), !strcmp(old[1], u.nodename),
           !strcmp(old[2], u.release), !strcmp(old[3], u.version), !strcmp(old[4], u.machine));
    printf("  oldolduname: %s %d %d, ends %d\n", oldold[0], !strncmp(oldold[2], u.release, 8),
           !strncmp(oldold[4], u.machine, 8), oldold[3][8] == 0);
    CHECK(syscall(SYS_olduname, NULL));
    CHECK(syscall(SYS_oldolduname, (void *)16));
}

static int by_name(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }

static void dir_calls(void)
{
    mkdir("d32", 0755);
    const char *names[] = {"alpha", "b", "a-rather-longer-name-than-the-others", "sub"};
    int fd = open("d32", O_RDONLY | O_DIRECTORY);
    for (int i = 0; i < 3; i++)
        close(openat(fd, names[i], O_CREAT | O_WRONLY, 0644));
    mkdirat(fd, "sub", 0755);
    char buf[4096], *seen[16];
    int n = 0, total = 0, calls = 0;
    long r;
    while ((r = syscall(SYS_getdents, fd, buf, 64)) > 0) { /* a few at a time */
        calls++;
        for (long at = 0; at < r;) {
            uint16_t reclen;
            memcpy(&reclen, buf + at + 8, 2);
            char *name = buf + at + 10;
            if (n < 16 && asprintf(&seen[n], "%s (reclen %u type %d)", name, reclen, buf[at + reclen - 1]) > 0)
                n++;
            at += reclen, total++;
        }
    }
    qsort(seen, n, sizeof *seen, by_name);
    printf("getdents: %d entries, more than one call %d, end %ld\n", total, calls > 1, r);
    for (int i = 0; i < n; i++)
        printf("  %s\n", seen[i]);
    lseek(fd, 0, SEEK_SET);
    CHECK(syscall(SYS_getdents, fd, buf, 12));
    CHECK(syscall(SYS_getdents, 999, buf, sizeof buf));
    CHECK(syscall(SYS_getdents, fd, (void *)16, sizeof buf));
    lseek(fd, 0, SEEK_SET);
    n = 0;
    struct { uint32_t ino, off; uint16_t len; char name[256]; } old;
    while ((r = syscall(SYS_readdir, fd, &old, 1)) == 1)
        if (n < 16)
            seen[n++] = strndup(old.name, old.len);
    qsort(seen, n, sizeof *seen, by_name);
    printf("readdir: %d entries, end %ld:", n, r);
    for (int i = 0; i < n; i++)
        printf(" %s", seen[i]);
    printf("\n");
    close(fd);
}

static void stat_calls(void)
{
    struct { uint16_t dev, ino, mode, nlink, uid, gid, rdev, pad; uint32_t size, atime, mtime, ctime; } o;
    int fd = open("d32/alpha", O_WRONLY);
    write(fd, "12345", 5);
    struct stat st;
    fstat(fd, &st);
    long r = syscall(SYS_oldfstat, fd, &o);
    if (r == 0)
        printf("oldfstat: %s\n", o.ino == (uint16_t)st.st_ino && o.mode == st.st_mode && o.size == 5 && o.nlink == 1 &&
                                      o.mtime == (uint32_t)st.st_mtime ? "fits" : "differs");
    else
        printf("oldfstat: %s\n", errno == EOVERFLOW && st.st_ino > 0xffff ? "fits" : strerror(errno));
    r = syscall(SYS_oldstat, "d32/alpha", &o);
    printf("oldstat: %s\n", r == 0 || (errno == EOVERFLOW && st.st_ino > 0xffff) ? "fits" : strerror(errno));
    CHECK(syscall(SYS_oldstat, "d32/missing", &o));
    CHECK(syscall(SYS_oldlstat, "d32/missing", (void *)16));
    CHECK(syscall(SYS_oldfstat, 999, &o));
    close(fd);
}

static void timer_calls(void)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    struct its32 it = {{1, 500000000}, {10, 0}}, old, cur;
    CHECK(syscall(SYS_timerfd_settime, fd, 0, &it, NULL));
    it.value.sec = 20;
    CHECK(syscall(SYS_timerfd_settime, fd, 0, &it, &old));
    printf("  old: interval %d.%09d, value under 10 s %d\n", old.interval.sec, old.interval.nsec,
           old.value.sec < 10 && old.value.sec >= 9);
    CHECK(syscall(SYS_timerfd_gettime, fd, &cur));
    printf("  now: interval %d.%09d, value near 20 s %d\n", cur.interval.sec, cur.interval.nsec,
           cur.value.sec < 20 && cur.value.sec >= 19);
    it.value.nsec = 1000000000;
    CHECK(syscall(SYS_timerfd_settime, fd, 0, &it, NULL));
    CHECK(syscall(SYS_timerfd_gettime, fd, (void *)16));
    close(fd);

    struct sigaction sa = {0};
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    struct { int32_t value, signo, notify, tid; int32_t pad[12]; } ev = {4242, SIGUSR2, SIGEV_SIGNAL, 0, {0}};
    int id = -1;
    hits = 0;
    CHECK(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id));
    struct its32 t = {{0, 0}, {0, 20000000}};
    CHECK(syscall(SYS_timer_settime, id, 0, &t, NULL));
    while (!hits)
        pause();
    printf("  timer fired: value %d\n", value);
    t.value.sec = 30;
    CHECK(syscall(SYS_timer_settime, id, 0, &t, NULL));
    CHECK(syscall(SYS_timer_gettime, id, &cur));
    printf("  gettime: near 30 s %d\n", cur.value.sec >= 29 && cur.value.sec <= 30);
    CHECK(syscall(SYS_timer_getoverrun, id));
    CHECK(syscall(SYS_timer_delete, id));
    CHECK(syscall(SYS_timer_gettime, id, &cur));
    CHECK(syscall(SYS_timer_create, CLOCK_MONOTONIC, (void *)16, &id));
    ev.notify = 12345;
    CHECK(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id));
    struct ts32 q;
    CHECK(syscall(SYS_sched_rr_get_interval, 0, &q));
    CHECK(syscall(SYS_sched_rr_get_interval, 0, (void *)16));
    CHECK(syscall(SYS_sched_rr_get_interval, -1, &q));
}

/* In a child that is no longer root. */
static void unprivileged(void)
{
    CHECK(syscall(SYS_nice, 3));
    CHECK(getpriority(PRIO_PROCESS, 0));
    CHECK(syscall(SYS_nice, 100));
    CHECK(getpriority(PRIO_PROCESS, 0));
    setuid(1000);
    CHECK(syscall(SYS_nice, -1));
    CHECK(syscall(SYS_nice, 0));
    CHECK(getpriority(PRIO_PROCESS, 0));
    int32_t t = 1000000000;
    CHECK(syscall(SYS_stime, (void *)16));
    CHECK(syscall(SYS_stime, &t));
    CHECK(syscall(SYS_umount, "/tmp"));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    chdir("/tmp");
    signal_calls();
    uname_calls();
    dir_calls();
    stat_calls();
    timer_calls();
    CHECK(syscall(SYS_umount, "/tmp/d32/sub"));
    CHECK(syscall(SYS_umount, "/tmp/d32/missing"));
    pid_t pid = fork();
    if (pid == 0) {
        unprivileged();
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child exit %d\n", WEXITSTATUS(st));
    system("rm -rf /tmp/d32");
    return 0;
}
