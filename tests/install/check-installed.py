#!/usr/bin/python3
# Checks an installed Enrollment Desk, from wherever it was installed
# (a DESTDIR, or / for the Debian packages): the files are all there, the
# installed service starts with the installed configuration file and serves
# the installed sample data, backs it up, and the installed client opens in
# French, says on a first start what to do, takes an administrator's default
# service address (a GSettings vendor override) and signs in to the service.
# The client is read through its accessible tree (AT-SPI).
#
#   check-installed.py --root ROOT --prefix PREFIX --sysconfdir DIR --unitdir DIR
#
# Runs under a display and a D-Bus session bus (see check-install.sh);
# needs /usr/bin/python3 with pyatspi (python3-pyatspi).
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import glob
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

APP_ID = 'io.github.enrollmentdesk.EnrollmentDesk'
WAIT_SECONDS = 90
problems = []


def fail(message):
    problems.append(message)
    print('FAIL: ' + message, file=sys.stderr, flush=True)


def note(message):
    print(message, flush=True)


class Paths:
    def __init__(self, args):
        def at(path):
            return os.path.join(args.root, path.lstrip('/'))
        self.client = at(os.path.join(args.prefix, 'bin', 'enrollment-desk'))
        self.service = at(os.path.join(args.prefix, 'sbin', 'enrollment-service'))
        self.share = at(os.path.join(args.prefix, 'share'))
        self.conf = at(os.path.join(args.sysconfdir, 'enrollment-service', 'enrollment-service.conf'))
        self.unitdir = at(args.unitdir)
        self.sample = os.path.join(self.share, 'enrollment-service', 'sample')


def check_files(paths):
    share = paths.share
    expected = [
        paths.client, paths.service, paths.conf,
        os.path.join(paths.unitdir, 'enrollment-service.service'),
        os.path.join(paths.unitdir, 'enrollment-service.socket'),
        os.path.join(share, 'applications', APP_ID + '.desktop'),
        os.path.join(share, 'metainfo', APP_ID + '.metainfo.xml'),
        os.path.join(share, 'glib-2.0', 'schemas', APP_ID + '.gschema.xml'),
        os.path.join(share, 'icons', 'hicolor', 'scalable', 'apps', APP_ID + '.svg'),
        os.path.join(share, 'icons', 'hicolor', 'symbolic', 'apps', APP_ID + '-symbolic.svg'),
        os.path.join(share, 'locale', 'fr', 'LC_MESSAGES', 'enrollment-desk.mo'),
        os.path.join(paths.sample, 'manifest.json'),
        os.path.join(paths.sample, 'customers.jsonl'),
    ]
    for path in expected:
        if not os.path.isfile(path):
            fail('not installed: ' + path)
    for page in ('man1/enrollment-desk.1', 'man8/enrollment-service.8'):
        if not glob.glob(os.path.join(share, 'man', page) + '*'):
            fail('no man page ' + page)

    desktop = os.path.join(share, 'applications', APP_ID + '.desktop')
    if os.path.isfile(desktop):
        with open(desktop, encoding='utf-8') as f:
            if 'Icon=' + APP_ID + '\n' not in f.read():
                fail('the desktop file does not name the icon ' + APP_ID)
        run_check(['desktop-file-validate', desktop])
    metainfo = os.path.join(share, 'metainfo', APP_ID + '.metainfo.xml')
    if os.path.isfile(metainfo):
        with open(metainfo, encoding='utf-8') as f:
            if '<icon type="stock">' + APP_ID + '</icon>' not in f.read():
                fail('the metainfo does not name the icon')


def run_check(argv):
    result = subprocess.run(argv, capture_output=True, text=True)
    if result.returncode != 0:
        fail('%s: %s%s' % (' '.join(argv), result.stdout, result.stderr))
    return result


