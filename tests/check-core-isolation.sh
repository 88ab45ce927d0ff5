#!/bin/sh
# Fails when any file of src/core/ is compiled with GTK, SQLite or libsoup on
# its include path: the domain core knows none of them.
set -eu
db="$1/compile_commands.json"
[ -f "$db" ] || { echo "no $db" >&2; exit 1; }
core=$(grep -c '"file": "[^"]*src/core/' "$db" || true)
[ "$core" -gt 0 ] || { echo "no core sources in $db" >&2; exit 1; }
bad=$(awk '/"command":/ { cmd = $0 } /"file":/ && /src\/core\// { print cmd }' "$db" |
  grep -E 'gtk-4|libsoup|sqlite' || true)
if [ -n "$bad" ]; then
  echo "core sources see a higher layer's headers:" >&2
  echo "$bad" >&2
  exit 1
fi
src="$2/src/core"
inc=$(grep -l -E '#include *[<"](gtk/|gdk/|sqlite3|libsoup/)' "$src"/*.c "$src"/*.h 2>/dev/null || true)
if [ -n "$inc" ]; then
  echo "core sources include a higher layer's headers: $inc" >&2
  exit 1
fi
echo "core: $core compile commands, none with GTK, SQLite or libsoup"
