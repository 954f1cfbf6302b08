/*
 * libc/include/persona/console.h - the console server's protocol.
 *   CONSOLE_WRITE: the bulk bytes are written; reply w0 = bytes written.
 *   CONSOLE_READ:  w1 = most bytes wanted; the reply comes when input is
 *                  there: w0 = bytes, the bytes in the bulk buffer.
 *   CONSOLE_MODE:  w1 = 1 for raw (input bytes handed out as they come,
 *                  nothing echoed, output untouched), 0 for cooked.
 * Cooked input is line-buffered and echoed by the server, with backspace,
 * and output "\n" becomes "\r\n".
 */
#ifndef PERSONA_CONSOLE_H
#define PERSONA_CONSOLE_H

#define CONSOLE_WRITE 1
#define CONSOLE_READ 2
#define CONSOLE_MODE 3

#endif
