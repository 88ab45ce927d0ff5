#!/bin/sh
# Runs a test of a *-postgresql suite: against the PostgreSQL server the PG*
# variables name (build-aux/test makes one with pg_virtualenv -t), or, when
# none answers, reports it skipped (TAP), which build-aux/test counts as a
# failure.
if ! pg_isready -q >/dev/null 2>&1; then
  echo "1..0 # SKIP no PostgreSQL server answers (run under pg_virtualenv -t, as build-aux/test does)"
  exit 0
fi
ENR_TEST_DATABASE=postgresql
export ENR_TEST_DATABASE
exec "$@"
