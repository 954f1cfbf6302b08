# Debian's python3 serving files with http.server on 127.0.0.1 and
# fetching them with urllib, in one process (a thread serves), then a
# second python3 fetching from a server process by the name localhost.
mkdir -p site && printf 'hello over http\n' > site/index.html && printf 'x%.0s' $(seq 1 3000) > site/big.txt
cat > serve.py <<'PY'
import http.server, socketserver, threading, urllib.request, functools, sys

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

handler = functools.partial(Quiet, directory="site")
with socketserver.TCPServer(("127.0.0.1", 0), handler) as httpd:
    port = httpd.server_address[1]
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    with urllib.request.urlopen("http://127.0.0.1:%d/index.html" % port) as r:
        print(r.status, r.headers["Content-Type"], r.read().decode().strip())
    with urllib.request.urlopen("http://127.0.0.1:%d/big.txt" % port) as r:
        body = r.read()
        print(r.status, len(body), body[:3])
    try:
        urllib.request.urlopen("http://127.0.0.1:%d/missing" % port)
    except urllib.error.HTTPError as e:
        print("missing:", e.code)
    httpd.shutdown()
PY
python3 serve.py
# a server process of its own, and a client that finds it by name
python3 -c '
import http.server, socketserver, functools, sys
class Q(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
s = socketserver.TCPServer(("127.0.0.1", 0), functools.partial(Q, directory="site"))
open("port", "w").write(str(s.server_address[1]))
s.handle_request()
' &
while [ ! -s port ]; do sleep 0.1; done
python3 -c '
import urllib.request
port = open("port").read()
print(urllib.request.urlopen("http://localhost:%s/" % port).read().decode().strip())
'
wait
