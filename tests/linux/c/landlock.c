/*
 * tests/linux/c/landlock.c - Landlock: the three calls' errors (creating a
 * ruleset, adding rules, restricting oneself: EPERM without no_new_privs
 * or CAP_SYS_ADMIN), the ruleset's descriptor, and a domain's effect on
 * opens, creations, removals, renames and links (REFER's EXDEV), execve,
 * over fork and execve, and stacked up to 16 layers.
 *
 * The rights of ABI versions 1 and 2 (every Linux from 6.1 has them) are
 * printed as they come.  Those of later versions (TRUNCATE: 3, TCP ports:
 * 4, IOCTL_DEV: 5, the signal and abstract-socket scopes: 6, the log
 * flags: 7) are tried only where the version probe says they are
 * there, and print one line, "ok" when every result is Linux's documented
 * one (the host that has them checks that the expectations are right) or
 * when the version is too old to have them: so the output is the same on
 * a Linux 6.1 (version 2), a 6.18 (version 7) and Persona.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define FS(n) (1ULL << (n))
#define EXECUTE FS(0)
#define WRITE_FILE FS(1)
#define READ_FILE FS(2)
#define READ_DIR FS(3)
#define REMOVE_DIR FS(4)
#define REMOVE_FILE FS(5)
#define MAKE_FIFO FS(10)
#define MAKE_REG FS(8)
#define REFER FS(13)
#define TRUNCATE FS(14)
#define IOCTL_DEV FS(15)
#define V1_ALL (FS(13) - 1)

struct path_attr {
    uint64_t allowed;
    int32_t parent_fd;
} __attribute__((packed));

static long ll_create(const void *attr, size_t size, unsigned flags) { return syscall(444, attr, size, flags); }
static long ll_add(int fd, int type, const void *attr, unsigned flags) { return syscall(445, fd, type, attr, flags); }
static long ll_restrict(int fd, unsigned flags) { return syscall(446, fd, flags); }

static char D[64];
static int version;

/* A path under the test's directory (4 buffers in turn). */
static const char *P(const char *rel)
{
    static char buf[4][128];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", D, rel);
    return buf[i];
}

/* A result whose value varies (a descriptor): 0 for success. */
#define OK(expr) CHECK((expr) < 0 ? -1L : 0L)

static int ruleset(uint64_t handled)
{
    uint64_t attr[3] = {handled, 0, 0};
    return (int)ll_create(attr, 8, 0);
}

static long rule(int rs, const char *path, uint64_t allowed)
{
    struct path_attr a = {allowed, open(path, O_PATH | O_CLOEXEC)};
    long r = ll_add(rs, 1, &a, 0);
    close(a.parent_fd);
    return r;
}

static void enforce(int rs)
{
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (ll_restrict(rs, 0) < 0)
        printf("restrict_self failed: %s\n", strerror(errno));
    close(rs);
}

/* Runs fn in a child, and waits for it. */
static void in_child(void (*fn)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        fn();
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st))
        printf("child ended badly\n");
}

static void put(const char *path, const char *text, int mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd >= 0 && write(fd, text, strlen(text)) < 0)
        printf("write failed\n");
    close(fd);
}

static void copy_self(const char *to)
{
    static char buf[1 << 16];
    int in = open("/proc/self/exe", O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    long n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n)
            break;
    close(in);
    close(out);
}

static void create_errors(void)
{
    uint64_t attr[512] = {READ_FILE}, zero[2] = {0, 0}, top[2] = {1ULL << 63, 0};
    static char big[4097];
    printf("version >= 2: %s\n", version >= 2 ? "yes" : "no");
    CHECK(ll_create(NULL, 0, 0));
    CHECK(ll_create((void *)16, 8, 0));
    CHECK(ll_create(attr, 4, 0));
    CHECK(ll_create(attr, 8, 1));
    CHECK(ll_create(NULL, 8, 1));
    CHECK(ll_create(NULL, 0, 1u << 7));
    CHECK(ll_create(NULL, 0, 1u | (1u << 7)));
    CHECK(ll_create(zero, 8, 0));
    CHECK(ll_create(top, 8, 0));
    CHECK(ll_create(big, sizeof big, 0));
    ((char *)attr)[31] = 1;
    CHECK(ll_create(attr, 32, 0));
    ((char *)attr)[31] = 0;
    int fd = (int)ll_create(attr, 32, 0);
    OK(fd);
    CHECK(fcntl(fd, F_GETFD));
    CHECK(fcntl(fd, F_GETFL) & O_ACCMODE);
    char path[64], link[64] = {0};
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    CHECK(readlink(path, link, sizeof link - 1));
    printf("link: %s\n", link);
    CHECK(read(fd, path, 8));
    CHECK(write(fd, path, 8));
    close(fd);
}

