/*
 * tests/linux/c/sysvsem.c - System V semaphores: semget with keys and
 * its limits, semctl's GETVAL, SETVAL, GETALL, SETALL, GETPID, GETNCNT,
 * GETZCNT, IPC_STAT, IPC_SET, IPC_RMID, IPC_INFO, SEM_INFO, SEM_STAT;
 * semop's all-or-nothing operations, IPC_NOWAIT, ERANGE, EFBIG, E2BIG, a
 * wait woken by another process, waiting for zero, SEM_UNDO undone when
 * a process exits, semtimedop's timeout, EINTR, EIDRM, permissions and
 * /proc/sysvipc/sem.  Ids are never printed.  The output must equal the
 * host Linux's (run as root).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
    struct seminfo *__buf;
};

static int id;

static int op(int num, int delta, int flg)
{
    struct sembuf b = {.sem_num = num, .sem_op = delta, .sem_flg = flg};
    return semop(id, &b, 1);
}

static void vals(const char *when)
{
    unsigned short v[3];
    semctl(id, 0, GETALL, (union semun){.array = v});
    printf("%s: %u %u %u\n", when, v[0], v[1], v[2]);
}

static int reap(pid_t pid)
{
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

static void on_usr1(int sig) { (void)sig; }

/* Waits (5 s at most) until semaphore num of id has a waiter of the kind
 * cmd counts (GETNCNT, GETZCNT): a fixed sleep loses the race on a busy
 * machine. */
