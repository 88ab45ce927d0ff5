#!/bin/sh
# Checks the layering through the compile commands and the includes:
#   src/core/    no GTK, SQLite or libsoup;
#   src/gui/     no SQLite: neither sqlite3.h nor the store's private
#                header (the store's API is the way to the data).
set -eu
db="$1/compile_commands.json"
src="$2/src"
[ -f "$db" ] || { echo "no $db" >&2; exit 1; }
status=0

# The compile commands of the sources under src/$1/.
commands_of () {
  awk -v dir="src/$1/" '/"command":/ { cmd = $0 } /"file":/ && index($0, dir) { print cmd }' "$db"
}

# The sources under src/$1/ that include a header matching $2.
including () {
  find "$src/$1" -name '*.[ch]' -exec grep -l -E "#include *[<\"]($2)" {} + 2>/dev/null || true
}

fail () {
  echo "$1" >&2
  [ -z "${2:-}" ] || echo "$2" >&2
  status=1
}

core=$(commands_of core | wc -l)
[ "$core" -gt 0 ] || { echo "no core sources in $db" >&2; exit 1; }
bad=$(commands_of core | grep -E 'gtk-4|libsoup|sqlite' || true)
[ -z "$bad" ] || fail "core sources see a higher layer's headers:" "$bad"
inc=$(including core 'gtk/|gdk/|sqlite3|libsoup/')
[ -z "$inc" ] || fail "core sources include a higher layer's headers:" "$inc"
[ -n "$bad$inc" ] || echo "core: $core compile commands, none with GTK, SQLite or libsoup"

if [ -d "$src/gui" ]; then
  bad=$(including gui 'sqlite3|enr-store-private\.h')
  if [ -n "$bad" ]; then
    fail "desktop client sources use SQLite directly:" "$bad"
  else
    echo "gui: no source includes sqlite3.h or the store's private header"
  fi
fi

exit $status
