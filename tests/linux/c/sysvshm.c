/*
 * tests/linux/c/sysvshm.c - System V shared memory: shmget with
 * IPC_PRIVATE and with a key (IPC_CREAT, IPC_EXCL, a size past the
 * segment's), shmat and shmdt (memory shared with a forked child, which
 * inherits the attachment; SHM_RDONLY; SHM_RND; a chosen address;
 * an address in use), shm_nattch across fork and exit, shmctl's IPC_STAT,
 * IPC_SET, IPC_RMID (the segment lives until its last detach), IPC_INFO,
 * SHM_INFO, SHM_STAT (by index, or by an id, whose index part counts),
 * SHM_LOCK, permissions against a user who is not the owner, and
 * /proc/sysvipc/shm.  Ids differ between systems: never
 * printed.  The output must equal the host Linux's (run as root).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

/* The line of /proc/self/maps for addr: its permissions and whether it
 * names the segment of key as Linux does. */
static void maps_line(void *addr, key_t key)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512], want[64], perms[8] = "", name[128] = "";
    unsigned long lo, hi;
    snprintf(want, sizeof want, "/SYSV%08x (deleted)", (unsigned)key);
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %127[^\n]", &lo, &hi, perms, name) >= 3 && lo == (unsigned long)addr)
            break;
    if (f)
        fclose(f);
    printf("maps: %s named as Linux %d\n", perms, strcmp(name, want) == 0);
}

static int nattch(int id)
{
    struct shmid_ds ds;
    return shmctl(id, IPC_STAT, &ds) < 0 ? -errno : (int)ds.shm_nattch;
}

