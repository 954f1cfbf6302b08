/*
 * personalities/linux/sysfsdev.c - what /sys shows, in Linux's layout:
 * devices/system/cpu (the one CPU: online, possible and present "0",
 * cpu0 with its topology and, as on x86, no online file), the loopback
 * interface (devices/virtual/net/lo, with the values netdev.c's ioctls
 * and netlink.c give), the character devices there are (dev.c's memory
 * devices, the terminal's tty, console and ptmx, loop-control and
 * userfaultfd) under devices/virtual, each linked from class/ and
 * dev/char/MAJ:MIN; the loop devices (loop.c) under
 * devices/virtual/block, linked from block/, class/block and
 * dev/block/7:N, with their loop/ directory only while bound; fs/cgroup
 * empty (no cgroup file system mounted) and kernel/uevent_seqnum 0 (no
 * uevent was ever sent).  The rest of Linux's /sys (bus/, firmware/,
 * module/, power/, kernel/mm, devices' power/ directories and
 * statistics) has nothing true to show here and is left out.
 *
 * Entry points: sysfs_tree, sysfs_loops (sysfs.c).  Layer: sysfs's
 * contents, beside dev.c (loop.h, tty.h's numbers).  Book: docs/linux.md,
 * "/sys".
 */
#include "dev.h"
#include "loop.h"
#include "sysfs.h"
#include "tty.h"
#include <stdio.h>
#include <string.h>

/* ---- the one CPU ---- */

static void cpu_tree(struct inode *devices)
{
    struct inode *cpu = sysfs_dir(sysfs_dir(devices, "system"), "cpu");
    if (!cpu)
        return;
    /* Linux's cpumask lists ("%*pbl") and, for the topology's masks, its
     * bitmaps ("%*pb") of nr_cpu_ids bits; NR_CPUS - 1 is kernel_max */
    static const char *const lists[] = {"online", "possible", "present"};
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
        sysfs_attr(cpu, lists[i], 0444, "0\n");
    sysfs_attr(cpu, "offline", 0444, "\n");
    sysfs_attr(cpu, "isolated", 0444, "\n");
    sysfs_attr(cpu, "kernel_max", 0444, "0\n");
    struct inode *topo = sysfs_dir(sysfs_dir(cpu, "cpu0"), "topology");
    if (!topo)
        return;
    static const char *const masks[] = {"cluster_cpus", "core_cpus", "core_siblings", "die_cpus", "package_cpus",
                                        "thread_siblings"};
    char name[32];
    for (size_t i = 0; i < sizeof masks / sizeof *masks; i++) {
        sysfs_attr(topo, masks[i], 0444, "1\n");
        snprintf(name, sizeof name, "%s_list", masks[i]);
        sysfs_attr(topo, name, 0444, "0\n");
    }
    sysfs_attr(topo, "cluster_id", 0444, "65535\n"); /* x86 knows no clusters: BAD_APICID's low half */
    static const char *const ids[] = {"core_id", "die_id", "physical_package_id"};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        sysfs_attr(topo, ids[i], 0444, "0\n");
}

/* ---- lo ---- */

/* lo's attributes, as Linux's net-sysfs.c shows the loopback's: flags are
 * dev->flags (IFF_UP | IFF_LOOPBACK; RUNNING and LOWER_UP are worked out
 * from the carrier, not kept), type ARPHRD_LOOPBACK, operstate unknown
 * while up; those that follow its state are read from its namespace. */
static void net_tree(struct inode *virt, struct inode *class)
{
    struct inode *lo = sysfs_dir(sysfs_dir(virt, "net"), "lo");
    if (!lo)
        return;
    static const struct { const char *name, *value; uint32_t mode; } attrs[] = {
        {"addr_assign_type", "0", 0444}, {"addr_len", "6", 0444}, {"address", "00:00:00:00:00:00", 0444},
        {"broadcast", "00:00:00:00:00:00", 0444}, {"carrier", NULL, 0644}, {"carrier_changes", "0", 0444},
        {"carrier_down_count", "0", 0444}, {"carrier_up_count", "0", 0444}, {"dev_id", "0x0", 0444},
        {"dev_port", "0", 0444}, {"dormant", NULL, 0444}, {"flags", NULL, 0644}, {"ifindex", "1", 0444},
        {"iflink", "1", 0444}, {"link_mode", "0", 0444}, {"mtu", NULL, 0644}, {"name_assign_type", "2", 0444},
        {"netdev_group", "0", 0644}, {"operstate", NULL, 0444}, {"proto_down", "0", 0644},
        {"tx_queue_len", "1000", 0644}, {"type", "772", 0444}, {"uevent", "INTERFACE=lo\nIFINDEX=1", 0644},
    };
    for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++)
        if (attrs[i].value)
            sysfs_attr(lo, attrs[i].name, attrs[i].mode, "%s\n", attrs[i].value);
        else /* what follows lo's state, its namespace's (sysfs.c) */
            sysfs_live(lo, attrs[i].name, attrs[i].mode);
    sysfs_link(lo, "subsystem", "../../../../class/net");
    sysfs_link(sysfs_dir(class, "net"), "lo", "../../devices/virtual/net/lo");
}

