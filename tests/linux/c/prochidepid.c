/*
 * tests/linux/c/prochidepid.c - a proc mount's options (root; as Linux
 * 6.1's fs/proc/root.c): hidepid=invisible hides from a reader the
 * processes it may not ptrace (not listed, ENOENT), hidepid=noaccess
 * lists them but refuses what is in them (EPERM), gid= lets its group see
 * all; subset=pid shows the processes alone; the bad values are EINVAL;
 * /proc/mounts shows the options.  In a pid and mount namespace of the
 * test's own, with its init root's and a child another user's.  The
 * output must equal the host Linux's.
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
#include <sys/wait.h>


/* A proc directory's names: the numbers, and how many others. */
static void list(const char *who, const char *rel)
{
    DIR *d = opendir(at(rel));
    printf("%s: %s:", who, rel);
    if (!d) {
        printf(" %s\n", errno_name(errno));
        return;
    }
    int others = 0, self = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
            printf(" %s", e->d_name);
        else if (!strcmp(e->d_name, "self") || !strcmp(e->d_name, "thread-self"))
            self++;
        else if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            others++;
    }
    closedir(d);
    printf(" (self names %d, others %s)\n", self, others ? "some" : "none");
}

static long stat_of(const char *rel)
{
    struct stat st;
    return stat(at(rel), &st);
}

static long open_of(const char *rel)
{
    int fd = open(at(rel), O_RDONLY);
    if (fd >= 0)
        close(fd);
    return fd < 0 ? -1 : 0;
}

/* Each proc mount's options in /proc/mounts, past rw and the times. */
static void mounts(void)
{
    char buf[16384];
    read_text("/proc/self/mounts", buf, sizeof buf);
    for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
        char src[64], dir[256], type[32], opts[256];
        if (sscanf(l, "%63s %255s %31s %255s", src, dir, type, opts) == 4 && !strncmp(dir, base, strlen(base)))
            printf("mounts: %s %s %s\n", dir + strlen(base), type, opts);
    }
}

static void looks(const char *who)
{
    list(who, "inv");
    say(who, "stat inv/1", stat_of("inv/1"));
    say(who, "open inv/1/status", open_of("inv/1/status"));
    say(who, "open inv/2/status", open_of("inv/2/status"));
    list(who, "noacc");
    say(who, "stat noacc/1", stat_of("noacc/1"));
    say(who, "open noacc/1/status", open_of("noacc/1/status"));
    say(who, "open noacc/1/comm", open_of("noacc/1/comm"));
    list(who, "grp");
    say(who, "open grp/1/status", open_of("grp/1/status"));
    list(who, "pids");
    say(who, "open pids/meminfo", open_of("pids/meminfo"));
    say(who, "open pids/1/status", open_of("pids/1/status"));
}

static int init_body(void)
{
    mkdir(at("inv"), 0755), mkdir(at("noacc"), 0755), mkdir(at("grp"), 0755), mkdir(at("pids"), 0755);
    mkdir(at("bad"), 0755);
    say("init", "hidepid=invisible", mount("proc", at("inv"), "proc", 0, "hidepid=invisible"));
    say("init", "hidepid=1", mount("proc", at("noacc"), "proc", 0, "hidepid=1"));
    say("init", "hidepid=2,gid=4242", mount("proc", at("grp"), "proc", 0, "hidepid=2,gid=4242"));
    say("init", "subset=pid", mount("proc", at("pids"), "proc", 0, "subset=pid"));
    say("init", "hidepid=3", mount("proc", at("bad"), "proc", 0, "hidepid=3"));
    say("init", "hidepid=all", mount("proc", at("bad"), "proc", 0, "hidepid=all"));
    say("init", "subset=sys", mount("proc", at("bad"), "proc", 0, "subset=sys"));
    say("init", "gid=x", mount("proc", at("bad"), "proc", 0, "gid=x"));
    say("init", "nosuchoption=1", mount("proc", at("bad"), "proc", 0, "nosuchoption=1"));
    mounts();
    pid_t k = fork();
    if (k == 0) {
        setgroups(0, NULL);
        if (setresgid(1000, 1000, 1000) < 0 || setresuid(1000, 1000, 1000) < 0)
            _exit(90);
        looks("other user");
        _exit(0);
    }
    int st;
    waitpid(k, &st, 0);
    say("init", "the other user's end", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    k = fork();
    if (k == 0) { /* in gid= 's group */
        gid_t g = 4242;
        setgroups(1, &g);
        if (setresgid(1000, 1000, 1000) < 0 || setresuid(1000, 1000, 1000) < 0)
            _exit(90);
        list("in the group", "grp");
        say("in the group", "open grp/1/status", open_of("grp/1/status"));
        _exit(0);
    }
    waitpid(k, &st, 0);
    looks("root");
    return 0;
}

int main(void)
{
    static const char *const dirs[] = {"inv", "noacc", "grp", "pids", "bad"};
    return procmnt_main("prochidepid", init_body, dirs, 5);
}
