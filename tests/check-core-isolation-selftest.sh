#!/bin/sh
# Shows that check-core-isolation.sh fails on each kind of layering breach:
# it runs the check on a small tree of its own, clean first, then with one
# breach planted at a time.
# Usage: check-core-isolation-selftest.sh PATH-TO-check-core-isolation.sh
set -eu
check="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# A clean tree: a core source, a client source, a widget, the store and the
# service's storage.
reset_tree () {
  rm -rf "$tmp/src" "$tmp/build"
  mkdir -p "$tmp/src/core" "$tmp/src/client" "$tmp/src/gui/common" \
           "$tmp/src/store" "$tmp/src/service" "$tmp/src/sync" "$tmp/build"
  printf '#include <glib.h>\n' > "$tmp/src/core/enr-a.c"
  printf '#include <gio/gio.h>\n' > "$tmp/src/client/enr-b.c"
  printf '#include <gtk/gtk.h>\nvoid f (void) { gtk_widget_show (0); }\n' > "$tmp/src/gui/common/enr-c.c"
  printf '#include <sqlite3.h>\n#include "enr-store-private.h"\n' > "$tmp/src/store/enr-d.c"
  printf '#include <sqlite3.h>\nvoid g (void) { sqlite3_step (0); }\n' > "$tmp/src/service/enr-service-store-e.c"
  printf '#include <libsoup/soup.h>\nvoid h (void) { soup_session_new (); }\n' > "$tmp/src/sync/enr-f.c"
  core_flags="-I/usr/include/glib-2.0"
  client_flags="-I/usr/include/glib-2.0"
}

write_commands () {
  cat > "$tmp/build/compile_commands.json" <<EOF
[
{
  "directory": "$tmp/build",
  "command": "cc $core_flags -c ../src/core/enr-a.c",
  "file": "../src/core/enr-a.c"
},
{
  "directory": "$tmp/build",
  "command": "cc $client_flags -c ../src/client/enr-b.c",
  "file": "../src/client/enr-b.c"
}
]
EOF
}

# expect NAME pass|fail
expect () {
  write_commands
  if sh "$check" "$tmp/build" "$tmp" > "$tmp/out" 2>&1; then got=pass; else got=fail; fi
  if [ "$got" = "$2" ]; then
    echo "ok - $1"
  else
    echo "not ok - $1: the check should $2 but did not:"
    sed 's/^/# /' "$tmp/out"
    status=1
  fi
}

reset_tree; expect "a clean tree passes" pass

reset_tree; core_flags="$core_flags -I/usr/include/gtk-4.0"
expect "GTK on the core's include path" fail
reset_tree; client_flags="$client_flags -I/usr/include/gtk-4.0"
expect "GTK on the client's include path" fail
reset_tree; printf '#include <gtk/gtk.h>\n' >> "$tmp/src/client/enr-b.c"
expect "a client source including GTK" fail
reset_tree; printf '#include "enr-gui-utils.h"\n' >> "$tmp/src/client/enr-b.c"
expect "a client source including the widgets' helpers" fail
reset_tree; printf 'void x (void) { sqlite3_exec (0, 0, 0, 0, 0); }\n' >> "$tmp/src/gui/common/enr-c.c"
expect "a widget running SQL" fail
reset_tree; printf '#include "enr-store-private.h"\n' >> "$tmp/src/client/enr-b.c"
expect "a client source including the store's private header" fail
reset_tree; printf 'void y (void) { sqlite3_step (0); }\n' > "$tmp/src/service/enr-service-tasks.c"
expect "SQL in the service outside its storage" fail
reset_tree; printf '#include <libsoup/soup.h>\n' >> "$tmp/src/store/enr-d.c"
expect "HTTP in the store" fail
reset_tree; printf '#include <libpq-fe.h>\n' >> "$tmp/src/store/enr-d.c"
expect "libpq outside src/db" fail
reset_tree; printf 'void z (void) { PQexec (0, 0); }\n' > "$tmp/src/service/enr-service-tasks.c"
expect "libpq in the service outside its storage" fail
reset_tree; printf '#include <sqlite3.h>\n' >> "$tmp/src/core/enr-a.c"
expect "a core source including SQLite" fail

exit $status
