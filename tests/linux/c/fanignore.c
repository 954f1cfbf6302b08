/*
 * tests/linux/c/fanignore.c - fanotify's FAN_MARK_IGNORE as root on a
 * tmpfs of its own: its checks (SURV_MODIFY wanted on a directory, a
 * mount, a file system; no directory flags on a file; EEXIST for going
 * back to the legacy ignore mask, for dropping SURV_MODIFY, for making a
 * mark evictable), its flags in fdinfo, and what it ignores: FAN_ONDIR
 * and FAN_EVENT_ON_CHILD in the ignore mask say whether a directory's
 * own events and its children's are ignored (the legacy
 * FAN_MARK_IGNORED_MASK ignores both, the children's when the mark
 * watches them).  On the host it runs in a mount namespace of its own.
 */
#define _GNU_SOURCE
#include "check.h"
#include "fanabi.h"
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define D "/tmp/fanignore-test"

/* linux/fanotify.h's, which musl's headers do not have */
#define FAN_CLOSE_NOWRITE 0x10
#define FAN_OPEN 0x20
#define FAN_EVENT_ON_CHILD 0x08000000
#define FAN_ONDIR 0x40000000
#define FAN_NONBLOCK 2
#define FAN_MARK_ADD 1
#define FAN_MARK_REMOVE 2
#define FAN_MARK_MOUNT 0x10
#define FAN_MARK_IGNORED_MASK 0x20
#define FAN_MARK_IGNORED_SURV_MODIFY 0x40
#define FAN_MARK_FILESYSTEM 0x100
#define FAN_MARK_EVICTABLE 0x200
#define FAN_MARK_IGNORE 0x400
#define FAN_MARK_IGNORE_SURV (FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY)

/* The events queued: each one's mask and file. */
static void drain(int g, const char *what)
{
    char buf[4096], link[128], proc[64];
    ssize_t n = read(g, buf, sizeof buf);
    printf("%s:", what);
    if (n < 0)
        printf(" none");
    for (ssize_t at = 0; n > 0 && at < n;) {
        struct meta *m = (struct meta *)(buf + at);
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", m->fd);
        ssize_t l = readlink(proc, link, sizeof link - 1);
        link[l > 0 ? l : 0] = '\0';
        printf(" %#llx %s;", (unsigned long long)m->mask, link);
        close(m->fd);
        at += m->event_len;
    }
    printf("\n");
}

/* Opens D and D/f, each closed at once. */
static void opens(void)
{
    close(open(D, O_RDONLY | O_DIRECTORY));
    close(open(D "/f", O_RDONLY));
}

static void show_marks(int g)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", g);
    FILE *f = fopen(path, "r");
    unsigned mflags, mask, ignored;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "fanotify ino:%*x sdev:%*x mflags:%x mask:%x ignored_mask:%x", &mflags, &mask, &ignored) == 3)
            printf("  mark: mflags %x mask %x ignored %x\n", mflags, mask, ignored);
    if (f)
        fclose(f);
}

static void errors(void)
{
    int g = fan_init(FAN_NONBLOCK, O_RDONLY);
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_IGNORE, FAN_OPEN, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_IGNORE | FAN_MARK_MOUNT, FAN_OPEN, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_IGNORE | FAN_MARK_FILESYSTEM, FAN_OPEN, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_IGNORE | FAN_MARK_IGNORED_MASK, FAN_OPEN, AT_FDCWD, D "/f"));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_IGNORE, FAN_OPEN | FAN_ONDIR, AT_FDCWD, D "/f"));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_IGNORE, FAN_OPEN | FAN_EVENT_ON_CHILD, AT_FDCWD, D "/f"));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_IGNORE_SURV | FAN_MARK_MOUNT, FAN_OPEN, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_IGNORE_SURV, FAN_OPEN, AT_FDCWD, D "/f"));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK, FAN_OPEN, AT_FDCWD, D "/f"));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_IGNORE, FAN_OPEN, AT_FDCWD, D "/f"));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_EVICTABLE, FAN_OPEN, AT_FDCWD, D "/f"));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_EVICTABLE | FAN_MARK_MOUNT, FAN_OPEN, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_EVICTABLE, FAN_OPEN, AT_FDCWD, D));
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_CLOSE_NOWRITE, AT_FDCWD, D));
    show_marks(g);
    CHECK(fan_mark(g, FAN_MARK_REMOVE | FAN_MARK_IGNORE, FAN_OPEN, AT_FDCWD, D "/f"));
    show_marks(g);
    close(g);
}

/* A directory's mark hearing itself and its children, with an ignore
 * mark made one way or the other. */
static void semantics(const char *what, unsigned how, uint64_t ignore)
{
    int g = fan_init(FAN_NONBLOCK, O_RDONLY);
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN | FAN_ONDIR | FAN_EVENT_ON_CHILD, AT_FDCWD, D));
    long r = fan_mark(g, FAN_MARK_ADD | how, ignore, AT_FDCWD, D);
    printf("%s: ignore %#llx = %ld\n", what, (unsigned long long)ignore, r);
    opens();
    drain(g, "  events");
    close(g);
}

int main(void)
{
    unshare(CLONE_NEWNS);
    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
    mkdir(D, 0755);
    CHECK(mount("none", D, "tmpfs", 0, NULL));
    close(open(D "/f", O_WRONLY | O_CREAT, 0644));
    errors();
    unsigned legacy = FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY;
    semantics("legacy", legacy, FAN_OPEN);
    semantics("legacy", legacy, FAN_OPEN | FAN_ONDIR | FAN_EVENT_ON_CHILD);
    semantics("new", FAN_MARK_IGNORE_SURV, FAN_OPEN);
    semantics("new", FAN_MARK_IGNORE_SURV, FAN_OPEN | FAN_ONDIR);
    semantics("new", FAN_MARK_IGNORE_SURV, FAN_OPEN | FAN_EVENT_ON_CHILD);
    semantics("new", FAN_MARK_IGNORE_SURV, FAN_OPEN | FAN_ONDIR | FAN_EVENT_ON_CHILD);
    int g = fan_init(FAN_NONBLOCK, O_RDONLY);
    CHECK(fan_mark(g, FAN_MARK_ADD, FAN_OPEN | FAN_CLOSE_NOWRITE, AT_FDCWD, D "/f"));
    CHECK(fan_mark(g, FAN_MARK_ADD | FAN_MARK_IGNORE, FAN_OPEN, AT_FDCWD, D "/f"));
    opens();
    drain(g, "a file's ignore");
    close(g);
    CHECK(umount2(D, MNT_DETACH));
    CHECK(rmdir(D));
    return 0;
}
