/*
 * tests/linux/c/loopdev.c - loop devices: /dev/loop-control's
 * LOOP_CTL_GET_FREE, _ADD and _REMOVE; a device bound to a sparse file
 * (LOOP_SET_FD, LOOP_CONFIGURE), its status (LOOP_SET_STATUS64 and the
 * old LOOP_GET_STATUS), reads and writes at lo_offset within
 * lo_sizelimit, the block ioctls (sizes, BLKROSET, BLKRASET and BLKRAGET
 * (whole pages), BLKDISCARD punching
 * the file, BLKRRPART), read-only loops, LOOP_CLR_FD (autoclear while
 * another descriptor holds it, cleared at the last close), and mknod of
 * block nodes.  The device's number is not printed (another program
 * may hold loop devices on the host).
 */
#define _GNU_SOURCE
#include "check.h"
#include "loopabi.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* linux/fs.h's (musl has none) */
#define BLKROSET 0x125D
#define BLKRASET 0x1262
#define BLKRAGET 0x1263
#define BLKFRAGET 0x1265
#define BLKROGET 0x125E
#define BLKRRPART 0x125F
#define BLKGETSIZE 0x1260
#define BLKFLSBUF 0x1261
#define BLKSSZGET 0x1268
#define BLKBSZGET _IOR(0x12, 112, size_t) /* i386's number differs */
#define BLKGETSIZE64 _IOR(0x12, 114, size_t)
#define BLKDISCARD 0x1277
#define BLKPBSZGET 0x127B

#ifdef __i386__
typedef unsigned short old_dev_t; /* __kernel_old_dev_t */
#else
typedef unsigned long old_dev_t;
#endif

struct loop_info {
    int lo_number;
    old_dev_t lo_device;
    unsigned long lo_inode;
    old_dev_t lo_rdevice;
    int lo_offset, lo_encrypt_type, lo_encrypt_key_size, lo_flags;
    char lo_name[64];
    unsigned char lo_encrypt_key[32];
    unsigned long lo_init[2];
    char reserved[4];
};

struct loop_config {
    uint32_t fd, block_size;
    struct loop_info64 info;
    uint64_t reserved[8];
};

static const char *img = "/tmp/loopdev-test.img";

static void show_stat(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        printf("stat %s: %s\n", path, errno_name(errno));
        return;
    }
    printf("stat %s: %s %u:%u size %lld\n", path, S_ISBLK(st.st_mode) ? "blk" : S_ISCHR(st.st_mode) ? "chr" : "other",
           major(st.st_rdev), minor(st.st_rdev), (long long)st.st_size);
}

static void show_sizes(int fd)
{
    uint64_t b64 = 0;
    unsigned long sectors = 0;
    int ssz = 0, pbsz = 0, ro = -1;
    int r1 = ioctl(fd, BLKGETSIZE64, &b64), r2 = ioctl(fd, BLKGETSIZE, &sectors);
    int r3 = ioctl(fd, BLKSSZGET, &ssz), r4 = ioctl(fd, BLKPBSZGET, &pbsz), r5 = ioctl(fd, BLKROGET, &ro);
    printf("sizes: %d %llu, %d %lu, ssz %d %d, pbsz %d %d, ro %d %d, end %lld\n", r1, (unsigned long long)b64, r2,
           sectors, r3, ssz, r4, pbsz, r5, ro, (long long)lseek(fd, 0, SEEK_END));
}

static void show_status(int fd, int n)
{
    struct loop_info64 i;
    memset(&i, 0, sizeof i);
    if (ioctl(fd, LOOP_GET_STATUS64, &i) < 0) {
        printf("status64: %s\n", errno_name(errno));
        return;
    }
    printf("status64: number ok %d, offset %llu, sizelimit %llu, flags %#x, name '%s'\n", (int)i.lo_number == n,
           (unsigned long long)i.lo_offset, (unsigned long long)i.lo_sizelimit, i.lo_flags, i.lo_file_name);
}

static int e(int r) { return r < 0 ? -errno : r; }

static void io_checks(int fd, int back)
{
    char buf[16] = {0};
    CHECK(pread(fd, buf, 5, 4096));
    printf("read '%s'\n", buf);
    CHECK(pwrite(fd, "WXYZ", 4, 8192));
    CHECK(fsync(fd)); /* the device's page cache to the file, on Linux */
    memset(buf, 0, sizeof buf);
    CHECK(pread(back, buf, 4, 8192));
    printf("backing '%s'\n", buf);
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("mmap %d\n", m != MAP_FAILED);
    if (m != MAP_FAILED) {
        printf("mapped '%.5s'\n", m + 4096);
        m[4100] = '!';
        CHECK(msync(m, 8192, MS_SYNC));
        munmap(m, 8192);
    }
    memset(buf, 0, sizeof buf);
    CHECK(pread(back, buf, 5, 4096));
    printf("backing '%s'\n", buf);
    CHECK(pwrite(fd, "o", 1, 4100));
    CHECK(fsync(fd));
    CHECK(lseek(fd, 0, SEEK_END));
    CHECK(read(fd, buf, 4));
    CHECK(pread(fd, buf, 16, 1048576 - 8));
}

