/*
 * tests/linux/c/fdinfo.c - /proc/self/fdinfo: the four lines every
 * descriptor has (pos, flags with O_CLOEXEC, mnt_id, ino), the locks it
 * holds, and the lines of each file type: eventfd, epoll (one-shot
 * entries after they fired too), signalfd, timerfd, inotify (newest watch
 * first), pidfd (-1 once reaped) and AF_UNIX sockets (descriptors in
 * flight).  Numbers that differ between machines (inode numbers, mount
 * ids, devices, pids) are checked against what fstat, name_to_handle_at
 * and getpid say, and printed as whether they agree.  Another user's
 * fdinfo is EACCES without ptrace's read access.
 */
#define _GNU_SOURCE
#include "check.h"
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>

static char info[8192];

static int load(int fd)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    int f = open(path, O_RDONLY);
    if (f < 0)
        return -errno;
    ssize_t n = read(f, info, sizeof info - 1);
    close(f);
    info[n > 0 ? n : 0] = 0;
    return 0;
}

/* The value of line "key:" (its text up to the newline), or "" */
static const char *field(const char *key, char *out, size_t size)
{
    size_t k = strlen(key);
    out[0] = 0;
    for (const char *l = info; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (!strncmp(l, key, k) && l[k] == ':') {
            const char *v = l + k + 1;
            v += strspn(v, " \t");
            size_t n = strcspn(v, "\n");
            snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), v);
            break;
        }
    return out;
}

static unsigned long ino_of(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

/* The four lines: pos and flags as they are, ino and mnt_id checked. */
static void common(const char *what, int fd, int mnt_id)
{
    char pos[32], flags[32], ino[32], mnt[32];
    if (load(fd) < 0) {
        printf("%s: fdinfo %s\n", what, errno_name(errno));
        return;
    }
    field("pos", pos, sizeof pos), field("flags", flags, sizeof flags);
    field("ino", ino, sizeof ino), field("mnt_id", mnt, sizeof mnt);
    printf("%s: pos %s flags %s ino-is-fstat's %s", what, pos, flags,
           strtoul(ino, NULL, 10) == ino_of(fd) ? "yes" : "no");
    if (mnt_id)
        printf(" mnt_id-is-the-handle's %s", atoi(mnt) == mnt_id ? "yes" : "no");
    printf("\n");
}

static int mount_id_of(const char *path)
{
    struct {
        struct file_handle h;
        unsigned char b[128];
    } fh = {.h.handle_bytes = 128};
    int id = 0;
    return name_to_handle_at(AT_FDCWD, path, &fh.h, &id, 0) == 0 ? id : -1;
}

/* Lines that begin with prefix, as they are */
static void lines(const char *prefix)
{
    for (const char *l = info; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l))
        if (!strncmp(l, prefix, strlen(prefix)))
            printf("  %.*s\n", (int)strcspn(l, "\n"), l);
}

/* fd's first lock line, its numbers checked */
static void lock_fields(int fd)
{
    char line[256], kind[16], adv[16], type[8], end[16];
    int pid, id;
    unsigned maj, min;
    unsigned long ino, start;
    load(fd);
    field("lock", line, sizeof line);
    int n = sscanf(line, "%d: %15s %15s %7s %d %x:%x:%lu %lu %15s", &id, kind, adv, type, &pid, &maj, &min, &ino, &start,
                   end);
    printf("lock line fields %d: %d %s %s %s pid-is-mine %s ino-is-fstat's %s %lu %s\n", n, id, kind, adv, type,
           pid == getpid() ? "yes" : "no", ino == ino_of(fd) ? "yes" : "no", start, end);
}

