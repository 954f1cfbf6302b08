/*
 * personalities/linux/pipemark.c - what is marked on a pipe's stream of
 * bytes: the credentials an AF_UNIX stream's bytes carry (SO_PASSCRED's
 * runs), and the packets of an O_DIRECT pipe, as Linux's "packet mode"
 * keeps them: each write in packets of at most PIPE_BUF bytes, each
 * taking a page of the capacity, a read taking one packet at most and
 * what it leaves of one going with it.
 *
 * Entry points: pipepriv.h.  Callers: pipe.c.  Layer: a file type, with
 * pipe.c.  Book: docs/linux.md, "Files".
 */
#include "pipepriv.h"
#include <stdlib.h>
#include <string.h>

struct cred_mark *mark_at(struct pipe *pp, uint64_t pos)
{
    while (pp->marks && pp->marks->end <= pos) {
        struct cred_mark *m = pp->marks;
        if (!(pp->marks = m->next))
            pp->marks_tail = NULL;
        free(m);
    }
    return pp->marks && pp->marks->start <= pos ? pp->marks : NULL;
}

void mark_add(struct pipe *pp, uint64_t start, uint64_t n, const struct ucred_k *cred)
{
    struct cred_mark *t = pp->marks_tail;
    if (t && t->end == start && memcmp(&t->cred, cred, sizeof *cred) == 0) {
        t->end += n; /* the same writer's run goes on */
        return;
    }
    struct cred_mark *m = malloc(sizeof *m);
    if (!m)
        return; /* these bytes carry none */
    *m = (struct cred_mark){start, start + n, *cred, NULL};
    *(t ? &t->next : &pp->marks) = m;
    pp->marks_tail = m;
}

size_t pipe_room_for(const struct pipe *pp, bool packets)
{
    size_t room = pp->cap > pipe_used(pp) ? pp->cap - pipe_used(pp) : 0;
    return packets ? room / PACKET_MAX * PACKET_MAX : room;
}

void packets_add(struct pipe *pp, uint64_t start, size_t n)
{
    for (size_t at = 0; at < n;) {
        size_t k = n - at < PACKET_MAX ? n - at : PACKET_MAX;
        struct packet *p = malloc(sizeof *p);
        if (p) { /* without memory the bytes stay, as bytes */
            *p = (struct packet){start + at, start + at + k, NULL};
            *(pp->packets_tail ? &pp->packets_tail->next : &pp->packets) = p;
            pp->packets_tail = p;
            pp->pad += PACKET_MAX - k;
        }
        at += k;
    }
}

size_t packet_limit(const struct pipe *pp, size_t k, bool *in)
{
    const struct packet *p = pp->packets;
    *in = p && p->start <= pp->rpos;
    if (!p)
        return k;
    uint64_t edge = *in ? p->end : p->start; /* bytes before a packet are read up to it */
    return edge - pp->rpos < k ? (size_t)(edge - pp->rpos) : k;
}

void packet_done(struct pipe *pp)
{
    struct packet *p = pp->packets;
    size_t rest = (size_t)(p->end - pp->rpos);
    pp->head = (pp->head + rest) % pp->cap;
    pp->len -= rest, pp->rpos += rest;
    pp->pad -= PACKET_MAX - (size_t)(p->end - p->start);
    if (!(pp->packets = p->next))
        pp->packets_tail = NULL;
    free(p);
}

void packets_taken(struct pipe *pp)
{
    while (pp->packets && pp->packets->end <= pp->rpos) {
        struct packet *p = pp->packets;
        pp->pad -= PACKET_MAX - (size_t)(p->end - p->start);
        if (!(pp->packets = p->next))
            pp->packets_tail = NULL;
        free(p);
    }
    if (pp->packets && pp->packets->start < pp->rpos) /* its page's room stays counted until it goes */
        pp->pad += (size_t)(pp->rpos - pp->packets->start), pp->packets->start = pp->rpos;
}

void marks_free(struct pipe *pp)
{
    mark_at(pp, UINT64_MAX);
    while (pp->packets) {
        struct packet *p = pp->packets;
        pp->packets = p->next;
        free(p);
    }
    pp->packets_tail = NULL, pp->pad = 0;
}
