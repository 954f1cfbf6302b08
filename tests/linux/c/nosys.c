/*
 * tests/linux/c/nosys.c - the calls Linux itself answers ENOSYS, which
 * syscalls.def declares so on purpose (LINUX_NOSYS): the ones gone from
 * Linux (create_module, get_kernel_syms, query_module, nfsservctl,
 * _sysctl, lookup_dcookie) and the numbers kept for calls never in it
 * (getpmsg, putpmsg, afs_syscall, tuxcall, security, vserver,
 * epoll_ctl_old, epoll_wait_old); and restart_syscall made by the program
 * itself, with no restart pending: EINTR.  The calls a kernel's
 * configuration decides (modules, kexec, iopl, NUMA) are left out: hosts
 * differ.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    CHECK(syscall(SYS_create_module, "x", 4096));
    CHECK(syscall(SYS_get_kernel_syms, NULL));
    CHECK(syscall(SYS_query_module, NULL, 0, NULL, 0, NULL));
    CHECK(syscall(SYS_nfsservctl, 0, NULL, NULL));
    CHECK(syscall(SYS__sysctl, NULL));
    CHECK(syscall(SYS_lookup_dcookie, 0, NULL, 0));
    CHECK(syscall(SYS_getpmsg, 0, NULL, NULL, NULL, NULL));
    CHECK(syscall(SYS_putpmsg, 0, NULL, NULL, 0, 0));
    CHECK(syscall(SYS_afs_syscall, 0, 0, 0, 0, 0));
    CHECK(syscall(SYS_tuxcall, 0, 0, 0));
    CHECK(syscall(SYS_security, 0, 0, 0));
    CHECK(syscall(SYS_vserver, 0, 0, 0, 0, 0));
    CHECK(syscall(SYS_epoll_ctl_old, 0, 0, 0, NULL));
    CHECK(syscall(SYS_epoll_wait_old, 0, NULL, 0, 0));
    CHECK(syscall(SYS_restart_syscall));
    return 0;
}
