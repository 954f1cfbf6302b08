/*
 * personalities/linux/pipekmove.c - moves inside the server through a
 * pipe (splice.c's splice, tee, vmsplice and sendfile): what a pipe holds
 * and has room for, bytes taken from it into the server's buffer (or
 * dropped, or looked at) and put into it, each waking the calls blocked
 * on the other side.
 *
 * Entry points: pipe_len, pipe_batches, pipe_room, pipe_kread,
 * pipe_kwrite, pipe_read_span (pipe.h).  Callers: splice.c, sockmsg.c, unixctl.c.
 * Layer: a file type, with pipe.c.  Book: docs/linux.md, "Files".
 */
#include "epoll.h"
#include "pipepriv.h"
#include "socket.h"
#include "tcptap.h"
#include <string.h>

size_t pipe_len(const struct pipe *pp) { return pp->len; }
struct fd_batch *pipe_batches(const struct pipe *pp) { return pp->batches; }
size_t pipe_room(const struct pipe *pp) { return pipe_room_for(pp, false); }

size_t pipe_read_span(struct pipe *pp, bool peek, size_t *skip)
{
    size_t limit;
    oob_before_read(pp, peek, 0, skip, &limit);
    size_t n = pp->len > *skip ? pp->len - *skip : 0;
    return n < limit ? n : limit;
}

size_t pipe_kread(struct pipe *pp, char *buf, size_t n, size_t skip, bool peek)
{
    if (skip >= pp->len)
        return 0;
    n = n < pp->len - skip ? n : pp->len - skip;
    for (size_t done = 0; buf && done < n;) {
        size_t at = (pp->head + skip + done) % pp->cap, k = n - done < pp->cap - at ? n - done : pp->cap - at;
        memcpy(buf + done, pp->buf + at, k);
        done += k;
    }
    if (!peek && n) {
        if (pipe_used(pp) == pp->cap)
            epoll_arrival(pp, POLLOUT);
        pp->head = (pp->head + n) % pp->cap;
        pp->len -= n;
        pp->rpos += n;
        mark_at(pp, pp->rpos);
        packets_taken(pp); /* spliced out whole or in part */
        oob_after_read(pp, n, false); /* a socket's peek offset, its urgent byte passed */
        pipe_progress(pp); /* room for a blocked writer */
    }
    return n;
}

size_t pipe_kwrite(struct pipe *pp, const char *buf, size_t n)
{
    size_t room = pipe_room_for(pp, false);
    n = n < room ? n : room;
    for (size_t done = 0; done < n;) {
        size_t at = (pp->head + pp->len) % pp->cap, k = n - done < pp->cap - at ? n - done : pp->cap - at;
        memcpy(pp->buf + at, buf + done, k);
        done += k, pp->len += k;
    }
    if (n && pp->reader && pp->reader->inet) /* sendfile's or splice's into TCP: its segments (tcptap.c) */
        tcp_tap_data(pp->reader->inet, pp->buf, pp->cap, (pp->head + pp->len - n) % pp->cap, n);
    if (n) {
        epoll_arrival(pp, POLLIN);
        pipe_progress(pp); /* data for a blocked reader */
    }
    return n;
}
