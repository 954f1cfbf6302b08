/*
 * tests/linux/c/fanperm.c - fanotify's permission events as root on a
 * tmpfs of its own: a content group's marks (EINVAL in a notification
 * group's and on /proc), a child's open and read waiting for the
 * listener's answer (FAN_ALLOW goes on, FAN_DENY is EPERM), the response
 * write's errors, the notification event that follows an allowed open,
 * FAN_AUDIT with and without FAN_ENABLE_AUDIT, the waiters a closing
 * group lets go (events read and not answered, and events not read yet),
 * a signal that does not end the wait, an O_EXCL creation that waited, a
 * listing, sendfile and copy_file_range asking too, an exec denied by
 * FAN_OPEN_EXEC_PERM, and an exec's FAN_OPEN | FAN_OPEN_EXEC in
 * notification groups. The child says what it saw through a pipe, printed
 * after it ends, so that the output does not depend on the order the two
 * run in. On the host it runs in a mount namespace of its own.
 */
#define _GNU_SOURCE
#include "check.h"
#include "fanabi.h"
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define D "/tmp/fanperm-test"

/* linux/fanotify.h's, which musl's headers do not have */
#define FAN_ACCESS 0x1
#define FAN_OPEN 0x20
#define FAN_ONDIR 0x40000000
#define FAN_OPEN_EXEC 0x1000
#define FAN_OPEN_PERM 0x10000
#define FAN_ACCESS_PERM 0x20000
#define FAN_OPEN_EXEC_PERM 0x40000
#define FAN_CLASS_CONTENT 0x4
#define FAN_CLASS_PRE_CONTENT 0x8
#define FAN_ENABLE_AUDIT 0x40
#define FAN_NONBLOCK 2
#define FAN_MARK_ADD 1
#define FAN_MARK_IGNORED_MASK 0x20
#define FAN_MARK_MOUNT 0x10
#define FAN_MARK_FILESYSTEM 0x100
#define FAN_ALLOW 1
#define FAN_DENY 2
#define FAN_AUDIT 0x10

struct response {
    int32_t fd;
    uint32_t response;
};

static int report[2]; /* the child's pipe */
static int group;     /* the group, which the child does not keep open */
static char self[256];

/* The child's line, through the pipe. */
static void say(const char *what, long r)
{
    char line[160];
    int n = snprintf(line, sizeof line, "  child: %-28s = %ld%s%s\n", what, r, r < 0 ? " " : "",
                     r < 0 ? strerror(errno) : "");
    if (write(report[1], line, (size_t)n) < 0)
        _exit(9);
    errno = 0;
}

static volatile sig_atomic_t handled;
static void on_usr1(int sig) { handled += sig == SIGUSR1; }

/* The child's steps: 'o' open (the descriptor kept for the reads that
 * follow), 'r' read, 'l' a listing, 'S' sendfile, 'C' copy_file_range,
 * 'c' an O_EXCL creation, 's' a SIGUSR1 handler, 'h' whether it ran, 'x' exec
 * of this program. */
static pid_t start(const char *steps)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid)
        return pid;
    close(report[0]);
    close(group);
    int kept = -1;
    for (const char *s = steps; *s; s++) {
        char buf[8];
        if (*s == 'o') {
            int fd = open(D "/f", O_RDWR);
            say("open", fd < 0 ? fd : 0);
            if (fd >= 0) {
                if (kept >= 0)
                    close(kept);
                kept = fd;
            }
        } else if (*s == 'r') {
            lseek(kept, 0, SEEK_SET);
            say("read", read(kept, buf, sizeof buf));
        } else if (*s == 'c') { /* a new file, O_EXCL */
            int fd = open(D "/new", O_RDWR | O_CREAT | O_EXCL, 0600);
            say("create", fd < 0 ? fd : 0);
            if (fd >= 0)
                close(fd);
        } else if (*s == 'l') { /* a listing of D */
            char dents[512];
            int d = open(D, O_RDONLY | O_DIRECTORY);
            say("getdents64", syscall(SYS_getdents64, d, dents, sizeof dents) > 0 ? 1 : -1);
            close(d);
        } else if (*s == 'S' || *s == 'C') { /* D/f into D/out */
            int in = open(D "/f", O_RDONLY), out = open(D "/out", O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (*s == 'S')
                say("sendfile", sendfile(out, in, NULL, 4));
            else
                say("copy_file_range", copy_file_range(in, NULL, out, NULL, 4, 0));
            close(in);
            close(out);
        } else if (*s == 's') { /* a handler without SA_RESTART for SIGUSR1 */
            struct sigaction sa = {.sa_handler = on_usr1};
            sigaction(SIGUSR1, &sa, NULL);
        } else if (*s == 'h') {
            say("handled", handled);
        } else if (*s == 'x') {
            char *argv[] = {self, "child", NULL};
            say("execve", execve(self, argv, environ));
        }
    }
    _exit(0);
}

