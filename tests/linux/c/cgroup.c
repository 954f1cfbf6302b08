/*
 * tests/linux/c/cgroup.c - control groups v2 (the unified hierarchy):
 * cgroup2 mounted at a temporary directory of the test's own (in a mount
 * namespace of its own; on the host the same hierarchy as the system's),
 * a group with a unique name made under it, everything done inside it
 * (mkdir, rmdir, the core files' formats and write rules and errors,
 * moves through cgroup.procs and cgroup.threads, the threaded mode, the
 * freezer, cgroup.kill, clone3's CLONE_INTO_CGROUP, /proc/PID/cgroup,
 * cgroup namespaces), then everything removed and unmounted, even after
 * a failure.  Only what is the same on any Linux is printed: the host's
 * root has controllers and groups of its own.
 *
 * "cgroup persona-only" does what a host whose controllers are bound to
 * v1 hierarchies cannot show: the cpu, memory and pids controllers
 * enabled at the root (as LTP's tst_cgroup does), their files' formats
 * and parse rules, pids.max's EAGAIN, the no-internal-process rule and
 * memory.max's OOM kill (tests/linux/c/cgroup.persona-only.expected:
 * Linux 6.1's answers).
 */
#define _GNU_SOURCE
#include "check.h"
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>

#define NS_GET_NSTYPE 0xb703
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
struct clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

static char top[64], grp[128], mnt2[64];
static char buf[8192];

static void path(char *out, size_t size, const char *rel) { snprintf(out, size, "%s/%s", grp, rel); }

/* The text of G/rel (the group's dir, "G"), newlines as "|". */
static void show(const char *rel)
{
    char p[256];
    path(p, sizeof p, rel);
    long n = read_text(p, buf, sizeof buf);
    for (char *c = buf; *c; c++)
        if (*c == '\n')
            *c = '|';
    if (n < 0)
        printf("%-40s -> %s\n", rel, strerror(errno));
    else
        printf("%-40s -> \"%s\"\n", rel, buf);
}

static long put(const char *rel, const char *text)
{
    char p[256];
    int opened;
    path(p, sizeof p, rel);
    return write_text(p, text, &opened);
}

