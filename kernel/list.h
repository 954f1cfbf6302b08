/*
 * kernel/list.h - intrusive doubly linked lists (run queues, wait queues).
 * Book: docs/objects.md.
 */
#ifndef PERSONA_LIST_H
#define PERSONA_LIST_H
#include <stddef.h>

struct list {
    struct list *prev, *next;
};

#define LIST_INIT(l) {&(l), &(l)}
#define container_of(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))

static inline void list_init(struct list *l) { l->prev = l->next = l; }
static inline int list_empty(const struct list *l) { return l->next == l; }
static inline void list_add_tail(struct list *l, struct list *n)
{
    n->prev = l->prev;
    n->next = l;
    l->prev->next = n;
    l->prev = n;
}
static inline void list_del(struct list *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->prev = n->next = n;
}

#endif
