#!/usr/bin/env python3
"""The Jobs emulator and device agents end to end through a real mosquitto broker, started here on
a free loopback port (no persistence, anonymous, TCP_NODELAY):

1. lifecycles: 3 things x 4 jobs, every job to SUCCEEDED at versionNumber 5, every update
   applied once (jobs_demo checks both sides and exits 1 otherwise);
2. load: 50 things x 20 jobs, printing messages per second and the p99 round trip;
3. a broker restart in the middle of a run: the broker is killed, started again on the same port,
   and every agent and the emulator reconnect and finish every job, none applied twice;
4. `iotjobs emulate` with a jobs file: it says when it is ready, the agents alone run its jobs,
   and SIGTERM stops it cleanly with its counts;
5. `iotjobs emulate --time-scale 600`: a job's one-minute in-progress timeout, started by an
   update from mosquitto_pub, runs out in a tenth of a second, and notify says so;
6. every rejection code a device can meet, and each behaviour the emulator shares with the
   service (tests/test_e2e_rejections.cpp, through the broker);
7. jobs_demo's agents (tools/mqtt's threaded libmosquitto client), started 2 s before their
   broker: they connect once it is up and run their job;
8. the README's device (examples/mosquitto_device.cpp, the job runner on libmosquitto), started
   while the broker is down: it connects once the broker is up and runs its two jobs, queued by
   `iotjobs emulate`, to SUCCEEDED.

Every process is stopped on the way out, also when a scenario fails.
Usage: e2e_mosquitto.py MOSQUITTO JOBS_DEMO IOTJOBS_TOOL TEST_E2E_REJECTIONS MOSQUITTO_DEVICE"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

mosquitto, demo, tool, rejections, device = sys.argv[1:6]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_broker(config):
    broker = subprocess.Popen([mosquitto, "-c", config], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return broker
        except OSError:
            time.sleep(0.05)
    broker.kill()
    raise RuntimeError("mosquitto did not start")


def stop(process):
    if process and process.poll() is None:
        process.kill()
        process.wait()


port = free_port()
workdir = tempfile.mkdtemp(prefix="iotjobs-e2e-")
config = os.path.join(workdir, "mosquitto.conf")
with open(config, "w") as f:
    f.write(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
            "set_tcp_nodelay true\n")
broker = run = emulate = None
failed = []
try:
    broker = start_broker(config)
    address = f"127.0.0.1:{port}"

    def scenario(name, args, check=lambda out: True):
        result = subprocess.run([demo, "--broker", address] + args, capture_output=True,
                                text=True, timeout=120)
        lines = result.stdout.strip().splitlines()
        print(f"{name}: {'; '.join(lines[-2:]) if lines else '(no output)'}")
        if result.returncode != 0 or not check(result.stdout):
            failed.append(name)
            print(result.stdout[-4000:], result.stderr[-2000:], sep="\n")

    scenario("lifecycles", ["--things", "3", "--jobs", "4"])
    scenario("load 50x20", ["--things", "50", "--jobs", "20", "--quiet"])

    # Four things, three jobs of three 300 ms steps each: about 3 s; the broker goes away for
    # 1.5 s after the first second.
    run = subprocess.Popen([demo, "--broker", address, "--things", "4", "--jobs", "3", "--work",
                            "300", "--timeout", "60"], stdout=subprocess.PIPE, text=True)
    time.sleep(1.0)
    stop(broker)
    time.sleep(1.5)
    broker = start_broker(config)
    out, _ = run.communicate(timeout=90)
    lines = out.strip().splitlines()
    print(f"broker restart: {lines[-1] if lines else '(no output)'}")
    reconnects = sum("reconnected" in line for line in lines)
    print(f"broker restart: {reconnects} agents reconnected")
    if run.returncode != 0 or reconnects != 4:
        failed.append("broker restart")
        print(out[-4000:])

    # `iotjobs emulate`: 3 things with 2 jobs each, then the agents alone.
    jobs = os.path.join(workdir, "jobs.json")
    with open(jobs, "w") as f:
        json.dump({"things": {f"thing-{t:03}": [
            {"jobId": f"job-{j:03}", "document": {"operation": "install", "n": j},
             "inProgressTimeoutInMinutes": 30} for j in (1, 2)] for t in (1, 2, 3)}}, f)
    emulate = subprocess.Popen([tool, "emulate", "--broker", address, "--jobs", jobs],
                               stdout=subprocess.PIPE, text=True)
    ready = emulate.stdout.readline().strip()
    print(f"iotjobs emulate: {ready}")
    scenario("iotjobs emulate", ["--agents-only", "--things", "3", "--jobs", "2"])
    emulate.terminate()
    out, _ = emulate.communicate(timeout=10)
    print(f"iotjobs emulate: {out.strip()} (exit {emulate.returncode})")
    if (not ready.startswith("iotjobs emulate: ready") or emulate.returncode != 0 or
            "24 updates applied" not in out):
        failed.append("iotjobs emulate")

    # --time-scale: 600 times real time, so one minute passes in 0.1 s.
    with open(jobs, "w") as f:
        json.dump({"things": {"fast": [{"jobId": "j1", "document": {},
                                        "inProgressTimeoutInMinutes": 1}]}}, f)
    emulate = subprocess.Popen([tool, "emulate", "--broker", address, "--jobs", jobs,
                                "--time-scale", "600"], stdout=subprocess.PIPE, text=True)
    ready = emulate.stdout.readline().strip()
    host, _, tcp = address.partition(":")
    sub = subprocess.Popen([shutil.which("mosquitto_sub"), "-h", host, "-p", tcp, "-C", "1", "-W",
                            "15", "-t", "$aws/things/fast/jobs/notify"], stdout=subprocess.PIPE,
                           text=True)
    time.sleep(0.5)  # subscribed
    subprocess.run([shutil.which("mosquitto_pub"), "-h", host, "-p", tcp, "-t",
                    "$aws/things/fast/jobs/j1/update", "-m", '{"status":"IN_PROGRESS"}'],
                   check=True, timeout=10)
    notified, _ = sub.communicate(timeout=20)
    emulate.terminate()
    emulate.communicate(timeout=10)
    print(f"--time-scale 600: notify {notified.strip() or '(none)'}")
    if not ready.startswith("iotjobs emulate: ready") or '"jobs":{}' not in notified:
        failed.append("--time-scale")

    result = subprocess.run([rejections], capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, IOTJOBS_BROKER=address))
    summary = [line for line in result.stdout.splitlines() if "assertions" in line]
    print(f"rejections: {summary[-1] if summary else '(no output)'}")
    if result.returncode != 0:
        failed.append("rejections")
        print(result.stdout[-4000:], result.stderr[-2000:], sep="\n")

    # The agents of jobs_demo (tools/mqtt's threaded client), started before their broker.
    stop(broker)
    run = subprocess.Popen([demo, "--broker", address, "--agents-only", "--things", "1",
                            "--jobs", "1", "--timeout", "60"], stdout=subprocess.PIPE, text=True)
    time.sleep(2)
    broker = start_broker(config)
    with open(jobs, "w") as f:
        json.dump({"things": {"thing-001": [{"jobId": "job-001", "document": {}}]}}, f)
    emulate = subprocess.Popen([tool, "emulate", "--broker", address, "--jobs", jobs],
                               stdout=subprocess.PIPE, text=True)
    emulate.stdout.readline()
    out, _ = run.communicate(timeout=90)
    emulate.terminate()
    emulate.communicate(timeout=10)
    lines = out.strip().splitlines()
    print(f"agents before their broker: {lines[-1] if lines else '(no output)'}")
    if run.returncode != 0:
        failed.append("agents before their broker")
        print(out[-4000:])

    # The README's device, started before its broker.
    stop(broker)
    run = subprocess.Popen([device, "dev-1", host, tcp, "2"], stdout=subprocess.PIPE, text=True)
    time.sleep(1.5)
    broker = start_broker(config)
    with open(jobs, "w") as f:
        json.dump({"things": {"dev-1": [{"jobId": f"job-{j}", "document": {"n": j}}
                                        for j in (1, 2)]}}, f)
    emulate = subprocess.Popen([tool, "emulate", "--broker", address, "--jobs", jobs],
                               stdout=subprocess.PIPE, text=True)
    ready = emulate.stdout.readline().strip()
    out, _ = run.communicate(timeout=60)
    emulate.terminate()
    counts, _ = emulate.communicate(timeout=10)
    print(f"README device: {'; '.join(out.strip().splitlines())} (exit {run.returncode}); "
          f"{counts.strip()}")
    # Each job: the claim, IN_PROGRESS, SUCCEEDED.
    if (run.returncode != 0 or out.split() != ["runs", "job-1", "runs", "job-2"] or
            "6 updates applied" not in counts):
        failed.append("README device")
finally:
    stop(run)
    stop(emulate)
    stop(broker)

print("e2e through mosquitto:", "FAILED: " + ", ".join(failed) if failed else "8 scenarios passed")
sys.exit(1 if failed else 0)