/* A write and its result, as CHECK prints it. */
static void put_show(const char *rel, const char *text, const char *shown)
{
    errno = 0;
    long r = put(rel, text);
    printf("write %-24s %-12s = %ld%s%s\n", rel, shown, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}
#define PUT(rel, text) put_show(rel, text, #text)

/* cgroup.stat's lines of Linux 6.1 (later ones add nr_subsys_*). */
static void stat_lines(void)
{
    char p[256], out[256] = "";
    path(p, sizeof p, "cgroup.stat");
    read_text(p, buf, sizeof buf);
    for (char *t = strtok(buf, "\n"); t; t = strtok(NULL, "\n"))
        if (!strncmp(t, "nr_descendants ", 15) || !strncmp(t, "nr_dying_descendants ", 21))
            strcat(strcat(out, t), "|");
    printf("%-40s -> \"%s\"\n", "cgroup.stat", out);
}

/* The mount's line of /proc/self/mounts and mountinfo's end, its directory as DIR. */
static void mounts_line(void)
{
    read_text("/proc/self/mounts", buf, sizeof buf);
    for (char *t = strtok(buf, "\n"); t; t = strtok(NULL, "\n")) {
        char *at = strstr(t, top);
        if (at)
            printf("mounts: %.*sDIR%s\n", (int)(at - t), t, at + strlen(top));
    }
    read_text("/proc/self/mountinfo", buf, sizeof buf);
    for (char *t = strtok(buf, "\n"); t; t = strtok(NULL, "\n"))
        if (strstr(t, top))
            printf("mountinfo: %s\n", strstr(t, " - "));
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Whether inotify fd ino has (or gets within 2 s) IN_MODIFY events, read all. */
static void modified(int ino)
{
    struct pollfd q = {ino, POLLIN, 0};
    int got = 0;
    if (poll(&q, 1, 2000) == 1) {
        sleep_ms(50); /* Linux's kernfs tells inotify from a work queue */
        char ev[4096];
        long n;
        while ((n = read(ino, ev, sizeof ev)) > 0)
            for (long i = 0; i < n; i += sizeof(struct inotify_event) + ((struct inotify_event *)(ev + i))->len)
                got |= (((struct inotify_event *)(ev + i))->mask & IN_MODIFY) != 0;
    }
    printf("cgroup.events IN_MODIFY: %d\n", got);
}

/* mountinfo's root field of the mount at dir. */
static void mount_root(const char *dir, const char *what)
{
    read_text("/proc/self/mountinfo", buf, sizeof buf);
    for (char *t = strtok(buf, "\n"); t; t = strtok(NULL, "\n")) {
        char root[256], point[256];
        if (sscanf(t, "%*d %*d %*s %255s %255s", root, point) == 2 && !strcmp(point, dir))
            printf("mountinfo root of %s: %s\n", what, root);
    }
}

/* /proc/PID/cgroup's v2 line, the group's unique name as G. */
static void proc_cgroup(const char *who, int pid)
{
    char p[64], *line, *save;
    snprintf(p, sizeof p, "/proc/%d/cgroup", pid);
    read_text(p, buf, sizeof buf);
    const char *name = strrchr(grp, '/') + 1;
    for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        if (!strncmp(line, "0::", 3)) {
            char out[512], *g = strstr(line, name);
            if (g)
                snprintf(out, sizeof out, "%.*sG%s", (int)(g - line), line, g + strlen(name));
            else
                snprintf(out, sizeof out, "%s", line);
            printf("%s cgroup: %s\n", who, out);
        }
}

/* Names of the controllers built here in a file's text. */
static void controllers(const char *rel)
{
    char p[256], out[64] = "";
    path(p, sizeof p, rel);
    read_text(p, buf, sizeof buf);
    for (char *t = strtok(buf, " \n"); t; t = strtok(NULL, " \n"))
        if (!strcmp(t, "cpu") || !strcmp(t, "memory") || !strcmp(t, "pids"))
            strcat(strcat(out, " "), t);
    printf("%-40s -> [%s ]\n", rel, out);
}


/* A child counting in shared memory until killed. */
static volatile long *counter;
static void on_usr1(int sig) { (void)sig, counter[1]++; }
static int spinner(void)
{
    int pid = fork();
    if (pid == 0) {
        signal(SIGUSR1, on_usr1);
        for (;;)
            (*counter)++, sleep_ms(5);
    }
    return pid;
}

static long clone3_into(int cgfd, uint64_t flags)
{
    struct clone_args a = {0};
    a.flags = flags | CLONE_INTO_CGROUP;
    a.exit_signal = SIGCHLD;
    a.cgroup = (uint64_t)cgfd;
    return syscall(SYS_clone3, &a, sizeof a);
}

static void move_self(const char *procs)
{
    int opened;
    char me[16];
    snprintf(me, sizeof me, "%d", getpid());
    write_text(procs, me, &opened);
}

static void core(void)
{
    struct statfs sf;
    struct stat st;
    char p[256];
    CHECK(statfs(top, &sf) == 0 && sf.f_type == 0x63677270);
    /* the root: core files, not those a root lacks */
    snprintf(p, sizeof p, "%s/cgroup.procs", top);
    CHECK(access(p, F_OK));
    snprintf(p, sizeof p, "%s/cgroup.type", top);
    CHECK(access(p, F_OK));
    snprintf(p, sizeof p, "%s/cgroup.freeze", top);
    CHECK(access(p, F_OK));
    CHECK(mkdir(grp, 0755));
    CHECK(mkdir(grp, 0755));
    show("cgroup.type");
    controllers("cgroup.controllers");
    show("cgroup.subtree_control");
    show("cgroup.events");
    show("cgroup.max.depth");
    show("cgroup.max.descendants");
    stat_lines();
    show("cgroup.freeze");
    show("cgroup.procs");
    show("cgroup.kill");
    mounts_line();
    path(p, sizeof p, "cgroup.procs");
    CHECK(stat(p, &st) == 0 ? (long)(st.st_mode & 07777) : -1);
    CHECK(st.st_size);
    path(p, sizeof p, "cgroup.controllers");
    CHECK(stat(p, &st) == 0 ? (long)(st.st_mode & 07777) : -1);
    int wfd = open(p, O_WRONLY);
    CHECK(write(wfd, "1", 1));
    close(wfd);
    path(p, sizeof p, "cgroup.kill");
    CHECK(stat(p, &st) == 0 ? (long)(st.st_mode & 07777) : -1);
    path(p, sizeof p, "cgroup.procs");
    CHECK(unlink(p));
    CHECK(mknod(p, S_IFREG | 0644, 0));
    path(p, sizeof p, "newfile");
    CHECK(open(p, O_CREAT | O_WRONLY, 0644));
    PUT("cgroup.subtree_control", "+nosuch");
    PUT("cgroup.subtree_control", "memory");
    PUT("cgroup.subtree_control", "+memory");
    PUT("cgroup.subtree_control", "-memory");
    PUT("cgroup.subtree_control", "");
    PUT("cgroup.max.depth", "-1");
    PUT("cgroup.max.depth", "abc");
    PUT("cgroup.max.depth", " 1 ");
    show("cgroup.max.depth");
    path(p, sizeof p, "a");
    CHECK(mkdir(p, 0700));
    path(p, sizeof p, "a/b");
    CHECK(mkdir(p, 0700));
    PUT("cgroup.max.depth", "max");
    PUT("cgroup.max.descendants", "1");
    path(p, sizeof p, "b");
    CHECK(mkdir(p, 0700));
    PUT("cgroup.max.descendants", "max");
    CHECK(mkdir(p, 0700));
    path(p, sizeof p, "a");
    CHECK(stat(p, &st) == 0 ? (long)(st.st_mode & 07777) : -1);
    stat_lines();
    show("a/cgroup.type");
    path(p, sizeof p, "b");
    CHECK(rmdir(p));
    CHECK(rmdir(p));
    PUT("cgroup.freeze", "2");
    PUT("cgroup.freeze", "x");
    PUT("cgroup.kill", "0");
    PUT("cgroup.kill", "x");
    PUT("cgroup.type", "domain");
    PUT("cgroup.procs", "abc");
    PUT("cgroup.procs", "-1");
    PUT("cgroup.procs", "99999999");
}

static void processes(void)
{
    char p[256], pid[16];
    int child = spinner(), status;
    snprintf(pid, sizeof pid, "%d", child);
    printf("write cgroup.procs child: %d\n", put("cgroup.procs", pid) == (long)strlen(pid));
    read_text((path(p, sizeof p, "cgroup.procs"), p), buf, sizeof buf);
    printf("procs is the child: %d\n", atoi(buf) == child && !strchr(buf, '\n')[1]);
    show("cgroup.events");
    proc_cgroup("child", child);
    proc_cgroup("self", getpid());
    CHECK(rmdir(grp));
    put_show("a/cgroup.threads", pid, "child");
    /* the threaded mode */
    path(p, sizeof p, "t");
    CHECK(mkdir(p, 0755));
    PUT("t/cgroup.type", "threaded");
    show("t/cgroup.type");
    show("t/cgroup.procs");
    show("cgroup.type");
    show("a/cgroup.type");
    put_show("a/cgroup.procs", pid, "child");
    printf("write t/cgroup.threads child: %d\n", put("t/cgroup.threads", pid) == (long)strlen(pid));
    proc_cgroup("child", child);
    read_text((path(p, sizeof p, "cgroup.procs"), p), buf, sizeof buf);
    printf("G's procs is still the child: %d\n", atoi(buf) == child && !strchr(buf, '\n')[1]);
    show("cgroup.threads");
    read_text((path(p, sizeof p, "t/cgroup.threads"), p), buf, sizeof buf);
    printf("t's threads is the child: %d\n", atoi(buf) == child && !strchr(buf, '\n')[1]);
    printf("write t/cgroup.procs child: %d\n", put("t/cgroup.procs", pid) == (long)strlen(pid));
    printf("write cgroup.procs child: %d\n", put("cgroup.procs", pid) == (long)strlen(pid));
    /* clone3's CLONE_INTO_CGROUP */
    int gfd = open(grp, O_RDONLY | O_DIRECTORY), ffd = open((path(p, sizeof p, "cgroup.procs"), p), O_RDONLY);
    int tfd = open(top, O_PATH), afd = open((path(p, sizeof p, "a"), p), O_RDONLY | O_DIRECTORY);
    long r = clone3_into(gfd, 0);
    if (r == 0) {
        proc_cgroup("into", getpid());
        fflush(stdout);
        _exit(0);
    }
    waitpid((int)r, &status, 0); /* its line first */
    printf("clone3 into G: %d\n", r > 0);
    CHECK(clone3_into(ffd, 0));
    int rootfd = open("/", O_RDONLY);
    CHECK(clone3_into(rootfd, 0));
    close(rootfd);
    CHECK(clone3_into(-1, 0));
    CHECK(clone3_into(afd, 0));
    r = clone3_into(tfd, 0);
    if (r == 0)
        _exit(0);
    waitpid((int)r, &status, 0);
    printf("clone3 into the root: %d\n", r > 0);
    close(gfd), close(ffd), close(tfd), close(afd);
    PUT("t/cgroup.kill", "1");
    /* the freezer */
    PUT("cgroup.freeze", "1");
    int frozen = 0;
    for (int i = 0; i < 200 && !frozen; i++) {
        read_text((path(p, sizeof p, "cgroup.events"), p), buf, sizeof buf);
        frozen = strstr(buf, "frozen 1") != NULL;
        if (!frozen)
            sleep_ms(10);
    }
    printf("frozen: %d\n", frozen);
    long before = *counter;
    kill(child, SIGUSR1);
    sleep_ms(200);
    printf("stood still: %d, its handler not run: %d\n", *counter == before, counter[1] == 0);
    show("cgroup.freeze");
    PUT("cgroup.freeze", "0");
    sleep_ms(200);
    printf("runs again: %d, its handler ran: %d\n", *counter != before, counter[1] == 1);
    show("cgroup.events");
    /* cgroup.kill, of a frozen group */
    PUT("cgroup.freeze", "1");
    sleep_ms(100);
    PUT("cgroup.kill", "1");
    CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) ? WTERMSIG(status) : -1);
    show("cgroup.events");
    PUT("cgroup.freeze", "0");
    show("cgroup.procs");
    path(p, sizeof p, "t");
    CHECK(rmdir(p));
    /* cgroup.events' poll: POLLPRI and POLLERR once it changed since the open or the last read */
    path(p, sizeof p, "w");
    CHECK(mkdir(p, 0755));
    int efd = open((path(p, sizeof p, "w/cgroup.events"), p), O_RDONLY);
    int sfd = open((path(p, sizeof p, "w/cgroup.stat"), p), O_RDONLY);
    struct pollfd pfd = {efd, POLLIN | POLLPRI, 0}, sp = {sfd, POLLIN | POLLPRI, 0};
    CHECK(poll(&pfd, 1, 0));
    CHECK(pfd.revents);
    CHECK(poll(&sp, 1, 0));
    CHECK(sp.revents);
    CHECK(read(efd, buf, sizeof buf) > 0);
    CHECK(read(sfd, buf, sizeof buf) > 0);
    CHECK(poll(&pfd, 1, 0));
    CHECK(pfd.revents);
    CHECK(poll(&sp, 1, 0));
    CHECK(sp.revents);
    close(sfd);
    int ino = inotify_init1(IN_NONBLOCK);
    CHECK(inotify_add_watch(ino, (path(p, sizeof p, "w/cgroup.events"), p), IN_MODIFY) > 0);
    int ready[2];
    pipe(ready);
    child = fork();
    if (child == 0) {
        move_self((path(p, sizeof p, "w/cgroup.procs"), p));
        write(ready[1], "x", 1);
        sleep_ms(300);
        _exit(0);
    }
    read(ready[0], buf, 1);
    modified(ino);
    CHECK(poll(&pfd, 1, 0));
    CHECK(pfd.revents);
    CHECK(pread(efd, buf, sizeof buf, 0) > 0);
    CHECK(poll(&pfd, 1, 0));
    CHECK(pfd.revents);
    pfd.events = POLLPRI;
    CHECK(poll(&pfd, 1, 5000)); /* until the child's exit empties it */
    CHECK(pfd.revents);
    CHECK(pread(efd, buf, sizeof buf, 0) > 0 && !strncmp(buf, "populated 0", 11));
    modified(ino);
    waitpid(child, &status, 0);
    close(efd), close(ready[0]), close(ready[1]), close(ino);
    path(p, sizeof p, "w");
    CHECK(rmdir(p));
    /* a zombie in a group: not populated, the group removable, its line " (deleted)" */
    path(p, sizeof p, "z");
    CHECK(mkdir(p, 0755));
    child = fork();
    if (child == 0) {
        move_self((path(p, sizeof p, "z/cgroup.procs"), p));
        _exit(0);
    }
    siginfo_t si;
    waitid(P_PID, child, &si, WEXITED | WNOWAIT);
    show("z/cgroup.events");
    show("z/cgroup.procs");
    CHECK(rmdir(p));
    proc_cgroup("zombie", child);
    waitpid(child, &status, 0);
}

