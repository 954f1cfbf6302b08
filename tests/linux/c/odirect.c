/*
 * tests/linux/c/odirect.c - O_DIRECT as Linux 6.1 takes it: an ext2
 * file (a 1 MiB image on a loop device, in a mount namespace of the
 * test's own) opens with it, and then its reads and writes need the
 * offset, the buffer and the length aligned to the device's logical
 * block (512 bytes), EINVAL otherwise; a character device, a /proc file
 * and a FIFO refuse it (EINVAL, the file made first when O_CREAT made
 * it); a pipe made with it is in packet mode.
 *
 * "persona-only": Linux 6.1's tmpfs (before 6.6, which the host runs)
 * has no direct I/O: open and F_SETFL with O_DIRECT are EINVAL there;
 * and 6.1's ext2 (blockdev_direct_IO, before 6.4's iomap) refuses a
 * read into a buffer out of line as well as a write.
 */
#define _GNU_SOURCE
#include "ext2img.h"
#include <sched.h>
#include <stdlib.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define IMG "/tmp/odirect.img"
#define MNT "/tmp/odirect.mnt"

static char *buf; /* 8 KiB, page-aligned */

static void ext2(void)
{
    int fd;
    CHECK((fd = open(MNT "/f", O_CREAT | O_RDWR | O_DIRECT, 0644)) >= 0);
    CHECK((fcntl(fd, F_GETFL) & O_DIRECT) != 0);
    memset(buf, 'a', 8192);
    CHECK(write(fd, buf, 4096));
    CHECK(pwrite(fd, buf, 1024, 4096));
    CHECK(pwrite(fd, buf, 512, 5120)); /* the device's block, under the file system's */
    CHECK(pwrite(fd, buf, 4096, 100));
    CHECK(pwrite(fd, buf + 1, 4096, 0));
    CHECK(pwrite(fd, buf, 100, 0));
    CHECK(pwrite(fd, buf + 512, 512, 0)); /* a buffer aligned to 512 only */
    CHECK(pread(fd, buf, 4096, 0));
    CHECK(pread(fd, buf, 1024, 4096));
    CHECK(pread(fd, buf, 512, 100));
    CHECK(pread(fd, buf, 1000, 0));
    CHECK(pread(fd, buf, 512, 65536)); /* past the end */
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == 5632);
    close(fd);
    CHECK((fd = open(MNT "/f", O_RDONLY)) >= 0);
    CHECK(fcntl(fd, F_SETFL, O_DIRECT));
    CHECK((fcntl(fd, F_GETFL) & O_DIRECT) != 0);
    CHECK(pread(fd, buf, 512, 7));
    CHECK(fcntl(fd, F_SETFL, 0));
    CHECK(pread(fd, buf + 1, 7, 7));
    close(fd);
    CHECK(mkfifo(MNT "/fifo", 0644));
    CHECK(open(MNT "/fifo", O_RDWR | O_DIRECT));
}

static void others(void)
{
    CHECK(open("/dev/null", O_RDWR | O_DIRECT));
    CHECK(open("/proc/self/status", O_RDONLY | O_DIRECT));
    int fd = open("/dev/null", O_RDWR);
    CHECK(fcntl(fd, F_SETFL, O_DIRECT));
    close(fd);
    int p[2];
    CHECK(pipe2(p, O_DIRECT));
    CHECK((fcntl(p[1], F_GETFL) & O_DIRECT) != 0);
    close(p[0]), close(p[1]);
}

/* tmpfs, as 6.1's: no direct I/O */
static void tmpfs(void)
{
    CHECK(mkdir("/tmp/odirect.tmpfs", 0755));
    CHECK(mount("tmpfs", "/tmp/odirect.tmpfs", "tmpfs", 0, NULL));
    CHECK(open("/tmp/odirect.tmpfs/f", O_CREAT | O_RDWR | O_DIRECT, 0644));
    CHECK(access("/tmp/odirect.tmpfs/f", F_OK)); /* made before the refusal */
    int fd = open("/tmp/odirect.tmpfs/f", O_RDWR);
    CHECK(fcntl(fd, F_SETFL, O_DIRECT));
    CHECK((fcntl(fd, F_GETFL) & O_DIRECT) != 0);
    close(fd);
    int mfd = memfd_create("m", 0);
    CHECK(fcntl(mfd, F_SETFL, O_DIRECT));
    close(mfd);
    umount2("/tmp/odirect.tmpfs", MNT_DETACH);
    rmdir("/tmp/odirect.tmpfs");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
        printf("no mount namespace: %s\n", errno_name(errno));
        return 1;
    }
    if (posix_memalign((void **)&buf, 4096, 8192))
        return 1;
    bool persona_only = argc > 1 && !strcmp(argv[1], "persona-only");
    if (persona_only)
        tmpfs();
    int ldev, img = ext2_image(IMG, MNT, &ldev);
    if (img >= 0 && persona_only) {
        /* a buffer out of line, in a read: 6.1's blockdev_direct_IO refuses it (6.18's iomap takes it) */
        int fd = open(MNT "/f", O_CREAT | O_RDWR | O_DIRECT, 0644);
        CHECK(pwrite(fd, buf, 4096, 0));
        CHECK(pread(fd, buf + 3, 512, 0));
        close(fd);
    } else if (img >= 0) {
        ext2();
    }
    if (!persona_only)
        others();
    umount2(MNT, MNT_DETACH);
    rmdir(MNT);
    if (ldev >= 0)
        ioctl(ldev, LOOP_CLR_FD, 0);
    unlink(IMG);
    return 0;
}
