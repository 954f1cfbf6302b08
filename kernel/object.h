/*
 * kernel/object.h - what every kernel object shares: a type tag and a
 * reference count.  Handles (handle.c) and kernel-internal links hold
 * references; the object is destroyed when the count drops to zero.
 * Book: docs/objects.md.
 */
#ifndef PERSONA_OBJECT_H
#define PERSONA_OBJECT_H
#include <stdint.h>

enum obj_type { OBJ_NONE, OBJ_TASK, OBJ_THREAD, OBJ_ENDPOINT, OBJ_NOTIF, OBJ_DEVICE };

struct kobject {
    enum obj_type type;
    uint32_t refs;
};

static inline void obj_init(struct kobject *o, enum obj_type t)
{
    o->type = t;
    o->refs = 1;
}
static inline void obj_get(struct kobject *o) { o->refs++; }
/* Drops a reference and destroys the object at zero (handle.c). */
void obj_put(struct kobject *o);

#endif
