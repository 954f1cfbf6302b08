/*
 * personalities/linux/uapi_tty.h - the Linux ABI of terminals and of the
 * ioctls every file takes: termios flags and control characters, the
 * terminal and pseudo-terminal ioctls, and the kernel's struct termios.
 * Part of uapi.h, which includes it (the same rules: Linux's names and
 * values, checked by scripts/check-uapi.py).
 *
 * Entry points: none; names and structs only.  Layer: the bottom.  Book:
 * docs/linux.md, "The terminal".
 */
#ifndef LINUX_UAPI_TTY_H
#define LINUX_UAPI_TTY_H
#include <stdint.h>

/* ---- the terminal (asm-generic/termbits.h, ioctls.h) ---- */
#define INLCR 0000100 /* c_iflag */
#define IGNCR 0000200
#define ICRNL 0000400
#define IXON 0002000
#define OPOST 0000001 /* c_oflag */
#define ONLCR 0000004
#define B38400 0000017 /* c_cflag */
#define CS8 0000060
#define CREAD 0000200
#define ISIG 0000001 /* c_lflag */
#define ICANON 0000002
#define ECHO 0000010
#define ECHOE 0000020
#define ECHOK 0000040
#define ECHONL 0000100
#define TOSTOP 0000400
#define ECHOCTL 0001000
#define ECHOKE 0004000
#define IEXTEN 0100000
enum { VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSUSP = 10 }; /* c_cc */
#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TCGETA 0x5405 /* the old struct termio's (below): get, set, set after the output drains, set and flush */
#define TCSETA 0x5406
#define TCSETAW 0x5407
#define TCSETAF 0x5408
#define TIOCSCTTY 0x540E
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541B
#define TCSBRK 0x5409
#define TCXONC 0x540A
#define TCFLSH 0x540B
#define TIOCOUTQ 0x5411
#define TIOCNOTTY 0x5422
#define TIOCGSID 0x5429
#define TIOCGPTN 0x80045430
#define TIOCSPTLCK 0x40045431
#define TIOCGPTPEER 0x5441
#define FIONBIO 0x5421 /* do_vfs_ioctl's, for every file */
#define FIONCLEX 0x5450
#define FIOCLEX 0x5451

/* The kernel's struct termios (asm-generic/termbits.h), which TCGETS uses. */
struct ktermios {
    uint32_t iflag, oflag, cflag, lflag;
    uint8_t line, cc[19];
} __attribute__((packed));
_Static_assert(sizeof(struct ktermios) == 36, "the kernel's struct termios");

/* The old struct termio (asm-generic/termios.h): the flags' low 16 bits,
 * the line discipline and the first 8 control characters; 17 bytes are
 * its fields (the 18th is padding, which Linux never writes). */
struct ktermio {
    uint16_t iflag, oflag, cflag, lflag;
    uint8_t line, cc[8];
} __attribute__((packed));
_Static_assert(sizeof(struct ktermio) == 17, "struct termio's fields");

#endif
