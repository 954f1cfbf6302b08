# Debian's python3 with its standard library: os.walk, subprocess with
# pipes, threading with a queue, json, re, hashlib, zlib, tempfile, signal,
# select and time.
python3 -c 'import sys; print(sys.version_info[:2] >= (3, 9))'
cat > prog.py <<'PY'
import hashlib, json, os, queue, re, select, signal, subprocess, sys, tempfile, threading, time, zlib

os.makedirs("tree/a/b", exist_ok=True)
for name in ("tree/x.txt", "tree/a/y.txt", "tree/a/b/z.txt"):
    with open(name, "w") as f:
        f.write(name + "\n")
for top, dirs, files in sorted(os.walk("tree")):
    print("walk", top, sorted(dirs), sorted(files))

p = subprocess.run(["sort", "-r"], input=b"b\na\nc\n", stdout=subprocess.PIPE)
print("sort:", p.stdout.decode().split(), "status", p.returncode)
p1 = subprocess.Popen(["printf", "one\\ntwo\\nthree\\n"], stdout=subprocess.PIPE)
p2 = subprocess.Popen(["grep", "t"], stdin=p1.stdout, stdout=subprocess.PIPE)
p1.stdout.close()
print("pipeline:", p2.communicate()[0].decode().split(), p1.wait(), p2.returncode)
print("false:", subprocess.call(["false"]))

q = queue.Queue()
def worker(n):
    for i in range(3):
        q.put((n, i))
threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
items = sorted(q.get() for _ in range(q.qsize()))
print("queue:", len(items), items[:3])

doc = json.loads('{"a": [1, 2, {"b": null}], "c": "d\\u00e9"}')
print("json:", json.dumps(doc, sort_keys=True))
print("re:", re.findall(r"(\w)(\d+)", "a1 b22 c333"), re.sub(r"\s+", "-", "x  y\tz"))
print("sha256:", hashlib.sha256(b"persona").hexdigest())
print("md5:", hashlib.md5(b"").hexdigest())
data = b"abc" * 1000
packed = zlib.compress(data)
print("zlib:", len(data), zlib.decompress(packed) == data, zlib.crc32(data))

with tempfile.TemporaryDirectory() as d:
    with tempfile.NamedTemporaryFile("w", dir=d, delete=False) as f:
        f.write("temp")
    print("tempfile:", os.path.dirname(f.name) == d, open(f.name).read())
print("tempdir gone:", not os.path.exists(d))

got = []
signal.signal(signal.SIGUSR1, lambda s, frame: got.append(s))
os.kill(os.getpid(), signal.SIGUSR1)
print("signal:", got == [signal.SIGUSR1])
signal.signal(signal.SIGALRM, lambda s, frame: got.append("alarm"))
signal.setitimer(signal.ITIMER_REAL, 0.05)
time.sleep(0.5)
print("alarm:", got[-1])

r, w = os.pipe()
print("select empty:", select.select([r], [], [], 0.05)[0] == [])
os.write(w, b"x")
print("select ready:", select.select([r], [], [], 1)[0] == [r])
t0 = time.monotonic()
time.sleep(0.1)
print("monotonic:", 0.09 < time.monotonic() - t0 < 5)
print("time:", time.time() > 1.6e9, time.strftime("%Y", time.gmtime(0)))
sys.exit(4)
PY
python3 prog.py
echo "python status $?"
