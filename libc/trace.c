/*
 * libc/trace.c - the tracer of pico tasks (see persona/trace.h): the
 * spec, the records of calls in flight, their costs, the lines and the
 * summary.  A record lives from its trap until the thread's next trap
 * (which brings the time it went back to user mode) or its end.
 *
 * Costs, in TSC ticks (instructions under QEMU's icount), from the times
 * t_trap (the kernel's stamp), t_idle (when the server last began to
 * wait), t_recv (when it had the message), t_handled (when it was done
 * with it), t_reply and resumed (the kernel's stamp at the next trap):
 *   kernel = t_recv - max(t_trap, t_idle)  (the way in)
 *          + resumed - t_reply             (the way out, when known)
 *   server = t_handled - t_recv
 *   wait   = the rest: in the server's queue while it served another
 *            message, and blocked (a read of an empty pipe, a sleep).
 * Book: docs/tracing.md.
 */
#include <persona/trace.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CALLS 64      /* traced calls in flight at once */
#define MAX_NR 1024       /* call numbers a spec can name */
#define MAX_PIDS 32768
#define FLAG_BYTES(n) (((n) + 7) / 8)

bool trace_on;
static uint64_t trace_t_idle;

static struct {
    const struct trace_names *names;
    bool any_pid, follow, summary, quiet;
    enum { FAULTS_NONE, FAULTS_SIGNALS, FAULTS_ALL } faults;
    uint8_t calls[FLAG_BYTES(MAX_NR)]; /* the calls traced */
} spec;

struct cost {
    uint64_t calls, errors, total, kernel, server, wait;
};

/* What only a traced server needs, allocated by trace_init: an untraced
 * one carries none of it in its memory. */
static struct tracer {
    struct trace_call calls[MAX_CALLS];
    uint8_t pids[FLAG_BYTES(MAX_PIDS)]; /* pid=N, and their children with follow */
    /* The lines wait here until the server is between messages: printing
     * is IPC, which would overwrite the IPC buffer (the trap's record)
     * while a handler may still read it. */
    char out[64 * 1024];
    size_t out_len;
    struct cost by_call[MAX_NR], by_vector[32];
    const struct cost *rows[MAX_NR + 32]; /* the summary's, sorted */
} *tr;
static struct trace_call *handling; /* the record of the message being handled */


static bool flag(const uint8_t *set, uint64_t i, uint64_t max) { return i < max && (set[i / 8] >> (i % 8)) & 1; }
static void set_flag(uint8_t *set, uint64_t i, uint64_t max, bool on)
{
    if (i < max)
        set[i / 8] = (uint8_t)(on ? set[i / 8] | 1u << (i % 8) : set[i / 8] & ~(1u << (i % 8)));
}

/* A call's number from its name or its number; -1 if neither. */
static long call_number(const char *word)
{
    char *end;
    long n = strtol(word, &end, 10);
    if (*word && !*end)
        return n;
    for (uint64_t nr = 0; nr < spec.names->ncalls && nr < MAX_NR; nr++) {
        const char *name = spec.names->call(nr);
        if (name && strcmp(name, word) == 0)
            return (long)nr;
    }
    return -1;
}

/* One word of the spec; false if it means nothing. */
static bool spec_word(const char *w, bool *named)
{
    bool neg = *w == '!';
    if (neg)
        w++;
    if (strcmp(w, "all") == 0 || strcmp(w, "1") == 0)
        return true;
    if (strcmp(w, "follow") == 0 || strcmp(w, "summary") == 0 || strcmp(w, "quiet") == 0) {
        *(w[0] == 'f' ? &spec.follow : w[0] == 's' ? &spec.summary : &spec.quiet) = true;
        return true;
    }
    if (strcmp(w, "faults") == 0) {
        spec.faults = neg ? FAULTS_NONE : FAULTS_ALL;
        return true;
    }
    if (strncmp(w, "pid=", 4) == 0) {
        spec.any_pid = false;
        set_flag(tr->pids, strtoul(w + 4, NULL, 10), MAX_PIDS, true);
        return true;
    }
    long nr = call_number(w);
    if (nr < 0 || nr >= MAX_NR)
        return false;
    if (!neg && !*named) /* the first call named: only the named ones */
        memset(spec.calls, 0, sizeof spec.calls), spec.faults = spec.faults == FAULTS_ALL ? FAULTS_ALL : FAULTS_NONE;
    *named = *named || !neg;
    set_flag(spec.calls, (uint64_t)nr, MAX_NR, !neg);
    return true;
}

bool trace_init(const char *name, const char *cmdline, const struct trace_names *names)
{
    char key[40], words[256];
    snprintf(key, sizeof key, "%s.trace=", name);
    const char *s = strstr(cmdline, key);
    if (!s || (s != cmdline && s[-1] != ' '))
        return false;
    s += strlen(key);
    size_t n = strcspn(s, " ");
    snprintf(words, sizeof words, "%.*s", (int)n, s);
    if (!(tr = calloc(1, sizeof *tr))) {
        printf("%s: trace: no memory for the tracer; not tracing\n", name);
        return false;
    }
    spec.names = names;
    spec.any_pid = true, spec.faults = FAULTS_SIGNALS;
    memset(spec.calls, 0xff, sizeof spec.calls);
    bool named = false;
    for (char *w = strtok(words, ","); w; w = strtok(NULL, ","))
        if (!spec_word(w, &named))
            printf("%s: trace: \"%s\" is not a call or a word of the spec; ignored\n", name, w);
    trace_on = true;
    return true;
}

