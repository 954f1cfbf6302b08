/*
 * tests/linux/c/tmpfsfull.c - a tmpfs's size= and nr_inodes= are limits,
 * as Linux's shmem keeps them: statfs's counts, a write cut short at the
 * limit and then ENOSPC, fallocate's ENOSPC that leaves nothing allocated,
 * the blocks and inodes given back by unlink, hard links and long symlinks
 * taking their share, mkdir and symlink refused when no inode is left,
 * SIGBUS for a shared mapping's page past the limit,
 * remounts that cannot shrink below what is used or limit an unlimited
 * one (EINVAL), and a mount without options limited to half the memory.
 * As root; on the host in a mount namespace of its own.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#define D "/tmp/tmpfsfull-test"

static void counts(const char *when)
{
    struct statfs sf;
    if (statfs(D, &sf) < 0) {
        printf("%s: statfs %s\n", when, strerror(errno));
        return;
    }
    printf("%s: bsize %ld blocks %ld bfree %ld bavail %ld files %ld ffree %ld\n", when, (long)sf.f_bsize,
           (long)sf.f_blocks, (long)sf.f_bfree, (long)sf.f_bavail, (long)sf.f_files, (long)sf.f_ffree);
}

static char buf[64 * 1024];

int main(void)
{
    struct stat st;
    unshare(CLONE_NEWNS);
    mkdir(D, 0755);
    memset(buf, 'x', sizeof buf);

    CHECK(mount("none", D, "tmpfs", 0, "size=64k,nr_inodes=8"));
    counts("empty");
    int a = open(D "/a", O_CREAT | O_RDWR, 0644);
    CHECK(write(a, buf, 40960));
    counts("40k");
    int b = open(D "/b", O_CREAT | O_RDWR, 0644);
    CHECK(write(b, buf, 40960)); /* 24k fits */
    CHECK(write(b, buf, 100));
    CHECK(fallocate(b, 0, 65536, 4096));
    CHECK(fstat(b, &st));
    printf("b: size %ld blocks %ld\n", (long)st.st_size, (long)st.st_blocks);
    CHECK(ftruncate(b, 1 << 20)); /* a hole takes nothing */
    CHECK(pwrite(b, buf, 1, 900000));
    counts("full");

    CHECK(close(a));
    CHECK(unlink(D "/a"));
    counts("a gone");
    CHECK(fallocate(b, 0, 2 << 20, 48 << 10)); /* 12 pages, 10 free: none is kept */
    counts("after a failed fallocate");
    CHECK(fallocate(b, 0, 2 << 20, 40 << 10));
    CHECK(fstat(b, &st));
    printf("b: size %ld blocks %ld\n", (long)st.st_size, (long)st.st_blocks);
    counts("fallocated");
    /* a shared mapping's page that the size= has no room for */
    CHECK(ftruncate(b, (2 << 20) + (48 << 10)));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char *m = mmap(NULL, 48 << 10, PROT_READ | PROT_WRITE, MAP_SHARED, b, 2 << 20);
        m[0] = 1;           /* allocated already */
        m[44 << 10] = 1;    /* a hole, and no room */
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("touching past the size: %s\n", WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exited");
    CHECK(ftruncate(b, 0));
    counts("b emptied");

    /* inodes: the root and b are two of eight */
    CHECK(link(D "/b", D "/b2"));
    counts("a link");
    CHECK(mkdir(D "/d", 0755));
    CHECK(symlink("b", D "/s"));
    char longer[201];
    memset(longer, 'l', 200);
    longer[200] = 0;
    CHECK(symlink(longer, D "/long"));
    CHECK(lstat(D "/long", &st));
    printf("long link: blocks %ld\n", (long)st.st_blocks);
    CHECK(lstat(D "/s", &st));
    printf("short link: blocks %ld\n", (long)st.st_blocks);
    counts("links");
    CHECK(open(D "/c", O_CREAT | O_WRONLY, 0644));
    CHECK(open(D "/e", O_CREAT | O_WRONLY, 0644));
    CHECK(mkdir(D "/d2", 0755));
    CHECK(symlink("b", D "/s2"));
    CHECK(mknod(D "/fifo", S_IFIFO | 0644, 0));
    CHECK(link(D "/b", D "/b3"));
    counts("no inode left");
    CHECK(unlink(D "/b2"));
    CHECK(mkdir(D "/d2", 0755));
    CHECK(rmdir(D "/d2"));
    CHECK(unlink(D "/long"));
    counts("some given back");

    /* remounts */
    CHECK(pwrite(b, buf, 20000, 0));
    CHECK(mount(NULL, D, NULL, MS_REMOUNT, "size=16k"));
    CHECK(mount(NULL, D, NULL, MS_REMOUNT, "nr_inodes=3"));
    CHECK(mount(NULL, D, NULL, MS_REMOUNT, "size=128k,nr_inodes=20"));
    counts("grown");
    CHECK(mount(NULL, D, NULL, MS_REMOUNT, "size=0,nr_inodes=0"));
    counts("unlimited");
    CHECK(mount(NULL, D, NULL, MS_REMOUNT, "size=1m"));
    CHECK(mount(NULL, D, NULL, MS_REMOUNT, "nr_inodes=100"));
    CHECK(close(b));
    CHECK(umount2(D, MNT_DETACH));

    /* no options: half of the memory, and as many inodes as pages */
    CHECK(mount("none", D, "tmpfs", 0, NULL));
    struct statfs sf;
    struct sysinfo si;
    CHECK(statfs(D, &sf));
    CHECK(sysinfo(&si));
    unsigned long pages = si.totalram * si.mem_unit / 4096;
    printf("half the pages: %d, half the inodes: %d, none used: %d\n", (unsigned long)sf.f_blocks == pages / 2,
           (unsigned long)sf.f_files == pages / 2, sf.f_ffree == sf.f_files - 1 && sf.f_bfree == sf.f_blocks);
    CHECK(umount2(D, MNT_DETACH));
    CHECK(rmdir(D));
    return 0;
}
