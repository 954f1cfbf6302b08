/*
 * tests/linux/c/nsproctask.c - a process's task/ directory in a proc
 * mounted in a pid namespace (root): task/TID/children numbers the
 * children in the instance's namespace; a proc mount's hidepid= holds
 * for task/ as for the process's directory (Linux's proc_pid_permission:
 * EPERM with noaccess, ENOENT with invisible, to another user holding a
 * descriptor of it opened before), and a process's and a thread's
 * directory cannot be stat'ed by one hidepid=invisible hides them from
 * (pid_getattr), while task/ itself and a thread's files can.  In a pid
 * and mount namespace of the test's own.  The output must equal the
 * host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "nstest.h"
#include "procmnt.h"
#include <dirent.h>
#include <grp.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>


static int dir_fd(const char *rel) { return open(at(rel), O_RDONLY | O_DIRECTORY); }

static long open_at(int dfd, const char *name)
{
    int fd = openat(dfd, name, O_RDONLY);
    if (fd >= 0)
        close(fd);
    return fd < 0 ? -1 : 0;
}

static long stat_fd(int fd)
{
    struct stat st;
    return fstat(fd, &st);
}

/* The names a directory descriptor lists, past . and .. */
static void names(const char *who, const char *what, int fd)
{
    char buf[4096];
    long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    printf("%s: %s:", who, what);
    if (n < 0)
        printf(" %s", errno_name(errno));
    for (long off = 0; off < n;) {
        struct {
            unsigned long long ino, off;
            unsigned short reclen;
            unsigned char type;
            char name[];
        } *d = (void *)(buf + off);
        if (strcmp(d->name, ".") && strcmp(d->name, ".."))
            printf(" %s", d->name);
        off += d->reclen;
    }
    printf("\n");
}

static int init_body(void)
{
    mkdir(at("all"), 0755), mkdir(at("inv"), 0755), mkdir(at("noacc"), 0755);
    say("init", "mount", mount("proc", at("all"), "proc", 0, NULL));
    say("init", "hidepid=invisible", mount("proc", at("inv"), "proc", 0, "hidepid=invisible"));
    say("init", "hidepid=noaccess", mount("proc", at("noacc"), "proc", 0, "hidepid=noaccess"));
    int go[2];
    if (pipe(go) < 0)
        return 1;
    pid_t kids[2];
    for (int i = 0; i < 2; i++)
        if ((kids[i] = fork()) == 0) {
            char b;
            (void)!read(go[0], &b, 1);
            _exit(0);
        }
    char buf[256];
    say("init", "children's numbers", kids[0] * 10 + kids[1]);
    say("init", "read all/1/task/1/children", read_text(at("all/1/task/1/children"), buf, sizeof buf));
    printf("init: children: \"%s\"\n", buf);
    say("init", "read all/2/task/2/children", read_text(at("all/2/task/2/children"), buf, sizeof buf));
    printf("init: children: \"%s\"\n", buf);
    int inv_pid = dir_fd("inv/1"), inv_task = dir_fd("inv/1/task"), inv_tid = dir_fd("inv/1/task/1");
    int na_pid = dir_fd("noacc/1"), na_task = dir_fd("noacc/1/task"), na_tid = dir_fd("noacc/1/task/1");
    say("init", "the descriptors", inv_pid >= 0 && inv_task >= 0 && inv_tid >= 0 && na_pid >= 0 && na_task >= 0 &&
                                       na_tid >= 0);
    pid_t k = fork();
    if (k == 0) {
        const char *w = "other user";
        setgroups(0, NULL);
        if (setresgid(1000, 1000, 1000) < 0 || setresuid(1000, 1000, 1000) < 0)
            _exit(90);
        say(w, "openat(inv task, 1)", open_at(inv_task, "1"));
        say(w, "openat(noacc task, 1)", open_at(na_task, "1"));
        say(w, "openat(inv pid, status)", open_at(inv_pid, "status"));
        say(w, "openat(noacc pid, status)", open_at(na_pid, "status"));
        say(w, "openat(inv tid, status)", open_at(inv_tid, "status"));
        say(w, "openat(noacc tid, status)", open_at(na_tid, "status"));
        say(w, "fstat(inv pid)", stat_fd(inv_pid));
        say(w, "fstat(inv task)", stat_fd(inv_task));
        say(w, "fstat(inv tid)", stat_fd(inv_tid));
        say(w, "fstat(noacc pid)", stat_fd(na_pid));
        say(w, "fstat(noacc tid)", stat_fd(na_tid));
        names(w, "inv task", inv_task);
        _exit(0);
    }
    int st;
    waitpid(k, &st, 0);
    say("init", "the other user's end", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    say("init", "openat(inv task, 1)", open_at(inv_task, "1"));
    say("init", "fstat(inv tid)", stat_fd(inv_tid));
    (void)!write(go[1], "xx", 2);
    while (wait(NULL) > 0)
        ;
    return 0;
}

int main(void)
{
    static const char *const dirs[] = {"all", "inv", "noacc"};
    return procmnt_main("nsproctask", init_body, dirs, 3);
}
