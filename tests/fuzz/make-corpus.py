#!/usr/bin/env python3
# make-corpus.py — writes the seed corpus (tests/fuzz/corpus/) and the
# libFuzzer dictionary (tests/fuzz/json.dict) of fuzz-json.c
#
#   tests/fuzz/make-corpus.py
#
# Valid documents come from data/sample/*.jsonl and the model tests' shapes;
# hostile ones are mutations of them and classic JSON traps. Each corpus file
# is "<decoder>--<label>" and starts with its decoder's selector byte, the
# decoder's index in DECODERS (the same order as `decoders` in fuzz-json.c;
# the fuzz-corpus test checks that they agree).
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import re
import shutil
import sys

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
SAMPLE = os.path.join(TOP, 'data', 'sample')
OUT = os.path.join(TOP, 'tests', 'fuzz', 'corpus')
DICT = os.path.join(TOP, 'tests', 'fuzz', 'json.dict')

MODELS = [
    'action_method', 'activity_type', 'answer', 'appointment', 'code_value', 'crew',
    'crew_shift', 'crew_shift_type', 'criteria_group', 'criterion', 'customer',
    'customer_communication', 'device', 'device_location', 'device_setup_rule',
    'initiative', 'interaction', 'metered_service', 'process_flow', 'program',
    'program_subscription', 'program_type', 'question', 'service_point',
    'service_task', 'service_task_type', 'task_transition', 'user',
]
DECODERS = (['json'] + MODELS + ['model_array', 'dataset_lines', 'dataset_manifest'] +
            ['request_sign_in', 'request_task', 'request_empty', 'request_cancel',
             'request_reschedule', 'request_communication'])
COLLECTIONS = [
    'code_values', 'users', 'action_methods', 'activity_types', 'crew_shift_types',
    'crews', 'service_task_types', 'program_types', 'initiatives', 'programs',
    'customers', 'service_points', 'metered_services', 'device_locations',
    'subscriptions', 'devices',
]
COLLECTION_MODEL = {
    'code_values': 'code_value', 'users': 'user', 'action_methods': 'action_method',
    'activity_types': 'activity_type', 'crew_shift_types': 'crew_shift_type',
    'crews': 'crew', 'service_task_types': 'service_task_type',
    'program_types': 'program_type', 'initiatives': 'initiative', 'programs': 'program',
    'customers': 'customer', 'service_points': 'service_point',
    'metered_services': 'metered_service', 'device_locations': 'device_location',
    'subscriptions': 'program_subscription', 'devices': 'device',
}

files = {}
findings = {}  # open findings: reproducers kept out of the replayed corpus until fixed


def add(decoder, label, payload, sub=None, finding=False):
    if isinstance(payload, str):
        payload = payload.encode('utf-8')
    head = bytes([DECODERS.index(decoder)])
    if sub is not None:
        head += bytes([sub])
    name = '%s--%s' % (decoder, label)
    assert name not in files, name
    assert DECODERS.count(decoder) == 1, decoder
    if finding:
        findings[name] = head + payload
    else:
        files[name] = head + payload


def dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(',', ':'))


def sample_lines(collection):
    with open(os.path.join(SAMPLE, collection + '.jsonl'), encoding='utf-8') as f:
        return [line.rstrip('\n') for line in f if line.strip()]


# Valid documents of every model type

valid = {m: [] for m in MODELS}

for collection, model in COLLECTION_MODEL.items():
    lines = sample_lines(collection)
    picks = [lines[0]]
    longest = max(lines, key=len)
    if longest != lines[0]:
        picks.append(longest)
    for line in picks:
        valid[model].append(json.loads(line))

program = max((json.loads(l) for l in sample_lines('programs')), key=lambda p: len(p.get('questions', [])))
valid['question'].append(program['questions'][0])
initiative = json.loads(sample_lines('initiatives')[0])
valid['criteria_group'].append(initiative['groups'][0])
valid['criterion'].append(initiative['groups'][0]['criteria'][0])
task_type = json.loads(sample_lines('service_task_types')[0])
valid['device_setup_rule'].extend(task_type['rules'][:2])

