/*
 * tests/linux/i386/same32.c - i386 calls whose structures are the same as
 * x86-64's, run by the 64-bit handlers: epoll_pwait and epoll_pwait2,
 * sched_setattr and sched_getattr, ioprio_set and ioprio_get, sysfs,
 * name_to_handle_at and open_by_handle_at, the mount API (fsopen,
 * fsconfig, fsmount, move_mount, open_tree, mount_setattr, fspick),
 * futex_waitv, clock_adjtime64's read, and the errors of acct, swapon,
 * swapoff, reboot and pivot_root.  Built gcc -m32 -static; the output
 * must equal the host Linux's running the same binary (run as root).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../c/check.h"

struct ts64 { int64_t sec, nsec; };

static void epoll_calls(void)
{
    int ep = epoll_create1(0), p[2];
    pipe(p);
    struct epoll_event ev = {EPOLLIN, {.u64 = 0x1122334455667788ull}}, out[4];
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    CHECK(syscall(SYS_epoll_pwait, ep, out, 4, 0, NULL, 8));
    write(p[1], "x", 1);
    uint64_t mask = 0;
    CHECK(syscall(SYS_epoll_pwait, ep, out, 4, 100, &mask, 8));
    printf("  events %#x data %#llx\n", out[0].events, (unsigned long long)out[0].data.u64);
    struct ts64 t = {0, 1000000};
    CHECK(syscall(SYS_epoll_pwait2, ep, out, 4, &t, NULL, 8));
    CHECK(syscall(SYS_epoll_pwait, ep, out, 4, 0, &mask, 7));
    CHECK(syscall(SYS_epoll_pwait2, ep, out, 0, &t, NULL, 8));
    close(p[0]), close(p[1]), close(ep);
}

static void sched_calls(void)
{
    uint32_t attr[14] = {0}; /* struct sched_attr: size, policy, flags (u64), nice, priority, ... */
    CHECK(syscall(SYS_sched_getattr, 0, attr, sizeof attr, 0));
    printf("  size %u policy %u nice %d\n", attr[0], attr[1], (int)attr[4]);
    attr[0] = 48, attr[1] = 0, attr[4] = 2;
    CHECK(syscall(SYS_sched_setattr, 0, attr, 0));
    CHECK(syscall(SYS_sched_getattr, 0, attr, sizeof attr, 0));
    printf("  nice now %d\n", (int)attr[4]);
    attr[4] = 0;
    CHECK(syscall(SYS_sched_setattr, 0, attr, 0));
    CHECK(syscall(SYS_sched_getattr, 0, attr, 8, 0));
    CHECK(syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 5)); /* IOPRIO_WHO_PROCESS, best effort 5 */
    CHECK(syscall(SYS_ioprio_get, 1, 0));
    CHECK(syscall(SYS_ioprio_set, 1, 0, 0));
    CHECK(syscall(SYS_ioprio_get, 9, 0));
}

static void fs_calls(void)
{
    char name[32] = {0};
    long n = syscall(SYS_sysfs, 3);
    printf("sysfs(3) counts: %d\n", n > 0);
    CHECK(syscall(SYS_sysfs, 1, "tmpfs") >= 0);
    CHECK(syscall(SYS_sysfs, 2, 0, name));
    CHECK(syscall(SYS_sysfs, 1, "no-such-fs"));
    close(open("h32", O_CREAT | O_WRONLY, 0644));
    struct { uint32_t bytes; int32_t type; unsigned char h[128]; } fh = {128, 0, {0}};
    int mnt;
    CHECK(syscall(SYS_name_to_handle_at, AT_FDCWD, "h32", &fh, &mnt, 0));
    int fd = syscall(SYS_open_by_handle_at, AT_FDCWD, &fh, O_RDONLY);
    printf("open_by_handle_at opens: %d\n", fd >= 0);
    close(fd);
    fh.bytes = 1;
    CHECK(syscall(SYS_name_to_handle_at, AT_FDCWD, "h32", &fh, &mnt, 0));
    printf("  needs %u\n", fh.bytes > 1);
    unlink("h32");

    mkdir("m32", 0755);
    int fs = syscall(SYS_fsopen, "tmpfs", 0);
    printf("fsopen: %d\n", fs >= 0);
    CHECK(syscall(SYS_fsconfig, fs, 0, "size", NULL, 0)); /* FSCONFIG_SET_FLAG: not a flag */
    CHECK(syscall(SYS_fsconfig, fs, 1, "size", "1m", 0)); /* FSCONFIG_SET_STRING */
    CHECK(syscall(SYS_fsconfig, fs, 6, NULL, NULL, 0));   /* FSCONFIG_CMD_CREATE */
    int m = syscall(SYS_fsmount, fs, 0, 0);
    printf("fsmount: %d\n", m >= 0);
    CHECK(syscall(SYS_move_mount, m, "", AT_FDCWD, "m32", 4)); /* MOVE_MOUNT_F_EMPTY_PATH */
    close(open("m32/in", O_CREAT | O_WRONLY, 0644));
    int t = syscall(SYS_open_tree, AT_FDCWD, "m32", 1); /* OPEN_TREE_CLONE */
    printf("open_tree: %d\n", t >= 0);
    uint64_t attr[4] = {1, 0, 0, 0}; /* MOUNT_ATTR_RDONLY set */
    CHECK(syscall(SYS_mount_setattr, AT_FDCWD, "m32", 0, attr, 32));
    printf("  read-only: %d\n", open("m32/new", O_CREAT | O_WRONLY, 0644) < 0 ? errno == EROFS : 0);
    CHECK(syscall(SYS_mount_setattr, AT_FDCWD, "m32", 0, attr, 7));
    int pk = syscall(SYS_fspick, AT_FDCWD, "m32", 0);
    printf("fspick: %d\n", pk >= 0);
    close(pk), close(t), close(m), close(fs);
    CHECK(umount2("m32", 0));
    rmdir("m32");
    CHECK(syscall(SYS_fsopen, "no-such-fs", 0));
}

static void misc_calls(void)
{
    uint32_t word = 5;
    struct { uint64_t val, uaddr; uint32_t flags, reserved; } w = {4, (uintptr_t)&word, 2 | 128, 0}; /* FUTEX2_SIZE_U32 | PRIVATE */
    struct ts64 t = {0, 0};
    CHECK(syscall(SYS_futex_waitv, &w, 1, 0, &t, 1)); /* the value differs: EAGAIN */
    w.val = 5;
    CHECK(syscall(SYS_futex_waitv, &w, 1, 0, &t, 1)); /* CLOCK_MONOTONIC, already past */
    CHECK(syscall(SYS_futex_waitv, &w, 0, 0, NULL, 0));
    long long tx[26] = {0}; /* struct __kernel_timex, modes 0: a read */
    CHECK(syscall(SYS_clock_adjtime64, 0, tx) >= 0);
    CHECK(syscall(SYS_clock_adjtime64, 99, tx));
    CHECK(syscall(SYS_acct, (void *)16));
    CHECK(syscall(SYS_swapon, "/nonexistent-swap", 0));
    CHECK(syscall(SYS_swapoff, "/nonexistent-swap"));
    CHECK(syscall(SYS_reboot, 1, 2, 3, NULL));
    CHECK(syscall(SYS_pivot_root, "/nonexistent-a", "/nonexistent-b"));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    chdir("/tmp");
    epoll_calls();
    sched_calls();
    fs_calls();
    misc_calls();
    return 0;
}
