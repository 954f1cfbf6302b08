#!/bin/bash
# tests/bench/workloads.sh - whole workloads, run as init with Debian's
# dynamic bash and tools on Persona (persona-run --root) and on Linux
# (rdinit=), from the same tree (tests/bench/run.py, `make bench`).
# Each workload is one `bash -c` timed by /bench/bench (ticks, one run);
# its inputs are made first, untimed, and what it produced is summed after,
# untimed, into a line "out NAME CKSUM" that must be the same on both
# systems.  With the argument "quick" every size is a tenth or less; a
# second argument names the one workload to run.
#   spawn      a script that forks and execs 1,000 short commands
#   targz      tar with gzip of a 10 MB tree, then its extraction
#   sort       sort -n of 1 M lines
#   findstat   find printing each file's size and mode (a stat) over 10,000 files
#   bashwork   a bash script of builtins, command substitutions and subshells
#   grep       grep over 20 MB of text
#   pipeline   five processes in a pipeline moving 50 MB
#   pysys      python3 making 10,000 small system calls
# Its lines go to the console; on Linux it powers the machine off.
[ -r /proc/meminfo ] || mount -t proc proc /proc
k=1
[ "$1" = quick ] && k=10
only=$2 # a workload's name: that one alone timed (run.py --profile-workload)
W=/tmp/w
mkdir -p $W
export LC_ALL=C

# run NAME SCRIPT CHECK: SCRIPT timed (as bash -c, in $W), CHECK's output summed.
run() {
    cd $W || exit 1
    if [ -n "$only" ] && [ "$only" != "$1" ]; then
        :
    elif /bench/bench time "$1" /bin/bash -c "$2"; then
        echo "out $1 $(cd $W && eval "$3" | cksum)"
    else
        echo "fail $1"
    fi
    cd / && rm -rf $W && mkdir -p $W
}

# One untimed run of every program used, so that none pays for first use.
/bin/true; tar --version > /dev/null; gzip --version > /dev/null; sort --version > /dev/null
find --version > /dev/null; grep --version > /dev/null; python3 -c pass

n=$((1000 / k / 4))
run spawn "for ((i = 0; i < $n; i++)); do /bin/true; /bin/echo \$i; expr \$i + 1; basename /a/b\$i; done > out" \
    "cat out"

# the tree: the Python library's sources, in name order, up to 10 MB (1 MB quick)
mkdir -p $W/tree
(cd /usr/lib/python3.11 && find . -name '*.py' -printf '%s %p\n' | sort -k2 |
    mawk -v lim=$((10000000 / k)) '{ if (t < lim) print $2; t += $1 }' > $W/list &&
    tar -cf - -T $W/list | tar -xf - -C $W/tree) && rm $W/list
run targz "tar -czf t.tgz tree && mkdir x && tar -xzf t.tgz -C x" \
    "find x -type f | sort | xargs cat; find x | sort"

mawk -v n=$((1000000 / k)) 'BEGIN { srand(1); for (i = 0; i < n; i++) print int(rand() * 1000000000) }' > $W/in
run sort "sort -n -S 64M --parallel=1 in > out" "cat out"

for ((d = 0; d < 100 / k; d++)); do
    mkdir -p $W/many/d$d
    (cd $W/many/d$d && seq 100 | xargs touch)
done
run findstat "find many -printf '%p %s %m %y %n\n' > out" "sort out"

run bashwork '
s=0 str=
for ((i = 0; i < '$((3000 / k))'; i++)); do
    s=$(( (s * 31 + i) % 1000003 ))
    str="${str:0:40}$i"
    case $i in *7) ((s++)) ;; esac
    [[ $str == *99* ]] && ((s += 2))
    if ((i % 10 == 0)); then x=$(echo $i); s=$((s + x)); fi
    if ((i % 30 == 0)); then (exit 0) && ((s ^= 5)); fi
    printf -v str "%s" "${str//1/a}"
done
echo $s $str > out' "cat out"

find /usr/lib/python3.11 -name '*.py' | sort | xargs cat > $W/text
while [ "$(stat -c %s $W/text)" -lt $((20000000 / k)) ]; do cat $W/text $W/text > $W/t2 && mv $W/t2 $W/text; done
head -c $((20000000 / k)) $W/text > $W/in && rm $W/text
run grep "grep -c 'def [a-z_]*(self' in > out; grep -ci 'return none' in >> out; grep -cE '^(import|from) [a-z]+' in >> out" \
    "cat out"

run pipeline "head -c $((50000000 / k)) /dev/zero | tr '\\0' x | cat | cat | wc -c > out" "cat out"

run pysys "python3 -c '
import os
for i in range($((5000 / k))):
    os.getppid()
    os.stat(\"/\")
print(\"ok\")' > out" "cat out"

echo "workloads done"
[ $$ = 1 ] && /bench/bench poweroff
exit 0