appointment = {
    'id': 'apt-9001', 'activity_type_id': 'act-install-tstat', 'crew_id': 'crew-north-day-a',
    'crew_shift_id': 'cs-north-1-20261203', 'start': '2026-12-03T08:00:00+01:00',
    'end': '2026-12-03T09:30:00+01:00', 'service_task_id': 'st-2026-000417', 'status': 'booked',
}
answer = {'question_id': 'q-heating', 'values': ['heat-pump', 'gas-furnace']}
interaction = {'panel': 'customer', 'channel': 'phone', 'class': 'enrollment',
               'category': 'verbal', 'notes': 'Called about the \u201cwinter\u201d rebate.\nCall back.'}
transition = {'from': 'pending', 'to': 'canceled', 'by': 'clerk.jones',
              'at': '2026-11-27T09:14:03.250Z', 'reason': 'Customer moved'}
service_task = {
    'id': 'st-2026-000417', 'kind': 'enrollment', 'status': 'pending',
    'program_id': 'prog-tstat', 'customer_id': 'cust-0001', 'metered_service_id': 'ms-0001',
    'service_point_id': 'sp-0001', 'device_location_id': None, 'start_date': '2026-12-01',
    'answers': [answer, {'question_id': 'q-move-in', 'values': ['2019-04-15']}],
    'installation_method': 'utility-installation', 'ownership': 'utility-owned',
    'device_ids': [], 'appointments': [appointment],
    'interactions': [interaction, {'panel': 'program', 'notes': 'Owns the home.'}],
    'history': [{'to': 'pending', 'by': 'clerk.jones', 'at': '2026-11-27T09:14:03Z',
                 'reason': 'Started from the Customer View'}],
    'version': 3, 'created_by': 'clerk.jones', 'created_at': '2026-11-27T09:14:03Z',
    'updated_at': '2026-11-27T10:21:40+01:00', 'added_in_a_later_version': {'ignored': True},
}
unenrollment = {
    'id': 'st-2026-000418', 'kind': 'unenrollment', 'status': 'error',
    'program_id': 'prog-tstat', 'customer_id': 'cust-0003', 'subscription_id': 'sub-0001',
    'stop_date': '2026-12-31', 'removal_method': 'utility-removal', 'ownership': 'customer-owned',
    'device_ids': ['dev-0001', 'dev-0002'], 'reasons': ['No appointment slot left'],
    'version': 9007199254740993, 'created_by': 'clerk', 'created_at': '2026-11-27T09:14:03-05:00',
}
valid['appointment'].append(appointment)
valid['answer'].append(answer)
valid['interaction'].append(interaction)
valid['task_transition'].append(transition)
valid['service_task'].extend([service_task, unenrollment])
valid['process_flow'].append({
    'id': 'pf-1', 'service_task_id': 'st-2026-000417', 'kind': 'enrollment', 'status': 'open',
    'current_panel': 'device-setup', 'visited': ['customer', 'program', 'device-setup'],
    'task': service_task, 'version': 4, 'updated_at': '2026-11-27T10:21:40+01:00',
})
valid['crew_shift'].append({
    'id': 'cs-north-1-20261203', 'crew_id': 'crew-north-day-a', 'shift_type_id': 'shift-day',
    'date': '2026-12-03', 'start': '2026-12-03T08:00:00+01:00', 'end': '2026-12-03T16:00:00+01:00',
    'capacity_minutes': 420,
})
communication = {
    'id': 'comm-1', 'customer_id': 'cust-0001', 'channel': 'phone', 'class': 'enrollment',
    'category': 'verbal', 'notes': 'Enrollment confirmed.', 'service_task_id': 'st-2026-000417',
    'program_id': 'prog-tstat', 'created_by': 'clerk', 'created_at': '2026-11-27T09:14:03Z',
}
valid['customer_communication'].append(communication)

for model in MODELS:
    assert valid[model], model
    for i, doc in enumerate(valid[model]):
        add(model, 'valid-%d' % (i + 1), dumps(doc))

# Hostile documents: mutations of the first valid document of each type

NICKS = set()
with open(os.path.join(TOP, 'docs', 'model.md'), encoding='utf-8') as f:
    model_md = f.read()
