#!/usr/bin/env python3
"""Runs examples/https_curl against a stand-in for the Jobs HTTPS endpoint on 127.0.0.1 and checks
what it printed. The stand-in answers StartNext with an execution (its job document a JSON string,
as the service sends it) and the update with an InvalidStateTransitionException, so both the
success and the error path are exercised. Usage: https_stub.py PATH_TO_https_curl"""
import http.server
import json
import subprocess
import sys
import threading

seen = []


class Handler(http.server.BaseHTTPRequestHandler):
    def _reply(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _request(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        seen.append((self.command, self.path, self.headers.get("Content-Type"), body))
        return body

    def do_PUT(self):
        self._request()
        if self.path != "/things/my%3Athing/jobs/$next":
            return self._reply(404, {"message": "unexpected path " + self.path})
        self._reply(200, {"execution": {
            "jobId": "fw-42", "thingName": "my:thing", "status": "IN_PROGRESS",
            "queuedAt": 1700000000, "startedAt": 1700000060, "lastUpdatedAt": 1700000060,
            "versionNumber": 2, "executionNumber": 1,
            "jobDocument": json.dumps({"operation": "install", "url": "https://example.com/fw.bin"})}})

    def do_POST(self):
        self._request()
        self._reply(409, {"message": "expected version 2, current 3",
                          "executionState": {"status": "IN_PROGRESS", "versionNumber": 3}},
                    [("x-amzn-ErrorType", "InvalidStateTransitionException:http://internal.amazon.com/")])

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = "http://127.0.0.1:%d" % server.server_address[1]
try:
    run = subprocess.run([sys.argv[1], url, "my:thing"], capture_output=True, text=True, timeout=30)
finally:
    server.shutdown()
print(run.stdout, end="")
print(run.stderr, end="", file=sys.stderr)

expected = [
    "PUT %s/things/my%%3Athing/jobs/$next" % url,
    '  body {"stepTimeoutInMinutes":30}',
    '  -> 200, started fw-42 version 2, document {"operation": "install", "url": "https://example.com/fw.bin"}',
    "POST %s/things/my%%3Athing/jobs/fw-42" % url,
    '  body {"status":"SUCCEEDED","expectedVersion":2,"includeJobExecutionState":true}',
    "  -> 409 InvalidStateTransitionException (client fault): expected version 2, current 3",
    "     current version 3",
]
ok = run.returncode == 0 and run.stdout.splitlines() == expected
ok = ok and [s[2] for s in seen] == ["application/json", "application/json"]
if not ok:
    print("unexpected output; wanted:\n" + "\n".join(expected), file=sys.stderr)
sys.exit(0 if ok else 1)
