/*
 * tests/linux/c/procpidlive.c - the files of /proc/PID made at each read:
 * their modes (and environ's, auxv's and personality's); syscall (the
 * reader's own read, a child blocked in read and in nanosleep with their
 * arguments, stack pointer and return address after a syscall
 * instruction, a spinning child "running", a stopped one "-1", a zombie,
 * another user's EPERM); stack (root reads it, others EACCES); sched's
 * first lines, policy and prio; autogroup (a new session's, its nice
 * value written, the errors); task/TID/children (oldest first, not the
 * grandchildren); smaps_rollup's line and its Rss against smaps'; the
 * numa_maps line of an anonymous area; clear_refs's values and VmHWM's
 * reset; attr/ (EINVAL for reads and writes, EACCES for another thread,
 * EPERM for another process's file); a second thread's task/TID (its
 * entries, its call, its own I/O counts and children, its process's
 * settings, its comm); comm's writes.  Numbers that differ between
 * machines are printed as whether they agree.  The output must equal the
 * host Linux's.  The persona-only part prints sched's and smaps_rollup's
 * field names, which are Linux 6.1's there (the host's kernel has others).
 */
#define _GNU_SOURCE
#include "check.h"
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static char text[65536];

static void modes(void)
{
    static const char *const names[] = {"syscall", "stack", "sched", "autogroup", "smaps_rollup", "numa_maps",
                                        "clear_refs", "attr", "attr/current", "attr/prev", "attr/exec",
                                        "attr/fscreate", "attr/keycreate", "attr/sockcreate", "environ", "auxv",
                                        "personality", "comm", "task/%d/comm", "task/%d/children", "task/%d/syscall", "task/%d/attr"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char name[64], path[80];
        struct stat st;
        snprintf(name, sizeof name, names[i], (int)getpid());
        snprintf(path, sizeof path, "/proc/self/%s", name);
        printf("%-18s %s\n", names[i], lstat(path, &st) < 0 ? strerror(errno) : (sprintf(text, "%o", st.st_mode), text));
    }
}

/* The fields of a syscall line. */
static int fields(const char *path, long *nr, unsigned long v[8])
{
    if (read_text(path, text, sizeof text) < 0)
        return -1;
    if (strcmp(text, "running\n") == 0)
        return 0;
    return sscanf(text, "%ld 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx", nr, &v[0], &v[1], &v[2], &v[3], &v[4],
                  &v[5], &v[6], &v[7]);
}

static int after_syscall(unsigned long pc) { return pc > 2 && *(const uint16_t *)(pc - 2) == 0x050f; }

static void syscall_file(void)
{
    char path[64], buf[16];
    long nr;
    unsigned long v[8];
    int fd = open("/proc/self/syscall", O_RDONLY), p[2];
    long n = read(fd, text, sizeof text - 1);
    text[n < 0 ? 0 : n] = '\0';
    n = sscanf(text, "%ld 0x%lx 0x%lx 0x%lx", &nr, &v[0], &v[1], &v[2]);
    printf("own: fields %ld nr %ld fd %d buf %d count %d\n", n, nr, v[0] == (unsigned long)fd,
           v[1] == (unsigned long)text, v[2] == sizeof text - 1);
    close(fd);
    CHECK(pipe(p));
    pid_t c = fork();
    if (c == 0) {
        syscall(SYS_read, p[0], buf, 7);
        _exit(0);
    }
    usleep(200000);
    snprintf(path, sizeof path, "/proc/%d/syscall", (int)c);
    n = fields(path, &nr, v);
    printf("in read: fields %ld nr %ld fd %d buf %d count %lu after a syscall %d\n", n, nr, v[0] == (unsigned long)p[0],
           v[1] == (unsigned long)buf, v[2], after_syscall(v[7]));
    kill(c, SIGKILL), waitpid(c, NULL, 0);
    struct timespec ts = {5, 0};
    if ((c = fork()) == 0) {
        syscall(SYS_nanosleep, &ts, NULL);
        _exit(0);
    }
    usleep(200000);
    snprintf(path, sizeof path, "/proc/%d/syscall", (int)c);
    n = fields(path, &nr, v);
    printf("in nanosleep: fields %ld nr %ld req %d rem %lu sp set %d\n", n, nr, v[0] == (unsigned long)&ts, v[1],
           v[6] != 0);
    kill(c, SIGKILL), waitpid(c, NULL, 0);
    if ((c = fork()) == 0)
        for (;;)
            ;
    usleep(100000);
    snprintf(path, sizeof path, "/proc/%d/syscall", (int)c);
    read_text(path, text, sizeof text);
    printf("spinning: %s", text);
    kill(c, SIGSTOP);
    waitpid(c, NULL, WUNTRACED); /* stopped now */
    n = fields(path, &nr, v);
    printf("stopped: fields %ld nr %ld\n", n, nr);
    siginfo_t si;
    kill(c, SIGKILL), waitid(P_PID, (id_t)c, &si, WNOWAIT | WEXITED);
    read_text(path, text, sizeof text);
    printf("zombie: %s", text);
    waitpid(c, NULL, 0);
    snprintf(path, sizeof path, "/proc/%d/syscall", (int)getpid());
    if ((c = fork()) == 0) {
        setgid(65534), setuid(65534);
        CHECK(fd = open(path, O_RDONLY));
        CHECK(read_text("/proc/self/stack", text, sizeof text));
        _exit(0);
    }
    waitpid(c, NULL, 0);
    CHECK(read_text("/proc/self/stack", text, sizeof text) >= 0);
}

