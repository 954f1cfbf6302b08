# TCP over the loopback with busybox nc: a listener and a client, the name localhost
# (from /etc/hosts), and a refused connection; netstat; httpd and wget.
# A listener's stdin stays open (sleep's pipe): busybox nc quits as soon as it has
# accepted when its stdin is at its end (a background job's /dev/null), so it could
# end before the client's line came, with both sides exiting 0.  The ports lie
# below Linux's ephemeral range (32768-60999), which other tests' connections use.
sleep 3 | nc -l -p 17123 > got.txt & l=$!
sleep 0.3
echo "hello over tcp" | nc 127.0.0.1 17123; echo "client $?"
wait $l; echo "server $?"; cat got.txt
# (the client closes first: the server's port is not left in TIME_WAIT on the host)
sleep 3 | nc -l -p 17124 > got2.txt & l=$!
sleep 0.3
echo "via localhost" | nc localhost 17124; echo "client $?"
wait $l; echo "server $?"; cat got2.txt
nc 127.0.0.1 17125 < /dev/null; echo "refused $?"
# netstat reads /proc/net: the listener is there
sleep 3 | nc -l -p 17126 > /dev/null & l=$!
sleep 0.3
netstat -tln | grep 17126
netstat -tn 2>/dev/null | head -2
echo x | nc 127.0.0.1 17126
wait $l; echo "server $?"
# busybox httpd serves a file over the loopback, and wget fetches it (and a 404).
mkdir www; echo "hello from httpd" > www/index.html
httpd -f -p 127.0.0.1:17131 -h www & h=$!
sleep 0.3
wget -q -O - http://127.0.0.1:17131/index.html
wget -q -O - http://localhost:17131/nothing.html; echo "missing: $?"
kill $h; wait $h 2>/dev/null; echo "httpd stopped"
# ifconfig: lo as the interface ioctls and /proc/net/dev and if_inet6 show it (not its counters:
# the host's lo carries traffic)
ifconfig lo | grep -v -e packets -e bytes
