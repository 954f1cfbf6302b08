# Redirections, here-documents and file descriptors.
echo out > o.txt; echo err >&2 2>/dev/null; echo more >> o.txt
cat o.txt
cat <<EOT
here-doc line 1
value: $((1 + 1))
EOT
cat <<'EOT'
literal $HOME
EOT
{ echo grouped; echo twice; } > g.txt; wc -l < g.txt
exec 3> fd3.txt; echo via-fd3 >&3; exec 3>&-; cat fd3.txt
ls nonexistent 2> e.txt; echo "ls status $?"; wc -l < e.txt
echo to-null > /dev/null; echo "null ok"
head -c 4 /dev/zero | od -An -tx1
