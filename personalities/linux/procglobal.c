/*
 * personalities/linux/procglobal.c - the global files of /proc, a table
 * of {name, writer} so that each is written alone when a walk looks it
 * up (procfs.c): meminfo, vmstat, devices and the other tables of what
 * the machine holds (procinfo.c's), uptime, loadavg, stat, mounts, cpuinfo,
 * version, cmdline, filesystems, config.gz, sysrq-trigger, swaps, locks
 * (reclock.c's, flock.c's and lease.c's), keys and key-users
 * (keyquota.c's); and the
 * directories sys (procsysfiles.c), sysvipc and net (the sockets' tables,
 * netdev.c's), each written whole when a walk looks it or a name in it
 * up.  The load averages are sampled every 5 s (loadavg.c).
 *
 * Entry points: procglobal_make, procglobal_write (procfs.h).  Callers:
 * procfs.c.  Layer: procfs.  Book: docs/linux.md, "/proc".
 */
#include "fasync.h"
#include "inet.h"
#include "netstat.h"
#include "keys.h"
#include "proc.h"
#include "procfs.h"
#include "sysvipc.h"
#include "time.h"
#include "timens.h"
#include <stdio.h>
#include <string.h>

/* The kernel's ticks as clock ticks of 1/USER_HZ. */
static struct persona_cputimes cpu_ticks(void)
{
    struct persona_cputimes ct = {0, 0, 0, USER_HZ};
    sys_stats(STATS_CPU, -1, &ct, sizeof ct);
    if (ct.hz && ct.hz != USER_HZ)
        ct.user = ct.user * USER_HZ / ct.hz, ct.kernel = ct.kernel * USER_HZ / ct.hz, ct.idle = ct.idle * USER_HZ / ct.hz;
    return ct;
}

static void uptime(struct inode *root, const char *name)
{
    uint64_t now = timens_from_host(procfs_viewer(), CLOCK_BOOTTIME, clock_now()); /* the reader's namespace's */
    struct persona_cputimes ct = cpu_ticks();
    procfs_put("%lu.%02lu %lu.%02lu\n", (unsigned long)(now / 1000000000), (unsigned long)(now % 1000000000 / 10000000),
               (unsigned long)(ct.idle / USER_HZ), (unsigned long)(ct.idle % USER_HZ));
    procfs_file(root, name);
}

/* Threads not ended, and the last pid given. */
static void counts(int *nthreads, int *last)
{
    *nthreads = *last = 0;
    for (struct proc *p = proc_list(); p; p = p->next) {
        *nthreads += !p->zombie;
        *last = p->pid > *last ? p->pid : *last;
    }
}

static void loadavg(struct inode *root, const char *name)
{
    int nthreads, last;
    counts(&nthreads, &last);
    uint64_t la[3];
    loadavg_get(la, 0);
    for (int i = 0; i < 3; i++) { /* as Linux prints them: rounded to hundredths */
        uint64_t v = la[i] + (1ull << LOADAVG_FSHIFT) / 200;
        procfs_put("%lu.%02lu ", (unsigned long)(v >> LOADAVG_FSHIFT),
                   (unsigned long)(((v & ((1ull << LOADAVG_FSHIFT) - 1)) * 100) >> LOADAVG_FSHIFT));
    }
    procfs_put("%d/%d %d\n", loadavg_running(procfs_viewer()), nthreads, last);
    procfs_file(root, name);
}

static void cpu_stat(struct inode *root, const char *name)
{
    int nthreads, last;
    counts(&nthreads, &last);
    struct persona_cputimes ct = cpu_ticks();
    int running = loadavg_running(procfs_viewer());
    /* the boot as the reader's time namespace has it: its boot clock's offset earlier (timens_sub_boottime) */
    int64_t boot = realtime_at_boot() - (int64_t)timens_from_host(procfs_viewer(), CLOCK_BOOTTIME, 0);
    procfs_put("cpu  %lu 0 %lu %lu 0 0 0 0 0 0\ncpu0 %lu 0 %lu %lu 0 0 0 0 0 0\nintr 0\nctxt 0\nbtime %d\n"
               "processes %d\nprocs_running %d\nprocs_blocked 0\n",
               (unsigned long)ct.user, (unsigned long)ct.kernel, (unsigned long)ct.idle, (unsigned long)ct.user,
               (unsigned long)ct.kernel, (unsigned long)ct.idle, (int)(boot / 1000000000), last, running);
    procfs_file(root, name);
}