static void add_errors(void)
{
    int rs = ruleset(READ_FILE | READ_DIR), root = open("/", O_RDONLY | O_DIRECTORY), p[2];
    int file = open(P("a/f"), O_RDONLY), dir = open(P("a"), O_PATH);
    struct path_attr ok = {READ_FILE, dir}, a;
    uint64_t port[2] = {1, 80};
    if (pipe(p) < 0)
        printf("pipe failed\n");
    CHECK(ll_add(rs, 1, &ok, 1));
    CHECK(ll_add(-1, 1, &ok, 0));
    CHECK(ll_add(99, 1, &ok, 0));
    CHECK(ll_add(root, 1, &ok, 0));
    CHECK(ll_add(rs, 99, &ok, 0));
    CHECK(ll_add(rs, 2, port, 0));
    CHECK(ll_add(rs, 1, NULL, 0));
    a = (struct path_attr){0, dir};
    CHECK(ll_add(rs, 1, &a, 0));
    a = (struct path_attr){WRITE_FILE, dir};
    CHECK(ll_add(rs, 1, &a, 0));
    a = (struct path_attr){REFER, dir};
    CHECK(ll_add(rs, 1, &a, 0));
    a = (struct path_attr){READ_FILE, -1};
    CHECK(ll_add(rs, 1, &a, 0));
    a = (struct path_attr){READ_FILE, rs};
    CHECK(ll_add(rs, 1, &a, 0));
    a = (struct path_attr){READ_FILE, p[0]};
    CHECK(ll_add(rs, 1, &a, 0));
    a = (struct path_attr){READ_DIR, file};
    CHECK(ll_add(rs, 1, &a, 0));
    a = (struct path_attr){READ_FILE, file};
    CHECK(ll_add(rs, 1, &a, 0));
    CHECK(ll_add(rs, 1, &ok, 0));
    CHECK(ll_restrict(rs, 1u << 31));
    CHECK(ll_restrict(-1, 0));
    CHECK(ll_restrict(root, 0));
    close(rs), close(root), close(file), close(dir), close(p[0]), close(p[1]);
}

static void unprivileged(void)
{
    int rs = ruleset(READ_FILE);
    CHECK(setuid(65534));
    CHECK(ll_restrict(rs, 0));
    CHECK(ll_restrict(-1, 0));
    CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    CHECK(ll_restrict(rs, 0));
}

static void still_denied(void) { CHECK(open(P("b/f"), O_WRONLY)); }

static void exec_denied(void)
{
    char *argv[] = {"prog", "exec-child", D, NULL};
    CHECK(execve(P("b/prog"), argv, NULL));
    CHECK(execve(P("c/prog"), argv, NULL));
}

static void exec_allowed(void)
{
    char *argv[] = {"prog", "exec-child", D, NULL};
    execve(P("a/prog"), argv, NULL);
    printf("execve: %s\n", strerror(errno));
}

static void sock_at(const char *path)
{
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    strcpy(un.sun_path, path);
    CHECK(bind(s, (struct sockaddr *)&un, sizeof un));
    close(s);
}

