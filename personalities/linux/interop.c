/*
 * personalities/linux/interop.c - running other personalities' programs
 * from Linux, the caller's side of the personality protocol
 * (<persona/spawn.h>).  An ELF file whose note names a personality is
 * that personality's program: execve sends it (SPAWN_LOAD, SPAWN_START)
 * and then runs the relay (relay.h) in the process, as binfmt_misc runs
 * an interpreter.  The process keeps its pid, descriptors, process group
 * and parent; the relay carries out the program's reads and writes with
 * ordinary calls, so that pipes, the terminal and signals are Linux's.
 *
 * One thread per personality called (target) waits in SPAWN_NEXT and
 * hands each event to the server's own endpoint (INTEROP_BADGE); the
 * main loop gives it to the job's relay, which waits in RELAY_NEXT.  Only
 * that thread waits on the target: the server's own calls to it are
 * answered at once, so neither side can block the other.
 *
 * Entry points: interop_target, interop_start, interop_started (exec.c),
 * interop_relay_image, relay_call (main.c, RELAY_NR), interop_event
 * (main.c), interop_exit (exit.c).  Layer: proc, beside exec.c.  Book:
 * docs/personality-protocol.md.
 */
#include "interop.h"
#include "proc.h"
#include "relay.h"
#include "relay_image.h" /* generated: the relay's bytes */
#include "wait.h"
#include <persona/elf.h>
#include <persona/spawn.h>
#include <persona/supervisor.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TARGETS 4
#define NOTE_MAX 64

/* A personality this server has started programs on. */
struct target {
    char name[24];
    int ep;      /* send handle to its endpoint; -1: not looked up, or it died */
    bool thread; /* its SPAWN_NEXT thread runs */
    int fwd;     /* that thread's handle to our endpoint */
    char stack[8192] __attribute__((aligned(16)));
    char ipcbuf[IPC_BUFFER_SIZE] __attribute__((aligned(4096)));
};
static struct target targets[MAX_TARGETS];

/* A program running elsewhere, with its relay process here. */
struct relay_job {
    struct proc *p; /* the relay's process, NULL once it has gone */
    struct target *t;
    uint64_t id;
    int last;    /* the event the relay carries out now */
    bool has_ev; /* ev (and data) not yet given to the relay */
    struct relay_ev ev;
    char data[SPAWN_CHUNK];
    uint64_t ubuf, uev; /* the relay's RELAY_NEXT while it waits */
    struct relay_job *next;
};
static struct relay_job *jobs;
static uint64_t next_id; /* from the clock: a restarted server's jobs never meet its old ones */

static struct relay_job *job_by_id(struct target *t, uint64_t id)
{
    for (struct relay_job *j = jobs; j; j = j->next)
        if (j->t == t && j->id == id)
            return j;
    return NULL;
}

static void job_free(struct relay_job *j)
{
    for (struct relay_job **pp = &jobs; *pp; pp = &(*pp)->next)
        if (*pp == j) {
            *pp = j->next;
            break;
        }
    free(j);
}

/* ---- which personality a file belongs to ---- */

int interop_target(struct inode *f, char *name, size_t size)
{
    struct elf_hdr h;
    struct elf_phdr ph;
    if (!f || (f->mode & S_IFMT) != S_IFREG || fs_read(f, 0, &h, sizeof h) < sizeof h ||
        memcmp(h.ident, "\177ELF\2\1\1", 7) != 0 || h.phentsize != sizeof ph || h.phnum > 64)
        return 0;
    for (int i = 0; i < h.phnum; i++) {
        uint32_t note[3 + NOTE_MAX / 4];
        if (fs_read(f, h.phoff + (uint64_t)i * sizeof ph, &ph, sizeof ph) < sizeof ph || ph.type != ELF_PT_NOTE)
            continue;
        for (uint64_t off = 0; off + 12 <= ph.filesz;) {
            size_t got = fs_read(f, ph.offset + off, note, sizeof note);
            if (got < 12)
                break;
            uint64_t namesz = note[0], descsz = note[1], step = 12 + ((namesz + 3) & ~3ull) + ((descsz + 3) & ~3ull);
            const char *nm = (const char *)&note[3], *desc = nm + ((namesz + 3) & ~3ull);
            if (namesz == sizeof SPAWN_NOTE_NAME && note[2] == SPAWN_NOTE_TYPE && 12 + namesz + descsz <= got &&
                memcmp(nm, SPAWN_NOTE_NAME, namesz) == 0 && descsz > 1 && descsz <= size && desc[descsz - 1] == '\0') {
                memcpy(name, desc, descsz);
                return 1;
            }
            off += step;
        }
    }
    return 0;
}