def http(url, method='GET', body=None, token=None):
    request = urllib.request.Request(url, method=method,
                                     data=json.dumps(body).encode() if body is not None else None)
    request.add_header('Accept', 'application/json')
    if body is not None:
        request.add_header('Content-Type', 'application/json')
    if token:
        request.add_header('Authorization', 'Bearer ' + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.loads(reply.read() or b'null')
    except urllib.error.HTTPError as error:
        return error.code, None


def start_service(paths, work):
    """The installed service, with the installed configuration file, on the
    installed sample data (--demo). Returns (process, url, demo database)."""
    stderr_path = os.path.join(work, 'service.err')
    process = subprocess.Popen([paths.service, '--config', paths.conf, '--demo', '--listen', '127.0.0.1:0'],
                               stdout=subprocess.PIPE, stderr=open(stderr_path, 'w'), text=True)
    url = database = None
    for line in process.stdout:
        if line.startswith('listening on '):
            url = line.split()[-1]
        elif line.startswith('Demo database: '):
            database = line[len('Demo database: '):].split(' (')[0]
        if url and database:
            break
    with open(stderr_path, encoding='utf-8') as f:
        err = f.read()
    if url is None:
        fail('the installed service did not start: ' + err)
        return process, None, None
    # It loaded the sample data installed beside it, not a source tree's.
    if 'from ' + paths.sample not in err:
        fail('the service did not load the installed sample data %s: %s' % (paths.sample, err))
    return process, url, database


def check_service(paths, url, database, work):
    status, session = http(url + '/v1/sessions', 'POST', {'username': 'clerk', 'password': 'clerk-demo-pass'})
    if status != 201:
        fail('signing in to the installed service: %s' % status)
        return
    token = session['token']
    status, customer = http(url + '/v1/customers/cust-0040', token=token)
    if status != 200 or not customer:
        fail('GET /v1/customers/cust-0040: %s' % status)
    status, programs = http(url + '/v1/programs', token=token)
    with open(os.path.join(paths.sample, 'programs.jsonl'), encoding='utf-8') as f:
        installed = sum(1 for line in f if line.strip())
    items = programs.get('items', programs) if isinstance(programs, dict) else programs
    if status != 200 or len(items) != installed:
        fail('GET /v1/programs: %s, %d programs for the %d installed' % (status, len(items or []), installed))
    else:
        note('service: serves the installed sample data (%d programs)' % installed)

    backup = os.path.join(work, 'backup.db')
    result = run_check([paths.service, '--config', paths.conf, '--database', database, 'backup', backup])
    if result.returncode == 0 and os.path.getsize(backup) > 0:
        note('service: ' + result.stdout.strip())


def client_env(paths, work, schemas, store):
    env = {k: v for k, v in os.environ.items()
           if k not in ('GTK_A11Y', 'NO_AT_BRIDGE', 'LC_ALL', 'LC_MESSAGES', 'ENR_LOCALEDIR')}
    home = os.path.join(work, 'home')
    os.makedirs(home, exist_ok=True)
    env.update({
        'LANGUAGE': 'fr', 'LANG': 'C.UTF-8',
        'XDG_DATA_DIRS': paths.share + ':/usr/local/share:/usr/share',
        'GSETTINGS_SCHEMA_DIR': schemas, 'GSETTINGS_BACKEND': 'memory',
        'HOME': home, 'XDG_DATA_HOME': os.path.join(home, 'data'),
        'XDG_CONFIG_HOME': os.path.join(home, 'config'), 'XDG_CACHE_HOME': os.path.join(home, 'cache'),
        'ENR_STORE_PATH': store,
        'GSK_RENDERER': 'cairo', 'GDK_DEBUG': 'gl-disable',
    })
    return env


def compile_schemas(paths, work, name, override=None):
    """The installed schemas compiled (a package's trigger does it in /usr),
    with an administrator's vendor override if given."""
    target = os.path.join(work, name)
    shutil.copytree(os.path.join(paths.share, 'glib-2.0', 'schemas'), target)
    if override:
        with open(os.path.join(target, '50_enrollment-desk.gschema.override'), 'w', encoding='utf-8') as f:
            f.write(override)
    run_check(['glib-compile-schemas', '--strict', target])
    return target


def open_display():
    """Waits, bounded, until the X server of $DISPLAY completes a connection
    handshake, and returns that connection: held open for the whole check, it
    proves the server accepts clients before the first one starts, and keeps
    the server from resetting between clients. Returns None, with the reason
    recorded, if it never does."""
    number = os.environ['DISPLAY'].lstrip(':').split('.')[0]
    path = '/tmp/.X11-unix/X' + number
    # Little-endian setup request: protocol 11.0, no authorization.
    request = struct.pack('<cxHHHHxx', b'l', 11, 0, 0, 0)
    deadline = time.monotonic() + WAIT_SECONDS
    reason = 'not tried'
    while time.monotonic() < deadline:
        for address in ('\0' + path, path):
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(10)
            try:
                connection.connect(address)
                connection.sendall(request)
                reply = connection.recv(8)
                if reply[:1] == b'\x01':
                    return connection
                reason = 'the server answered %r' % reply[:1]
            except OSError as error:
                reason = '%s: %s' % (address.replace('\0', '@'), error)
            connection.close()
        time.sleep(0.25)
    fail('the X server of %s never completed a handshake (%s)' % (os.environ['DISPLAY'], reason))
    return None


def walk(node, depth=0, budget=None):
    if budget is None:
        budget = [20000]
    if node is None or budget[0] <= 0 or depth > 60:
        return
    budget[0] -= 1
    yield node
    try:
        count = node.childCount
    except Exception:
        return
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        yield from walk(child, depth + 1, budget)


def wait_for(predicate, what, process):
    """Polls the accessible tree every 0.25 s, at most WAIT_SECONDS."""
    import pyatspi
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            fail('the client exited (%s) while waiting for %s' % (process.returncode, what))
            return None
        desktop = pyatspi.Registry.getDesktop(0)
        for node in walk(desktop):
            try:
                if predicate(node):
                    return node
            except Exception:
                continue
        time.sleep(0.25)
    fail('no %s within %d s' % (what, WAIT_SECONDS))
    return None


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def check_first_start(paths, work):
    """No service set up: the sign-in dialog, in French, says what to do."""
    schemas = compile_schemas(paths, work, 'schemas')
    env = client_env(paths, work, schemas, os.path.join(work, 'first.db'))
    log = open(os.path.join(work, 'client-first.log'), 'w')
    client = subprocess.Popen([paths.client], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        dialog = wait_for(lambda n: n.getRoleName() == 'frame' and n.name == 'Connexion',
                          'sign-in dialog titled “Connexion”', client)
        if dialog is not None:
            text = 'Aucun service d’inscription n’est encore configuré sur cet ordinateur.'
            if any(text in (n.name or '') for n in walk(dialog)):
                note('client: opens in French; the first start says no service is set up')
            else:
                fail('the sign-in dialog does not say that no service is set up (in French)')
    finally:
        stop(client)


def check_administrator_default(paths, work, url):
    """A vendor override sets the service; the client signs in to it."""
    schemas = compile_schemas(paths, work, 'schemas-override',
                              "[%s]\nservice-url='%s'\n" % (APP_ID, url))
    env = client_env(paths, work, schemas, os.path.join(work, 'override.db'))
    password = os.path.join(work, 'password')
    with open(password, 'w') as f:
        f.write('clerk-demo-pass\n')
    os.chmod(password, 0o600)
    log = open(os.path.join(work, 'client-override.log'), 'w')
    client = subprocess.Popen([paths.client, '--username', 'clerk', '--password-file', password],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        online = wait_for(lambda n: (n.description or '').startswith('En ligne.'),
                          'sync indicator saying “En ligne.”', client)
        if online is not None:
            note('client: signed in to the service the vendor override names: ' + online.description)
    finally:
        stop(client)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--root', required=True)
    parser.add_argument('--prefix', required=True)
    parser.add_argument('--sysconfdir', required=True)
    parser.add_argument('--unitdir', required=True)
    args = parser.parse_args()
    paths = Paths(args)

    try:
        import pyatspi  # noqa: F401
    except ImportError:
        print('check-installed: pyatspi is missing (apt-get install python3-pyatspi)', file=sys.stderr)
        return 1
    if not os.environ.get('DISPLAY') or not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
        print('check-installed: needs a display and a D-Bus session (run check-install.sh)', file=sys.stderr)
        return 1

    check_files(paths)
    display = open_display()
    with tempfile.TemporaryDirectory(prefix='enr-installed-') as work:
        service, url, database = start_service(paths, work)
        try:
            if url:
                check_service(paths, url, database, work)
            if display is not None:
                check_first_start(paths, work)
            if display is not None and url:
                check_administrator_default(paths, work, url)
        finally:
            stop(service)
        if problems:
            for log in sorted(glob.glob(os.path.join(work, '*.log')) + glob.glob(os.path.join(work, '*.err'))):
                with open(log, encoding='utf-8', errors='replace') as f:
                    print('--- %s\n%s' % (os.path.basename(log), f.read()[-4000:]), file=sys.stderr)

    print('%d problems' % len(problems))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
