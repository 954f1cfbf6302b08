# Debian's ss (iproute2) lists TCP listeners (IPv4 and IPv6), a bound UDP
# socket and named AF_UNIX listeners of this case's own, through
# NETLINK_SOCK_DIAG: a listener's queues are its connections waiting and
# its backlog.  Only this case's own sockets are printed (the host has
# others), the AF_UNIX ones sorted (Linux dumps them in its hash order).
python3 -c '
import socket, time
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("127.0.0.1", 47141)); t.listen(5)
c = socket.create_connection(("127.0.0.1", 47141))
t6 = socket.socket(socket.AF_INET6); t6.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t6.bind(("::1", 47143)); t6.listen(7)
d = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); d.bind(("127.0.0.1", 47142))
u = socket.socket(socket.AF_UNIX); u.bind("ss-stream.sock"); u.listen(1)
q = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); q.bind("\0ss-seqpacket"); q.listen(3)
open("ready", "w").close()
time.sleep(3)
' & p=$!
while [ ! -e ready ]; do sleep 0.1; done
ss -ltn | head -1
ss -ltn | grep -e ':47141 ' -e ':47143 '
ss -lun | grep ':47142 '
ss -l -x | head -1 | tr -s ' '
ss -l -x | grep -e ss-stream -e ss-seqpacket | tr -s ' ' | cut -d' ' -f1-5 | sort
echo "ss: $?"
wait $p
