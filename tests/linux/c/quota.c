/*
 * tests/linux/c/quota.c - quotactl and quotactl_fd where no quota is
 * kept: /proc (a file system without quota operations on every Linux:
 * ENOSYS), a path that is not a block device (ENOTBLK), no device at all
 * (ENODEV, and Q_SYNC's 0), and the errors checked first (the quota
 * type, the descriptor, the path).  The output must equal the host
 * Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define QCMD(cmd, type) (((cmd) << 8) | ((type) & 0xff))
#ifndef SYS_quotactl_fd
#define SYS_quotactl_fd 443 /* newer than musl's headers */
#endif
#define Q_SYNC 0x800001
#define Q_GETQUOTA 0x800007
#define Q_GETINFO 0x800005

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char buf[512];
    int proc = open("/proc", O_RDONLY | O_DIRECTORY), opath = open("/proc", O_PATH);
    CHECK(syscall(SYS_quotactl_fd, proc, QCMD(Q_GETQUOTA, 0), 0, buf));
    CHECK(syscall(SYS_quotactl_fd, proc, QCMD(Q_GETINFO, 1), 0, buf));
    CHECK(syscall(SYS_quotactl_fd, proc, QCMD(Q_SYNC, 2), 0, NULL));
    CHECK(syscall(SYS_quotactl_fd, opath, QCMD(Q_GETQUOTA, 0), 0, buf));
    CHECK(syscall(SYS_quotactl_fd, proc, QCMD(Q_GETQUOTA, 3), 0, buf));
    CHECK(syscall(SYS_quotactl_fd, 99, QCMD(Q_GETQUOTA, 0), 0, buf));
    CHECK(syscall(SYS_quotactl_fd, 99, QCMD(Q_GETQUOTA, 7), 0, buf));
    CHECK(syscall(SYS_quotactl, QCMD(Q_GETQUOTA, 0), "/dev/null", 0, buf));
    CHECK(syscall(SYS_quotactl, QCMD(Q_GETQUOTA, 0), "/proc", 0, buf));
    CHECK(syscall(SYS_quotactl, QCMD(Q_GETQUOTA, 0), "/nonexistent", 0, buf));
    CHECK(syscall(SYS_quotactl, QCMD(Q_GETQUOTA, 0), (char *)8, 0, buf));
    CHECK(syscall(SYS_quotactl, QCMD(Q_GETQUOTA, 0), NULL, 0, buf));
    CHECK(syscall(SYS_quotactl, QCMD(Q_SYNC, 0), NULL, 0, NULL));
    CHECK(syscall(SYS_quotactl, QCMD(Q_SYNC, 3), NULL, 0, NULL));
    CHECK(syscall(SYS_quotactl, QCMD(Q_GETQUOTA, 4), "/dev/null", 0, buf));
    return 0;
}
