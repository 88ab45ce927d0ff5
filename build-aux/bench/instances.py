#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""How a measurement of build-aux/bench-service spread over the instances.

    instances.py watch OUT UNTIL PID…
    instances.py report OUT REQUESTS POOL

"watch" runs beside wrk until UNTIL (seconds since the epoch: a little
before wrk's -d is over, taken before either started): every 50 ms it reads the
state of each instance's PostgreSQL pool threads (/proc/PID/task/*/stat and
wchan: a "pool-…" thread running, or asleep in poll() on its PostgreSQL
socket, is busy with a request; asleep on a futex it waits for one), and
once a second and last at UNTIL it lists, with ss, the TCP connections each
instance holds on the port it listens on (wrk's, or HAProxy's; its sockets
found by inode in /proc/PID/fd) with the bytes each received since it
opened, keeping the last list with the most connections. wrk opens its
connections when it starts and keeps them to the end, so each instance's
share of those bytes is its share of the requests (all requests of a
measurement have about the same size).
A PID whose command is haproxy is left out. It writes OUT (JSON).

"report" prints one line per instance: connections held, share and
estimated number of the REQUESTS wrk counted, and the pool's threads busy
on average (of POOL, its --database-connections; GLib's own worker threads
have the same name, but wait on a futex), then how many samples the
watcher took over how many seconds (on a machine busy with other work it
may run late: when it saw no connection, it says so). Only the standard library and ss (iproute2).
"""

import json
import os
import re
import subprocess
import sys
import time


def comm(pid):
    try:
        with open("/proc/%s/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return None


def pool_threads(pid):
    """{tid: busy} for PID's pool threads now."""
    out = {}
    try:
        tids = os.listdir("/proc/%s/task" % pid)
    except OSError:
        return out
    for tid in tids:
        base = "/proc/%s/task/%s/" % (pid, tid)
        try:
            with open(base + "comm") as f:
                name = f.read().strip()
            if not name.startswith("pool-"):
                continue
            with open(base + "stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
            with open(base + "wchan") as f:
                wchan = f.read().strip()
        except OSError:
            continue
        out[tid] = state == "R" or "poll" in wchan
    return out


def socket_inodes(pid):
    """The inodes of PID's sockets (/proc/PID/fd)."""
    out = set()
    try:
        fds = os.listdir("/proc/%s/fd" % pid)
    except OSError:
        return out
    for fd in fds:
        try:
            target = os.readlink("/proc/%s/fd/%s" % (pid, fd))
        except OSError:
            continue
        if target.startswith("socket:["):
            out.add(target[8:-1])
    return out


def sockets():
    """[(state, local port, inode, bytes received)] of every TCP socket (ss -tanie)."""
    return parse_ss(subprocess.run(["ss", "-Htanie"], capture_output=True, text=True, check=False).stdout)


def parse_ss(text):
    """sockets() from the text of ss -Htanie."""
    out = []
    head = None
    for line in text.splitlines():
        if not line[:1].isspace():
            fields = line.split()
            inode = re.search(r"\bino:(\d+)", line)
            head = (fields[0], fields[3].rsplit(":", 1)[-1], inode.group(1) if inode else None) \
                if len(fields) >= 5 else None
            if head is not None:
                out.append(head + (0,))
        elif head is not None:
            received = re.search(r"bytes_received:(\d+)", line)
            out[-1] = head + (int(received.group(1)) if received else 0,)
            head = None
    return out


def connections(pids):
    """{pid: [bytes received of each connection]}: the TCP connections each
    PID holds on the ports it listens on."""
    listed = sockets()
    out = {}
    for pid in pids:
        inodes = socket_inodes(pid)
        ports = {port for state, port, inode, _ in listed if state == "LISTEN" and inode in inodes}
        out[pid] = [received for state, port, inode, received in listed
                    if state == "ESTAB" and port in ports and inode in inodes]
    return out


def watch(path, until, pids):
    pids = [pid for pid in pids if comm(pid) not in (None, "haproxy")]
    busy = {pid: 0 for pid in pids}
    held = {pid: [] for pid in pids}
    n = 0
    first = listed = time.time()
    while time.time() < until:
        for pid in pids:
            busy[pid] += sum(1 for b in pool_threads(pid).values() if b)
        n += 1
        # Every half second, and last at the end: the connections, kept
        # when there are as many as ever (wrk keeps its own to the end).
        if time.time() - listed >= 0.5 or time.time() + 0.05 >= until:
            listed = time.time()
            now = connections(pids)
            if sum(map(len, now.values())) >= sum(map(len, held.values())):
                held = now
        time.sleep(0.05)
    with open(path, "w") as f:
        json.dump({"instances": [{"pid": pid, "connections": len(held[pid]), "bytes": sum(held[pid]),
                                  "pool_busy": busy[pid] / max(1, n)}
                                 for pid in pids],
                   "samples": n, "seconds": time.time() - first}, f)


def report(path, requests, pool):
    with open(path) as f:
        data = json.load(f)
    instances = data["instances"]
    total_connections = sum(i["connections"] for i in instances) or 1
    total_bytes = sum(i["bytes"] for i in instances) or 1
    parts = []
    for k, i in enumerate(instances, 1):
        share = i["bytes"] / total_bytes
        parts.append("instance %d: %d connections (%.0f %%), %.0f %% of the requests (~%d), pool %.1f of %d busy"
                     % (k, i["connections"], 100 * i["connections"] / total_connections, 100 * share,
                        round(share * requests), i["pool_busy"], pool))
    # On a machine busy with other work the watcher (niced, as the whole
    # benchmark) may miss much of the run: say how much it saw.
    seen = "%d samples over %.1f s" % (data["samples"], data.get("seconds", 0.0))
    if not sum(i["connections"] for i in instances):
        seen += "; no connection seen: the watcher ran late, these figures are not the run's"
    print("; ".join(parts) + " (" + seen + ")")


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "watch":
        watch(sys.argv[2], float(sys.argv[3]), sys.argv[4:])
    elif len(sys.argv) == 5 and sys.argv[1] == "report":
        report(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
