# Debian's python3 on a pseudo-terminal (pty.fork: /dev/ptmx, a new
# session with the slave as its controlling terminal): the shell it runs
# sees a terminal, its echo and output come back through the master with
# ONLCR, a size set on the master reaches it, echo can be turned off, and
# ^C ends its foreground.  Each input is typed a second after the fork,
# once the shell has printed what comes before it: typed at once, its echo
# and the shell's first lines came in either order on the host.
cat > ptys.py <<'PY'
import fcntl, os, pty, re, struct, termios, time

def run(script, typed):
    pid, fd = pty.fork()
    if pid == 0:
        os.execv("/bin/sh", ["sh", "-c", script])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 33, 101, 0, 0))
    time.sleep(1)  # the shell has printed what comes before the input
    os.write(fd, typed)
    out = b""
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

run("tty; test -t 0 && echo a terminal; stty size; read x; echo got $x", b"typed\n")
run("stty -echo; echo ready; read x; echo silent $x", b"secret\n")
run("echo waiting; exec sleep 5", b"\x03")
PY
python3 ptys.py
