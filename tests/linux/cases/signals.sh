# Signals: traps, kill, default actions, SIGPIPE, exit statuses of signals.
trap 'echo got USR1' USR1
kill -USR1 $$
echo after-usr1
trap 'echo got TERM; trap - TERM' TERM
kill -TERM $$; echo after-term
sh -c 'kill -9 $$'; echo "killed child status $?"
sh -c 'kill -TERM $$'; echo "terminated child status $?"
yes | head -2
(trap '' PIPE; yes | head -1); echo "ignored SIGPIPE: status $?"
sleep 5 & pid=$!; kill $pid; wait $pid 2>/dev/null; echo "sleep killed: $?" # "Terminated" depends on timing
trap 'echo exiting' EXIT
kill -0 $$ && echo "kill -0 works"
kill -s HUP 99999 2>/dev/null || echo "no such process"
# A process stopped by SIGSTOP shows state T in /proc, and S again once continued.
sleep 5 & p=$!
kill -STOP $p; sleep 0.2
cut -d' ' -f3 /proc/$p/stat; grep State /proc/$p/status
kill -CONT $p; sleep 0.2
grep State /proc/$p/status
kill $p; wait $p 2>/dev/null; echo "status $?"
