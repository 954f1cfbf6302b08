/*
 * tests/linux/c/procpidinfo.c - the smaller files of /proc/PID: their
 * modes; root (a chrooted child's root, seen from outside, is the
 * directory it chose); wchan ("0" for the reader itself, Linux's
 * function for a child in nanosleep and in wait, a name for other
 * waits); timers (three POSIX timers, newest first, with their signals,
 * values, notifications and clocks); the identity maps, timens_offsets,
 * cpuset, ksm_merging_pages, ksm_stat's first line; and the forms of
 * cgroup, mountstats, schedstat and net/dev.  Numbers that differ between
 * machines (pids, the working directory) are printed as whether they
 * agree.  The output must equal the host Linux's.
 */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static char text[8192];

static void show_file(const char *what, const char *path)
{
    long n = read_text(path, text, sizeof text);
    printf("%s: %s", what, n < 0 ? strerror(errno) : text);
    if (n >= 0 && (n == 0 || text[n - 1] != '\n'))
        printf("\n");
}

/* pid's wchan once it waits: a loaded machine may take a while to bring
 * a child to its wait, so it reads until a name shows (up to 5 s). The
 * reader's own is read once. */
static const char *wchan(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/wchan", (int)pid);
    for (int i = 0; i < 50; i++) {
        usleep(100000);
        if (read_text(path, text, sizeof text) < 0 || pid == getpid())
            break;
        if (text[0] && strcmp(text, "0"))
            break;
    }
    return text;
}

static void waits(void)
{
    int p[2];
    pid_t c;
    CHECK(pipe(p));
    printf("own wchan: %s\n", wchan(getpid()));
    if ((c = fork()) == 0) {
        sleep(5);
        _exit(0);
    }
    printf("in nanosleep: %s\n", wchan(c));
    kill(c, SIGKILL), waitpid(c, NULL, 0);
    if ((c = fork()) == 0) {
        if (fork() == 0) {
            sleep(5);
            _exit(0);
        }
        wait(NULL);
        _exit(0);
    }
    printf("in wait: %s\n", wchan(c));
    kill(c, SIGKILL), waitpid(c, NULL, 0);
    if ((c = fork()) == 0) {
        char x;
        read(p[0], &x, 1);
        _exit(0);
    }
    const char *w = wchan(c);
    printf("in a pipe's read: %s\n", w[0] && strcmp(w, "0") ? "a name" : w);
    kill(c, SIGKILL), waitpid(c, NULL, 0);
    if ((c = fork()) == 0) {
        for (;;)
            ;
    }
    usleep(100000);
    kill(c, SIGSTOP);
    w = wchan(c);
    printf("stopped: %s\n", w[0] && strcmp(w, "0") ? "a name" : w);
    kill(c, SIGKILL), waitpid(c, NULL, 0);
}

/* The kernel's struct sigevent, with SIGEV_THREAD_ID's thread id. */
struct ksigevent {
    union sigval value;
    int signo, notify, tid, pad[11];
};

static void timers(void)
{
    int a, b, c;
    struct ksigevent none = {.notify = SIGEV_NONE, .signo = SIGUSR1};
    struct ksigevent tid = {.notify = SIGEV_THREAD_ID, .signo = SIGUSR2};
    none.value.sival_ptr = (void *)0x1234;
    tid.value.sival_int = 77;
    tid.tid = (int)syscall(SYS_gettid);
    CHECK(syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &a));
    CHECK(syscall(SYS_timer_create, CLOCK_REALTIME, &none, &b));
    CHECK(syscall(SYS_timer_create, CLOCK_PROCESS_CPUTIME_ID, &tid, &c));
    read_text("/proc/self/timers", text, sizeof text);
    char pid[32], mine[32];
    snprintf(mine, sizeof mine, ".%d\n", (int)getpid());
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        snprintf(pid, sizeof pid, "%s\n", strrchr(line, '.') ? strrchr(line, '.') : "");
        if (strncmp(line, "notify:", 7) == 0)
            printf("%.*s (own pid: %s)\n", (int)(strrchr(line, '.') - line), line, strcmp(pid, mine) ? "no" : "yes");
        else
            printf("%s\n", line);
    }
}

static void root_of_chroot(void)
{
    char cwd[512], path[64], link[512];
    int p[2];
    CHECK(pipe(p));
    getcwd(cwd, sizeof cwd);
    mkdir("jail", 0755);
    pid_t c = fork();
    if (c == 0) {
        char x;
        if (chroot("jail") == 0)
            read(p[0], &x, 1);
        _exit(0);
    }
    usleep(200000);
    snprintf(path, sizeof path, "/proc/%d/root", (int)c);
    long n = readlink(path, link, sizeof link - 1);
    link[n < 0 ? 0 : n] = '\0';
    strcat(cwd, strcmp(cwd, "/") ? "/jail" : "jail");
    printf("a chrooted child's root: %s\n", n < 0 ? strerror(errno) : strcmp(link, cwd) ? link : "its jail");
    write(p[1], "x", 1);
    waitpid(c, NULL, 0);
    rmdir("jail");
    n = readlink("/proc/self/root", link, sizeof link - 1);
    link[n < 0 ? 0 : n] = '\0';
    printf("own root: %s\n", link);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const char *const names[] = {"root", "wchan", "timers", "schedstat", "mountstats", "net", "cgroup",
                                        "cpuset", "uid_map", "gid_map", "projid_map", "timens_offsets",
                                        "arch_status", "ksm_merging_pages", "ksm_stat"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[64];
        struct stat st;
        snprintf(path, sizeof path, "/proc/self/%s", names[i]);
        printf("%-18s %s\n", names[i], lstat(path, &st) < 0 ? strerror(errno) : (sprintf(text, "%o", st.st_mode), text));
    }
    root_of_chroot();
    waits();
    timers();
    show_file("uid_map", "/proc/self/uid_map");
    show_file("gid_map", "/proc/self/gid_map");
    show_file("projid_map", "/proc/self/projid_map");
    show_file("timens_offsets", "/proc/self/timens_offsets");
    show_file("cpuset", "/proc/self/cpuset");
    show_file("ksm_merging_pages", "/proc/self/ksm_merging_pages");
    read_text("/proc/self/ksm_stat", text, sizeof text);
    printf("ksm_stat: %.*s\n", (int)strcspn(text, "\n"), text);
    read_text("/proc/self/cgroup", text, sizeof text);
    printf("cgroup has the unified line: %s\n", strstr(text, "0::/") ? "yes" : "no");
    read_text("/proc/self/mountstats", text, sizeof text);
    printf("mountstats: %s\n", strncmp(text, "device ", 7) == 0 && strstr(text, " mounted on ") ? "device lines" : text);
    unsigned long run, delay, slices;
    read_text("/proc/self/schedstat", text, sizeof text);
    printf("schedstat: %s\n", sscanf(text, "%lu %lu %lu", &run, &delay, &slices) == 3 ? "three numbers" : text);
    read_text("/proc/self/net/dev", text, sizeof text);
    printf("net/dev: %.*s\n", (int)strcspn(text, "\n"), text);
    return 0;
}
