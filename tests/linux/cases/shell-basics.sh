# Shell features: variables, quoting, arithmetic, conditionals, loops,
# functions, command substitution, subshells, exit statuses.
x=hello
echo "$x world" '$x' $((6 * 7))
printf '%s=%d [%5s] [%-5s] %x\n' answer 42 ab cd 255
for i in 1 2 3; do printf '%s ' "$i"; done; echo
i=0; while [ $i -lt 3 ]; do i=$((i + 1)); done; echo "i=$i"
f() { echo "f got $# args: $*"; return 7; }
f a b c; echo "status $?"
echo "sub: $(echo inner | tr a-z A-Z)"
(cd / && pwd)
false || echo "false failed"; true && echo "true worked"
if [ -z "" ] && [ abc = abc ]; then echo yes; else echo no; fi
case foo.txt in *.txt) echo text;; *) echo other;; esac
set -- one two three; shift; echo "$1 $#"
echo ${x#he} ${x%lo} ${#x} ${undefined:-default}
sh -c 'exit 5'; echo "child exit $?"