/* The read-only ones: root opens them to write, a write is EINVAL. */
static void no_writes(void)
{
    static const char *const names[] = {"syscall", "stack", "smaps_rollup", "numa_maps"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char path[64];
        int ok;
        snprintf(path, sizeof path, "/proc/self/%s", names[i]);
        printf("%s: ", names[i]);
        CHECK(write_text(path, "5", &ok));
    }
}

static void sched_file(void)
{
    char first[128], comm[32];
    read_text("/proc/self/comm", comm, sizeof comm);
    comm[strcspn(comm, "\n")] = '\0';
    snprintf(first, sizeof first, "%s (%d, #threads: 1)\n", comm, (int)getpid());
    read_text("/proc/self/sched", text, sizeof text);
    printf("sched first line: %s\n", strncmp(text, first, strlen(first)) ? text : "comm, pid, threads");
    printf("sched dashes: %.67s\n", strchr(text, '\n') + 1);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        if (!strncmp(line, "policy ", 7) || !strncmp(line, "prio ", 5) || !strncmp(line, "se.load.weight ", 15))
            printf("%s\n", line);
    CHECK(write_text("/proc/self/sched", "0", &(int){0}));
}

static void autogroup(void)
{
    int p[2];
    CHECK(pipe(p));
    pid_t c = fork();
    if (c == 0) {
        int ok;
        setsid();
        long a, b;
        read_text("/proc/self/autogroup", text, sizeof text);
        printf("autogroup: %s", sscanf(text, "/autogroup-%ld nice %ld", &a, &b) == 2 ? "/autogroup-N nice 0\n" : text);
        CHECK(write_text("/proc/self/autogroup", "5\n", &ok));
        read_text("/proc/self/autogroup", text, sizeof text);
        printf("after 5: %s\n", strstr(text, " nice 5\n") ? "nice 5" : text);
        CHECK(write_text("/proc/self/autogroup", "20", &ok));
        CHECK(write_text("/proc/self/autogroup", "x", &ok));
        CHECK(write_text("/proc/self/autogroup", "-3", &ok));
        if (fork() == 0) {
            setgid(65534), setuid(65534);
            CHECK(write_text("/proc/self/autogroup", "-5", &ok));
            read_text("/proc/self/autogroup", text, sizeof text);
            printf("a child's: %s\n", strstr(text, " nice -3\n") ? "its parent's group, nice -3" : text);
            _exit(0);
        }
        wait(NULL);
        _exit(0);
    }
    waitpid(c, NULL, 0);
}

static void children(void)
{
    int p[2];
    char path[64], want[64];
    CHECK(pipe(p));
    pid_t a = fork();
    if (a == 0) {
        if (fork() == 0) {
            read(p[0], want, 1);
            _exit(0);
        }
        read(p[0], want, 1);
        _exit(0);
    }
    pid_t b = fork();
    if (b == 0) {
        read(p[0], want, 1);
        _exit(0);
    }
    usleep(100000);
    snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
    snprintf(want, sizeof want, "%d %d ", (int)a, (int)b);
    read_text(path, text, sizeof text);
    printf("children: %s\n", strcmp(text, want) ? text : "the two, oldest first");
    write(p[1], "xxx", 3);
    waitpid(a, NULL, 0), waitpid(b, NULL, 0);
    read_text(path, text, sizeof text);
    printf("children after: \"%s\"\n", text);
}

static unsigned long rss_of_smaps(void)
{
    unsigned long sum = 0, kb;
    long n = 0, k;
    int fd = open("/proc/self/smaps", O_RDONLY);
    while ((k = read(fd, text + n, sizeof text - 1 - (size_t)n)) > 0) /* Linux's: a page a read */
        n += k;
    text[n] = '\0';
    close(fd);
    for (char *l = strstr(text, "\nRss:"); l; l = strstr(l + 1, "\nRss:"))
        if (sscanf(l, "\nRss: %lu", &kb) == 1)
            sum += kb;
    return sum;
}

