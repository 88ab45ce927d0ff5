#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Measures scenarios against a reference in interleaved slices (bench-service).

    interleave.py run OUT_TSV SLICE ROUNDS PIDS POSTMASTER WRK_SCRIPT URL
                  REF=FILE NAME=FILE… -- [wrk options…]
    interleave.py report OUT_TSV [NAME=LABEL…]
    interleave.py totals OUT_TSV NAME

Runs wrk for SLICE seconds at a time, alternating the reference scenario
(the session floor) with each other scenario: per round the reference,
then the first scenario, the reference, the second…, and the reference
again at the end of the run; the scenarios' order rotates by one every
round, so that none always comes first. Around each slice it reads the CPU
time of the service's processes (PIDS, comma-separated: the run time of
every thread from /proc/PID/task/*/schedstat, in ns, and the time they
waited for a CPU), the machine's busy and steal ticks from /proc/stat and
wrk's own CPU (getrusage of the children) and, unless POSTMASTER is "-",
the CPU of the PostgreSQL cluster (the postmaster and its children, with
those that exited). Before the first round each scenario runs 2 s
unmeasured (warm-up). Each slice's numbers go to OUT_TSV, one line each:

    round index name requests seconds rps p50_us p99_us errors
    service_ns runqueue_ns wrk_s machine_s steal_s wall_s postgres_s start

A scenario slice's ratio is its req/s against the mean of the reference's
req/s in the slices just before and just after it (run moments apart, on
the same machine, under the same load); "interleave.py report" prints
the median of these ratios with their spread, every slice's numbers and
whether the reference's slices slowed where the others' did. Only the
standard library (and cpu-split.py beside it).
"""

import importlib.util
import os
import resource
import subprocess
import sys
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")

# cpu-split.py (its name is no module name): one count of the cluster's CPU.
_spec = importlib.util.spec_from_file_location(
    "cpu_split", os.path.join(os.path.dirname(os.path.abspath(__file__)), "cpu-split.py"))
CPU_SPLIT = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(CPU_SPLIT)


def fail(message):
    print("interleave: " + message, file=sys.stderr)
    sys.exit(1)


def service_ns(pids):
    """Run time and run-queue wait (ns) of every thread of the processes."""
    run = wait = 0
    for pid in pids:
        base = "/proc/%s/task" % pid
        try:
            tasks = os.listdir(base)
        except OSError:
            fail("the service (pid %s) is gone" % pid)
        for task in tasks:
            try:
                with open("%s/%s/schedstat" % (base, task)) as f:
                    fields = f.read().split()
            except OSError:
                continue        # a thread that just ended
            run += int(fields[0])
            wait += int(fields[1])
    return run, wait


def machine_ticks():
    with open("/proc/stat") as f:
        fields = f.readline().split()
    # user nice system idle iowait irq softirq steal
    busy = sum(int(fields[i]) for i in (1, 2, 3, 6, 7, 8))
    return busy, int(fields[8])


def postgres_ticks(postmaster):
    """The PostgreSQL cluster's CPU in clock ticks (cpu-split.py's count)."""
    if postmaster == "-":
        return 0
    return CPU_SPLIT.cluster_ticks(postmaster)


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def field(line, key):
    for item in line.split():
        if item.startswith(key + "="):
            return item[len(key) + 1:]
    fail("no %s in %r" % (key, line))


def run_slice(wrk, seconds, path_file, threads):
    result = subprocess.run(wrk + ["-d", "%ds" % seconds, "--", "path", path_file, str(threads)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = [l for l in result.stdout.splitlines() if l.startswith("BENCH ")]
    if result.returncode != 0 or not lines:
        sys.stderr.write(result.stdout)
        fail("wrk failed")
    return lines[-1]


def run():
    if "--" not in sys.argv:
        fail(__doc__)
    split = sys.argv.index("--")
    args, wrk_options = sys.argv[2:split], sys.argv[split + 1:]
    if len(args) < 9:
        fail(__doc__)
    out, seconds, rounds, pids, postmaster, script, url = args[:7]
    seconds, rounds = int(seconds), int(rounds)
    pids = pids.split(",")
    scenarios = [a.split("=", 1) for a in args[7:]]
    reference, others = scenarios[0], scenarios[1:]
    threads = 2
    if "-t" in wrk_options:
        threads = int(wrk_options[wrk_options.index("-t") + 1])
    wrk = ["wrk", "--latency", "--timeout", "10s", "-s", script] + wrk_options + [url]

    order = []
    for r in range(rounds):
        for i in range(len(others)):
            order.append((r + 1, reference))
            order.append((r + 1, others[(i + r) % len(others)]))
    order.append((rounds, reference))

    for name, path_file in scenarios:
        run_slice(wrk, 2, path_file, threads)

    index = 0
    with open(out, "w") as tsv:
        for r, (name, path_file) in order:
            index += 1
            run0, wait0 = service_ns(pids)
            pg0 = postgres_ticks(postmaster)
            busy0, steal0 = machine_ticks()
            wrk0 = children_cpu()
            start = time.time()
            t0 = time.monotonic()
            line = run_slice(wrk, seconds, path_file, threads)
            wall = time.monotonic() - t0
            wrk1 = children_cpu()
            busy1, steal1 = machine_ticks()
            pg1 = postgres_ticks(postmaster)
            run1, wait1 = service_ns(pids)
            requests = int(field(line, "requests"))
            duration = int(field(line, "duration_us")) / 1e6
            errors = sum(int(field(line, k)) for k in ("status_errors", "socket_errors", "timeouts",
                                                       "precondition_failed", "other_failures"))
            tsv.write("\t".join(str(v) for v in (
                r, index, name, requests, "%.3f" % duration, field(line, "rps"),
                field(line, "p50_us"), field(line, "p99_us"), errors,
                run1 - run0, wait1 - wait0, "%.3f" % (wrk1 - wrk0),
                "%.3f" % ((busy1 - busy0) / CLK_TCK), "%.3f" % ((steal1 - steal0) / CLK_TCK),
                "%.3f" % wall, "%.3f" % ((pg1 - pg0) / CLK_TCK), "%.3f" % start)) + "\n")
            tsv.flush()


def median(values):
    values = sorted(values)
    n = len(values)
    if n == 0:
        return float("nan")
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def correlation(xs, ys):
    n = len(xs)
    if n < 3:
        return float("nan")
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / (sxx * syy) ** 0.5 if sxx and syy else float("nan")


def read_slices(path):
    slices = []
    with open(path) as f:
        for line in f:
            v = line.rstrip("\n").split("\t")
            s = dict(round=int(v[0]), index=int(v[1]), name=v[2], requests=int(v[3]), seconds=float(v[4]),
                     rps=float(v[5]), p50=int(v[6]), p99=int(v[7]), errors=int(v[8]),
                     service=int(v[9]) / 1e9, runqueue=int(v[10]) / 1e9, wrk=float(v[11]),
                     machine=float(v[12]), steal=float(v[13]), wall=float(v[14]), postgres=float(v[15]), start=float(v[16]))
            s["us"] = 1e6 * s["service"] / max(1, s["requests"])
            s["other"] = max(0.0, s["machine"] - s["service"] - s["wrk"] - s["postgres"]) / s["wall"]
            slices.append(s)
    return slices


def totals():
    """NAME's slices summed: a BENCH line (p50 and p99 the medians of the
    slices'), then "CPU% PG% wrk% other% service_ms pg_ms" for bench-service."""
    if len(sys.argv) != 4:
        fail(__doc__)
    mine = [s for s in read_slices(sys.argv[2]) if s["name"] == sys.argv[3]]
    if not mine:
        fail("no slices of " + sys.argv[3])
    requests = sum(s["requests"] for s in mine)
    seconds = sum(s["seconds"] for s in mine)
    wall = sum(s["wall"] for s in mine)
    service = sum(s["service"] for s in mine)
    postgres = sum(s["postgres"] for s in mine)
    wrk = sum(s["wrk"] for s in mine)
    machine = sum(s["machine"] for s in mine)
    print("BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=0 p99_us=%d max_us=0 status_errors=%d "
          "socket_errors=0 timeouts=0 precondition_failed=0 other_failures=0 lost=0" % (
              requests, 1e6 * seconds, requests / seconds, median([s["p50"] for s in mine]),
              median([s["p99"] for s in mine]), sum(s["errors"] for s in mine)))
    print("%.0f %.0f %.0f %.0f %.3f %.3f" % (
        100 * service / wall, 100 * postgres / wall, 100 * wrk / wall,
        100 * max(0.0, machine - service - postgres - wrk) / wall,
        1e3 * service / max(1, requests), 1e3 * postgres / max(1, requests)))


def report():
    if len(sys.argv) < 3:
        fail(__doc__)
    labels = dict(a.split("=", 1) for a in sys.argv[3:])
    slices = read_slices(sys.argv[2])
    reference = slices[0]["name"]
    names = []
    for s in slices:
        if s["name"] not in names:
            names.append(s["name"])
    # Each other slice against the reference's slices beside it.
    for i, s in enumerate(slices):
        if s["name"] == reference:
            continue
        beside = [slices[j] for j in (i - 1, i + 1) if 0 <= j < len(slices) and slices[j]["name"] == reference]
        s["ref_rps"] = sum(b["rps"] for b in beside) / len(beside)
        s["ref_us"] = sum(b["us"] for b in beside) / len(beside)
        s["ratio"] = s["rps"] / s["ref_rps"] if s["ref_rps"] else 0.0
        s["cpu_ratio"] = s["ref_us"] / s["us"] if s["us"] else 0.0
    typical = {n: median([s["us"] for s in slices if s["name"] == n]) for n in names}

    print("Every slice (service CPU per request from /proc/PID/task/*/schedstat; run-queue: the time the")
    print("service waited for a CPU; other: the machine's busy CPU less the service's, wrk's and")
    print("PostgreSQL's, 100% = a core;")
    print("ratio: req/s against the mean of the floor slices just before and after; ×typ: CPU per request")
    print("against that scenario's median):")
    print("   %3s %-30s %8s %8s %6s %9s %7s %7s %6s %6s" % ("rnd", "scenario", "req/s", "µs/req", "×typ",
                                                          "runq ms", "other%", "steal%", "p99ms", "ratio"))
    for s in slices:
        print("   %3d %-30s %8.0f %8.1f %6.2f %9.1f %7.0f %7.1f %6.2f %6s" % (
            s["round"], labels.get(s["name"], s["name"])[:30], s["rps"], s["us"], s["us"] / typical[s["name"]],
            1e3 * s["runqueue"], 100 * s["other"], 100 * s["steal"] / s["wall"], s["p99"] / 1e3,
            "%.2f" % s["ratio"] if "ratio" in s else "-"))
    print()
    floor = [s for s in slices if s["name"] == reference]
    print("%s: %d slices, %.0f req/s (median; %.0f–%.0f), %.1f µs CPU a request (median; %.1f–%.1f)" % (
        labels.get(reference, reference).strip(), len(floor), median([s["rps"] for s in floor]),
        min(s["rps"] for s in floor), max(s["rps"] for s in floor), typical[reference],
        min(s["us"] for s in floor), max(s["us"] for s in floor)))
    print("Against the floor beside each slice (target: median ratio ≥ 0.5×; spread lowest–highest slice):")
    print("   %-30s %6s %8s %14s %8s %7s %14s %6s  %s" % ("scenario", "slices", "req/s", "µs/req (range)",
                                                       "ratio", "spread", "CPU ratio", "<0.5", "target"))
    xs, ys = [], []
    for name in names:
        if name == reference:
            continue
        mine = [s for s in slices if s["name"] == name]
        ratios = [s["ratio"] for s in mine]
        m = median(ratios)
        print("   %-30s %6d %8.0f %5.1f (%.0f–%.0f) %7.2f× %s %7.2f×      %6d  %s" % (
            labels.get(name, name).strip()[:30], len(mine), median([s["rps"] for s in mine]), typical[name],
            min(s["us"] for s in mine), max(s["us"] for s in mine), m,
            "%4.2f–%4.2f" % (min(ratios), max(ratios)), median([s["cpu_ratio"] for s in mine]),
            sum(1 for r in ratios if r < 0.5), "met" if m >= 0.5 else "NOT met"))
        for s in mine:
            xs.append(s["us"] / typical[name])
            ys.append(s["ref_us"] / typical[reference])
    slow = [(x, y) for x, y in zip(xs, ys) if x >= 1.2]
    print("CPU ratio: the floor's CPU per request beside the slice against the slice's (what one core")
    print("would serve of each). Do the floor's slices slow where the others do? Each slice's CPU per")
    r = correlation(xs, ys)
    if r == r:
        print("request against its scenario's median, and the floor's beside it: correlation %.2f over %d pairs;"
              % (r, len(xs)))
    else:
        # One round: every slice is its scenario's median, nothing varies.
        print("request against its scenario's median, and the floor's beside it: no correlation over %d pairs"
              " (too few, or nothing varies: run more --search-rounds);" % len(xs))
    if slow:
        print("%d slices cost ≥ 1.2× their median; the floor beside them cost %s× its median." % (
            len(slow), ", ".join("%.2f" % y for _, y in slow)))
    else:
        print("no slice cost 1.2× its median or more.")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "run":
        run()
    elif len(sys.argv) > 1 and sys.argv[1] == "report":
        report()
    elif len(sys.argv) > 1 and sys.argv[1] == "totals":
        totals()
    else:
        fail(__doc__)
