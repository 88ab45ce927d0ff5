#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prepares a build-aux/bench-service run against a running enrollment-service.

    prepare.py URL DATA_DIR OUT_DIR TASKS [ID_PREFIX [START]]

Signs in as the demo clerk, writes the request lists the wrk script reads and
creates 2 × TASKS service tasks to save:

    OUT_DIR/token               the bearer token
    OUT_DIR/customer.txt        GET /v1/customers/{id} over a sample of ids
    OUT_DIR/search.txt          GET /v1/customers?q= over every query shape
    OUT_DIR/search-SHAPE.txt    the same, one query shape per file
    OUT_DIR/tasks.txt           "id<TAB>body" of each task to PUT
    OUT_DIR/tasks-warmup.txt    as many others, for the warm-up run
    OUT_DIR/dates               two start dates the saves alternate

The tasks' ids start with ID_PREFIX (default "bench-task-"): a second run on
the same database (bench-service --backend postgresql) takes other ids, and
other customers (those with an open task are skipped). The tasks' customers
are every customer of the data set in turn, the sample the reads use first
(spread over the data set), then the others, from the START-th (default 0)
and wrapping around, so that runs on the same database given STARTs apart
(bench-service: each deployment of each round) do not walk through the
customers the others took, and many runs do not run out of customers.
Queries are real names of the data set: the full name, the last name, the
first three letters of the first name, and the first name with the first
two letters of the last name (what a clerk types into the search box).
Only the standard library: python3 is there wherever meson is.
"""

import datetime
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

SAMPLE = 2000
CLERK = ("clerk", "clerk-demo-pass")
PROGRAM = "prog-tstat"
QUESTION = "q-tstat-cac"
SHAPES = ("full-name", "last-name", "prefix-3", "first-last-2")


def fail(message):
    print("prepare: " + message, file=sys.stderr)
    sys.exit(1)


def call(url, method="GET", token=None, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token is not None:
        request.add_header("Authorization", "Bearer " + token)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def read_customers(data_dir):
    """Every customer's line, the sample's first, and the sample (decoded)."""
    path = os.path.join(data_dir, "customers.jsonl")
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    if not lines:
        fail(path + " has no customers")
    step = max(1, len(lines) // SAMPLE)
    sample = lines[::step][:SAMPLE]
    taken = set(range(0, len(lines), step)[:SAMPLE])
    order = sample + [line for i, line in enumerate(lines) if i not in taken]
    return order, [json.loads(line) for line in sample]


def check_program(data_dir):
    with open(os.path.join(data_dir, "programs.jsonl"), encoding="utf-8") as f:
        for line in f:
            program = json.loads(line)
            if program["id"] == PROGRAM:
                if any(q["id"] == QUESTION for q in program.get("questions", [])):
                    return
    fail("the data set has no program %s with question %s" % (PROGRAM, QUESTION))


def queries(name):
    words = name.split()
    first, last = words[0], words[-1]
    return {
        "full-name": name,
        "last-name": last,
        "prefix-3": first[:3],
        "first-last-2": first + " " + last[:2],
    }


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")


def main():
    if len(sys.argv) not in (5, 6, 7):
        fail("usage: prepare.py URL DATA_DIR OUT_DIR TASKS [ID_PREFIX [START]]")
    url, data_dir, out_dir, n_tasks = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    prefix = sys.argv[5] if len(sys.argv) >= 6 else "bench-task-"
    start_at = int(sys.argv[6]) if len(sys.argv) == 7 else 0

    check_program(data_dir)
    lines, customers = read_customers(data_dir)

    status, session = call(url + "/v1/sessions", "POST",
                           body={"username": CLERK[0], "password": CLERK[1]})
    if status != 201:
        fail("signing in as %s gave %d" % (CLERK[0], status))
    token = session["token"]
    with open(os.path.join(out_dir, "token"), "w") as f:
        f.write(token + "\n")

    write_lines(os.path.join(out_dir, "customer.txt"),
                ["/v1/customers/" + urllib.parse.quote(c["id"]) for c in customers])

    by_shape = {shape: [] for shape in SHAPES}
    mixed = []
    for customer in customers:
        for shape, q in queries(customer["name"]).items():
            path = "/v1/customers?q=" + urllib.parse.quote(q)
            by_shape[shape].append(path)
            mixed.append(path)
    write_lines(os.path.join(out_dir, "search.txt"), mixed)
    for shape in SHAPES:
        write_lines(os.path.join(out_dir, "search-%s.txt" % shape), by_shape[shape])

    # Tasks to save, one enrollment each for customers that can take one
    # (no open task or live subscription for the program: 409 otherwise).
    start = datetime.date.today() + datetime.timedelta(days=30)
    tasks = []
    for i in range(len(lines)):
        if len(tasks) == 2 * n_tasks:
            break
        customer = json.loads(lines[(start_at + i) % len(lines)])
        status, view = call(url + "/v1/customers/" + urllib.parse.quote(customer["id"]), token=token)
        if status != 200:
            fail("GET /v1/customers/%s gave %d" % (customer["id"], status))
        if not view["metered_services"]:
            continue
        task_id = prefix + "%d" % len(tasks)
        task = {
            "id": task_id,
            "kind": "enrollment",
            "program_id": PROGRAM,
            "customer_id": customer["id"],
            "metered_service_id": view["metered_services"][0]["id"],
        }
        status, created = call(url + "/v1/service-tasks", "POST", token=token, body=task,
                               headers={"Idempotency-Key": "bench-create-" + task_id})
        if status == 409:
            continue
        if status != 201 or created.get("version") != 1:
            fail("POST /v1/service-tasks gave %d" % status)
        # The save a clerk makes on the Program Details panel; the wrk
        # script puts one of two start dates in for @DATE@ so that
        # consecutive saves differ.
        body = dict(task)
        del body["id"]
        body["start_date"] = "@DATE@"
        body["installation_method"] = "ship-device"
        body["answers"] = [{"question_id": QUESTION, "values": ["yes"]}]
        tasks.append(task_id + "\t" + json.dumps(body, separators=(",", ":")))
    if len(tasks) < 2 * n_tasks:
        fail("only %d of %d service tasks could be created" % (len(tasks), 2 * n_tasks))
    write_lines(os.path.join(out_dir, "tasks-warmup.txt"), tasks[:n_tasks])
    write_lines(os.path.join(out_dir, "tasks.txt"), tasks[n_tasks:])
    with open(os.path.join(out_dir, "dates"), "w") as f:
        f.write("%s %s\n" % (start.isoformat(), (start + datetime.timedelta(days=1)).isoformat()))


if __name__ == "__main__":
    main()
