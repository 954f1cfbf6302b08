# find, xargs, tee, env, diff, realpath and friends.
mkdir -p d1/d2 && touch d1/x.c d1/y.h d1/d2/z.c
find d1 -name '*.c' | sort
find d1 -type d | sort
find d1 -name '*.c' | sort | xargs echo files:
echo tee-data | tee copy.txt | tr a-z A-Z; cat copy.txt
env -i A=1 B=2 env | sort
printf 'a\nb\nc\n' > l1; printf 'a\nB\nc\n' > l2
diff l1 l2; echo "diff status $?"
cmp l1 l1 && echo same
realpath d1/d2/../x.c | sed "s|$(pwd)|PWD|"
readlink -f d1/./d2 | sed "s|$(pwd)|PWD|"
ln -s d1/x.c lnk; readlink lnk
seq -s, 1 5; seq 0 2 8 | paste -sd+ | bc 2>/dev/null || echo "no bc"
yes | head -3
echo "3 1 2" | tr ' ' '\n' | sort -n | tail -1
printf '%s\n' one two three | sed -n '2p'
echo abc | rev
fold -w 3 <<EOT
abcdefgh
EOT
