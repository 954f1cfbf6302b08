/*
 * personalities/linux/procsysfiles.c - what /proc/sys holds: the settings
 * tools read, each the value the personality lives by (its limits, its
 * names, its constants), written when procfs is refreshed.  Of these
 * only kernel/hostname and kernel/domainname take writes (procsys.c).
 *
 * Entry points: procsys_files (procfs.c).  Layer: procfs.  Book:
 * docs/linux.md, "/proc".
 */
#include "aio.h"
#include "fsnotify.h"
#include "proc.h"
#include "procfs.h"
#include "sysvipc.h"
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
    procfs_text(kernel, "randomize_va_space", "0\n"); /* programs load where they ask, stacks at one place */
    procfs_text(kernel, "unprivileged_bpf_disabled", "2\n"); /* bpf.c: CAP_BPF or CAP_SYS_ADMIN, as Debian's */
}

static void kernel_files(struct inode *d)
{
    static const char *const texts[][2] = {{"ostype", "Linux"}, {"osrelease", LINUX_RELEASE},
                                           {"version", LINUX_VERSION}, {"pid_max", "32768"},
                                           {"cap_last_cap", "40"}, {"core_pattern", "core"},
                                           {"core_uses_pid", "0"}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        procfs_text(d, texts[i][0], "%s\n", texts[i][1]);
    procsys_names(procfs_node(d, "hostname", S_IFREG | 0644), NULL); /* writable, as sethostname (0644: root's) */
    procfs_text(d, "hostname", "%s\n", linux_hostname);
    procsys_names(NULL, procfs_node(d, "domainname", S_IFREG | 0644));
    procfs_text(d, "domainname", "%s\n", linux_domainname);
    procfs_text(d, "perf_event_paranoid", "2\n"); /* perfevent.c: counting the kernel's part needs privilege */
    procfs_text(d, "ngroups_max", "%d\n", CRED_GROUPS_MAX); /* what setgroups takes (NGROUPS_MAX) */
    procfs_text(d, "threads-max", "%lu\n", (unsigned long)linux_max_threads());
    /* System V IPC's limits, Linux's defaults (sysvipc.h) */
    procfs_text(d, "shmmax", "%llu\n", SHMMAX);
    procfs_text(d, "shmall", "%llu\n", SHMALL);
    procfs_text(d, "shmmni", "%d\n", SHMMNI);
    procfs_text(d, "shm_rmid_forced", "0\n");
    procfs_text(d, "msgmax", "%d\n", MSGMAX);
    procfs_text(d, "msgmnb", "%d\n", MSGMNB);
    procfs_text(d, "msgmni", "%d\n", MSGMNI);
    procfs_text(d, "sem", "%d\t%d\t%d\t%d\n", SEMMSL, SEMMNS, SEMOPM, SEMMNI);
    kernel_more(d);
}

static void fs_files(struct inode *d, uint64_t total_bytes)
{
    procfs_text(d, "nr_open", "%d\n", NR_OPEN);
    procfs_text(d, "file-max", "%lu\n", (unsigned long)(total_bytes / 10240)); /* 10% of memory, 1 KiB a file */
    procfs_text(d, "pipe-max-size", "1048576\n"); /* what F_SETPIPE_SZ grants without CAP_SYS_RESOURCE (pipe.c) */
    procfs_text(d, "aio-max-nr", "%d\n", AIO_MAX_NR);
    procfs_text(d, "aio-nr", "%u\n", aio_events_reserved());
    procfs_text(d, "lease-break-time", "45\n"); /* lease.c's, which cannot be changed */
    procfs_text(d, "leases-enable", "1\n");
    struct inode *mq = procfs_node(d, "mqueue", S_IFDIR | 0555);
    static const char *const mqueue[][2] = {{"msg_default", "10"}, {"msg_max", "10"}, {"msgsize_default", "8192"},
                                            {"msgsize_max", "8192"}, {"queues_max", "256"}}; /* mqueue.c's */
    for (size_t i = 0; mq && i < sizeof mqueue / sizeof mqueue[0]; i++)
        procfs_text(mq, mqueue[i][0], "%s\n", mqueue[i][1]);
    int limits[3];
    inotify_sysctl(&limits[0], &limits[1], &limits[2]);
    static const char *const names[3] = {"max_queued_events", "max_user_instances", "max_user_watches"};
    d = procfs_node(d, "inotify", S_IFDIR | 0555);
    for (int i = 0; d && i < 3; i++)
        procfs_text(d, names[i], "%d\n", limits[i]);
}

void procsys_files(struct inode *sys, uint64_t total_bytes)
{
    struct inode *d;
    if ((d = procfs_node(sys, "kernel", S_IFDIR | 0555)))
        kernel_files(d);
    if ((d = procfs_node(sys, "net", S_IFDIR | 0555))) {
        struct inode *core = procfs_node(d, "core", S_IFDIR | 0555);
        if (core)
            procfs_text(core, "somaxconn", "%d\n", SOMAXCONN); /* listen's cap (socket.c) */
        if ((d = procfs_node(d, "ipv4", S_IFDIR | 0555)))
            procfs_text(d, "ip_local_port_range", "32768\t60999\n"); /* inet.c's ephemeral ports */
    }
    if ((d = procfs_node(sys, "vm", S_IFDIR | 0555))) {
        procfs_text(d, "overcommit_memory", "0\n"); /* heuristic overcommit, Linux's default */
        procfs_text(d, "unprivileged_userfaultfd", "0\n"); /* userfaultfd.c: CAP_SYS_PTRACE or user mode only */
        procfs_text(d, "mmap_min_addr", "65536\n");     /* userfaultfd.c's ranges start there at least */
    }
    if ((d = procfs_node(sys, "fs", S_IFDIR | 0555)))
        fs_files(d, total_bytes);
}
