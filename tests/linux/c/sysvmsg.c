/*
 * tests/linux/c/sysvmsg.c - System V message queues: msgget with keys,
 * msgsnd and msgrcv by type (0, > 0, < 0, MSG_EXCEPT), MSG_NOERROR,
 * E2BIG, ENOMSG, IPC_NOWAIT on a full queue, MSG_COPY, a receiver that
 * waits and is woken by a sender in another process, a sender that waits
 * for room, EIDRM for a waiter whose queue is removed, EINTR on a signal,
 * msgctl (IPC_STAT, IPC_SET, IPC_RMID, IPC_INFO, MSG_INFO, MSG_STAT),
 * permissions, and /proc/sysvipc/msg.  Ids are never printed.  The output
 * must equal the host Linux's (run as root).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#ifndef MSG_COPY
#define MSG_COPY 040000
#endif

struct m {
    long type;
    char text[64];
};

static int snd(int id, long type, const char *text, int flg)
{
    struct m m = {.type = type};
    strcpy(m.text, text);
    return msgsnd(id, &m, strlen(text) + 1, flg);
}

/* Receives and prints what came. */
static void rcv(int id, size_t size, long type, int flg)
{
    struct m m = {0};
    long n = msgrcv(id, &m, size, type, flg);
    if (n < 0)
        printf("msgrcv(%zu, %ld, %#o) = -1 %s\n", size, type, flg, strerror(errno));
    else
        printf("msgrcv(%zu, %ld, %#o) = %ld: type %ld \"%.*s\"\n", size, type, flg, n, m.type, (int)n, m.text);
}

static void qstat(int id)
{
    struct msqid_ds ds;
    if (msgctl(id, IPC_STAT, &ds) < 0) {
        printf("IPC_STAT: %s\n", strerror(errno));
        return;
    }
    printf("qnum %lu cbytes %lu qbytes %lu mode %o lspid me %d lrpid me %d\n", (unsigned long)ds.msg_qnum,
           (unsigned long)ds.__msg_cbytes, (unsigned long)ds.msg_qbytes, ds.msg_perm.mode, ds.msg_lspid == getpid(),
           ds.msg_lrpid == getpid());
}

