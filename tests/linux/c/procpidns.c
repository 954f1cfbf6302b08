/*
 * tests/linux/c/procpidns.c - a proc mounted in a pid namespace (root):
 * it shows the mounter's namespace, as Linux ties a proc instance to it.
 * Its listing names that namespace's processes by their numbers there;
 * self and thread-self name the caller's numbers there (ENOENT to a
 * process outside it); a process's status (Tgid, Pid, PPid, TracerPid,
 * NStgid, NSpid, NSpgid, NSsid from the namespace down) and stat (pid,
 * ppid, group, session); task/'s names; the same through fsopen's proc;
 * the initial /proc still shows the initial numbers.  Once the namespace
 * ended, the instance shows no process.  Runs in a mount and pid
 * namespace of its own; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"
#include "nstest.h"

static char base[64], dir[80], dir2[80];

static void show(const char *what, long r)
{
    printf("%-44s %ld %s\n", what, r, r < 0 ? errno_name(errno) : "");
    errno = 0;
}

/* The numbers a proc directory lists, in order. */
static void list(const char *who, const char *path)
{
    DIR *d = opendir(path);
    printf("%s: %s:", who, path + strlen(dir));
    if (!d) {
        printf(" %s\n", errno_name(errno));
        return;
    }
    int self = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
            printf(" %s", e->d_name);
        self += !strcmp(e->d_name, "self") || !strcmp(e->d_name, "thread-self");
    }
    closedir(d);
    printf(" (self names %d)\n", self);
}

static void link_of(const char *who, const char *path)
{
    char to[64];
    ssize_t n = readlink(path, to, sizeof to - 1);
    if (n < 0)
        printf("%s: readlink %s: %s\n", who, path + strlen(dir), errno_name(errno));
    else
        printf("%s: readlink %s: %.*s\n", who, path + strlen(dir), (int)n, to);
}

/* The lines of a status file that carry numbers of processes. */
static void status_of(const char *who, const char *path)
{
    static const char *const keys[] = {"Tgid:", "Pid:", "PPid:", "TracerPid:", "NStgid:", "NSpid:", "NSpgid:", "NSsid:"};
    char buf[8192];
    if (read_text(path, buf, sizeof buf) < 0) {
        printf("%s: %s: %s\n", who, path + strlen(dir), errno_name(errno));
        return;
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char *l = strstr(buf, keys[i]);
        while (l && l != buf && l[-1] != '\n')
            l = strstr(l + 1, keys[i]);
        char *end = l ? strchr(l, '\n') : NULL;
        printf("%s: %s %.*s\n", who, path + strlen(dir), l && end ? (int)(end - l) : 7, l && end ? l : "missing");
    }
}

/* stat's pid, ppid, group and session. */
static void stat_of(const char *who, const char *path)
{
    char buf[4096];
    if (read_text(path, buf, sizeof buf) < 0) {
        printf("%s: %s: %s\n", who, path + strlen(dir), errno_name(errno));
        return;
    }
    int pid = 0, ppid = 0, pgrp = 0, sid = 0;
    char *close = strrchr(buf, ')');
    sscanf(buf, "%d", &pid);
    if (close)
        sscanf(close + 2, "%*c %d %d %d", &ppid, &pgrp, &sid);
    printf("%s: %s: pid %d ppid %d pgrp %d session %d\n", who, path + strlen(dir), pid, ppid, pgrp, sid);
}

static void in(char *out, size_t n, const char *rel) { snprintf(out, n, "%s/%s", dir, rel); }

