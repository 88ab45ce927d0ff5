#!/usr/bin/env python3
# Checks a man page source (scdoc) against the program's --help, so the two
# cannot drift: the same options with the same arguments, every default
# --help shows stated in the man page ("Default: X"), the sections a man
# page needs, and (--config-file) a configuration file naming every option.
#
#   check-man-page.py --program PROGRAM --man PAGE.scd [--config-file FILE]
#                     [--skip OPTION]... [--synopsis WORD]...
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import os
import re
import subprocess
import sys

SECTIONS = ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'FILES', 'ENVIRONMENT',
            'EXIT STATUS', 'EXAMPLES', 'SEE ALSO']
HELP_OPTIONS = {'help', 'help-all', 'help-gapplication'}


def help_options(program):
    """{name: (argument or None, default or None)} from --help, in English."""
    env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='')
    env.pop('DISPLAY', None)
    env.pop('WAYLAND_DISPLAY', None)
    text = subprocess.run([program, '--help'], env=env, check=True,
                          capture_output=True, text=True).stdout
    options = {}
    for line in text.splitlines():
        m = re.match(r'^\s+(?:-\w, )?--([\w-]+)(?:=(\S+))?\s+(.*)$', line)
        if not m:
            continue
        name, argument, description = m.groups()
        default = re.search(r'\(default ([^()]+)\)$', description)
        options[name] = (argument, default.group(1) if default else None)
    return options, text


def man_sections(path):
    sections = {}
    current = None
    with open(path, encoding='utf-8') as f:
        for line in f:
            m = re.match(r'^# (.+)$', line)
            if m:
                current = m.group(1).strip()
                sections[current] = []
            elif current is not None:
                sections[current].append(line.rstrip('\n'))
    return sections


def man_options(lines):
    """{name: (argument or None, entry text)} of the OPTIONS section."""
    options = {}
    current = None
    for line in lines:
        m = re.match(r'^\*(?:-\w\*, \*)?--([\w-]+)\*(?:=_([^_]+)_)?((?:, \*--[\w-]+\*)*)\s*$', line)
        if m:
            current = m.group(1)
            options[current] = [m.group(2), '']
            for extra in re.findall(r'\*--([\w-]+)\*', m.group(3) or ''):
                options[extra] = [None, '']
            continue
        if current is not None and line.startswith('\t'):
            options[current][1] += ' ' + line.strip()
        elif line.strip() == '':
            continue
        else:
            current = None
    return {name: tuple(value) for name, value in options.items()}


def plain(text):
    """The text without scdoc markup and escapes."""
    return re.sub(r'[*_]', '', text.replace('\\_', '\x00')).replace('\x00', '_')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--program', required=True)
    parser.add_argument('--man', required=True)
    parser.add_argument('--config-file')
    parser.add_argument('--skip', action='append', default=[],
                        help='an option of --help the configuration file need not name')
    parser.add_argument('--synopsis', action='append', default=[],
                        help='a command --help and the SYNOPSIS must both name')
    args = parser.parse_args()

    problems = []
    helped, help_text = help_options(args.program)
    sections = man_sections(args.man)

    for section in SECTIONS:
        if section not in sections:
            problems.append('the man page has no %s section' % section)

    documented = man_options(sections.get('OPTIONS', []))
    for name, (argument, default) in sorted(helped.items()):
        if name not in documented:
            problems.append('--%s is in --help but not in the man page' % name)
            continue
        man_argument, entry = documented[name]
        if name in HELP_OPTIONS:
            continue
        if man_argument != argument:
            problems.append('--%s: --help says argument %s, the man page %s'
                            % (name, argument, man_argument))
        if default is not None and ('Default: ' + default) not in plain(entry):
            problems.append('--%s: --help says default %s; the man page must say "Default: %s"'
                            % (name, default, default))
    for name in sorted(set(documented) - set(helped)):
        problems.append('--%s is in the man page but not in --help' % name)

    synopsis = plain(' '.join(sections.get('SYNOPSIS', [])))
    for word in args.synopsis:
        if word not in help_text:
            problems.append('--help does not mention the command %s' % word)
        if word not in synopsis:
            problems.append('the SYNOPSIS does not mention the command %s' % word)

    if args.config_file:
        with open(args.config_file, encoding='utf-8') as f:
            keys = set(re.findall(r'^#?\s*([\w-]+)\s*=', f.read(), re.MULTILINE))
        for name in sorted(set(helped) - HELP_OPTIONS - set(args.skip)):
            if name not in keys:
                problems.append('%s does not name the key %s' % (args.config_file, name))

    for problem in problems:
        print(problem, file=sys.stderr)
    print('%s: %d options checked, %d problems'
          % (os.path.basename(args.man), len(helped), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
