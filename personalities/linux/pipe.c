/*
 * personalities/linux/pipe.c - pipes.  A read from an empty pipe, or a
 * write to a full one, keeps the caller's reply token and finishes when
 * the other side moves: that is how a process blocks here.  The last
 * writer's close is end of file for readers; writing with no reader left
 * is EPIPE (SIGPIPE comes with signal delivery).
 */
#include "linux.h"
#include <stdlib.h>
#include <string.h>

#define PIPE_SIZE 65536

struct pipe {
    char buf[PIPE_SIZE];
    size_t head, len;
    int readers, writers;
};

static struct proc *blocked_on(struct pipe *pp, bool writer);

/* The ring holds len bytes from head; each move is at most two memcpys,
 * one up to the end of the buffer and one from its start. */
static size_t pipe_take(struct pipe *pp, char *dst, size_t n)
{
    size_t k = n < pp->len ? n : pp->len, first = PIPE_SIZE - pp->head;
    first = first < k ? first : k;
    memcpy(dst, pp->buf + pp->head, first);
    memcpy(dst + first, pp->buf, k - first);
    pp->head = (pp->head + k) % PIPE_SIZE;
    pp->len -= k;
    return k;
}

static size_t pipe_put(struct pipe *pp, const char *src, size_t n)
{
    size_t k = PIPE_SIZE - pp->len < n ? PIPE_SIZE - pp->len : n;
    size_t tail = (pp->head + pp->len) % PIPE_SIZE, first = PIPE_SIZE - tail;
    first = first < k ? first : k;
    memcpy(pp->buf + tail, src, first);
    memcpy(pp->buf, src + first, k - first);
    pp->len += k;
    return k;
}

static void finish(struct proc *p, int64_t result)
{
    p->block.pipe = NULL;
    if (result == -LINUX_EPIPE)
        signal_send(p, 13, NULL); /* SIGPIPE */
    proc_reply(p, p->block.token, result);
}

/* Moves data for blocked readers and writers until nobody can progress. */
static void pipe_progress(struct pipe *pp)
{
    static char tmp[PIPE_SIZE];
    for (bool moved = true; moved;) {
        moved = false;
        struct proc *r = blocked_on(pp, false), *w = blocked_on(pp, true);
        if (r && (pp->len || !pp->writers)) {
            size_t k = pipe_take(pp, tmp, r->block.len);
            finish(r, mem_out(r, r->block.buf, tmp, k) < 0 ? -LINUX_EFAULT : (int64_t)k);
            moved = true;
        }
        if (w && !pp->readers) {
            finish(w, w->block.done ? (int64_t)w->block.done : -LINUX_EPIPE);
            moved = true;
        } else if (w && pp->len < PIPE_SIZE) {
            size_t want = w->block.len - w->block.done, room = PIPE_SIZE - pp->len;
            size_t k = want < room ? want : room;
            if (mem_in(w, tmp, w->block.buf + w->block.done, k) < 0) {
                finish(w, w->block.done ? (int64_t)w->block.done : -LINUX_EFAULT);
            } else {
                pipe_put(pp, tmp, k);
                if ((w->block.done += k) == w->block.len)
                    finish(w, (int64_t)w->block.len);
            }
            moved = true;
        }
    }
    poll_recheck(); /* after the moves: what is left decides who is ready */
}

static struct proc *blocked_on(struct pipe *pp, bool writer)
{
    for (struct proc *p = proc_list(); p; p = p->next)
        if (!p->zombie && p->block.pipe == pp && p->block.writer == writer)
            return p;
    return NULL;
}

int64_t pipe_io(struct sys_ctx *c, struct file *f, uint64_t ubuf, uint64_t len, bool write)
{
    struct pipe *pp = f->pipe;
    if (write != (f->kind == FILE_PIPE_W))
        return -LINUX_EBADF;
    if (len == 0)
        return 0;
    if (write && !pp->readers) {
        signal_send(c->p, 13, NULL); /* SIGPIPE: by default the writer dies */
        return -LINUX_EPIPE;
    }
    if (!write && !pp->len && !pp->writers)
        return 0;
    if ((f->flags & O_NONBLOCK) && (write ? pp->len == PIPE_SIZE : !pp->len))
        return -LINUX_EAGAIN;
    struct proc *p = c->p;
    p->block = (struct blocked_io){pp, write, ubuf, write ? len : (len < PIPE_SIZE ? len : PIPE_SIZE), 0, c->token};
    c->deferred = true;
    pipe_progress(pp);
    return 0;
}

void pipe_close(struct file *f)
{
    struct pipe *pp = f->pipe;
    if (f->kind == FILE_PIPE_R)
        pp->readers--;
    else
        pp->writers--;
    if (!pp->readers && !pp->writers) {
        free(pp);
        return;
    }
    pipe_progress(pp);
}

int pipe_poll(struct file *f)
{
    struct pipe *pp = f->pipe;
    if (f->kind == FILE_PIPE_R)
        return (pp->len ? 1 : 0) | (!pp->writers ? 0x10 : 0); /* POLLIN, POLLHUP */
    return (pp->len < PIPE_SIZE ? 4 : 0) | (!pp->readers ? 8 : 0); /* POLLOUT, POLLERR */
}

bool pipe_cancel(struct proc *p, uint64_t *token)
{
    if (!p->block.pipe)
        return false;
    p->block.pipe = NULL;
    *token = p->block.token;
    return true;
}

static int64_t make_pipe(struct sys_ctx *c, uint64_t ufds, uint64_t flags)
{
    if (flags & ~(uint64_t)(O_NONBLOCK | O_CLOEXEC))
        return -LINUX_EINVAL;
    struct pipe *pp = calloc(1, sizeof *pp);
    struct file *r = calloc(1, sizeof *r), *w = calloc(1, sizeof *w);
    if (!pp || !r || !w) {
        free(pp), free(r), free(w);
        return -LINUX_ENOMEM;
    }
    *r = (struct file){.kind = FILE_PIPE_R, .pipe = pp, .flags = (int)(flags & O_NONBLOCK), .refs = 1};
    *w = (struct file){.kind = FILE_PIPE_W, .pipe = pp, .flags = 1 | (int)(flags & O_NONBLOCK), .refs = 1};
    pp->readers = pp->writers = 1;
    bool cloexec = (flags & O_CLOEXEC) != 0;
    int fds[2] = {fd_alloc(c->p, 0, r, cloexec), -1};
    if (fds[0] >= 0)
        fds[1] = fd_alloc(c->p, fds[0] + 1, w, cloexec);
    int err = fds[1] < 0 ? -LINUX_EMFILE : mem_out(c->p, ufds, fds, sizeof fds) < 0 ? -LINUX_EFAULT : 0;
    if (err) {
        for (int i = 0; i < 2; i++)
            if (fds[i] >= 0)
                c->p->fds->fd[fds[i]] = NULL;
        file_put(r), file_put(w);
        return err;
    }
    return 0;
}

SYSCALL_HANDLER(pipe) { return make_pipe(c, c->a[0], 0); }
SYSCALL_HANDLER(pipe2) { return make_pipe(c, c->a[0], c->a[1]); }
