/*
 * kernel/task.h - a task: an address space, a handle table, its threads.
 * A pico task (pico != NULL) has no handle table; its traps go to its
 * personality (pico.c).  Interrupts disabled is the lock.
 * Book: docs/objects.md.
 */
#ifndef PERSONA_TASK_H
#define PERSONA_TASK_H
#include "handle.h"
#include "list.h"
#include "object.h"
#include <stdbool.h>

struct pico_provider;
struct notif;

struct task {
    struct kobject obj;
    uint64_t root;          /* PML4 physical address; 0 once dead */
    uint64_t pages, shared; /* its user pages in memory, and those of them shared (PTE_SHARED): uvm.c
                               counts them as they come and go */
    struct handle_table handles;
    struct list threads;    /* struct thread.task_link */
    uint8_t *iobitmap;      /* 8 KiB TSS I/O bitmap, or NULL */
    struct pico_provider *pico; /* a pico task's provider, or NULL */
    uint64_t badge;         /* pico: the provider's name for this task */
    struct list pico_link;  /* in the provider's task list */
    bool dead;
    bool timed;             /* pico: its provider asked for PICO_TIMED (general path, times stamped) */
    int exit_code;
    struct notif *watch;    /* task_watch: signalled with watch_bits when the task goes */
    uint64_t watch_bits;
    char name[32];
};

struct task *task_create(const char *name);
/* Kills every thread, frees the address space and closes all handles.  The
 * struct lives on while references remain. */
void task_kill(struct task *t, int code);
void task_destroy(struct task *t);
/* Makes the task's death signal n with bits (the task holds a reference
 * to n until then); n NULL removes the watch.  One watcher per task. */
void task_watch(struct task *t, struct notif *n, uint64_t bits);

#endif
