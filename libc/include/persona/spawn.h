/*
 * libc/include/persona/spawn.h - the personality protocol: the IPC
 * messages by which one personality (the caller) asks another (the
 * target) to run a program of the target's kind, and relays its standard
 * streams.  Book: docs/personality-protocol.md.
 *
 * A target serves these on the endpoint it is named by (init's serve=
 * word; a caller gets a send handle with use=, or from init's lookup).
 * The caller names each program it starts by a job number of its own;
 * the target tells jobs apart by (the caller's badge, job).  Every request
 * is answered at once, except SPAWN_NEXT, which waits for an event: so a
 * target never calls its callers, and a one-thread target cannot
 * deadlock with them.
 *
 *   SPAWN_LOAD   w1 job, w2 offset, w3 total size; bulk: the program's
 *                bytes from offset.  Sent until the whole file is there.
 *                Reply w0: 0, or -ENOMEM (too big), -EINVAL.
 *   SPAWN_START  w1 job, w2 argc, w3 envc; bulk: argc argument strings,
 *                envc environment strings, then the working directory,
 *                each ending in a NUL.  Reply w0: 0, or -ENOEXEC (not a
 *                program of this personality), -EAGAIN (no room), -EINVAL.
 *   SPAWN_NEXT   Waits until one of the caller's jobs has an event.  A
 *                second SPAWN_NEXT from the same badge takes the place of
 *                the first (answered -EAGAIN): a caller that died and was
 *                started again has the same badge, and must not reuse its
 *                old job numbers.
 *                Reply w0: the event, w1: its job, then
 *                  SPAWN_EV_WRITE  w2 fd, w3 length; bulk: the bytes the
 *                                  program writes to its fd (at most
 *                                  SPAWN_CHUNK)
 *                  SPAWN_EV_READ   w2 fd, w3 the most bytes it wants
 *                  SPAWN_EV_EXIT   w2 the exit status (0-255), w3 the
 *                                  signal that ended it, or 0
 *                After EXIT the job number is free again.
 *   SPAWN_RESULT w1 job, w2 the result of its WRITE or READ: bytes
 *                moved, or -errno; bulk: a READ's bytes.  Reply w0: 0.
 *   SPAWN_SIGNAL w1 job, w2 a Linux signal number: the caller's side of
 *                the program got it (Ctrl-C, kill, its relay died).  The
 *                target ends the program as that signal would; its EXIT
 *                event names the signal.  Reply w0: 0.
 *
 * Standard input, output and error (fds 0, 1, 2) are the caller's; the
 * target moves no bytes itself.  A program that stops (a fault) is the
 * target's to report: it may write the report to fd 2 before the EXIT.
 */
#ifndef PERSONA_SPAWN_H
#define PERSONA_SPAWN_H

enum {
    SPAWN_LOAD = 0x5350, /* "SP", out of the way of other protocols' w0 */
    SPAWN_START,
    SPAWN_NEXT,
    SPAWN_RESULT,
    SPAWN_SIGNAL,
};

enum { SPAWN_EV_WRITE = 1, SPAWN_EV_READ, SPAWN_EV_EXIT };

#define SPAWN_CHUNK 4096 /* the most bytes one message carries (the IPC buffer) */

/*
 * An ELF program of another personality carries a note naming it, in a
 * PT_NOTE segment: name "Persona", type SPAWN_NOTE_TYPE, and the
 * personality's endpoint name as its descriptor (NUL-terminated).
 * Programs add it with SPAWN_NOTE("hello") in one of their C files.
 */
#define SPAWN_NOTE_NAME "Persona"
#define SPAWN_NOTE_TYPE 0x50455253u /* "PERS" */
#define SPAWN_NOTE(personality)                                                                                        \
    __asm__(".pushsection .note.persona, \"a\", @note\n"                                                               \
            ".balign 4\n"                                                                                              \
            ".long 8, 2f - 1f, 0x50455253\n"                                                                           \
            ".asciz \"Persona\"\n"                                                                                     \
            "1: .asciz \"" personality "\"\n"                                                                          \
            "2: .balign 4\n"                                                                                           \
            ".popsection\n")

#endif
