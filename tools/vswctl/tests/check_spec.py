#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that docs/vsw.yaml and uapi/linux/vsw.h describe the same ABI.

Every constant, enum entry, attribute and command of the header must be in
the spec with the same name, value and order, and vice versa; references
inside the spec (nested-attributes, enum, operation attributes, mcgrp) must
resolve.  The spec is read with a small parser of the YAML subset it is
written in (no PyYAML here): block mappings/sequences, one-line flow lists,
block scalars (| and >), full-line comments.

Usage: check_spec.py [vsw.h] [vsw.yaml]; prints KTAP lines, exits 1 on error.
"""
import os
import re
import sys


# --------------------------------------------------------------------------
# YAML subset

class YamlError(Exception):
    pass


def scalar(v):
    v = v.strip()
    if v.startswith('[') and v.endswith(']'):
        inner = v[1:-1].strip()
        return [scalar(x) for x in inner.split(',')] if inner else []
    if len(v) >= 2 and v[0] == v[-1] and v[0] in '"\'':
        return v[1:-1]
    if re.fullmatch(r'-?(0x[0-9a-fA-F]+|\d+)', v):
        return int(v, 0)
    if v in ('true', 'false'):
        return v == 'true'
    return v


KEY_RE = re.compile(r'^([A-Za-z0-9_-]+):(?: (.*)|)$')


class Yaml:
    def __init__(self, text):
        self.raw = text.splitlines()
        self.lines = []          # (indent, text, raw line number)
        for n, r in enumerate(self.raw):
            s = r.strip()
            if not s or s.startswith('#') or s == '---':
                continue
            if '\t' in r[:len(r) - len(r.lstrip())]:
                raise YamlError(f'line {n + 1}: tab in indentation')
            self.lines.append([len(r) - len(r.lstrip(' ')), s, n])
        self.i = 0

    def peek(self):
        return self.lines[self.i] if self.i < len(self.lines) else None

    def parse(self):
        node = self.block(self.lines[0][0]) if self.lines else None
        if self.peek():
            raise YamlError(f'line {self.peek()[2] + 1}: unexpected indentation')
        return node

    @staticmethod
    def is_item(t):
        return t == '-' or t.startswith('- ')

    def block(self, ind):
        return self.seq(ind) if self.is_item(self.peek()[1]) else self.map(ind)

    def seq(self, ind):
        out = []
        while self.peek() and self.peek()[0] == ind and self.is_item(self.peek()[1]):
            line = self.peek()
            if line[1] == '-':
                self.i += 1
                nxt = self.peek()
                if not nxt or nxt[0] <= ind:
                    raise YamlError(f'line {line[2] + 1}: empty sequence item')
                out.append(self.block(nxt[0]))
                continue
            rest = line[1][2:].lstrip()
            if KEY_RE.match(rest):
                line[0], line[1] = ind + 2, rest   # "- key: v" opens a mapping
                out.append(self.map(ind + 2))
            else:
                self.i += 1
                out.append(scalar(rest))
        return out

    def map(self, ind):
        out = {}
        while self.peek() and self.peek()[0] == ind and not self.is_item(self.peek()[1]):
            _, text, n = self.peek()
            m = KEY_RE.match(text)
            if not m:
                raise YamlError(f'line {n + 1}: expected "key: value": {text}')
            key, val = m.group(1), (m.group(2) or '').strip()
            if key in out:
                raise YamlError(f'line {n + 1}: duplicate key "{key}"')
            self.i += 1
            nxt = self.peek()
            if val in ('|', '|-', '>', '>-'):
                parts = []
                while self.peek() and self.peek()[0] > ind:
                    parts.append(self.peek()[1])
                    self.i += 1
                out[key] = ('\n' if val[0] == '|' else ' ').join(parts)
            elif val:
                out[key] = scalar(val)
            elif nxt and (nxt[0] > ind or (nxt[0] == ind and self.is_item(nxt[1]))):
                out[key] = self.block(nxt[0])
            else:
                out[key] = None
        return out


# --------------------------------------------------------------------------
# C header

def c_eval(expr):
    expr = re.sub(r'(\d+)[uUlL]+\b', r'\1', expr.strip())
    if not re.fullmatch(r'[\d\sx()+\-*/<>a-fA-F]+', expr):
        raise ValueError(expr)
    return int(eval(expr.replace('/', '//')))   # noqa: S307 (checked above)


def parse_header(text):
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    enums, defines = {}, {}
    for m in re.finditer(r'enum\s+(\w+)\s*\{(.*?)\};', text, re.S):
        entries, val, names = [], -1, {}
        for e in m.group(2).split(','):
            e = e.strip()
            if not e:
                continue
            name, _, expr = (x.strip() for x in e.partition('='))
            if expr:
                for k, v in names.items():
                    expr = re.sub(r'\b%s\b' % k, str(v), expr)
                val = c_eval(expr)
            else:
                val += 1
            names[name] = val
            # __FOO_MAX and FOO_MAX = __FOO_MAX - 1 are derived, not ABI items
            if not name.startswith('__') and '__' not in e.partition('=')[2]:
                entries.append((name, val))
        enums[m.group(1)] = entries
    for m in re.finditer(r'^#define\s+(VSW_\w+)\s+(.+?)\s*$', text, re.M):
        v = m.group(2)
        if v.startswith('"'):
            defines[m.group(1)] = v.strip('"')
        else:
            try:
                defines[m.group(1)] = c_eval(v)
            except (ValueError, SyntaxError):
                defines[m.group(1)] = v
    return enums, defines


def cname(s):
    return s.upper().replace('-', '_')


# --------------------------------------------------------------------------
# Checks

class Checker:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, ok, name, detail=''):
        self.n += 1
        if not ok:
            self.failed += 1
        print(f'{"" if ok else "not "}ok {self.n} {name}')
        if not ok and detail:
            for line in detail.splitlines():
                print('#   ' + line)

    def same(self, c_items, y_items, name):
        """Compare two [(C name, value)] lists, order included."""
        if c_items == y_items:
            self.check(True, name)
            return
        cs, ys = dict(c_items), dict(y_items)
        det = []
        for k, v in c_items:
            if k not in ys:
                det.append(f'{k} = {v}: in the header, not in the spec')
            elif ys[k] != v:
                det.append(f'{k}: header {v}, spec {ys[k]}')
        for k, v in y_items:
            if k not in cs:
                det.append(f'{k} = {v}: in the spec, not in the header')
        if not det:
            det.append('order differs: header %s, spec %s' %
                       ([k for k, _ in c_items], [k for k, _ in y_items]))
        self.check(False, name, '\n'.join(det))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, '..', '..', '..'))
    hdr = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, 'uapi/linux/vsw.h')
    yml = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, 'docs/vsw.yaml')
    ck = Checker()
    print('KTAP version 1')
    print('# Subtest: spec')
    enums, defines = parse_header(open(hdr).read())
    try:
        spec = Yaml(open(yml).read()).parse()
    except (YamlError, OSError) as e:
        ck.check(False, 'spec parses', str(e))
        print(f'1..{ck.n}')
        return 1
    ck.check(isinstance(spec, dict) and spec.get('protocol') == 'genetlink-legacy',
             'spec parses, protocol genetlink-legacy')
    family = spec.get('name', '')
    used_enums, used_defines = set(), set()

    def define(cn, value, what):
        used_defines.add(cn)
        ck.check(defines.get(cn) == value, f'{what}: {cn} = {value!r}',
                 f'header has {defines.get(cn)!r}')

    define(cname(spec.get('c-family-name', '')), family, 'family name')
    define(cname(spec.get('c-version-name', '')), spec.get('version', 1), 'version')

    defs = {}
    for d in spec.get('definitions') or []:
        defs[d['name']] = d
        prefix = d.get('name-prefix', f'{family}-{d["name"]}-')
        if d['type'] == 'const':
            define(cname(f'{family}-{d["name"]}'), d['value'], 'const')
        elif d['type'] == 'enum':
            en = cname(d.get('enum-name', f'{family}-{d["name"]}')).lower()
            used_enums.add(en)
            start = d.get('value-start', 0)
            ck.same(enums.get(en, []),
                    [(cname(prefix + e), start + i) for i, e in enumerate(d['entries'])],
                    f'enum {en}')
        elif d['type'] == 'flags':
            got = []
            for i, e in enumerate(d['entries']):
                cn = cname(prefix + e)
                used_defines.add(cn)
                got.append((cn, defines.get(cn)))
            ck.same(got, [(cname(prefix + e), 1 << i) for i, e in enumerate(d['entries'])],
                    f'flags {d["name"]}')

    sets = {s['name']: s for s in spec.get('attribute-sets') or []}
    for s in sets.values():
        en = cname(s.get('enum-name', '')).lower()
        used_enums.add(en)
        prefix = s.get('name-prefix', f'{family}-{s["name"]}-')
        items, val = [], 0
        for a in s.get('attributes') or []:
            val = a.get('value', val + 1)
            items.append((cname(prefix + a['name']), val))
        c_items = [(k, v) for k, v in enums.get(en, [])
                   if not (v == 0 and k.endswith('_UNSPEC') and
                           (not items or items[0][1] > 0))]
        ck.same(c_items, items, f'attribute-set {s["name"]} (enum {en or "?"})')
        bad = []
        for a in s.get('attributes') or []:
            if a.get('type') not in ('u8', 'u16', 'u32', 'u64', 'string', 'binary',
                                     'nest', 'flag', 'pad', 'unused'):
                bad.append(f'{a["name"]}: type {a.get("type")}')
            if a.get('type') == 'nest' and a.get('nested-attributes') not in sets:
                bad.append(f'{a["name"]}: nested-attributes {a.get("nested-attributes")}')
            if 'enum' in a and a['enum'] not in defs:
                bad.append(f'{a["name"]}: enum {a["enum"]}')
        ck.check(not bad, f'attribute-set {s["name"]}: types and references', '\n'.join(bad))

    ops = spec.get('operations') or {}
    en = cname(ops.get('enum-name', f'{family}-cmd')).lower()
    used_enums.add(en)
    prefix = ops.get('name-prefix', f'{family}-cmd-')
    items, val = [], 0
    for o in ops.get('list') or []:
        val = o.get('value', val + 1)
        items.append((cname(prefix + o['name']), val))
    ck.same([(k, v) for k, v in enums.get(en, []) if v != 0], items, f'operations (enum {en})')
    groups = {g['name']: g for g in (spec.get('mcast-groups') or {}).get('list') or []}
    bad = []
    for o in ops.get('list') or []:
        aset = sets.get(o.get('attribute-set'))
        if not aset:
            bad.append(f'{o["name"]}: attribute-set {o.get("attribute-set")}')
            continue
        names = {a['name'] for a in aset.get('attributes') or []}
        lists = [o.get('event', {}).get('attributes', [])] if 'event' in o else []
        for mode in ('do', 'dump'):
            for part in ('request', 'reply'):
                lists.append(((o.get(mode) or {}).get(part) or {}).get('attributes') or [])
        if not any(m in o for m in ('do', 'dump', 'event')):
            bad.append(f'{o["name"]}: no do, dump or event')
        for lst in lists:
            bad += [f'{o["name"]}: unknown attribute {a}' for a in lst if a not in names]
        if 'mcgrp' in o and o['mcgrp'] not in groups:
            bad.append(f'{o["name"]}: unknown mcgrp {o["mcgrp"]}')
    ck.check(not bad, 'operations: attributes and groups resolve', '\n'.join(bad))
    for g in groups.values():
        define(cname(g.get('c-define-name', f'{family}-mcgrp-{g["name"]}')), g['name'],
               'mcast group')

    missing = sorted(set(enums) - used_enums)
    ck.check(not missing, 'every enum of the header is in the spec',
             'not in the spec: ' + ', '.join(missing))
    missing = sorted(set(defines) - used_defines)
    ck.check(not missing, 'every #define of the header is in the spec',
             'not in the spec: ' + ', '.join(missing))
    print(f'1..{ck.n}')
    print(f'# spec: {ck.n - ck.failed} passed, {ck.failed} failed')
    return 1 if ck.failed else 0


if __name__ == '__main__':
    sys.exit(main())
