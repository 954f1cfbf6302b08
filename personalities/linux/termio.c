/*
 * personalities/linux/termio.c - the old struct termio of TCGETA and
 * TCSETA(W/F), as Linux's kernel_termios_to_user_termio and
 * user_termio_to_kernel_termios convert it: the low 16 bits of each flag
 * word, the line discipline and the first 8 control characters.
 *
 * Entry points: termio_out, termio_in (tty.h).  Callers: tty.c's ioctl.
 * Layer: a file type's helper, above file.h.  Book: docs/linux.md, "The
 * terminal".
 */
#include "proc.h"
#include "tty.h"
#include <string.h>

int termio_out(struct proc *p, const struct ktermios *k, uint64_t arg)
{
    struct ktermio o = {(uint16_t)k->iflag, (uint16_t)k->oflag, (uint16_t)k->cflag, (uint16_t)k->lflag, k->line, {0}};
    memcpy(o.cc, k->cc, sizeof o.cc);
    return mem_out(p, arg, &o, sizeof o) < 0 ? -LINUX_EFAULT : 0;
}

int termio_in(struct proc *p, struct ktermios *k, uint64_t arg)
{
    struct ktermio o;
    if (mem_in(p, &o, arg, sizeof o) < 0)
        return -LINUX_EFAULT;
    k->iflag = (k->iflag & 0xffff0000u) | o.iflag, k->oflag = (k->oflag & 0xffff0000u) | o.oflag;
    k->cflag = (k->cflag & 0xffff0000u) | o.cflag, k->lflag = (k->lflag & 0xffff0000u) | o.lflag;
    k->line = o.line;
    memcpy(k->cc, o.cc, sizeof o.cc);
    return 0;
}