static void mounts(struct inode *root, const char *name)
{
    size_t room;
    char *b = procfs_room(0, &room);
    procfs_took(mount_table_text(b, room, false));
    procfs_file(root, name);
    struct inode *i = procfs_node(root, name, S_IFREG | 0444);
    if (i)
        i->rdev = PROCMOUNTS_NODE; /* its poll shows the table's changes (procpidmem.c) */
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

static void cpuinfo(struct inode *root, const char *name)
{
    uint32_t r[4], brand[13] = {0};
    char vendor[13] = {0};
    cpuid(0, r);
    memcpy(vendor, &r[1], 4), memcpy(vendor + 4, &r[3], 4), memcpy(vendor + 8, &r[2], 4);
    cpuid(1, r);
    unsigned family = (r[0] >> 8) & 0xf, model = (r[0] >> 4) & 0xf, stepping = r[0] & 0xf;
    if (family == 0xf)
        family += (r[0] >> 20) & 0xff;
    if (family >= 6)
        model |= ((r[0] >> 16) & 0xf) << 4;
    cpuid(0x80000000, r);
    if (r[0] >= 0x80000004)
        for (uint32_t i = 0; i < 3; i++)
            cpuid(0x80000002 + i, brand + 4 * i);
    procfs_put("processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\nmodel name\t: %s\nstepping\t: %u\n"
               "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\n\n",
               vendor, family, model, (char *)brand, stepping);
    procfs_file(root, name);
}

static void version(struct inode *root, const char *name)
{
    procfs_put("Linux version %s (persona@persona) (gcc) %s\n", LINUX_RELEASE, LINUX_VERSION); /* as uname says */
    procfs_file(root, name);
}

static void cmdline(struct inode *root, const char *name)
{
    procfs_put("%s\n", linux_cmdline);
    procfs_file(root, name);
}

static void filesystems(struct inode *root, const char *name)
{
    for (int i = 0; i < FS_TYPES; i++) /* sysfs's list (stat.c) */
        procfs_put("%s\t%s\n", strcmp(fs_type_names[i], "ext2") ? "nodev" : "", fs_type_names[i]);
    procfs_file(root, name);
}

static void config_gz(struct inode *root, const char *name)
{
    static uint8_t gz[4096];
    static size_t gz_len;
    if (!gz_len)
        gz_len = ikconfig_gz(gz, sizeof gz); /* made once: it never changes */
    procfs_bytes(gz, gz_len);
    procfs_file(root, name);
}

/* /proc/locks: every lock, numbered, as Linux's lock_get_status shows
 * it (waiters are not shown). */
void procfs_lock(const struct lock_view *v, int id)
{
    struct linux_stat st;
    if (v->file)
        file_stat(v->file, &st);
    else
        stat_inode(v->ino, &st);
    procfs_put("%d: %s%s %d %02x:%02x:%lu ", id, v->kind,
               v->type == F_WRLCK ? "WRITE" : v->type == F_RDLCK ? "READ" : "UNLCK", v->pid == -1 ? -1 : procfs_pid_nr(v->pid),
               (unsigned)(((st.dev >> 8) & 0xfff) | ((st.dev >> 32) & ~0xfffu)),
               (unsigned)((st.dev & 0xff) | ((st.dev >> 12) & ~0xffu)), (unsigned long)st.ino);
    if (v->end == UINT64_MAX)
        procfs_put("%lu EOF\n", (unsigned long)v->start);
    else
        procfs_put("%lu %lu\n", (unsigned long)v->start, (unsigned long)v->end);
}

static int lock_id;

/* A lock whose owner the instance's namespace does not see is left out,
 * its number taken all the same (Linux 6.1's locks_show). */
static void lock_line(const struct lock_view *v)
{
    ++lock_id;
    if (v->pid == -1 || procfs_pid_nr(v->pid))
        procfs_lock(v, lock_id);
}

static void locks(struct inode *root, const char *name)
{
    lock_id = 0;
    reclock_each(lock_line);
    flock_each(lock_line);
    lease_each(lock_line);
    procfs_file(root, name);
}

/* The key store's users and keys (keyquota.c). */
static void key_users_file(struct inode *root, const char *name)
{
    keyquota_users();
    procfs_file(root, name);
}

static void keys_file(struct inode *root, const char *name)
{
    keyquota_keys(procfs_viewer());
    procfs_file(root, name);
}

/* No swap (swap.c): the header alone, as Linux's swap_show. */
static void swaps(struct inode *root, const char *name)
{
    procfs_put("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
    procfs_file(root, name);
}

/* Root's: the log, read as syslog's SYSLOG_ACTION_READ (kmsg.c). */
static void kmsg_node(struct inode *root, const char *name)
{
    struct inode *i = procfs_node(root, name, S_IFREG | 0400);
    if (i)
        i->rdev = PROCKMSG_NODE;
}

/* Write-only: 'c' crashes (procsys.c). */
static void sysrq_trigger(struct inode *root, const char *name)
{
    procsys_sysrq(procfs_node(root, name, S_IFREG | 0200));
}

static void sys_dir(struct inode *root, const char *name)
{
    struct inode *d = procfs_node(root, name, S_IFDIR | 0555);
    struct persona_memstats ms = {0, 0};
    sys_stats(STATS_MEMORY, -1, &ms, sizeof ms);
    procfs_owner(0, 0, SYSCTL_NODE); /* nodes made now are /proc/sys's */
    if (d)
        procsys_files(d, ms.total_bytes);
    procfs_owner(0, 0, 0);
}

/* /proc/sysvipc: the System V IPC objects, as ipcs reads them. */
static void sysvipc_dir(struct inode *root, const char *name)
{
    static size_t (*const text[3])(char *, size_t) = {shm_proc_text, msg_proc_text, sem_proc_text};
    static const char *const names[3] = {"shm", "msg", "sem"};
    struct inode *d = procfs_node(root, name, S_IFDIR | 0555);
    for (int i = 0; d && i < 3; i++) {
        size_t room;
        char *b = procfs_room(0, &room);
        procfs_took(text[i](b, room));
        procfs_file(d, names[i]);
    }
}

static void net_dir(struct inode *root, const char *name)
{
    struct inode *d = procfs_node(root, name, S_IFDIR | 0555);
    static const char *const tables[] = {"tcp", "tcp6", "udp", "udp6", "dev", "if_inet6", "route", "unix"};
    for (int i = 0; d && i < 8; i++) { /* inet_proc_net's order */
        size_t room, n;
        char *b = procfs_room(0, &room);
        if ((n = inet_proc_net(i, b, room)) >= room) { /* did not fit: again, in a buffer that holds it */
            b = procfs_room(n + 1, &room);
            n = inet_proc_net(i, b, room);
        }
        procfs_took(n);
        procfs_file(d, tables[i]);
    }
    static const char *const stats[] = {"snmp", "snmp6", "sockstat", "sockstat6", "netstat", "protocols"};
    for (int i = 0; d && i < 6; i++) { /* netstat.c's and netstatext.c's */
        size_t room, n;
        char *b = procfs_room(0, &room);
        if ((n = netstat_text(stats[i], b, room)) >= room) {
            b = procfs_room(n + 1, &room);
            n = netstat_text(stats[i], b, room);
        }
        procfs_took(n);
        procfs_file(d, stats[i]);
    }
}

static const struct global {
    const char *name;
    uint32_t mode;
    void (*write)(struct inode *root, const char *name);
} globals[] = {
    {"meminfo", S_IFREG | 0444, procinfo_meminfo},       {"uptime", S_IFREG | 0444, uptime},
    {"loadavg", S_IFREG | 0444, loadavg},       {"stat", S_IFREG | 0444, cpu_stat},
    {"mounts", S_IFREG | 0444, mounts},         {"cpuinfo", S_IFREG | 0444, cpuinfo},
    {"version", S_IFREG | 0444, version},       {"cmdline", S_IFREG | 0444, cmdline},
    {"filesystems", S_IFREG | 0444, filesystems}, {"config.gz", S_IFREG | 0444, config_gz},
    {"sysrq-trigger", S_IFREG | 0200, sysrq_trigger}, {"sys", S_IFDIR | 0555, sys_dir},
    {"sysvipc", S_IFDIR | 0555, sysvipc_dir},       {"net", S_IFDIR | 0555, net_dir},
    {"swaps", S_IFREG | 0444, swaps},               {"locks", S_IFREG | 0444, locks},
    {"key-users", S_IFREG | 0444, key_users_file},  {"keys", S_IFREG | 0444, keys_file},
    {"vmstat", S_IFREG | 0444, procinfo_vmstat},    {"devices", S_IFREG | 0444, procinfo_devices},
    {"partitions", S_IFREG | 0444, procinfo_partitions}, {"diskstats", S_IFREG | 0444, procinfo_diskstats},
    {"consoles", S_IFREG | 0444, procinfo_small},   {"execdomains", S_IFREG | 0444, procinfo_small},
    {"misc", S_IFREG | 0444, procinfo_small},       {"interrupts", S_IFREG | 0444, procinfo_small},
    {"softirqs", S_IFREG | 0444, procinfo_small},   {"cgroups", S_IFREG | 0444, procinfo_small},
    {"slabinfo", S_IFREG | 0400, procinfo_small},   {"buddyinfo", S_IFREG | 0444, procinfo_zones},
    {"zoneinfo", S_IFREG | 0444, procinfo_zones},   {"kmsg", S_IFREG | 0400, kmsg_node},
};

void procglobal_make(struct inode *root)
{
    for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++)
        procfs_node(root, globals[i].name, globals[i].mode);
}

void procglobal_write(struct inode *root, const char *name)
{
    for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++)
        if (strcmp(globals[i].name, name) == 0)
            globals[i].write(root, name);
}
