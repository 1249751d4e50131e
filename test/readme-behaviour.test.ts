// The README's tables and option lists against what the code says: the rules table against the rule list,
// the settings table against package.json, the CLI's options against its --help, the report's parts
// the README describes against a report the CLI prints, and the status bar's texts against render.ts.
// docs.test.ts checks only that names appear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../server/src/compat/rules';
import { findRepoRoot } from '../server/src/baseline/corpus';
import { statusView } from '../client/src/render';

const ROOT = findRepoRoot(__dirname);
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const CLI = join(ROOT, 'dist', 'cli.js');

/** The rows of the markdown table that follows `heading`, as trimmed cells. */
function tableAfter(heading: string): string[][] {
  const from = README.indexOf(`\n${heading}\n`);
  assert.ok(from >= 0, `README has "${heading}"`);
  const lines = README.slice(from).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    rows.push(l.slice(1, -1).split(' | ').map((c) => c.trim()));
  }
  return rows;
}

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('the rules table gives every rule once, with its category and default severity', () => {
  const documented = new Map<string, { category: string; severity: string }>();
  for (const [ids, category, severity] of tableAfter('## Rules')) {
    for (const id of ids!.split(' / ')) {
      assert.ok(!documented.has(id), `${id} is in the table once`);
      documented.set(id, { category: category!, severity: severity! });
    }
  }
  assert.deepEqual([...documented.keys()].sort(), RULES.map((r) => r.id).sort());
  for (const r of RULES) assert.deepEqual(documented.get(r.id), { category: r.category, severity: r.severity }, r.id);
});

test('the settings table gives each setting\'s default and every value of an enum', () => {
  const props = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).contributes.configuration.properties as Record<string, { default: unknown; enum?: string[] }>;
  const rows = tableAfter('## Settings');
  assert.deepEqual(rows.map((r) => r[0]).sort(), Object.keys(props).map((k) => `\`${k}\``).sort());
  for (const [name, def, meaning] of rows) {
    const p = props[name!.slice(1, -1)]!;
    // `""` (automatic), `150`, `{}`, `[]`, `off`: the JSON of the default, strings unquoted unless empty.
    const shown = /^`([^`]*)`/.exec(def!)?.[1];
    assert.equal(shown, typeof p.default === 'string' && p.default !== '' ? p.default : JSON.stringify(p.default), name);
    for (const v of p.enum ?? []) assert.ok(meaning!.includes(`\`${v}\``), `${name} names its value ${v}`);
  }
});

test('every option of the CLI\'s --help is in the README', () => {
  const help = cli('--help');
  assert.equal(help.code, 0, help.err);
  const options = [...new Set(help.out.match(/--[a-z][a-z-]+/g))];
  assert.ok(options.length >= 10, help.out);
  assert.deepEqual(options.filter((o) => !new RegExp(`(?<![\\w-])${o}(?![\\w-])`).test(README)), []);
});

test('the report parts the README describes: the "Released in" column and the note on syntax errors', () => {
  // An old baseline: the example's additions include RPCs that later releases have.
  const report = cli('report', '--against', 'v0.30.0', join('examples', 'api.proto'));
  assert.equal(report.code, 1, report.err);
  assert.match(report.out, /^\| Line \| Kind \| Element \| Released in \|$/m);
  assert.match(report.out, /\| not yet \|$/m);
  assert.match(README, /"Released in" column/);
  assert.match(README, /"not yet"/);
  assert.match(README, /not fully checked/);
});

test('every text of the status bar item is in the README, as the item shows it without its icon', () => {
  const base = { uri: 'file:///a.proto', breaking: 3, findings: 5, checked: true, resolving: false };
  const states: Parameters<typeof statusView>[0][] = [
    undefined,
    { ...base, baselineTag: null, checked: false },
    { ...base, baselineTag: null, resolving: true },
    { ...base, baselineTag: null },
    { ...base, baselineTag: 'v0.36.3', source: 'bundled' },
  ];
  const shown = states.map((s) => statusView(s).text.replace(/\$\([^)]*\)\s*/g, ''));
  assert.deepEqual(shown.filter((text) => !README.includes(`\`${text}\``)), []);
});