/* The child's end and what it said. */
static void finish(pid_t pid)
{
    int st;
    char buf[2048];
    close(report[1]);
    waitpid(pid, &st, 0);
    ssize_t n = read(report[0], buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = '\0';
    printf("%s  child: exit %d\n", buf, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    close(report[0]);
}

/* One event: its mask and whether it is the child's (its descriptor stays
 * open: the answer names it). */
static struct meta event(int g, pid_t pid)
{
    struct meta m = {0};
    ssize_t n = read(g, &m, sizeof m);
    printf("  event: read %zd mask %#llx child's %d fd %s\n", n, (unsigned long long)m.mask, m.pid == pid,
           m.fd >= 0 ? "open" : "none");
    return m;
}

static long answer(int g, int fd, uint32_t response)
{
    struct response r = {fd, response};
    return write(g, &r, sizeof r);
}

static void errors(void)
{
    printf("errors:\n");
    int g = fan_init(0, O_RDONLY);
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD, D "/f"));
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_ACCESS_PERM, AT_FDCWD, D "/f"));
    CHECK(answer(g, 0, FAN_ALLOW));
    close(g);
    CHECK(fan_init(FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT, O_RDONLY));
    g = fan_init(FAN_CLASS_CONTENT, O_RDONLY);
    CHECK(g >= 0);
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD, "/proc/self/status"));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN_PERM, AT_FDCWD, "/proc"));
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN_PERM | FAN_ACCESS_PERM | FAN_OPEN_EXEC_PERM, AT_FDCWD, D "/f"));
    struct response r = {0, FAN_ALLOW};
    CHECK(write(g, &r, 4));
    CHECK(write(g, &r, sizeof r));
    CHECK(answer(g, 0, 3));
    CHECK(answer(g, 0, 0));
    CHECK(answer(g, -1, FAN_ALLOW));
    CHECK(answer(g, 0, FAN_ALLOW | FAN_AUDIT));
    CHECK(write(g, NULL, sizeof r));
    close(g);
    int c = fan_init(FAN_CLASS_PRE_CONTENT, O_RDONLY);
    CHECK(c >= 0);
    CHECK(fan_mark(c, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_ACCESS_PERM, AT_FDCWD, D));
    close(c);
}

/* A content group with mask on D/f, whose answers the children's
 * reports come through. */
static int content_group(uint64_t mask)
{
    int g = fan_init(FAN_CLASS_CONTENT, O_RDONLY);
    CHECK(fan_mark(g, FAN_MARK_ADD, mask, AT_FDCWD, D "/f"));
    CHECK(pipe(report));
    group = g;
    return g;
}

/* An open allowed, then its FAN_OPEN; a read denied; an open denied;
 * the answer's errors on a real event. */
static void answers(void)
{
    printf("answers:\n");
    int g = content_group(FAN_OPEN_PERM | FAN_ACCESS_PERM | FAN_OPEN);
    pid_t pid = start("oro");
    struct meta m = event(g, pid);
    CHECK(answer(g, m.fd + 100, FAN_ALLOW));
    CHECK(answer(g, m.fd, FAN_ALLOW | FAN_AUDIT));
    struct response big[2] = {{m.fd, FAN_ALLOW}, {m.fd, FAN_ALLOW}};
    CHECK(write(g, big, sizeof big));
    CHECK(answer(g, m.fd, FAN_ALLOW));
    close(m.fd);
    m = event(g, pid); /* the open's notification, after the answer */
    close(m.fd);
    m = event(g, pid);
    CHECK(answer(g, m.fd, FAN_DENY));
    close(m.fd);
    m = event(g, pid);
    CHECK(answer(g, m.fd, FAN_DENY));
    close(m.fd);
    finish(pid);
    close(g);
}

/* FAN_ENABLE_AUDIT lets FAN_AUDIT be said; a pre-content group's mount
 * mark. */
static void audit(void)
{
    printf("audit:\n");
    int g = fan_init(FAN_CLASS_PRE_CONTENT | FAN_ENABLE_AUDIT, O_RDONLY);
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_ACCESS_PERM, AT_FDCWD, D));
    CHECK(pipe(report));
    group = g;
    pid_t pid = start("orr");
    struct meta m = event(g, pid);
    CHECK(answer(g, m.fd, FAN_ALLOW | FAN_AUDIT));
    close(m.fd);
    m = event(g, pid);
    CHECK(answer(g, m.fd, FAN_DENY | FAN_AUDIT));
    close(m.fd);
    finish(pid);
    close(g);
}

/* A group that closes lets its waiters go: one whose event was read, one
 * whose event was not. */
static void release(void)
{
    printf("release:\n");
    int g = content_group(FAN_ACCESS_PERM);
    pid_t pid = start("or");
    struct meta m = event(g, pid);
    close(m.fd);
    close(g);
    finish(pid);
    g = content_group(FAN_ACCESS_PERM);
    pid = start("or");
    struct pollfd p = {g, POLLIN, 0};
    CHECK(poll(&p, 1, 5000));
    close(g);
    finish(pid);
}

