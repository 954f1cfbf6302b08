/*
 * tests/linux/c/mmapfile.c - file-backed memory as Linux has it: a
 * MAP_SHARED mapping's writes reach the file (read back with read) and
 * another process's mapping of it; write() to the file shows in both
 * kinds of mapping of a page not yet written privately; a MAP_PRIVATE
 * mapping's writes stay its own (copy-on-write, in a forked child too);
 * msync; mremap moving a shared mapping keeps it the file's; MADV_DONTNEED
 * on a shared mapping keeps the data, on a private one brings back the
 * file's; mprotect of a private file mapping (SIGSEGV on a write while
 * read-only, copy-on-write after); past the end of the file a shared mapping gives SIGBUS; a
 * process-shared futex-free handshake through the mapping between two
 * processes.  One line per check; the output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

static sigjmp_buf back;
static void on_bus(int sig) { siglongjmp(back, sig); }

static void show(const char *what, const char *got) { printf("%-48s %.12s\n", what, got); }

static const char *file_bytes(int fd, off_t at)
{
    static char buf[16];
    memset(buf, 0, sizeof buf);
    pread(fd, buf, 12, at);
    return buf;
}

int main(void)
{
    int fd = open("data", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char page[2 * PAGE];
    memset(page, '.', sizeof page);
    memcpy(page, "first page", 10);
    memcpy(page + PAGE, "second page", 11);
    write(fd, page, sizeof page);

    char *sh = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *pr = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("mmap shared %s, private %s\n", sh == MAP_FAILED ? "failed" : "ok", pr == MAP_FAILED ? "failed" : "ok");
    show("shared reads the file", sh);
    memcpy(sh, "SHARED", 6);
    show("file after a write through the shared map", file_bytes(fd, 0));
    show("private map of an unwritten page sees it", pr);
    pwrite(fd, "WRITTEN", 7, PAGE);
    show("shared map after pwrite", sh + PAGE);
    show("private map after pwrite", pr + PAGE);
    memcpy(pr, "PRIVATE", 7);
    show("private map after its own write", pr);
    show("shared map is untouched by it", sh);
    show("so is the file", file_bytes(fd, 0));
    pwrite(fd, "again", 5, 0);
    show("a privately written page keeps its copy", pr);

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        memcpy(sh + 100, "from child", 10);
        memcpy(pr + 100, "child priv", 10);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    show("parent sees the child's shared write", sh + 100);
    show("not its private one", pr + 100);
    show("the file has the child's write", file_bytes(fd, 100));

    /* Another process maps the file on its own and answers through it. */
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int f2 = open("data", O_RDWR);
        volatile char *m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f2, PAGE);
        while (m[200] != 'Q')
            usleep(1000);
        memcpy((char *)m + 201, "answer", 6);
        m[200] = 'A';
        _exit(0);
    }
    sh[PAGE + 200] = 'Q';
    while (((volatile char *)sh)[PAGE + 200] != 'A')
        usleep(1000);
    waitpid(pid, NULL, 0);
    show("a second process's own mapping answered", sh + PAGE + 201);

    printf("msync MS_SYNC %d, MS_ASYNC %d\n", msync(sh, 2 * PAGE, MS_SYNC), msync(sh, PAGE, MS_ASYNC));

    char *moved = mremap(sh, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, pr + 64 * PAGE);
    printf("mremap moved %s\n", moved == pr + 64 * PAGE ? "yes" : "no");
    memcpy(moved + PAGE + 300, "after move", 10);
    show("the moved map still writes the file", file_bytes(fd, PAGE + 300));

    madvise(moved, PAGE, MADV_DONTNEED);
    show("MADV_DONTNEED on a shared map keeps the data", moved);
    madvise(pr, PAGE, MADV_DONTNEED);
    show("on a private map brings back the file's", pr);

    struct sigaction sa = {.sa_handler = on_bus};
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    printf("mprotect read-only %d\n", mprotect(pr + PAGE, PAGE, PROT_READ));
    int sig0 = sigsetjmp(back, 1);
    if (!sig0)
        pr[PAGE] = 'x';
    printf("a write then: %s\n", sig0 == SIGSEGV ? "SIGSEGV" : sig0 ? "other signal" : "no signal");
    printf("mprotect read-write %d\n", mprotect(pr + PAGE, PAGE, PROT_READ | PROT_WRITE));
    memcpy(pr + PAGE, "REWRITTEN", 9);
    show("the private page after mprotect and a write", pr + PAGE);
    show("the file is untouched by it", file_bytes(fd, PAGE));
    char *big = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int sig = sigsetjmp(back, 1);
    if (!sig)
        big[3 * PAGE] = 1;
    printf("a shared map past the file's end: %s\n", sig == SIGBUS ? "SIGBUS" : sig ? "other signal" : "no signal");
    ftruncate(fd, 4 * PAGE);
    sig = sigsetjmp(back, 1);
    if (!sig)
        big[3 * PAGE] = 'z';
    printf("after the file grows: %s, file has '%c'\n", sig ? "signal" : "no signal", file_bytes(fd, 3 * PAGE)[0]);
    printf("munmap %d %d %d\n", munmap(moved, 2 * PAGE), munmap(pr, 2 * PAGE), munmap(big, 4 * PAGE));
    return 0;
}