/* ---- the targets and their threads ---- */

/* Runs on its own thread with its own IPC buffer; touches no libc state:
 * fetches events from the target and hands them to the main loop. */
static void next_thread(uint64_t arg)
{
    struct target *t = &targets[arg];
    sys_ipc_buffer((uint64_t)t->ipcbuf);
    for (;;) {
        uint64_t w[IPC_WORDS] = {SPAWN_NEXT};
        struct ipc_info info;
        if (persona_ipc(SYS_ipc_call, t->ep, 0, 0, w, &info) < 0) {
            uint64_t lost[IPC_WORDS] = {0}; /* w0 0: the target has gone */
            persona_ipc(SYS_ipc_call, t->fwd, 0, 0, lost, NULL);
            break;
        }
        if (persona_ipc(SYS_ipc_call, t->fwd, (long)info.len, 0, w, NULL) < 0)
            break;
    }
    sys_thread_exit();
}

static struct target *target_get(const char *name)
{
    struct target *t = NULL;
    for (int i = 0; i < MAX_TARGETS && !t; i++)
        if (strcmp(targets[i].name, name) == 0)
            t = &targets[i];
    for (int i = 0; i < MAX_TARGETS && !t; i++)
        if (!targets[i].name[0])
            t = &targets[i];
    if (!t || strlen(name) >= sizeof t->name)
        return NULL;
    if (!t->name[0])
        snprintf(t->name, sizeof t->name, "%s", name), t->ep = -1;
    if (t->ep < 0 && !t->thread) {
        long ep = persona_lookup(name);
        long fwd = ep < 0 ? -1 : sys_handle_mint(linux_ep, R_SEND, INTEROP_BADGE + (uint64_t)(t - targets));
        if (fwd < 0) {
            if (ep >= 0)
                sys_handle_close((int)ep);
            return NULL;
        }
        t->ep = (int)ep, t->fwd = (int)fwd, t->thread = true;
        if (sys_thread_create(H_SELF, (uint64_t)next_thread, (uint64_t)t->stack + sizeof t->stack - 8,
                              (uint64_t)(t - targets), PRIO_HELPER, 0) < 0) {
            sys_handle_close(t->ep), sys_handle_close(t->fwd);
            t->ep = -1, t->thread = false;
            return NULL;
        }
    }
    return t->ep >= 0 ? t : NULL;
}

/* A request the target answers at once: its w0, or -EPIPE if it is gone. */
static int64_t ask(struct target *t, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3, const void *bulk, size_t len)
{
    struct ipc_msg m = {{w0, w1, w2, w3}};
    if (len)
        memcpy(ipc_buf(), bulk, len);
    if (t->ep < 0 || ipc_call(t->ep, &m, len, NULL) < 0)
        return -LINUX_EPIPE;
    return (int64_t)m.w[0];
}

/* ---- execve of a foreign program ---- */

