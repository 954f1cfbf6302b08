# The dynamic loader's side of exec: ldd, a script whose #! names a
# dynamic interpreter, the loader run by hand, and clean errors for a
# corrupt or missing shared library.
ldd /bin/ls | sed 's/ (0x[0-9a-f]*)//' | sort
printf '#!/usr/bin/python3\nimport sys\nprint("script", sys.argv[1:])\n' > script.py
chmod +x script.py && ./script.py a b
printf '#!/usr/bin/env perl\nprint "env perl\\n";\n' > script.pl
chmod +x script.pl && ./script.pl
/lib64/ld-linux-x86-64.so.2 /bin/echo by hand
mkdir lib && printf 'not an ELF file at all, but long enough to be read as one........' > lib/libselinux.so.1
LD_LIBRARY_PATH=./lib ls 2>&1; echo "status $?"
cp /bin/ls ./ls2 && LD_PRELOAD=./missing.so ./ls2 -d . 2>&1; echo "status $?"
