/*
 * tests/linux/c/soak.c - a test suite's day, round after round: each round
 * does what a syscall test's harness and body do (a temporary directory, a
 * results file mapped MAP_SHARED into a forked child, SysV and POSIX IPC,
 * pipes, sockets, epoll, eventfd, timerfd, signalfd, inotify, a tmpfs
 * mounted and unmounted, another unmounted lazily while its file is open,
 * a thread, an exec of this program, then removal
 * of it all; and in the second mode an ext2 image mounted from a loop
 * device).  Run bare, a few rounds, printing what each step saw, the
 * same on the host.  Run as "./soak persona-only" (as root, on a machine
 * given to it), it measures MemFree across many rounds after a warm-up:
 * every object a round makes must give its memory back, or a long suite
 * runs the machine out of memory half-way.
 */
#define _GNU_SOURCE
#include "check.h"
#include <mqueue.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include "loopabi.h"
#include <sys/ioctl.h>

static int quiet;
static char ext2_dev[32]; /* persona-only: a loop device holding an ext2 image, mounted each round */

static void say(const char *step, long ok)
{
    if (!quiet || !ok)
        printf("%-24s %s\n", step, ok ? "ok" : errno_name(errno));
}

static void *thread_body(void *arg)
{
    return (char *)arg + 1;
}

static void ipc_objects(void)
{
    int shm = shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600);
    char *p = shm < 0 ? (char *)-1 : shmat(shm, NULL, 0);
    say("shm", shm >= 0 && p != (char *)-1 && (p[4096] = 1) && shmdt(p) == 0 && shmctl(shm, IPC_RMID, NULL) == 0);
    int msq = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    struct { long type; char text[64]; } m = {1, "message"};
    say("msg", msq >= 0 && msgsnd(msq, &m, sizeof m.text, 0) == 0 && msgctl(msq, IPC_RMID, NULL) == 0);
    int sem = semget(IPC_PRIVATE, 4, IPC_CREAT | 0600);
    struct sembuf op = {0, 1, SEM_UNDO};
    say("sem", sem >= 0 && semop(sem, &op, 1) == 0 && semctl(sem, 0, IPC_RMID) == 0);
    struct mq_attr a = {.mq_maxmsg = 4, .mq_msgsize = 64};
    mqd_t q = mq_open("/soak", O_CREAT | O_RDWR, 0600, &a);
    say("mqueue", q != (mqd_t)-1 && mq_send(q, "x", 1, 0) == 0 && mq_close(q) == 0 && mq_unlink("/soak") == 0);
    int sfd = shm_open("/soak", O_CREAT | O_RDWR, 0600);
    say("posix shm", sfd >= 0 && ftruncate(sfd, 65536) == 0 && close(sfd) == 0 && shm_unlink("/soak") == 0);
}

static void event_objects(void)
{
    int p[2], s[2];
    char c = 'x';
    int ep = epoll_create1(EPOLL_CLOEXEC);
    int ok = ep >= 0 && pipe(p) == 0 && socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0;
    struct epoll_event ev = {.events = EPOLLIN};
    ok = ok && epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0 && epoll_ctl(ep, EPOLL_CTL_ADD, s[0], &ev) == 0;
    ok = ok && write(p[1], &c, 1) == 1 && write(s[1], &c, 1) == 1 && epoll_wait(ep, &ev, 1, 0) == 1;
    say("pipe socket epoll", ok);
    int efd = eventfd(1, 0);
    int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = {.it_value = {0, 1000000}};
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    int sfd = signalfd(-1, &set, 0);
    int ifd = inotify_init1(0);
    ok = efd >= 0 && tfd >= 0 && timerfd_settime(tfd, 0, &its, NULL) == 0 && sfd >= 0 && ifd >= 0 &&
         inotify_add_watch(ifd, ".", IN_CREATE) >= 0;
    say("eventfd timerfd ...", ok);
    int fds[] = {ep, p[0], p[1], s[0], s[1], efd, tfd, sfd, ifd};
    for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++)
        close(fds[i]);
}

