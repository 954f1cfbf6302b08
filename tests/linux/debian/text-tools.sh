# grep -r, sed -i, awk, find -exec and -newer, xargs -P, tar czf/xzf, xz, diff -u.
set -u
mkdir -p src/sub
printf 'alpha\nbeta\ngamma\n' > src/a.txt
printf 'beta two\ndelta\n' > src/sub/b.txt
grep -rn beta src | sort
sed -i 's/beta/BETA/' src/a.txt && cat src/a.txt
awk '{ n += length($0) } END { print NR, n }' src/a.txt src/sub/b.txt
touch -d '2020-01-01' old && touch -d '2020-06-01' src/sub/b.txt
find src -type f -newer old -exec wc -l {} \; | sort
find src -name '*.txt' | sort | xargs -P 2 -n 1 wc -c | sort
tar czf src.tgz src && mkdir out && tar xzf src.tgz -C out && diff -r src out/src && echo tar ok
xz -k src/a.txt && xz -dc src/a.txt.xz | md5sum
gzip -c src/a.txt | gzip -dc | wc -l
printf 'alpha\nbeta\n' > x; printf 'alpha\ngamma\n' > y
diff -u x y | tail -n +3
echo "diff status $?"