/* ---- the character devices ---- */

/* A device's directory devices/virtual/CLASS/NAME (dev, uevent with the
 * mode udev gives its node, subsystem) and its links from class/ and
 * dev/char. */
static void char_dev(struct inode *root, const char *cls, const char *name, uint32_t devno, uint32_t mode)
{
    struct inode *d = sysfs_dir(sysfs_dir(sysfs_dir(sysfs_dir(root, "devices"), "virtual"), cls), name);
    if (!d)
        return;
    uint32_t major = devno >> 8 & 0xfff, minor = (devno & 0xff) | (devno >> 12 & 0xfff00);
    sysfs_attr(d, "dev", 0444, "%u:%u\n", major, minor);
    char devmode[24] = "";
    if (mode)
        snprintf(devmode, sizeof devmode, "DEVMODE=%04o\n", mode);
    sysfs_attr(d, "uevent", 0644, "MAJOR=%u\nMINOR=%u\nDEVNAME=%s\n%s", major, minor, name, devmode);
    char to[96];
    snprintf(to, sizeof to, "../../../../class/%s", cls);
    sysfs_link(d, "subsystem", to);
    snprintf(to, sizeof to, "../../devices/virtual/%s/%s", cls, name);
    sysfs_link(sysfs_dir(sysfs_dir(root, "class"), cls), name, to);
    char number[24];
    snprintf(number, sizeof number, "%u:%u", major, minor);
    sysfs_link(sysfs_dir(sysfs_dir(root, "dev"), "char"), number, to);
}

void sysfs_tree(struct inode *root)
{
    struct inode *devices = sysfs_dir(root, "devices"), *class = sysfs_dir(root, "class");
    struct inode *virt = sysfs_dir(devices, "virtual"), *dev = sysfs_dir(root, "dev");
    if (!devices || !class || !virt || !dev || !sysfs_dir(dev, "char") || !sysfs_dir(dev, "block") ||
        !sysfs_dir(root, "block") || !sysfs_dir(class, "block") || !sysfs_dir(virt, "block"))
        return;
    cpu_tree(devices);
    net_tree(virt, class);
    static const struct { const char *cls, *name; uint32_t devno, mode; } chars[] = {
        {"mem", "null", DEVNO_NULL, 0666}, {"mem", "zero", DEVNO_ZERO, 0666}, {"mem", "full", DEVNO_FULL, 0666},
        {"mem", "random", DEVNO_RANDOM, 0666}, {"mem", "urandom", DEVNO_URANDOM, 0666},
        {"tty", "tty", DEVNO_TTY, 0666}, {"tty", "console", DEVNO_CONSOLE, 0}, {"tty", "ptmx", DEVNO_PTMX, 0666},
        {"misc", "loop-control", DEVNO_LOOP_CONTROL, 0}, {"misc", "userfaultfd", DEVNO_USERFAULTFD, 0},
    };
    for (size_t i = 0; i < sizeof chars / sizeof *chars; i++)
        char_dev(root, chars[i].cls, chars[i].name, chars[i].devno, chars[i].mode);
    sysfs_dir(sysfs_dir(root, "fs"), "cgroup");
    sysfs_attr(sysfs_dir(root, "kernel"), "uevent_seqnum", 0444, "0\n");
}

/* ---- the loop devices ---- */

/* loopN's files, as Linux's block layer and loop.c show them: size in
 * 512-byte sectors, ro as the disk's flag, the queue's sizes from the
 * logical block size, and loop/ while bound (sysfs_create_group at
 * configure, removed at clear). */