code_lists = model_md.split('## Code lists', 1)[1].split('## Types', 1)[0]
for row in re.findall(r'^\| `Enr\w+` \| (.*) \|$', code_lists, re.M):
    NICKS.update(re.findall(r'`([a-z][a-z0-9-]*)`', row))
DATE_TIMES = {'start', 'end', 'at', 'created_at', 'updated_at'}


def first(doc, predicate):
    for key, value in doc.items():
        if predicate(key, value):
            return key
    return None


def mutate(doc, kind):
    doc = json.loads(json.dumps(doc))
    if kind == 'wrong-type':
        key = first(doc, lambda k, v: isinstance(v, str) and k != 'id')
        if key is None:
            return None
        doc[key] = 42
    elif kind == 'unknown-code':
        key = first(doc, lambda k, v: isinstance(v, str) and v in NICKS)
        if key is None:
            return None
        doc[key] = 'maybe'
    elif kind == 'invalid-date':
        key = first(doc, lambda k, v: k.endswith('date') or k == 'date')
        if key is None:
            return None
        doc[key] = '2026-02-30'
    elif kind == 'no-offset':
        key = first(doc, lambda k, v: k in DATE_TIMES)
        if key is None:
            return None
        doc[key] = '2026-11-27T08:00:00'
    elif kind == 'out-of-range':
        key = first(doc, lambda k, v: isinstance(v, int) and not isinstance(v, bool))
        if key is None:
            return None
        doc[key] = 2147483648
    elif kind == 'null-required':
        key = first(doc, lambda k, v: k != 'id' and isinstance(v, str))
        if key is None:
            return None
        doc[key] = None
    elif kind == 'wrong-array':
        key = first(doc, lambda k, v: isinstance(v, list))
        if key is None:
            return None
        doc[key] = [doc[key], 1] if doc[key] else [7]
    return dumps(doc)


KINDS = ['wrong-type', 'unknown-code', 'invalid-date', 'no-offset', 'out-of-range',
         'null-required', 'wrong-array']
for i, model in enumerate(MODELS):
    base = valid[model][0]
    made = 0
    for j in range(len(KINDS)):
        kind = KINDS[(i + j) % len(KINDS)]
        text = mutate(base, kind)
        if text is not None:
            add(model, kind, text)
            made += 1
        if made == 2:
            break
    add(model, 'empty-object', '{}')

text = dumps(valid['customer'][0])
add('customer', 'huge-integer', text[:-1] + ',"extra":92233720368547758070}')
add('customer', 'bad-utf8', text.encode()[:-2] + b'\xff\xfe"}')
add('customer', 'lone-surrogate', text[:-1] + ',"phone":"\\ud800"}')
add('customer', 'trailing-comma', text[:-1] + ',}')
add('customer', 'comment', '/* customer */' + text)
add('customer', 'not-an-object', '["cust-0001"]')
add('service_point', 'too-many-keys',
    dumps({'id': 'sp', 'address': 'a', 'division': 'N',
           'characteristics': {'k%d' % i: 'v' for i in range(1001)}}))
add('service_point', 'key-not-string-value',
    dumps({'id': 'sp', 'address': 'a', 'division': 'N', 'characteristics': {'solar': True}}))
add('program', 'deep-questions', dumps(dict(valid['program'][0], questions=[[[[{}]]]])))
add('service_task', 'negative-version', dumps(dict(service_task, version=-1)))
add('service_task', 'fraction-version', dumps(dict(service_task, version=1.5)))
add('service_task', 'date-year-1899', dumps(dict(service_task, start_date='1899-12-31')))
add('service_task', 'leap-day', dumps(dict(service_task, start_date='2028-02-29')))
add('service_task', 'max-offset', dumps(dict(service_task, created_at='9999-12-31T23:59:59.999999-23:59')))
add('service_task', 'min-offset', dumps(dict(service_task, created_at='0001-01-01T00:00:00+23:59')))
add('service_task', 'bad-offset', dumps(dict(service_task, created_at='2026-11-27T08:00:00+24:00')))
add('service_task', 'long-string', dumps(dict(service_task, created_by='x' * 16385)))
add('crew_shift_type', 'weekday-number', dumps(dict(valid['crew_shift_type'][0], weekdays=['mon', 2])))
add('crew_shift_type', 'bad-time', dumps(dict(valid['crew_shift_type'][0], start_time='25:99')))
add('question', 'position-1001', dumps(dict(valid['question'][0], position=1001)))
add('interaction', 'only-panel', '{"panel":"summary"}')
# A required enum member set to its NONE nick decodes, but its encoding omits
# the member, which then no longer decodes (enr-codec.c).
add('device', 'ownership-none', dumps(dict(valid['device'][0], ownership='none')))

