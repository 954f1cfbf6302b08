#!/bin/bash
# tests/bench/debian.sh - Debian's own userland as a workload, run as init
# with Debian's dynamic bash on Persona (persona-run --root) and on Linux
# (rdinit=), from the same tree (tests/bench/run.py, `make bench`):
#   shells   ten idle bash processes (each waiting to open a FIFO): what
#            they cost in free memory (MemFree before and after) and the
#            sum of their VmRSS, in KiB;
#   shell1   the same for one idle bash;
#   lifetimes  free memory before and after 10,000 processes have come
#            and gone (fork, exec of /bench/tiny, exit, wait), in KiB: what
#            the system keeps of a process once it is gone;
#   op ...   ticks per fork + execve + wait of Debian's dynamic programs.
# Its lines go to the console; on Linux it powers the machine off.
[ -r /proc/meminfo ] || mount -t proc proc /proc
memfree() { while read -r k v _; do [ "$k" = MemFree: ] && echo "$v"; done < /proc/meminfo; }
rss() { while read -r k v _; do [ "$k" = VmRSS: ] && echo "$v"; done < "/proc/$1/status"; }
mkfifo /tmp/idle
sleep 1
before=$(memfree)
bash -c 'read -r x < /tmp/idle' &
one=$!
sleep 2
after=$(memfree)
echo "shell1 free_kib $((before - after)) rss_kib $(rss $one)"
echo > /tmp/idle
wait
sleep 1
before=$(memfree)
pids=()
for i in 1 2 3 4 5 6 7 8 9 10; do
    bash -c 'read -r x < /tmp/idle' &
    pids+=($!)
done
sleep 2
after=$(memfree)
total=0
for p in "${pids[@]}"; do total=$((total + $(rss "$p"))); done
echo "shells free_kib $((before - after)) rss_kib $total"
echo > /tmp/idle
wait
before=$(memfree)
/bench/bench exec 10000 lifetimes /bench/tiny > /dev/null
sleep 1
echo "lifetimes free_kib_before $before after $(memfree)"
/bench/bench exec 20 dyn_true /bin/true
/bench/bench exec 20 dyn_bash /bin/bash -c :
/bench/bench exec 3 dyn_python3 /usr/bin/python3 -c pass
echo "debian done"
[ $$ = 1 ] && /bench/bench poweroff
exit 0
