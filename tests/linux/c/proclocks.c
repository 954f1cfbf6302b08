/*
 * tests/linux/c/proclocks.c - /proc/locks lists the locks held, as Linux
 * shows them: POSIX record locks (a range, and one to the end of the
 * file), an open file description's (pid -1), a flock lock, a lease, and
 * a child's POSIX lock; once they are let go, none of ours is left.  The
 * lines that name our files are printed sorted, with the pids and
 * files named rather than numbered; the ids are checked to count up
 * from 1.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static char ids[2][32];
static int me, child;

static int by_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Our lines of /proc/locks, sorted, their pids and files named. */
static void show(const char *when)
{
    static char text[65536];
    int fd = open("/proc/locks", O_RDONLY), n = 0, next_id = 1, ids_ok = 1;
    ssize_t len = fd < 0 ? -1 : read(fd, text, sizeof text - 1);
    close(fd);
    text[len > 0 ? len : 0] = '\0';
    char *lines[64], *save;
    printf("%s:\n", when);
    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        int id, pid;
        char kind[16], adv[16], type[16], dev[64], start[32], end[32];
        if (sscanf(l, "%d: %15s %15s %15s %d %63s %31s %31s", &id, kind, adv, type, &pid, dev, start, end) != 8) {
            printf("  unparsed: %s\n", l);
            continue;
        }
        ids_ok &= id == next_id++;
        int which = !strcmp(dev, ids[0]) ? 0 : !strcmp(dev, ids[1]) ? 1 : -1;
        if (which < 0 || n == 64)
            continue;
        char needle[96], *body = strchr(l, ':') + 2, *at;
        snprintf(needle, sizeof needle, " %d %s ", pid, dev);
        if (!(at = strstr(l, needle)))
            continue;
        lines[n] = malloc(256); /* the line as it is, but its pid and file named */
        snprintf(lines[n++], 256, "  \"%.*s <%s> <%s> %s\"", (int)(at - body), body,
                 pid == me ? "self" : pid == child ? "child" : pid == -1 ? "-1" : "other", which ? "B" : "A",
                 at + strlen(needle));
    }
    qsort(lines, (size_t)n, sizeof *lines, by_text);
    for (int i = 0; i < n; i++)
        printf("%s\n", lines[i]), free(lines[i]);
    printf("  ids count up from 1: %s\n", ids_ok ? "yes" : "no");
}

static void id_of(int fd, char *out)
{
    struct stat st;
    fstat(fd, &st);
    snprintf(out, 32, "%02x:%02x:%lu", major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino);
}

static int lock(int fd, int cmd, short type, off_t start, off_t len)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    return fcntl(fd, cmd, &fl);
}

int main(void)
{
    me = getpid();
    int a = open("proclocks-a", O_RDWR | O_CREAT | O_TRUNC, 0600);
    int b = open("proclocks-b", O_RDWR | O_CREAT | O_TRUNC, 0600);
    close(b);
    b = open("proclocks-b", O_RDONLY);
    id_of(a, ids[0]);
    id_of(b, ids[1]);
    show("none");
    CHECK(lock(a, F_SETLK, F_WRLCK, 0, 10));
    CHECK(lock(a, F_SETLK, F_RDLCK, 20, 0));
    int ofd = open("proclocks-a", O_RDWR);
    CHECK(lock(ofd, F_OFD_SETLK, F_WRLCK, 10, 10));
    int fl = open("proclocks-a", O_RDONLY);
    CHECK(flock(fl, LOCK_SH));
    CHECK(fcntl(b, F_SETLEASE, F_RDLCK));
    int p[2];
    pipe(p);
    fflush(stdout);
    child = fork();
    if (child == 0) {
        int c = open("proclocks-a", O_RDWR);
        lock(c, F_SETLK, F_RDLCK, 300, 5);
        write(p[1], "x", 1);
        pause();
        _exit(0);
    }
    char x;
    read(p[0], &x, 1);
    show("held");
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    CHECK(flock(fl, LOCK_UN));
    CHECK(lock(a, F_SETLK, F_UNLCK, 5, 0));
    show("child gone, flock let go, POSIX cut at 5");
    CHECK(fcntl(b, F_SETLEASE, F_UNLCK));
    close(ofd);
    close(a);
    show("all let go");
    unlink("proclocks-a");
    unlink("proclocks-b");
    return 0;
}
