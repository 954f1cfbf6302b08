/*
 * tests/linux/c/creds.c - users, groups and permissions: the id calls
 * with Linux's rules for root and for others (setuid, setreuid,
 * setresuid, setfsuid and their group twins, setgroups), and the
 * permission checks a process that dropped root meets: reading, writing
 * and creating files, searching directories, a sticky directory, chmod
 * and chown by an owner, access with the real ids, utimes, exec of a file
 * nobody may execute, and of a set-user-ID and set-group-ID program (a
 * copy of this one, which then reports its ids); kill to a process of
 * another user.  One line per check; the output must equal
 * the host Linux's (run as root).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/fsuid.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

/* The raw calls: a C library's wrappers would make every thread change. */
#define setresuid_(r, e, s) syscall(SYS_setresuid, r, e, s)
#define setresgid_(r, e, s) syscall(SYS_setresgid, r, e, s)

static void ids(const char *when)
{
    uid_t r, e, s;
    gid_t gr, ge, gs;
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    printf("%s: uid %u %u %u fsuid %d, gid %u %u %u fsgid %d\n", when, r, e, s, setfsuid(-1), gr, ge, gs,
           setfsgid(-1));
}

static void groups(void)
{
    gid_t g[16];
    int n = getgroups(16, g);
    printf("groups (%d):", n);
    for (int i = 0; i < n; i++)
        printf(" %u", g[i]);
    printf("\n");
}

static void status_ids(void)
{
    char line[256];
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4) || !strncmp(line, "Groups:", 7))
            fputs(line, stdout);
    if (f)
        fclose(f);
}

static void owner(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0)
        printf("%s: uid %u gid %u mode %o\n", path, st.st_uid, st.st_gid, st.st_mode & 07777);
    else
        printf("%s: %s\n", path, strerror(errno));
}

static void make(const char *path, int mode, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    write(fd, text, strlen(text));
    close(fd);
    chmod(path, mode);
}

/* A child that waits for the pipe's end to close (ours, at our exit), in
 * a process group of its own if own_group. */
static pid_t waiter(int own_group)
{
    int p[2];
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        char b;
        if (own_group)
            setpgid(0, 0);
        close(p[1]);
        read(p[0], &b, 1);
        _exit(0);
    }
    if (own_group)
        setpgid(pid, pid); /* the parent too, as shells do: the group exists before either runs on */
    close(p[0]);
    return pid;
}

/* exec in a child: its errno comes back as its exit status. */
static int exec_errno(const char *path)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl(path, path, (char *)NULL);
        _exit(errno);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* This program, copied, owned by 1234:4321 and made set-user-ID and
 * set-group-ID. */
