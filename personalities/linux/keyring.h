/*
 * personalities/linux/keyring.h - the keyrings a thread has, as Linux
 * keeps them in its credentials: its own thread keyring, its process's
 * (on the leader), its session keyring, and the default keyring
 * request_key links into.  0 is none.  A process keyring is its
 * leader's (threads share it).
 *
 * Entry points: keyring_fork (fork.c), keyring_exec (exec.c).  Layer:
 * proc (the state is in struct proc).  Book: docs/linux.md, "Keyrings".
 */
#ifndef LINUX_KEYRING_H
#define LINUX_KEYRING_H
#include <stdint.h>

struct keyrings {
    int32_t thread, process, session;
    int reqkey_default;
};

/* A child's or new thread's keyrings: the session and the default are
 * inherited, a thread keyring never (a new process has no process
 * keyring; a new thread shares its leader's). */
static inline void keyring_fork(struct keyrings *child, const struct keyrings *p)
{
    *child = (struct keyrings){0, 0, p->session, p->reqkey_default};
}
/* execve drops the thread and process keyrings. */
static inline void keyring_exec(struct keyrings *k) { k->thread = k->process = 0; }

#endif
