/*
 * personalities/linux/tty.c - the console as Linux programs see it: output
 * goes to the console server named by "tty=NAME" on the personality's
 * command line (default: the system console).  Input and the line
 * discipline come with job control.
 */
#include "linux.h"
#include <persona/console.h>
#include <stdio.h>
#include <string.h>

static int tty_ep = -1;

void tty_init(const char *name)
{
    tty_ep = persona_endpoint(name);
    if (tty_ep < 0)
        tty_ep = persona_endpoint("console");
}

void tty_write(const char *buf, size_t n)
{
    char *b = ipc_buf();
    for (size_t done = 0; done < n;) {
        size_t k = n - done < IPC_BUFFER_SIZE ? n - done : IPC_BUFFER_SIZE;
        struct ipc_msg m = {{CONSOLE_WRITE}};
        memcpy(b, buf + done, k);
        if (tty_ep < 0 || ipc_call(tty_ep, &m, k, NULL) < 0)
            return;
        done += k;
    }
}
