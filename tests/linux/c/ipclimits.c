/*
 * tests/linux/c/ipclimits.c - System V IPC's limits from /proc/sys/kernel
 * and its ids: msgmni, shmmni and sem's semmni (ENOSPC past them), semmsl
 * (EINVAL), semmns (ENOSPC), semopm (E2BIG), shmmax (EINVAL), shmall
 * (ENOSPC), msgmax (EINVAL) and msgmnb (EAGAIN), and what IPC_INFO,
 * SEM_INFO, SHM_INFO and MSG_INFO answer then (shmseg is shmmni, as
 * Linux's).  Ids are taken as Linux's ipc_idr_alloc takes them: the next
 * index after the last one, cyclically, so a removed object's index is
 * not the next one's, and the *_INFO calls answer the highest index.  On
 * the host it runs in an IPC namespace of its own (unshare, as root), so
 * the ids are its alone; Persona has one namespace, which a fresh boot
 * leaves empty.
 */
#define _GNU_SOURCE
#include "check.h"
#include <sched.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

static void put(const char *path, const char *value)
{
    int opened;
    if (write_text(path, value, &opened) < 0)
        printf("write %s: %s\n", path, errno_name(errno));
}

int main(void)
{
    int ids[10], i;
    unshare(CLONE_NEWIPC);
    put("/proc/sys/kernel/msgmni", "3");
    for (i = 0; i < 10 && (ids[i] = msgget(IPC_PRIVATE, IPC_CREAT | 0600)) >= 0; i++)
        printf("msgget: id %d\n", ids[i]);
    printf("msgget made %d, then %s\n", i, errno_name(errno));
    CHECK(msgctl(ids[1], IPC_RMID, NULL));
    CHECK(msgget(IPC_PRIVATE, IPC_CREAT | 0600)); /* index 3, not 1 */
    put("/proc/sys/kernel/shmmni", "3");
    for (i = 0; i < 10 && (ids[i] = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600)) >= 0; i++)
        ;
    printf("shmget made %d, then %s\n", i, errno_name(errno));
    while (i--)
        shmctl(ids[i], IPC_RMID, NULL);
    put("/proc/sys/kernel/sem", "250 32000 32 3");
    for (i = 0; i < 10 && (ids[i] = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600)) >= 0; i++)
        ;
    printf("semget made %d, then %s\n", i, errno_name(errno));
    while (i--)
        semctl(ids[i], 0, IPC_RMID);

    put("/proc/sys/kernel/sem", "10 25 32 128");
    CHECK(semget(IPC_PRIVATE, 11, IPC_CREAT | 0600));
    int s1 = semget(IPC_PRIVATE, 10, IPC_CREAT | 0600);
    CHECK(s1);
    CHECK(semget(IPC_PRIVATE, 10, IPC_CREAT | 0600));
    CHECK(semget(IPC_PRIVATE, 10, IPC_CREAT | 0600));
    CHECK(semget(IPC_PRIVATE, 5, IPC_CREAT | 0600));
    CHECK(semget(IPC_PRIVATE, 1, IPC_CREAT | 0600));
    struct sembuf ops[40];
    for (int j = 0; j < 40; j++)
        ops[j] = (struct sembuf){.sem_num = (unsigned short)(j % 10), .sem_op = 1, .sem_flg = IPC_NOWAIT};
    CHECK(semop(s1, ops, 32));
    CHECK(semop(s1, ops, 33));
    struct seminfo si;
    CHECK(semctl(0, 0, IPC_INFO, &si));
    printf("semmsl %d semmns %d semopm %d semmni %d semusz %d semaem %d\n", si.semmsl, si.semmns, si.semopm,
           si.semmni, si.semusz, si.semaem);
    CHECK(semctl(0, 0, SEM_INFO, &si));
    printf("semusz %d semaem %d\n", si.semusz, si.semaem);

    put("/proc/sys/kernel/shmmax", "8192");
    CHECK(shmget(IPC_PRIVATE, 8193, IPC_CREAT | 0600));
    CHECK(shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600));
    put("/proc/sys/kernel/shmall", "3");
    CHECK(shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600));
    CHECK(shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
    struct shminfo shi;
    CHECK(shmctl(0, IPC_INFO, (void *)&shi));
    printf("shmmax %lu shmmin %lu shmmni %lu shmseg %lu shmall %lu\n", shi.shmmax, shi.shmmin, shi.shmmni,
           shi.shmseg, shi.shmall);
    struct shm_info shinfo;
    CHECK(shmctl(0, SHM_INFO, (void *)&shinfo));
    printf("used_ids %d shm_tot %lu shm_rss %lu shm_swp %lu\n", shinfo.used_ids, shinfo.shm_tot, shinfo.shm_rss,
           shinfo.shm_swp);

    put("/proc/sys/kernel/msgmnb", "100");
    put("/proc/sys/kernel/msgmax", "50");
    put("/proc/sys/kernel/msgmni", "100");
    int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    struct {
        long type;
        char text[200];
    } m = {1, ""};
    CHECK(msgsnd(q, &m, 51, IPC_NOWAIT));
    CHECK(msgsnd(q, &m, 50, IPC_NOWAIT));
    CHECK(msgsnd(q, &m, 50, IPC_NOWAIT));
    CHECK(msgsnd(q, &m, 1, IPC_NOWAIT));
    CHECK(msgsnd(q, &m, 0, IPC_NOWAIT));
    struct msqid_ds ds;
    msgctl(q, IPC_STAT, &ds);
    printf("qbytes %lu qnum %lu cbytes %lu\n", ds.msg_qbytes, ds.msg_qnum, ds.msg_cbytes);
    struct msginfo mi;
    CHECK(msgctl(0, IPC_INFO, (void *)&mi));
    printf("msgpool %d msgmap %d msgmax %d msgmnb %d msgmni %d msgssz %d msgtql %d msgseg %d\n", mi.msgpool,
           mi.msgmap, mi.msgmax, mi.msgmnb, mi.msgmni, mi.msgssz, mi.msgtql, mi.msgseg);
    CHECK(msgctl(0, MSG_INFO, (void *)&mi));
    printf("msgpool %d msgmap %d msgtql %d\n", mi.msgpool, mi.msgmap, mi.msgtql);
    return 0;
}
