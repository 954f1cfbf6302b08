/*
 * personalities/linux/ikconfig.c - /proc/config.gz, as a Linux built with
 * CONFIG_IKCONFIG_PROC: its configuration, gzip'd.  The text names the
 * options whose behaviour the personality provides (=y) and, as "is not
 * set", those whose calls answer as a Linux built without them; an option
 * not listed is one nobody should conclude anything from (among them
 * CONFIG_FUTEX_PI: no FUTEX_*_REQUEUE_PI; CONFIG_SWAP:
 * the calls answer as Linux's with swap, but nothing can hold swap).
 * docs/linux.md's "/proc" has the audit against the options the Linux
 * Test Project's tests ask for (.needs_kconfigs).  The gzip
 * stream holds the text in stored deflate blocks (no compression: any
 * gunzip reads it).
 *
 * Entry points: ikconfig_gz (procfs.c).  Layer: procfs.  Book:
 * docs/linux.md, "/proc".
 */
#include "linux.h"
#include "procfs.h"
#include <string.h>

static const char config_text[] =
    "#\n# Linux/x86_64 " LINUX_RELEASE " Kernel Configuration\n"
    "# (the Persona Linux personality: the options whose behaviour it provides)\n#\n"
    "CONFIG_64BIT=y\nCONFIG_X86_64=y\nCONFIG_SMP=y\nCONFIG_MMU=y\nCONFIG_MULTIUSER=y\n"
    "CONFIG_IKCONFIG=y\nCONFIG_IKCONFIG_PROC=y\n"
    "CONFIG_PROC_FS=y\nCONFIG_PROC_SYSCTL=y\nCONFIG_SYSFS=y\nCONFIG_TMPFS=y\nCONFIG_SHMEM=y\n"
    "CONFIG_TMPFS_XATTR=y\nCONFIG_TMPFS_POSIX_ACL=y\nCONFIG_FS_POSIX_ACL=y\n"
    "CONFIG_FILE_LOCKING=y\nCONFIG_FHANDLE=y\nCONFIG_INOTIFY_USER=y\nCONFIG_FANOTIFY=y\nCONFIG_FANOTIFY_ACCESS_PERMISSIONS=y\nCONFIG_EPOLL=y\nCONFIG_SIGNALFD=y\n"
    "CONFIG_TIMERFD=y\nCONFIG_EVENTFD=y\nCONFIG_AIO=y\nCONFIG_FUTEX=y\nCONFIG_MEMBARRIER=y\n"
    "CONFIG_CROSS_MEMORY_ATTACH=y\nCONFIG_POSIX_TIMERS=y\nCONFIG_SYSVIPC=y\nCONFIG_POSIX_MQUEUE=y\n"
    "CONFIG_UNIX=y\nCONFIG_INET=y\nCONFIG_IPV6=y\nCONFIG_INET_DIAG=y\nCONFIG_UNIX_DIAG=y\nCONFIG_UNIX98_PTYS=y\n"
    "CONFIG_COREDUMP=y\nCONFIG_ELF_CORE=y\nCONFIG_BINFMT_ELF=y\nCONFIG_BINFMT_SCRIPT=y\n"
    "CONFIG_SECCOMP=y\nCONFIG_SECCOMP_FILTER=y\nCONFIG_KEYS=y\nCONFIG_BSD_PROCESS_ACCT=y\n"
    "CONFIG_BSD_PROCESS_ACCT_V3=y\nCONFIG_QUOTA=y\nCONFIG_QUOTACTL=y\nCONFIG_PRINTK=y\n"
    "CONFIG_USERFAULTFD=y\nCONFIG_PERF_EVENTS=y\nCONFIG_DNOTIFY=y\nCONFIG_SECURITY_LANDLOCK=y\nCONFIG_KCMP=y\n"
    "CONFIG_BLOCK=y\nCONFIG_BLK_DEV=y\nCONFIG_BLK_DEV_LOOP=y\nCONFIG_EXT2_FS=y\nCONFIG_EXT2_FS_XATTR=y\nCONFIG_EXT2_FS_POSIX_ACL=y\n"
    "CONFIG_CHECKPOINT_RESTORE=y\nCONFIG_NAMESPACES=y\nCONFIG_UTS_NS=y\nCONFIG_IPC_NS=y\nCONFIG_PID_NS=y\n"
    "CONFIG_TIME_NS=y\nCONFIG_USER_NS=y\n"
    "CONFIG_PROC_PAGE_MONITOR=y\nCONFIG_PROC_CHILDREN=y\nCONFIG_SCHED_DEBUG=y\nCONFIG_SCHED_AUTOGROUP=y\n"
    "CONFIG_STACKTRACE=y\nCONFIG_HAVE_ARCH_TRACEHOOK=y\nCONFIG_NUMA=y\nCONFIG_SECURITY=y\n"
    "# CONFIG_SECURITY_APPARMOR is not set\n# CONFIG_SECURITY_SELINUX is not set\n"
    "# CONFIG_SECURITY_SMACK is not set\n# CONFIG_MEM_SOFT_DIRTY is not set\n# CONFIG_LATENCYTOP is not set\n"
    "CONFIG_CGROUPS=y\nCONFIG_MEMCG=y\nCONFIG_CGROUP_PIDS=y\nCONFIG_CGROUP_SCHED=y\nCONFIG_FAIR_GROUP_SCHED=y\n"
    "CONFIG_CFS_BANDWIDTH=y\n# CONFIG_CPUSETS is not set\n# CONFIG_BLK_CGROUP is not set\n"
    "# CONFIG_CGROUP_HUGETLB is not set\n# CONFIG_CGROUP_RDMA is not set\n# CONFIG_CGROUP_MISC is not set\n"
    "# CONFIG_CGROUP_BPF is not set\n# CONFIG_PSI is not set\n"
    "# CONFIG_MODULES is not set\n# CONFIG_KEXEC is not set\n# CONFIG_KEXEC_FILE is not set\n"
    "# CONFIG_X86_IOPL_IOPERM is not set\n# CONFIG_USELIB is not set\n"
    "# CONFIG_TMPFS_QUOTA is not set\n# CONFIG_HUGETLBFS is not set\n# CONFIG_KSM is not set\n"
    "# CONFIG_HAVE_ARCH_USERFAULTFD_WP is not set\n# CONFIG_HAVE_ARCH_USERFAULTFD_MINOR is not set\n"
    "CONFIG_PERSISTENT_KEYRINGS=y\n# CONFIG_BIG_KEYS is not set\n# CONFIG_KEY_DH_OPERATIONS is not set\n"
    "CONFIG_WATCH_QUEUE=y\nCONFIG_KEY_NOTIFICATIONS=y\n"
    "CONFIG_NET_NS=y\nCONFIG_AF_UNIX_OOB=y\n"
    "# CONFIG_NF_TABLES is not set\n# CONFIG_NF_TABLES_IPV4 is not set\n"
    "# CONFIG_NETFILTER_XT_MATCH_STATE is not set\n# CONFIG_IP_NF_TARGET_REJECT is not set\n"
    "# CONFIG_QFMT_V2 is not set\n# CONFIG_XFS_QUOTA is not set\n# CONFIG_FS_VERITY is not set\n"
    "# CONFIG_EXT3_FS is not set\n# CONFIG_EXT4_FS is not set\n";

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

size_t ikconfig_gz(uint8_t *out, size_t cap)
{
    size_t n = sizeof config_text - 1, at = 10;
    static const uint8_t header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}; /* deflate, no name, Unix */
    if (cap < n + n / 65535 * 5 + 5 + 18)
        return 0;
    memcpy(out, header, sizeof header);
    for (size_t off = 0; off < n;) {
        size_t k = n - off < 65535 ? n - off : 65535;
        out[at++] = off + k == n; /* BFINAL on the last, BTYPE 00: stored */
        out[at++] = (uint8_t)k, out[at++] = (uint8_t)(k >> 8);
        out[at++] = (uint8_t)~k, out[at++] = (uint8_t)(~k >> 8);
        memcpy(out + at, config_text + off, k);
        at += k, off += k;
    }
    put32(out + at, crc32((const uint8_t *)config_text, n));
    put32(out + at + 4, (uint32_t)n);
    return at + 8;
}
