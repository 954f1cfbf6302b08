# tests/linux/i386/mixed.sh - the two ABIs in one process tree: the 64-bit
# busybox shell runs the 32-bit busybox (/opt/i386/bin) in pipelines and
# the other way round; fork and exec cross the ABIs both ways; the working
# directory, the environment, descriptors and redirections, exit statuses
# and signals pass between them unchanged.
B32=/opt/i386/bin/busybox
echo "pipelines"
echo hello world | $B32 tr a-z A-Z | cat
seq 1 100 | $B32 awk '{ s += $1 } END { print s }' | /bin/busybox sed 's/^/sum /'
$B32 sh -c 'seq 3 | /bin/busybox tac | /opt/i386/bin/busybox paste -sd,'
printf 'b\na\nc\n' > list
$B32 sort list | /bin/busybox head -2 | $B32 wc -l
echo "fork and exec"
$B32 sh -c 'exec /bin/busybox echo "exec from 32 to 64"'
sh -c 'exec /opt/i386/bin/busybox echo "exec from 64 to 32"'
$B32 sh -c '/bin/busybox sh -c "/opt/i386/bin/busybox sh -c \"echo three deep\""'
$B32 env -i X=1 /bin/busybox env
echo "working directory and environment"
mkdir -p d/e
cd d
$B32 pwd | sed "s|^$OLDPWD|.|"
$B32 sh -c 'cd e && /bin/busybox pwd' | sed "s|^$OLDPWD|.|"
cd ..
FOO=bar $B32 sh -c 'echo "FOO=$FOO"; FOO=baz /bin/busybox sh -c "echo FOO=\$FOO"'
umask 027
$B32 sh -c 'umask; touch f32'
ls -l f32 | cut -c1-10
echo "descriptors"
exec 3>fd3
$B32 sh -c 'echo "to fd 3 from 32" >&3; /bin/busybox sh -c "echo \"and from 64\" >&3"'
exec 3>&-
cat fd3
$B32 sh -c 'read line; echo "read: $line"' <<EOT
a line
EOT
$B32 sh -c 'echo err >&2' 2>&1 >/dev/null | $B32 sed 's/^/stderr: /'
$B32 sh -c 'exec 4<list; /bin/busybox head -1 <&4; /opt/i386/bin/busybox head -1 <&4'
echo "statuses and signals"
$B32 sh -c 'exit 7'; echo "status $?"
$B32 sh -c 'kill -TERM $$'; echo "status $?"
/bin/busybox sh -c '/opt/i386/bin/busybox sh -c "kill -KILL \$\$"; echo "status from 32 in 64: $?"'
# (each signal once the child has become sleep; the shell's notice of the
# job's end, which comes when it happens to reap it, to /dev/null)
started() { until grep -q sleep /proc/$1/cmdline 2>/dev/null; do :; done; }
$B32 sleep 10 & p=$!
{ started $p; kill -USR1 $p; wait $p; } 2>/dev/null; echo "64 kills 32: status $?"
sleep 10 & p=$!
{ started $p; $B32 kill -USR2 $p; wait $p; } 2>/dev/null; echo "32 kills 64: status $?"
$B32 sh -c 'trap "echo trapped USR1; exit 3" USR1; /bin/busybox kill -USR1 $$; sleep 5'; echo "status $?"
trap 'echo "64 caught HUP"' HUP
$B32 kill -HUP $$
trap - HUP
$B32 sh -c 'trap "" INT; /bin/busybox sh -c "kill -INT \$\$; echo ignored INT survives in 64"'
