# File operations in a scratch directory.
mkdir -p a/b/c && echo made
echo content > a/file
cp a/file a/copy && cat a/copy
mv a/copy a/moved && ls a
ln -s file a/link && readlink a/link && cat a/link
ln a/file a/hard && ls a | sort
chmod 600 a/file && ls -l a/file | cut -c1-10
touch a/empty && wc -c a/empty
rm a/hard a/moved && ls a
rmdir a/b/c && ls a/b
rm -r a && ls
echo "x" > f1; echo "y" >> f1; cat f1
cat < f1 | wc -l
test -f f1 && echo "f1 is a file"; test -d f1 || echo "f1 is not a directory"
[ -e missing ] || echo "missing is missing"
cat missing 2>&1; echo "status $?"
mkdir d 2>/dev/null; mkdir d 2>&1; echo "status $?"
find . -name 'f*' | sort
# A working directory removed from under the shell: it lists empty, takes
# no new files, its ".." still leads back, and later processes (which make
# the personality free what nothing points at any more) leave it usable.
mkdir gone && cd gone && rmdir ../gone && ls -a | wc -l
touch new 2>/dev/null; echo "create in a removed directory: $?"
for i in 1 2 3; do /bin/true; done; ls -a | wc -l
cd .. && echo "back: $(ls -d gone 2>/dev/null | wc -l) entries named gone"
