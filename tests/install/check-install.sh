#!/bin/sh
# Installs the build into a temporary DESTDIR (meson install) and checks the
# installed copy with check-installed.py, under a headless X server of its
# own (never the caller's display, which may be anyone's or gone) and a
# D-Bus session bus of its own.
#
#   check-install.sh BUILD_DIR PREFIX SYSCONFDIR UNITDIR
#   check-install.sh --installed PREFIX SYSCONFDIR UNITDIR   (what is in /)
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/enr-install-XXXXXX")
xvfb=
cleanup () {
  [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$1" = --installed ]; then
  root=/
else
  root=$work/destdir
  meson install -C "$1" --destdir "$root" --no-rebuild --quiet
fi
prefix=$2 sysconfdir=$3 unitdir=$4

# Xvfb picks a free display itself (-displayfd) and writes its number once it
# listens: no race with other servers starting at the same time. -noreset:
# the server must not reset between the test's clients (a client connecting
# while the last one's departure resets the server can be refused);
# check-installed.py also waits for a completed X handshake before any client.
unset DISPLAY WAYLAND_DISPLAY
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$work/display" 2>"$work/xvfb.log" &
xvfb=$!
tries=0
until [ -s "$work/display" ]; do
  tries=$((tries + 1))
  if [ $tries -gt 600 ] || ! kill -0 "$xvfb" 2>/dev/null; then
    echo "check-install: Xvfb did not start:" >&2
    cat "$work/xvfb.log" >&2
    exit 1
  fi
  sleep 0.1
done
DISPLAY=:$(cat "$work/display")
export DISPLAY

status=0
dbus-run-session -- /usr/bin/python3 "$here/check-installed.py" \
  --root "$root" --prefix "$prefix" --sysconfdir "$sysconfdir" --unitdir "$unitdir" || status=$?
if [ $status -ne 0 ]; then
  echo "--- xvfb.log (display $DISPLAY)" >&2
  cat "$work/xvfb.log" >&2
fi
exit $status
