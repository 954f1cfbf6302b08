/*
 * kernel/module.c - starts the GRUB boot modules as native tasks.  Here the
 * kernel acts as the root task: it loads each module's ELF image, and
 * hands it the handles its command line asks for.  Words of a module's
 * command line:
 *     NAME            the first word: the task's name and argv[0]
 *     serve=EP        creates endpoint EP; this task gets all rights
 *     use=EP[,EP]     this task gets a send handle to EP, badged with its index
 *     irq=N ports=BASE:COUNT power
 *                     a device grant for an IRQ, I/O ports, the power switch
 *     blob=MOD        maps module MOD read-only into this task
 *     prio=N          priority of the first thread (default 10)
 *     data            not a program (a blob for someone else)
 * Other words become argv.  The handles, the blobs and the kernel command
 * line reach the program as environment strings (PERSONA_EP_<EP>=h,
 * PERSONA_DEV=h, PERSONA_BLOB_<MOD>=addr:len, PERSONA_CMDLINE=...).
 * Book: docs/userspace.md.
 */
#include "module.h"
#include "device.h"
#include "endpoint.h"
#include "errno.h"
#include "mb2.h"
#include "pico.h"
#include "printf.h"
#include "string.h"
#include "task.h"
#include "thread.h"
#include "uvm.h"
#include "vm.h"
#include <persona/abi.h>
#include <persona/elf.h>

#define STACK_TOP 0x00007ffffff00000ull
#define STACK_SIZE (256 * 1024ull)
#define BLOB_BASE 0x0000100000000000ull
#define MAX_WORDS 32
#define MAX_EPS 16

struct named_ep {
    char name[24];
    struct endpoint *ep;
};
static struct named_ep eps[MAX_EPS];
static int neps;


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

/* The value of "key=value", or NULL. */
static const char *value(const char *word, const char *key)
{
    while (*key && *word == *key)
        word++, key++;
    return !*key && *word == '=' ? word + 1 : NULL;
}

static struct endpoint *ep_named(const char *name, size_t len)
{
    for (int i = 0; i < neps; i++)
        if (strlen(eps[i].name) == len && memcmp(eps[i].name, name, len) == 0)
            return eps[i].ep;
    if (neps == MAX_EPS || len >= sizeof eps[0].name)
        return NULL;
    struct endpoint *ep = endpoint_create();
    if (!ep)
        return NULL;
    memcpy(eps[neps].name, name, len);
    eps[neps].ep = ep;
    neps++;
    return ep;
}

/* elf_load's way into a task's memory. */
static int uvm_map_rw(void *t, uint64_t va, uint64_t len) { return uvm_map_zero(t, va, len, PROT_READ | PROT_WRITE); }
static int uvm_write(void *t, uint64_t va, const void *src, uint64_t len) { return uvm_copy_out(t, va, src, len, true); }
static int uvm_prot(void *t, uint64_t va, uint64_t len, int prot) { return uvm_protect(t, va, len, prot); }

/* Loads the ELF image; returns the entry point or 0. */
static uint64_t load_elf(struct task *t, const uint8_t *img, uint64_t size)
{
    struct elf_target target = {uvm_map_rw, uvm_write, uvm_prot, t};
    uint64_t entry;
    return elf_load(img, size, &target, &entry) == 0 ? entry : 0;
}

/* Strings for the new task's argv and environment. */
struct startup {
    const char *argv[MAX_WORDS];
    int argc;
    char env[16][MB2_CMDLINE_MAX + 24];
    int nenv;
};

__attribute__((format(printf, 2, 3))) static void add_env(struct startup *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (st->nenv < 16)
        fmt_vsnprintf(st->env[st->nenv++], sizeof st->env[0], fmt, ap);
    va_end(ap);
}

/* A decimal or 0x-hex number; *end (if given) points after it. */
static uint64_t parse_num(const char *s, const char **end)
{
    uint64_t v = 0, base = 10;
    if (s[0] == '0' && s[1] == 'x')
        s += 2, base = 16;
    for (;; s++) {
        int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : 99;
        if (d >= (int)base)
            break;
        v = v * base + (uint64_t)d;
    }
    if (end)
        *end = s;
    return v;
}

/* Writes argc, argv, envp and their strings at the top of the stack;
 * returns the initial rsp, or 0. */
static uint64_t push_startup(struct task *t, struct startup *st)
{
    uint64_t sp = STACK_TOP, ptrs[MAX_WORDS + 20];
    int n = 0;
    ptrs[n++] = (uint64_t)st->argc;
    for (int i = 0; i < st->argc + st->nenv; i++) {
        const char *s = i < st->argc ? st->argv[i] : st->env[i - st->argc];
        size_t len = strlen(s) + 1;
        sp -= len;
        if (uvm_copy_out(t, sp, s, len, true) < 0)
            return 0;
        ptrs[n++] = sp;
        if (i == st->argc - 1 || i == st->argc + st->nenv - 1)
            ptrs[n++] = 0;
    }
    if (st->argc + st->nenv == st->argc)
        ptrs[n++] = 0;
    sp = (sp - n * 8) & ~0xfull;
    return uvm_copy_out(t, sp, ptrs, n * 8, true) < 0 ? 0 : sp;
}

