# Traps on EXIT and exit statuses from subshells and pipelines.
trap 'echo "exit trap ran"' EXIT
(exit 3); echo "subshell $?"
false | true; echo "pipeline $?"
true | false; echo "pipeline $?"
! false; echo "negated $?"
x=$(exit 4); echo "substitution $?"
exit 6
