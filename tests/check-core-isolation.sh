#!/bin/sh
# Checks the layering (docs/architecture.md) through the compile commands,
# the includes and the calls of the sources under src/:
#   core/     no GTK, SQLite, libpq or libsoup, not even on the include path;
#   client/   no GTK, not even on the include path (its suite has no display);
#   GTK       only in gui/;
#   SQLite    only in store/, db/ and the service's storage
#             (src/service/enr-service-store*, enr-service-backup.c);
#   libpq     only in db/ and the service's storage and change notification
#             (src/service/enr-service-store*, enr-service-notify.c);
#   HTTP      (libsoup) only in sync/ and service/;
#   the store's private header only in store/.
# Usage: check-core-isolation.sh BUILD-ROOT SOURCE-ROOT
set -eu
db="$1/compile_commands.json"
src="$2/src"
[ -f "$db" ] || { echo "no $db" >&2; exit 1; }
status=0

# The compile commands of the sources under src/$1/.
commands_of () {
  awk -v dir="src/$1/" '/"command":/ { cmd = $0 } /"file":/ && index($0, dir) { print cmd }' "$db"
}

# The sources under src/ that include a header matching $1 or call a
# function matching $2, less those whose path (under src/) matches $3.
using () {
  grep -r -l -E --include='*.[ch]' \
       "#include *[<\"]($1)|(^|[^A-Za-z0-9_])($2)[A-Za-z0-9_]* *\(" "$src" |
    sed "s|^$src/||" | grep -v -E "^($3)" | sort || true
}

fail () {
  echo "$1" >&2
  [ -z "${2:-}" ] || echo "$2" >&2
  status=1
}

# check WHAT INCLUDES CALLS ALLOWED-PATHS
check () {
  bad=$(using "$2" "$3" "$4")
  if [ -n "$bad" ]; then
    fail "$1 is used outside its layer:" "$bad"
  else
    echo "$1: only in $(echo "$4" | sed 's/\\//g; s/|/, /g')"
  fi
}

core=$(commands_of core | wc -l)
[ "$core" -gt 0 ] || { echo "no core sources in $db" >&2; exit 1; }
bad=$(commands_of core | grep -E 'gtk-4|libsoup|sqlite|postgresql' || true)
[ -z "$bad" ] || fail "core sources see a higher layer's headers:" "$bad"
[ -n "$bad" ] || echo "core: $core compile commands, none with GTK, SQLite or libsoup"

if [ -d "$src/client" ]; then
  client=$(commands_of client | wc -l)
  [ "$client" -gt 0 ] || fail "no client sources in $db"
  bad=$(commands_of client | grep -E 'gtk-4' || true)
  [ -z "$bad" ] || fail "client sources have GTK on their include path:" "$bad"
  [ -n "$bad" ] || echo "client: $client compile commands, none with GTK"
fi

check GTK 'gtk/|gdk/|enr-gui-utils\.h' 'gtk_|gdk_' 'gui/'
check SQLite 'sqlite3\.h' 'sqlite3_' 'store/|db/|service/enr-service-store|service/enr-service-backup\.c'
check libpq 'libpq-fe\.h|postgresql/' 'PQ[a-z]' 'db/|service/enr-service-store|service/enr-service-notify\.c'
check 'HTTP (libsoup)' 'libsoup/' 'soup_' 'sync/|service/'
check "the store's private header" 'enr-store-private\.h' '_enr_store_' 'store/'

exit $status
