/*
 * tests/linux/c/getdents.c - the old getdents, beside getdents64: struct
 * linux_dirent with the type in the record's last byte, records 8-byte
 * aligned, a listing in small buffers that goes on where it stopped, a
 * rewind with lseek, and the errors (a buffer too small for one record,
 * a file, a bad descriptor, a bad address); a listing that removes each
 * entry it reads removes them all, and one that adds entries as it reads
 * sees each old one once; /proc/self/fd listed with 200 descriptors, each
 * looked up as it is read, gives each once.  Entries are sorted by name
 * here, since the order of a directory's entries is the file system's.
 * Files are in /dev/shm, a tmpfs on the host as on Persona.  The output
 * must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <dirent.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct linux_dirent {
    unsigned long d_ino, d_off;
    unsigned short d_reclen;
    char d_name[];
};

static char names[64][320];
static int count;

static int cmp(const void *a, const void *b) { return strcmp(a, b); }

/* Reads the directory with buffers of size bytes, noting each entry. */
static void list(int fd, size_t size)
{
    char buf[4096];
    long n;
    count = 0;
    while ((n = syscall(SYS_getdents, fd, buf, size)) > 0) {
        for (long at = 0; at < n;) {
            struct linux_dirent *d = (struct linux_dirent *)(buf + at);
            unsigned char type = (unsigned char)buf[at + d->d_reclen - 1];
            size_t len = strlen(d->d_name);
            snprintf(names[count++], sizeof names[0], "%s type %u reclen %u (%s) ino %s", d->d_name, type,
                     d->d_reclen, d->d_reclen == ((18 + len + 2 + 7) & ~7ul) ? "fits" : "odd",
                     d->d_ino ? "set" : "zero");
            at += d->d_reclen;
        }
    }
    qsort(names, (size_t)count, sizeof names[0], cmp);
    printf("listed with %zu-byte buffers (last %ld):\n", size, n);
    for (int i = 0; i < count; i++)
        printf("  %s\n", names[i]);
}

/* A directory of n files named f000...: each removed as readdir gives it
 * (readdir reads on in several getdents calls), or each read adding a
 * new entry; what was listed, and what is left. */
static void change_while_listing(int n, bool remove)
{
    char dir[] = "/dev/shm/getdents-change-XXXXXX", name[32];
    int seen[400] = {0}, left = 0;
    mkdtemp(dir);
    int d = open(dir, O_RDONLY | O_DIRECTORY);
    for (int i = 0; i < n; i++)
        snprintf(name, sizeof name, "f%03d", i), close(openat(d, name, O_WRONLY | O_CREAT, 0644));
    DIR *ds = fdopendir(dup(d));
    for (struct dirent *e; (e = readdir(ds));) {
        if (e->d_name[0] == 'f')
            seen[atoi(e->d_name + 1)]++;
        if (remove && e->d_name[0] != '.')
            unlinkat(d, e->d_name, 0);
        else if (!remove && e->d_name[0] == 'f')
            snprintf(name, sizeof name, "n%03d", atoi(e->d_name + 1)), close(openat(d, name, O_WRONLY | O_CREAT, 0644));
    }
    closedir(ds);
    int once = 0;
    for (int i = 0; i < n; i++)
        once += seen[i] == 1;
    lseek(d, 0, SEEK_SET); /* the listing's dup shared the position */
    ds = fdopendir(d);
    for (struct dirent *e; (e = readdir(ds));)
        if (e->d_name[0] != '.') {
            left++;
            if (!remove)
                unlinkat(d, e->d_name, 0);
        }
    closedir(ds);
    printf("%s while listing: %d of %d seen once, left %d\n", remove ? "removing" : "adding", once, n,
           left); /* whether the new ones show in the listing is the file system's */
    CHECK(rmdir(dir));
}

static void proc_fds_looked_up(void)
{
    int fds[200], seen[1024] = {0}, n = 0, twice = 0;
    for (int i = 0; i < 200; i++)
        fds[i] = open("/dev/null", O_RDONLY);
    DIR *d = opendir("/proc/self/fd");
    for (struct dirent *e; n < 5000 && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[300], to[256];
        snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
        readlink(path, to, sizeof to); /* a lookup in the directory being listed */
        int fd = atoi(e->d_name);
        n++;
        twice += fd < 1024 && seen[fd]++;
    }
    closedir(d);
    int ours = 0;
    for (int i = 0; i < 200; i++)
        ours += fds[i] < 1024 && seen[fds[i]] == 1, close(fds[i]);
    printf("/proc/self/fd looked up while listed: ours each once %d, any twice %d\n", ours == 200, twice);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char dir[] = "/dev/shm/getdents-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0)
        return 1;
    close(open("a", O_WRONLY | O_CREAT, 0644));
    mkdir("sub", 0755);
    symlink("a", "link");
    mkfifo("fifo", 0644);
    close(open("a-rather-longer-name-of-a-file", O_WRONLY | O_CREAT, 0644));
    int fd = open(".", O_RDONLY | O_DIRECTORY);
    list(fd, sizeof(char[4096]));
    CHECK(lseek(fd, 0, SEEK_SET));
    list(fd, 64);
    CHECK(lseek(fd, 0, SEEK_SET));
    list(fd, 56);
    lseek(fd, 0, SEEK_SET);
    char small[64];
    CHECK(syscall(SYS_getdents, fd, small, 10));
    CHECK(syscall(SYS_getdents, fd, small, 0));
    CHECK(syscall(SYS_getdents, fd, (void *)8, 4096));
    CHECK(syscall(SYS_getdents, fd, small, sizeof small) > 0); /* the failed call listed nothing */
    lseek(fd, 0, SEEK_SET);
    int f = open("a", O_RDONLY);
    CHECK(syscall(SYS_getdents, f, small, sizeof small));
    CHECK(syscall(SYS_getdents, 99, small, sizeof small));
    CHECK(syscall(SYS_getdents, -1, small, sizeof small));
    /* a removed directory: ENOENT, for getdents64 too */
    int s = open("sub", O_RDONLY | O_DIRECTORY);
    rmdir("sub");
    CHECK(syscall(SYS_getdents, s, small, sizeof small));
    CHECK(syscall(SYS_getdents64, s, small, sizeof small));
    change_while_listing(300, true);
    change_while_listing(100, false);
    proc_fds_looked_up();
    return 0;
}
