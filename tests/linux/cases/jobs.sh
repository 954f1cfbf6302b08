# Background jobs, wait, sleep, and command lookup through PATH.
sleep 0.2 & p1=$!
(echo sub-started; sleep 0.1; echo sub-done) & p2=$!
wait $p2; echo "waited for the subshell: $?"
wait $p1; echo "waited for sleep: $?"
(exit 9) & wait $!; echo "background status $?"
for i in 1 2 3; do (echo "job $i" > job$i.txt) & done; wait; cat job1.txt job2.txt job3.txt; echo all done
command -v ls; type echo
x=$(sleep 0.05; echo late); echo "$x"