/* LOOP_CLR_FD from its one open file: the device runs down (its I/O
 * fails, it is neither bound nor free) until that file closes. */
static void rundown_checks(int fd, int n, int back)
{
    char c;
    show_status(fd, n);
    CHECK(pread(fd, &c, 1, 0));
    CHECK(pwrite(fd, "x", 1, 0));
    CHECK(ioctl(fd, LOOP_SET_FD, back));
    CHECK(ioctl(fd, LOOP_CLR_FD, 0));
    uint64_t b64 = 0;
    CHECK(ioctl(fd, BLKGETSIZE64, &b64));
    printf("size %llu\n", (unsigned long long)b64);
}

static void status_checks(int fd, int n, int back)
{
    struct loop_info64 i;
    memset(&i, 0, sizeof i);
    i.lo_offset = 4096;
    i.lo_sizelimit = 65536;
    i.lo_flags = LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR | LO_FLAGS_DIRECT_IO;
    strcpy((char *)i.lo_file_name, "backing");
    CHECK(ioctl(fd, LOOP_SET_STATUS64, &i));
    show_status(fd, n);
    show_sizes(fd);
    char buf[8] = {0};
    CHECK(pread(fd, buf, 5, 0));
    printf("read '%s'\n", buf);
    CHECK(pread(fd, buf, 8, 65536));
    struct loop_info old;
    CHECK(ioctl(fd, LOOP_GET_STATUS, &old));
    printf("status: offset %d flags %#x name '%s'\n", old.lo_offset, old.lo_flags, old.lo_name);
    old.lo_flags = 0;
    old.lo_offset = 0;
    CHECK(ioctl(fd, LOOP_SET_STATUS, &old));
    show_status(fd, n);
    uint64_t range[2] = {4096, 4096};
    CHECK(ioctl(fd, BLKDISCARD, range));
    memset(buf, 0, sizeof buf);
    pread(back, buf, 5, 4096);
    printf("after discard '%s'\n", buf);
    range[0] = 100;
    CHECK(ioctl(fd, BLKDISCARD, range));
    CHECK(ioctl(fd, BLKRRPART, 0));
    int one = 1, zero = 0, ro = -1;
    CHECK(ioctl(fd, BLKROSET, &one));
    CHECK(ioctl(fd, BLKROGET, &ro));
    printf("ro %d\n", ro);
    CHECK(pwrite(fd, "x", 1, 0));
    CHECK(ioctl(fd, BLKROSET, &zero));
    CHECK(pwrite(fd, "x", 1, 0));
    unsigned long ra = 0, was = 0;
    CHECK(ioctl(fd, BLKRAGET, &was)); /* the read-ahead: what another user left, or 256 */
    for (unsigned long set = 0; set <= 520; set += 65) {
        CHECK(ioctl(fd, BLKRASET, set));
        CHECK(ioctl(fd, BLKRAGET, &ra));
        printf("BLKRASET %lu: BLKRAGET %lu\n", set, ra);
    }
    CHECK(ioctl(fd, BLKFRAGET, &ra));
    printf("BLKFRAGET %lu\n", ra);
    CHECK(ioctl(fd, BLKRAGET, NULL));
    CHECK(ioctl(fd, BLKRASET, was));
    CHECK(ioctl(fd, LOOP_SET_CAPACITY, 0));
    CHECK(ioctl(fd, LOOP_SET_BLOCK_SIZE, 1000));
    CHECK(ioctl(fd, LOOP_SET_BLOCK_SIZE, 4096));
    show_sizes(fd);
}

static void clear_checks(const char *dev, int fd, int n)
{
    int other = open(dev, O_RDONLY);
    printf("other open %d\n", other >= 0);
    CHECK(ioctl(fd, LOOP_CLR_FD, 0));
    show_status(fd, n);
    close(other);
    show_status(fd, n);
    close(fd);
    fd = open(dev, O_RDWR);
    show_status(fd, n);
    CHECK(ioctl(fd, LOOP_CLR_FD, 0));
    close(fd);
}

