/*
 * personalities/native/init.c - the root task: the one task the kernel
 * starts (kernel/root_task.c), which holds the boot policy.  It reads the
 * table of boot modules at BOOT_INFO_VA (struct persona_bootinfo, with the
 * modules mapped read-only after it) and starts every other module as a
 * native task, handing it what the words of its GRUB command line ask for:
 *     NAME            the first word: the task's name and argv[0]
 *     serve=EP[,EP]   endpoint EP, created here; this task gets all rights
 *     use=EP[,EP]     a send handle to EP, badged with the module's number
 *     irq=N ports=BASE:COUNT power
 *                     one device grant, derived from the root device
 *     blob=MOD        module MOD's pages shared read-only with this task
 *     prio=N          priority of the first thread (default 120)
 *     restart=N       restart it at most N times when it dies (supervise.c)
 *     data            not a program (a blob for someone else)
 *     -- ...          the words after it are all arguments
 * Other words become argv.  Every program also gets a send handle to
 * init's own endpoint (PERSONA_EP_init), for persona_lookup.  The handles, the blobs and the kernel command
 * line reach the program as environment strings (PERSONA_EP_<EP>=h,
 * PERSONA_DEV=h, PERSONA_BLOB_<MOD>=addr:len, PERSONA_CMDLINE=...), which
 * libc reads back (persona_endpoint, persona_device, persona_blob).  A
 * module's number counts the modules from 1, the root task's own line
 * left out.  A bad module (not an executable, a missing blob or server)
 * gets one line on the kernel log, and the others start.
 *
 * Entry point: main, started by the kernel with no arguments, at the top
 * priority, so every server is set up before any runs; then it becomes
 * the supervisor (supervise.c).  start_module (init.h) starts a module
 * again.  See docs/boot.md and docs/supervision.md.
 */
#include "init.h"
#include <persona/elf.h>
#include <persona/pico.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STACK_TOP 0x00007ffffff00000ull
#define STACK_SIZE (256 * 1024ull)
#define BLOB_BASE 0x0000100000000000ull
#define PAGE 4096ull
#define MAX_ENV 16
#define DEFAULT_PRIO 120 /* servers above the programs they serve (10 to 111) */
#define MAX_PRIO 126     /* init itself runs at 127 */

static const struct persona_bootinfo *const boot = (const void *)BOOT_INFO_VA;

struct ep eps[MAX_EPS];
int neps;
struct module mods[MAX_MODS];
int nmods;
int init_ep = -1;

/* What one module's task is being given. */
struct start {
    int task;                 /* init's handle to it */
    const char *name;
    uint64_t number;          /* its badge on use= handles */
    const char *argv[MAX_WORDS];
    int argc;
    char env[MAX_ENV][BOOT_CMDLINE_MAX + 24];
    int nenv;
    bool dev, power;          /* a device grant, and what it holds */
    int irq;
    unsigned port, nports;
    uint64_t blob_va;         /* where the next blob goes */
    int prio;
    int restart_max;          /* restart=N */
};

/* One line on the kernel log: init has no console (the console is one of
 * the servers it starts). */
