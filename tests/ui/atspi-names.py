#!/usr/bin/python3
# atspi-names.py — reads, as a screen reader does, the accessible name
# and role of every object of one application over AT-SPI.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   atspi-names.py PID
#
# Waits (at most 30 s) for the application of process PID on the
# registry, then walks all of its windows and prints, per object,
#   object<TAB>ROLE<TAB>NAME<TAB>PATH
# (PATH: the roles and names from the window down, " > " between them;
# tabs and newlines of names as spaces), after it, for an object with an
# accessible description (what a screen reader reads after the name),
#   described<TAB>ROLE<TAB>NAME<TAB>DESCRIPTION
# and at the end "end N" with N the objects read. Errors go to the
# standard error with a status of 1.
#
# An object can go between its parent's answer and the question to it
# (the application still builds what it shows): then the whole walk
# starts again, at most MAX_WALKS times, so that what is printed is one
# tree as it was.
import sys
import time

import pyatspi
from gi.repository import GLib

MAX_OBJECTS = 20000
MAX_WALKS = 20


class Gone(Exception):
    pass


def clean(text):
    return (text or "").replace("\t", " ").replace("\n", " ")


def find_application(pid):
    end = time.monotonic() + 30
    while True:
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            try:
                app = desktop.getChildAtIndex(i)
                if app is not None and app.get_process_id() == pid:
                    return app
            except Exception:
                continue
        if time.monotonic() > end:
            return None
        time.sleep(0.1)


def walk(node, path, depth, lines):
    if node is None or depth > 80 or len(lines) >= MAX_OBJECTS:
        return
    try:
        role = node.getRoleName()
        name = clean(node.name)
        description = clean(node.description)
        n_children = node.childCount
    except GLib.GError as error:
        raise Gone("%s: %s" % (path, error.message))
    here = "%s%s%s" % (path, " > " if path else "", "%s “%s”" % (role, name))
    lines.append("object\t%s\t%s\t%s" % (role, name, here))
    if description:
        lines.append("described\t%s\t%s\t%s" % (role, name, description))
    for i in range(n_children):
        try:
            child = node.getChildAtIndex(i)
        except GLib.GError as error:
            raise Gone("%s: %s" % (here, error.message))
        walk(child, here, depth + 1, lines)


def main():
    pid = int(sys.argv[1])
    app = find_application(pid)
    if app is None:
        print("atspi-names: no application of process %d on the AT-SPI registry" % pid, file=sys.stderr)
        sys.exit(1)
    for attempt in range(MAX_WALKS):
        lines = []
        try:
            for i in range(app.childCount):
                walk(app.getChildAtIndex(i), "", 0, lines)
            break
        except Gone as gone:
            print("atspi-names: an object went during the walk (%s)" % gone, file=sys.stderr)
            time.sleep(0.2)
    else:
        print("atspi-names: the tree kept changing for %d walks" % MAX_WALKS, file=sys.stderr)
        sys.exit(1)
    for line in lines:
        print(line)
    print("end %d" % len(lines), flush=True)


if __name__ == "__main__":
    main()
