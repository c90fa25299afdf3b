#!/usr/bin/env python3
"""`iotjobs agent` end to end: real mosquitto brokers started here on free loopback ports, `iotjobs
emulate --trace` as the service (every change of an execution is a line this test reads), and the
agent as a device runs it, with handlers written here. Each scenario checks the executions'
statuses and statusDetails as the service saw them, and what the handlers saw:

 1. every AWS managed template (the golden documents of tests/data/documents), the handler called
    as the Device Client calls it (argv[1] is runAsUser), a runCommand as another user, a
    document that breaks its schema REJECTED with its error and member;
 2. steps: a failing one (FAILED, with its reason and stderr), one with ignoreStepFailure, a
    finalStep after success and none after a failure, allowStdErr exceeded, a handler that
    writes megabytes (its tail alone kept), a handler that is not there;
 3. a handler that hangs: stopped at --step-timeout, FAILED;
 4. the job canceled while a step runs: the step's process group killed, nothing more reported;
 5. the agent killed (SIGKILL) mid-job and started again: the steps done are not run again, the
    interrupted one is, and what the killed agent left running is killed;
 6. an AWS-Reboot job: the handler "reboots" (the agent dies with it), the agent starts on a new
    boot, and the step is told so instead of rebooting again;
 7. SIGTERM mid-step: the agent stops the step, finishes, exits 0; started again, it carries on;
 8. jobs of another kind: left QUEUED by default, REJECTED with --unknown-jobs reject;
 9. the agent started before its broker, then the broker killed and started again mid-job;
10. TLS: mosquitto requiring client certificates from a CA made here with openssl; a device
    certificate of another CA is refused;
11. 100 jobs: the agent's CPU time and resident memory, as its own `stopped` line says.

Usage: test_agent.py MOSQUITTO IOTJOBS_TOOL [SANITIZERS] (Meson's b_sanitize: under sanitizers
the agent's memory is theirs, and is not bounded)"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

mosquitto, tool = sys.argv[1:3]
sanitized = len(sys.argv) > 3 and sys.argv[3] not in ("", "none")
here = os.path.dirname(os.path.abspath(__file__))
documents = os.path.join(here, "..", "data", "documents")
work = tempfile.mkdtemp(prefix="iotjobs-agent-")
os.chmod(work, 0o755)  # mosquitto, started as root, reads its certificates as its own user
processes = []
failed = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check(name, condition, detail=""):
    print(f"  {'ok  ' if condition else 'FAIL'} {name}" + (f": {detail}" if detail and not condition else ""))
    if not condition:
        failed.append(name)
    return condition


class Lines:
    """The lines a process writes to one stream, read by a thread, each a JSON object (others are
    kept as text), and waited for."""

    def __init__(self, stream):
        self.lines, self.changed = [], threading.Condition()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            try:
                item = json.loads(line)
            except ValueError:
                item = line.rstrip("\n")
            with self.changed:
                self.lines.append(item)
                self.changed.notify_all()

    def wait(self, predicate, timeout=20):
        """The first line that `predicate` holds for, waiting for it up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for item in self.lines:
                    if isinstance(item, dict) and predicate(item):
                        return item
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.changed.wait(left)

    def all(self, predicate):
        with self.changed:
            return [i for i in self.lines if isinstance(i, dict) and predicate(i)]