static int reap(pid_t pid)
{
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

static void on_usr1(int sig) { (void)sig; }

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    key_t key = 0x5b300000 + getpid();
    CHECK(msgget(key, 0600));
    int id = msgget(key, IPC_CREAT | 0600);
    CHECK(id >= 0);
    CHECK(msgget(key, IPC_CREAT | IPC_EXCL | 0600));
    CHECK(msgget(key, 0) == id);
    qstat(id);

    /* types */
    struct m m = {.type = 0};
    CHECK(msgsnd(id, &m, 4, 0));
    CHECK(msgsnd(id, (void *)16, 4, 0));
    m.type = 1;
    CHECK(msgsnd(id, &m, 8193, 0));
    CHECK(msgsnd(-1, &m, 4, 0));
    CHECK(snd(id, 3, "three", 0));
    CHECK(snd(id, 1, "one", 0));
    CHECK(snd(id, 2, "two", 0));
    CHECK(snd(id, 1, "one again", 0));
    CHECK(snd(id, 5, "five", 0));
    qstat(id);
    rcv(id, 64, 2, 0);
    rcv(id, 64, -4, 0);
    rcv(id, 64, 1, MSG_EXCEPT);
    rcv(id, 3, 0, 0);
    rcv(id, 3, 0, MSG_NOERROR);
    rcv(id, 64, 7, IPC_NOWAIT);
    rcv(id, 64, 0, MSG_COPY | IPC_NOWAIT);
    rcv(id, 64, 1, MSG_COPY | IPC_NOWAIT);
    rcv(id, 64, 0, MSG_COPY);
    rcv(id, 64, -100, 0);
    rcv(id, 64, 0, IPC_NOWAIT);
    CHECK(snd(id, 6, "", 0)); /* one byte, and none */
    CHECK(msgsnd(id, &(struct m){.type = 7}, 0, 0));
    rcv(id, 64, 6, 0);
    rcv(id, 64, 7, 0);
    CHECK(msgrcv(id, (void *)16, 64, 0, IPC_NOWAIT));
    CHECK(snd(id, 9, "lost", 0));
    CHECK(msgrcv(id, (void *)16, 64, 0, IPC_NOWAIT)); /* the message is taken all the same */
    qstat(id);

    /* a receiver waits; a sender in another process wakes it */
    pid_t pid = fork();
    if (pid == 0) {
        usleep(100000);
        snd(id, 4, "hello", 0);
        _exit(0);
    }
    rcv(id, 64, 4, 0);
    reap(pid);

    /* a full queue */
    struct msqid_ds ds;
    msgctl(id, IPC_STAT, &ds);
    ds.msg_qbytes = 20;
    CHECK(msgctl(id, IPC_SET, &ds));
    CHECK(snd(id, 1, "0123456789", 0));
    CHECK(snd(id, 1, "0123456789", IPC_NOWAIT));
    pid = fork();
    if (pid == 0) {
        usleep(100000);
        struct m r;
        msgrcv(id, &r, 64, 0, 0);
        _exit(0);
    }
    CHECK(snd(id, 2, "waited", 0));
    reap(pid);
    qstat(id);
    rcv(id, 64, 0, 0);
    ds.msg_qbytes = 16384;
    CHECK(msgctl(id, IPC_SET, &ds));

    /* EINTR */
    struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
    sigaction(SIGUSR1, &sa, NULL);
    pid = fork();
    if (pid == 0) {
        usleep(100000);
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    rcv(id, 64, 0, 0);
    reap(pid);

    /* info */
    struct msginfo info;
    int maxidx = msgctl(0, IPC_INFO, (struct msqid_ds *)&info);
    CHECK(maxidx >= 0);
    printf("msgmax %d msgmnb %d msgmni %d msgssz %d msgseg %d msgpool %d msgmap %d msgtql %d\n", info.msgmax,
           info.msgmnb, info.msgmni, info.msgssz, info.msgseg, info.msgpool, info.msgmap, info.msgtql);
    CHECK(snd(id, 1, "x", 0));
    CHECK(msgctl(0, MSG_INFO, (struct msqid_ds *)&info) == maxidx);
    CHECK(info.msgpool >= 1 && info.msgmap >= 1 && info.msgtql >= 2);
    int found = 0;
    for (int i = 0; i <= maxidx; i++)
        if (msgctl(i, MSG_STAT, &ds) == id)
            found = ds.msg_qnum == 1;
    printf("MSG_STAT found it: %d\n", found);
    CHECK(msgctl(id, IPC_STAT, (struct msqid_ds *)16));
    CHECK(msgctl(id, 77, &ds));
    CHECK(msgctl(0, IPC_INFO, (struct msqid_ds *)16));

    FILE *f = fopen("/proc/sysvipc/msg", "r");
    char line[512];
    found = 0;
    if (f) {
        fgets(line, sizeof line, f);
        printf("header: %s", line);
        while (fgets(line, sizeof line, f)) {
            long k, qid;
            unsigned perms;
            unsigned long cbytes, qnum;
            if (sscanf(line, "%ld %ld %o %lu %lu", &k, &qid, &perms, &cbytes, &qnum) == 5 && k == key)
                printf("proc: perms %o cbytes %lu qnum %lu\n", perms, cbytes, qnum), found = 1;
        }
        fclose(f);
    }
    printf("proc: found %d\n", found);

    /* permissions */
    pid = fork();
    if (pid == 0) {
        setgroups(0, NULL);
        if (setgid(2000) || setuid(2000))
            _exit(9);
        CHECK(msgget(key, 0) == id);
        CHECK(msgget(key, 0400));
        CHECK(snd(id, 1, "no", 0));
        rcv(id, 64, 0, 0);
        CHECK(msgctl(id, IPC_STAT, &ds));
        CHECK(msgctl(id, IPC_RMID, NULL));
        _exit(0);
    }
    printf("child: %d\n", reap(pid));
    msgctl(id, IPC_STAT, &ds);
    pid = fork();
    if (pid == 0) {
        ds.msg_perm.uid = 2000;
        CHECK(msgctl(id, IPC_SET, &ds));
        setgroups(0, NULL);
        if (setgid(2000) || setuid(2000))
            _exit(9);
        ds.msg_qbytes = 16386;
        CHECK(msgctl(id, IPC_SET, &ds)); /* the owner may not raise it past msgmnb */
        ds.msg_qbytes = 100;
        CHECK(msgctl(id, IPC_SET, &ds));
        _exit(0);
    }
    printf("child: %d\n", reap(pid));
    qstat(id);

    /* EIDRM for a waiter */
    pid = fork();
    if (pid == 0) {
        struct m r;
        _exit(msgrcv(id, &r, 64, 42, 0) < 0 ? errno : 0);
    }
    usleep(100000);
    CHECK(msgctl(id, IPC_RMID, NULL));
    printf("waiter's error: %s\n", strerror(reap(pid)));
    CHECK(msgctl(id, IPC_STAT, &ds));
    CHECK(snd(id, 1, "gone", 0));
    CHECK(msgget(key, 0));
    return 0;
}
