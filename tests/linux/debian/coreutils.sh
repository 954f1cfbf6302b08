# Debian's coreutils, dynamically linked, on files made here.
set -u
mkdir -p a/b/c && echo one > a/f1 && printf 'two\nlines\n' > a/b/f2
ln -s f1 a/link
touch -h -d '2024-02-03 04:05:06' a/f1 a/b/f2 a/link a/b/c a/b
ls -l --time-style=+%F.%T a | sed 's/  */ /g'
ls -R a
cp -a a copy && ls -l --time-style=+%F.%T copy/b | sed 's/  */ /g'
mv copy moved && ls
du -ak a | sort -k2; du -sk a/b
stat -c '%n %s %a %F' a/f1 a/link a/b
sort -r a/b/f2; printf 'b\na\nb\nc\n' | sort | uniq -c
wc a/b/f2; head -n1 a/b/f2; tail -n1 a/b/f2
date -u -d '2024-01-02 03:04:05' '+%A %d %B %Y %T'
seq 3 3 12 | paste -sd+ ; echo hello | tr a-z A-Z; echo a:b:c | cut -d: -f2
printf 'abc' | od -c | head -1
printf 'abc' | sha256sum
readlink -f a/link | sed "s|$PWD|.|"; realpath --relative-to=a a/b/f2
install -m 600 a/f1 installed && stat -c %a installed
env -i /usr/bin/printenv | wc -l
id -u; basename /x/y.z .z; dirname /x/y.z
echo $((6 * 7)) | xargs expr 1 +
