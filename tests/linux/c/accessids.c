/*
 * tests/linux/c/accessids.c - access and faccessat2 with the real ids and,
 * as Linux's access_override_creds, no capabilities for a real uid not 0
 * (AT_EACCESS: the effective ones); capset's rules (permitted only
 * shrinks, effective and inheritable within it, the bounding set);
 * setfsuid's dropping and raising of the file-system capabilities
 * (CAP_MKNOD among them); the ids' changes with and without
 * PR_SET_KEEPCAPS.  CAP_SYS_RESOURCE (24) is left out of what is
 * printed: a container may lack it.
 */
#define _GNU_SOURCE
#include "check.h"
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/fsuid.h>
#include <grp.h>
#include <stdlib.h>
#include <unistd.h>
struct hdr { unsigned version; int pid; };
struct data { unsigned effective, permitted, inheritable; };
#define V3 0x20080522
#define BAD ((void *)-1)
static void show(void) {
    struct hdr h = {V3, 0}; struct data d[2];
    syscall(SYS_capget, &h, d);
    printf("caps e %x/%x p %x/%x i %x/%x\n", d[0].effective & ~(1u<<24), d[1].effective, d[0].permitted & ~(1u<<24), d[1].permitted, d[0].inheritable, d[1].inheritable);
}
int main(void)
{
    setvbuf(stdout, 0, _IONBF, 0);
    CHECK(chmod(".", 0755)); /* the test's directory, searchable by all as on either side */
    int fd = creat("f", 0644); close(fd); symlink("f", "ln"); mkdir("d", 0755); creat("d/x", 0600);
    fd = open("f", O_RDONLY); int dfd = open("d", O_RDONLY);
    CHECK(syscall(439, 999, "f", R_OK, 0));
    CHECK(syscall(439, fd, "x", R_OK, 0));
    CHECK(syscall(439, dfd, "x", R_OK, 0));
    CHECK(syscall(439, AT_FDCWD, "ln", R_OK, AT_SYMLINK_NOFOLLOW));
    CHECK(syscall(439, AT_FDCWD, "ln", R_OK, AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH));
    CHECK(syscall(439, AT_FDCWD, "ln", R_OK, 0x1));
    CHECK(syscall(439, AT_FDCWD, BAD, R_OK, 0));
    CHECK(syscall(SYS_faccessat, AT_FDCWD, "ln", R_OK, AT_SYMLINK_NOFOLLOW));
    CHECK(syscall(SYS_access, "f", 0x80));
    chmod("d", 0711);
    if (fork() == 0) {
        CHECK(setresuid(65534, -1, -1));
        CHECK(syscall(439, AT_FDCWD, "f", W_OK, 0));
        CHECK(syscall(439, AT_FDCWD, "f", W_OK, AT_EACCESS));
        CHECK(syscall(439, dfd, "x", R_OK, 0));
        CHECK(syscall(439, dfd, "x", R_OK, AT_EACCESS));
        CHECK(access("d/x", F_OK));
        CHECK(access("d", R_OK));
        CHECK(access("d", X_OK));
        CHECK(access("/", W_OK));
        CHECK(setresuid(-1, 65534, -1)); show();
        CHECK(syscall(439, AT_FDCWD, "f", W_OK, AT_EACCESS));
        CHECK(access("f", W_OK));
        CHECK(setfsuid(0)); CHECK(open("d/x", O_RDONLY) >= 0);
        CHECK(setresuid(-1, 0, -1)); show();
        exit(0);
    }
    wait(0);
    /* capset rules */
    if (fork() == 0) {
        struct hdr h = {V3, 0}; struct data d[2];
        syscall(SYS_capget, &h, d);
        d[0].inheritable = 0; d[1].inheritable = 0;
        d[0].permitted &= ~(1u << 7); d[0].effective &= ~(1u << 7);
        CHECK(syscall(SYS_capset, &h, d)); show();
        d[0].permitted |= 1u << 7; CHECK(syscall(SYS_capset, &h, d));
        d[0].permitted &= ~(1u << 7); d[0].effective |= 1u << 7; CHECK(syscall(SYS_capset, &h, d));
        d[0].effective &= ~(1u << 7); d[0].inheritable |= 1u << 7; CHECK(syscall(SYS_capset, &h, d));
        d[0].inheritable = 0;
        CHECK(prctl(PR_CAPBSET_DROP, 5)); d[0].inheritable = 1u << 5; CHECK(syscall(SYS_capset, &h, d)); d[0].inheritable = 0;
        CHECK(prctl(PR_CAPBSET_READ, 5)); CHECK(prctl(PR_CAPBSET_READ, 99));
        h.pid = getpid(); CHECK(syscall(SYS_capset, &h, d));
        h.pid = getpid() + 1000; CHECK(syscall(SYS_capset, &h, d));
        h.pid = -5; CHECK(syscall(SYS_capget, &h, d));
        h.pid = 0; h.version = 0x19980330; CHECK(syscall(SYS_capset, &h, d));
        h.version = 0x20071026; CHECK(syscall(SYS_capget, &h, d));
        h.version = 0x19980330; CHECK(syscall(SYS_capget, &h, d)); 
        CHECK(setuid(65534)); show();
        CHECK(setgroups(0, 0));
        CHECK(setgid(0)); CHECK(setfsgid(0)); CHECK(setfsgid(-1)); CHECK(setfsuid(0)); CHECK(setfsuid(-1));
        CHECK(chroot("/"));
        exit(0);
    }
    wait(0);
    if (fork() == 0) {
        CHECK(prctl(PR_SET_KEEPCAPS, 1));
        CHECK(setresuid(1000, 1000, 1000)); show();
        CHECK(setresuid(1000, 0, 1000)); show();
        exit(0);
    }
    wait(0);
    if (fork() == 0) {
        CHECK(setresuid(1000, 0, 0)); show();
        CHECK(setreuid(-1, 1000)); show();
        CHECK(setreuid(-1, 0)); show();
        CHECK(setfsuid(1000)); show();
        CHECK(setfsuid(0)); show();
        CHECK(setuid(1000)); show();
        exit(0);
    }
    wait(0);
    unlink("d/x"), rmdir("d"), unlink("ln"), unlink("f");
    return 0;
}
