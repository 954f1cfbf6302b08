/*
 * kernel/handle.c - handle tables and object lifetime (obj_put dispatches
 * to each type's destroy function).
 * Book: docs/objects.md.
 */
#include "handle.h"
#include "device.h"
#include "endpoint.h"
#include "errno.h"
#include "heap.h"
#include "notif.h"
#include "string.h"
#include "task.h"
#include "thread.h"
#include <persona/abi.h>

void obj_put(struct kobject *o)
{
    if (!o || --o->refs)
        return;
    switch (o->type) {
    case OBJ_TASK: task_destroy((struct task *)o); break;
    case OBJ_THREAD: thread_destroy((struct thread *)o); break;
    case OBJ_ENDPOINT: endpoint_destroy((struct endpoint *)o); break;
    case OBJ_NOTIF: notif_destroy((struct notif *)o); break;
    case OBJ_DEVICE: device_destroy((struct device *)o); break;
    default: break;
    }
}

/* The table twice as large (HANDLE_FIRST slots at first): 0, -ENOSPC, -ENOMEM. */
static int handle_grow(struct handle_table *t)
{
    uint32_t cap = t->cap ? 2 * t->cap : HANDLE_FIRST;
    if (cap > HANDLE_MAX)
        return -ENOSPC;
    struct handle *slots = kzalloc(cap * sizeof *slots);
    if (!slots)
        return -ENOMEM;
    if (t->slots)
        memcpy(slots, t->slots, t->cap * sizeof *slots);
    kfree(t->slots);
    t->slots = slots, t->cap = cap;
    return 0;
}

/* The lowest free handle, as before the table could grow. */
int handle_install(struct handle_table *t, struct kobject *o, uint32_t rights, uint64_t badge)
{
    uint32_t h = t->hint;
    while (h < t->cap && t->slots[h].obj)
        h++;
    int err = h < t->cap ? 0 : handle_grow(t);
    if (err)
        return err;
    t->hint = h + 1;
    obj_get(o);
    t->slots[h] = (struct handle){o, rights, badge};
    if (o->type == OBJ_ENDPOINT && (rights & R_RECV))
        endpoint_recv_handle((struct endpoint *)o, 1);
    return (int)h;
}

int handle_close(struct handle_table *t, int h)
{
    int err;
    struct handle *s = handle_lookup(t, h, OBJ_NONE, 0, &err);
    if (!s)
        return err;
    struct kobject *o = s->obj;
    s->obj = NULL;
    if ((uint32_t)h < t->hint)
        t->hint = (uint32_t)h;
    if (o->type == OBJ_ENDPOINT && (s->rights & R_RECV))
        endpoint_recv_handle((struct endpoint *)o, -1);
    obj_put(o);
    return 0;
}

void handle_table_free(struct handle_table *t)
{
    if (!t->slots)
        return;
    for (uint32_t h = 0; h < t->cap; h++)
        if (t->slots[h].obj)
            handle_close(t, (int)h);
    kfree(t->slots);
    t->slots = NULL, t->cap = t->hint = 0;
}
