# Text processing applets in pipelines.
printf 'banana\napple\ncherry\napple\n' > fruit
sort fruit | uniq -c
sort -r fruit | head -2
wc -l fruit; wc -c < fruit
tail -1 fruit
cut -c1-3 fruit | tr '\n' ','; echo
grep -n an fruit; grep -c apple fruit; grep -v a fruit || echo none
sed 's/a/A/g; 2d' fruit
awk '{ n[$1]++ } END { for (k in n) s += n[k]; print s, length($0) }' fruit
printf 'root:x:0\ndaemon:x:1\n' > pw; awk -F: '{ print $1 "/" $3 }' pw
seq 1 10 | awk '{ s += $1 } END { print "sum", s }'
seq 5 -1 1 | tr '\n' ' '; echo
echo "a,b,c" | cut -d, -f2
printf 'x\ty\n' | expand | od -c | head -2
echo hello | od -An -tx1
echo 'one two  three' | tr -s ' ' | tr ' ' '\n' | nl
expr 3 + 4 \* 2; expr length hello
basename /usr/lib/file.txt .txt; dirname /usr/lib/file.txt