# Plain JSON: the strict checker against json-glib

JSON = {
    'object': '{"a":{"b":[null,true,false,{},[]]},"c":"d","e":-1.5e-7}',
    'array': '[1,-0,0.5,1e400,-1e-400,12345678901234567890.5,"\\u00e9\\ud83d\\ude00"]',
    'int64-max': '9223372036854775807',
    'int64-min': '-9223372036854775808',
    'int64-overflow': '9223372036854775808',
    'int64-underflow': '-9223372036854775809',
    'huge-integer': '1' + '0' * 400,
    'escapes': '"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0001\\u007f\\u2028"',
    'lone-high-surrogate': '"\\ud800"',
    'lone-low-surrogate': '"\\udc00x"',
    'swapped-surrogates': '"\\udc00\\ud800"',
    'high-then-letter': '"\\ud800\\u0041"',
    'nul-escape': '"a\\u0000b"',
    'bad-escape': '"\\x41"',
    'short-unicode': '"\\u12"',
    'trailing-comma-array': '[1,2,]',
    'trailing-comma-object': '{"a":1,}',
    'comment-line': '// c\n{}',
    'comment-block': '{/* c */}',
    'single-quotes': "{'a':1}",
    'bare-word': '{a:1}',
    'leading-zero': '012',
    'plus-sign': '+1',
    'dot-only': '1.',
    'exponent-only': '1e',
    'nan': 'NaN',
    'infinity': '-Infinity',
    'truex': 'truex',
    'two-values': '{} {}',
    'empty': '',
    'whitespace': ' \t\r\n',
    'bom': '\ufeff{}',
    'depth-32': '[' * 32 + ']' * 32,
    'depth-33': '[' * 33 + ']' * 33,
    'deep-objects': '{"a":' * 40 + '1' + '}' * 40,
    'unclosed': '[' * 1000,
    'duplicate-keys': '{"a":1,"a":[2],"a":{"b":3}}',
    'control-in-string': '"a\tb"',
    'long-string': '"' + 'y' * 16384 + '"',
    'too-long-string': '"' + 'y' * 16385 + '"',
    'long-escaped-string': '"' + '\\u00e9' * 8193 + '"',
}
for label, text in JSON.items():
    add('json', label, text)
add('json', 'bad-utf8', b'["\xc3\x28", "\xed\xa0\x80", "\xf8\x88\x80\x80\x80"]')
add('json', 'overlong-utf8', b'"\xc0\xaf"')
add('json', 'nul-byte', b'[1,\x002]')
add('json', 'nul-in-string', b'"a\x00b"')

# Arrays of models: the next byte picks the model

for i, model in enumerate(MODELS):
    if i % 3 == 0 or model in ('appointment', 'customer', 'service_task'):
        docs = valid[model][:2]
        add('model_array', model, dumps(docs), sub=i)
add('model_array', 'customer-bad-element', '[{"id":"c","name":"a","account_id":"b"},{"id":"d"}]',
    sub=MODELS.index('customer'))
add('model_array', 'customer-not-array', '{"id":"c"}', sub=MODELS.index('customer'))
add('model_array', 'appointment-empty', '[]', sub=MODELS.index('appointment'))
add('model_array', 'user-numbers', '[1,2,3]', sub=MODELS.index('user'))

# Data set files: the next byte picks the collection

for i, collection in enumerate(COLLECTIONS):
    lines = sample_lines(collection)[:4]
    add('dataset_lines', collection, '\n'.join(lines) + '\n', sub=i)