bool trace_pid_traced(int pid) { return spec.any_pid || flag(tr->pids, (uint64_t)pid, MAX_PIDS); }

void trace_fork(int parent, int child)
{
    if (trace_on && !spec.any_pid && spec.follow && trace_pid_traced(parent))
        set_flag(tr->pids, (uint64_t)child, MAX_PIDS, true);
}

static void flush(void)
{
    fwrite(tr->out, 1, tr->out_len, stdout);
    fflush(stdout);
    tr->out_len = 0;
}

static void __attribute__((format(printf, 1, 2))) emit(const char *fmt, ...)
{
    va_list ap;
    if (tr->out_len > sizeof tr->out - 1024) /* rare: a process with many threads ended */
        flush();
    va_start(ap, fmt);
    int n = vsnprintf(tr->out + tr->out_len, sizeof tr->out - tr->out_len, fmt, ap);
    va_end(ap);
    tr->out_len += n < 0 ? 0 : (size_t)n < sizeof tr->out - tr->out_len ? (size_t)n : sizeof tr->out - tr->out_len - 1;
}

/* The time printing takes is the tracer's, not the call's: a reply that
 * waited in the personality's outbox meanwhile (sent with the next
 * receive) had it in its way back (finish takes it out). */
void trace_idle(void)
{
    if (tr->out_len) {
        uint64_t t0 = persona_rdtsc();
        flush();
        uint64_t t1 = persona_rdtsc();
        for (int i = 0; i < MAX_CALLS; i++)
            if (tr->calls[i].pid && tr->calls[i].replied && !tr->calls[i].t_flush[0])
                tr->calls[i].t_flush[0] = t0, tr->calls[i].t_flush[1] = t1;
    }
    trace_t_idle = persona_rdtsc();
}

static uint64_t since(uint64_t later, uint64_t earlier) { return later > earlier ? later - earlier : 0; }

/* Prints a record, with the time it went back to user mode (0: unknown),
 * counts it, and frees it. */
static void finish(struct trace_call *c, uint64_t resumed)
{
    uint64_t from = c->t_idle > c->t_trap ? c->t_idle : c->t_trap;
    uint64_t end = resumed ? resumed : c->replied ? c->t_reply : persona_rdtsc();
    /* the tracer printed after the reply, before the thread went on */
    uint64_t printing = c->t_flush[0] && resumed > c->t_flush[1] ? c->t_flush[1] - c->t_flush[0] : 0;
    uint64_t total = since(end, c->t_trap + printing);
    uint64_t kernel = since(c->t_recv, from) + (resumed && c->replied ? since(resumed, c->t_reply + printing) : 0);
    uint64_t server = since(c->t_handled ? c->t_handled : end, c->t_recv);
    uint64_t wait = since(total, kernel + server);
    /* a page fault the personality resolved is the usual demand paging:
     * shown with "faults" only */
    bool routine = c->exception && c->action == PICO_RESUME_UNCHANGED && c->nr == 14;
    if (!spec.quiet && (!routine || spec.faults == FAULTS_ALL)) {
        char line[800];
        int n = snprintf(line, sizeof line, "[pid %d] %s", c->pid, c->name);
        for (int i = 0; i < c->nargs && n < (int)sizeof line; i++)
            n += snprintf(line + n, sizeof line - n, "%s%s", i ? ", " : "(", c->arg[i]);
        if (c->nargs >= 0 && n < (int)sizeof line)
            n += snprintf(line + n, sizeof line - n, c->nargs ? ")" : "()");
        emit("%.*s%s <%lu ticks: kernel %lu, server %lu, wait %lu>\n", n, line, c->replied ? c->outcome : c->exception ? "" : " = ?",
             (unsigned long)total, (unsigned long)kernel, (unsigned long)server, (unsigned long)wait);
    }
    struct cost *k = c->exception ? (c->nr < 32 ? &tr->by_vector[c->nr] : NULL)
                                  : (c->nr < MAX_NR ? &tr->by_call[c->nr] : NULL);
    if (k) {
        k->calls++, k->total += total, k->kernel += kernel, k->server += server, k->wait += wait;
        k->errors += !c->exception && c->has_result && c->result < 0 && c->result > -4096;
    }
    if (handling == c)
        handling = NULL;
    c->thread = 0, c->pid = 0, c->group = 0, c->token = 0;
}

