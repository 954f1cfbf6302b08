/*
 * libc/include/persona/console.h - the console server's protocol.
 *   CONSOLE_WRITE: the bulk bytes are written; reply w0 = bytes written.
 *   CONSOLE_READ:  w1 = most bytes wanted; the reply comes when input is
 *                  there: w0 = bytes, the bytes in the bulk buffer.
 * Input is line-buffered and echoed by the server (a cooked terminal).
 */
#ifndef PERSONA_CONSOLE_H
#define PERSONA_CONSOLE_H

#define CONSOLE_WRITE 1
#define CONSOLE_READ 2

#endif