class Broker:
    def __init__(self, extra=""):
        self.port = free_port()
        self.config = os.path.join(work, f"mosquitto-{self.port}.conf")
        with open(self.config, "w") as f:
            f.write(f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
                    f"set_tcp_nodelay true\nuser root\n{extra}")
        self.process = None

    def start(self, wait_port=None):
        self.process = subprocess.Popen([mosquitto, "-c", self.config], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        processes.append(self.process)
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", wait_port or self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("mosquitto did not start")

    def kill(self):
        self.process.kill()
        self.process.wait()

    def address(self):
        return f"127.0.0.1:{self.port}"


class Emulator:
    def __init__(self, broker, jobs):
        path = os.path.join(work, f"jobs-{broker.port}.json")
        with open(path, "w") as f:
            json.dump({"things": jobs}, f)
        self.broker = broker
        self.process = subprocess.Popen([tool, "emulate", "--broker", broker.address(), "--jobs",
                                         path, "--trace"], stdout=subprocess.PIPE, text=True)
        processes.append(self.process)
        ready = self.process.stdout.readline()
        if not ready.startswith("iotjobs emulate: ready"):
            raise RuntimeError("iotjobs emulate did not start: " + ready)
        self.trace = Lines(self.process.stdout)

    def final(self, thing, job, timeout=20):
        """The execution's state once it has ended, or None."""
        return self.trace.wait(lambda x: x.get("thing") == thing and x.get("jobId") == job and
                               x["status"] not in ("QUEUED", "IN_PROGRESS"), timeout)

    def history(self, thing, job):
        return self.trace.all(lambda x: x.get("thing") == thing and x.get("jobId") == job)

    def control(self, command, message):
        subprocess.run([shutil.which("mosquitto_pub"), "-h", "127.0.0.1", "-p",
                        str(self.broker.port), "-q", "1", "-t", f"iotjobs-emulate/{command}", "-m",
                        json.dumps(message)], check=True, timeout=10)


class Agent:
    def __init__(self, broker_address, thing, handlers, *extra, state=True, env=None,
                 log_format="json"):
        self.state_dir = os.path.join(work, "state-" + thing)
        os.makedirs(self.state_dir, exist_ok=True)
        self.args = [tool, "agent", "--thing", thing, "--broker", broker_address, "--handlers",
                     handlers, "--log-format", log_format, "--max-backoff", "1"]
        if state:
            self.args += ["--state-dir", self.state_dir]
        self.args += list(extra)
        self.env = dict(os.environ, **(env or {}))
        self.start()

    def start(self, *more):
        self.process = subprocess.Popen(self.args + list(more), stderr=subprocess.PIPE, text=True,
                                        env=self.env)
        processes.append(self.process)
        self.log = Lines(self.process.stderr)
        return self

    def event(self, event_name, timeout=20, **fields):
        return self.log.wait(lambda e: e.get("event") == event_name and
                             all(e.get(k) == v for k, v in fields.items()), timeout)

    def stop(self):
        """SIGTERM; the exit status and the `stopped` event."""
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        return code, self.event("stopped", timeout=5)


def write_handler(directory, name, body):
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body)
    os.chmod(path, 0o700)


def runhandler(name, handler, args=(), path="default", **action):
    return {"name": name, "type": "runHandler",
            "input": {"handler": handler, "args": list(args), "path": path}, **action}


def runcommand(name, command, **action):
    return {"name": name, "type": "runCommand", "input": {"command": command}, **action}


def document(*actions, final=None, include_stdout=False):
    d = {"version": "1.0", "steps": [{"action": a} for a in actions]}
    if final:
        d["finalStep"] = {"action": final}
    if include_stdout:
        d["includeStdOut"] = "true"
    return d


def alive(group):
    """Whether process group `group` has a process that is not a zombie (one that nobody reaps
    stays in the group, where PID 1 does not reap)."""
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


# ---- the handlers --------------------------------------------------------------------------

record = os.path.join(work, "record.txt")
handlers = os.path.join(work, "handlers")
recorder = 'printf "%s|%s\\n" "$(basename "$0")" "$*" >> "$IOTJOBS_TEST_RECORD"\necho "ran $(basename "$0")"\n'
for name in ("download-file.sh", "install-packages.sh", "remove-packages.sh",
             "restart-services.sh", "start-services.sh", "stop-services.sh", "reboot.sh",
             "step.sh"):
    write_handler(handlers, name, recorder)
# Sleeps, after writing its process group's id to $2, in a child of its own (so that a stop must
# reach the whole group); "done" is recorded if it is not stopped.
write_handler(handlers, "slow.sh",
              'echo $$ > "$2"\nsleep "$3" &\nwait\n'
              'printf "%s|done\\n" "$IOTJOBS_STEP_NAME" >> "$IOTJOBS_TEST_RECORD"\n')
