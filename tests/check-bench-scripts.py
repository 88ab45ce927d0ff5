#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The verdicts of build-aux/bench-service's helpers, on made-up measurements.

    check-bench-scripts.py SOURCE_ROOT

- rounds.py compares on the median of the rounds' ratios (no verdict: the
  slices judge), and prints the spread (lowest–highest round) and the
  rounds below 1 beside it;
- instances.py reads ss's sockets (state, port, inode, bytes received) and
  reports each instance's connections, share of the requests and busy pool;
- interleave.py judges each search shape on the median of its slices'
  ratios to the floor's slices beside them, so that a window where the
  machine slows floor and shape alike does not count against the shape,
  and sums a scenario's slices for bench-service's table;
- deployments.py judges each PostgreSQL deployment (#12) on the median of
  its slices' ratios to the one-direct slices beside them, so that a
  window where the machine slows the direct alike does not count against
  the deployment measured in it.
"""

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time

root = sys.argv[1]
bench = os.path.join(root, "build-aux", "bench")
failures = 0


def check(condition, what):
    global failures
    print("%s - %s" % ("ok" if condition else "not ok", what))
    if not condition:
        failures += 1


def rounds_output(lines):
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        f.write("".join(lines))
    try:
        return subprocess.run([sys.executable, os.path.join(bench, "rounds.py"), f.name, "2", "8", "4"],
                              capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)


def row(rnd, deployment, scenario, rps, spread=""):
    return "%d\t%s\t%s\t%s\t%.1f\t%s\t%s\n" % (rnd, deployment, scenario, scenario, rps,
                                               "1.000 0.500 0.000 0.400 0.100", spread)


def verdict_line(text, title, scenario):
    """The line of SCENARIO under the comparison whose title starts with TITLE."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    return next(line for line in lines[start + 1:] if line.strip().startswith(scenario))


# Saves: one round well above 1 cannot outvote two below it (the mean
# would be 1.04, the median is 0.97); reads: the median 1.00 is met.
one_port = {1: (1.20, 1.00), 2: (0.95, 1.30), 3: (0.97, 0.95)}
lines = []
for rnd, (save, read) in one_port.items():
    lines += [row(rnd, "postgresql-1", "save", 1000), row(rnd, "postgresql-1", "read", 4000),
              row(rnd, "proxy-1", "save", 1000), row(rnd, "proxy-1", "read", 4000),
              row(rnd, "proxy-2", "save", 1000), row(rnd, "proxy-2", "read", 4000),
              row(rnd, "reuse-2", "save", 1000 * save,
                  "instance 1: 21 connections (66 %%), 48 %% of the requests (~%d)" % (480 * save)),
              row(rnd, "reuse-2", "read", 4000 * read), row(rnd, "reuse-2-8", "save", 1100)]
text = rounds_output(lines)
line = verdict_line(text, "2 instances on one port", "save")
check("0.97×" in line and line.endswith("< 1"), "a median below 1 reads < 1: " + line.strip())
check("(0.95–1.20;" in line and "rounds: 1.20 0.95 0.97;" in line and "2 of 3 below 1" in line,
      "the spread, every round and the rounds below 1 are shown")
line = verdict_line(text, "2 instances on one port", "read")
check("1.00×" in line and line.endswith("≥ 1") and "1 of 3 below 1" in line,
      "a median of 1.00 reads ≥ 1, with its round below 1 shown: " + line.strip())
line = verdict_line(text, "2 instances on one port (8 each)", "save")
check("1.10×" in line and line.endswith("≥ 1"), "the deployment of --also-instance-connections is compared")
check("2 on one port (4 each), save, round 2: instance 1: 21 connections (66 %), 48 % of the requests"
      in text, "each round's spread over the instances is printed")

# instances.py: sockets by inode and port, bytes received summed.
spec = importlib.util.spec_from_file_location("instances", os.path.join(bench, "instances.py"))
instances = importlib.util.module_from_spec(spec)
spec.loader.exec_module(instances)
ss = ("LISTEN 0 4096 127.0.0.1:5000 0.0.0.0:* ino:11 sk:1 cgroup:/ <->\n"
      "\t bbr cwnd:10\n"
      "ESTAB 0 0 127.0.0.1:5000 127.0.0.1:40001 ino:12 sk:2 cgroup:/ <->\n"
      "\t bbr bytes_sent:10 bytes_acked:10 bytes_received:300 segs_out:2\n"
      "ESTAB 0 0 127.0.0.1:40001 127.0.0.1:5000 ino:13 sk:3 cgroup:/ <->\n"
      "\t bbr bytes_received:10\n"
      "TIME-WAIT 0 0 127.0.0.1:5000 127.0.0.1:40002 timer:(timewait,59sec,0) ino:0 sk:4\n")
check(instances.parse_ss(ss) == [("LISTEN", "5000", "11", 0), ("ESTAB", "5000", "12", 300),
                                 ("ESTAB", "40001", "13", 10), ("TIME-WAIT", "5000", "0", 0)],
      "ss's sockets parsed: state, local port, inode, bytes received")
with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    json.dump({"instances": [{"pid": "1", "connections": 22, "bytes": 5000, "pool_busy": 3.9},
                             {"pid": "2", "connections": 10, "bytes": 5000, "pool_busy": 3.7}],
               "samples": 90, "seconds": 4.5}, f)
try:
    report = subprocess.run([sys.executable, os.path.join(bench, "instances.py"), "report", f.name, "1000", "4"],
                            capture_output=True, text=True, check=True).stdout
finally:
    os.unlink(f.name)
check(report.strip() == "instance 1: 22 connections (69 %), 50 % of the requests (~500), pool 3.9 of 4 busy; "
      "instance 2: 10 connections (31 %), 50 % of the requests (~500), pool 3.7 of 4 busy "
      "(90 samples over 4.5 s)",
      "the report: " + report.strip())

with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    json.dump({"instances": [{"pid": "1", "connections": 0, "bytes": 0, "pool_busy": 0.2}],
               "samples": 3, "seconds": 4.6}, f)
try:
    report = subprocess.run([sys.executable, os.path.join(bench, "instances.py"), "report", f.name, "1000", "4"],
                            capture_output=True, text=True, check=True).stdout
finally:
    os.unlink(f.name)
check("no connection seen: the watcher ran late" in report, "a watcher that saw nothing says so")

# interleave.py: slices "round index name requests seconds rps p50 p99
# errors service_ns runqueue_ns wrk_s machine_s steal_s wall_s postgres_s
# start". Floor at 10,000 req/s, 60 µs a request; the shape at 6,000 req/s,
# 90 µs; in slices 5-7 (the shape's third and the floor's beside it) the
# machine slows both to 60 %: against the floor measured once, before,
# that slice would read 0.36×; against the floor beside it, 0.60×.
def slice_line(rnd, index, name, rps, us):
    return "\t".join(str(v) for v in (rnd, index, name, int(rps), "1.000", "%.1f" % rps, 2000, 9000, 0,
                                       int(rps * us * 1000), 0, "0.300", "1.500", "0.000", "1.050", "0.000",
                                       "%.3f" % (1000 + index))) + "\n"


slices = []
index = 0
for rnd in (1, 2, 3, 4, 5):
    for name, rps, us in (("session", 10000, 60), ("search-x", 6000, 90)):
        index += 1
        speed = 0.6 if index in (5, 6, 7) else 1.0
        slices.append(slice_line(rnd, index, name, rps * speed, us / speed))
slices.append(slice_line(5, index + 1, "session", 10000, 60))
with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
    f.write("".join(slices))
try:
    report = subprocess.run([sys.executable, os.path.join(bench, "interleave.py"), "report", f.name,
                             "session=session floor", "search-x=q = x"],
                            capture_output=True, text=True, check=True).stdout
    totals = subprocess.run([sys.executable, os.path.join(bench, "interleave.py"), "totals", f.name, "search-x"],
                            capture_output=True, text=True, check=True).stdout.splitlines()
finally:
    os.unlink(f.name)
shape = next((line for line in report.splitlines() if line.strip().startswith("q = x")), "")
check(shape.split()[7:9] == ["0.60×", "0.60–0.75"],
      "each slice against the floor beside it: the median ratio 0.60×, spread 0.60–0.75: " + shape.strip())
check(shape.split()[-1] == "met" and "NOT" not in shape, "the shape judged on the median ratio ≥ 0.5×: met")
slow_slice = next((line for line in report.splitlines() if line.split()[:3] == ["3", "q", "="]), "")
check(slow_slice.split()[-1] == "0.60" and slow_slice.split()[5] == "150.0",
      "the slow slice printed with its CPU a request (150 µs) and its ratio (0.60): " + slow_slice.strip())
check("1 slices cost ≥ 1.2× their median; the floor beside them cost 1.67× its median" in report,
      "the floor's slices slowed where the shape's did: said so")
check(len(totals) == 2 and " requests=27600 " in " " + totals[0] + " " and " rps=5520.0 " in totals[0] + " "
      and totals[1].split()[4] == "0.098",
      "totals: the shape's slices summed (27,600 requests, 5,520 req/s, 0.098 ms a request): " + " | ".join(totals))
# A shape slower than half the floor beside it in most slices is not met,
# however fast the floor was elsewhere.
slices = [slice_line(1, 1, "session", 10000, 60), slice_line(1, 2, "search-x", 4500, 90),
          slice_line(1, 3, "session", 10000, 60), slice_line(2, 4, "search-x", 6000, 90),
          slice_line(2, 5, "session", 10000, 60), slice_line(3, 6, "search-x", 4000, 90),
          slice_line(3, 7, "session", 10000, 60)]
with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
    f.write("".join(slices))
try:
    report = subprocess.run([sys.executable, os.path.join(bench, "interleave.py"), "report", f.name,
                             "search-x=q = x"], capture_output=True, text=True, check=True).stdout
finally:
    os.unlink(f.name)
shape = next((line for line in report.splitlines() if line.strip().startswith("q = x")), "")
check(shape.strip().endswith("NOT met") and "0.45×" in shape and " 2  NOT met" in shape,
      "median 0.45× is NOT met, 2 slices below 0.5: " + shape.strip())
# Every slice at its median (as in one round): no correlation to compute,
# and the report says so instead of printing "nan".
check("nan" not in report and "no correlation over 3 pairs" in report,
      "slices that do not vary: no correlation, said in words")

# deployments.py: #12's deployments in slices beside the one direct's. Three
# rounds, in run()'s order (direct, another, direct, …, the others rotated
# by one a round); one direct serves 1,000 saves/s at 2 ms a save, 1 behind
# HAProxy 990, 2 behind HAProxy 1,010, 2 on one port 1,020. In a window of
# the machine's (round 2: the one-port slice and the direct slices
# beside it) everything runs at 60 %: against the one direct's median that
# deployment reads 0.61×, against the direct beside it 1.02×.
def deployment_line(rnd, index, scenario, deployment, rps, ms, start):
    requests = int(rps)
    cpu = requests * ms / 1000
    return "\t".join(str(v) for v in (
        rnd, index, scenario, deployment, requests, "1.000", "%.1f" % rps, 2000, 9000, 0,
        "%.4f" % (cpu * 0.35), "%.4f" % (cpu * 0.05 if deployment.startswith("proxy-") else 0),
        "%.4f" % (cpu * 0.5), "%.4f" % (cpu * 0.05), "0.0100", "0.0100", "%.3f" % (cpu * 0.05), "1.900",
        "0.000", "1.050", "%.3f" % start)) + "\n"


def deployments_slices(speeds, slow_rounds, fast_rounds=()):
    others = ["proxy-1", "proxy-2", "reuse-2"]
    order = []
    for r in range(3):
        for i in range(3):
            order += [(r + 1, "postgresql-1"), (r + 1, others[(i + r) % 3])]
    order.append((3, "postgresql-1"))
    slow = set()
    for k, (rnd, deployment) in enumerate(order):
        if deployment == "reuse-2" and rnd in slow_rounds:
            slow |= {k - 1, k, k + 1}
    # fast_rounds: the one-port slice alone 1.4× (a neighbour paused).
    fast = {k for k, (rnd, deployment) in enumerate(order) if deployment == "reuse-2" and rnd in fast_rounds}
    return "".join(deployment_line(rnd, k + 1, "save", deployment,
                                   speeds[deployment] * (0.6 if k in slow else 1.4 if k in fast else 1.0),
                                   2.0 / (0.6 if k in slow else 1.0), 1000 + 10 * k)
                   for k, (rnd, deployment) in enumerate(order))


def deployments_report(text, flushes=None):
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        f.write(text)
    if flushes is not None:
        with open(f.name + ".flushes", "w") as g:
            g.write("".join("%d\t%d\n" % item for item in flushes.items()))
    try:
        return subprocess.run([sys.executable, os.path.join(bench, "deployments.py"), "report", f.name,
                               "postgresql-1=1 direct", "proxy-1=1 behind HAProxy", "proxy-2=2 behind HAProxy",
                               "reuse-2=2 on one port"], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
        if flushes is not None:
            os.unlink(f.name + ".flushes")


def deployment_verdict(report, title):
    return next((line for line in report.splitlines() if line.strip().startswith(title)), "")


speeds = {"postgresql-1": 1000, "proxy-1": 990, "proxy-2": 1010, "reuse-2": 1020}
report = deployments_report(deployments_slices(speeds, {2}))
line = deployment_verdict(report, "2 on one port / 1 direct")
check("1.02× (1.02–1.02; 0 of 3 slices below 1)" in line and line.endswith(" met"),
      "a window that slows the direct beside a slice as much does not count against it: " + line.strip())
check(sum(1 for l in report.splitlines() if l.split()[:2] in (["1", "save"], ["2", "save"], ["3", "save"])) == 19,
      "every slice printed (19)")
slow_slice = next((l for l in report.splitlines() if l.split()[:2] == ["2", "save"] and "one port" in l), "")
check(slow_slice.split()[-1] == "1.02" and slow_slice.split()[6] == "612",
      "the slow slice printed with its req/s (612) and ratio (1.02): " + slow_slice.strip())
check("the direct beside them 1.67× its median" in report, "the direct's slices slowed where the others' did: said so")
aa = next((l for l in report.splitlines() if "a minute or more later" in l), "")
check("0.60–1.67" in aa, "the direct against itself a minute apart swings as the machine did: " + aa.strip())
split = next((l for l in report.splitlines() if l.strip().startswith("2 behind HAProxy") and "slices" in l
              and "=" in l), "")
check("2.000 = 0.700 + 0.100 + 1.000 + 0.100 + 0.100" in split,
      "the CPU per request split per deployment: " + split.strip())
steady = deployments_report(deployments_slices(speeds, set()))
line = deployment_verdict(steady, "2 behind HAProxy / 1 behind HAProxy")
check("1.02× (1.02–1.02; 0 of 3 slices below 1)" in line and line.endswith(" met"),
      "N behind HAProxy against 1 behind HAProxy, round by round: " + line.strip())
line = deployment_verdict(steady, "1 behind HAProxy / 1 direct")
check("0.99× (0.99–0.99; 3 of 3 slices below 1)" in line and line.endswith("NOT met"),
      "1% slower in every slice is NOT met: " + line.strip())
# A deployment that is slower beside the direct in most slices is NOT met,
# however fast one slice was (the mean would be 1.08×).
speeds["reuse-2"] = 950
line = deployment_verdict(deployments_report(deployments_slices(speeds, (), {3})), "2 on one port / 1 direct")
check("0.95× (0.95–1.33; 2 of 3 slices below 1)" in line and line.endswith("NOT met"),
      "5% slower beside the direct in 2 slices of 3 is NOT met: " + line.strip())

# The WAL flushes of the save slices: perf's 100 ms intervals each go to
# the slice their middle fell in, and each deployment's commits per flush
# are its saves over its flushes.
spec = importlib.util.spec_from_file_location("deployments", os.path.join(bench, "deployments.py"))
deployments = importlib.util.module_from_spec(spec)
spec.loader.exec_module(deployments)
perf = ["# started on …", ""] + ["%.9f,%d,,syscalls:sys_enter_fdatasync,100000,100.00,," % (0.1 * k + 0.0004, k)
                                  for k in range(1, 21)] + ["0.300400,<not counted>,,syscalls:sys_enter_fsync,,,,"]
counts = deployments.counts_by_slice(perf, [(1, 0.0, 0.95), (2, 1.0, 1.55), (3, 1.6, 1.7)])
check(counts == {1: 45, 2: 65, 3: 17}, "perf intervals counted for the slice they fell in: %r" % counts)
# The main loops' polls: perf --per-thread lines, only the slice's own
# instances' main threads counted (tid = pid), other threads not.
perf = ["%.9f,%s-%d,%d,,syscalls:sys_enter_poll,100000,100.00,," % (0.1 * k + 0.0004, comm, tid, n)
        for k in range(1, 11) for comm, tid, n in (("enrollment-serv", 100, 2), ("pool-enrollment", 101, 5),
                                                   ("enrollment-serv", 200, 3))]
counts = deployments.counts_by_slice(perf, [(1, 0.0, 0.5, {"100"}), (2, 0.5, 1.0, {"100", "200"})])
check(counts == {1: 10, 2: 25}, "per-thread perf lines counted for their slice's threads: %r" % counts)
# perf not installed: the counter keeps the slices and writes nothing.
with tempfile.TemporaryDirectory() as empty:
    path, os.environ["PATH"] = os.environ["PATH"], empty
    try:
        counter = deployments.PollCounter(os.path.join(empty, "slices.polls"), ["1"])
        counter.slice(1, time.monotonic(), time.monotonic() + 1, ["1"])
        counter.finish()
        check(not os.listdir(empty), "a counter without perf writes nothing: %r" % os.listdir(empty))
    except Exception as e:
        check(False, "a counter without perf: %r" % e)
    finally:
        os.environ["PATH"] = path
order = deployments_slices({"postgresql-1": 1000, "proxy-1": 990, "proxy-2": 1010, "reuse-2": 1020}, set())
flushes = {k + 1: 500 for k in range(19)}
flushes[2] = 0
report = deployments_report(order, flushes)
line = next((l for l in report.splitlines() if "commits per flush" in l and "on one port" in l), "")
check("2.04 commits per flush" in line and "3060 saves" in line and "1500 flushes" in line,
      "the one port's commits per flush: " + line.strip())
line = next((l for l in report.splitlines() if "commits per flush" in l and "1 direct" in l), "")
check("2.00 commits per flush" in line, "the one direct's commits per flush: " + line.strip())
line = next((l for l in report.splitlines() if "commits per flush" in l and "1 behind HAProxy" in l), "")
check("1980 saves" in line and "1000 flushes" in line and "1.98 commits per flush" in line,
      "a slice without a flush counted in neither its saves' total nor its flushes: " + line.strip())

sys.exit(1 if failures else 0)
