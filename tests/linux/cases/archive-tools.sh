# Checksums, compression and archives.
printf 'The quick brown fox\njumps over the lazy dog\n' > doc.txt
md5sum doc.txt
sha256sum doc.txt
sha1sum doc.txt
gzip -c doc.txt > doc.gz && gunzip -c doc.gz | md5sum
gzip doc.txt && ls && gunzip doc.txt.gz && cat doc.txt
mkdir -p tree/sub && echo a > tree/a && echo b > tree/sub/b
tar -cf t.tar tree && tar -tf t.tar | sort
mkdir out && tar -xf t.tar -C out && cat out/tree/sub/b
od -c doc.txt | head -3
hexdump -C doc.txt | head -2
base64 doc.txt | head -1
echo aGVsbG8K | base64 -d