static void memory_files(void)
{
    unsigned long first, last, lo = ~0ul, hi = 0, a, b, rss;
    read_text("/proc/self/maps", text, sizeof text);
    for (char *l = text; l && sscanf(l, "%lx-%lx", &a, &b) == 2; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (a < 0xffff800000000000ul) /* not the vsyscall page, a gate area, not in the rollup */
            lo = a < lo ? a : lo, hi = b > hi ? b : hi;
    int same = 0; /* the host's file pages may come and go between the reads: a few tries */
    for (int i = 0; i < 10 && !same; i++) {
        unsigned long sum = rss_of_smaps();
        read_text("/proc/self/smaps_rollup", text, sizeof text);
        same = sscanf(strstr(text, "Rss:"), "Rss: %lu", &rss) == 1 && rss == sum;
    }
    char *nl = strchr(text, '\n');
    printf("rollup line: %d chars, bounds %d, ends \"%s\"\n", (int)(nl - text),
           sscanf(text, "%lx-%lx", &first, &last) == 2 && first == lo && last == hi,
           nl - text > 9 ? (*nl = '\0', nl - 27 > text ? nl - 27 : text) : "");
    *nl = '\n';
    printf("rollup Rss is smaps': %d\n", same);
    char *m = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    m[0] = 1, m[4096] = 1;
    char start[32];
    snprintf(start, sizeof start, "\n%08lx ", (unsigned long)m);
    read_text("/proc/self/numa_maps", text, sizeof text);
    char *l = strstr(text, start);
    printf("numa_maps: %.*s\n", l ? (int)strcspn(l + 1, "\n") - (int)strlen(start) + 1 : 4,
           l ? l + strlen(start) : "none");
    munmap(m, 4 * 4096);
    int ok, fd;
    static const char *const values[] = {"1", "2", "3", "4", "5\n", "0", "6", "x", " 5 ", "-1", "0x5"};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        printf("clear_refs \"%.*s\": ", (int)strcspn(values[i], "\n"), values[i]);
        CHECK(write_text("/proc/self/clear_refs", values[i], &ok));
    }
    CHECK((fd = open("/proc/self/clear_refs", O_RDWR)) >= 0);
    CHECK(read(fd, text, 10));
    close(fd);
    size_t big = 16 << 20;
    char *g = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(g, 1, big);
    munmap(g, big);
    unsigned long h0, h1, r1;
    read_text("/proc/self/status", text, sizeof text);
    sscanf(strstr(text, "VmHWM:"), "VmHWM: %lu", &h0);
    write_text("/proc/self/clear_refs", "5", &ok);
    read_text("/proc/self/status", text, sizeof text);
    sscanf(strstr(text, "VmHWM:"), "VmHWM: %lu", &h1);
    sscanf(strstr(text, "VmRSS:"), "VmRSS: %lu", &r1);
    printf("VmHWM after 5: dropped %d, at VmRSS %d\n", h1 + 8192 < h0, h1 >= r1 && h1 < r1 + 256);
}

static void *thread_writes(void *arg)
{
    int ok;
    (void)arg;
    printf("another thread: ");
    CHECK(write_text("/proc/self/attr/current", "x", &ok));
    return NULL;
}

static void attr(void)
{
    int ok, fd;
    CHECK(read_text("/proc/self/attr/current", text, sizeof text));
    CHECK(read_text("/proc/self/attr/prev", text, sizeof text));
    CHECK(read_text("/proc/self/attr/exec", text, sizeof text));
    CHECK(write_text("/proc/self/attr/current", "unconfined", &ok));
    CHECK(write_text("/proc/self/attr/exec", "", &ok));
    CHECK(write_text("/proc/self/attr/fscreate", "x", &ok));
    CHECK((fd = open("/proc/self/attr/sockcreate", O_WRONLY)) >= 0);
    CHECK(pwrite(fd, "x", 1, 1));
    CHECK(write(fd, (void *)8, 1));
    pthread_t t;
    pthread_create(&t, NULL, thread_writes, NULL);
    pthread_join(t, NULL);
    pid_t c = fork();
    if (c == 0) {
        printf("the parent's file from a child: ");
        CHECK(write(fd, "x", 1));
        _exit(0);
    }
    waitpid(c, NULL, 0);
    close(fd);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/attr/current", (int)getppid());
    CHECK(write_text(path, "x", &ok));
}

/* comm: written by a thread of the process (a newline kept, 15 bytes,
 * up to a NUL), another's EINVAL, no pwrite. */
