#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The last tables of build-aux/bench-service --backend postgresql: the
deployments side by side over every round.

    rounds.py RESULTS INSTANCES

RESULTS has one line per measurement, tab-separated:

    round  deployment  scenario  label  req/s  totals

(totals: cpu-split.py's "totals", the CPU ms per request of everything, of
the instances, of HAProxy, of PostgreSQL and of wrk; empty on SQLite).
Each round measured the PostgreSQL deployments in another order, so that
load rising or falling during a run does not favour the first one. A ratio
is the median of the ratios of each round (both sides of a ratio measured
in the same round, minutes apart), with every round's beside it; req/s and
CPU figures are medians over the rounds. A comparison is met when the
median ratio is at least 1. Only the standard library.
"""

import statistics
import sys


def main(path, instances):
    rows = {}        # (round, deployment, scenario) → (req/s, totals)
    labels = {}      # scenario → label, in the order measured
    rounds = set()
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 6:
                continue
            rnd, deployment, scenario, label, rps, totals = fields
            rows[(int(rnd), deployment, scenario)] = (float(rps), [float(x) for x in totals.split()])
            labels.setdefault(scenario, label.strip())
            rounds.add(int(rnd))
    rounds = sorted(rounds)
    n = instances
    columns = ("sqlite", "postgresql-1", "proxy-1", "proxy-%d" % n, "reuse-%d" % n)

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

    print()
    print("Side by side, %d round%s (req/s: the median of the rounds; ratios: the median of each round's"
          % (len(rounds), "" if len(rounds) == 1 else "s"))
    print("ratio; the order of the PostgreSQL deployments rotates from round to round; PG %d prx: behind"
          % n)
    print("HAProxy, PG %d rp: on one port, --reuse-port; SQLite is measured once, before the rounds):" % n)
    header = ("scenario", "SQLite", "PG 1", "PG 1 prx", "PG %d prx" % n, "PG %d rp" % n, "PG1/SQLite",
              "PG%d/PG1prx" % n, "PG%dprx/PG1" % n, "PG%drp/PG1" % n)
    print("%-36s %9s %9s %9s %9s %9s %11s %12s %12s %12s" % header)
    for scenario, label in labels.items():
        values = [median_rps(d, scenario) for d in columns]
        sqlite = [rows[(r, "sqlite", scenario)][0] for r in rounds if (r, "sqlite", scenario) in rows]
        pg1 = [rows[(r, "postgresql-1", scenario)][0] for r in rounds if (r, "postgresql-1", scenario) in rows]
        pg_sqlite = "%.2f" % (statistics.median(pg1) / sqlite[0]) if sqlite and pg1 and sqlite[0] else "-"
        print("%-36s %9s %9s %9s %9s %9s %11s %12s %12s %12s" % (
            label[:36], *("%.0f" % v if v is not None else "-" for v in values), pg_sqlite,
            fmt_ratio(ratios("proxy-%d" % n, "proxy-1", scenario)),
            fmt_ratio(ratios("proxy-%d" % n, "postgresql-1", scenario)),
            fmt_ratio(ratios("reuse-%d" % n, "postgresql-1", scenario))))

    comparisons = (
        ("proxy-%d" % n, "proxy-1",
         "%d instances behind HAProxy against 1 instance behind HAProxy (the proxy's hop on both sides):" % n),
        ("proxy-%d" % n, "postgresql-1",
         "%d instances behind HAProxy against 1 instance direct (#12: not slower than one instance):" % n),
        ("reuse-%d" % n, "postgresql-1",
         "%d instances on one port (--reuse-port) against 1 instance direct (#12: not slower than one instance):"
         % n),
    )
    for deployment, against, title in comparisons:
        print()
        print(title)
        for scenario, label in labels.items():
            if scenario == "baseline":
                continue
            values = ratios(deployment, against, scenario)
            if not values:
                continue
            ratio = statistics.median(values)
            print("   %-34s %8.0f vs %8.0f req/s  %5.2f× (rounds: %s)  %s" % (
                label[:34], median_rps(deployment, scenario), median_rps(against, scenario), ratio,
                " ".join("%.2f" % v for v in values), "met" if ratio >= 1 else "NOT met"))

    # On a CPU-bound machine req/s follow the inverse of the CPU each
    # request costs everything: the figure that load disturbs least.
    print()
    print("CPU per request, every process it needs (ms, the median of the rounds; cpu-split.py:")
    print("instances + HAProxy + PostgreSQL + wrk):")
    titles = (("postgresql-1", "1 direct"), ("proxy-1", "1 behind HAProxy"),
              ("proxy-%d" % n, "%d behind HAProxy" % n), ("reuse-%d" % n, "%d on one port" % n))
    for scenario, label in labels.items():
        if scenario == "baseline":
            continue
        print("   " + label + ":")
        medians = {}
        for deployment, title in titles:
            values = [rows[(r, deployment, scenario)][1] for r in rounds
                      if (r, deployment, scenario) in rows and len(rows[(r, deployment, scenario)][1]) == 5]
            if not values:
                continue
            medians[deployment] = [statistics.median(v[i] for v in values) for i in range(5)]
            print("      %-18s %6.3f = %6.3f + %6.3f + %6.3f + %6.3f" % (title, *medians[deployment]))
        for deployment, title in titles[2:]:
            if "postgresql-1" in medians and deployment in medians and medians[deployment][0]:
                one, other = medians["postgresql-1"], medians[deployment]
                print("      1 direct / %s: %.2f in all, instances %.2f, PostgreSQL %.2f (the req/s ratio"
                      " if the machine were CPU-bound)" % (
                          title, one[0] / other[0], one[1] / other[1] if other[1] else 0.0,
                          one[3] / other[3] if other[3] else 0.0))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], int(sys.argv[2]))
