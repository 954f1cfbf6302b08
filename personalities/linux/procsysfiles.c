/*
 * personalities/linux/procsysfiles.c - what /proc/sys holds: the settings
 * tools read, each the value the personality lives by (its limits, its
 * names, its constants), written when procfs is refreshed: the writable
 * ones (mode 0644) are sysctl.c's table, the read-only ones (0444, as
 * Linux's: ostype, osrelease, version, cap_last_cap, ngroups_max, aio-nr,
 * random/, tainted, pty/nr, file-nr, inode-nr, ...) are written here, and
 * the settings Linux sizes from memory at boot are sized.
 *
 * Entry points: procsys_files (procfs.c).  Layer: procfs.  Book:
 * docs/linux.md, "/proc".
 */
#include "aio.h"
#include "proc.h"
#include "tty.h"
#include "procfs.h"
#include "sysctl.h"
#include "netns.h"
#include "tcpclose.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A random UUID's text, version 4, from the server's random source. */
static void uuid_text(char out[37])
{
    uint8_t b[16];
    for (int i = 0; i < 16; i++)
        b[i] = (uint8_t)rand();
    b[6] = (b[6] & 0x0f) | 0x40, b[8] = (b[8] & 0x3f) | 0x80;
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3],
             b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* kernel/random (boot_id chosen once a boot, uuid anew each time /proc is
 * refreshed), kernel/seccomp, and settings that are constants here
 * (unprivileged_bpf_disabled among them). */
static void kernel_more(struct inode *kernel)
{
    static char boot_id[37];
    char uuid[37];
    struct inode *d = procfs_node(kernel, "random", S_IFDIR | 0555);
    if (!boot_id[0])
        uuid_text(boot_id);
    uuid_text(uuid);
    procfs_text(d, "boot_id", "%s\n", boot_id);
    procfs_text(d, "uuid", "%s\n", uuid);
    procfs_text(d, "entropy_avail", "256\n"); /* what Linux 5.18+ always says */
    procfs_text(d, "poolsize", "256\n");
    procfs_text(procfs_node(kernel, "seccomp", S_IFDIR | 0555), "actions_avail",
                "kill_process kill_thread trap errno user_notif trace log allow\n"); /* seccomp.c's */
    procfs_text(kernel, "tainted", "0\n"); /* nothing taints this kernel */
    procfs_text(procfs_node(kernel, "pty", S_IFDIR | 0555), "nr", "%d\n", pty_count()); /* pty.c's pairs */
    procfs_text(kernel, "unprivileged_bpf_disabled", "2\n"); /* bpf.c: CAP_BPF or CAP_SYS_ADMIN, as Debian's */
}

static void kernel_files(struct inode *d)
{
    static const char *const texts[][2] = {{"ostype", "Linux"}, {"osrelease", LINUX_RELEASE},
                                           {"version", LINUX_VERSION}, {"cap_last_cap", "40"}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        procfs_text(d, texts[i][0], "%s\n", texts[i][1]);
    procfs_text(d, "ngroups_max", "%d\n", CRED_GROUPS_MAX); /* what setgroups takes (NGROUPS_MAX) */
    kernel_more(d);
}

/* The counts fs/ shows: aio-nr, file-nr (open files, 0 free, file-max),
 * inode-nr and inode-state, dentry-state (no cache of either is kept
 * here: 0, as a Linux whose caches are empty). */
static void fs_files(struct inode *d)
{
    procfs_text(d, "aio-nr", "%u\n", aio_events_reserved());
    procfs_text(d, "file-nr", "%lu\t0\t%lu\n", procinfo_open_files(), sysctl_file_max);
    procfs_text(d, "inode-nr", "0\t0\n");
    procfs_text(d, "inode-state", "0\t0\t0\t0\t0\t0\t0\n");
    procfs_text(d, "dentry-state", "0\t0\t45\t0\t0\t0\n"); /* 45: the age_limit Linux shows */
}

/* The settings Linux sizes from memory at boot: min_free_kbytes
 * (init_per_zone_wmark_min), the reserves (init_user_reserve,
 * init_admin_reserve: 3% of free memory up to 128 MiB and 8 MiB) and
 * epoll's watches (4% of memory, EP_ITEM_COST's 184 bytes each). */
void sysctl_sized(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    struct persona_memstats ms = {0, 0};
    sys_stats(STATS_MEMORY, -1, &ms, sizeof ms);
    uint64_t total_bytes = ms.total_bytes;
    unsigned long total_kb = total_bytes / 1024, free_kb = ms.free_bytes / 1024, r = 0;
    while ((r + 1) * (r + 1) <= total_kb * 16)
        r++;
    sysctl_min_free_kbytes = r < 128 ? 128 : r > 262144 ? 262144 : (int)r;
    sysctl_user_reserve_kbytes = free_kb / 32 < 131072 ? free_kb / 32 : 131072;
    sysctl_admin_reserve_kbytes = free_kb / 32 < 8192 ? free_kb / 32 : 8192;
    sysctl_epoll_watches = total_bytes / 25 / 184;
    netns_initial.sys.max_tw_buckets = tcp_tw_default();
}

void procsys_files(struct inode *sys, uint64_t total_bytes)
{
    struct inode *d;
    if (!sysctl_file_max) {
        sysctl_file_max = (unsigned long)(total_bytes / 10240); /* 10% of memory, 1 KiB a file */
        sysctl_sized();
    }
    sysctl_files(sys); /* the writable ones first: made 0644 */
    if ((d = procfs_node(sys, "kernel", S_IFDIR | 0555)))
        kernel_files(d);
    if ((d = procfs_node(sys, "vm", S_IFDIR | 0555)))
        procfs_text(d, "unprivileged_userfaultfd", "0\n"); /* userfaultfd.c: CAP_SYS_PTRACE or user mode only */
    if ((d = procfs_node(sys, "fs", S_IFDIR | 0555)))
        fs_files(d);
}
