/*
 * personalities/native/supervise.c - the root task as supervisor, after
 * MINIX 3's reincarnation server: it watches every module it started
 * (task_watch: a task's death signals init's notification with the
 * module's bit), says on the kernel log which one died and how, and starts
 * it again from its boot module, with fresh endpoints for the names it
 * serves, as often as the restart=N word of its line allows (none
 * without it).  Clients whose calls to the dead server fail with EPIPE ask
 * init for the new endpoint by name (INIT_LOOKUP, libc's persona_lookup,
 * <persona/supervisor.h>).
 *
 * Entry point: supervise (init.h), which main calls once every module has
 * started.  Layer: the root task, over init.c's start_module.
 * Book: docs/supervision.md.
 */
#include "init.h"
#include <persona/supervisor.h>
#include <stdio.h>
#include <string.h>

#define EPIPE 32
#define ENOENT 2
#define ENOSYS 38

/* How a task ended, from its exit code (task_watch's TASK_DEAD result). */
static void describe(int code, char *buf, size_t size)
{
    if (code >= 0)
        snprintf(buf, size, "exited with code %d", code);
    else if (code == -9)
        snprintf(buf, size, "killed");
    else if (code <= -128 && code > -160)
        snprintf(buf, size, "fault: %s", persona_exception_name((uint64_t)(-code - 128)));
    else
        snprintf(buf, size, "ended with code %d", code);
}

static void watch(int notif, struct module *m)
{
    if (m->task >= 0 && sys_task_watch(m->task, notif, 1ull << (m - mods)) < 0)
        say("init: cannot watch %s", m->name);
}

/* Module m's task is gone: one line, and a restart if its policy allows. */
static void died(int notif, struct module *m)
{
    char how[64];
    long r = sys_task_watch(m->task, -1, 0);
    describe((int)(uint32_t)r, how, sizeof how);
    sys_handle_close(m->task);
    sys_handle_close(m->thread);
    m->task = m->thread = -1;
    if (m->restarts >= m->restart_max) {
        if (m->restart_max == 0)
            say("init: %s died (%s); it has no restart=: it stays down", m->name, how);
        else
            say("init: %s died (%s); it was restarted %d time(s) (restart=%d): it stays down", m->name, how,
                m->restarts, m->restart_max);
        return;
    }
    m->restarts++;
    say("init: %s died (%s); restarting it from its boot module (restart %d of %d)", m->name, how, m->restarts,
        m->restart_max);
    create_endpoints(m->index, true);
    if (start_module(m) == 0)
        watch(notif, m);
    drop_receive_rights();
}

static struct module *by_number(uint64_t number)
{
    for (int i = 0; i < nmods; i++)
        if (mods[i].number == number)
            return &mods[i];
    return NULL;
}

/* INIT_LOOKUP from the module numbered badge: a send handle to the named
 * endpoint, badged with the caller's number as its use= handles are. */
static long lookup(uint64_t badge, const struct ipc_msg *in)
{
    char name[INIT_NAME_MAX + 1] = {0};
    memcpy(name, &in->w[1], INIT_NAME_MAX);
    int e = ep_named(name, strlen(name));
    struct module *caller = by_number(badge), *server = e < 0 ? NULL : by_number(eps[e].server);
    if (e < 0)
        return -ENOENT;
    if (!caller || caller->task < 0 || !server || server->task < 0)
        return -EPIPE;
    long mine = sys_handle_mint(eps[e].h, R_SEND | R_GRANT, badge);
    long h = mine < 0 ? mine : sys_handle_grant(caller->task, (int)mine);
    if (mine >= 0)
        sys_handle_close((int)mine);
    return h;
}

void supervise(void)
{
    long notif = sys_notif_create();
    if (notif < 0 || sys_notif_bind((int)notif) < 0)
        say("init: no notification to watch the modules with: nothing will be restarted");
    for (int i = 0; i < nmods && notif >= 0; i++)
        watch((int)notif, &mods[i]);
    for (;;) {
        struct ipc_msg m;
        struct ipc_info info;
        if (init_ep < 0 || ipc_recv(init_ep, &m, &info) < 0) {
            sys_sleep_ns(1000000000ull);
            continue;
        }
        if (info.token == BADGE_NOTIFY) {
            for (int i = 0; i < nmods; i++)
                if ((m.w[0] >> i & 1) && mods[i].task >= 0)
                    died((int)notif, &mods[i]);
            continue;
        }
        long r = m.w[0] == INIT_LOOKUP ? lookup(info.badge, &m) : -ENOSYS;
        memset(&m, 0, sizeof m);
        m.w[0] = (uint64_t)r;
        ipc_reply(init_ep, info.token, &m, 0);
    }
}