static void await_waiter(int id, int num, int cmd)
{
    for (int i = 0; i < 500 && semctl(id, num, cmd) < 1; i++)
        usleep(10000);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    key_t key = 0x5c500000 + getpid();
    CHECK(semget(key, 3, 0600));
    CHECK(semget(IPC_PRIVATE, 0, 0600));
    CHECK(semget(IPC_PRIVATE, -1, 0600));
    CHECK(semget(IPC_PRIVATE, 32001, 0600));
    id = semget(key, 3, IPC_CREAT | 0600);
    CHECK(id >= 0);
    CHECK(semget(key, 4, 0600));
    CHECK(semget(key, 0, 0) == id);
    CHECK(semget(key, 3, IPC_CREAT | IPC_EXCL | 0600));
    vals("new");

    struct semid_ds ds;
    CHECK(semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}));
    printf("nsems %lu mode %o uid %u cuid %u otime %ld ctime set %d\n", (unsigned long)ds.sem_nsems, ds.sem_perm.mode,
           ds.sem_perm.uid, ds.sem_perm.cuid, (long)ds.sem_otime, ds.sem_ctime > 0);

    /* SETVAL, SETALL, GETVAL, GETPID */
    CHECK(semctl(id, 0, SETVAL, (union semun){.val = 2}));
    CHECK(semctl(id, 0, GETVAL));
    CHECK(semctl(id, 0, GETPID) == getpid());
    CHECK(semctl(id, 3, SETVAL, (union semun){.val = 1}));
    CHECK(semctl(id, 0, SETVAL, (union semun){.val = 32768}));
    CHECK(semctl(id, 0, SETVAL, (union semun){.val = -1}));
    CHECK(semctl(id, -1, GETVAL));
    unsigned short all[3] = {1, 0, 5};
    CHECK(semctl(id, 0, SETALL, (union semun){.array = all}));
    vals("setall");
    unsigned short bad[3] = {1, 40000, 5};
    CHECK(semctl(id, 0, SETALL, (union semun){.array = bad}));
    CHECK(semctl(id, 0, SETALL, (union semun){.array = (void *)16}));
    CHECK(semctl(id, 0, GETALL, (union semun){.array = (void *)16}));
    CHECK(semctl(id, 0, 99));
    CHECK(semctl(-1, 0, GETVAL));

    /* semop */
    CHECK(op(0, -1, IPC_NOWAIT));
    CHECK(op(0, -1, IPC_NOWAIT));
    CHECK(op(2, 32767, 0));
    CHECK(op(3, 1, 0));
    CHECK(semop(id, (struct sembuf *)16, 1));
    CHECK(semop(id, NULL, 0));
    struct sembuf many[501] = {{0}};
    CHECK(semop(id, many, 501));
    struct sembuf two[2] = {{1, 1, 0}, {2, -6, IPC_NOWAIT}};
    CHECK(semop(id, two, 2)); /* all or nothing */
    vals("after all-or-nothing");
    struct sembuf zero[2] = {{1, 0, IPC_NOWAIT}, {2, -1, 0}};
    CHECK(semop(id, zero, 2));
    vals("after wait-for-zero");
    CHECK(semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}));
    printf("otime set %d\n", ds.sem_otime > 0);

    /* a waiter woken from another process, counted by GETNCNT */
    pid_t pid = fork();
    if (pid == 0) {
        _exit(op(0, -2, 0) < 0 ? errno : 0);
    }
    await_waiter(id, 0, GETNCNT);
    CHECK(semctl(id, 0, GETNCNT));
    CHECK(semctl(id, 0, GETZCNT));
    CHECK(op(0, 1, 0));
    CHECK(semctl(id, 0, GETNCNT));
    CHECK(op(0, 1, 0));
    printf("waiter: %d\n", reap(pid));
    vals("after the waiter");
    CHECK(semctl(id, 0, GETPID) == pid);

    /* waiting for zero */
    semctl(id, 1, SETVAL, (union semun){.val = 1});
    pid = fork();
    if (pid == 0)
        _exit(op(1, 0, 0) < 0 ? errno : 0);
    await_waiter(id, 1, GETZCNT);
    CHECK(semctl(id, 1, GETZCNT));
    CHECK(op(1, -1, 0));
    printf("zero waiter: %d\n", reap(pid));

    /* SEM_UNDO */
    semctl(id, 0, SETVAL, (union semun){.val = 3});
    pid = fork();
    if (pid == 0) {
        op(0, -2, SEM_UNDO);
        op(2, 4, SEM_UNDO);
        op(2, -1, SEM_UNDO);
        _exit(0);
    }
    reap(pid);
    vals("after an undoing child");
    pid = fork();
    if (pid == 0) {
        op(0, -3, SEM_UNDO);
        semctl(id, 0, SETVAL, (union semun){.val = 1}); /* SETVAL forgets the adjustment */
        _exit(0);
    }
    reap(pid);
    vals("after SETVAL in the child");
    CHECK(op(0, -1, SEM_UNDO));
    CHECK(op(0, 1, SEM_UNDO));

    /* semtimedop */
    struct sembuf dec = {0, -5, 0};
    struct timespec ts = {0, 50000000};
    CHECK(semtimedop(id, &dec, 1, &ts));
    ts.tv_nsec = 0;
    CHECK(semtimedop(id, &dec, 1, &ts));
    ts.tv_nsec = 1000000000;
    CHECK(semtimedop(id, &dec, 1, &ts));
    CHECK(semtimedop(id, &dec, 1, (struct timespec *)16));

    /* EINTR */
    struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
    sigaction(SIGUSR1, &sa, NULL);
    pid = fork();
    if (pid == 0) {
        await_waiter(id, 0, GETNCNT);
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    CHECK(op(0, -5, 0));
    reap(pid);

    /* info */
    struct seminfo info;
    int maxidx = semctl(0, 0, IPC_INFO, (union semun){.__buf = &info});
    CHECK(maxidx >= 0);
    printf("semmap %d semmni %d semmns %d semmnu %d semmsl %d semopm %d semume %d semusz %d semvmx %d semaem %d\n",
           info.semmap, info.semmni, info.semmns, info.semmnu, info.semmsl, info.semopm, info.semume, info.semusz,
           info.semvmx, info.semaem);
    CHECK(semctl(0, 0, SEM_INFO, (union semun){.__buf = &info}) == maxidx);
    CHECK(info.semusz >= 1 && info.semaem >= 3);
    int found = 0;
    for (int i = 0; i <= maxidx; i++)
        if (semctl(i, 0, SEM_STAT, (union semun){.buf = &ds}) == id)
            found = ds.sem_nsems == 3;
    printf("SEM_STAT found it: %d\n", found);

    FILE *f = fopen("/proc/sysvipc/sem", "r");
    char line[512];
    found = 0;
    if (f) {
        fgets(line, sizeof line, f);
        printf("header: %s", line);
        while (fgets(line, sizeof line, f)) {
            long k, sid, nsems;
            unsigned perms;
            if (sscanf(line, "%ld %ld %o %ld", &k, &sid, &perms, &nsems) == 4 && k == key)
                printf("proc: perms %o nsems %ld\n", perms, nsems), found = 1;
        }
        fclose(f);
    }
    printf("proc: found %d\n", found);
    f = fopen("/proc/sys/kernel/sem", "r");
    if (f && fgets(line, sizeof line, f))
        printf("/proc/sys/kernel/sem: %s", line);
    if (f)
        fclose(f);

    /* permissions */
    ds.sem_perm.mode = 0604;
    CHECK(semctl(id, 0, IPC_SET, (union semun){.buf = &ds}));
    pid = fork();
    if (pid == 0) {
        setgroups(0, NULL);
        if (setgid(2000) || setuid(2000))
            _exit(9);
        CHECK(semctl(id, 0, GETVAL) >= 0);
        CHECK(semctl(id, 0, SETVAL, (union semun){.val = 1}));
        CHECK(op(0, 1, 0));
        CHECK(op(0, 0, IPC_NOWAIT));
        CHECK(semctl(id, 0, IPC_RMID));
        CHECK(semget(key, 0, 0200));
        _exit(0);
    }
    printf("child: %d\n", reap(pid));

    /* EIDRM */
    pid = fork();
    if (pid == 0)
        _exit(op(0, -100, 0) < 0 ? errno : 0);
    await_waiter(id, 0, GETNCNT);
    CHECK(semctl(id, 0, IPC_RMID));
    printf("waiter's error: %s\n", strerror(reap(pid)));
    CHECK(semctl(id, 0, GETVAL));
    CHECK(op(0, 1, 0));
    CHECK(semget(key, 0, 0));
    return 0;
}
