/*
 * kernel/task.c - task creation and death (see task.h).
 * Book: docs/objects.md.
 */
#include "task.h"
#include "heap.h"
#include "notif.h"
#include "pico.h"
#include "sched.h"
#include "string.h"
#include "thread.h"
#include "vm.h"
#include "x86.h"

struct task *task_create(const char *name)
{
    struct task *t = kzalloc(sizeof *t);
    if (!t)
        return NULL;
    t->root = vm_root_create();
    if (!t->root) {
        kfree(t);
        return NULL;
    }
    obj_init(&t->obj, OBJ_TASK);
    list_init(&t->threads);
    list_init(&t->pico_link);
    size_t n = strlen(name);
    memcpy(t->name, name, n < sizeof t->name ? n : sizeof t->name - 1);
    return t;
}

/* Frees the address space, the I/O bitmap and the handles. */
static void task_release(struct task *t)
{
    if (vm_is_active(t->root))
        vm_activate(vm_kernel_root());
    vm_root_destroy(t->root);
    t->root = 0;
    kfree(t->iobitmap);
    t->iobitmap = NULL;
    handle_table_free(&t->handles);
    list_del(&t->pico_link);
    if (t->watch) /* after the handles: its endpoints are dead when the watcher wakes */
        notif_signal(t->watch, t->watch_bits);
    task_watch(t, NULL, 0);
}

void task_watch(struct task *t, struct notif *n, uint64_t bits)
{
    if (t->watch)
        obj_put(&t->watch->obj);
    if (n)
        obj_get(&n->obj);
    t->watch = n;
    t->watch_bits = bits;
}

void task_kill(struct task *t, int code)
{
    if (t->dead)
        return;
    t->dead = true;
    t->exit_code = code;
    obj_get(&t->obj);
    struct thread *self = NULL;
    while (!list_empty(&t->threads)) {
        struct thread *th = container_of(t->threads.next, struct thread, task_link);
        if (th == current()) {
            list_del(&th->task_link); /* killed last, below */
            list_add_tail(&t->threads, &th->task_link);
            if (t->threads.next == &th->task_link) {
                self = th;
                break;
            }
            continue;
        }
        thread_kill(th);
    }
    if (t->pico)
        pico_task_died(t);
    pico_owner_died(t);
    task_release(t);
    obj_put(&t->obj);
    if (self)
        thread_kill(self);
}

void task_destroy(struct task *t)
{
    if (!t->dead) { /* never ran, and every handle is gone */
        t->dead = true;
        task_release(t);
    }
    kfree(t);
}