static void readonly_checks(const char *dev, int n)
{
    int fd = open(dev, O_RDWR), back = open(img, O_RDONLY);
    CHECK(ioctl(fd, LOOP_SET_FD, back));
    show_status(fd, n);
    CHECK(pwrite(fd, "x", 1, 0));
    CHECK(ioctl(fd, LOOP_CLR_FD, 0));
    close(back);
    close(fd);
    fd = open(dev, O_RDWR);
    show_status(fd, n);
    show_sizes(fd); /* still read-only (Linux's disk flag stays until the next binding) */
    CHECK(write(fd, "x", 1));
    back = open(img, O_RDWR);
    struct loop_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.fd = back;
    cfg.block_size = 4096;
    cfg.info.lo_offset = 4096;
    cfg.info.lo_flags = LO_FLAGS_AUTOCLEAR;
    CHECK(ioctl(fd, LOOP_CONFIGURE, &cfg));
    CHECK(ioctl(fd, LOOP_CONFIGURE, &cfg));
    show_status(fd, n);
    show_sizes(fd);
    close(back);
    close(fd); /* autoclear: unbound at its last close */
    fd = open(dev, O_RDONLY);
    show_status(fd, n);
    close(fd);
}

static void control_checks(int ctl)
{
    int r = e(ioctl(ctl, LOOP_CTL_ADD, 200));
    printf("add 200: %d\n", r);
    printf("add again: %d\n", e(ioctl(ctl, LOOP_CTL_ADD, 200)));
    show_stat("/dev/loop200");
    int fd = open("/dev/loop200", O_RDWR), back = open(img, O_RDWR);
    CHECK(ioctl(fd, LOOP_SET_FD, back));
    printf("remove bound: %d\n", e(ioctl(ctl, LOOP_CTL_REMOVE, 200)));
    CHECK(ioctl(fd, LOOP_CLR_FD, 0));
    close(fd);
    close(back);
    printf("remove: %d\n", e(ioctl(ctl, LOOP_CTL_REMOVE, 200)));
    printf("remove again: %d\n", e(ioctl(ctl, LOOP_CTL_REMOVE, 200)));
    printf("remove -1: %d\n", e(ioctl(ctl, LOOP_CTL_REMOVE, -1)));
    show_stat("/dev/loop200");
    printf("unknown: %d\n", e(ioctl(ctl, 0x4C90, 0)));
}

static void mknod_checks(int n)
{
    char path[] = "/tmp/loopdev-node";
    unlink(path);
    CHECK(mknod(path, S_IFBLK | 0600, makedev(7, n)));
    show_stat(path);
    int fd = open(path, O_RDONLY);
    printf("open node %d\n", fd >= 0);
    show_status(fd, n);
    close(fd);
    unlink(path);
    CHECK(mknod(path, S_IFBLK | 0600, makedev(240, 3)));
    CHECK(open(path, O_RDONLY));
    unlink(path);
}

int main(void)
{
    show_stat("/dev/loop-control");
    show_stat("/dev/loop0");
    int ctl = open("/dev/loop-control", O_RDWR);
    int n = ioctl(ctl, LOOP_CTL_GET_FREE);
    printf("free %d\n", n >= 0);
    char dev[32];
    snprintf(dev, sizeof dev, "/dev/loop%d", n);
    int fd = open(dev, O_RDWR);
    printf("open %d\n", fd >= 0);
    int back = open(img, O_RDWR | O_CREAT | O_TRUNC, 0600);
    ftruncate(back, 1048576 + 1000);
    pwrite(back, "hello", 5, 4096);
    /* a writable binding first: the device stays read-only after a
     * read-only one (losetup -r) until the next */
    ioctl(fd, LOOP_SET_FD, back);
    ioctl(fd, LOOP_CLR_FD, 0);
    rundown_checks(fd, n, back);
    close(fd);
    fd = open(dev, O_RDWR);
    char c;
    CHECK(read(fd, &c, 1));
    CHECK(write(fd, "x", 1));
    show_status(fd, n);
    show_sizes(fd);
    CHECK(ioctl(fd, LOOP_CLR_FD, 0));
    int p[2];
    pipe(p);
    CHECK(ioctl(fd, LOOP_SET_FD, 999));
    CHECK(ioctl(fd, LOOP_SET_FD, p[0]));
    CHECK(ioctl(fd, LOOP_SET_FD, back));
    CHECK(ioctl(fd, LOOP_SET_FD, back));
    show_status(fd, n);
    show_sizes(fd);
    int bsz = 0;
    CHECK(ioctl(fd, BLKBSZGET, &bsz));
    /* the page cache's block size: 512 to 4096 on Linux, by the device's history */
    printf("bsz ok %d\n", bsz >= 512 && bsz <= 4096 && !(bsz & (bsz - 1)));
    CHECK(ioctl(fd, BLKFLSBUF, 0));
    io_checks(fd, back);
    status_checks(fd, n, back);
    clear_checks(dev, fd, n);
    readonly_checks(dev, n);
    control_checks(ctl);
    mknod_checks(n);
    close(back);
    unlink(img);
    return 0;
}