static void make_setid_copy(void)
{
    static char img[4 << 20];
    int in = open("/proc/self/exe", O_RDONLY), out = open("setid", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    ssize_t n = read(in, img, sizeof img);
    write(out, img, (size_t)n);
    close(in);
    close(out);
    chown("setid", 1234, 4321);
    chmod("setid", 06755);
}

static void run_setid_copy(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execl("./setid", "setid", "report", (char *)NULL);
        _exit(errno);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("set-id program: status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "report")) {
        ids("set-id program");
        return 0;
    }
    umask(022);
    mkdir("credtest", 0777);
    chmod("credtest", 0777);
    if (chdir("credtest") < 0)
        return 1;

    /* as root */
    CHECK(setgroups(0, NULL));
    groups();
    CHECK(setgroups(3, (gid_t[]){30, 10, 20}));
    CHECK(getgroups(0, NULL));
    CHECK(getgroups(1, (gid_t[1]){0}));
    groups();
    CHECK(setuid(-1));
    CHECK(setgid(-1));
    make("rootfile", 0600, "secret\n");
    make("shared", 0666, "shared\n");
    make("readonly", 0444, "ro\n");
    make("script.sh", 0644, "#!/bin/sh\necho hi\n");
    make("noexec", 0600, "#!/bin/sh\n");
    mkdir("private", 0700);
    make("private/f", 0644, "f\n");
    mkdir("sticky", 01777);
    chmod("sticky", 01777);
    make("sticky/rootowned", 0666, "r\n");
    mkdir("open", 0777);
    chmod("open", 0777);
    make_setid_copy();
    owner("setid");
    CHECK(exec_errno("./script.sh"));
    CHECK(access("script.sh", X_OK));
    CHECK(access("rootfile", R_OK | W_OK));

    /* the file-system id alone */
    CHECK(setfsuid(1000));
    CHECK(setfsuid(1000));
    CHECK(open("rootfile", O_RDONLY));
    CHECK(setfsuid(0));
    CHECK(open("rootfile", O_RDONLY) >= 0);

    pid_t roots = waiter(0), roots_group = waiter(1);

    /* drop to 1000 (group 100), keeping 0 saved */
    CHECK(setresgid_(100, 100, 100));
    CHECK(setresuid_(1000, 1000, 0));
    ids("dropped");
    status_ids();
    CHECK(open("rootfile", O_RDONLY));
    CHECK(open("shared", O_RDWR) >= 0);
    CHECK(open("readonly", O_WRONLY));
    CHECK(open("readonly", O_RDONLY | O_TRUNC));
    CHECK(open("readonly", O_RDONLY) >= 0);
    CHECK(open("private/f", O_RDONLY));
    CHECK(mkdir("private/d", 0755));
    CHECK(chdir("private"));
    CHECK(access("readonly", W_OK));
    CHECK(access("readonly", R_OK));
    CHECK(access("private/f", F_OK));
    CHECK(truncate("readonly", 0));
    CHECK(open("mine", O_WRONLY | O_CREAT | O_EXCL, 0600) >= 0);
    owner("mine");
    CHECK(open("mine", O_RDWR) >= 0);
    CHECK(mkdir("mydir", 0755));
    owner("mydir");
    CHECK(chmod("rootfile", 0644));
    CHECK(chmod("mine", 02755));
    owner("mine");
    CHECK(chown("mine", 0, -1));
    CHECK(chown("mine", 1000, -1));
    CHECK(chown("mine", -1, 10));
    owner("mine");
    CHECK(chown("mine", -1, 55));
    CHECK(chown("rootfile", -1, 100));
    CHECK(chmod("mine", 02755));
    owner("mine");
    CHECK(utimensat(AT_FDCWD, "shared", NULL, 0));
    CHECK(utimensat(AT_FDCWD, "readonly", NULL, 0));
    CHECK(utimensat(AT_FDCWD, "shared", (struct timespec[]){{1, 0}, {2, 0}}, 0));
    CHECK(unlink("sticky/rootowned"));
    CHECK(rename("sticky/rootowned", "moved"));
    CHECK(open("sticky/mine", O_WRONLY | O_CREAT, 0644) >= 0);
    CHECK(unlink("sticky/mine"));
    CHECK(rename("shared", "sticky/shared"));
    CHECK(unlink("private/f"));
    CHECK(rename("private", "open/private"));
    CHECK(link("readonly", "private/link"));
    CHECK(symlink("readonly", "private/sym"));
    CHECK(exec_errno("./noexec"));
    CHECK(exec_errno("./private/f"));
    run_setid_copy();

    /* what only root may: the machine's names, a reboot, a lower nice
     * value, another user's nice value, a higher hard limit */
    CHECK(sethostname("intruder", 8));
    CHECK(reboot(RB_POWER_OFF));
    CHECK(setpriority(PRIO_PROCESS, 0, 5));
    CHECK(getpriority(PRIO_PROCESS, 0));
    CHECK(setpriority(PRIO_PROCESS, 0, 2));
    CHECK(setpriority(PRIO_PROCESS, roots, 5));
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_max++;
    CHECK(setrlimit(RLIMIT_NOFILE, &rl));
    rl.rlim_cur = rl.rlim_max = 100;
    CHECK(setrlimit(RLIMIT_NOFILE, &rl));
    rl.rlim_max = 101;
    CHECK(setrlimit(RLIMIT_NOFILE, &rl));

    /* signals: to root's process, no; to one's own, yes */
    CHECK(kill(roots, 0));
    CHECK(kill(roots, SIGTERM));
    pid_t mine = waiter(0);
    CHECK(kill(mine, 0));
    CHECK(kill(mine, SIGCONT));
    CHECK(kill(-roots_group, 0)); /* a group of root's alone */
    CHECK(kill(-roots_group, SIGTERM));
    CHECK(kill(0, 0)); /* our own group: some of it is ours */

    /* the ids among themselves */
    CHECK(setresuid_(2000, -1, -1));
    CHECK(setreuid(-1, 0));
    ids("saved root back");
    CHECK(setuid(1000));
    ids("setuid as root");
    CHECK(setuid(0));
    CHECK(seteuid(0));
    CHECK(setreuid(1000, 1000));
    CHECK(setfsuid(0));
    CHECK(setfsuid(-1));
    CHECK(setgroups(0, NULL));
    CHECK(setgid(100));
    CHECK(setgid(0));
    CHECK(setregid(-1, 0));
    ids("unprivileged");
    groups();
    return 0;
}