int interop_start(struct proc *p, struct inode *f, const char *name, char *const argv[], int argc, char *const envp[],
                  int envc, uint64_t *job)
{
    struct target *t = target_get(name);
    if (!t)
        return -LINUX_ENOEXEC; /* no such personality here: Linux's answer for a
                                  format it does not know */
    if (fs_permission(f, MAY_EXEC) < 0)
        return -LINUX_EACCES;
    uint64_t id = next_id ? next_id++ : (next_id = (uint64_t)sys_clock_ns() + 1) - 1;
    static char chunk[SPAWN_CHUNK];
    int64_t r = 0;
    for (uint64_t off = 0; r == 0 && (off < f->size || off == 0); off += SPAWN_CHUNK) {
        size_t n = fs_read(f, off, chunk, f->size - off < SPAWN_CHUNK ? f->size - off : SPAWN_CHUNK);
        r = ask(t, SPAWN_LOAD, id, off, f->size, chunk, n);
        if (f->size == 0)
            break;
    }
    /* argv must fit in one message with the working directory; of the
     * environment, what fits goes. */
    static char cwd[PATH_MAX_LEN];
    if (fs_path(p->cwd, cwd, sizeof cwd) < 0)
        strcpy(cwd, "/");
    size_t len = 0, room = SPAWN_CHUNK - strlen(cwd) - 1;
    int nenv = 0;
    for (int i = 0; r == 0 && i < argc; i++) {
        size_t k = strlen(argv[i]) + 1;
        if (len + k > room)
            return -LINUX_E2BIG;
        memcpy(chunk + len, argv[i], k), len += k;
    }
    for (; r == 0 && nenv < envc && len + strlen(envp[nenv]) + 1 <= room; nenv++) {
        memcpy(chunk + len, envp[nenv], strlen(envp[nenv]) + 1);
        len += strlen(envp[nenv]) + 1;
    }
    memcpy(chunk + len, cwd, strlen(cwd) + 1);
    if (r == 0)
        r = ask(t, SPAWN_START, id, (uint64_t)argc, (uint64_t)nenv, chunk, len + strlen(cwd) + 1);
    if (r == -LINUX_EPIPE)
        sys_handle_close(t->ep), t->ep = -1; /* looked up again next time */
    if (r < 0)
        return r == -LINUX_EPIPE ? -LINUX_ENOEXEC : (int)r;
    struct relay_job *j = calloc(1, sizeof *j);
    if (!j) {
        ask(t, SPAWN_SIGNAL, id, SIGKILL, 0, NULL, 0);
        return -LINUX_ENOMEM;
    }
    *j = (struct relay_job){.t = t, .id = id, .next = jobs};
    jobs = j;
    *job = id;
    return 0;
}

void interop_started(struct proc *p, const char *name, uint64_t id, int r, const char *path)
{
    struct target *t = target_get(name);
    struct relay_job *j = t ? job_by_id(t, id) : NULL;
    if (!j)
        return;
    if (r < 0) { /* the relay could not start: the program goes too */
        ask(t, SPAWN_SIGNAL, id, SIGKILL, 0, NULL, 0);
        job_free(j);
        return;
    }
    j->p = p;
    p->relay = j;
    char cwd[PATH_MAX_LEN] = "/";
    if (path[0] != '/' && fs_path(p->cwd, cwd, sizeof cwd) < 0)
        strcpy(cwd, "/");
    snprintf(p->exe, sizeof p->exe, "%s%s%s", path[0] == '/' ? "" : cwd,
             path[0] == '/' || cwd[strlen(cwd) - 1] == '/' ? "" : "/", path);
    const char *base = strrchr(path, '/');
    snprintf(p->comm, sizeof p->comm, "%s", base ? base + 1 : path);
}

struct inode *interop_relay_image(void)
{
    static struct fs relayfs = {.type = "tmpfs", .dev = DEV_ANONFS, .magic = TMPFS_MAGIC, .iops = &tmpfs_iops};
    static struct inode *ino;
    if (!ino && (ino = fs_new_unnamed(&relayfs, S_IFREG | 0555)) &&
        fs_write(ino, 0, relay_image, sizeof relay_image) < 0)
        ino->refs = 0, fs_release(ino), ino = NULL;
    return ino;
}

/* ---- the relay's calls and the target's events ---- */

/* Gives the waiting relay its event: 0, or -EFAULT. */
static int64_t hand_over(struct relay_job *j)
{
    j->has_ev = false;
    j->last = (int)j->ev.kind;
    if (j->ev.kind == RELAY_EV_WRITE && mem_out(j->p, j->ubuf, j->data, (size_t)j->ev.len) < 0)
        return -LINUX_EFAULT;
    return mem_out(j->p, j->uev, &j->ev, sizeof j->ev);
}

