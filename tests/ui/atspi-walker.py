#!/usr/bin/python3
# atspi-walker.py — an assistive-technology client that reads the accessible
# tree of every application on the AT-SPI bus over and over, as a screen
# reader does while windows come and go: names, roles, states, relations,
# parents and children. It counts the applications' windows at the start
# of each walk and again every few objects, and between two walks it asks,
# for a while, for the window count and then the last window: what a
# reader does when a window opens or closes.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Prints "ready" once it reached the registry; "count N" each time it
# counted the windows (N in all, -1 if that failed); "begin" and "walk N"
# at the start and the end of each walk (N objects read). Runs until its
# standard input closes. Errors (an object gone meanwhile) are expected
# and skipped: only the application under test must survive.
import os
import sys
import threading
import time

import pyatspi

MAX_OBJECTS = 20000
COUNT_EVERY = 40


def say(line):
    try:
        print(line, flush=True)
    except BrokenPipeError:
        os._exit(0)


def count_windows(desktop):
    try:
        windows = 0
        for i in range(desktop.childCount):
            windows += desktop.getChildAtIndex(i).childCount
        say("count %d" % windows)
    except Exception:
        say("count -1")


def visit(desktop, node, depth, counter):
    if node is None or depth > 60 or counter[0] > MAX_OBJECTS:
        return
    counter[0] += 1
    if counter[0] % COUNT_EVERY == 0:
        count_windows(desktop)
    try:
        node.name
        node.getRoleName()
        node.getState().getStates()
        node.parent
        for relation in node.getRelationSet():
            for i in range(relation.getNTargets()):
                relation.getTarget(i)
        count = node.childCount
    except Exception:
        return
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        visit(desktop, child, depth + 1, counter)


def last_windows(desktop, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            for i in range(desktop.childCount):
                app = desktop.getChildAtIndex(i)
                count = app.childCount
                if count > 0:
                    window = app.getChildAtIndex(count - 1)
                    if window is not None:
                        window.name
        except Exception:
            pass


def main():
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    desktop = pyatspi.Registry.getDesktop(0)
    say("ready")
    while not stop.is_set():
        counter = [0]
        say("begin")
        count_windows(desktop)
        try:
            for i in range(desktop.childCount):
                visit(desktop, desktop.getChildAtIndex(i), 0, counter)
        except Exception:
            pass
        say("walk %d" % counter[0])
        last_windows(desktop, 0.1)
    os._exit(0)


if __name__ == "__main__":
    main()
