"""The chat service the e2e tests talk to: a real HTTP server on
127.0.0.1 with realistic latency.  SAMPLES_SERVICE=down makes it answer
503 to everything, as staging did for weeks."""
import http.server
import json
import os
import threading
import time

LATENCY = float(os.environ.get("SAMPLES_LATENCY", "0.5"))


class Handler(http.server.BaseHTTPRequestHandler):
    def _answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        # a service that is down answers at once: the proxy in front
        # of it returns 503 without waiting
        if os.environ.get("SAMPLES_SERVICE") == "down":
            return self._answer(503, {"error": "service unavailable"})
        time.sleep(LATENCY)
        if self.path.startswith("/health"):
            return self._answer(200, {"ok": True})
        if self.path.startswith("/messages"):
            return self._answer(200, {"messages": ["hello", "again"]})
        return self._answer(404, {"error": "no such path"})

    def do_POST(self):
        if os.environ.get("SAMPLES_SERVICE") == "down":
            return self._answer(503, {"error": "service unavailable"})
        time.sleep(LATENCY)
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        return self._answer(201, {"id": 42, "text": body.get("text", "")})

    def log_message(self, *args):
        pass


def start():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, "http://127.0.0.1:%d" % srv.server_address[1]
