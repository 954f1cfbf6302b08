# Debian's strace over this personality's ptrace: the calls of a shell
# (PTRACE_SEIZE, TRACESYSGOOD, PTRACE_GET_SYSCALL_INFO, the arguments read
# from its memory), following its children with -f (PTRACE_O_TRACEFORK
# and its kin, the exec event, a child killed by a signal), a summary
# with -c, and a failure injected at a call's entry.  What carries pids,
# addresses or times is cut to what is stable, and what the dynamic loader
# and bash open at their start is left out (/dev/tty depends on a terminal).
set -u
echo data > file
strace -o log -e trace=openat,write,exit_group sh -c 'echo hi > /dev/null; cat file'
echo "strace: $?"
grep -v -e '\.so' -e ld.so.cache -e /dev/tty -e locale log
strace -f -o log -e trace=execve,write,exit_group,kill -e signal=none \
    sh -c '/bin/echo one; (echo two; exit 3); echo three; /bin/sh -c "kill -TERM \$\$"; echo four'
echo "strace -f: $?"
sed -E 's/^[0-9]+ +//; s/0x[0-9a-f]+/ADDR/g; s/kill\([0-9]+,/kill(PID,/' log | sort
strace -c -o log -e trace=write,getpid sh -c 'echo a; echo b'
mawk '$NF == "write" || $NF == "total" { print $4, $NF }' log
strace -qq -e trace=unlinkat -e inject=unlinkat:error=EPERM rm file
echo "rm: $?"
ls file
# strace -p: attached (PTRACE_SEIZE, PTRACE_INTERRUPT) to a shell blocked
# opening a FIFO, whose call starts again; /proc's TracerPid tells when.
mkfifo fifo
sh -c 'read x < fifo; echo "got $x"; exit 7' & p=$!
strace -q -o log -e trace=read,write,exit_group -p $p & s=$!
until grep -q 'TracerPid:[[:space:]]*[1-9]' /proc/$p/status 2>/dev/null; do sleep 0.1; done
echo hello > fifo
wait $p; echo "traced: $?"
wait $s; echo "strace -p: $?"
cat log