/* Delegation: a group given to nobody (its directory and cgroup.procs),
 * which nobody may fill with a process of G (the common ancestor's
 * cgroup.procs is root's), nor make groups in G. */
static void delegation(void)
{
    char p[256], q[256];
    int status;
    path(p, sizeof p, "a");
    CHECK(chown(p, 65534, 65534));
    path(q, sizeof q, "a/cgroup.procs");
    CHECK(chown(q, 65534, 65534));
    int child = fork();
    if (child == 0) {
        move_self((path(p, sizeof p, "cgroup.procs"), p));
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(1);
        char me[16];
        snprintf(me, sizeof me, "%d", getpid());
        put_show("a/cgroup.procs", me, "self");
        put_show("cgroup.procs", me, "self");
        path(p, sizeof p, "a/sub");
        CHECK(mkdir(p, 0755));
        path(p, sizeof p, "nobody");
        CHECK(mkdir(p, 0755));
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, &status, 0);
    struct stat st;
    path(p, sizeof p, "a/sub");
    CHECK(stat(p, &st) == 0 ? (long)st.st_uid : -1);
    path(p, sizeof p, "a/sub/cgroup.procs");
    CHECK(stat(p, &st) == 0 ? (long)st.st_uid : -1);
    path(p, sizeof p, "a/sub");
    CHECK(rmdir(p));
}

