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

int handle_install(struct handle_table *t, struct kobject *o, uint32_t rights, uint64_t badge)
{
    if (!t->slots && !(t->slots = kzalloc(HANDLE_MAX * sizeof *t->slots)))
        return -ENOMEM;
    for (int h = 0; h < HANDLE_MAX; h++) {
        if (t->slots[h].obj)
            continue;
        obj_get(o);
        t->slots[h] = (struct handle){o, rights, badge};
        if (o->type == OBJ_ENDPOINT && (rights & R_RECV))
            endpoint_recv_handle((struct endpoint *)o, 1);
        return h;
    }
    return -ENOSPC;
}

int handle_close(struct handle_table *t, int h)
{
    int err;
    struct handle *s = handle_lookup(t, h, OBJ_NONE, 0, &err);
    if (!s)
        return err;
    struct kobject *o = s->obj;
    s->obj = NULL;
    if (o->type == OBJ_ENDPOINT && (s->rights & R_RECV))
        endpoint_recv_handle((struct endpoint *)o, -1);
    obj_put(o);
    return 0;
}

void handle_table_free(struct handle_table *t)
{
    if (!t->slots)
        return;
    for (int h = 0; h < HANDLE_MAX; h++)
        if (t->slots[h].obj)
            handle_close(t, h);
    kfree(t->slots);
    t->slots = NULL;
}
