/*
 * tests/linux/i386/ipc32.c - the structures of i386's System V _ctl
 * commands, made raw (syscall(), i386 numbers, what i386's ipcs reads):
 * semctl, msgctl and shmctl's IPC_STAT and IPC_SET with IPC_64's layout
 * (32-bit numbers, times in two halves) and the old one (16-bit ids,
 * pids and counts), through the calls and through the ipc multiplexer;
 * IPC_INFO and the _INFO commands; their EFAULT; and what the calls do
 * with IPC_64 in cmd (IPC_STAT answers the id; IPC_SET and shmctl's are
 * EINVAL).  Built gcc -m32
 * -static; the output must equal the host Linux's running the same
 * binary.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../c/check.h"

#define V64 0x100
#define SEMCTL 3
#define MSGCTL 14
#define SHMCTL 24

struct perm64 { int32_t key; uint32_t uid, gid, cuid, cgid; uint16_t mode, pad1, seq, pad2; uint32_t unused[2]; };
struct perm_old { int32_t key; uint16_t uid, gid, cuid, cgid, mode, seq; };
struct sem64 { struct perm64 perm; uint32_t otime, otime_high, ctime, ctime_high, nsems, unused[2]; };
struct sem_old { struct perm_old perm; uint32_t otime, ctime, base, pending, pending_last, undo; uint16_t nsems, pad; };
struct msq64 {
    struct perm64 perm;
    uint32_t stime, stime_high, rtime, rtime_high, ctime, ctime_high, cbytes, qnum, qbytes;
    int32_t lspid, lrpid;
    uint32_t unused[2];
};
struct msq_old {
    struct perm_old perm;
    uint32_t first, last, stime, rtime, ctime, lcbytes, lqbytes;
    uint16_t cbytes, qnum, qbytes, lspid, lrpid, pad;
};
struct shm64 {
    struct perm64 perm;
    uint32_t segsz, atime, atime_high, dtime, dtime_high, ctime, ctime_high;
    int32_t cpid, lpid;
    uint32_t nattch, unused[2];
};
struct shm_old {
    struct perm_old perm;
    int32_t segsz;
    uint32_t atime, dtime, ctime;
    uint16_t cpid, lpid, nattch, unused;
    uint32_t unused2, unused3;
};

static void perm64(const struct perm64 *p)
{
    printf("  perm64: key %d uid %u gid %u cuid %u cgid %u mode %o\n", p->key, p->uid, p->gid, p->cuid, p->cgid,
           p->mode);
}

static void perm_old(const struct perm_old *p)
{
    printf("  perm: key %d uid %u gid %u cuid %u cgid %u mode %o\n", p->key, p->uid, p->gid, p->cuid, p->cgid,
           p->mode);
}

static void sems(void)
{
    int id = syscall(SYS_semget, IPC_PRIVATE, 3, 0640);
    struct sem64 s;
    struct sem_old o;
    CHECK(syscall(SYS_semctl, id, 0, IPC_STAT | V64, &s) == id);
    perm64(&s.perm);
    printf("  nsems %u otime %u ctime set %d high %u\n", s.nsems, s.otime, s.ctime != 0, s.ctime_high);
    CHECK(syscall(SYS_semctl, id, 0, IPC_STAT, &s));
    perm64(&s.perm);
    CHECK(syscall(SYS_ipc, SEMCTL, id, 0, IPC_STAT, &(void *){&o}));
    perm_old(&o.perm);
    printf("  nsems %u otime %u ctime set %d\n", o.nsems, o.otime, o.ctime != 0);
    s.perm.mode = 0600, s.perm.uid = 70000, s.perm.gid = 7;
    CHECK(syscall(SYS_semctl, id, 0, IPC_SET | V64, &s));
    CHECK(syscall(SYS_semctl, id, 0, IPC_SET, &s));
    CHECK(syscall(SYS_ipc, SEMCTL, id, 0, IPC_STAT, &(void *){&o}));
    perm_old(&o.perm);
    o.perm.mode = 0604, o.perm.uid = 1000, o.perm.gid = 9;
    CHECK(syscall(SYS_ipc, SEMCTL, id, 0, IPC_SET, &(void *){&o}));
    CHECK(syscall(SYS_ipc, SEMCTL, id, 0, IPC_STAT | V64, &(void *){&s}));
    perm64(&s.perm);
    int info[10];
    CHECK(syscall(SYS_semctl, id, 0, IPC_INFO, info) >= 0);
    printf("  seminfo: semmsl %d semopm %d semvmx %d\n", info[4], info[5], info[8]);
    CHECK(syscall(SYS_semctl, id, 0, IPC_STAT | V64, (void *)16));
    CHECK(syscall(SYS_semctl, id, 0, IPC_SET, (void *)16));
    CHECK(syscall(SYS_semctl, 31999, 0, 18 /* SEM_STAT */, &s));
    CHECK(syscall(SYS_semctl, id, 0, IPC_RMID, 0));
    CHECK(syscall(SYS_semctl, id, 0, IPC_STAT, &o));
}