static void files(void)
{
    char path[] = "/tmp/fdinfoXXXXXX";
    int fd = mkostemp(path, O_CLOEXEC);
    int mnt = mount_id_of(path);
    write(fd, "hello", 5);
    common("file cloexec", fd, mnt);
    fcntl(fd, F_SETFD, 0);
    lseek(fd, 2, SEEK_SET);
    common("file after lseek", fd, mnt);
    fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK);
    common("file O_APPEND|O_NONBLOCK", fd, mnt);
    int d = dup(fd);
    common("its dup", d, mnt);

    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    CHECK(fcntl(fd, F_SETLK, &fl));
    lock_fields(fd);
    load(d);
    printf("the dup shows it too: %s\n", strstr(info, "lock:\t1: POSIX") ? "yes" : "no");
    close(d);
    unlink(path);
    close(fd);

    int g = open("/tmp", O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    common("directory", g, 0);
    CHECK(flock(g, LOCK_SH));
    lock_fields(g);
    close(g);
    g = open("/tmp", O_PATH);
    common("O_PATH", g, 0);
    close(g);
    g = open("/dev/null", O_WRONLY | O_APPEND);
    common("/dev/null", g, 0);
    close(g);
    CHECK(load(999));
}

static void pipes_and_counters(void)
{
    int p[2];
    pipe2(p, O_NONBLOCK);
    common("pipe read end", p[0], 0);
    common("pipe write end", p[1], 0);
    int e = eventfd(5, EFD_NONBLOCK);
    uint64_t v = 0x20;
    write(e, &v, sizeof v);
    common("eventfd", e, 0);
    char s[64];
    printf("eventfd-count: %s\n", field("eventfd-count", s, sizeof s));
    printf("eventfd-id: %s\n", field("eventfd-id", s, sizeof s)[0] ? "present" : "missing");
    int id = atoi(s), e2 = eventfd(0, 0);
    close(e);
    int e3 = eventfd(0, 0); /* the lowest free number: e's again */
    load(e3);
    printf("a freed eventfd-id is taken again: %s\n", atoi(field("eventfd-id", s, sizeof s)) == id ? "yes" : "no");
    close(e2);
    e = e3;
    v = 0x25;
    write(e, &v, sizeof v);

    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLOUT, .data.u64 = 0x1234};
    epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev);
    ev = (struct epoll_event){.events = EPOLLIN | EPOLLET, .data.u64 = 0xabcdef};
    epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev);
    ev = (struct epoll_event){.events = EPOLLIN | EPOLLONESHOT, .data.u64 = 7};
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    common("epoll", ep, 0);
    for (int round = 0; round < 2; round++) {
        load(ep);
        for (int fd = 0; fd < 64; fd++) { /* by descriptor: Linux's tree keeps them in its own order */
            char key[32];
            snprintf(key, sizeof key, "tfd: %8d ", fd);
            const char *l = strstr(info, key);
            unsigned events, tino, sdev;
            unsigned long long data;
            long long pos;
            if (l && sscanf(l, "tfd: %*d events: %x data: %llx pos:%lli ino:%x sdev:%x", &events, &data, &pos, &tino,
                            &sdev) == 5)
                printf("  tfd %d events %x data %llx pos %lld ino-is-fstat's %s\n", fd, events, data, pos,
                       tino == (unsigned)ino_of(fd) ? "yes" : "no");
        }
        if (round == 0) { /* the one-shot entry reports, and keeps only its flags */
            write(p[1], "x", 1);
            struct epoll_event out[4];
            printf("epoll_wait: %d\n", epoll_wait(ep, out, 4, 0));
        }
    }

    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    sigaddset(&m, SIGTERM);
    sigaddset(&m, SIGRTMIN + 3);
    int sf = signalfd(-1, &m, SFD_CLOEXEC);
    common("signalfd", sf, 0);
    printf("sigmask: %s\n", field("sigmask", s, sizeof s));

    unsigned long anon = ino_of(e);
    printf("eventfd, signalfd and epoll share one inode, not 0: %s\n",
           anon && ino_of(sf) == anon && ino_of(ep) == anon && ino_of(p[0]) != anon ? "yes" : "no");
    int t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct itimerspec its = {{1, 500}, {100, 0}};
    timerfd_settime(t, 0, &its, NULL);
    common("timerfd", t, 0);
    lines("clockid");
    lines("ticks");
    lines("settime flags");
    lines("it_interval");
    long long sec, nsec;
    sscanf(field("it_value", s, sizeof s), "(%lld, %lld)", &sec, &nsec);
    printf("it_value below 100 s and above 90 s: %s\n", sec < 100 && sec > 90 ? "yes" : "no");
    int rt = timerfd_create(CLOCK_REALTIME, 0);
    its = (struct itimerspec){{0, 0}, {1, 0}}; /* long past: one expiry */
    timerfd_settime(rt, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL);
    load(rt);
    lines("clockid");
    lines("ticks");
    lines("settime flags");
    lines("it_value");
    lines("it_interval");
}

