# Debian's python3 on a pseudo-terminal (pty.fork: /dev/ptmx, a new
# session with the slave as its controlling terminal): the shell it runs
# sees a terminal, its echo and output come back through the master with
# ONLCR, a size set on the master reaches it, echo can be turned off, and
# ^C ends its foreground.  Each input is typed once the shell has printed
# the line before it: typed at a fixed time, it could come before the
# child's set-up on a loaded host (a ^C before the child had its
# controlling terminal was plain input, and sleep ran to its end).
cat > ptys.py <<'PY'
import fcntl, os, pty, re, struct, termios

def run(script, after, typed):
    pid, fd = pty.fork()
    if pid == 0:
        os.execv("/bin/sh", ["sh", "-c", script])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 33, 101, 0, 0))
    out = b""
    while after not in out:  # the shell has printed what comes before the input
        out += os.read(fd, 1024)
    os.write(fd, typed)
    while True:
        try:
            data = os.read(fd, 1024)
        except OSError:  # EIO: the slave is closed
            break
        if not data:
            break
        out += data
    status = os.waitpid(pid, 0)[1]
    print(re.sub(rb"/dev/pts/[0-9]+", b"/dev/pts/N", out), os.WIFSIGNALED(status) and os.WTERMSIG(status))

run("tty; test -t 0 && echo a terminal; stty size; read x; echo got $x", b"33 101\r\n", b"typed\n")
run("stty -echo; echo ready; read x; echo silent $x", b"ready\r\n", b"secret\n")
run("echo waiting; exec sleep 5", b"waiting\r\n", b"\x03")
PY
python3 ptys.py