static void msgs(void)
{
    int id = syscall(SYS_msgget, IPC_PRIVATE, 0620);
    struct { int32_t type; char text[8]; } m = {1, "hello"};
    syscall(SYS_msgsnd, id, &m, 6, 0);
    syscall(SYS_msgsnd, id, &m, 3, 0);
    struct msq64 s;
    struct msq_old o;
    CHECK(syscall(SYS_msgctl, id, IPC_STAT | V64, &s) == id);
    perm64(&s.perm);
    printf("  qnum %u cbytes %u qbytes %u lspid mine %d lrpid %d stime set %d rtime %u\n", s.qnum, s.cbytes, s.qbytes,
           s.lspid == getpid(), s.lrpid, s.stime != 0, s.rtime);
    CHECK(syscall(SYS_ipc, MSGCTL, id, IPC_STAT, 0, &o));
    perm_old(&o.perm);
    printf("  qnum %u cbytes %u qbytes %u lcbytes %u lqbytes %u lspid mine %d\n", o.qnum, o.cbytes, o.qbytes,
           o.lcbytes, o.lqbytes, o.lspid == (uint16_t)getpid());
    s.qbytes = 1000, s.perm.mode = 0600;
    CHECK(syscall(SYS_msgctl, id, IPC_SET | V64, &s));
    CHECK(syscall(SYS_msgctl, id, IPC_SET, &s));
    CHECK(syscall(SYS_ipc, MSGCTL, id, IPC_STAT, 0, &o));
    printf("  qbytes %u mode %o\n", o.qbytes, o.perm.mode);
    o.qbytes = 2000, o.perm.mode = 0660;
    CHECK(syscall(SYS_ipc, MSGCTL, id, IPC_SET, 0, &o));
    CHECK(syscall(SYS_msgctl, id, IPC_STAT | V64, &s) == id);
    printf("  qbytes %u mode %o\n", s.qbytes, s.perm.mode);
    int info[8];
    CHECK(syscall(SYS_msgctl, id, IPC_INFO, info) >= 0);
    printf("  msginfo: msgmax %d msgmnb %d\n", info[2], info[3]);
    CHECK(syscall(SYS_msgctl, id, IPC_STAT | V64, (void *)16));
    CHECK(syscall(SYS_msgctl, id, IPC_SET | V64, (void *)16));
    CHECK(syscall(SYS_msgctl, id, IPC_RMID, 0));
}

static void shms(void)
{
    int id = syscall(SYS_shmget, IPC_PRIVATE, 10000, 0600);
    void *at = (void *)syscall(SYS_shmat, id, NULL, 0);
    struct shm64 s;
    struct shm_old o;
    CHECK(syscall(SYS_shmctl, id, IPC_STAT, &s));
    perm64(&s.perm);
    printf("  segsz %u nattch %u cpid mine %d lpid mine %d atime set %d dtime %u\n", s.segsz, s.nattch,
           s.cpid == getpid(), s.lpid == getpid(), s.atime != 0, s.dtime);
    CHECK(syscall(SYS_ipc, SHMCTL, id, IPC_STAT, 0, &o));
    perm_old(&o.perm);
    printf("  segsz %d nattch %u cpid mine %d\n", o.segsz, o.nattch, o.cpid == (uint16_t)getpid());
    o.perm.mode = 0640;
    CHECK(syscall(SYS_ipc, SHMCTL, id, IPC_SET, 0, &o));
    CHECK(syscall(SYS_shmctl, id, IPC_STAT, &s));
    printf("  mode %o\n", s.perm.mode);
    uint32_t info[9] = {0};
    CHECK(syscall(SYS_shmctl, id, IPC_INFO, info) >= 0);
    printf("  shminfo64: shmmax %#x shmmin %u shmseg %u shmall %#x\n", info[0], info[1], info[3], info[4]);
    memset(info, 0, sizeof info);
    CHECK(syscall(SYS_ipc, SHMCTL, id, IPC_INFO, 0, info) >= 0);
    printf("  shminfo: shmmax %#x shmmin %u shmall %#x\n", info[0], info[1], info[4]);
    memset(info, 0, sizeof info);
    CHECK(syscall(SYS_ipc, SHMCTL, id, IPC_INFO | V64, 0, info) >= 0);
    printf("  shminfo64 through ipc: shmmax %#x shmmin %u shmseg %u shmall %#x\n", info[0], info[1], info[3], info[4]);
    CHECK(syscall(SYS_shmctl, id, 14 /* SHM_INFO */, info) >= 0);
    CHECK(syscall(SYS_shmctl, id, IPC_STAT | V64, &s));
    CHECK(syscall(SYS_shmctl, id, IPC_STAT, (void *)16));
    syscall(SYS_shmdt, at);
    CHECK(syscall(SYS_shmctl, id, IPC_RMID, 0));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    sems();
    msgs();
    shms();
    return 0;
}