/* A signal that comes while a read waits for its answer does not end
 * the wait (Linux's is killable alone): the read goes on once allowed,
 * and the handler runs. */
static void signalled(void)
{
    printf("signal:\n");
    int g = content_group(FAN_ACCESS_PERM);
    pid_t pid = start("sorh");
    struct meta m = event(g, pid);
    CHECK(kill(pid, SIGUSR1));
    usleep(100000); /* time for the signal to reach a wait that would end */
    CHECK(answer(g, m.fd, FAN_ALLOW));
    close(m.fd);
    finish(pid);
    close(g);
}

/* A listing of a directory (with FAN_ONDIR), sendfile's and
 * copy_file_range's input ask FAN_ACCESS_PERM too. */
static void others(void)
{
    printf("others:\n");
    int g = fan_init(FAN_CLASS_CONTENT, O_RDONLY);
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_ACCESS_PERM | FAN_ONDIR, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_ACCESS_PERM, AT_FDCWD, D "/f"));
    CHECK(pipe(report));
    group = g;
    pid_t pid = start("lSCl");
    uint32_t verdicts[] = {FAN_DENY, FAN_ALLOW, FAN_DENY, FAN_ALLOW};
    for (int i = 0; i < 4; i++) {
        struct meta m = event(g, pid);
        CHECK(answer(g, m.fd, verdicts[i]));
        close(m.fd);
    }
    finish(pid);
    close(g);
    CHECK(unlink(D "/out"));
}

/* An open that created its file and waited is that file's creation
 * still once allowed (O_EXCL too). */
static void created(void)
{
    printf("create:\n");
    int g = fan_init(FAN_CLASS_CONTENT, O_RDONLY);
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_OPEN_PERM, AT_FDCWD, D));
    CHECK(pipe(report));
    group = g;
    pid_t pid = start("c");
    struct meta m = event(g, pid);
    CHECK(answer(g, m.fd, FAN_ALLOW));
    close(m.fd);
    finish(pid);
    close(g);
    CHECK(unlink(D "/new"));
}

/* An exec of a marked program: FAN_OPEN_EXEC_PERM denied (the open that
 * follows is not asked), then FAN_OPEN_EXEC_PERM allowed and
 * FAN_OPEN_PERM denied. */
static void exec_denied(void)
{
    printf("exec:\n");
    int g = fan_init(FAN_CLASS_CONTENT, O_RDONLY);
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN_EXEC_PERM | FAN_OPEN_PERM, AT_FDCWD, self));
    CHECK(pipe(report));
    group = g;
    pid_t pid = start("x");
    struct meta m = event(g, pid);
    CHECK(answer(g, m.fd, FAN_DENY));
    close(m.fd);
    finish(pid);
    CHECK(pipe(report));
    pid = start("x");
    m = event(g, pid);
    CHECK(answer(g, m.fd, FAN_ALLOW));
    close(m.fd);
    m = event(g, pid);
    CHECK(answer(g, m.fd, FAN_DENY));
    close(m.fd);
    finish(pid);
    close(g);
}

/* A notification group hears an exec's open as FAN_OPEN | FAN_OPEN_EXEC
 * (less what its ignore mask takes off). */
static void exec_events(void)
{
    printf("exec events:\n");
    int g = fan_init(FAN_NONBLOCK, O_RDONLY);
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN | FAN_OPEN_EXEC, AT_FDCWD, self));
    int h = fan_init(FAN_NONBLOCK, O_RDONLY);
    CHECK(fan_mark(h, FAN_MARK_ADD, FAN_OPEN | FAN_OPEN_EXEC, AT_FDCWD, self));
    CHECK(fan_mark(h, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK, FAN_OPEN_EXEC, AT_FDCWD, self));
    CHECK(pipe(report));
    group = g;
    pid_t pid = start("x");
    finish(pid);
    for (int i = 0; i < 2; i++) {
        struct meta m = event(g, pid);
        if (m.fd >= 0)
            close(m.fd);
        m = event(h, pid);
        if (m.fd >= 0)
            close(m.fd);
    }
    close(g);
    close(h);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return 7; /* run by an exec that was let through */
    setvbuf(stdout, NULL, _IONBF, 0);
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = '\0';
    unshare(CLONE_NEWNS);
    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
    mkdir(D, 0755);
    CHECK(mount("none", D, "tmpfs", 0, NULL));
    int fd = open(D "/f", O_WRONLY | O_CREAT, 0644);
    CHECK(write(fd, "data", 4));
    close(fd);
    errors();
    answers();
    audit();
    release();
    signalled();
    created();
    others();
    exec_denied();
    exec_events();
    CHECK(umount2(D, MNT_DETACH));
    CHECK(rmdir(D));
    return 0;
}