/* Whether the mark line at l ends with path's handle, as
 * name_to_handle_at gives it. */
static const char *handle_agrees(const char *l, const char *path)
{
    struct {
        struct file_handle h;
        unsigned char b[128];
    } fh = {.h.handle_bytes = 128};
    int id;
    unsigned bytes, type;
    const char *at = strstr(l, "fhandle-bytes:"), *eol = strchr(l, '\n');
    if (!at || (eol && at > eol) || name_to_handle_at(AT_FDCWD, path, &fh.h, &id, 0) < 0 ||
        sscanf(at, "fhandle-bytes:%x fhandle-type:%x", &bytes, &type) != 2)
        return "no";
    const char *hex = strstr(at, "f_handle:") + strlen("f_handle:");
    for (unsigned i = 0; i < fh.h.handle_bytes; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1 || v != fh.h.f_handle[i])
            return "no";
    }
    return bytes == fh.h.handle_bytes && (int)type == fh.h.handle_type ? "yes" : "no";
}

static void fanotify_marks(const char *path)
{
    int g = (int)syscall(SYS_fanotify_init, 0 /* FAN_CLASS_NOTIF */, O_RDONLY);
    syscall(SYS_fanotify_mark, g, 1 /* FAN_MARK_ADD */, 0x20ull /* FAN_OPEN */, AT_FDCWD, path);
    load(g);
    const char *l = strstr(info, "fanotify ino:");
    printf("fanotify: a mark line %s, with the file's handle %s\n", l ? "yes" : "no", l ? handle_agrees(l, path) : "no");
    close(g);
}

static void others(void)
{
    char dir[] = "/tmp/fdinfodXXXXXX", sub[64];
    mkdtemp(dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    mkdir(sub, 0755);
    int in = inotify_init1(IN_NONBLOCK);
    int w1 = inotify_add_watch(in, dir, IN_CREATE | IN_DELETE);
    int w2 = inotify_add_watch(in, sub, IN_MODIFY | IN_ONESHOT);
    common("inotify", in, 0);
    printf("watches %d %d\n", w1, w2);
    load(in);
    struct stat st1, st2;
    stat(dir, &st1), stat(sub, &st2);
    for (const char *l = strstr(info, "inotify wd:"); l; l = strstr(l + 1, "inotify wd:")) {
        unsigned wd, mask, ignored;
        unsigned long ino;
        if (sscanf(l, "inotify wd:%x ino:%lx sdev:%*x mask:%x ignored_mask:%x", &wd, &ino, &mask, &ignored) == 4)
            printf("  wd %u mask %x ignored %x ino-is-stat's %s handle name_to_handle_at's %s\n", wd, mask, ignored,
                   ino == (wd == (unsigned)w1 ? st1.st_ino : st2.st_ino) ? "yes" : "no",
                   handle_agrees(l, wd == (unsigned)w1 ? dir : sub));
    }
    fanotify_marks(sub);
    close(in);
    rmdir(sub), rmdir(dir);

    int pf = (int)syscall(SYS_pidfd_open, getpid(), 0);
    common("pidfd", pf, 0);
    char s[32], ns[32];
    printf("Pid is mine: %s, NSpid is mine: %s\n", atoi(field("Pid", s, sizeof s)) == getpid() ? "yes" : "no",
           atoi(field("NSpid", ns, sizeof ns)) == getpid() ? "yes" : "no");
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    int cf = (int)syscall(SYS_pidfd_open, child, 0);
    waitpid(child, NULL, 0);
    load(cf);
    printf("reaped child: Pid %s NSpid %s\n", field("Pid", s, sizeof s), field("NSpid", ns, sizeof ns));

    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    common("unix stream", sv[1], 0);
    lines("scm_fds");
    char c = 'x';
    struct iovec io = {&c, 1};
    char cb[CMSG_SPACE(2 * sizeof(int))];
    struct msghdr msg = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = cb, .msg_controllen = sizeof cb};
    struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
    h->cmsg_level = SOL_SOCKET, h->cmsg_type = SCM_RIGHTS, h->cmsg_len = CMSG_LEN(2 * sizeof(int));
    int two[2] = {0, 1};
    memcpy(CMSG_DATA(h), two, sizeof two);
    CHECK(sendmsg(sv[0], &msg, 0));
    load(sv[1]);
    lines("scm_fds");
    load(sv[0]);
    lines("scm_fds");
    msg.msg_controllen = sizeof cb;
    CHECK(recvmsg(sv[1], &msg, 0));
    load(sv[1]);
    lines("scm_fds");
    int dg[2];
    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, dg);
    common("unix datagram", dg[0], 0);
    lines("scm_fds");
}

