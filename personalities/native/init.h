/*
 * personalities/native/init.h - what the root task's two halves share:
 * the boot modules it started (init.c) and the endpoints they serve, which
 * the supervisor (supervise.c) watches, restarts and looks up.
 * Entry points: start_module, create_endpoints, drop_receive_rights,
 * supervise.  Layer: the root task, over libc's kernel calls.
 * Book: docs/boot.md, docs/supervision.md.
 */
#ifndef PERSONA_INIT_H
#define PERSONA_INIT_H
#include <persona/ipc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_WORDS 64
#define MAX_EPS 16
#define MAX_MODS 64 /* one notification bit each */

/* An endpoint that serve= words name: init's handle to it (all rights
 * while recv, until the server has its own; then send only). */
struct ep {
    char name[24];
    int h;
    bool recv;
    uint64_t server; /* the number of the module serving it */
};

/* A module init started, and may start again. */
struct module {
    uint32_t index;   /* in the boot table */
    uint64_t number;  /* its badge on use= handles and at init's endpoint */
    char name[24];
    int task, thread; /* init's handles, -1 while it is down */
    int restart_max;  /* restart=N */
    int restarts;     /* so far */
};

extern struct ep eps[MAX_EPS];
extern int neps;
extern struct module mods[MAX_MODS];
extern int nmods;
extern int init_ep; /* init's own endpoint: persona_lookup's calls */

__attribute__((format(printf, 1, 2))) void say(const char *fmt, ...);
/* Module i's words, split in buf; module_words gives none for init's own
 * line and for data. */
int module_line(uint32_t i, char buf[BOOT_CMDLINE_MAX], char *words[MAX_WORDS]);
int module_words(uint32_t i, char buf[BOOT_CMDLINE_MAX], char *words[MAX_WORDS]);
/* The value of "key=value", or NULL. */
const char *value(const char *word, const char *key);
int ep_named(const char *name, size_t len);
/* The endpoints module i's serve= words name: created if new, or all
 * created anew with fresh (a restart: the old ones died with the server). */
void create_endpoints(uint32_t i, bool fresh);
/* init keeps only send rights to the endpoints once their servers have
 * theirs: an endpoint whose server dies must die with it (its callers get
 * EPIPE), which needs every receive handle gone. */
void drop_receive_rights(void);
/* Starts the module from its boot image with the words of its line; 0, or
 * a negative error (said on the log; no task is left). */
int start_module(struct module *m);
/* The supervisor's loop: deaths, restarts, lookups.  Never returns. */
__attribute__((noreturn)) void supervise(void);

#endif
