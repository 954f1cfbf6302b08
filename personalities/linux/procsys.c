/*
 * personalities/linux/procsys.c - writes to /proc: who may open a
 * /proc/sys file for writing (Linux's proc_sys permission, where root is
 * held to the owner's bits), and what a write does: a setting's is
 * sysctl.c's (its table of Linux's writable sysctls, 0644);
 * sysrq-trigger takes 'c', which crashes this server as Linux's crashes
 * the kernel: a real page fault, for the supervisor to see; a process's
 * settings (/proc/PID/oom_score_adj and kin) are procpidset.c's; the other
 * files of /proc have no write (EIO).
 *
 * Entry points: procsys_permission, procsys_write, procsys_sysrq
 * (procfs.h).  Callers: procfs's file system operations.  Layer: /proc.
 * Book: docs/linux.md, "/proc".
 */
#include "klog.h"
#include "linux.h"
#include "procfs.h"
#include "netsysctl.h"
#include "sysctl.h"
#include <persona/supervisor.h>
#include <string.h>

static struct inode *sysrq_node;

void procsys_sysrq(struct inode *trigger) { sysrq_node = trigger; }

/* A key written to /proc/sysrq-trigger: 'c' crashes; the others, which
 * Linux's handlers know, do nothing here. */
static int sysrq(const char *data, size_t n)
{
    if (n && data[0] == 'c') {
        klog(KERN_EMERG, "sysrq: Trigger a crash");
        persona_crash();
    }
    return (int)n;
}

/* Root is checked against the owner's bits (a sysctl no one may write is
 * EACCES even for root), others as usual; the rest of /proc as any file. */
int procsys_permission(const struct inode *ino, int mask)
{
    if (ino->rdev != SYSCTL_NODE || (ino->mode & S_IFMT) != S_IFREG)
        return fs_generic_permission(ino, mask);
    uint32_t mode = ino->mode;
    if (sysctl_checkpoint_writable(ino))
        mode = 0666; /* ipc_permissions: checkpoint_restore_ns_capable */
    mode = netsysctl_mode(ino, mode); /* net_ctl_permissions: CAP_NET_ADMIN's as root's */
    mode = fs_cred->euid == 0 ? mode >> 6 : fs_in_group(ino->gid) ? mode >> 3 : mode;
    return (mode & (uint32_t)mask & 7) == ((uint32_t)mask & 7) ? 0 : -LINUX_EACCES;
}

/* The settings are sysctl.c's and procpidset.c's; sysrq-trigger takes a key. */
int procsys_write(struct inode *ino, uint64_t off, const void *data, size_t n)
{
    if (ino->rdev == PROCSET_NODE)
        return procpidset_write(ino, off, data, n);
    return ino == sysrq_node ? sysrq(data, n) : sysctl_write(ino, off, data, n);
}
