# tests/linux/i386/mixed.bash - job control across the ABIs: the 64-bit
# bash stops, lists, continues, kills and waits for a 32-bit job, and the
# 32-bit bash (/opt/i386/bin/bash) does the same with a 64-bit one, each
# job in a process group of its own; pipes and command substitution
# between the two bashes.  (bash's own job notices, which come when it
# happens to reap, go to /dev/null.)
exec 2>/dev/null
set -m
/opt/i386/bin/busybox sleep 10 &
p=$!
kill -STOP $p
until jobs -l | grep -q Stopped; do sleep 0.05; done
jobs -l | sed "s/ *$p / PID /"
echo "own group: $([ "$(cut -d' ' -f5 /proc/$p/stat)" = $p ] && echo yes || echo no)"
kill -CONT %1
kill %1
wait $p; echo "32-bit job: status $?"
/opt/i386/bin/bash -c '
exec 2>/dev/null
set -m
/bin/busybox sleep 10 &
p=$!
kill -STOP $p
until jobs -l | grep -q Stopped; do sleep 0.05; done
jobs -l | sed "s/ *$p / PID /"
echo "own group: $([ "$(cut -d" " -f5 /proc/$p/stat)" = $p ] && echo yes || echo no)"
kill -CONT %1; kill %1
wait $p; echo "64-bit job in 32-bit bash: status $?"
echo "bash ${BASH_VERSINFO[0]} on $(uname -m), built for $MACHTYPE"
'
echo "one two" | /opt/i386/bin/bash -c 'read a b; echo "$b $a"' | /bin/bash -c 'read x; echo "64 read: $x"'
/opt/i386/bin/bash -c 'f() { echo "in 32: $1"; }; f "$(/bin/bash -c "echo from 64")"'
