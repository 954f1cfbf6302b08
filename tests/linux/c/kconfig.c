/*
 * tests/linux/c/kconfig.c - /proc/config.gz against what the kernel does:
 * for each option a test suite asks for (the Linux Test Project's
 * .needs_kconfigs), how the configuration lists it (=y, "is not set", or
 * not at all) and what a probe of its behaviour finds, and whether the
 * two agree: =y wants the behaviour, "is not set" wants Linux's answer
 * without it, an option not listed agrees with anything.  Plain, it
 * prints the verdicts alone, which on the host (whose configuration
 * lists them all) and on Persona must read the same.  "kconfig
 * persona-only" prints each listing and probe as well, on Persona alone:
 * tests/linux/c/kconfig.persona-only.expected is what the personality
 * means to say of itself (docs/linux.md, "/proc").
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#define NETLINK_NETFILTER 12
#define KCMP_VM 1
#define LANDLOCK_CREATE_RULESET_VERSION 1

static char config[1 << 17];
static bool verbose;

/* The listing of CONFIG_name: 'y', 'm', 'n' ("is not set") or 0. */
static char listed(const char *name)
{
    char key[96];
    snprintf(key, sizeof key, "\nCONFIG_%s=", name);
    const char *at = strstr(config, key);
    if (at)
        return at[strlen(key)];
    snprintf(key, sizeof key, "\n# CONFIG_%s is not set", name);
    return strstr(config, key) ? 'n' : 0;
}

/* A probe's answer: 1 the behaviour is there, 0 Linux's answer without
 * it, -1 neither; what it saw into seen. */
typedef int (*probe_fn)(char *seen, size_t n);

static int result(char *seen, size_t n, long r, int e, int without)
{
    if (r >= 0) {
        snprintf(seen, n, "works");
        return 1;
    }
    snprintf(seen, n, "%s", errno_name(e));
    return e == without ? 0 : -1;
}

static int kcmp_probe(char *seen, size_t n)
{
    long r = syscall(SYS_kcmp, getpid(), getpid(), KCMP_VM, 0, 0);
    return result(seen, n, r, errno, ENOSYS);
}

/* KSM: madvise takes MADV_MERGEABLE, else it is EINVAL */
static int ksm_probe(char *seen, size_t n)
{
    void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long r = madvise(m, 4096, MADV_MERGEABLE);
    int e = errno;
    munmap(m, 4096);
    return result(seen, n, r, e, EINVAL);
}

/* TMPFS_POSIX_ACL: a default ACL set on a tmpfs of a mount namespace of
 * a child's own, else EOPNOTSUPP. */