int64_t relay_call(struct sys_ctx *c, uint64_t op, uint64_t have, uint64_t result, uint64_t ubuf, uint64_t uev)
{
    struct relay_job *j = c->p->relay;
    if (!j)
        return -LINUX_ENOSYS;
    if (op == RELAY_SIGNAL) {
        ask(j->t, SPAWN_SIGNAL, j->id, have, 0, NULL, 0);
        return 0;
    }
    if (op != RELAY_NEXT)
        return -LINUX_EINVAL;
    if (have && (j->last == RELAY_EV_WRITE || j->last == RELAY_EV_READ)) {
        int64_t r = (int64_t)result;
        size_t n = j->last == RELAY_EV_READ && r > 0 ? (size_t)(r < SPAWN_CHUNK ? r : SPAWN_CHUNK) : 0;
        if (n && mem_in(c->p, j->data, ubuf, n) < 0)
            r = -LINUX_EFAULT, n = 0;
        j->last = 0;
        ask(j->t, SPAWN_RESULT, j->id, (uint64_t)r, 0, j->data, n);
    }
    j->ubuf = ubuf, j->uev = uev;
    if (j->has_ev)
        return hand_over(j);
    c->p->wait = (struct proc_wait){.kind = WAIT_RELAY, .token = c->token};
    c->deferred = true;
    return 0;
}

void interop_event(const struct ipc_info *info, const uint64_t *w, const void *bulk)
{
    uint64_t ti = info->badge - INTEROP_BADGE;
    if (ti >= MAX_TARGETS)
        return;
    struct target *t = &targets[ti];
    if (w[0] == 0) { /* the target has gone: its programs with it */
        sys_handle_close(t->ep), sys_handle_close(t->fwd);
        t->ep = -1, t->thread = false;
        for (struct relay_job *j = jobs, *next; j; j = next) {
            next = j->next;
            if (j->t == t && !j->p)
                job_free(j);
            else if (j->t == t) {
                j->ev = (struct relay_ev){.kind = RELAY_EV_LOST}, j->has_ev = true;
                if (j->p->wait.kind == WAIT_RELAY)
                    wait_finish(j->p, hand_over(j));
            }
        }
        return;
    }
    struct relay_job *j = job_by_id(t, w[1]);
    if (!j || !j->p) { /* its relay has gone: the program is being ended
                          (interop_exit) */
        if (w[0] == SPAWN_EV_WRITE || w[0] == SPAWN_EV_READ)
            ask(t, SPAWN_RESULT, w[1], (uint64_t)-LINUX_EPIPE, 0, NULL, 0);
        if (j && w[0] == SPAWN_EV_EXIT)
            job_free(j);
        return;
    }
    j->ev = (struct relay_ev){.kind = (long)w[0], .fd = (long)w[2], .len = (long)w[3]};
    if (w[0] == SPAWN_EV_WRITE)
        j->ev.len = (long)(info->len < w[3] ? info->len : w[3]), memcpy(j->data, bulk, (size_t)j->ev.len);
    if (w[0] == SPAWN_EV_EXIT)
        j->ev = (struct relay_ev){.kind = RELAY_EV_EXIT, .status = (long)w[2], .sig = (long)w[3]};
    j->has_ev = true;
    if (j->p->wait.kind == WAIT_RELAY)
        wait_finish(j->p, hand_over(j));
}

void interop_exit(struct proc *p)
{
    struct relay_job *j = p->relay;
    p->relay = NULL;
    if (!j)
        return;
    j->p = NULL;
    bool ended = j->last == RELAY_EV_EXIT || j->last == RELAY_EV_LOST ||
                 (j->has_ev && (j->ev.kind == RELAY_EV_EXIT || j->ev.kind == RELAY_EV_LOST));
    if (ended || j->t->ep < 0)
        job_free(j);
    else
        ask(j->t, SPAWN_SIGNAL, j->id, SIGKILL, 0, NULL, 0); /* its EXIT frees the job */
}