# Records its step and whether it was interrupted, then fails if asked to.
write_handler(handlers, "note.sh",
              'printf "%s|%s\\n" "$IOTJOBS_STEP_NAME" "${IOTJOBS_STEP_INTERRUPTED:-}" '
              '>> "$IOTJOBS_TEST_RECORD"\necho "note $IOTJOBS_STEP"\n'
              'if [ "$2" = fail ]; then echo "it broke" >&2; exit 4; fi\n')
write_handler(handlers, "writable.sh", "true\n")
os.chmod(os.path.join(handlers, "writable.sh"), 0o722)
# The reboot of scenario 6: the device goes down with the agent (SIGKILL to the agent, which is
# its parent), unless the agent says that a reboot happened during this step already.
reboot_handlers = os.path.join(work, "reboot-handlers")
write_handler(reboot_handlers, "reboot.sh",
              'if [ "$IOTJOBS_STEP_INTERRUPTED" = reboot ]; then echo "rebooted"; exit 0; fi\n'
              'echo reboot >> "$IOTJOBS_TEST_RECORD"\nkill -9 $PPID\nsleep 30\n')
env = {"IOTJOBS_TEST_RECORD": record}


def recorded():
    try:
        with open(record) as f:
            return f.read().splitlines()
    except OSError:
        return []


def golden(name, path="default"):
    with open(os.path.join(documents, name + ".json")) as f:
        d = json.load(f)
    for step in d["steps"]:
        if step["action"]["type"] == "runHandler":
            step["action"]["input"]["path"] = path
    return d


templates = ["aws-download-file", "aws-install-application", "aws-remove-application",
             "aws-restart-application", "aws-start-application", "aws-stop-application",
             "aws-reboot", "aws-run-command"]
as_root = os.geteuid() == 0
pid_file = os.path.join(work, "slow.pid")
jobs = {
    "t-templates": [{"jobId": t, "document": golden(t, "default" if t != "aws-reboot" else "")}
                    for t in templates] + [
        {"jobId": "whoami", "document": document(runcommand("Who", "id,-un", runAsUser="nobody"),
                                                  include_stdout=True)},
        {"jobId": "broken", "document": {"version": "1.0", "steps": [
            {"action": {"name": "x", "type": "runShell", "input": {}}}]}},
        {"jobId": "legacy", "document": {"operation": "step.sh", "args": ["old"]}}],
    "t-steps": [
        {"jobId": "fails", "document": document(
            runhandler("One", "note.sh", ["fail"]), runhandler("Two", "note.sh"),
            final=runhandler("Final", "note.sh"))},
        {"jobId": "ignored", "document": document(
            runhandler("Ignored", "note.sh", ["fail"], ignoreStepFailure="true"),
            runhandler("After", "note.sh"), final=runhandler("Final2", "note.sh"),
            include_stdout=True)},
        {"jobId": "stderr", "document": document(
            runcommand("Loud", "sh,-c,echo a >&2; echo b >&2; echo c >&2", allowStdErr=2))},
        {"jobId": "flood", "document": document(
            runcommand("Flood", "sh,-c,yes 0123456789abcdef | head -c 8000000; echo; echo END"),
            include_stdout=True)},
        {"jobId": "missing", "document": document(runhandler("Missing", "absent.sh"))},
        {"jobId": "writable", "document": document(runhandler("Writable", "writable.sh"))}],
    "t-timeout": [{"jobId": "hangs", "document": document(
        runhandler("Hang", "slow.sh", [pid_file + ".hang", "60"]))}],
    "t-cancel": [{"jobId": "canceled", "document": document(
        runhandler("Long", "slow.sh", [pid_file + ".cancel", "60"]),
        runhandler("Never", "note.sh"))}],
    "t-restart": [{"jobId": "restarted", "document": document(
        runhandler("First", "note.sh"),
        runhandler("Second", "slow.sh", [pid_file + ".restart", "2"]),
        runhandler("Third", "note.sh"))}],
    "t-reboot": [{"jobId": "reboot", "document": golden("aws-reboot", "default")}],
    "t-sigterm": [{"jobId": "stopped", "document": document(
        runhandler("Pause", "slow.sh", [pid_file + ".sigterm", "1"]),
        runhandler("Last", "note.sh"))}],
    "t-leave": [{"jobId": "ota", "document": {"afr_ota": {
        "protocols": ["MQTT"], "streamname": "AFR_OTA-1", "files": [{"filesize": 3, "fileid": 0}]}}},
        {"jobId": "behind", "document": document(runhandler("Behind", "note.sh"))}],
    "t-reject": [{"jobId": "foreign", "document": {"anything": "else"}}],
    "t-load": [{"jobId": f"load-{i:03}", "document": document(runcommand("True", "true"))}
               for i in range(100)],
}