/* The child's exit status, or 100 + the signal that killed it. */
static int reap(pid_t pid)
{
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

/* What /proc/sysvipc/shm says of the segment of key: its perms, size and
 * attach count (its columns 3, 4 and 7). */
static void proc_line(key_t key)
{
    FILE *f = fopen("/proc/sysvipc/shm", "r");
    char line[512];
    int found = 0;
    if (!f) {
        printf("/proc/sysvipc/shm: %s\n", strerror(errno));
        return;
    }
    fgets(line, sizeof line, f);
    printf("header starts with key: %d\n", strncmp(line, "       key      shmid perms", 27) == 0);
    while (fgets(line, sizeof line, f)) {
        long k, id, size, cpid, lpid, n;
        unsigned perms;
        if (sscanf(line, "%ld %ld %o %ld %ld %ld %ld", &k, &id, &perms, &size, &cpid, &lpid, &n) == 7 && k == key) {
            printf("proc: perms %o size %ld nattch %ld cpid is me %d\n", perms, size, n, cpid == getpid());
            found = 1;
        }
    }
    fclose(f);
    printf("proc: found %d\n", found);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    key_t key = 0x51a00000 + getpid();
    struct shmid_ds ds;

    /* shmget's errors and keys */
    CHECK(shmget(IPC_PRIVATE, 0, 0600));
    CHECK(shmget(IPC_PRIVATE, 1ul << 63, 0600));
    CHECK(shmat(0x7fffffff, NULL, 0));
    CHECK(shmdt((void *)-4096l));
    CHECK(shmget(key, 4096, 0600));
    int id = shmget(key, 10000, IPC_CREAT | 0640);
    CHECK(id >= 0);
    CHECK(shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600));
    CHECK(shmget(key, 20000, 0600));
    CHECK(shmget(key, 0, 0) == id);
    CHECK(shmget(key, 10000, IPC_CREAT | 0600) == id);
    int priv = shmget(IPC_PRIVATE, 4096, 0600), priv2 = shmget(IPC_PRIVATE, 4096, IPC_CREAT | IPC_EXCL | 0600);
    CHECK(priv >= 0 && priv2 >= 0 && priv != priv2);

    /* IPC_STAT of a new segment */
    CHECK(shmctl(id, IPC_STAT, &ds));
    printf("key ok %d size %zu mode %o nattch %lu uid %u gid %u cuid %u cgid %u cpid me %d lpid %d atime %ld dtime %ld "
           "ctime set %d\n",
           ds.shm_perm.__key == key, ds.shm_segsz, ds.shm_perm.mode, (unsigned long)ds.shm_nattch, ds.shm_perm.uid,
           ds.shm_perm.gid, ds.shm_perm.cuid, ds.shm_perm.cgid, ds.shm_cpid == getpid(), ds.shm_lpid,
           (long)ds.shm_atime, (long)ds.shm_dtime, ds.shm_ctime > 0);
    CHECK(shmctl(id, IPC_STAT, (struct shmid_ds *)16));
    CHECK(shmctl(-1, IPC_STAT, &ds));
    CHECK(shmctl(id | 0x7fff, IPC_STAT, &ds)); /* an index nobody uses */
    CHECK(shmctl(id, 99, &ds));

    /* attach, share with a child, count attachments */
    char *a = shmat(id, NULL, 0);
    CHECK(a != (char *)-1);
    CHECK(((uintptr_t)a & 4095) == 0);
    CHECK(nattch(id));
    maps_line(a, key);
    shmctl(id, IPC_STAT, &ds);
    printf("after attach: lpid me %d atime set %d\n", ds.shm_lpid == getpid(), ds.shm_atime > 0);
    strcpy(a, "parent");
    CHECK(a[9999] == 0);
    int go[2], back[2];
    pipe(go), pipe(back);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        printf("child sees: %s\n", a);
        strcpy(a, "child");
        write(back[1], "x", 1);
        read(go[0], &c, 1);
        _exit(0);
    }
    char c;
    read(back[0], &c, 1);
    printf("parent sees: %s\n", a);
    CHECK(nattch(id)); /* the child inherited the attachment */
    write(go[1], "x", 1);
    reap(pid);
    CHECK(nattch(id));
    shmctl(id, IPC_STAT, &ds);
    printf("after the child's exit: lpid is the child %d dtime set %d\n", ds.shm_lpid == pid, ds.shm_dtime > 0);
    char *b = shmat(id, NULL, SHM_RDONLY);
    CHECK(b != (char *)-1 && b != a);
    printf("second attach sees: %s\n", b);
    CHECK(nattch(id));
    pid = fork();
    if (pid == 0) {
        b[0] = 'X'; /* read-only: SIGSEGV */
        _exit(0);
    }
    printf("write to SHM_RDONLY: %d\n", reap(pid));
    CHECK(mprotect(b, 4096, PROT_READ | PROT_WRITE));
    CHECK(mprotect(b, 4096, PROT_READ | PROT_EXEC));
    CHECK(mprotect(b, 4096, PROT_READ));
    CHECK(shmdt(b));
    CHECK(shmdt(b));
    CHECK(shmdt(a + 4096));
    CHECK(nattch(id));

    /* chosen addresses */
    char *where = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(where, 3 * 4096);
    CHECK(shmat(id, where + 1, 0));
    char *r = shmat(id, where + 1, SHM_RND);
    CHECK(r == where);
    printf("at chosen address sees: %s\n", r);
    char *busy = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(shmat(id, busy, 0));
    CHECK(shmat(id, busy, SHM_REMAP) == busy);
    printf("remapped sees: %s\n", busy);
    CHECK(shmat(id, NULL, SHM_REMAP));
    CHECK(nattch(id));
    CHECK(shmdt(busy));
    CHECK(munmap(r, 12288)); /* munmap detaches too */
    CHECK(nattch(id));

    /* IPC_SET */
    ds.shm_perm.mode = 0604;
    ds.shm_perm.uid = 1000;
    CHECK(shmctl(id, IPC_SET, &ds));
    shmctl(id, IPC_STAT, &ds);
    printf("after IPC_SET: mode %o uid %u cuid %u\n", ds.shm_perm.mode, ds.shm_perm.uid, ds.shm_perm.cuid);
    ds.shm_perm.uid = 0;
    ds.shm_perm.mode = 0640;
    CHECK(shmctl(id, IPC_SET, &ds));
    CHECK(shmctl(id, IPC_SET, (struct shmid_ds *)16));

    /* SHM_LOCK, SHM_UNLOCK */
    CHECK(shmctl(id, SHM_LOCK, NULL));
    shmctl(id, IPC_STAT, &ds);
    printf("locked: mode %o\n", ds.shm_perm.mode);
    CHECK(shmctl(id, SHM_UNLOCK, NULL));
    shmctl(id, IPC_STAT, &ds);
    printf("unlocked: mode %o\n", ds.shm_perm.mode);

    /* permissions, as a user who is neither owner nor creator nor in the group */
    pid = fork();
    if (pid == 0) {
        setgroups(0, NULL);
        if (setgid(2000) || setuid(2000))
            _exit(9);
        CHECK(shmget(key, 0, 0) == id);
        CHECK(shmget(key, 0, 0600));
        CHECK(shmat(id, NULL, SHM_RDONLY));
        CHECK(shmctl(id, IPC_STAT, &ds));
        CHECK(shmctl(id, IPC_RMID, NULL));
        CHECK(shmctl(id, IPC_SET, &ds));
        CHECK(shmctl(id, SHM_LOCK, NULL));
        _exit(0);
    }
    printf("child: %d\n", reap(pid));
    ds.shm_perm.mode = 0644;
    CHECK(shmctl(id, IPC_SET, &ds));
    pid = fork();
    if (pid == 0) {
        setgroups(0, NULL);
        if (setgid(2000) || setuid(2000))
            _exit(9);
        char *ro = shmat(id, NULL, SHM_RDONLY);
        CHECK(ro != (char *)-1);
        printf("reader sees: %s\n", ro);
        CHECK(shmat(id, NULL, 0));
        CHECK(shmctl(id, IPC_STAT, &ds));
        CHECK(nattch(id));
        _exit(0);
    }
    printf("child: %d\n", reap(pid));

    /* the info commands */
    struct shminfo info;
    int maxidx = shmctl(0, IPC_INFO, (struct shmid_ds *)&info);
    CHECK(maxidx >= 0);
    printf("shmmax %lu shmmin %lu shmmni %lu shmseg %lu shmall %lu\n", info.shmmax, info.shmmin, info.shmmni,
           info.shmseg, info.shmall);
    struct shm_info sinfo;
    CHECK(shmctl(0, SHM_INFO, (struct shmid_ds *)&sinfo) == maxidx);
    CHECK(sinfo.used_ids >= 3);
    int found = 0;
    for (int i = 0; i <= maxidx; i++) {
        int sid = shmctl(i, SHM_STAT, &ds);
        if (sid == id)
            found = ds.shm_segsz == 10000;
    }
    printf("SHM_STAT found it: %d\n", found);
    for (int i = 0; i < 3; i++) { /* a slot used again: an id past the first 32768 */
        int again = shmget(IPC_PRIVATE, 4096, 0600);
        CHECK(shmctl(again, SHM_STAT, &ds) == again); /* an id is taken for its index */
        shmctl(again, IPC_RMID, NULL);
    }
    CHECK(shmctl(maxidx + 1, SHM_STAT, &ds));
    CHECK(shmctl(0, IPC_INFO, (struct shmid_ds *)16));

    proc_line(key);

    /* IPC_RMID while attached: the segment stays until the last detach */
    CHECK(shmdt(a));
    CHECK(nattch(id));
    a = shmat(id, NULL, 0);
    CHECK(shmctl(id, IPC_RMID, NULL));
    printf("after RMID sees: %s\n", a);
    CHECK(shmctl(id, IPC_STAT, &ds));
    printf("removed: mode %o key zero %d nattch %lu\n", ds.shm_perm.mode, ds.shm_perm.__key == 0,
           (unsigned long)ds.shm_nattch);
    CHECK(shmget(key, 0, 0));
    pid = fork();
    if (pid == 0) {
        char *again = shmat(id, NULL, 0); /* a removed segment still attaches, by its id, as Linux allows */
        CHECK(again != (char *)-1);
        _exit(0);
    }
    reap(pid);
    CHECK(shmdt(a));
    CHECK(shmctl(id, IPC_STAT, &ds));
    CHECK(shmat(id, NULL, 0) == (void *)-1);
    CHECK(shmctl(id, IPC_RMID, NULL));
    /* a segment removed with nothing attached goes at once */
    CHECK(shmctl(priv, IPC_RMID, NULL));
    CHECK(shmctl(priv, IPC_STAT, &ds));
    CHECK(shmctl(priv2, IPC_RMID, NULL));
    return 0;
}