/* A cgroup namespace made in G: its root is G. */
static void namespaces(void)
{
    char p[256], mine[64], theirs[64];
    int parent = getpid(), status;
    int child = fork();
    if (child == 0) {
        move_self((path(p, sizeof p, "cgroup.procs"), p));
        int old = open("/proc/self/ns/cgroup", O_RDONLY);
        CHECK(unshare(CLONE_NEWCGROUP));
        proc_cgroup("unshared", getpid());
        proc_cgroup("its parent", parent);
        readlink("/proc/self/ns/cgroup", mine, sizeof mine);
        snprintf(p, sizeof p, "/proc/%d/ns/cgroup", parent);
        memset(theirs, 0, sizeof theirs);
        readlink(p, theirs, sizeof theirs);
        printf("a namespace of its own: %d\n", strcmp(mine, theirs) != 0);
        int fd = open("/proc/self/ns/cgroup", O_RDONLY);
        CHECK(ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWCGROUP);
        CHECK(mount("none", mnt2, "cgroup2", 0, NULL));
        mount_root(mnt2, "the namespace's mount");
        mount_root(top, "the first mount");
        snprintf(p, sizeof p, "%s/cgroup.type", mnt2); /* G's directory: a root has none */
        CHECK(access(p, F_OK));
        snprintf(p, sizeof p, "%s/a/cgroup.type", mnt2);
        CHECK(access(p, F_OK));
        CHECK(umount(mnt2));
        CHECK(setns(old, CLONE_NEWCGROUP));
        proc_cgroup("back", getpid());
        move_self((snprintf(p, sizeof p, "%s/cgroup.procs", top), p));
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, &status, 0);
    int pid2 = syscall(SYS_clone, CLONE_NEWCGROUP | SIGCHLD, 0, 0, 0, 0);
    if (pid2 == 0) {
        proc_cgroup("cloned", getpid());
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid2, &status, 0);
}