broker = Broker().start()
emulator = Emulator(broker, jobs)
try:
    print("1. managed templates")
    agent = Agent(broker.address(), "t-templates", handlers, env=env)
    for t in templates:
        x = emulator.final("t-templates", t)
        check(f"{t} SUCCEEDED", x and x["status"] == "SUCCEEDED", x)
    lines = recorded()
    check("the handlers' arguments: runAsUser, then args", lines == [
        "download-file.sh|firmware https://example-bucket.s3.us-east-1.amazonaws.com/firmware/v2.bin?"
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261201%2Fus-east-1%2Fs3%2F"
        "aws4_request&X-Amz-Date=20261201T101500Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&"
        "X-Amz-Signature=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0 "
        "/var/lib/firmware/v2.bin",
        "install-packages.sh| nginx curl", "remove-packages.sh| telnetd",
        "restart-services.sh| sshd cron", "start-services.sh| mosquitto",
        "stop-services.sh| bluetooth", "reboot.sh|root"][:len(lines)] and len(lines) == 7, lines)
    x = emulator.final("t-templates", "whoami")
    if as_root:
        check("runAsUser nobody: the command runs as nobody",
              x and x["status"] == "SUCCEEDED" and x["statusDetails"].get("stdout") == "nobody ", x)
    else:
        check("runAsUser of another user, not root: FAILED, saying why",
              x and x["status"] == "FAILED" and "cannot switch" in x["statusDetails"]["reason"], x)
    x = emulator.final("t-templates", "broken")
    check("a document that breaks its schema: REJECTED with error and member",
          x and x["status"] == "REJECTED" and x["statusDetails"].get("error") ==
          "invalid_action_type" and x["statusDetails"].get("member") == "type", x)
    x = emulator.final("t-templates", "legacy")
    check("the legacy schema: operation run as the handler",
          x and x["status"] == "SUCCEEDED" and recorded()[-1] == "step.sh| old", recorded()[-1:])

    print("2. steps")
    open(record, "w").close()
    agent = Agent(broker.address(), "t-steps", handlers, env=env)
    x = emulator.final("t-steps", "fails")
    check("a failing step: FAILED with its step, reason and stderr",
          x and x["status"] == "FAILED" and x["statusDetails"] == {
              "step": "1/3", "stepName": "One", "reason": "exited with status 4",
              "stderr": "it broke "}, x)
    x = emulator.final("t-steps", "ignored")
    check("ignoreStepFailure: the steps after it and the finalStep run, SUCCEEDED",
          x and x["status"] == "SUCCEEDED" and x["statusDetails"] == {
              "step": "3/3", "stepName": "Final2",
              "stdout": "note 1/3 note 2/3 note 3/3 "}, x)
    h = emulator.history("t-steps", "ignored")
    check("each step announced, and applied, before it runs: the claim, 1/3, 2/3, 3/3, the end",
          [(x["versionNumber"], x["status"], x.get("statusDetails", {}).get("step"),
            x.get("statusDetails", {}).get("stepName")) for x in h] == [
              (2, "IN_PROGRESS", None, None),
              (3, "IN_PROGRESS", "1/3", "Ignored"), (4, "IN_PROGRESS", "2/3", "After"),
              (5, "IN_PROGRESS", "3/3", "Final2"), (6, "SUCCEEDED", "3/3", "Final2")], h)
    check("the finalStep runs after success only, each step once",
          recorded() == ["One|", "Ignored|", "After|", "Final2|"], recorded())
    x = emulator.final("t-steps", "stderr")
    check("allowStdErr 2 and three lines of stderr: FAILED",
          x and x["status"] == "FAILED" and
          x["statusDetails"]["reason"] == "wrote 3 lines to stderr, more than allowStdErr 2", x)
    x = emulator.final("t-steps", "flood")
    out = (x or {}).get("statusDetails", {}).get("stdout", "")
    check("8 MB of stdout: SUCCEEDED, its last 1024 characters reported",
          x and x["status"] == "SUCCEEDED" and len(out) == 1024 and out.endswith(" END "), x)
    e = agent.event("step_succeeded", name="Flood")
    check("and all of it read", e and e["stdout_bytes"] == 8000005, e)
    x = emulator.final("t-steps", "missing")
    check("a handler that is not there: FAILED, saying so",
          x and x["status"] == "FAILED" and "No such file or directory" in x["statusDetails"]["reason"],
          x)
    x = emulator.final("t-steps", "writable")
    check("a handler others may change: not run, FAILED",
          x and x["status"] == "FAILED" and "writable by its owner alone" in x["statusDetails"]["reason"],
          x)

    print("3. a step that hangs")
    agent = Agent(broker.address(), "t-timeout", handlers, "--step-timeout", "1", "--kill-grace",
                  "1", env=env)
    x = emulator.final("t-timeout", "hangs")
    check("stopped at --step-timeout: FAILED",
          x and x["status"] == "FAILED" and x["statusDetails"]["reason"].startswith(
              "timed out after 1 s (killed by signal 15"), x)
    with open(pid_file + ".hang") as f:
        group = int(f.read())
    time.sleep(0.2)
    check("its process group is gone", not alive(group))

    print("4. canceled mid-step")
    agent = Agent(broker.address(), "t-cancel", handlers, env=env)
    started = agent.event("step_started", name="Long")
    emulator.control("cancel", {"thing": "t-cancel", "jobId": "canceled"})
    x = emulator.final("t-cancel", "canceled")
    check("CANCELED", x and x["status"] == "CANCELED", x)
    e = agent.event("job_ended", job="canceled")
    check("the agent sees the job end", e and e.get("how") == "without the agent", e)
    time.sleep(0.5)
    with open(pid_file + ".cancel") as f:
        group = int(f.read())
    check("the step's process group is killed", started and not alive(group))
    check("nothing reported after the cancel", emulator.history("t-cancel", "canceled")[-1] == x and
          not agent.log.all(lambda e: e.get("event") == "report" and e.get("status") != "IN_PROGRESS"),
          emulator.history("t-cancel", "canceled"))
    check("no step after it", "Never|" not in recorded())

    print("5. the agent killed mid-job, and started again")
    open(record, "w").close()
    agent = Agent(broker.address(), "t-restart", handlers, env=env)
    agent.event("step_started", name="Second")
    time.sleep(0.3)
    agent.process.kill()
    agent.process.wait()
    with open(pid_file + ".restart") as f:
        group = int(f.read())
    check("the killed agent's step still runs", alive(group))
    agent.start()
    x = emulator.final("t-restart", "restarted")
    check("SUCCEEDED", x and x["status"] == "SUCCEEDED", x)
    e = agent.event("step_killed")
    check("what the killed agent left running is killed", e and e["process_group"] == group, e)
    e = agent.event("job_resumed")
    check("resumed at the interrupted step", e and e["from_step"] == 2, e)
    check("the first step is not run again, the second is, and knows why",
          recorded() == ["First|", "Second|done", "Third|"], recorded())
    e = agent.event("step_started", name="Second")
    check("IOTJOBS_STEP_INTERRUPTED=restart", e and e.get("interrupted") == "restart", e)

    print("6. AWS-Reboot")
    open(record, "w").close()
    boot = os.path.join(work, "boot-id")
    with open(boot, "w") as f:
        f.write("boot-1\n")
    agent = Agent(broker.address(), "t-reboot", reboot_handlers, "--boot-id-file", boot, env=env)
    code = agent.process.wait(timeout=20)
    check("the reboot takes the agent down", code == -signal.SIGKILL, code)
    with open(boot, "w") as f:
        f.write("boot-2\n")
    agent.start()
    x = emulator.final("t-reboot", "reboot")
    check("SUCCEEDED after the reboot", x and x["status"] == "SUCCEEDED", x)
    check("rebooted once", recorded() == ["reboot"], recorded())
    e = agent.event("step_started", name="Reboot")
    check("the step is told the device rebooted", e and e.get("interrupted") == "reboot", e)

    print("7. SIGTERM mid-step")
    open(record, "w").close()
    agent = Agent(broker.address(), "t-sigterm", handlers, env=env, log_format="text")
    for _ in range(200):  # the text log: its lines are not JSON
        if any(isinstance(l, str) and " step_started " in l for l in list(agent.log.lines)):
            break
        time.sleep(0.05)
    code, _ = agent.stop()
    lines = [l for l in agent.log.lines if isinstance(l, str)]
    check("exit 0, the step stopped, a readable last line", code == 0 and recorded() == [] and
          lines and " stopped jobs=0 steps=1 " in lines[-1], lines[-3:])
    check("readable lines: time, event, name=value",
          any(l.endswith("step_started job=stopped step=1/2 name=Pause "
                         f"program={handlers}/slow.sh pid=" + l.rsplit("=", 1)[-1])
              for l in lines), lines)
    agent.start()
    x = emulator.final("t-sigterm", "stopped")
    check("started again, it carries on: SUCCEEDED", x and x["status"] == "SUCCEEDED" and
          recorded() == ["Pause|done", "Last|"], recorded())

    print("8. jobs of another kind")
    agent = Agent(broker.address(), "t-leave", handlers, env=env)
    e = agent.event("job_left", job="ota")
    time.sleep(0.5)
    check("left: never claimed, and what waits behind it waits",
          e and e["kind"] == "afr_ota" and emulator.history("t-leave", "ota") == [] and
          emulator.history("t-leave", "behind") == [], emulator.history("t-leave", "ota"))
    agent = Agent(broker.address(), "t-reject", handlers, "--unknown-jobs", "reject", env=env)
    x = emulator.final("t-reject", "foreign")
    check("--unknown-jobs reject: REJECTED", x and x["status"] == "REJECTED" and
          x["statusDetails"]["reason"] == "not a job for this agent: a document of kind unknown", x)

    print("9. started before its broker; the broker killed and started again mid-job")
    open(record, "w").close()
    broker2 = Broker()
    agent = Agent(broker2.address(), "t-broker", handlers, env=env)
    e = agent.event("connect_failed")
    time.sleep(2)
    failures = agent.log.all(lambda e: e.get("event") == "connect_failed")
    check("no broker yet: it says so, and tries again after a backoff (0.5-1 s here)",
          e and "refused" in e["reason"] and 2 <= len(failures) <= 6, failures)
    broker2.start()
    emulator2 = Emulator(broker2, {"t-broker": [{"jobId": "survives", "document": document(
        runhandler("A", "slow.sh", [pid_file + ".a", "1"]),
        runhandler("B", "slow.sh", [pid_file + ".b", "1"]),
        runhandler("C", "slow.sh", [pid_file + ".c", "1"]))}]})
    agent.event("step_started", name="B")
    broker2.kill()
    time.sleep(1.5)
    broker2.start()
    x = emulator2.final("t-broker", "survives", timeout=30)
    check("SUCCEEDED", x and x["status"] == "SUCCEEDED", x)
    check("each step run once", recorded() == ["A|done", "B|done", "C|done"], recorded())
    check("connected twice", len(agent.log.all(lambda e: e.get("event") == "connected")) == 2,
          agent.log.all(lambda e: e.get("event") in ("connected", "disconnected")))

    print("10. TLS with client certificates")
    tls = os.path.join(work, "tls")
    os.makedirs(tls)

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=tls, check=True, capture_output=True, timeout=60)

    def certificate(name, subject, ca, san=None):
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + subject)
        extra = []
        if san:
            with open(os.path.join(tls, name + ".ext"), "w") as f:
                f.write(f"subjectAltName={san}\n")
            extra = ["-extfile", name + ".ext"]
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-CAcreateserial", "-out", name + ".crt", "-days", "2", *extra)

    for ca in ("ca", "rogue-ca"):
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", ca + ".key", "-out", ca + ".crt", "-subj", "/CN=iotjobs " + ca,
                "-days", "2")
    certificate("server", "127.0.0.1", "ca", "IP:127.0.0.1")
    certificate("device", "t-tls", "ca")
    certificate("rogue", "t-tls", "rogue-ca")
    tls_port = free_port()
    broker3 = Broker(f"listener {tls_port} 127.0.0.1\ncafile {tls}/ca.crt\n"
                     f"certfile {tls}/server.crt\nkeyfile {tls}/server.key\n"
                     "require_certificate true\nuse_identity_as_username true\n").start(tls_port)
    emulator3 = Emulator(broker3, {"t-tls": [{"jobId": "secure", "document": document(
        runhandler("Secure", "note.sh"))}]})
    rogue = Agent(f"127.0.0.1:{tls_port}", "t-tls", handlers, "--tls", "--cafile",
                  f"{tls}/ca.crt", "--cert", f"{tls}/rogue.crt", "--key", f"{tls}/rogue.key",
                  state=False, env=env)
    e = rogue.event("connect_failed")
    check("a device certificate of another CA: refused, and said", e and
          not rogue.event("connected", timeout=1), e)
    rogue.stop()
    agent = Agent(f"127.0.0.1:{tls_port}", "t-tls", handlers, "--tls", "--cafile",
                  f"{tls}/ca.crt", "--cert", f"{tls}/device.crt", "--key", f"{tls}/device.key",
                  env=env)
    x = emulator3.final("t-tls", "secure")
    check("the device's certificate: connected, the job SUCCEEDED",
          x and x["status"] == "SUCCEEDED", x)
    wrong_ca = Agent(f"127.0.0.1:{tls_port}", "t-tls-2", handlers, "--tls", "--cafile",
                     f"{tls}/rogue-ca.crt", "--cert", f"{tls}/device.crt", "--key",
                     f"{tls}/device.key", state=False, env=env)
    e = wrong_ca.event("connect_failed")
    check("a broker whose certificate the CA did not sign: refused, and said",
          e and "certificate verify failed" in e["reason"], e)

    print("11. 100 jobs")
    agent = Agent(broker.address(), "t-load", handlers, state=False)
    began = time.monotonic()
    x = emulator.final("t-load", "load-099", timeout=120)
    took = time.monotonic() - began
    code, stopped = agent.stop()
    ok = [j for j in range(100) if (emulator.final("t-load", f"load-{j:03}", 0) or {}).get(
        "status") == "SUCCEEDED"]
    print(f"  100 jobs in {took:.1f} s: agent CPU {stopped['cpu_user_ms']} ms user + "
          f"{stopped['cpu_system_ms']} ms system, max RSS {stopped['max_rss_kib']} KiB"
          if stopped else "  (no stopped line)")
    check("all 100 SUCCEEDED, exit 0", len(ok) == 100 and code == 0, len(ok))
    if not sanitized:
        check("resident memory under 16 MiB", stopped and stopped["max_rss_kib"] < 16384, stopped)
finally:
    for p in processes:
        if p.poll() is None:
            p.kill()
            p.wait()

print("agent through mosquitto:", "FAILED: " + ", ".join(failed) if failed else "all passed")
sys.exit(1 if failed else 0)
