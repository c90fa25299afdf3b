#!/usr/bin/env python3
"""Runs every ```console block of README.md and compares what it prints with the README's text,
so that the README cannot drift from the code.

A block is a shell session: `$ COMMAND` lines, each followed by the lines it prints (standard
output and standard error together); a line `...` stands for any number of lines. The commands of
one block run in order, with bash, in a scratch directory of their own, with this build's iotjobs
first on PATH, and:
- `$ COMMAND &` runs in the background until the block ends, and is a subscriber: the next
  command waits until the broker has seen its subscription; what it prints later counts as the
  output of the commands that follow it;
- a local mosquitto broker stands for the README's: mosquitto_pub and mosquitto_sub reach it
  through their option files ($XDG_CONFIG_HOME), and the address 127.0.0.1:1883 in a command
  (and in what it prints) stands for its own;
- `tools/demo.sh` (which builds and runs examples/jobs_demo) runs this build's jobs_demo.
Usage: test_readme.py README IOTJOBS JOBS_DEMO MOSQUITTO"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

readme, tool, demo, mosquitto = (os.path.abspath(a) for a in sys.argv[1:5])
README_BROKER = "127.0.0.1:1883"
WAIT = 20  # seconds for output, or a subscription, to arrive


def blocks(text):
    """The console blocks: lists of (command, expected lines)."""
    found = []
    for body in re.findall(r"^```console\n(.*?)^```", text, re.S | re.M):
        session = []
        for line in body.splitlines():
            if line.startswith("$ "):
                session.append((line[2:], []))
            elif session:
                session[-1][1].append(line)
        found.append(session)
    return found


def matches(got, want):
    """`want` with `...` standing for any number of lines."""
    if not want:
        return not got
    if want[0] == "...":
        return any(matches(got[i:], want[1:]) for i in range(len(got) + 1))
    return bool(got) and got[0] == want[0] and matches(got[1:], want[1:])


class Broker:
    """mosquitto on a free loopback port, its subscriptions counted from its log."""

    def __init__(self, workdir):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = os.path.join(workdir, "mosquitto.conf")
        with open(config, "w") as f:
            f.write(f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
                    "set_tcp_nodelay true\nlog_type subscribe\nlog_dest stderr\n")
        self.subscriptions = 0
        self.proc = subprocess.Popen([mosquitto, "-c", config], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._count, daemon=True).start()
        deadline = time.time() + WAIT
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("mosquitto did not start")

    def _count(self):
        for line in self.proc.stderr:
            if re.match(r"\d+: \S+ \d+ ", line):  # "<time>: <client id> <qos> <filter>"
                self.subscriptions += 1

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Session:
    """One block's commands; background ones write into `self.lines` as their output comes."""

    def __init__(self, broker, home):
        self.broker, self.lines, self.background = broker, [], []
        self.lock = threading.Lock()
        self.dir = tempfile.mkdtemp(dir=home)
        address = f"127.0.0.1:{broker.port}"
        self.to_local = lambda s: s.replace(README_BROKER, address)
        self.to_readme = lambda s: s.replace(address, README_BROKER)
        self.env = dict(os.environ, PATH=os.path.dirname(os.path.abspath(tool)) + os.pathsep +
                        os.environ["PATH"], XDG_CONFIG_HOME=os.path.join(home, "config"))

    def command(self, line):
        line = self.to_local(line)
        line = re.sub(r"^tools/demo\.sh\b", demo.replace("\\", "\\\\"), line)
        return ["bash", "-o", "pipefail", "-c", line]

    def run(self, line):
        if line.endswith("&"):
            before = self.broker.subscriptions
            proc = subprocess.Popen(self.command(line[:-1].rstrip()), cwd=self.dir, env=self.env,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                    start_new_session=True)
            threading.Thread(target=self._collect, args=(proc,), daemon=True).start()
            self.background.append(proc)
            deadline = time.time() + WAIT
            while self.broker.subscriptions == before and time.time() < deadline:
                time.sleep(0.02)
            return self.broker.subscriptions > before or "no subscription within %d s" % WAIT
        result = subprocess.run(self.command(line), cwd=self.dir, env=self.env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        with self.lock:
            self.lines.extend(self.to_readme(result.stdout).splitlines())
        return result.returncode == 0 or "exit status %d" % result.returncode

    def _collect(self, proc):
        for line in proc.stdout:
            with self.lock:
                self.lines.append(self.to_readme(line.rstrip("\n")))

    def output(self, want):
        """The lines printed since the last call, once as many as `want` holds have come."""
        needed = sum(1 for w in want if w != "...")
        deadline = time.time() + WAIT
        while len(self.lines) < needed and time.time() < deadline:
            time.sleep(0.02)
        time.sleep(0.05)  # a line more than the README says shows as a difference
        with self.lock:
            got, self.lines = self.lines, []
        return got

    def end(self):
        for proc in self.background:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


def main():
    for client in ("mosquitto_sub", "mosquitto_pub"):
        if shutil.which(client) is None:
            print(f"FAIL: {client} is missing (Debian: mosquitto-clients)")
            return 1
    sessions = blocks(open(readme, encoding="utf-8").read())
    home = tempfile.mkdtemp()
    failures = commands = 0
    broker = Broker(home)
    try:
        os.makedirs(os.path.join(home, "config"))
        for client in ("mosquitto_sub", "mosquitto_pub"):
            with open(os.path.join(home, "config", client), "w") as f:
                f.write(f"-h 127.0.0.1\n-p {broker.port}\n")
        for session in sessions:
            s = Session(broker, home)
            try:
                for line, want in session:
                    commands += 1
                    status = s.run(line)
                    got = s.output(want)
                    if status is not True or not matches(got, want):
                        failures += 1
                        print(f"FAIL: $ {line}")
                        if status is not True:
                            print(f"  {status}")
                        print("  printed:\n    " + "\n    ".join(got))
                        print("  README:\n    " + "\n    ".join(want))
            finally:
                s.end()
    finally:
        broker.stop()
        shutil.rmtree(home, ignore_errors=True)
    print(f"{len(sessions)} console blocks, {commands} commands, {failures} failed")
    return 1 if failures or not commands else 0


sys.exit(main())
