# The pipes lab (docs/labs/pipes.md): busybox pipelines.  Data through
# several stages, a reader that waits for a slow writer, a producer that
# never ends stopped by SIGPIPE when head is done, and more than a pipe
# holds going through one.
seq 1 2000 | sort -rn | head -3
echo a b c | tr ' ' '\n' | wc -l
(sleep 0.2; echo slow) | cat
yes | head -2
seq 1 40000 | wc -c
cat /dev/zero | head -c 100000 | tail -c 5 | od -An -c
seq 1 5 | while read n; do echo "line $n"; done | tail -2
