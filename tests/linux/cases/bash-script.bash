# Debian's bash-static runs a non-trivial script: functions, arrays,
# associative arrays, loops, subshells, pipes and command substitution.
declare -a fruits=(apple banana cherry)
declare -A colour=([apple]=red [banana]=yellow [cherry]=dark-red)
describe() { local f=$1; printf '%-8s is %s\n' "$f" "${colour[$f]}"; }
for f in "${fruits[@]}"; do describe "$f"; done
echo "count=${#fruits[@]} last=${fruits[-1]} upper=${fruits[1]^^}"
total=0; for ((i = 1; i <= 10; i++)); do (( total += i )); done; echo "total=$total"
words=$(printf '%s\n' "${fruits[@]}" | grep -c a); echo "with a: $words"
(cd / && echo "in a subshell: $BASH_SUBSHELL"); echo "back: $BASH_SUBSHELL"
while read -r name; do echo "read: $name"; done < <(printf 'x\ny\n')
fib() { (( $1 < 2 )) && { echo "$1"; return; }; echo $(( $(fib $(( $1 - 1 ))) + $(fib $(( $1 - 2 ))) )); }
echo "fib(10)=$(fib 10)"
s="Hello, World"; echo "${s/World/Persona} ${s:0:5} ${#s}"
[[ $s =~ ([A-Z])[a-z]+ ]] && echo "match: ${BASH_REMATCH[1]}"
case "$s" in Hello*) echo "case: hello";; esac
paste <(printf 'a\nb\n') <(printf 'c\nd\n')
cmp -s <(echo same) <(echo same); echo "cmp of two process substitutions: $?"
cmp -s <(echo one) <(echo two); echo "cmp of two different ones: $?"
diff -q <(echo one) <(echo two); echo "diff -q: $?"
trap 'echo "bash exit trap"' EXIT
exit 3