/* A child in the group of procs (relative to G) touching 64 MiB. */
static int hog(const char *procs)
{
    char p[256];
    int child = fork();
    if (child == 0) {
        move_self((path(p, sizeof p, procs), p));
        size_t n = 64 << 20;
        char *m = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        for (size_t i = 0; i < n; i += 4096)
            m[i] = 1;
        _exit(0);
    }
    return child;
}

/* memory.events' OOM counts (its "max" counts each try to charge). */
static void oom_lines(const char *rel)
{
    char p[256], out[256] = "";
    path(p, sizeof p, rel);
    read_text(p, buf, sizeof buf);
    for (char *t = strtok(buf, "\n"); t; t = strtok(NULL, "\n"))
        if (!strncmp(t, "oom", 3))
            strcat(strcat(out, t), "|");
    printf("%-40s -> \"%s\"\n", rel, out);
}

static void persona_only(void)
{
    char p[256], pid[16];
    int status;
    /* as LTP's tst_cgroup: the controllers at the root, a child group */
    snprintf(p, sizeof p, "%s/cgroup.subtree_control", top);
    int opened;
    printf("root +memory +pids +cpu = %ld\n", write_text(p, "+memory +pids +cpu", &opened));
    snprintf(p, sizeof p, "%s/cgroup.subtree_control", top);
    read_text(p, buf, sizeof buf);
    printf("root subtree_control: %s", buf);
    snprintf(p, sizeof p, "%s/cgroup.controllers", top);
    read_text(p, buf, sizeof buf);
    printf("root controllers: %s", buf);
    read_text("/proc/cgroups", buf, sizeof buf); /* the count of groups is the machine's */
    for (char *t = strtok(buf, "\n"); t; t = strtok(NULL, "\n")) {
        char name[32];
        int h, n, e;
        if (sscanf(t, "%31s %d %d %d", name, &h, &n, &e) == 4)
            printf("/proc/cgroups: %s %d N %d\n", name, h, e);
    }
    CHECK(mkdir(grp, 0755));
    show("cgroup.controllers");
    show("memory.max");
    show("memory.high");
    show("memory.min");
    show("memory.low");
    show("memory.swap.max");
    show("memory.oom.group");
    show("memory.events");
    show("pids.max");
    show("pids.current");
    show("pids.events");
    show("cpu.weight");
    show("cpu.weight.nice");
    show("cpu.max");
    show("cpu.max.burst");
    show("cpu.stat");
    PUT("memory.max", "1M");
    show("memory.max");
    PUT("memory.max", "4097");
    show("memory.max");
    PUT("memory.max", "-1");
    PUT("memory.max", "1x");
    PUT("memory.max", "max");
    show("memory.max");
    PUT("memory.swap.max", "0");
    show("memory.swap.max");
    PUT("memory.high", "2g");
    show("memory.high");
    PUT("memory.oom.group", "2");
    PUT("memory.oom.group", "1");
    show("memory.oom.group");
    PUT("pids.max", "-1");
    PUT("pids.max", "4194305");
    PUT("pids.max", "x");
    PUT("cpu.weight", "0");
    PUT("cpu.weight", "10001");
    PUT("cpu.weight", "50");
    show("cpu.weight");
    show("cpu.weight.nice");
    PUT("cpu.weight.nice", "-21");
    PUT("cpu.weight.nice", "5");
    show("cpu.weight");
    show("cpu.weight.nice");
    PUT("cpu.max", "500");
    PUT("cpu.max", "50000 100");
    PUT("cpu.max", "x 100000");
    PUT("cpu.max", "50000");
    show("cpu.max");
    PUT("cpu.max", "max 200000");
    show("cpu.max");
    /* pids.max: a child in G forks twice under a limit of 2 */
    PUT("pids.max", "2");
    show("pids.max");
    int child = fork();
    if (child == 0) {
        move_self((path(p, sizeof p, "cgroup.procs"), p));
        int a = fork();
        if (a == 0) {
            pause();
            _exit(0);
        }
        errno = 0;
        int b = fork();
        if (b == 0)
            _exit(0);
        printf("second fork: %d %s\n", b, b < 0 ? strerror(errno) : "");
        show("pids.current");
        kill(a, SIGKILL);
        waitpid(a, NULL, 0);
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, &status, 0);
    show("pids.events");
    show("pids.current");
    PUT("pids.max", "max");
    /* the no-internal-process rule */
    child = spinner();
    snprintf(pid, sizeof pid, "%d", child);
    printf("write cgroup.procs child: %d\n", put("cgroup.procs", pid) == (long)strlen(pid));
    PUT("cgroup.subtree_control", "+memory");
    PUT("cgroup.subtree_control", "+pids");
    show("cgroup.type");
    PUT("cgroup.subtree_control", "-pids");
    path(p, sizeof p, "m");
    CHECK(mkdir(p, 0755));
    printf("write m/cgroup.procs child: %d\n", put("m/cgroup.procs", pid) == (long)strlen(pid));
    PUT("cgroup.subtree_control", "+memory");
    show("cgroup.subtree_control");
    show("m/cgroup.controllers");
    put_show("cgroup.procs", pid, "child");
    PUT("cgroup.subtree_control", "-memory");
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    PUT("cgroup.subtree_control", "+memory");
    /* memory.current: a child's 8 MiB, touched */
    PUT("m/memory.max", "16M");
    int ready[2];
    pipe(ready);
    child = fork();
    if (child == 0) {
        move_self((path(p, sizeof p, "m/cgroup.procs"), p));
        char *m = mmap(NULL, 8 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        for (size_t i = 0; i < 8 << 20; i += 4096)
            m[i] = 1;
        write(ready[1], "x", 1);
        pause();
        _exit(0);
    }
    read(ready[0], buf, 1);
    read_text((path(p, sizeof p, "m/memory.current"), p), buf, sizeof buf);
    printf("memory.current at least 8 MiB, under 16: %d\n", atol(buf) >= 8 << 20 && atol(buf) < 16 << 20);
    read_text((path(p, sizeof p, "m/memory.stat"), p), buf, sizeof buf);
    printf("memory.stat begins with anon: %d\n", !strncmp(buf, "anon ", 5));
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    /* memory.max's OOM kill */
    child = hog("m/cgroup.procs");
    CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) ? WTERMSIG(status) : -1);
    oom_lines("m/memory.events");
    oom_lines("memory.events");
    oom_lines("m/memory.events.local");
    show("m/cgroup.events");
    /* memory.oom.group: the whole group goes with its victim */
    PUT("m/memory.oom.group", "1");
    int idle = fork();
    if (idle == 0) {
        move_self((path(p, sizeof p, "m/cgroup.procs"), p));
        for (;;)
            pause();
    }
    while (read_text((path(p, sizeof p, "m/cgroup.procs"), p), buf, sizeof buf) >= 0 && !buf[0])
        sleep_ms(10);
    child = hog("m/cgroup.procs");
    CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) ? WTERMSIG(status) : -1);
    CHECK(waitpid(idle, &status, 0) == idle && WIFSIGNALED(status) ? WTERMSIG(status) : -1);
    read_text((path(p, sizeof p, "m/memory.events"), p), buf, sizeof buf);
    printf("oom_group_kill 1: %d\n", strstr(buf, "oom_group_kill 1\n") != NULL);
    path(p, sizeof p, "m");
    CHECK(rmdir(p));
    /* nsdelegate: a cgroup namespace's root's own files are its parent's */
    CHECK(mount("none", top, "cgroup2", MS_REMOUNT, "nsdelegate"));
    mounts_line();
    path(p, sizeof p, "n");
    CHECK(mkdir(p, 0755));
    child = fork();
    if (child == 0) {
        move_self((path(p, sizeof p, "n/cgroup.procs"), p));
        CHECK(unshare(CLONE_NEWCGROUP));
        proc_cgroup("in its namespace", getpid());
        PUT("n/memory.max", "1G");
        PUT("n/cgroup.max.depth", "3");
        PUT("n/cgroup.subtree_control", "+pids");
        path(p, sizeof p, "n/sub");
        CHECK(mkdir(p, 0755));
        char me[16];
        snprintf(me, sizeof me, "%d", getpid());
        put_show("n/sub/cgroup.procs", me, "self");
        PUT("n/sub/pids.max", "10");
        put_show("cgroup.procs", me, "self");
        snprintf(p, sizeof p, "%s/cgroup.procs", top);
        errno = 0;
        long r = write_text(p, me, &opened);
        printf("to the root, outside: %ld %s\n", r, strerror(errno));
        put_show("n/cgroup.procs", me, "self");
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, &status, 0);
    path(p, sizeof p, "n/sub");
    CHECK(rmdir(p));
    CHECK(mount("none", top, "cgroup2", MS_REMOUNT, ""));
    path(p, sizeof p, "n");
    CHECK(rmdir(p));
}

