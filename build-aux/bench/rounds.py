#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The last tables of build-aux/bench-service --backend postgresql: the
deployments side by side over every round.

    rounds.py RESULTS INSTANCES CONNECTIONS INSTANCE_CONNECTIONS

RESULTS has one line per measurement, tab-separated:

    round  deployment  scenario  label  req/s  totals  [spread]

(totals: cpu-split.py's "totals", the CPU ms per request of everything, of
the instances, of HAProxy, of PostgreSQL and of wrk; empty on SQLite;
spread: instances.py's report, how the measurement spread over the
instances). Deployments: sqlite, postgresql-1 (one instance direct, with
CONNECTIONS PostgreSQL connections), proxy-1 (the same behind HAProxy),
proxy-N and reuse-N (INSTANCES instances with INSTANCE_CONNECTIONS each,
behind HAProxy and on one port), reuse-N-M (on one port with M each).
Each round measured the PostgreSQL deployments in another order, so that
load rising or falling during a run does not favour the first one. A ratio
is the median of the ratios of each round (both sides of a ratio measured
in the same round, minutes apart), printed with its spread (the lowest and
highest round) and every round's value; req/s and CPU figures are medians
over the rounds. A comparison prints "≥ 1" when the median ratio is at
least 1, "< 1" otherwise, the spread beside it, with the rounds below 1
counted. It is no verdict: the two sides of a ratio were measured minutes
apart, and the machine's slow windows swing them more than the
deployments differ; #12 is judged on slices of each deployment beside
the one direct's (deployments.py). Only the standard
library.
"""

import statistics
import sys


def main(path, instances, connections, instance_connections):
    rows = {}        # (round, deployment, scenario) → (req/s, totals, spread)
    labels = {}      # scenario → label, in the order measured
    rounds = set()
    seen = []        # deployments in the order first measured
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) not in (6, 7):
                continue
            rnd, deployment, scenario, label, rps, totals = fields[:6]
            spread = fields[6] if len(fields) == 7 else ""
            rows[(int(rnd), deployment, scenario)] = (float(rps), [float(x) for x in totals.split()], spread)
            labels.setdefault(scenario, label.strip())
            rounds.add(int(rnd))
            if deployment not in seen:
                seen.append(deployment)
    rounds = sorted(rounds)
    n = instances
    names = {"sqlite": "SQLite", "postgresql-1": "PG 1", "proxy-1": "PG 1 prx",
             "proxy-%d" % n: "PG %d prx" % n, "reuse-%d" % n: "PG %d rp" % n}
    titles = {"postgresql-1": "1 direct (%d connections)" % connections,
              "proxy-1": "1 behind HAProxy",
              "proxy-%d" % n: "%d behind HAProxy (%d each)" % (n, instance_connections),
              "reuse-%d" % n: "%d on one port (%d each)" % (n, instance_connections)}
    columns = [d for d in ("sqlite", "postgresql-1", "proxy-1", "proxy-%d" % n, "reuse-%d" % n)]
    for deployment in seen:
        if deployment.startswith("reuse-%d-" % n):
            m = int(deployment.rsplit("-", 1)[1])
            names[deployment] = "PG %dx%d rp" % (n, m)
            titles[deployment] = "%d on one port (%d each)" % (n, m)
            columns.append(deployment)

    def median_rps(deployment, scenario):
        values = [rows[(r, deployment, scenario)][0] for r in rounds if (r, deployment, scenario) in rows]
        return statistics.median(values) if values else None

    def ratios(deployment, against, scenario):
        """Each round's ratio, both sides measured in that round."""
        out = []
        for r in rounds:
            a, b = rows.get((r, deployment, scenario)), rows.get((r, against, scenario))
            if a is not None and b is not None and b[0] > 0:
                out.append(a[0] / b[0])
        return out

    def fmt_ratio(values):
        return "%.2f" % statistics.median(values) if values else "-"

    compared = [(d, "postgresql-1") for d in columns[3:]]
    print()
    print("Side by side, %d round%s (req/s: the median of the rounds; ratios: the median of each round's"
          % (len(rounds), "" if len(rounds) == 1 else "s"))
    print("ratio; the order of the PostgreSQL deployments rotates from round to round; prx: behind")
    print("HAProxy, rp: on one port, --reuse-port; SQLite is measured once, before the rounds):")
    header = ["%-36s" % "scenario"] + ["%10s" % names[d] for d in columns] + ["%11s" % "PG1/SQLite",
                                                                            "%12s" % ("PG%d/PG1prx" % n)]
    header += ["%14s" % ("%s/PG1" % names[d].replace("PG ", "").replace(" ", "")) for d, _ in compared]
    print(" ".join(header))
    for scenario, label in labels.items():
        values = [median_rps(d, scenario) for d in columns]
        sqlite = [rows[(r, "sqlite", scenario)][0] for r in rounds if (r, "sqlite", scenario) in rows]
        pg1 = [rows[(r, "postgresql-1", scenario)][0] for r in rounds if (r, "postgresql-1", scenario) in rows]
        pg_sqlite = "%.2f" % (statistics.median(pg1) / sqlite[0]) if sqlite and pg1 and sqlite[0] else "-"
        line = ["%-36s" % label[:36]] + ["%10s" % ("%.0f" % v if v is not None else "-") for v in values]
        line += ["%11s" % pg_sqlite, "%12s" % fmt_ratio(ratios("proxy-%d" % n, "proxy-1", scenario))]
        line += ["%14s" % fmt_ratio(ratios(d, against, scenario)) for d, against in compared]
        print(" ".join(line))

    comparisons = [
        ("proxy-%d" % n, "proxy-1",
         "%d instances behind HAProxy against 1 instance behind HAProxy (the proxy's hop on both sides):" % n),
        ("proxy-%d" % n, "postgresql-1",
         "%d instances behind HAProxy against 1 instance direct (#12: not slower than one instance):" % n),
        ("reuse-%d" % n, "postgresql-1",
         "%d instances on one port (--reuse-port) against 1 instance direct (#12: not slower than one instance):"
         % n),
    ]
    for deployment in columns[5:]:
        comparisons.append((deployment, "postgresql-1", "%s against %s:" % (
            titles[deployment].replace("%d on" % n, "%d instances on" % n), titles["postgresql-1"])))
    for deployment, against, title in comparisons:
        print()
        print(title)
        print("   (the median of the rounds' ratios, each side measured minutes from the other: no verdict, see")
        print("   the slices below; its spread, lowest–highest round)")
        for scenario, label in labels.items():
            if scenario == "baseline":
                continue
            values = ratios(deployment, against, scenario)
            if not values:
                continue
            ratio = statistics.median(values)
            below = sum(1 for v in values if v < 1)
            print("   %-34s %8.0f vs %8.0f req/s  %5.2f× (%.2f–%.2f; rounds: %s; %d of %d below 1)  %s" % (
                label[:34], median_rps(deployment, scenario), median_rps(against, scenario), ratio,
                min(values), max(values), " ".join("%.2f" % v for v in values), below, len(values),
                "≥ 1" if ratio >= 1 else "< 1"))

    # How each measurement of several instances spread over them.
    spread_lines = [(d, scenario, r, rows[(r, d, scenario)][2]) for d in columns if d.startswith(("proxy-", "reuse-"))
                    and d != "proxy-1" for scenario in labels if scenario != "baseline" for r in rounds
                    if (r, d, scenario) in rows and rows[(r, d, scenario)][2]]
    if spread_lines:
        print()
        print("Per instance, round by round (instances.py: connections held at the end, share of the")
        print("requests, pool threads busy with a request on average):")
        for deployment, scenario, r, spread in spread_lines:
            print("   %s, %s, round %d: %s" % (titles[deployment], labels[scenario], r, spread))

    # On a CPU-bound machine req/s follow the inverse of the CPU each
    # request costs everything: the figure that load disturbs least.
    print()
    print("CPU per request, every process it needs (ms, the median of the rounds; cpu-split.py:")
    print("instances + HAProxy + PostgreSQL + wrk):")
    order = [d for d in columns if d != "sqlite"]
    for scenario, label in labels.items():
        if scenario == "baseline":
            continue
        print("   " + label + ":")
        medians = {}
        for deployment in order:
            values = [rows[(r, deployment, scenario)][1] for r in rounds
                      if (r, deployment, scenario) in rows and len(rows[(r, deployment, scenario)][1]) == 5]
            if not values:
                continue
            medians[deployment] = [statistics.median(v[i] for v in values) for i in range(5)]
            print("      %-26s %6.3f = %6.3f + %6.3f + %6.3f + %6.3f" % (titles[deployment], *medians[deployment]))
        for deployment in order[2:]:
            if "postgresql-1" in medians and deployment in medians and medians[deployment][0]:
                one, other = medians["postgresql-1"], medians[deployment]
                print("      1 direct / %s: %.2f in all, instances %.2f, PostgreSQL %.2f (the req/s ratio"
                      " if the machine were CPU-bound)" % (
                          titles[deployment], one[0] / other[0], one[1] / other[1] if other[1] else 0.0,
                          one[3] / other[3] if other[3] else 0.0))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
