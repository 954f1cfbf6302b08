# Debian's ping (iputils) to 127.0.0.1, 127.0.0.2 and ::1 as root: with Linux's
# default ping_group_range no ping socket is let in, and ping falls back
# to raw ICMP sockets (ICMP_FILTER, a socket filter on its echo id) and
# prints the stack's echo replies.  Times and the statistics' last line
# differ from run to run: the rest is compared.
ping -c 2 -i 0.2 127.0.0.1 2>&1 | sed -e 's/time=[0-9.]* ms/time=T ms/' -e 's/, time [0-9]*ms//' -e '/^rtt /d'
echo "status $?"
ping -c 1 -W 1 127.0.0.2 2>&1 | sed -e 's/time=[0-9.]* ms/time=T ms/' -e 's/, time [0-9]*ms//' -e '/^rtt /d'
ping -6 -c 1 ::1 2>&1 | sed -e 's/time=[0-9.]* ms/time=T ms/' -e 's/, time [0-9]*ms//' -e '/^rtt /d'
ping -c 1 -s 1000 127.0.0.1 2>&1 | sed -e 's/time=[0-9.]* ms/time=T ms/' -e 's/, time [0-9]*ms//' -e '/^rtt /d'