static void cleanup(void)
{
    char p[256];
    move_self((snprintf(p, sizeof p, "%s/cgroup.procs", top), p));
    const char *subs[] = {"a/b", "a/sub", "a", "b", "t", "w", "z", "m", "n/sub", "n"};
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
        rmdir((path(p, sizeof p, subs[i]), p));
    rmdir(grp);
    if (umount(top) < 0)
        fprintf(stderr, "umount: %s\n", strerror(errno));
    if (rmdir(top) < 0)
        fprintf(stderr, "rmdir: %s\n", strerror(errno));
    rmdir(mnt2);
}

int main(int argc, char **argv)
{
    int only = argc == 2 && !strcmp(argv[1], "persona-only");
    setvbuf(stdout, NULL, _IOLBF, 0);
    counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (unshare(CLONE_NEWNS) < 0 || mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
        perror("mount namespace");
        return 1;
    }
    strcpy(top, "/tmp/cgtest.XXXXXX");
    strcpy(mnt2, "/tmp/cgns.XXXXXX");
    if (!mkdtemp(top) || !mkdtemp(mnt2)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(grp, sizeof grp, "%s/persona-cgtest-%d", top, getpid());
    CHECK(mount("none", top, "cgroup2", 0, "nosuchopt"));
    CHECK(mount("none", top, "cgroup2", 0, NULL));
    if (only) {
        persona_only();
    } else {
        core();
        processes();
        delegation();
        namespaces();
    }
    cleanup();
    return 0;
}