static int grant(struct task *t, struct kobject *o, uint32_t rights, uint64_t badge)
{
    int h = handle_install(&t->handles, o, rights, badge);
    if (h < 0)
        kprintf("persona: %s: no room for a handle\n", t->name);
    return h;
}

static const struct boot_module *module_named(const struct boot_info *bi, const char *name)
{
    for (int i = 0; i < bi->nmods; i++) {
        const char *m = bi->mods[i].cmdline;
        size_t n = strlen(name);
        if (memcmp(m, name, n) == 0 && (m[n] == ' ' || m[n] == '\0'))
            return &bi->mods[i];
    }
    return NULL;
}

/* Applies one key word; returns 0 if it was a key, 1 if it is an argument. */
static int apply_word(struct task *t, const char *w, int index, const struct boot_info *bi, struct startup *st,
                      struct device **dev, uint64_t *blob_va, int *prio)
{
    const char *v;
    if ((v = value(w, "serve")) || (v = value(w, "use"))) {
        bool serve = w[0] == 's';
        while (*v) {
            size_t len = 0;
            while (v[len] && v[len] != ',')
                len++;
            struct endpoint *ep = ep_named(v, len);
            int h = ep ? grant(t, &ep->obj, serve ? R_ALL : R_SEND | R_GRANT, serve ? 0 : (uint64_t)index + 1) : -1;
            char name[24];
            fmt_snprintf(name, sizeof name, "%.*s", (int)len, v);
            if (h >= 0)
                add_env(st, "PERSONA_EP_%s=%d", name, h);
            v += len + (v[len] == ',');
        }
        return 0;
    }
    if ((v = value(w, "irq")) || (v = value(w, "ports")) || strcmp(w, "power") == 0) {
        if (!*dev && !(*dev = device_create(-1, 0, 0, false)))
            return 0;
        if (w[0] == 'i')
            (*dev)->irq = (int)parse_num(v, NULL);
        else if (w[0] == 'p' && v) {
            const char *colon;
            (*dev)->port = (uint16_t)parse_num(v, &colon);
            (*dev)->nports = (uint16_t)(*colon == ':' ? parse_num(colon + 1, NULL) : 1);
        } else
            (*dev)->power = true;
        return 0;
    }
    if ((v = value(w, "blob"))) {
        const struct boot_module *m = module_named(bi, v);
        uint64_t len = m ? ((m->end - m->start) + 0xfff) & ~0xfffull : 0;
        if (!m || uvm_map_zero(t, *blob_va, len ? len : 0x1000, PROT_READ | PROT_WRITE) < 0 ||
            uvm_copy_out(t, *blob_va, phys_to_virt(m->start), m->end - m->start, true) < 0) {
            kprintf("persona: %s: cannot hand over blob %s\n", t->name, v);
            return 0;
        }
        uvm_protect(t, *blob_va, len ? len : 0x1000, PROT_READ);
        add_env(st, "PERSONA_BLOB_%s=0x%lx:%lu", v, *blob_va, m->end - m->start);
        *blob_va += len + 0x1000;
        return 0;
    }
    if ((v = value(w, "prio"))) {
        *prio = (int)parse_num(v, NULL);
        return 0;
    }
    return 1;
}

static void start_module(const struct boot_info *bi, int index)
{
    const struct boot_module *m = &bi->mods[index];
    static char line[MB2_CMDLINE_MAX];
    static struct startup st;
    char *words[MAX_WORDS];
    memcpy(line, m->cmdline, sizeof line);
    int n = split(line, words);
    if (n == 0 || strcmp(words[n - 1], "data") == 0)
        return;
    struct task *t = task_create(words[0]);
    struct device *dev = NULL;
    uint64_t blob_va = BLOB_BASE;
    int prio = 10;
    if (!t || handle_install(&t->handles, &t->obj, R_ALL, 0) != H_SELF) {
        kprintf("persona: out of memory starting %s\n", words[0]);
        if (t)
            obj_put(&t->obj);
        return;
    }
    t->trace = trace_wanted(words[0]);
    memset(&st, 0, sizeof st);
    for (int i = 0; i < n; i++)
        if (i == 0 || apply_word(t, words[i], index, bi, &st, &dev, &blob_va, &prio))
            st.argv[st.argc++] = words[i];
    if (dev) {
        int h = grant(t, &dev->obj, (dev->irq >= 0 ? R_IRQ : 0) | (dev->nports ? R_IOPORT : 0) |
                                        (dev->power ? R_POWER : 0), 0);
        if (h >= 0)
            add_env(&st, "PERSONA_DEV=%d", h);
        obj_put(&dev->obj);
    }
    add_env(&st, "PERSONA_CMDLINE=%s", bi->cmdline);
    uint64_t entry = load_elf(t, phys_to_virt(m->start), m->end - m->start), sp = 0;
    if (entry && uvm_map_zero(t, STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE) == 0)
        sp = push_startup(t, &st);
    if (!entry || !sp || !thread_create(t, entry, sp, 0, prio, false)) {
        kprintf("persona: module %s: %s\n", words[0], entry ? "out of memory" : "not a valid ELF64 executable");
        task_kill(t, -ENOEXEC);
    }
    obj_put(&t->obj); /* its threads and its own handle keep it */
}

void module_start_all(const struct boot_info *bi)
{
    for (int i = 0; i < bi->nmods; i++)
        start_module(bi, i);
}
