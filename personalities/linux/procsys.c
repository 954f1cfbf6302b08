/*
 * personalities/linux/procsys.c - writes to /proc: who may open a
 * /proc/sys file for writing (Linux's proc_sys permission, where root is
 * held to the owner's bits), and what a write does: kernel/hostname and
 * kernel/domainname set the names uname shows, as sethostname does;
 * sysrq-trigger takes 'c', which crashes this server as Linux's crashes
 * the kernel: a real page fault, for the supervisor to see; the other
 * files of /proc have no write (EIO).
 *
 * Entry points: procsys_permission, procsys_write, procsys_names,
 * procsys_sysrq (procfs.h).  Callers: procfs's file system operations.  Layer: /proc.
 * Book: docs/linux.md, "/proc".
 */
#include "klog.h"
#include "linux.h"
#include "procfs.h"
#include <persona/supervisor.h>
#include <string.h>

static struct inode *hostname_node, *domainname_node, *sysrq_node;

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

void procsys_names(struct inode *hostname, struct inode *domainname)
{
    if (hostname)
        hostname_node = hostname;
    if (domainname)
        domainname_node = domainname;
}

/* Root is checked against the owner's bits (a sysctl no one may write is
 * EACCES even for root), others as usual; the rest of /proc as any file. */
int procsys_permission(const struct inode *ino, int mask)
{
    if (ino->rdev != SYSCTL_NODE || (ino->mode & S_IFMT) != S_IFREG)
        return fs_generic_permission(ino, mask);
    uint32_t mode = fs_cred->euid == 0 ? ino->mode >> 6 : fs_in_group(ino->gid) ? ino->mode >> 3 : ino->mode;
    return (mode & (uint32_t)mask & 7) == ((uint32_t)mask & 7) ? 0 : -LINUX_EACCES;
}

/* The names take the text up to its first newline (at most __NEW_UTS_LEN
 * bytes), as Linux's proc_dostring. */
int procsys_write(struct inode *ino, uint64_t off, const void *data, size_t n)
{
    char *to = ino == hostname_node ? linux_hostname : ino == domainname_node ? linux_domainname : NULL;
    if (ino == sysrq_node)
        return sysrq(data, n);
    if (!to)
        return -LINUX_EIO;
    if (off) /* Linux's strict sysctl writes: past the start, nothing more is taken */
        return (int)n;
    size_t k = n < __NEW_UTS_LEN ? n : __NEW_UTS_LEN;
    const char *nl = memchr(data, '\n', k);
    k = nl ? (size_t)(nl - (const char *)data) : k;
    memcpy(to, data, k);
    to[k] = '\0';
    return (int)n;
}
