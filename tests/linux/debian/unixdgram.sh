# Debian's python3 with AF_UNIX datagram and seqpacket sockets: socket.socketpair
# of each kind keeps message boundaries, send_fds/recv_fds pass a descriptor,
# a named datagram socket takes sendto and says who sent, SO_PASSCRED gives the
# sender's credentials, and a seqpacket listener accepts.
cat > prog.py <<'PY'
import os, socket, struct

for kind in (socket.SOCK_DGRAM, socket.SOCK_SEQPACKET):
    a, b = socket.socketpair(socket.AF_UNIX, kind)
    a.send(b"one"); a.send(b"two!"); a.send(b"")
    print(kind, [b.recv(16) for _ in range(3)], b.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE))
    r, w = os.pipe()
    socket.send_fds(a, [b"fd"], [w])
    os.close(w)
    msg, fds, flags, addr = socket.recv_fds(b, 16, 4)
    os.write(fds[0], b"through\n"); os.close(fds[0])
    print(msg, len(fds), os.read(r, 64))
    os.close(r); a.close()
    print("after close:", b.recv(16) if kind == socket.SOCK_SEQPACKET else "dgram")
    b.close()

path = "sock-d"
d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); d.bind(path)
e = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); e.bind("\0py-e")
d.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
e.sendto(b"hello", path)
data, anc, flags, addr = d.recvmsg(16, socket.CMSG_SPACE(12))
pid, uid, gid = struct.unpack("iII", anc[0][2])
print(data, addr, anc[0][:2], pid == os.getpid(), uid, gid)
try:
    e.sendto(b"x", "no-such")
except OSError as err:
    print("sendto:", err.strerror)

l = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); l.bind("\0py-seq"); l.listen(1)
c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); c.connect("\0py-seq")
s, _ = l.accept()
c.send(b"record one"); c.send(b"two")
print(s.recv(6), s.recv(16))
print(open("/proc/net/unix").readline().split())
PY
python3 prog.py
