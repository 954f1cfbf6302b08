# Debian's gdb over this personality's ptrace: a breakpoint on libc's
# write in Debian's echo (int3 written into the program's text, the
# dynamic loader's breakpoint on the way, the registers and memory of the
# stop), then the rest of the run.  Addresses and pids are cut, and gdb's
# warnings left out (/proc/PID/task/TID/maps is missing here).
set -u
gdb -q -batch -ex 'set breakpoint pending on' -ex 'break write' -ex run -ex 'bt 1' -ex 'info registers rdi rdx' -ex 'x/s $rsi' -ex continue \
    --args /bin/echo hello 2>&1 | grep -v -e '^warning' -e 'libthread_db' |
    sed -E 's/0x[0-9a-f]+/ADDR/g; s/process [0-9]+/process PID/'
echo "gdb: $?"