/* The namespace's init: it mounts the proc and looks at it. */
static int init_body(int go, int done)
{
    char p[160];
    show("init: getpid", getpid());
    show("init: mount proc", mount("proc", dir, "proc", 0, NULL));
    in(p, sizeof p, "self"), link_of("init", p);
    in(p, sizeof p, "thread-self"), link_of("init", p);
    list("init", dir);
    int ready[2], hold[2];
    if (pipe(ready) < 0 || pipe(hold) < 0)
        return 90;
    pid_t k = fork();
    if (k == 0) {
        char c;
        setsid();
        write(ready[1], "r", 1);
        read(hold[0], &c, 1);
        _exit(0);
    }
    char c;
    read(ready[0], &c, 1);
    show("init: fork", k);
    list("init", dir);
    in(p, sizeof p, "2/status"), status_of("init", p);
    in(p, sizeof p, "1/status"), status_of("init", p);
    in(p, sizeof p, "2/stat"), stat_of("init", p);
    in(p, sizeof p, "1/stat"), stat_of("init", p);
    in(p, sizeof p, "1/task/1/stat"), stat_of("init", p);
    in(p, sizeof p, "2/task"), list("init", p);
    in(p, sizeof p, "3"), list("init", p);
    in(p, sizeof p, "self/status"), status_of("init", p);
    /* the initial /proc: the initial numbers, the namespace's below them */
    char buf[64] = "";
    show("init: /proc/self is not 1", readlink("/proc/self", buf, sizeof buf - 1) > 0 && strcmp(buf, "1") != 0);
    /* fsopen's proc: the caller's namespace too */
    int fsfd = (int)syscall(SYS_fsopen, "proc", 0);
    int r = fsfd < 0 ? -1 : (int)syscall(SYS_fsconfig, fsfd, 6 /* FSCONFIG_CMD_CREATE */, NULL, NULL, 0);
    int mfd = r < 0 ? -1 : (int)syscall(SYS_fsmount, fsfd, 0, 0);
    show("init: fsmount proc", mfd < 0 ? -1 : 0);
    show("init: move_mount", mfd < 0 ? -1 : syscall(SYS_move_mount, mfd, "", AT_FDCWD, dir2, 4 /* MOVE_MOUNT_F_EMPTY_PATH */));
    snprintf(p, sizeof p, "%s/self", dir2), link_of("init (fsmount)", p);
    close(mfd), close(fsfd);
    write(go, "g", 1); /* the parent, outside, looks */
    read(done, &c, 1);
    write(hold[1], "h", 1);
    waitpid(k, NULL, 0);
    list("init", dir);
    return 0;
}

int main(void)
{
    if (ns_test_begin(base, sizeof base, "procpidns"))
        return 0;
    snprintf(dir, sizeof dir, "%s/p", base);
    snprintf(dir2, sizeof dir2, "%s/q", base);
    if (ns_test_unshare(CLONE_NEWPID) < 0) {
        printf("unshare: %s\n", errno_name(errno));
        return 1;
    }
    /* the mount points, on a tmpfs of the test's own */
    mount("tmp", base, "tmpfs", 0, NULL);
    mkdir(dir, 0755);
    mkdir(dir2, 0755);
    int go[2], done[2];
    if (pipe(go) < 0 || pipe(done) < 0)
        return 1;
    pid_t child = fork();
    if (child == 0)
        _exit(init_body(go[1], done[0]));
    char c, p[160];
    read(go[0], &c, 1);
    /* outside the namespace: its processes, by their numbers in it */
    in(p, sizeof p, "self"), link_of("outside", p);
    in(p, sizeof p, "thread-self"), link_of("outside", p);
    list("outside", dir);
    in(p, sizeof p, "1/status"), status_of("outside", p);
    in(p, sizeof p, "2/stat"), stat_of("outside", p);
    write(done[1], "d", 1);
    int st = 0;
    waitpid(child, &st, 0);
    show("init's end", WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st));
    /* the namespace is gone: no process, no self */
    list("after", dir);
    in(p, sizeof p, "self"), link_of("after", p);
    in(p, sizeof p, "1"), list("after", p);
    umount2(dir2, MNT_DETACH);
    umount2(dir, MNT_DETACH);
    umount2(base, MNT_DETACH);
    show("rmdir", rmdir(base));
    return 0;
}