struct trace_call *trace_enter(uint64_t thread, int pid, int group, uint64_t token, uint64_t kind, uint64_t nr,
                               const uint64_t *args, const struct pico_trap *t)
{
    struct trace_call *free_slot = NULL;
    for (int i = 0; i < MAX_CALLS; i++) {
        if (tr->calls[i].pid && tr->calls[i].thread == thread)
            finish(&tr->calls[i], t->resumed);
        if (!tr->calls[i].pid && !free_slot)
            free_slot = &tr->calls[i];
    }
    bool exception = kind != PICO_SYSCALL && kind != PICO_SYSCALL32;
    if (!free_slot || !trace_pid_traced(group) || (exception ? spec.faults == FAULTS_NONE : !flag(spec.calls, nr, MAX_NR)))
        return NULL;
    struct trace_call *c = free_slot;
    *c = (struct trace_call){.thread = thread, .token = token, .pid = pid, .group = group, .exception = exception,
                             .nr = exception ? kind : nr, .t_trap = t->tsc, .t_idle = trace_t_idle,
                             .t_recv = persona_rdtsc()};
    if (args)
        memcpy(c->args, args, sizeof c->args);
    handling = c;
    return c;
}

void trace_handled(void)
{
    if (handling && !handling->t_handled)
        handling->t_handled = persona_rdtsc();
    handling = NULL;
}

static struct trace_call *unreplied(uint64_t token)
{
    for (int i = 0; i < MAX_CALLS; i++)
        if (tr->calls[i].pid && tr->calls[i].token == token && !tr->calls[i].replied)
            return &tr->calls[i];
    return NULL;
}

void trace_result(uint64_t token, int64_t result)
{
    struct trace_call *c = unreplied(token);
    if (c)
        c->result = result, c->has_result = true;
}

struct trace_call *trace_reply(uint64_t token, uint64_t action, uint64_t value)
{
    struct trace_call *c = unreplied(token);
    if (!c)
        return NULL;
    c->replied = true;
    c->action = action;
    if (action == PICO_RESUME && !c->has_result)
        c->result = (int64_t)value, c->has_result = true;
    c->t_reply = persona_rdtsc();
    if (!c->t_handled)
        c->t_handled = handling == c ? c->t_reply : 0;
    return c;
}

void trace_end(int pid, const char *how)
{
    if (!trace_on)
        return;
    for (int i = 0; i < MAX_CALLS; i++)
        if (tr->calls[i].pid && (tr->calls[i].pid == pid || tr->calls[i].group == pid))
            finish(&tr->calls[i], 0);
    if (how && trace_pid_traced(pid) && !spec.quiet)
        emit("[pid %d] +++ %s +++\n", pid, how);
}

static int by_total(const void *a, const void *b)
{
    const struct cost *x = *(const struct cost *const *)a, *y = *(const struct cost *const *)b;
    return x->total < y->total ? 1 : x->total > y->total ? -1 : 0;
}

void trace_summary(void)
{
    if (!trace_on)
        return;
    flush();
    if (!spec.summary)
        return;
    const struct cost **rows = tr->rows;
    struct cost sum = {0};
    int n = 0;
    for (int i = 0; i < MAX_NR + 32; i++) {
        const struct cost *k = i < MAX_NR ? &tr->by_call[i] : &tr->by_vector[i - MAX_NR];
        if (k->calls)
            rows[n++] = k;
    }
    qsort(rows, (size_t)n, sizeof rows[0], by_total);
    printf("%% total     ticks  ticks/call  kernel/call  server/call  wait/call    calls  errors  call\n");
    printf("------- ---------- ---------- ------------ ------------ ---------- -------- -------  ----------------\n");
    for (int i = 0; i < n; i++)
        sum.total += rows[i]->total, sum.calls += rows[i]->calls, sum.errors += rows[i]->errors;
    for (int i = 0; i < n; i++) {
        const struct cost *k = rows[i];
        long idx = k - tr->by_call;
        const char *call = idx >= 0 && idx < MAX_NR ? spec.names->call((uint64_t)idx) : NULL;
        char name[40];
        if (call)
            snprintf(name, sizeof name, "%s", call);
        else if (idx >= 0 && idx < MAX_NR) /* a number the personality has no name for */
            snprintf(name, sizeof name, "%ld", idx);
        else
            snprintf(name, sizeof name, "%.3s", persona_exception_name((uint64_t)(k - tr->by_vector)));
        uint64_t hundredths = sum.total ? k->total * 10000 / sum.total : 0;
        printf("%3lu.%02lu %11lu %10lu %12lu %12lu %10lu %8lu %7lu  %s\n",
               (unsigned long)(hundredths / 100), (unsigned long)(hundredths % 100), (unsigned long)k->total,
               (unsigned long)(k->total / k->calls), (unsigned long)(k->kernel / k->calls),
               (unsigned long)(k->server / k->calls), (unsigned long)(k->wait / k->calls), (unsigned long)k->calls,
               (unsigned long)k->errors, name);
    }
    printf("------- ---------- ---------- ------------ ------------ ---------- -------- -------  ----------------\n");
    printf("100.00 %11lu %10lu %12s %12s %10s %8lu %7lu  total\n", (unsigned long)sum.total,
           (unsigned long)(sum.calls ? sum.total / sum.calls : 0), "", "", "", (unsigned long)sum.calls,
           (unsigned long)sum.errors);
}
