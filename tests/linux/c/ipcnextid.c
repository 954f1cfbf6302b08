/*
 * tests/linux/c/ipcnextid.c - kernel/msg_next_id, sem_next_id and
 * shm_next_id (CONFIG_CHECKPOINT_RESTORE's): -1 at first, their mode
 * (0444, yet root may write them), the bounds (0 to INT_MAX, -1 itself
 * EINVAL), a chosen id given to the next object of that kind and the
 * value back at -1 after it, a taken id's index passed over for the next
 * free one (same sequence number), INT_MAX's id, a get that makes nothing
 * leaving the value set, and a writer without CAP_SYS_ADMIN or
 * CAP_CHECKPOINT_RESTORE refused (EACCES).  On the host it runs in an
 * IPC namespace of its own (unshare, as root), so the ids are
 * its alone; Persona has one namespace, which a fresh boot leaves empty.
 */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYS "/proc/sys/kernel/"

static void rd(const char *name)
{
    char path[128], buf[64];
    snprintf(path, sizeof path, SYS "%s", name);
    if (read_text(path, buf, sizeof buf) < 0) {
        printf("read %s: %s\n", name, errno_name(errno));
        return;
    }
    buf[strcspn(buf, "\n")] = '\0';
    printf("read %s: %s\n", name, buf);
}

static void wr(const char *name, const char *text)
{
    char path[128];
    int opened;
    snprintf(path, sizeof path, SYS "%s", name);
    long n = write_text(path, text, &opened);
    if (!opened)
        printf("write %s: open %s\n", name, errno_name(errno));
    else if (n < 0)
        printf("write %s \"%s\": %s\n", name, text, errno_name(errno));
    else
        printf("write %s \"%s\": %ld\n", name, text, n);
}

/* A new object of kind (0 msg, 1 sem, 2 shm) with key: its id. */
static int make(int kind, key_t key)
{
    switch (kind) {
    case 0: return msgget(key, IPC_CREAT | 0600);
    case 1: return semget(key, 1, IPC_CREAT | 0600);
    default: return shmget(key, 4096, IPC_CREAT | 0600);
    }
}

static void drop(int kind, int id)
{
    if (kind == 0)
        msgctl(id, IPC_RMID, NULL);
    else if (kind == 1)
        semctl(id, 0, IPC_RMID);
    else
        shmctl(id, IPC_RMID, NULL);
}

static void show_id(const char *what, int id)
{
    if (id < 0)
        printf("%s: %s\n", what, errno_name(errno));
    else
        printf("%s: id %d (index %d, sequence %d)\n", what, id, id % 32768, id / 32768);
}

static void kind_checks(int kind)
{
    static const char *const files[] = {"msg_next_id", "sem_next_id", "shm_next_id"};
    const char *f = files[kind];
    char path[128];
    struct stat st;
    snprintf(path, sizeof path, SYS "%s", f);
    if (stat(path, &st) < 0)
        printf("mode %s: %s\n", f, errno_name(errno));
    else
        printf("mode %s: %o\n", f, st.st_mode & 07777);
    rd(f);
    static const char *const bad[] = {"-1", "-2", "2147483648", "abc", "5x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        wr(f, bad[i]);
    rd(f);
    wr(f, "0");
    rd(f);
    wr(f, "2147483647");
    rd(f);
    int top = make(kind, IPC_PRIVATE);
    show_id("INT_MAX asked", top);
    rd(f);
    wr(f, "98311"); /* sequence 3, index 7 */
    int a = make(kind, 0x4e580001);
    show_id("98311 asked", a);
    rd(f);
    wr(f, "98311");
    rd(f);
    int same = make(kind, 0x4e580001); /* the existing one: nothing made */
    printf("existing key: %s\n", same == a ? "its id" : "another id");
    rd(f);
    int b = make(kind, IPC_PRIVATE); /* index 7 taken: the next free one */
    show_id("98311 asked again", b);
    rd(f);
    wr(f, "32775"); /* sequence 1, index 7: 7 and 8 taken */
    int c = make(kind, IPC_PRIVATE);
    show_id("32775 asked", c);
    rd(f);
    drop(kind, top), drop(kind, a), drop(kind, b), drop(kind, c);
    wr(f, "40000"); /* index 7232, sequence 1 */
    rd(f);
}

static void nobody(void)
{
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(1);
        wr("msg_next_id", "5");
        rd("msg_next_id");
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
}

int main(void)
{
    unshare(CLONE_NEWIPC); /* the host's own namespace untouched; Persona has one */
    for (int kind = 0; kind < 3; kind++)
        kind_checks(kind);
    nobody();
    /* the semaphore set's 40000 is still asked for: a semget that fails
     * (nsems past semmsl) leaves it */
    int bad = semget(IPC_PRIVATE, 100000, IPC_CREAT | 0600);
    printf("semget 100000: %s\n", bad < 0 ? errno_name(errno) : "made");
    rd("sem_next_id");
    int s = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
    show_id("40000 asked", s);
    rd("sem_next_id");
    drop(1, s);
    int m = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    int sh = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    show_id("msg 40000 asked", m);
    show_id("shm 40000 asked", sh);
    rd("msg_next_id");
    rd("shm_next_id");
    drop(0, m), drop(2, sh);
    return 0;
}