/* The directory: a file for each descriptor fd/ has, and the modes. */
static void listing(void)
{
    char names[2][1024] = {"", ""};
    const char *dirs[2] = {"/proc/self/fd", "/proc/self/fdinfo"};
    for (int k = 0; k < 2; k++) {
        DIR *d = opendir(dirs[k]);
        int seen[256] = {0};
        for (struct dirent *e; d && (e = readdir(d));)
            if (e->d_name[0] != '.' && atoi(e->d_name) < 256)
                seen[atoi(e->d_name)] = 1;
        int own = d ? dirfd(d) : -1;
        for (int i = 0; i < 256; i++)
            if (seen[i] && i != own)
                snprintf(names[k] + strlen(names[k]), sizeof names[k] - strlen(names[k]), "%d ", i);
        if (d)
            closedir(d);
    }
    printf("fdinfo lists fd's descriptors: %s\n", strcmp(names[0], names[1]) ? "no" : "yes");
    struct stat st;
    stat("/proc/self/fdinfo", &st);
    printf("fdinfo mode %o\n", st.st_mode);
    stat("/proc/self/fdinfo/0", &st);
    printf("fdinfo/0 mode %o\n", st.st_mode);
}

/* Another user's fdinfo wants ptrace's read access (Linux's
 * proc_fdinfo_permission): EACCES for the directory and its files, while
 * a process's own stay open to it. */
static void access_rules(void)
{
    char dir[64], file[64];
    snprintf(dir, sizeof dir, "/proc/%d/fdinfo", (int)getpid());
    snprintf(file, sizeof file, "%s/0", dir);
    pid_t child = fork();
    if (child == 0) {
        setgid(65534);
        setuid(65534);
        int fd = open(dir, O_RDONLY | O_DIRECTORY);
        printf("root's fdinfo directory as nobody: %s\n", fd < 0 ? strerror(errno) : "opened");
        fd = open(file, O_RDONLY);
        printf("root's fdinfo/0 as nobody: %s\n", fd < 0 ? strerror(errno) : "opened");
        struct stat st;
        printf("stat of root's fdinfo directory: %s\n", stat(dir, &st) < 0 ? strerror(errno) : "done");
        printf("access(X_OK) of it: %s\n", access(dir, X_OK) < 0 ? strerror(errno) : "done");
        fd = open("/proc/self/fdinfo/0", O_RDONLY);
        printf("its own fdinfo/0: %s\n", fd < 0 ? strerror(errno) : "opened");
        _exit(0);
    }
    waitpid(child, NULL, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    files();
    pipes_and_counters();
    others();
    listing();
    access_rules();
    return 0;
}