static int tmpfs_acl_probe(char *seen, size_t n)
{
    pid_t pid = fork();
    if (pid == 0) {
        char dir[] = "/tmp/kconfig-XXXXXX";
        uint32_t acl[7] = {2, 0x70001, ~0u, 0x50004, ~0u, 0x50020, ~0u}; /* u::rwx g::r-x o::r-x */
        if (!mkdtemp(dir))
            _exit(EIO);
        long r = -1;
        int e = EIO;
        if (unshare(CLONE_NEWNS) == 0 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
            mount("tmpfs", dir, "tmpfs", 0, NULL) == 0) {
            r = setxattr(dir, "system.posix_acl_default", acl, sizeof acl, 0), e = errno;
            umount(dir);
        }
        rmdir(dir);
        _exit(r == 0 ? 0 : e);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    int e = WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
    return result(seen, n, e ? -1 : 0, e, EOPNOTSUPP);
}

static int dnotify_probe(char *seen, size_t n)
{
    int d = open("/", O_RDONLY | O_DIRECTORY);
    long r = fcntl(d, F_NOTIFY, DN_CREATE);
    int e = errno;
    close(d);
    return result(seen, n, r, e, EINVAL);
}

/* A content group's mark for FAN_ACCESS_PERM (linux/fanotify.h's values). */
static int fanotify_perm_probe(char *seen, size_t n)
{
    int g = (int)syscall(SYS_fanotify_init, 0x4 /* FAN_CLASS_CONTENT */, O_RDONLY);
    long r = g < 0 ? g : syscall(SYS_fanotify_mark, g, 1 /* FAN_MARK_ADD */, 0x20000ull /* FAN_ACCESS_PERM */,
                                 AT_FDCWD, "/");
    int e = errno;
    if (g >= 0)
        close(g);
    return result(seen, n, r, e, EINVAL);
}

static int landlock_probe(char *seen, size_t n)
{
    long r = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (r < 0 && errno == EOPNOTSUPP) { /* built, but not among the boot's LSMs */
        snprintf(seen, n, "EOPNOTSUPP");
        return 1;
    }
    return result(seen, n, r > 0 ? 0 : -1, errno, ENOSYS);
}

/* unshare(flag) in a child (as root): 0, or its errno. */
static int unshare_errno(int flag)
{
    int p[2];
    if (pipe(p) < 0)
        return errno;
    pid_t c = fork();
    if (c == 0) {
        int e = unshare(flag) < 0 ? errno : 0;
        ssize_t w = write(p[1], &e, sizeof e);
        _exit(w == sizeof e ? 0 : 1);
    }
    int e = EIO;
    if (read(p[0], &e, sizeof e) != sizeof e)
        e = EIO;
    waitpid(c, NULL, 0);
    close(p[0]), close(p[1]);
    return e;
}

static int ns_probe(int flag, char *seen, size_t n)
{
    int e = unshare_errno(flag);
    return result(seen, n, e ? -1 : 0, e, EINVAL);
}
static int user_ns(char *s, size_t n) { return ns_probe(CLONE_NEWUSER, s, n); }
static int net_ns(char *s, size_t n) { return ns_probe(CLONE_NEWNET, s, n); }
static int pid_ns(char *s, size_t n) { return ns_probe(CLONE_NEWPID, s, n); }
static int ipc_ns(char *s, size_t n) { return ns_probe(CLONE_NEWIPC, s, n); }
static int uts_ns(char *s, size_t n) { return ns_probe(CLONE_NEWUTS, s, n); }
static int time_ns(char *s, size_t n) { return ns_probe(0x80 /* CLONE_NEWTIME */, s, n); }
static int cgroup_ns(char *s, size_t n) { return ns_probe(0x02000000 /* CLONE_NEWCGROUP */, s, n); }

/* A controller on the v2 hierarchy (hierarchy 0 in /proc/cgroups, or one
 * bound to a v1 hierarchy): listed, enabled. */
static int controller(const char *name, char *seen, size_t n)
{
    char line[128], want[32];
    FILE *f = fopen("/proc/cgroups", "r");
    bool found = false;
    snprintf(want, sizeof want, "%s\t", name);
    while (f && fgets(line, sizeof line, f))
        found |= !strncmp(line, want, strlen(want)) && line[strlen(line) - 2] == '1';
    if (f)
        fclose(f);
    snprintf(seen, n, "%s", found ? "listed in /proc/cgroups" : "not in /proc/cgroups");
    return found;
}
static int memcg(char *s, size_t n) { return controller("memory", s, n); }
static int cgroup_pids(char *s, size_t n) { return controller("pids", s, n); }
static int cgroup_sched(char *s, size_t n) { return controller("cpu", s, n); }

static int unix_oob(char *seen, size_t n)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return result(seen, n, -1, errno, 0);
    long r = send(sv[0], "x", 1, MSG_OOB);
    int e = errno;
    close(sv[0]), close(sv[1]);
    return result(seen, n, r, e, EOPNOTSUPP);
}

static int nf_tables(char *seen, size_t n)
{
    int s = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
    int e = errno;
    if (s >= 0)
        close(s);
    return result(seen, n, s, e, EPROTONOSUPPORT);
}

static bool exists(const char *path) { return access(path, F_OK) == 0; }

/* clone3's set_tid asking for the caller's own pid: EEXIST where pids
 * may be chosen. */
static bool set_tid_probe(void)
{
    int32_t tid = getpid();
    uint64_t a[11] = {0, 0, 0, 0, SIGCHLD, 0, 0, 0, (uintptr_t)&tid, 1, 0}; /* struct clone_args */
    long r = syscall(435 /* clone3 */, a, sizeof a);
    if (r == 0)
        _exit(0);
    if (r > 0)
        waitpid((pid_t)r, NULL, 0);
    return r < 0 && errno == EEXIST;
}

