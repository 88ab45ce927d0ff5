#!/usr/bin/env python3
# build-aux/bench/cpu-split.py snapshot FILE POSTMASTER|- PID…
# build-aux/bench/cpu-split.py report BEFORE AFTER REQUESTS [WRK_TIME_FILE]
# build-aux/bench/cpu-split.py totals BEFORE AFTER REQUESTS [WRK_TIME_FILE]
# build-aux/bench/cpu-split.py cluster-ticks POSTMASTER
#
# Where a measurement's CPU went, process by process and thread by thread,
# from /proc (utime + stime of every thread; no profiler, nothing sampled).
# "snapshot" writes the CPU ticks of: each service instance (PID…, its main
# loop apart from its other threads: the PostgreSQL pool's), HAProxy (a PID
# whose command is haproxy), and PostgreSQL's processes by role (the
# backends serving the instances, the WAL writer, the rest: checkpointer,
# background writer, autovacuum…, with those that exited in the
# postmaster's cutime + cstime). "report" prints, between two snapshots,
# each group's CPU milliseconds per request and its share of the total;
# "totals" prints the CPU milliseconds per request of everything, of the
# instances, of HAProxy, of PostgreSQL and of wrk, in that order;
# "cluster-ticks" the CPU ticks of the whole PostgreSQL cluster
# (cluster_ticks(), which interleave.py calls too).
import json
import os
import sys


def stat(path):
    with open(path) as f:
        text = f.read()
    head, tail = text.rsplit(")", 1)
    return head.split("(", 1)[1], tail.split()


def ticks(fields, children=False):
    # fields[0] is the state (field 3 of stat): utime is fields[11].
    n = int(fields[11]) + int(fields[12])
    if children:
        n += int(fields[13]) + int(fields[14])
    return n


def process_threads(pid):
    """(main thread ticks, other threads' ticks) of PID."""
    main = other = 0
    for tid in os.listdir("/proc/%s/task" % pid):
        try:
            _, fields = stat("/proc/%s/task/%s/stat" % (pid, tid))
        except OSError:
            continue
        if tid == str(pid):
            main += ticks(fields)
        else:
            other += ticks(fields)
    return main, other


def postgres_role(pid):
    try:
        with open("/proc/%s/cmdline" % pid, "rb") as f:
            title = f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    if "walwriter" in title:
        return "PG WAL writer"
    for role in ("checkpointer", "background writer", "autovacuum", "logical replication",
                 "stats", "archiver", "walsender", "walreceiver"):
        if role in title:
            return "PG others"
    return "PG backends"


def cluster_ticks(postmaster):
    """The CPU ticks of a PostgreSQL cluster: the postmaster's own with those
    of its children that exited (cutime + cstime), and every live process it
    started (backends, WAL writer, checkpointer…)."""
    _, fields = stat("/proc/%s/stat" % postmaster)
    n = ticks(fields, children=True)
    for _, fields in cluster_children(postmaster):
        n += ticks(fields)
    return n


def cluster_children(postmaster):
    """(pid, stat fields) of every live process the postmaster started."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or pid == postmaster:
            continue
        try:
            _, fields = stat("/proc/%s/stat" % pid)
        except OSError:
            continue
        if fields[1] == postmaster:
            yield pid, fields


def snapshot(out, postmaster, pids):
    groups = {}
    instance = 0
    for pid in pids:
        try:
            comm, _ = stat("/proc/%s/stat" % pid)
        except OSError:
            continue
        if comm == "haproxy":
            main, other = process_threads(pid)
            groups["HAProxy"] = groups.get("HAProxy", 0) + main + other
        else:
            instance += 1
            main, other = process_threads(pid)
            groups["instance %d main loop" % instance] = main
            groups["instance %d pool threads" % instance] = other
    if postmaster != "-":
        _, fields = stat("/proc/%s/stat" % postmaster)
        groups["PG others"] = ticks(fields, children=True)
        for pid, fields in cluster_children(postmaster):
            role = postgres_role(pid)
            if role:
                groups[role] = groups.get(role, 0) + ticks(fields)
    with open(out, "w") as f:
        json.dump(groups, f)


def deltas_of(before_path, after_path, wrk_time):
    with open(before_path) as f:
        before = json.load(f)
    with open(after_path) as f:
        after = json.load(f)
    tck = os.sysconf("SC_CLK_TCK")
    deltas = [(name, max(0, after[name] - before.get(name, 0)) / tck) for name in after]
    if wrk_time:
        # bash's time: "user system" in seconds
        with open(wrk_time) as f:
            deltas.append(("wrk", sum(float(x) for x in f.read().split())))
    return deltas


def totals(before_path, after_path, requests, wrk_time=None):
    deltas = deltas_of(before_path, after_path, wrk_time)
    requests = max(1, requests)
    sums = [0.0] * 5
    for name, seconds in deltas:
        sums[0] += seconds
        if name.startswith("instance "):
            sums[1] += seconds
        elif name == "HAProxy":
            sums[2] += seconds
        elif name.startswith("PG "):
            sums[3] += seconds
        elif name == "wrk":
            sums[4] += seconds
    print(" ".join("%.3f" % (1000 * seconds / requests) for seconds in sums))


def report(before_path, after_path, requests, wrk_time=None):
    deltas = deltas_of(before_path, after_path, wrk_time)
    requests = max(1, requests)
    total = sum(seconds for _, seconds in deltas) or 1.0
    parts = ["%s %.3f (%.0f%%)" % (name, 1000 * seconds / requests, 100 * seconds / total)
             for name, seconds in deltas if seconds > 0]
    print("; ".join(parts))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "cluster-ticks":
        print(cluster_ticks(sys.argv[2]))
    elif len(sys.argv) >= 4 and sys.argv[1] == "snapshot":
        snapshot(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif len(sys.argv) in (5, 6) and sys.argv[1] in ("report", "totals"):
        (report if sys.argv[1] == "report" else totals)(sys.argv[2], sys.argv[3], int(sys.argv[4]),
                                                        sys.argv[5] if len(sys.argv) == 6 else None)
    else:
        print(__doc__ or "usage: cpu-split.py snapshot FILE POSTMASTER|- PID… | report BEFORE AFTER REQUESTS",
              file=sys.stderr)
        sys.exit(2)