customers = sample_lines('customers')[:3]
ci = COLLECTIONS.index('customers')
ui = COLLECTIONS.index('users')
add('dataset_lines', 'customers-crlf', '\r\n'.join(customers) + '\r\n', sub=ci)
add('dataset_lines', 'customers-blank-lines', '\n \n' + '\n\t\n'.join(customers), sub=ci)
add('dataset_lines', 'customers-bad-line', customers[0] + '\n{"id":"c"}\n' + customers[1], sub=ci)
add('dataset_lines', 'customers-two-per-line', customers[0] + customers[1] + '\n', sub=ci)
add('dataset_lines', 'customers-empty', '', sub=ci)
add('dataset_lines', 'users-no-password', '{"id":"u","username":"u","display_name":"U","role":"clerk"}\n', sub=ui)
add('dataset_lines', 'users-empty-password', '{"id":"u","username":"u","display_name":"U","role":"clerk","password":""}\n', sub=ui)
add('dataset_lines', 'users-number-password', '{"id":"u","username":"u","display_name":"U","role":"clerk","password":7}\n', sub=ui)
add('dataset_lines', 'devices-unknown-status',
    sample_lines('devices')[0].replace('"installed"', '"lost"') + '\n', sub=COLLECTIONS.index('devices'))

with open(os.path.join(SAMPLE, 'manifest.json'), encoding='utf-8') as f:
    manifest = json.load(f)
add('dataset_manifest', 'sample', dumps(manifest))
add('dataset_manifest', 'pretty', json.dumps(manifest, indent=2) + '\n')
add('dataset_manifest', 'no-name', dumps({k: v for k, v in manifest.items() if k != 'name'}))
add('dataset_manifest', 'format-2', dumps(dict(manifest, format=2)))
add('dataset_manifest', 'negative-customers', dumps(dict(manifest, customers=-1)))
add('dataset_manifest', 'horizon-367', dumps(dict(manifest, shift_horizon_days=367)))
add('dataset_manifest', 'horizon-string', dumps(dict(manifest, shift_horizon_days='56')))
add('dataset_manifest', 'name-number', dumps(dict(manifest, name=1)))
add('dataset_manifest', 'huge-customers', dumps(manifest)[:-1] + ',"customers":99999999999999999999}')
add('dataset_manifest', 'array', '[1]')

# The service's request bodies

add('request_sign_in', 'valid', '{"username":"clerk","password":"clerk-demo-pass"}')
add('request_sign_in', 'unicode', '{"username":"j\\u00fcrgen","password":"p\\u00e4ss \\ud83d\\udd11","extra":[1]}')
add('request_sign_in', 'missing-password', '{"username":"clerk"}')
add('request_sign_in', 'empty-username', '{"username":"","password":"x"}')
add('request_sign_in', 'long-password', dumps({'username': 'clerk', 'password': 'p' * 257}))
add('request_sign_in', 'number-username', '{"username":1,"password":"x"}')
add('request_sign_in', 'array', '["clerk","x"]')
add('request_sign_in', 'deep', '{"username":' + '[' * 100 + ']' * 100 + '}')
add('request_sign_in', 'empty', '')

minimal_task = {'kind': 'enrollment', 'program_id': 'prog-tstat', 'customer_id': 'cust-0001',
                'id': 'st-new'}
add('request_task', 'valid', dumps(service_task))
add('request_task', 'minimal', dumps(minimal_task))
add('request_task', 'unenrollment', dumps(unenrollment))
add('request_task', 'service-members', dumps(dict(minimal_task, status='completed', history=[1],
                                                   version='x', reasons=7, created_at='no')))
add('request_task', 'unknown-kind', dumps(dict(minimal_task, kind='transfer')))
add('request_task', 'huge-version', dumps(minimal_task)[:-1] + ',"version":18446744073709551616}')
add('request_task', 'bad-answer', dumps(dict(minimal_task, answers=[{'values': ['yes']}])))
add('request_task', 'not-object', '"task"')

add('request_empty', 'empty', ' ')
add('request_empty', 'object', '{}')
add('request_empty', 'object-with-members', '{"note":"finish"}')
add('request_empty', 'array', '[]')
add('request_empty', 'garbage', '{]')

