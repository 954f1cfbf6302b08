/*
 * tests/linux/c/nssysuser.c - /proc/sys/user in a user namespace of its
 * own: each of its limits is the namespace's (INT_MAX in a new one, its
 * owner's to write, EINVAL below 0), the inotify and fanotify ones
 * included, and a write there leaves the initial namespace's
 * (/proc/sys/user's and /proc/sys/fs/inotify's) as they were; a limit
 * set there holds there (inotify_init1 past max_inotify_instances:
 * EMFILE).  Run as root; nothing of the
 * host's changes.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include "nstest.h"
#include <dirent.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* /proc/sys/user's names, sorted, with their modes and values. */
static void show(const char *who)
{
    DIR *d = opendir("/proc/sys/user");
    char names[32][64];
    int n = 0;
    for (struct dirent *e; d && n < 32 && (e = readdir(d));)
        if (e->d_name[0] != '.')
            snprintf(names[n++], sizeof names[0], "%s", e->d_name);
    if (d)
        closedir(d);
    qsort(names, (size_t)n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    for (int i = 0; i < n; i++) {
        char p[128], buf[64];
        struct stat st;
        snprintf(p, sizeof p, "/proc/sys/user/%s", names[i]);
        stat(p, &st);
        long r = read_text(p, buf, sizeof buf);
        printf("%s: %-24s %o %s", who, names[i], st.st_mode & 0777, r < 0 ? "?\n" : buf);
    }
}

static const char *const watched[] = {"/proc/sys/user/max_inotify_instances", "/proc/sys/user/max_inotify_watches",
                                      "/proc/sys/user/max_fanotify_groups", "/proc/sys/user/max_user_namespaces",
                                      "/proc/sys/fs/inotify/max_user_instances"};

int main(void)
{
    if (ns_test_begin(NULL, 0, "nssysuser"))
        return 0;
    char before[5][64], after[64];
    for (int i = 0; i < 5; i++)
        read_text(watched[i], before[i], sizeof before[i]);
    int opened;
    pid_t k = fork();
    if (k == 0) {
        CHECK(unshare(CLONE_NEWUSER));
        show("new");
        CHECK(write_text("/proc/sys/user/max_user_namespaces", "5", &opened));
        CHECK(write_text("/proc/sys/user/max_inotify_watches", "7", &opened));
        CHECK(write_text("/proc/sys/user/max_fanotify_groups", "3", &opened));
        CHECK(write_text("/proc/sys/user/max_inotify_instances", "1", &opened));
        CHECK(write_text("/proc/sys/user/max_user_namespaces", "-1", &opened));
        show("set");
        CHECK(inotify_init1(0) >= 0);
        CHECK(inotify_init1(0)); /* past its max_inotify_instances: EMFILE */
        _exit(0);
    }
    waitpid(k, NULL, 0);
    for (int i = 0; i < 5; i++) {
        read_text(watched[i], after, sizeof after);
        printf("initial %s: %s\n", watched[i], strcmp(after, before[i]) ? "changed" : "as it was");
    }
    return 0;
}
