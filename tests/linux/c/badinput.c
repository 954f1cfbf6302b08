/*
 * tests/linux/c/badinput.c - bad input to system calls gets a clean error,
 * never a crash: bad pointers (EFAULT), wild syscall numbers (ENOSYS), bad
 * descriptors (EBADF), /dev/null's unread buffers, fsync where it means
 * nothing (EINVAL), reboot's magic, an exec of a corrupt ELF file (ENOEXEC),
 * answers into memory the process may read but not write (EFAULT,
 * the memory left as it was), and keyctl's iovec that cannot be read.
 * One line per check; the output must equal the host Linux's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void check(const char *what, long r)
{
    printf("%-40s %ld %s\n", what, r, r < 0 ? strerror(errno) : "");
    errno = 0;
}

int main(void)
{
    int fd = open("data", O_RDWR | O_CREAT | O_TRUNC, 0644);
    check("write(fd, \"abc\", 3)", write(fd, "abc", 3));
    check("read(fd, NULL, 10) after lseek", (lseek(fd, 0, SEEK_SET), read(fd, NULL, 10)));
    check("write(fd, (void *)1, 5)", write(fd, (void *)1, 5));
    check("open((char *)1, O_RDONLY)", open((char *)1, O_RDONLY));
    check("syscall(9999)", syscall(9999));
    check("syscall(-1)", syscall(-1));
    check("read(12345, buf, 1)", read(12345, &fd, 1));
    check("close(-1)", close(-1));
    check("open(\"missing\", O_RDONLY)", open("missing", O_RDONLY));
    check("mkdir(\"data/x\", 0755)", mkdir("data/x", 0755));
    /* /dev/null checks only that the range is user memory, as Linux */
    int null = open("/dev/null", O_RDWR);
    check("write(null, NULL, 64)", write(null, NULL, 64));
    check("read(null, (void *)1, 64)", read(null, (void *)1, 64));
    check("write(null, kernel address, 8)", write(null, (void *)0xffff800000000000ul, 8));
    check("write(null, low address, 1ul << 40)", write(null, (void *)0x10000, 1ul << 40));
    int wo = open("/dev/null", O_WRONLY);
    check("read(write-only null, buf, 1)", read(wo, &fd, 1));
    /* fsync where there is nothing to write back, and where it has no meaning */
    int pfd[2];
    pipe(pfd);
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    check("fsync(file)", fsync(fd));
    check("fdatasync(directory)", fdatasync(dir));
    check("fsync(pipe)", fsync(pfd[0]));
    check("fsync(/dev/null)", fsync(null));
    check("fsync(-1)", fsync(-1));
    check("syncfs(file)", syscall(SYS_syncfs, fd));
    check("syncfs(99)", syscall(SYS_syncfs, 99));
    check("sync()", (sync(), 0));
    check("reboot(bad magic)", syscall(SYS_reboot, 1, 2, 0x4321fedc, 0));
    /* a read-only page, touched and not, and one half writable */
    char *ro = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(ro, 2 * 4096, PROT_READ);
    volatile char touch = ro[4096];
    (void)touch;
    int zero = open("/dev/zero", O_RDONLY);
    check("read(zero, read-only page, 10)", read(zero, ro, 10));
    check("read(zero, touched read-only page, 10)", read(zero, ro + 4096, 10));
    check("read(zero, read-only into writable, 8)", read(zero, ro + 2 * 4096 - 4, 8));
    check("pipe(read-only page)", pipe((int *)ro));
    write(pfd[1], "abc", 3);
    check("read(pipe, read-only page, 3)", read(pfd[0], ro + 4096, 3));
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN};
    epoll_ctl(ep, EPOLL_CTL_ADD, pfd[0], &ev);
    check("epoll_wait(read-only page)", epoll_wait(ep, (struct epoll_event *)ro, 1, 0));
    check("fstat(fd, read-only page)", syscall(SYS_fstat, fd, ro));
    check("bytes left zero", ro[0] + ro[4096] + ro[2 * 4096 - 1]);
    /* KEYCTL_INSTANTIATE_IOV (20) of an unreadable iovec array: EFAULT,
     * again and again (the array's copy was freed twice) */
    long kr = 0;
    for (int i = 0; i < 50; i++)
        kr |= syscall(SYS_keyctl, 20, 0x12345, (void *)9, 1023, 5);
    check("keyctl(INSTANTIATE_IOV, iov 9) x50", kr);
    static const char bad[] = "\177ELF\2\1\1\0garbage";
    int b = open("bad.elf", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write(b, bad, sizeof bad);
    close(b);
    char *argv[] = {"bad.elf", NULL}, *envp[] = {NULL};
    check("execve(\"bad.elf\") of a corrupt ELF", execve("bad.elf", argv, envp));
    return 0;
}