add('request_cancel', 'reason', '{"reason":"Customer changed their mind"}')
add('request_cancel', 'no-reason', '{}')
add('request_cancel', 'null-reason', '{"reason":null}')
add('request_cancel', 'long-reason', dumps({'reason': 'r' * 2001}))
add('request_cancel', 'number-reason', '{"reason":12}')
add('request_cancel', 'control-characters', '{"reason":"a\\u0001\\u001f\\u007f"}')

add('request_reschedule', 'valid', dumps({'appointments': [appointment]}))
add('request_reschedule', 'no-id', dumps({'appointments': [{k: v for k, v in appointment.items() if k != 'id'}]}))
add('request_reschedule', 'empty-list', '{"appointments":[]}')
add('request_reschedule', 'too-many', dumps({'appointments': [appointment] * 101}))
add('request_reschedule', 'not-array', '{"appointments":{}}')
add('request_reschedule', 'missing', '{}')
add('request_reschedule', 'bad-status', dumps({'appointments': [dict(appointment, status='moved')]}))

add('request_communication', 'valid', dumps(communication))
add('request_communication', 'minimal', '{"id":"c1","customer_id":"cust-0001","channel":"email","class":"info","category":"letter"}')
add('request_communication', 'missing-channel', '{"id":"c1","customer_id":"cust-0001","class":"info","category":"letter"}')
add('request_communication', 'created-by-ignored', dumps(dict(communication, created_by=5, created_at='x')))

# Write

if os.path.isdir(OUT):
    shutil.rmtree(OUT)
os.makedirs(OUT)
total = 0
for name, data in sorted(files.items()):
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(data)
    total += len(data)
FINDINGS = os.path.join(TOP, 'tests', 'fuzz', 'findings')
if os.path.isdir(FINDINGS):
    shutil.rmtree(FINDINGS)
if findings:
    os.makedirs(FINDINGS)
for name, data in sorted(findings.items()):
    with open(os.path.join(FINDINGS, name), 'wb') as f:
        f.write(data)
assert len(files) < 300, len(files)
assert total < 1024 * 1024, total

# The dictionary: JSON tokens, member names, enum nicks

members = set()
types = model_md.split('## Types', 1)[1].split('## Data sets', 1)[0]
for row in re.findall(r'^\| `Enr\w+`[^|]*\| [^|]* \| (.*) \|$', types, re.M):
    for name in re.findall(r'`([a-z][a-z-]*)`\*?', row):
        members.add(name.replace('-', '_'))
members.update(['id', 'password', 'username', 'reason', 'appointments', 'format', 'name',
                'customers', 'shift_horizon_days'])

tokens = ['{', '}', '[', ']', ':', ',', '"', 'true', 'false', 'null', '-', '0', '.5',
          'e+', 'E-', '1e400', '9223372036854775807', '-9223372036854775808',
          '9223372036854775808', '\\"', '\\\\', '\\/', '\\b', '\\n', '\\u00e9', '\\u0000',
          '\\ud800', '\\udc00', '\\ud83d\\ude00', '\xef\xbb\xbf', '/*', '//',
          '2026-11-27', '2028-02-29', '1900-01-01', '9999-12-31', 'T08:00:00', 'Z', '+01:00',
          '-23:59', '.999999', '{}', '[]', '":"', '","', '":["', '"],"', '":{"', '"}']

with open(DICT, 'w', encoding='utf-8') as f:
    f.write('# libFuzzer dictionary for tests/fuzz/fuzz-json (written by make-corpus.py)\n')
    f.write('# JSON tokens\n')
    for i, token in enumerate(tokens):
        f.write('json_%d="%s"\n' % (i, token.replace('\\', '\\\\').replace('"', '\\"')
                                    .replace('\xef\xbb\xbf', '\\xef\\xbb\\xbf')))
    f.write('# member names\n')
    for name in sorted(members):
        f.write('member_%s="\\"%s\\""\n' % (name, name))
    f.write('# enum nicks\n')
    for nick in sorted(NICKS):
        f.write('nick_%s="\\"%s\\""\n' % (nick.replace('-', '_'), nick))

print('%d corpus files, %d bytes; %d dictionary entries'
      % (len(files), total, len(tokens) + len(members) + len(NICKS)), file=sys.stderr)