/* PR_SET_MM_MAP given the bounds /proc/self/stat shows: taken. */
static bool mm_map_probe(void)
{
    char buf[2048] = {0};
    int fd = open("/proc/self/stat", O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (fd >= 0)
        close(fd);
    char *p = n > 0 ? strrchr(buf, ')') : NULL;
    unsigned long f[53] = {0};
    for (int i = 2; i <= 52 && p; i++) { /* p is at field i's leading space */
        f[i] = strtoul(p + 1, NULL, 10);
        p = strchr(p + 1, ' ');
    }
    uint64_t m[13] = {f[26], f[27], f[45], f[46], f[47], (uintptr_t)sbrk(0), f[28], f[48], f[49], f[50], f[51], 0,
                      0xffffffff00000000ull}; /* struct prctl_mm_map: no auxv, exe_fd -1 */
    return prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)m, sizeof m, 0) == 0;
}

/* What CONFIG_CHECKPOINT_RESTORE brings that a kernel built without it
 * lacks: 1 all of it, 0 none, -1 some. */
static int checkpoint_restore(char *seen, size_t n)
{
    bool next_id = exists("/proc/sys/kernel/msg_next_id") && exists("/proc/sys/kernel/sem_next_id") &&
                   exists("/proc/sys/kernel/shm_next_id");
    bool last_pid = exists("/proc/sys/kernel/ns_last_pid"), map_files = exists("/proc/self/map_files");
    char k[32];
    bool kcmp = kcmp_probe(k, sizeof k) == 1, set_tid = set_tid_probe(), mm_map = mm_map_probe();
    snprintf(seen, n, "*_next_id %s, ns_last_pid %s, kcmp %s, /proc/self/map_files %s, set_tid %s, PR_SET_MM_MAP %s",
             next_id ? "yes" : "no", last_pid ? "yes" : "no", kcmp ? "yes" : "no", map_files ? "yes" : "no",
             set_tid ? "yes" : "no", mm_map ? "yes" : "no");
    int have = next_id + last_pid + kcmp + map_files + set_tid + mm_map;
    return have == 6 ? 1 : have == 0 ? 0 : -1;
}

static const struct {
    const char *name;
    probe_fn probe;
} options[] = {
    {"CHECKPOINT_RESTORE", checkpoint_restore}, {"KCMP", kcmp_probe}, {"DNOTIFY", dnotify_probe},
    {"SECURITY_LANDLOCK", landlock_probe}, {"USER_NS", user_ns}, {"NET_NS", net_ns}, {"PID_NS", pid_ns},
    {"IPC_NS", ipc_ns}, {"UTS_NS", uts_ns}, {"AF_UNIX_OOB", unix_oob}, {"NF_TABLES", nf_tables},
    {"KSM", ksm_probe}, {"FANOTIFY_ACCESS_PERMISSIONS", fanotify_perm_probe},
    {"TIME_NS", time_ns}, {"TMPFS_POSIX_ACL", tmpfs_acl_probe},
    {"CGROUPS", cgroup_ns}, {"MEMCG", memcg}, {"CGROUP_PIDS", cgroup_pids},
    {"CGROUP_SCHED", cgroup_sched},
};

int main(int argc, char **argv)
{
    verbose = argc == 2 && !strcmp(argv[1], "persona-only");
    FILE *z = popen("zcat /proc/config.gz", "r");
    size_t len = z ? fread(config + 1, 1, sizeof config - 2, z) : 0;
    config[0] = '\n';
    if (!z || pclose(z) != 0 || !len) {
        printf("/proc/config.gz: not read\n");
        return 1;
    }
    printf("/proc/config.gz: read, CONFIG_IKCONFIG_PROC=%c\n", listed("IKCONFIG_PROC") ? listed("IKCONFIG_PROC") : '-');
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        char seen[160];
        char l = listed(options[i].name);
        int have = options[i].probe(seen, sizeof seen);
        bool agree = l == 'y' || l == 'm' ? have == 1 : l == 'n' ? have == 0 : true;
        if (verbose)
            printf("CONFIG_%s: %s; %s; %s\n", options[i].name,
                   l == 'y' ? "=y" : l == 'm' ? "=m" : l == 'n' ? "is not set" : "not listed", seen,
                   agree ? "agrees" : "DISAGREES");
        else
            printf("CONFIG_%s: %s\n", options[i].name, agree ? "agrees" : "DISAGREES");
    }
    return 0;
}