static void sandboxed(void)
{
    int rs = ruleset(V1_ALL | REFER), before = open(P("c/f"), O_RDONLY);
    CHECK(rule(rs, P("a"), V1_ALL | REFER));
    CHECK(rule(rs, P("a2"), V1_ALL | REFER));
    CHECK(rule(rs, P("b"), READ_FILE | READ_DIR));
    CHECK(rule(rs, P("b2"), READ_FILE | READ_DIR | MAKE_REG | REMOVE_FILE | REFER));
    CHECK(rule(rs, P("r"), V1_ALL));
    CHECK(rule(rs, P("c/prog"), EXECUTE));
    enforce(rs);
    char c;
    CHECK(read(before, &c, 1));
    OK(open(P("a/f"), O_RDWR));
    OK(open(P("b/f"), O_RDONLY));
    CHECK(open(P("b/f"), O_WRONLY));
    CHECK(open(P("c/f"), O_RDONLY));
    CHECK(open(D, O_RDONLY | O_DIRECTORY));
    OK(open(P("b"), O_RDONLY | O_DIRECTORY));
    CHECK(open(P("c"), O_RDONLY | O_DIRECTORY));
    OK(open(P("c/f"), O_PATH));
    struct stat st;
    CHECK(stat(P("c/f"), &st));
    CHECK(mkdir(P("a/d"), 0755));
    CHECK(mkdir(P("b/d"), 0755));
    CHECK(mkdir(P("b/f"), 0755));
    CHECK(open(P("b/new"), O_CREAT | O_WRONLY, 0644));
    OK(open(P("a/new"), O_CREAT | O_RDWR, 0644));
    CHECK(symlink("x", P("b/s")));
    CHECK(symlink("x", P("a/s")));
    CHECK(mknod(P("b/fifo"), S_IFIFO | 0644, 0));
    CHECK(mknod(P("a/fifo"), S_IFIFO | 0644, 0));
    sock_at(P("b/sock"));
    sock_at(P("a/sock"));
    CHECK(unlink(P("b/f")));
    CHECK(unlink(P("a/new")));
    CHECK(rmdir(P("a/d")));
    CHECK(rmdir(P("b/nothing")));
    CHECK(rename(P("a/x"), P("a/y")));
    CHECK(rename(P("a/y"), P("a2/y")));
    CHECK(rename(P("a2/y"), P("b/y")));
    CHECK(rename(P("a2/y"), P("r/y")));
    CHECK(rename(P("b2/g"), P("a/g")));
    CHECK(rename(P("a2/y"), P("b2/y")));
    CHECK(link(P("a/f"), P("a/f2")));
    CHECK(link(P("a/f"), P("r/f3")));
    CHECK(link(P("b/f"), P("a/bf")));
    CHECK(link(P("a/f"), P("a2/f4")));
    CHECK(syscall(SYS_renameat2, AT_FDCWD, P("a/s"), AT_FDCWD, P("a2/f4"), 2 /* RENAME_EXCHANGE */));
    CHECK(syscall(SYS_renameat2, AT_FDCWD, P("a/f2"), AT_FDCWD, P("b2/g"), 2));
    CHECK(syscall(SYS_renameat2, AT_FDCWD, P("b2/g"), AT_FDCWD, P("b2/h"), 0));
    OK(open(P("c/f"), 3)); /* O_ACCMODE: neither read nor write, so no right */
    in_child(still_denied);
    in_child(exec_denied);
    in_child(exec_allowed);
}

static int layers;

static void stacked(void)
{
    int rs = ruleset(READ_FILE);
    rule(rs, P("a"), READ_FILE);
    rule(rs, P("b"), READ_FILE);
    enforce(rs);
    rs = ruleset(READ_FILE);
    rule(rs, P("a"), READ_FILE);
    OK(open(P("b/f"), O_RDONLY));
    enforce(rs);
    CHECK(open(P("b/f"), O_RDONLY));
    OK(open(P("a/f"), O_RDONLY));
    rs = ruleset(READ_FILE);
    rule(rs, P("a"), READ_FILE);
    for (layers = 2; ll_restrict(rs, 0) == 0; layers++)
        ;
    printf("layers: %d, then %s\n", layers, strerror(errno));
}

/* A later version's section: "name: ok", or what differed. */
static int bad;
static void expect(const char *what, long got, long want)
{
    if (got != want) {
        printf("  %s = %ld, want %ld (%s)\n", what, got, want, strerror(errno));
        bad++;
    }
}
#define EXPECT(expr, want) expect(#expr, (expr) < 0 ? -errno : 0, want)

