# More applets whose output does not depend on the machine.
date -u -d @86400 '+%F %T %A'
date -u -d '2024-02-29 12:00' '+%j %U'
printf 'abc' > s; stat -c '%s %F %a %n' s; mkdir sd; stat -c '%F %n' sd
chmod 751 s; stat -c '%A' s
ln -s s sl; stat -c '%F' sl; stat -L -c '%s' sl
id -u; id -g; whoami
echo "5 * 7" | bc 2>/dev/null || expr 5 \* 7
printf '3\n1\n2\n' | sort -n | tac
echo "Hello World" | awk '{ print toupper($2), length($1) }'
echo x,y,z | awk -F, -v OFS=: '{ $1 = $1; print }'
printf 'a b\nc d\n' | while read -r one two; do echo "$two-$one"; done
echo "one:two:three" | sed -e 's/:/ /g' -e 's/two/2/'
printf 'l1\nl2\nl3\nl4\n' | sed -n '2,3p'
seq 3 | xargs -n1 echo item
dd if=/dev/zero bs=512 count=2 2>/dev/null | wc -c
truncate -s 100 t && wc -c < t
printf 'dup\ndup\nuniq\n' | uniq -d
echo "  trim  " | sed 's/^ *//; s/ *$//' | od -c | head -1
test 3 -gt 2 && test abc != abd && test -n x && echo tests-ok
printf '%05.1f|%e\n' 3.14159 12345.678
