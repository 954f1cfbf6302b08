/*
 * kernel/handle.h - per-task handle tables.  A handle is a small integer
 * naming a slot that holds an object reference, rights and a badge.  A task
 * can name only what its table holds; there are no global ids.
 * Book: docs/objects.md.
 */
#ifndef PERSONA_HANDLE_H
#define PERSONA_HANDLE_H
#include "errno.h"
#include "object.h"
#include <stddef.h>
#include <stdint.h>

/* A table starts with HANDLE_FIRST slots and doubles as it fills, up to
 * HANDLE_MAX (a server holds two handles per process it runs). */
#define HANDLE_FIRST 64
#define HANDLE_MAX 65536

struct handle {
    struct kobject *obj; /* NULL: free slot */
    uint32_t rights;
    uint64_t badge;
};

struct handle_table {
    struct handle *slots; /* cap entries, allocated on first use */
    uint32_t cap;
    uint32_t hint; /* no free slot below it */
};

/* Installs obj (taking a new reference); returns the handle or -ENOSPC/-ENOMEM. */
int handle_install(struct handle_table *t, struct kobject *o, uint32_t rights, uint64_t badge);
/* Resolves h to an object of type (OBJ_NONE: any) with all of rights.
 * Returns the slot, or NULL with *err set to -EBADF or -EACCES. */
static inline struct handle *handle_lookup(struct handle_table *t, int h, enum obj_type type, uint32_t rights, int *err)
{
    *err = -EBADF;
    if ((uint32_t)h >= t->cap || !t->slots[h].obj)
        return NULL;
    struct handle *s = &t->slots[h];
    if (type != OBJ_NONE && s->obj->type != type)
        return NULL;
    *err = -EACCES;
    if ((s->rights & rights) != rights)
        return NULL;
    *err = 0;
    return s;
}
int handle_close(struct handle_table *t, int h);
void handle_table_free(struct handle_table *t);

#endif