static void truncation(void)
{
    int rs = ruleset(READ_FILE | WRITE_FILE | TRUNCATE), pre = open(P("t/b"), O_WRONLY);
    rule(rs, P("t/a"), READ_FILE | WRITE_FILE | TRUNCATE);
    rule(rs, P("t/b"), READ_FILE | WRITE_FILE);
    enforce(rs);
    int fb = open(P("t/b"), O_WRONLY), fa = open(P("t/a"), O_WRONLY);
    EXPECT(truncate(P("t/b"), 0), -EACCES);
    EXPECT(truncate(P("t/a"), 1), 0);
    EXPECT(open(P("t/b"), O_WRONLY | O_TRUNC), -EACCES);
    EXPECT(ftruncate(fb, 0), -EACCES);
    EXPECT(ftruncate(fa, 0), 0);
    EXPECT(ftruncate(pre, 0), 0);
}

static void ports(void)
{
    uint64_t attr[2] = {0, 3}; /* BIND_TCP | CONNECT_TCP */
    int rs = (int)ll_create(attr, 16, 0);
    uint64_t port[2] = {3, 47811};
    EXPECT(ll_add(rs, 2, port, 0), 0);
    uint64_t far[2] = {3, 65536};
    EXPECT(ll_add(rs, 2, far, 0), -EINVAL);
    enforce(rs);
    struct sockaddr_in in = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int l = socket(AF_INET, SOCK_STREAM, 0), s = socket(AF_INET, SOCK_STREAM, 0), u = socket(AF_INET, SOCK_DGRAM, 0);
    in.sin_port = htons(47812);
    EXPECT(bind(l, (struct sockaddr *)&in, sizeof in), -EACCES);
    EXPECT(bind(u, (struct sockaddr *)&in, sizeof in), 0);
    EXPECT(connect(s, (struct sockaddr *)&in, sizeof in), -EACCES);
    in.sin_port = htons(47811);
    EXPECT(bind(l, (struct sockaddr *)&in, sizeof in), 0);
    EXPECT(listen(l, 1), 0);
    EXPECT(connect(s, (struct sockaddr *)&in, sizeof in), 0);
}

static void device_ioctls(void)
{
    int rs = ruleset(READ_FILE | WRITE_FILE | IOCTL_DEV), pre = open("/dev/null", O_RDWR), n;
    rule(rs, "/dev/null", READ_FILE | WRITE_FILE);
    rule(rs, P("t"), READ_FILE | WRITE_FILE | IOCTL_DEV);
    enforce(rs);
    int fd = open("/dev/null", O_RDWR), reg = open(P("t/a"), O_RDONLY);
    EXPECT(fd, 0);
    EXPECT(ioctl(fd, TCGETS, &n), -EACCES);
    EXPECT(ioctl(fd, FIONREAD, &n), -EACCES);
    EXPECT(ioctl(fd, FIOCLEX), 0);
    EXPECT(ioctl(pre, TCGETS, &n), -ENOTTY);
    EXPECT(ioctl(reg, TCGETS, &n), -ENOTTY);
}

static int scoped(uint64_t scope)
{
    uint64_t attr[3] = {0, 0, scope};
    return (int)ll_create(attr, sizeof attr, 0);
}

static struct sockaddr_un abstract(const char *name)
{
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    snprintf(un.sun_path + 1, sizeof un.sun_path - 1, "%s-%s", name, D + 5); /* D's random part */
    return un;
}

static long try_connect(int type, const char *name)
{
    struct sockaddr_un un = abstract(name);
    int s = socket(AF_UNIX, type, 0);
    long r = type == SOCK_DGRAM ? sendto(s, "x", 1, 0, (struct sockaddr *)&un, sizeof un)
                                : connect(s, (struct sockaddr *)&un, sizeof un);
    int e = errno;
    close(s);
    errno = e;
    return r < 0 ? -1 : 0;
}

static int listener(int type, const char *name)
{
    struct sockaddr_un un = abstract(name);
    int s = socket(AF_UNIX, type, 0);
    if (bind(s, (struct sockaddr *)&un, sizeof un) < 0 || (type == SOCK_STREAM && listen(s, 4) < 0))
        printf("listener: %s\n", strerror(errno));
    return s;
}

