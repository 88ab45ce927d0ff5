#!/usr/bin/env python3
# Checks a man page source (scdoc) against the program's --help, so the two
# cannot drift: the same options with the same arguments, every default
# --help shows stated in the man page ("Default: X"), an option --help calls
# "(command line only)" called so there too, the sections a man page needs;
# (--config-file) a configuration file naming every option but those of the
# command line only, and no other key; (--doc) a document whose synopsis
# (the code block starting with the program's name) names every option and
# no other.
#
#   check-man-page.py --program PROGRAM --man PAGE.scd [--config-file FILE]
#                     [--doc FILE.md] [--skip OPTION]... [--synopsis WORD]...
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
    """{name: (argument or None, default or None, command line only)} from
    --help, in English."""
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
        options[name] = (argument, default.group(1) if default else None,
                         '(command line only)' in description)
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
    parser.add_argument('--doc', help='a document whose synopsis names every option and no other')
    parser.add_argument('--skip', action='append', default=[],
                        help='an option of --help the configuration file need not name '
                             '(besides those --help calls command line only)')
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
    for name, (argument, default, command_line_only) in sorted(helped.items()):
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
        if command_line_only and 'Command line only' not in plain(entry):
            problems.append('--%s: --help says command line only; the man page must say "Command line only"'
                            % name)
    for name in sorted(set(documented) - set(helped)):
        problems.append('--%s is in the man page but not in --help' % name)

    synopsis = plain(' '.join(sections.get('SYNOPSIS', [])))
    for word in args.synopsis:
        if word not in help_text:
            problems.append('--help does not mention the command %s' % word)
        if word not in synopsis:
            problems.append('the SYNOPSIS does not mention the command %s' % word)

    command_line_only = {name for name, value in helped.items() if value[2]} | set(args.skip)
    if args.config_file:
        with open(args.config_file, encoding='utf-8') as f:
            # NAME=VALUE, or #NAME=VALUE commented out ("# " starts prose).
            keys = set(re.findall(r'^#?([a-z][a-z0-9-]*)\s*=', f.read(), re.MULTILINE))
        for name in sorted(set(helped) - HELP_OPTIONS - command_line_only):
            if name not in keys:
                problems.append('%s does not name the key %s' % (args.config_file, name))
        for name in sorted(keys - (set(helped) - HELP_OPTIONS - command_line_only)):
            problems.append('%s names the key %s, which is not an option of the file'
                            % (args.config_file, name))

    if args.doc:
        with open(args.doc, encoding='utf-8') as f:
            doc = f.read()
        program = os.path.basename(args.program)
        block = re.search(r'^```[^\n]*\n(%s [^`]*)```' % re.escape(program), doc, re.MULTILINE)
        if block is None:
            problems.append('%s has no synopsis (a code block starting with "%s ")' % (args.doc, program))
        else:
            named = set(re.findall(r'--([a-z][\w-]*)', block.group(1)))
            for name in sorted(set(helped) - HELP_OPTIONS - named):
                problems.append('the synopsis in %s does not name --%s' % (args.doc, name))
            for name in sorted(named - set(helped)):
                problems.append('the synopsis in %s names --%s, which --help does not have'
                                % (args.doc, name))

    for problem in problems:
        print(problem, file=sys.stderr)
    print('%s: %d options checked, %d problems'
          % (os.path.basename(args.man), len(helped), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