static void loop_files(struct inode *d, int n, const struct loop_state *s)
{
    sysfs_attr(d, "dev", 0444, "%d:%d\n", LOOP_MAJOR, n);
    sysfs_attr(d, "size", 0444, "%llu\n", (unsigned long long)(s->size >> 9));
    sysfs_attr(d, "ro", 0444, "%d\n", s->ro);
    sysfs_attr(d, "removable", 0444, "0\n");
    const struct loop_iostat *st = &s->stat; /* Linux's part_stat_show: no merges, discards or flushes here */
    sysfs_attr(d, "stat", 0444,
               "%8llu %8u %8llu %8llu %8llu %8u %8llu %8llu %8u %8llu %8llu %8u %8u %8u %8u %8u %8u\n",
               (unsigned long long)st->ios[0], 0u, (unsigned long long)st->sectors[0],
               (unsigned long long)(st->ns[0] / 1000000), (unsigned long long)st->ios[1], 0u,
               (unsigned long long)st->sectors[1], (unsigned long long)(st->ns[1] / 1000000), 0u,
               (unsigned long long)st->io_ms, (unsigned long long)((st->ns[0] + st->ns[1]) / 1000000), 0u, 0u, 0u, 0u,
               0u, 0u);
    sysfs_attr(d, "uevent", 0644, "MAJOR=%d\nMINOR=%d\nDEVNAME=loop%d\nDEVTYPE=disk\n", LOOP_MAJOR, n, n);
    sysfs_link(d, "subsystem", "../../../../class/block");
    sysfs_dir(d, "holders"), sysfs_dir(d, "slaves");
    struct inode *q = sysfs_dir(d, "queue");
    if (q) {
        static const char *const sizes[] = {"logical_block_size", "physical_block_size", "hw_sector_size",
                                            "minimum_io_size"};
        for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
            sysfs_attr(q, sizes[i], 0444, "%u\n", s->bsize);
        sysfs_attr(q, "optimal_io_size", 0444, "0\n");
    }
    if (!s->backing) {
        sysfs_remove(d, "loop");
        return;
    }
    struct inode *l = sysfs_dir(d, "loop");
    static char path[PATH_MAX_LEN];
    if (!l)
        return;
    if (fs_name_of((struct inode *)s->backing, NULL, path, sizeof path) < 0)
        snprintf(path, sizeof path, "(deleted)");
    sysfs_attr(l, "backing_file", 0444, "%s\n", path);
    sysfs_attr(l, "offset", 0444, "%llu\n", (unsigned long long)s->offset);
    sysfs_attr(l, "sizelimit", 0444, "%llu\n", (unsigned long long)s->sizelimit);
    sysfs_attr(l, "autoclear", 0444, "%d\n", (s->flags & LO_FLAGS_AUTOCLEAR) != 0);
    sysfs_attr(l, "partscan", 0444, "%d\n", (s->flags & LO_FLAGS_PARTSCAN) != 0);
    sysfs_attr(l, "dio", 0444, "%d\n", (s->flags & LO_FLAGS_DIRECT_IO) != 0);
}

/* The four places a loop device shows (name "loopN", number "7:N"):
 * made with its files, or removed once the device is gone. */
static void loop_place(struct inode *root, struct inode *vblock, int n, const struct loop_state *s)
{
    char name[16], number[24], to[64];
    snprintf(name, sizeof name, "loop%d", n);
    snprintf(number, sizeof number, "%d:%d", LOOP_MAJOR, n);
    struct inode *block = sysfs_dir(root, "block"), *cblock = sysfs_dir(sysfs_dir(root, "class"), "block");
    struct inode *dblock = sysfs_dir(sysfs_dir(root, "dev"), "block");
    if (!s) {
        sysfs_remove(vblock, name), sysfs_remove(block, name), sysfs_remove(cblock, name);
        sysfs_remove(dblock, number);
        return;
    }
    if (fs_dir_find(vblock, name, strlen(name)))
        return;
    struct inode *d = sysfs_dir(vblock, name);
    if (d)
        loop_files(d, n, s);
    snprintf(to, sizeof to, "../devices/virtual/block/%s", name);
    sysfs_link(block, name, to);
    snprintf(to, sizeof to, "../../devices/virtual/block/%s", name);
    sysfs_link(cblock, name, to);
    sysfs_link(dblock, number, to);
}

void sysfs_loops(struct inode *root, struct inode *dir)
{
    struct inode *vblock = sysfs_dir(sysfs_dir(sysfs_dir(root, "devices"), "virtual"), "block");
    if (!vblock)
        return;
    struct loop_state s;
    for (struct dirent_node *e = vblock->children, *next; e; e = next) { /* the devices gone */
        next = e->next;
        int n;
        if (sscanf(e->name, "loop%d", &n) == 1 && !loop_state(n, &s))
            loop_place(root, vblock, n, NULL);
    }
    for (int n = 0; n < LOOP_MAX; n++)
        if (loop_state(n, &s))
            loop_place(root, vblock, n, &s);
    struct inode *d = dir;
    while (d && d->parent && d->parent != vblock && d != root)
        d = d->parent;
    int n;
    for (struct dirent_node *e = d && d->parent == vblock ? vblock->children : NULL; e; e = e->next)
        if (e->inode == d && sscanf(e->name, "loop%d", &n) == 1 && loop_state(n, &s))
            loop_files(d, n, &s); /* a walk looks into it: written as it is now */
}