__attribute__((format(printf, 1, 2))) void say(const char *fmt, ...)
{
    char line[BOOT_CMDLINE_MAX + 128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsniprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    n = n < 0 ? 0 : n > (int)sizeof line - 2 ? (int)sizeof line - 2 : n;
    line[n++] = '\n';
    sys_log_write(line, (size_t)n);
}

__attribute__((format(printf, 2, 3))) static void add_env(struct start *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (st->nenv < MAX_ENV)
        vsniprintf(st->env[st->nenv++], sizeof st->env[0], fmt, ap);
    va_end(ap);
}

/* Splits a command line in place at spaces. */
static int split(char *s, char *words[])
{
    int n = 0;
    for (char *p = s; *p && n < MAX_WORDS;) {
        while (*p == ' ')
            *p++ = '\0';
        if (*p)
            words[n++] = p;
        while (*p && *p != ' ')
            p++;
    }
    return n;
}

/* Module i's words, split in buf. */
int module_line(uint32_t i, char buf[BOOT_CMDLINE_MAX], char *words[MAX_WORDS])
{
    memcpy(buf, boot->mods[i].cmdline, BOOT_CMDLINE_MAX);
    buf[BOOT_CMDLINE_MAX - 1] = '\0';
    return split(buf, words);
}

/* Module i's words if it is a program to start: none for the root task's
 * own line and for data. */
int module_words(uint32_t i, char buf[BOOT_CMDLINE_MAX], char *words[MAX_WORDS])
{
    int n = module_line(i, buf, words);
    return i == boot->self || n == 0 || strcmp(words[n - 1], "data") == 0 ? 0 : n;
}

/* The value of "key=value", or NULL. */
const char *value(const char *word, const char *key)
{
    size_t n = strlen(key);
    return strncmp(word, key, n) == 0 && word[n] == '=' ? word + n + 1 : NULL;
}

/* A decimal or 0x-hex number; *end (if given) points after it. */
static unsigned long parse_num(const char *s, char **end)
{
    char *e;
    unsigned long v = strtoul(s, &e, s[0] == '0' && s[1] == 'x' ? 16 : 10);
    if (end)
        *end = e;
    return v;
}

int ep_named(const char *name, size_t len)
{
    for (int i = 0; i < neps; i++)
        if (strlen(eps[i].name) == len && memcmp(eps[i].name, name, len) == 0)
            return i;
    return -1;
}

/* Creates the endpoints that module i's serve= words name: new ones (at
 * boot, or with fresh set, for a restart: the old ones died with their
 * server), with all rights until drop_receive_rights. */
void create_endpoints(uint32_t i, bool fresh)
{
    char buf[BOOT_CMDLINE_MAX], *words[MAX_WORDS];
    int n = module_words(i, buf, words);
    for (int w = 1; w < n; w++) {
        const char *v = value(words[w], "serve");
        for (size_t len; v && *v; v += len + (v[len] == ',')) {
            len = strcspn(v, ",");
            int e = len ? ep_named(v, len) : -1;
            if (len == 0 || (e >= 0 && !fresh))
                continue;
            long h = e >= 0 || (neps < MAX_EPS && len < sizeof eps[0].name) ? sys_endpoint_create() : -1;
            if (h < 0) {
                say("init: module %s: serve=%.*s: cannot create the endpoint", words[0], (int)len, v);
                continue;
            }
            if (e < 0) {
                e = neps++;
                memcpy(eps[e].name, v, len);
            } else {
                sys_handle_close(eps[e].h);
            }
            eps[e].h = (int)h, eps[e].recv = true;
        }
    }
}

/* serve=EP,... or use=EP,...: the task gets its handles. */
static void give_endpoints(struct start *st, const char *v, bool serve)
{
    for (size_t len; *v; v += len + (v[len] == ',')) {
        len = strcspn(v, ",");
        int e = ep_named(v, len);
        if (e < 0) {
            say("init: module %s: %s=%.*s: no module serves %.*s", st->name, serve ? "serve" : "use", (int)len, v,
                (int)len, v);
            continue;
        }
        if (serve)
            eps[e].server = st->number;
        long mine = serve ? eps[e].h : sys_handle_mint(eps[e].h, R_SEND | R_GRANT, st->number);
        long h = mine < 0 ? mine : sys_handle_grant(st->task, (int)mine);
        if (!serve && mine >= 0)
            sys_handle_close((int)mine);
        if (h < 0)
            say("init: module %s: no room for a handle to %s", st->name, eps[e].name);
        else
            add_env(st, "PERSONA_EP_%s=%ld", eps[e].name, h);
    }
}

/* blob=MOD: module MOD's pages, shared read-only (an empty module gets a
 * page of zeros, so that its address is good). */
static void give_blob(struct start *st, const char *mod)
{
    char buf[BOOT_CMDLINE_MAX], *words[MAX_WORDS];
    for (uint32_t i = 0; i < boot->nmods; i++) {
        if (module_line(i, buf, words) == 0 || strcmp(words[0], mod) != 0)
            continue;
        uint64_t len = boot->mods[i].len, pages = (len + PAGE - 1) & ~(PAGE - 1);
        long r = pages ? sys_mem_share(H_SELF, boot->mods[i].va, st->task, st->blob_va, pages, PROT_READ)
                       : sys_mem_map(st->task, st->blob_va, PAGE, PROT_READ);
        if (r < 0) {
            say("init: module %s: blob=%s: cannot map it (error %ld)", st->name, mod, r);
            return;
        }
        add_env(st, "PERSONA_BLOB_%s=0x%llx:%llu", mod, (unsigned long long)st->blob_va, (unsigned long long)len);
        st->blob_va += (pages ? pages : PAGE) + PAGE;
        return;
    }
    say("init: module %s: blob=%s: no such module", st->name, mod);
}

/* Applies one word; false if it is an argument. */
static bool apply_word(struct start *st, const char *w)
{
    const char *v;
    if ((v = value(w, "serve")) || (v = value(w, "use"))) {
        give_endpoints(st, v, w[0] == 's');
    } else if ((v = value(w, "irq"))) {
        st->dev = true, st->irq = (int)parse_num(v, NULL);
    } else if ((v = value(w, "ports"))) {
        char *colon;
        st->dev = true, st->port = (unsigned)parse_num(v, &colon);
        st->nports = *colon == ':' ? (unsigned)parse_num(colon + 1, NULL) : 1;
    } else if (strcmp(w, "power") == 0) {
        st->dev = st->power = true;
    } else if ((v = value(w, "blob"))) {
        give_blob(st, v);
    } else if ((v = value(w, "prio"))) {
        unsigned long p = parse_num(v, NULL);
        st->prio = p > MAX_PRIO ? MAX_PRIO : (int)p;
    } else if ((v = value(w, "restart"))) {
        st->restart_max = (int)parse_num(v, NULL);
    } else {
        return false;
    }
    return true;
}

/* The device grant the words asked for, derived from the root device. */
static void give_device(struct start *st)
{
    long d = sys_device_create(H_ROOT_DEVICE, st->irq, st->port, st->nports, st->power);
    long h = d < 0 ? d : sys_handle_grant(st->task, (int)d);
    if (d >= 0)
        sys_handle_close((int)d);
    if (h < 0)
        say("init: module %s: cannot grant its device (error %ld)", st->name, h);
    else
        add_env(st, "PERSONA_DEV=%ld", h);
}

/* Writes argc, argv, envp and their strings at the top of the task's
 * stack; returns the initial rsp, or 0. */
static uint64_t push_startup(const struct start *st)
{
    uint64_t ptrs[MAX_WORDS + MAX_ENV + 3];
    static char img[sizeof ptrs + 16 + BOOT_CMDLINE_MAX + sizeof st->env]; /* argv's strings fit in a command line */
    size_t top = sizeof img;
    int n = 0;
    ptrs[n++] = (uint64_t)st->argc;
    for (int i = 0; i < st->argc + st->nenv; i++) {
        const char *s = i < st->argc ? st->argv[i] : st->env[i - st->argc];
        size_t len = strlen(s) + 1;
        top -= len;
        memcpy(img + top, s, len);
        ptrs[n++] = STACK_TOP - (sizeof img - top);
        if (i == st->argc - 1)
            ptrs[n++] = 0;
    }
    ptrs[n++] = 0;
    uint64_t sp = (STACK_TOP - (sizeof img - top) - (uint64_t)n * 8) & ~0xfull;
    size_t at = sizeof img - (STACK_TOP - sp);
    memcpy(img + at, ptrs, (size_t)n * 8);
    return sys_mem_write(st->task, sp, img + at, STACK_TOP - sp) < 0 ? 0 : sp;
}

/* A send handle to init's own endpoint, badged with the module's number:
 * where persona_lookup asks. */
static void give_init(struct start *st)
{
    long mine = sys_handle_mint(init_ep, R_SEND | R_GRANT, st->number); /* R_GRANT: to grant it */
    long h = mine < 0 ? mine : sys_handle_grant(st->task, (int)mine);
    if (mine >= 0)
        sys_handle_close((int)mine);
    if (h >= 0)
        add_env(st, "PERSONA_EP_init=%ld", h);
}

int start_module(struct module *mod)
{
    static struct start st;
    char buf[BOOT_CMDLINE_MAX], *words[MAX_WORDS];
    int n = module_words(mod->index, buf, words);
    const struct persona_bootmod *m = &boot->mods[mod->index];
    uint64_t entry, sp = 0;
    memset(&st, 0, sizeof st);
    st.name = words[0], st.number = mod->number, st.irq = -1, st.blob_va = BLOB_BASE, st.prio = DEFAULT_PRIO;
    mod->task = mod->thread = -1;
    size_t len = strlen(words[0]);
    long task = sys_task_create_named(words[0], len > TASK_NAME_MAX ? TASK_NAME_MAX : len);
    if (task < 0) {
        say("init: module %s: cannot create its task (error %ld)", words[0], task);
        return (int)task;
    }
    st.task = (int)task;
    int r = elf_load_task(st.task, (const void *)(uintptr_t)m->va, m->len, &entry);
    if (r == 0) {
        bool args = false; /* after "--", every word is an argument */
        for (int w = 0; w < n; w++) {
            args = args || strcmp(words[w], "--") == 0;
            if (w == 0 || args || !apply_word(&st, words[w]))
                st.argv[st.argc++] = words[w];
        }
        if (st.dev)
            give_device(&st);
        give_init(&st);
        mod->restart_max = st.restart_max;
        add_env(&st, "PERSONA_CMDLINE=%s", boot->cmdline);
        r = (int)sys_mem_map(st.task, STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE);
    }
    if (r == 0 && !(sp = push_startup(&st)))
        r = -14; /* EFAULT */
    long th = r == 0 ? sys_thread_create(st.task, entry, sp, 0, st.prio, 0) : r;
    r = th < 0 ? (int)th : 0;
    if (r < 0) {
        if (r == ELF_ENOEXEC)
            say("init: module %s: not a valid ELF64 executable", words[0]);
        else
            say("init: module %s: cannot start it (error %d)", words[0], r);
        sys_task_kill(st.task);
        sys_handle_close(st.task);
        return r;
    }
    mod->task = st.task, mod->thread = (int)th; /* kept: the supervisor watches the task */
    return 0;
}

void drop_receive_rights(void)
{
    for (int i = 0; i < neps; i++) {
        if (!eps[i].recv)
            continue;
        long h = sys_handle_mint(eps[i].h, R_SEND | R_GRANT, 0);
        sys_handle_close(eps[i].h);
        eps[i].h = (int)h, eps[i].recv = false;
    }
}

int main(void)
{
    char buf[BOOT_CMDLINE_MAX], *words[MAX_WORDS];
    init_ep = (int)sys_endpoint_create();
    for (uint32_t i = 0; i < boot->nmods; i++) /* first, so that a use= may name a later line */
        create_endpoints(i, false);
    for (uint32_t i = 0, number = 1; i < boot->nmods; i++) {
        if (i == boot->self)
            continue;
        if (module_words(i, buf, words) > 0 && nmods < MAX_MODS) {
            struct module *m = &mods[nmods++];
            m->index = i, m->number = number;
            snprintf(m->name, sizeof m->name, "%s", words[0]);
            if (start_module(m) < 0)
                m->task = -1;
        }
        number++;
    }
    drop_receive_rights();
    supervise();
}
