#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prints what a few requests cost in round trips to PostgreSQL.

    traffic.py URL OUT_DIR DATE

For build-aux/bench-service, after a PostgreSQL deployment's measurements:
three session floors, three customer reads (the first id of
OUT_DIR/customer.txt) and three task saves (the first task of
OUT_DIR/tasks-warmup.txt, with @DATE@ as DATE and the task's current
version), each as "round trips/statements" from the reply's
Enr-Db-Round-Trips and Enr-Db-Statements (the service runs with
ENR_SERVICE_COUNT_TRAFFIC=1; "-" when it sent none, as a build from before
they existed). Uses OUT_DIR/token. Only the standard library.
"""

import json
import sys
import urllib.request
import uuid


def main():
    url, out_dir, date = sys.argv[1:4]
    token = open(out_dir + "/token").read().strip()

    def call(path, method="GET", body=None, headers=None):
        request = urllib.request.Request(url + path, method=method, data=body)
        request.add_header("Authorization", "Bearer " + token)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.headers, reply.read()

    def traffic(headers):
        round_trips = headers.get("Enr-Db-Round-Trips")
        statements = headers.get("Enr-Db-Statements")
        return "-" if round_trips is None else "%s/%s" % (round_trips, statements)

    session = [traffic(call("/v1/sessions/current")[0]) for _ in range(3)]
    with open(out_dir + "/customer.txt") as f:
        customer_path = f.readline().strip()
    customer = [traffic(call(customer_path)[0]) for _ in range(3)]
    with open(out_dir + "/tasks-warmup.txt") as f:
        task_id, body = f.readline().rstrip("\n").split("\t", 1)
    saves = []
    for _ in range(3):
        _, current = call("/v1/service-tasks/" + task_id)
        version = json.loads(current)["version"]
        headers, _ = call("/v1/service-tasks/" + task_id, "PUT", body.replace("@DATE@", date).encode(),
                          {"If-Match": '"%d"' % version, "Idempotency-Key": str(uuid.uuid4()),
                           "Content-Type": "application/json"})
        saves.append(traffic(headers))

    print("Round trips/statements per request (Enr-Db-* reply fields, three requests each):"
          " session floor %s; one customer %s; task save %s"
          % (" ".join(session), " ".join(customer), " ".join(saves)))


if __name__ == "__main__":
    main()