static void comm(void)
{
    char old[32], path[64];
    int ok, fd;
    read_text("/proc/self/comm", old, sizeof old);
    CHECK((fd = open("/proc/self/comm", O_RDWR)) >= 0);
    CHECK(write(fd, "hello\n", 6));
    long n = pread(fd, text, 64, 0);
    printf("pread: %ld [%.*s]\n", n, (int)(n < 0 ? 0 : n), text);
    CHECK(pwrite(fd, "zz", 2, 5));
    close(fd);
    CHECK(write_text("/proc/self/comm", "abcdefghijklmnopqrstu", &ok));
    read_text("/proc/self/comm", text, sizeof text);
    printf("[%s]\n", text);
    CHECK(write(fd = open("/proc/self/comm", O_WRONLY), "ab\0cd", 5));
    close(fd);
    read_text("/proc/self/comm", text, sizeof text);
    printf("[%s]\n", text);
    snprintf(path, sizeof path, "/proc/%d/comm", (int)getpid());
    pid_t c = fork();
    if (c == 0) {
        printf("the parent's, from a child: ");
        CHECK(write_text(path, "x", &ok));
        _exit(0);
    }
    waitpid(c, NULL, 0);
    old[strcspn(old, "\n")] = '\0';
    write_text("/proc/self/comm", old, &ok);
}

static int tpipe[2];
static volatile pid_t ttid;

static void *blocked_thread(void *arg)
{
    char x;
    (void)arg;
    ttid = (pid_t)syscall(SYS_gettid);
    syscall(SYS_write, tpipe[1], "", 0);
    syscall(SYS_read, tpipe[0], &x, 1);
    return NULL;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* task/TID of a second thread: its entries, and what is its own. */
static void thread_dir(void)
{
    pthread_t t;
    char path[96], *list[128];
    int n = 0, ok;
    CHECK(pipe(tpipe));
    pthread_create(&t, NULL, blocked_thread, NULL);
    usleep(200000);
    snprintf(path, sizeof path, "/proc/self/task/%d", (int)ttid);
    DIR *d = opendir(path);
    for (struct dirent *e; d && (e = readdir(d)) && n < 128;)
        if (e->d_name[0] != '.')
            list[n++] = strdup(e->d_name);
    if (d)
        closedir(d);
    qsort(list, (size_t)n, sizeof *list, by_name);
    printf("task/TID:");
    for (int i = 0; i < n; i++)
        printf(" %s", list[i]);
    printf("\n");
    long nr;
    unsigned long v[8];
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)ttid);
    long f = fields(path, &nr, v);
    printf("thread's syscall: fields %ld nr %ld fd %d\n", f, nr, v[0] == (unsigned long)tpipe[0]);
    snprintf(path, sizeof path, "/proc/self/task/%d/io", (int)ttid);
    read_text(path, text, sizeof text);
    printf("thread's io: %.*s\n", (int)strcspn(strstr(text, "syscw"), "\n"), strstr(text, "syscw"));
    snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)ttid);
    read_text(path, text, sizeof text);
    printf("thread's children: \"%s\"\n", text);
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)ttid);
    read_text(path, text, sizeof text);
    printf("thread's state: %c\n", strrchr(text, ')')[2]);
    snprintf(path, sizeof path, "/proc/self/task/%d/comm", (int)ttid);
    CHECK(write_text(path, "worker", &ok));
    read_text(path, text, sizeof text);
    printf("thread's comm: %s", text);
    read_text("/proc/self/comm", text, sizeof text);
    printf("process's comm unchanged: %d\n", strcmp(text, "worker\n") != 0);
    snprintf(path, sizeof path, "/proc/self/task/%d/oom_score_adj", (int)ttid);
    CHECK(write_text(path, "7", &ok));
    read_text("/proc/self/oom_score_adj", text, sizeof text);
    printf("process's oom_score_adj: %s", text);
    write_text(path, "0", &ok);
    write(tpipe[1], "x", 1);
    pthread_join(t, NULL);
}

static void names(const char *path, const char *stop)
{
    read_text(path, text, sizeof text);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strchr(line, ':') && line[0] != '-' && !strchr(line, '(') && !strstr(line, "[rollup]"))
            printf("%.*s\n", (int)strcspn(line, " :"), line);
        if (stop && !strncmp(line, stop, strlen(stop)))
            break;
    }
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    memset(text, 1, sizeof text); /* its pages there, as smaps and the rollup are compared */
    if (argc > 1 && strcmp(argv[1], "persona-only") == 0) {
        names("/proc/self/sched", NULL);
        names("/proc/self/smaps_rollup", NULL);
        return 0;
    }
    modes();
    syscall_file();
    no_writes();
    sched_file();
    autogroup();
    children();
    memory_files();
    attr();
    thread_dir();
    comm();
    return 0;
}
