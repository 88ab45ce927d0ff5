#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""PostgreSQL deployments measured side by side in interleaved slices
(build-aux/bench-service --backend postgresql, #12).

    deployments.py run OUT_TSV SLICE ROUNDS POSTMASTER WRK_SCRIPT SCENARIOS
                   DATE1 DATE2 NAME|URL|PIDS|WORK… -- [wrk options…]
    deployments.py report OUT_TSV [NAME=TITLE…]

Every deployment is up at once on the same cluster (NAME, its URL, its
processes PIDS, comma-separated: instances and HAProxy, and WORK, the
folder prepare.py wrote its token and request lists in); the first is the
reference (one instance direct). For each scenario of SCENARIOS
(comma-separated: customer, save) it runs wrk for SLICE seconds at a time,
alternating the reference with each other deployment: per round the
reference, the first other, the reference, the second…, the reference
again at the end; the others' order rotates by one every round. Before
the first round each deployment runs each scenario 2 s unmeasured. Saves
save the same tasks (WORK/tasks.txt) slice after slice: after each slice
the tasks' versions are read back (they must have gone up by the replies
wrk counted, plus at most those in flight when it stopped) and given to
the next slice.

Around each slice it reads, from /proc, the CPU (utime + stime) of the measured deployment's instances and of its HAProxy, of the
PostgreSQL backends serving it (a backend belongs to the deployment whose
instance holds the other end of its socket: ss), of the rest of the
cluster (postmaster, WAL writer, checkpointer…, backends of no deployment,
and processes that exited: the postmaster's cutime + cstime), of the idle
deployments (their instances and HAProxy, and their backends: listening
connections woken by the measured one's announcements, HAProxy's health
checks), wrk's own (getrusage of the children) and the machine's busy and
steal ticks (/proc/stat). During the saves one perf stat counts the
cluster's WAL flushes (fdatasync and fsync of the postmaster's children)
in 100 ms intervals, each given to the slice it fell in (OUT_TSV.flushes;
the report prints each deployment's commits per flush), and another the
measured instances' main threads' poll calls, their main loops' wake-ups
(OUT_TSV.polls; printed per request). One line per slice in OUT_TSV:

    round index scenario deployment requests seconds rps p50_us p99_us
    errors instances_s haproxy_s pg_own_s pg_shared_s pg_idle_s idle_s
    wrk_s machine_s steal_s wall_s start

"report" judges each deployment against the reference: each slice's req/s
against the mean of the reference's slices just before and after it (run
moments apart, on the same machine, under the same load), and the
deployment on the median of those ratios (met when at least 1: not slower);
N behind HAProxy against 1 behind HAProxy on the median of the rounds'
quotients of their ratios. It prints the spread, the slices below 1, every
slice, the CPU per request split per deployment, whether the reference's
slices slowed where the others' did, and the reference against itself
measured minutes apart (what the old measure, one deployment after the
other, takes for a difference). Only the standard library and ss
(iproute2).
"""

import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
import urllib.request

CLK_TCK = os.sysconf("SC_CLK_TCK")

# The statistics and the machine's ticks are the search's slices' own
# (interleave.py), so that both verdicts count alike.
_spec = importlib.util.spec_from_file_location(
    "interleave", os.path.join(os.path.dirname(os.path.abspath(__file__)), "interleave.py"))
INTERLEAVE = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(INTERLEAVE)
median = INTERLEAVE.median
correlation = INTERLEAVE.correlation
machine_ticks = INTERLEAVE.machine_ticks


def fail(message):
    print("deployments: " + message, file=sys.stderr)
    sys.exit(1)


# --- measuring ----------------------------------------------------------------

def proc_ns(pid):
    """Run time (ns) of every thread of PID; 0 when it is gone."""
    total = 0
    try:
        tasks = os.listdir("/proc/%s/task" % pid)
    except OSError:
        return 0
    for task in tasks:
        try:
            with open("/proc/%s/task/%s/schedstat" % (pid, task)) as f:
                total += int(f.read().split()[0])
        except OSError:
            continue
    return total


def process_seconds(pid):
    """CPU seconds of PID, every thread, those that ended included
    (utime + stime of /proc/PID/stat: a pool's idle threads end); 0 when
    it is gone."""
    try:
        fields = stat_fields(pid)
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def stat_fields(pid):
    with open("/proc/%s/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()


def pg_children(postmaster):
    return [pid for pid, _ in INTERLEAVE.CPU_SPLIT.cluster_children(postmaster)]


def socket_owners(kind):
    """ss -H{kind}anp: [(local, peer, pids)] with local and peer as ss prints
    them (address:port, or a Unix socket's path and inode)."""
    text = subprocess.run(["ss", "-H%sanp" % kind], capture_output=True, text=True, check=False).stdout
    out = []
    for line in text.splitlines():
        fields = line.split()
        pids = set()
        for item in fields:
            if item.startswith("users:"):
                pids = {p.split("=", 1)[1].rstrip(")") for p in item.split(",") if p.startswith("pid=")}
        if kind == "x":
            # u_str ESTAB recv send PATH INODE PEER PEER_INODE users
            if len(fields) >= 8:
                out.append((fields[5], fields[7], pids))
        else:
            if len(fields) >= 5:
                out.append((fields[3], fields[4], pids))
    return out


def backends_of(deployments, postmaster):
    """{backend pid: deployment name} for the backends whose client is one of
    a deployment's processes (Unix socket or TCP)."""
    owner = {}
    for d in deployments:
        for pid in d["pids"]:
            owner[pid] = d["name"]
    children = set(pg_children(postmaster))
    out = {}
    for kind in ("x", "t"):
        sockets = socket_owners(kind)
        by_local = {}
        for local, peer, pids in sockets:
            by_local.setdefault(local, set()).update(pids)
        for local, peer, pids in sockets:
            for pid in pids & children:
                for client in by_local.get(peer, ()):
                    if client in owner:
                        out[pid] = owner[client]
    return out


def snapshot(deployments, postmaster, backends):
    """{group: seconds} now: each deployment's instances and HAProxy, the
    cluster's backends by deployment and the rest of the cluster."""
    out = {}
    for d in deployments:
        inst = proxy = 0
        for pid in d["pids"]:
            try:
                with open("/proc/%s/comm" % pid) as f:
                    comm = f.read().strip()
            except OSError:
                continue
            if comm == "haproxy":
                proxy += process_seconds(pid)
            else:
                inst += process_seconds(pid)
        out[d["name"] + " instances"] = inst
        out[d["name"] + " haproxy"] = proxy
    fields = stat_fields(postmaster)
    shared = (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / CLK_TCK
    for pid in pg_children(postmaster):
        seconds = proc_ns(pid) / 1e9
        name = backends.get(pid)
        if name is None:
            shared += seconds
        else:
            out[name + " backends"] = out.get(name + " backends", 0.0) + seconds
    out["pg shared"] = shared
    busy, steal = machine_ticks()
    out["machine"] = busy / CLK_TCK
    out["steal"] = steal / CLK_TCK
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    out["wrk"] = usage.ru_utime + usage.ru_stime
    return out


def field(line, key):
    for item in line.split():
        if item.startswith(key + "="):
            return item[len(key) + 1:]
    fail("no %s in %r" % (key, line))


def run_wrk(wrk, url, seconds, token, mode, path_file, threads, dates):
    env = dict(os.environ, BENCH_RUN="%d-%d" % (os.getpid(), time.time_ns()))
    args = wrk + ["-H", "Authorization: Bearer " + token, "-d", "%ds" % seconds, url, "--", mode,
                  path_file, str(threads)] + (list(dates) if mode == "save" else [])
    result = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines = [l for l in result.stdout.splitlines() if l.startswith("BENCH ")]
    if result.returncode != 0 or not lines:
        sys.stderr.write(result.stdout)
        fail("wrk failed on " + url)
    return lines[-1]


def task_versions(d, tasks_file):
    """[(id, body, version)] of the tasks, their versions read back."""
    out = []
    with open(tasks_file) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            request = urllib.request.Request(d["url"] + "/v1/service-tasks/" + parts[0])
            request.add_header("Authorization", "Bearer " + d["token"])
            with urllib.request.urlopen(request) as reply:
                out.append((parts[0], parts[1], json.load(reply)["version"]))
    return out


def run():
    if "--" not in sys.argv:
        fail(__doc__)
    split = sys.argv.index("--")
    args, wrk_options = sys.argv[2:split], sys.argv[split + 1:]
    if len(args) < 9:
        fail(__doc__)
    out, seconds, rounds, postmaster, script, scenarios, date1, date2 = args[:8]
    seconds, rounds = int(seconds), int(rounds)
    scenarios = scenarios.split(",")
    deployments = []
    for spec in args[8:]:
        name, url, pids, work = spec.split("|")
        with open(os.path.join(work, "token")) as f:
            token = f.read().strip()
        # "~NAME": up, its CPU counted as idle, never measured.
        deployments.append(dict(name=name.lstrip("~"), url=url, pids=pids.split(","), work=work, token=token,
                                idle=name.startswith("~")))
    measured = [d for d in deployments if not d["idle"]]
    reference, others = measured[0], measured[1:]
    threads = 2
    if "-t" in wrk_options:
        threads = int(wrk_options[wrk_options.index("-t") + 1])
    connections = 32
    if "-c" in wrk_options:
        connections = int(wrk_options[wrk_options.index("-c") + 1])
    wrk = ["wrk", "--latency", "--timeout", "10s", "-s", script] + wrk_options
    dates = (date1, date2)

    def files(d, scenario, warmup=False):
        if scenario == "customer":
            return "path", os.path.join(d["work"], "customer.txt")
        if warmup:
            return "save", os.path.join(d["work"], "tasks-warmup.txt")
        return "save", os.path.join(d["work"], "tasks-slices.txt")

    for d in measured:
        for scenario in scenarios:
            mode, path_file = files(d, scenario, warmup=True)
            run_wrk(wrk, d["url"], 2, d["token"], mode, path_file, threads, dates)
        if "save" in scenarios:
            with open(os.path.join(d["work"], "tasks.txt")) as f, \
                    open(os.path.join(d["work"], "tasks-slices.txt"), "w") as g:
                g.write(f.read())
    backends = backends_of(deployments, postmaster)
    flushes = FlushCounter(out + ".flushes", postmaster) if "save" in scenarios else None
    polls = PollCounter(out + ".polls", [pid for d in measured for pid in d["pids"]])

    index = 0
    with open(out, "w") as tsv:
        for scenario in scenarios:
            # Without others (the idle check): the reference's slices alone.
            order = [(r + 1, reference) for r in range(rounds)] if not others else []
            for r in range(rounds if others else 0):
                for i in range(len(others)):
                    order.append((r + 1, reference))
                    order.append((r + 1, others[(i + r) % len(others)]))
            if others:
                order.append((rounds, reference))
            for r, d in order:
                index += 1
                mode, path_file = files(d, scenario)
                if mode == "save":
                    versions = task_versions(d, path_file)
                    with open(path_file, "w") as f:
                        f.write("".join("%s\t%s\t%d\n" % v for v in versions))
                before = snapshot(deployments, postmaster, backends)
                start = time.time()
                t0 = time.monotonic()
                line = run_wrk(wrk, d["url"], seconds, d["token"], mode, path_file, threads, dates)
                wall = time.monotonic() - t0
                if flushes is not None and mode == "save":
                    flushes.slice(index, t0, t0 + wall)
                polls.slice(index, t0, t0 + wall, d["pids"])
                after = snapshot(deployments, postmaster, backends)
                delta = {k: after[k] - before.get(k, 0.0) for k in after}
                requests = int(field(line, "requests"))
                errors = sum(int(field(line, k)) for k in ("status_errors", "socket_errors", "timeouts",
                                                           "precondition_failed", "other_failures"))
                if mode == "save":
                    written = sum(v for _, _, v in task_versions(d, path_file)) - sum(v for _, _, v in versions)
                    if not requests <= written <= requests + connections:
                        errors += 1
                        print("deployments: %s: %d new versions for %d replies" % (d["name"], written, requests),
                              file=sys.stderr)
                idle = sum(delta[o["name"] + " instances"] + delta[o["name"] + " haproxy"]
                           for o in deployments if o is not d)
                pg_idle = sum(delta.get(o["name"] + " backends", 0.0) for o in deployments if o is not d)
                tsv.write("\t".join(str(v) for v in (
                    r, index, scenario, d["name"], requests, "%.3f" % (int(field(line, "duration_us")) / 1e6),
                    field(line, "rps"), field(line, "p50_us"), field(line, "p99_us"), errors,
                    "%.4f" % delta[d["name"] + " instances"], "%.4f" % delta[d["name"] + " haproxy"],
                    "%.4f" % delta.get(d["name"] + " backends", 0.0), "%.4f" % delta["pg shared"],
                    "%.4f" % pg_idle, "%.4f" % idle, "%.3f" % delta["wrk"], "%.3f" % delta["machine"],
                    "%.3f" % delta["steal"], "%.3f" % wall, "%.3f" % start)) + "\n")
                tsv.flush()
    if flushes is not None:
        flushes.finish()
    polls.finish()


class PerfCounter:
    """One perf stat OPTIONS on PIDS for the whole run, in 100 ms intervals
    (one perf, no start-up per slice), each interval given to the slice its
    middle fell in. Written to PATH, "index count" a line; nothing when
    perf cannot count (not installed, or not allowed)."""

    def __init__(self, path, options, pids):
        self.path = path
        self.slices = []
        self.raw = path + ".perf"
        self.proc = None
        self.t0 = time.monotonic()
        try:
            self.proc = subprocess.Popen(
                ["perf", "stat", "-I", "100", "-x,", *options, "-o", self.raw, "-p", ",".join(pids)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            return
        self.t0 = time.monotonic()
        time.sleep(0.3)

    def slice(self, index, start, end):
        self.slices.append((index, start - self.t0, end - self.t0))

    def finish(self):
        if self.proc is None:
            return
        self.proc.send_signal(2)
        self.proc.wait()
        try:
            with open(self.raw) as f:
                counts = counts_by_slice(f, self.slices)
        except OSError:
            return
        with open(self.path, "w") as f:
            for index, *_ in self.slices:
                f.write("%d\t%d\n" % (index, counts.get(index, 0)))


class FlushCounter(PerfCounter):
    """The cluster's WAL flushes during each save slice: the fdatasync and
    fsync calls of the postmaster's children."""

    def __init__(self, path, postmaster):
        super().__init__(path, ["-e", "syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync"],
                         [str(p) for p in pg_children(postmaster)])


def counts_by_slice(lines, slices):
    """{slice index: count} from perf stat -I 100 -x, LINES (seconds since
    perf started, count, …; with --per-thread: seconds, COMM-TID, count,
    …), SLICES [(index, start, end[, tids])] in those seconds: each
    interval counts for the slice its middle fell in (and, with tids, only
    those threads' lines)."""
    counts = {}
    for line in lines:
        v = line.strip().split(",")
        if len(v) < 4:
            continue
        thread = None
        if not v[1].isdigit() and v[2].isdigit():
            thread, count = v[1].rsplit("-", 1)[-1], int(v[2])
        elif v[1].isdigit():
            count = int(v[1])
        else:
            continue
        middle = float(v[0]) - 0.05
        for index, start, end, *tids in slices:
            if start <= middle < end and (not tids or thread in tids[0]):
                counts[index] = counts.get(index, 0) + count
    return counts


class PollCounter(PerfCounter):
    """The main loops' wake-ups of the measured deployment in each slice:
    the poll calls of its instances' main threads (a main thread's tid is
    its process's pid; HAProxy polls with epoll_wait, not counted), perf
    stat --per-thread."""

    def __init__(self, path, pids):
        super().__init__(path, ["--per-thread", "-e", "syscalls:sys_enter_poll"], list(pids))

    def slice(self, index, start, end, pids):
        self.slices.append((index, start - self.t0, end - self.t0, set(pids)))


def read_counts(path, kind):
    """{slice index: count} from the PATH.KIND file of a PerfCounter
    ("flushes", "polls"), {} without one."""
    out = {}
    try:
        with open(path + "." + kind) as f:
            for line in f:
                index, count = line.split()
                out[int(index)] = int(count)
    except OSError:
        pass
    return out


# --- judging ------------------------------------------------------------------

COLUMNS = ("round", "index", "scenario", "deployment", "requests", "seconds", "rps", "p50", "p99", "errors",
           "instances", "haproxy", "pg_own", "pg_shared", "pg_idle", "idle", "wrk", "machine", "steal", "wall",
           "start")


def read_slices(path):
    slices = []
    with open(path) as f:
        for line in f:
            v = line.rstrip("\n").split("\t")
            if len(v) != len(COLUMNS):
                continue
            s = dict(zip(COLUMNS, v))
            for k in COLUMNS:
                if k in ("scenario", "deployment"):
                    continue
                s[k] = float(s[k]) if "." in s[k] else int(s[k])
            n = max(1, s["requests"])
            s["ms"] = {k: 1e3 * s[k] / n for k in ("instances", "haproxy", "pg_own", "pg_shared", "wrk",
                                                    "pg_idle", "idle")}
            s["cpu"] = sum(s["ms"][k] for k in ("instances", "haproxy", "pg_own", "pg_shared", "wrk"))
            s["other"] = max(0.0, s["machine"] - sum(s[k] for k in ("instances", "haproxy", "pg_own",
                                                                    "pg_shared", "pg_idle", "idle", "wrk")))
            slices.append(s)
    return slices


def judge(slices, reference):
    """Sets each non-reference slice's ratio to the reference beside it (in
    the same scenario); returns {scenario: [slices]} in order."""
    by_scenario = {}
    for s in slices:
        by_scenario.setdefault(s["scenario"], []).append(s)
    for mine in by_scenario.values():
        for i, s in enumerate(mine):
            if s["deployment"] == reference:
                continue
            beside = [mine[j] for j in (i - 1, i + 1) if 0 <= j < len(mine) and mine[j]["deployment"] == reference]
            if not beside:
                continue
            s["ref_rps"] = sum(b["rps"] for b in beside) / len(beside)
            s["ref_cpu"] = sum(b["cpu"] for b in beside) / len(beside)
            s["ratio"] = s["rps"] / s["ref_rps"] if s["ref_rps"] else 0.0
    return by_scenario


def verdict_line(label, ratios, extra=""):
    m = median(ratios)
    below = sum(1 for r in ratios if r < 1)
    return "   %-44s %5.2f× (%.2f–%.2f; %d of %d slices below 1)%s  %s" % (
        label[:44], m, min(ratios), max(ratios), below, len(ratios), extra, "met" if m >= 1 else "NOT met")


def report():
    if len(sys.argv) < 3:
        fail(__doc__)
    titles = dict(a.split("=", 1) for a in sys.argv[3:])
    slices = read_slices(sys.argv[2])
    if not slices:
        fail("no slices in " + sys.argv[2])
    reference = slices[0]["deployment"]
    names = []
    for s in slices:
        if s["deployment"] not in names:
            names.append(s["deployment"])
    title = lambda n: titles.get(n, n)
    flushes = read_counts(sys.argv[2], "flushes")
    for s in slices:
        if s["index"] in flushes:
            s["flushes"] = flushes[s["index"]]
    polls = read_counts(sys.argv[2], "polls")
    for s in slices:
        if s["index"] in polls:
            s["polls"] = polls[s["index"]]
    by_scenario = judge(slices, reference)
    labels = {"customer": "one customer GET", "save": "task save PUT"}

    print("Every slice (CPU ms per request of the measured deployment: its instances, its HAProxy, its")
    print("PostgreSQL backends, the rest of the cluster, wrk; idle: the other deployments' instances,")
    print("HAProxy and backends meanwhile, per request; other: the rest of the machine, % of a core;")
    print("ratio: req/s against the mean of the one-direct slices just before and after):")
    print("   %3s %-8s %-26s %7s %6s %6s %6s %6s %6s %6s %6s %6s %6s %6s" % (
        "rnd", "scenario", "deployment", "req/s", "CPU", "inst", "prx", "PGown", "PGrest", "wrk", "idle",
        "other%", "steal%", "ratio"))
    for s in slices:
        print("   %3d %-8s %-26s %7.0f %6.3f %6.3f %6.3f %6.3f %6.3f %6.3f %6.3f %6.0f %6.1f %6s" % (
            s["round"], s["scenario"], title(s["deployment"])[:26], s["rps"], s["cpu"], s["ms"]["instances"],
            s["ms"]["haproxy"], s["ms"]["pg_own"], s["ms"]["pg_shared"], s["ms"]["wrk"],
            s["ms"]["idle"] + s["ms"]["pg_idle"], 100 * s["other"] / s["wall"], 100 * s["steal"] / s["wall"],
            "%.2f" % s["ratio"] if "ratio" in s else "-"))

    for scenario, mine in by_scenario.items():
        label = labels.get(scenario, scenario)
        print()
        print("%s: req/s and CPU per request (ms; medians of the slices; CPU = instances + HAProxy +" % label)
        print("their PostgreSQL backends + the rest of the cluster + wrk; idle: the other deployments', not in CPU):")
        typical = {}
        for name in names:
            ds = [s for s in mine if s["deployment"] == name]
            if not ds:
                continue
            typical[name] = median([s["cpu"] for s in ds])
            print("   %-30s %3d slices %7.0f req/s  %6.3f = %5.3f + %5.3f + %5.3f + %5.3f + %5.3f  idle %5.3f" % (
                title(name)[:30], len(ds), median([s["rps"] for s in ds]), typical[name],
                *(median([s["ms"][k] for s in ds]) for k in ("instances", "haproxy", "pg_own", "pg_shared", "wrk")),
                median([s["ms"]["idle"] + s["ms"]["pg_idle"] for s in ds])))
        if any("flushes" in s for s in mine):
            print("   WAL flushes (the cluster's fdatasync/fsync, perf; all its slices): commits per flush")
            for name in names:
                # A slice with no flush counted is one perf missed.
                ds = [s for s in mine if s["deployment"] == name and s.get("flushes")]
                if ds:
                    total = sum(s["flushes"] for s in ds)
                    print("   %-30s %6d saves %6d flushes  %5.2f commits per flush (slices' median %5.2f)" % (
                        title(name)[:30], sum(s["requests"] for s in ds), total,
                        sum(s["requests"] for s in ds) / total if total else 0.0,
                        median([s["requests"] / s["flushes"] for s in ds])))
        if any(s.get("polls") for s in mine):
            print("   The main loops' wake-ups (poll calls of the instances' main threads, perf) per request:")
            for name in names:
                ds = [s for s in mine if s["deployment"] == name and s.get("polls")]
                if ds:
                    print("   %-30s %5.2f polls a request (slices' median %5.2f)" % (
                        title(name)[:30], sum(s["polls"] for s in ds) / max(1, sum(s["requests"] for s in ds)),
                        median([s["polls"] / max(1, s["requests"]) for s in ds])))
        print("   Against the one direct beside each slice (met when the median ratio ≥ 1; the CPU ratio:")
        print("   the direct's CPU per request beside the slice against the slice's):")
        ratio_of = {}
        for name in names[1:]:
            ds = [s for s in mine if s["deployment"] == name and "ratio" in s]
            if not ds:
                continue
            ratio_of[name] = {s["round"]: s["ratio"] for s in ds}
            ratios = [s["ratio"] for s in ds]
            print(verdict_line(title(name) + " / 1 direct", ratios,
                               "; CPU %.2f×" % median([s["ref_cpu"] / s["cpu"] for s in ds if s["cpu"]])))
            print("      slices: " + " ".join("%.2f" % r for r in ratios))
        # N behind HAProxy against 1 behind HAProxy: each round's quotient
        # of their ratios to the direct beside them.
        proxies = [n for n in names if n.startswith("proxy-") and n != "proxy-1"]
        if "proxy-1" in ratio_of:
            for name in proxies:
                if name not in ratio_of:
                    continue
                quotients = [ratio_of[name][r] / ratio_of["proxy-1"][r] for r in ratio_of[name]
                             if r in ratio_of["proxy-1"] and ratio_of["proxy-1"][r]]
                if quotients:
                    print(verdict_line(title(name) + " / 1 behind HAProxy", quotients, " (by round)"))
        # Do the direct's slices slow where the others' do?
        xs, ys = [], []
        for s in mine:
            if "ratio" in s and typical.get(s["deployment"]) and typical.get(reference):
                xs.append(s["cpu"] / typical[s["deployment"]])
                ys.append(s["ref_cpu"] / typical[reference])
        r = correlation(xs, ys)
        slow = [(x, y) for x, y in zip(xs, ys) if x >= 1.2]
        print("   Each slice's CPU per request against its deployment's median, and the direct's beside it:")
        print("   correlation %s over %d pairs; %s" % (
            "%.2f" % r if r == r else "none (too few, or nothing varies)", len(xs),
            "%d slices cost ≥ 1.2× their median, the direct beside them %s× its median" % (
                len(slow), ", ".join("%.2f" % y for _, y in slow)) if slow else "no slice cost 1.2× its median"))
        # The direct against itself: the next direct slice (as far apart as
        # a slice and the direct beside it), and a direct slice a minute or
        # more later (as far apart as the old measure's deployments).
        direct = [s for s in mine if s["deployment"] == reference and s["rps"]]
        for label_, pairs in aa_pairs(direct):
            if pairs:
                print("   The one direct against itself %s: median %.2f×, %.2f–%.2f, %d of %d outside 0.9–1.1"
                      % (label_, median(pairs), min(pairs), max(pairs),
                         sum(1 for v in pairs if v < 0.9 or v > 1.1), len(pairs)))


def aa_pairs(direct):
    """The reference against itself: [(label, [ratios])], the next slice and
    the first slice at least 60 s later."""
    nearby = [b["rps"] / a["rps"] for a, b in zip(direct, direct[1:])]
    later = []
    for i, a in enumerate(direct):
        b = next((b for b in direct[i + 1:] if b["start"] - a["start"] >= 60), None)
        if b is not None:
            later.append(b["rps"] / a["rps"])
    return [("in the next slice (~%.0f s later)" % median([b["start"] - a["start"] for a, b in zip(direct, direct[1:])])
             if nearby else "in the next slice", nearby),
            ("a minute or more later (the old measure's spacing)", later)]


def idle():
    """The idle check: the reference's slices with the others down
    ("down-K") and up ("up-K"), alternately; each pair's quotient."""
    slices = read_slices(sys.argv[2])
    for scenario in sorted({s["scenario"] for s in slices}):
        mine = [s for s in slices if s["scenario"] == scenario]
        phases = []
        for s in mine:
            if s["deployment"] not in phases:
                phases.append(s["deployment"])
        print("%s: CPU ms per request of the one direct (instances + its backends + the rest of the cluster + wrk)"
              % scenario)
        for state in ("down", "up"):
            ds = [s for s in mine if s["deployment"].startswith(state + "-")]
            if ds:
                print("   others %-4s %3d slices %7.0f req/s  %6.3f = %5.3f + %5.3f + %5.3f + %5.3f;"
                      " the idle ones' %5.3f (instances %5.3f, backends %5.3f)" % (
                          state, len(ds), median([s["rps"] for s in ds]), median([s["cpu"] for s in ds]),
                          *(median([s["ms"][k] for s in ds]) for k in ("instances", "pg_own", "pg_shared", "wrk")),
                          median([s["ms"]["idle"] + s["ms"]["pg_idle"] for s in ds]),
                          median([s["ms"]["idle"] for s in ds]), median([s["ms"]["pg_idle"] for s in ds])))
        quotients = []
        cpu_quotients = []
        for phase in phases:
            if not phase.startswith("up-"):
                continue
            down = [s for s in mine if s["deployment"] == "down-" + phase[3:]]
            up = [s for s in mine if s["deployment"] == phase]
            if down and up:
                quotients.append(median([s["rps"] for s in up]) / median([s["rps"] for s in down]))
                cpu_quotients.append(median([s["cpu"] for s in up]) / median([s["cpu"] for s in down]))
        if quotients:
            print("   up / down, pair by pair: req/s %s (median %.2f×), CPU per request %s (median %.2f×)" % (
                " ".join("%.2f" % q for q in quotients), median(quotients),
                " ".join("%.2f" % q for q in cpu_quotients), median(cpu_quotients)))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "idle":
        idle()
        sys.exit(0)
    if len(sys.argv) > 1 and sys.argv[1] == "run":
        run()
    elif len(sys.argv) > 1 and sys.argv[1] == "report":
        report()
    else:
        fail(__doc__)
