#!/usr/bin/env python3
"""`iotjobs decode --stream` as a Unix filter:
1. each line is decoded and printed as it arrives: the test writes one line and reads its output
   before it writes the next (a good message, a bad one, a payload of the 128 KiB maximum, one
   byte over it), then closes the input: the tool ends, exit status 1 (a line was bad), nothing on
   standard error;
2. behind `| head -n 1`, with endless input, it ends when head does (SIGPIPE), saying nothing;
   with SIGPIPE ignored it ends on the failed write, with exit status 1 and the reason;
3. on SIGINT after a line, it ends at once; what it printed is intact, nothing on standard error.
Usage: test_stream.py PATH_TO_iotjobs"""
import json
import os
import select
import signal
import subprocess
import sys

tool = sys.argv[1]
failures = []

NOTIFY_NEXT = ("$aws/things/sensor-42/jobs/notify-next", '{"timestamp":1700000000,"execution":'
               '{"jobId":"fw-1","status":"QUEUED","versionNumber":1,"jobDocument":{"op":"install"}}}')
NOTIFY_NEXT_OUT = ('{"kind":"notify_next","thingName":"sensor-42","timestamp":1700000000,"execution":'
                   '{"jobId":"fw-1","status":"QUEUED","versionNumber":1,"jobDocument":{"op":"install"}}}')
MAX_PAYLOAD = 128 * 1024


HEAD, TAIL = '{"execution":{"jobId":"big","status":"QUEUED","jobDocument":{"blob":"', '"}}}'


def describe_payload(size):
    """A describe-accepted payload of exactly `size` bytes: a job document with one long string."""
    return HEAD + "x" * (size - len(HEAD) - len(TAIL)) + TAIL


def check(what, ok, detail=""):
    if not ok:
        failures.append(what + (": " + detail if detail else ""))


def read_line(proc, timeout=10):
    """One line of the tool's output, or None if none comes within `timeout` seconds."""
    line = b""
    while not line.endswith(b"\n"):
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        if not ready:
            return None
        chunk = os.read(proc.stdout.fileno(), 1 << 20)
        if not chunk:
            return None
        line += chunk
    return line.decode()


def line_by_line():
    big = describe_payload(MAX_PAYLOAD)
    messages = [
        (" ".join(NOTIFY_NEXT), lambda out: out == NOTIFY_NEXT_OUT + "\n"),
        ("$aws/things/sensor-42/jobs/fw-1/update/rejected {\"code\":",
         lambda out: json.loads(out)["topic"] == "$aws/things/sensor-42/jobs/fw-1/update/rejected"
         and json.loads(out)["error"].startswith("invalid_json at byte ")),
        ("$aws/things/sensor-42/jobs/big/get/accepted " + big,
         lambda out: json.loads(out)["execution"]["jobDocument"]["blob"] ==
         "x" * (MAX_PAYLOAD - len(HEAD) - len(TAIL))),
        ("$aws/things/sensor-42/jobs/big/get/accepted " + describe_payload(MAX_PAYLOAD + 1),
         lambda out: json.loads(out)["error"].startswith("payload_too_large")),
        (" ".join(NOTIFY_NEXT) + "\r", lambda out: out == NOTIFY_NEXT_OUT + "\n"),  # CRLF
    ]
    proc = subprocess.Popen([tool, "decode", "--stream"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for n, (line, good) in enumerate(messages, 1):
        proc.stdin.write((line + "\n").encode())
        proc.stdin.flush()
        out = read_line(proc)
        check("line %d: its output comes before the next line is written" % n, out is not None)
        if out is None:
            break
        try:
            check("line %d: its output" % n, good(out), out[:200])
        except (ValueError, KeyError) as e:
            check("line %d: its output" % n, False, "%s: %s" % (e, out[:200]))
    proc.stdin.close()
    try:
        status = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        status = None
    check("end of input: the tool ends, exit status 1 (two lines were bad)", status == 1, str(status))
    check("end of input: nothing more on stdout", proc.stdout.read() == b"")
    err = proc.stderr.read()
    check("line by line: nothing on stderr", err == b"", err.decode()[:500])


def behind_head():
    line = " ".join(NOTIFY_NEXT).replace("'", "")
    script = "yes '%s' | '%s' decode --stream | head -n 1" % (line, tool)
    run = subprocess.run(["bash", "-o", "pipefail", "-c", script], capture_output=True, timeout=30)
    check("behind head -n 1: one line", run.stdout.decode() == NOTIFY_NEXT_OUT + "\n",
          run.stdout.decode()[:200])
    check("behind head -n 1: ended by SIGPIPE (141), nothing on stderr",
          run.returncode == 141 and run.stderr == b"", "%d %r" % (run.returncode, run.stderr[:300]))

    # SIGPIPE ignored (as some parents leave it): the failed write ends the stream.
    proc = subprocess.Popen([tool, "decode", "--stream"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGPIPE, signal.SIG_IGN))
    proc.stdin.write((" ".join(NOTIFY_NEXT) + "\n").encode())
    proc.stdin.flush()
    check("SIGPIPE ignored: the first line", read_line(proc) == NOTIFY_NEXT_OUT + "\n")
    proc.stdout.close()
    try:
        proc.stdin.write((" ".join(NOTIFY_NEXT) + "\n").encode())
        proc.stdin.flush()
    except BrokenPipeError:
        pass
    try:
        status = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        status = None
    err = proc.stderr.read().decode()
    check("SIGPIPE ignored: exit status 1, and why", status == 1 and "Broken pipe" in err,
          "%s %r" % (status, err[:300]))
    proc.stdin.close()


def interrupted():
    proc = subprocess.Popen([tool, "decode", "--stream"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdin.write((" ".join(NOTIFY_NEXT) + "\n").encode())
    proc.stdin.flush()
    check("SIGINT: the line before it", read_line(proc) == NOTIFY_NEXT_OUT + "\n")
    proc.send_signal(signal.SIGINT)
    try:
        status = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        status = None
    check("SIGINT: it ends at once", status == -signal.SIGINT, str(status))
    err = proc.stderr.read()
    check("SIGINT: nothing on stderr", err == b"", err.decode()[:500])
    proc.stdin.close()


line_by_line()
behind_head()
interrupted()
for f in failures:
    print("FAIL: " + f)
print("%d failed" % len(failures))
sys.exit(1 if failures else 0)
