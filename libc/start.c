/*
 * libc/start.c - the C start of native programs (called by crt0.S), the
 * environment helpers of persona/ipc.h, and persona_lookup
 * (persona/supervisor.h).
 */
#include <persona/ipc.h>
#include <persona/supervisor.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;
extern int main(int argc, char **argv, char **envp);
extern void (*__preinit_array_start[])(void), (*__preinit_array_end[])(void);
extern void (*__init_array_start[])(void), (*__init_array_end[])(void);

/* Runs the program's constructors (newlib built without init/fini support
 * leaves this to the startup code). */
static void run_constructors(void)
{
    for (void (**f)(void) = __preinit_array_start; f < __preinit_array_end; f++)
        (*f)();
    for (void (**f)(void) = __init_array_start; f < __init_array_end; f++)
        (*f)();
}

void __persona_start(long *sp)
{
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    environ = argv + argc + 1;
    run_constructors();
    exit(main(argc, argv, environ));
}

static long env_number(const char *key)
{
    const char *v = getenv(key);
    return v ? strtol(v, NULL, 0) : -1;
}

int persona_endpoint(const char *name)
{
    char key[64] = "PERSONA_EP_";
    strncat(key, name, sizeof key - strlen(key) - 1);
    return (int)env_number(key);
}

int persona_device(void) { return (int)env_number("PERSONA_DEV"); }

const void *persona_blob(const char *name, size_t *len)
{
    char key[64] = "PERSONA_BLOB_";
    strncat(key, name, sizeof key - strlen(key) - 1);
    const char *v = getenv(key);
    if (!v)
        return NULL;
    char *end;
    unsigned long addr = strtoul(v, &end, 0);
    *len = *end == ':' ? strtoul(end + 1, NULL, 0) : 0;
    return (const void *)addr;
}

void *ipc_buf(void)
{
    static char buf[IPC_BUFFER_SIZE] __attribute__((aligned(4096)));
    static int registered;
    if (!registered)
        registered = sys_ipc_buffer((uint64_t)buf) == 0 ? 1 : -1;
    return registered > 0 ? buf : NULL;
}

long persona_lookup(const char *name)
{
    int init = persona_endpoint("init");
    size_t len = strlen(name);
    if (init < 0)
        return -9; /* EBADF */
    if (len > INIT_NAME_MAX)
        return -2; /* ENOENT: no endpoint has so long a name */
    struct ipc_msg m = {{INIT_LOOKUP}};
    memcpy(&m.w[1], name, len);
    long r = ipc_call(init, &m, 0, NULL);
    return r < 0 ? r : (long)m.w[0];
}
