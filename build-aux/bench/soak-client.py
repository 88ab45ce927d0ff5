#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The load of build-aux/soak-service: many requests over every kind of
connection a real network brings, against a running enrollment-service.

    soak-client.py URL DATA_DIR PID REQUESTS

Signs in as the demo clerk and sends REQUESTS requests (reads: a customer
by id over every customer of DATA_DIR, a name search, the session), over

  keep-alive   connections that carry 50 to 200 requests each, then close;
  one-shot     a connection per request: with "Connection: close", closed
               by the client after the response, or reset (RST) after it;

while, in the background, never counted as requests:

  slowloris    connections that send a header line every 2 s and never
               finish their head (the service must answer 408 and close);
  resets       connections reset at once, or after half a head, or right
               after a whole request without reading the reply.

It samples the service's open descriptors and resident memory (from /proc/
PID) before the load, once it runs, half-way, at the end and once every
client has gone, and prints one "SOAK key=value ..." line per sample and a
final "RESULT key=value ..." line. Only the standard library.
"""

import array
import asyncio
import json
import os
import random
import socket
import struct
import sys
import time
import urllib.parse

KEEP_ALIVE_WORKERS = 24
ONE_SHOT_WORKERS = 6
SLOWLORIS = 50
RESET_WORKERS = 2
TIMEOUT = 60          # seconds for one response: longer is "not answered"
PROGRESS_EVERY = 10   # seconds


def fail(message):
    print("soak-client: " + message, file=sys.stderr)
    sys.exit(1)


def sample(pid):
    fds = len(os.listdir("/proc/%d/fd" % pid))
    rss = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return fds, rss


class Load:
    def __init__(self, host, port, token, customers, total):
        self.host = host
        self.port = port
        self.token = token
        self.customers = customers
        self.total = total
        self.issued = 0
        self.done = 0
        self.ok = 0
        self.other = {}
        self.unanswered = 0
        self.latencies = array.array("d")
        self.stop = asyncio.Event()
        self.slow_closed = 0
        self.slow_408 = 0
        self.resets = 0
        self.one_shot = 0
        self.keep_alive_connections = 0
        self.open = 0          # connections this client holds open right now
        self.milestones = {}

    def remaining(self):
        return self.issued < self.total

    def take(self):
        if self.issued >= self.total:
            return False
        self.issued += 1
        return True

    def request(self, close=False):
        kind = random.random()
        if kind < 0.6:
            customer = random.choice(self.customers)
            path = "/v1/customers/" + urllib.parse.quote(customer[0])
        elif kind < 0.9:
            name = random.choice(self.customers)[1].split()
            query = name[0][:3] if random.random() < 0.5 else name[-1]
            path = "/v1/customers?q=" + urllib.parse.quote(query)
        else:
            path = "/v1/sessions/current"
        head = "GET %s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\n" % (
            path, self.host, self.port, self.token)
        if close:
            head += "Connection: close\r\n"
        return (head + "\r\n").encode()

    def record(self, started, status):
        self.done += 1
        self.latencies.append(time.perf_counter() - started)
        if status == 200:
            self.ok += 1
        else:
            self.other[status] = self.other.get(status, 0) + 1


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    close = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and b"close" in value.lower():
            close = True
    if length:
        await reader.readexactly(length)
    return status, close


def reset_on_close(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


async def connect(load):
    reader, writer = await asyncio.open_connection(load.host, load.port)
    load.open += 1
    return reader, writer


async def close(load, writer):
    load.open -= 1
    writer.close()
    try:
        await writer.wait_closed()
    except (ConnectionError, OSError):
        pass


async def exchange(load, reader, writer, close_header=False):
    started = time.perf_counter()
    writer.write(load.request(close_header))
    try:
        status, closing = await asyncio.wait_for(read_response(reader), TIMEOUT)
    except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError, OSError, ValueError):
        load.unanswered += 1
        load.done += 1
        return None
    load.record(started, status)
    return closing


async def keep_alive_worker(load):
    while load.remaining():
        try:
            reader, writer = await connect(load)
        except OSError:
            if load.take():
                load.unanswered += 1
                load.done += 1
            continue
        load.keep_alive_connections += 1
        for _ in range(random.randint(50, 200)):
            if not load.take():
                break
            closing = await exchange(load, reader, writer)
            if closing is None or closing:
                break
        await close(load, writer)


async def one_shot_worker(load):
    n = 0
    while load.take():
        n += 1
        try:
            reader, writer = await connect(load)
        except OSError:
            load.unanswered += 1
            load.done += 1
            continue
        load.one_shot += 1
        way = n % 3
        closing = await exchange(load, reader, writer, close_header=(way == 0))
        if way == 0 and closing:
            try:
                await asyncio.wait_for(reader.read(), TIMEOUT)
            except (asyncio.TimeoutError, ConnectionError, OSError):
                pass
        elif way == 2:
            reset_on_close(writer)
        await close(load, writer)


async def slowloris(load):
    while not load.stop.is_set():
        try:
            reader, writer = await connect(load)
        except OSError:
            await asyncio.sleep(1)
            continue
        writer.write(b"GET /v1/sessions/current HTTP/1.1\r\n")
        answer = b""
        while not load.stop.is_set():
            try:
                answer = await asyncio.wait_for(reader.read(4096), 2)
                break
            except asyncio.TimeoutError:
                writer.write(b"X-Slow: %d\r\n" % random.randint(0, 9))
            except (ConnectionError, OSError):
                break
        if not load.stop.is_set():
            load.slow_closed += 1
            if answer.startswith(b"HTTP/1.1 408"):
                load.slow_408 += 1
        await close(load, writer)


async def resetter(load):
    n = 0
    while not load.stop.is_set():
        n += 1
        try:
            reader, writer = await connect(load)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        if n % 3 == 1:
            writer.write(b"GET /v1/customers?q=a")
        elif n % 3 == 2:
            writer.write(load.request())
        await asyncio.sleep(0.001)
        reset_on_close(writer)
        await close(load, writer)
        load.resets += 1
        await asyncio.sleep(0.01)


def print_sample(name, pid, load, started):
    fds, rss = sample(pid)
    elapsed = time.monotonic() - started if started else 0.0
    print("SOAK point=%s requests=%d fds=%d clients=%d rss_kib=%d elapsed=%.1f" % (
        name, load.done, fds, load.open, rss, elapsed), flush=True)
    return fds, rss


async def monitor(load, pid, started):
    last = time.monotonic()
    marks = [("start", min(10000, load.total // 10)), ("middle", load.total // 2)]
    while load.done < load.total:
        await asyncio.sleep(0.2)
        for name, at in marks:
            if name not in load.milestones and load.done >= at:
                load.milestones[name] = print_sample(name, pid, load, started)
        if time.monotonic() - last >= PROGRESS_EVERY:
            last = time.monotonic()
            rate = load.done / (last - started)
            print("progress requests=%d rate=%.0f unanswered=%d slowloris_closed=%d resets=%d" % (
                load.done, rate, load.unanswered, load.slow_closed, load.resets), file=sys.stderr, flush=True)
    load.milestones["end"] = print_sample("end", pid, load, started)


async def main_async(url, customers, pid, total):
    parsed = urllib.parse.urlsplit(url)
    host, port = parsed.hostname, parsed.port

    reader, writer = await asyncio.open_connection(host, port)
    body = json.dumps({"username": "clerk", "password": "clerk-demo-pass"}).encode()
    writer.write(b"POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
    reply = await reader.read()
    writer.close()
    if not reply.startswith(b"HTTP/1.1 201"):
        fail("signing in failed: %r" % reply[:200])
    token = json.loads(reply.split(b"\r\n\r\n", 1)[1])["token"]

    load = Load(host, port, token, customers, total)
    await asyncio.sleep(1)
    idle_before = print_sample("idle-before", pid, load, None)

    started = time.monotonic()
    background = [asyncio.ensure_future(slowloris(load)) for _ in range(SLOWLORIS)]
    background += [asyncio.ensure_future(resetter(load)) for _ in range(RESET_WORKERS)]
    workers = [asyncio.ensure_future(keep_alive_worker(load)) for _ in range(KEEP_ALIVE_WORKERS)]
    workers += [asyncio.ensure_future(one_shot_worker(load)) for _ in range(ONE_SHOT_WORKERS)]
    watcher = asyncio.ensure_future(monitor(load, pid, started))

    await asyncio.gather(*workers)
    elapsed = time.monotonic() - started
    await watcher
    load.stop.set()
    await asyncio.gather(*background)

    # Every client has gone: the service must be back where it started.
    await asyncio.sleep(3)
    idle_after = print_sample("idle-after", pid, load, started)

    latencies = sorted(load.latencies)
    p50 = latencies[len(latencies) // 2] if latencies else 0
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0
    others = ",".join("%d:%d" % item for item in sorted(load.other.items())) or "none"
    print("RESULT requests=%d ok=%d other=%s unanswered=%d seconds=%.1f rps=%.0f p50_ms=%.2f p99_ms=%.2f "
          "keep_alive_connections=%d one_shot=%d slowloris_closed=%d slowloris_408=%d resets=%d "
          "idle_before_fds=%d idle_after_fds=%d" % (
              load.done, load.ok, others, load.unanswered, elapsed, load.done / elapsed,
              p50 * 1000, p99 * 1000, load.keep_alive_connections, load.one_shot, load.slow_closed,
              load.slow_408, load.resets, idle_before[0], idle_after[0]), flush=True)


def main():
    if len(sys.argv) != 5:
        fail("usage: soak-client.py URL DATA_DIR PID REQUESTS")
    url, data_dir, pid, total = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

    customers = []
    with open(os.path.join(data_dir, "customers.jsonl"), encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            customers.append((record["id"], record["name"]))
    if not customers:
        fail("the data set has no customers")

    asyncio.run(main_async(url, customers, pid, total))


if __name__ == "__main__":
    main()