/* Version 6: signals and abstract sockets kept inside the domain. */
static void scopes(void)
{
    int sync[2];
    EXPECT(pipe(sync), 0);
    enforce(scoped(1 | 2)); /* LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL */
    EXPECT(kill(getppid(), 0), -EPERM);
    EXPECT(kill(getpid(), 0), 0);
    EXPECT(try_connect(SOCK_STREAM, "outside"), -EPERM);
    EXPECT(try_connect(SOCK_DGRAM, "outside-dgram"), -EPERM);
    int mine = listener(SOCK_STREAM, "inside");
    EXPECT(try_connect(SOCK_STREAM, "inside"), 0);
    pid_t self = getpid(), nested = fork();
    if (nested == 0) { /* a domain nested in the scoping one */
        enforce(ruleset(READ_FILE));
        EXPECT(kill(self, 0), 0);
        EXPECT(try_connect(SOCK_STREAM, "inside"), 0);
        fflush(stdout);
        if (bad || write(sync[1], "x", 1) != 1)
            _exit(1);
        pause();
        _exit(0);
    }
    char c;
    close(sync[1]);
    EXPECT(read(sync[0], &c, 1) == 1 ? 0 : -1, 0);
    EXPECT(kill(nested, 0), 0);
    kill(nested, SIGKILL);
    int st;
    waitpid(nested, &st, 0);
    EXPECT(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? 0 : -1, 0);
    close(mine);
}

/* Version 7: restrict_self's log flags (there may be no audit log to obey them). */
static void log_flags(void)
{
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    EXPECT(ll_restrict(-1, 4), 0); /* LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF alone */
    EXPECT(ll_restrict(-1, 1), -EBADF);
    EXPECT(ll_restrict(ruleset(READ_FILE), 1 | 2 | 4), 0);
    EXPECT(ll_restrict(ruleset(READ_FILE), 8), -EINVAL);
}

static void section(const char *name, int since, void (*fn)(void))
{
    fflush(stdout);
    bad = 0;
    if (version >= since) {
        pid_t pid = fork();
        if (pid == 0) {
            fn();
            printf("%s: %s\n", name, bad ? "MISMATCH" : "ok");
            fflush(stdout);
            _exit(0);
        }
        waitpid(pid, NULL, 0);
    } else {
        printf("%s: ok\n", name); /* this Linux has not got it: nothing to differ */
    }
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "exec-child") == 0) { /* execve kept the domain */
        snprintf(D, sizeof D, "%s", argv[2]);
        printf("after execve:\n");
        still_denied();
        return 0;
    }
    version = (int)ll_create(NULL, 0, 1);
    if (version < 0) {
        printf("no Landlock: %s\n", strerror(errno));
        return 0;
    }
    strcpy(D, "/tmp/landlockXXXXXX");
    if (!mkdtemp(D))
        return 1;
    const char *dirs[] = {"a", "a2", "b", "b2", "c", "r", "t"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        mkdir(P(dirs[i]), 0755);
    put(P("a/f"), "hello", 0644), put(P("a/x"), "x", 0644), put(P("b/f"), "b", 0644);
    put(P("b2/g"), "g", 0644), put(P("c/f"), "c", 0644), put(P("t/a"), "ta", 0644), put(P("t/b"), "tb", 0644);
    copy_self(P("a/prog")), copy_self(P("b/prog")), copy_self(P("c/prog"));
    create_errors();
    add_errors();
    in_child(unprivileged);
    in_child(sandboxed);
    in_child(stacked);
    section("truncate (version 3)", 3, truncation);
    section("tcp ports (version 4)", 4, ports);
    section("device ioctls (version 5)", 5, device_ioctls);
    int out = listener(SOCK_STREAM, "outside"), out_dgram = listener(SOCK_DGRAM, "outside-dgram");
    section("scopes (version 6)", 6, scopes);
    close(out), close(out_dgram);
    section("log flags (version 7)", 7, log_flags);
    nftw(D, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}
