# Debian's util-linux unshare and nsenter with UTS and IPC namespaces, as
# users run them: `unshare -u` names a host of its own that the rest do
# not see, `unshare -i` starts with no System V objects (ipcmk, ipcs),
# and nsenter -u joins a running namespace by its /proc/<pid>/ns file.
# The case's own names only: the machine's are not printed.
set -u
outer=$(uname -n)
unshare -u sh -c 'echo inner > /proc/sys/kernel/hostname; uname -n; cat /proc/sys/kernel/hostname'
[ "$(uname -n)" = "$outer" ] && echo "outer name kept"
a=$(readlink /proc/self/ns/uts); b=$(unshare -u readlink /proc/self/ns/uts)
[ "$a" != "$b" ] && echo "a new uts namespace: ${b%%:*}"
unshare -i sh -c 'ipcs -q | grep -c "^0x"; ipcmk -Q | sed "s/[0-9][0-9]*/N/"; ipcs -q | grep -c "^0x"; ipcmk -M 4096 | sed "s/[0-9][0-9]*/N/"; ipcs -m | grep -c "^0x"'
unshare -u sh -c 'echo background > /proc/sys/kernel/hostname; touch named; sleep 3' & p=$!
while [ ! -e named ]; do sleep 0.1; done
nsenter -t $p -u uname -n
nsenter -t $p -u cat /proc/sys/kernel/hostname
wait $p
unshare -u -i sh -c 'uname -n | grep -c "^$0\$"; readlink /proc/self/ns/ipc | cut -d: -f1' "$outer"
echo "done"