static void round_trip(const char *self)
{
    char dir[] = "/tmp/soakXXXXXX";
    int ok = mkdtemp(dir) && chdir(dir) == 0;
    say("tmpdir", ok);
    int fd = open("results", O_CREAT | O_RDWR, 0600);
    int *res = MAP_FAILED;
    if (fd >= 0 && ftruncate(fd, 4096) == 0)
        res = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    pid_t pid = res == MAP_FAILED ? -1 : fork();
    if (pid == 0) {
        res[0] = 42;
        char *big = malloc(1 << 20);
        if (big)
            memset(big, 1, 1 << 20);
        _exit(0);
    }
    int st = -1;
    say("shared results", pid > 0 && waitpid(pid, &st, 0) == pid && st == 0 && res[0] == 42);
    if (res != MAP_FAILED)
        munmap(res, 4096);
    close(fd);
    ipc_objects();
    event_objects();
    ok = mkdir("mnt", 0700) == 0 && mount("soak", "mnt", "tmpfs", 0, "size=1m") == 0;
    int f = ok ? open("mnt/file", O_CREAT | O_WRONLY, 0600) : -1;
    ok = ok && f >= 0 && write(f, "data", 4) == 4 && close(f) == 0 && umount("mnt") == 0;
    say("tmpfs mount", ok || (!quiet && errno == EPERM));
    /* a tmpfs unmounted lazily while a file of it is open: written to
     * after, then closed, which lets it go */
    ok = mkdir("lazy", 0700) == 0 && mount("soak", "lazy", "tmpfs", 0, NULL) == 0;
    f = ok ? open("lazy/file", O_CREAT | O_RDWR, 0600) : -1;
    static char chunk[65536];
    ok = ok && f >= 0 && umount2("lazy", MNT_DETACH) == 0 && write(f, chunk, sizeof chunk) == sizeof chunk &&
         close(f) == 0 && rmdir("lazy") == 0;
    say("lazy unmount", ok || (!quiet && errno == EPERM));
    if (*ext2_dev) {
        ok = mount(ext2_dev, "mnt", "ext2", 0, NULL) == 0;
        f = ok ? open("mnt/file", O_CREAT | O_WRONLY, 0600) : -1;
        ok = ok && f >= 0 && write(f, "data", 4) == 4 && close(f) == 0 && unlink("mnt/file") == 0 &&
             umount("mnt") == 0;
        say("ext2 mount", ok);
    }
    pthread_t t;
    void *ret = NULL;
    say("thread", pthread_create(&t, NULL, thread_body, (void *)1) == 0 && pthread_join(t, &ret) == 0 &&
                      ret == (void *)2);
    pid = fork();
    if (pid == 0) {
        execl(self, self, "child", (char *)NULL);
        _exit(127);
    }
    say("exec", pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7);
    ok = unlink("results") == 0 && rmdir("mnt") == 0 && chdir("/") == 0 && rmdir(dir) == 0;
    say("clean-up", ok);
}

/* MemFree, after a pause that lets a lazily unmounted file system's
 * last user's leaving be seen (Linux frees its superblock at once;
 * Persona looks every 20 ms) */
static long mem_free_kib(void)
{
    struct timespec pause = {0, 100000000};
    nanosleep(&pause, NULL);
    char buf[4096];
    if (read_text("/proc/meminfo", buf, sizeof buf) < 0)
        return -1;
    char *p = strstr(buf, "MemFree:");
    return p ? strtol(p + 8, NULL, 10) : -1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0)
        return 7;
    char self[256];
    long n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n < 0)
        return 1;
    self[n] = '\0';
    if (argc == 1) {
        round_trip(self);
        return 0;
    }
    /* an ext2 image on a loop device, as a suite's device tests make one */
    int img = open("/tmp/soak.img", O_CREAT | O_RDWR | O_TRUNC, 0600), ctl = open("/dev/loop-control", O_RDWR);
    long n_loop = ctl < 0 ? -1 : ioctl(ctl, LOOP_CTL_GET_FREE);
    snprintf(ext2_dev, sizeof ext2_dev, "/dev/loop%ld", n_loop);
    int dev = n_loop < 0 ? -1 : open(ext2_dev, O_RDWR);
    char cmd[64];
    snprintf(cmd, sizeof cmd, "mke2fs -q %s > /dev/null", ext2_dev);
    if (img < 0 || ftruncate(img, 4 << 20) < 0 || dev < 0 || ioctl(dev, LOOP_SET_FD, img) < 0 || system(cmd) != 0) {
        printf("no ext2 image on a loop device\n");
        return 1;
    }
    quiet = 1;
    for (int i = 0; i < 10; i++)
        round_trip(self);
    long before = mem_free_kib();
    for (int i = 0; i < 200; i++)
        round_trip(self);
    long after = mem_free_kib();
    if (before - after < 32)
        printf("steady over 200 rounds\n");
    else
        printf("grew by %ld KiB over 200 rounds\n", before - after);
    return 0;
}
