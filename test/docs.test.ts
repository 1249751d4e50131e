// The README documents what the code does: every rule, every command-palette command and every setting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../server/src/compat/rules';
import { findRepoRoot } from '../server/src/baseline/corpus';
import { localizedManifest } from './manifest';

const repoRoot = (): string => findRepoRoot(__dirname);

const root = repoRoot();
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const manifest = localizedManifest(root) as any;

test('README starts with exactly the two commands for a fresh machine', () => {
  const m = /^# cri-compat\n\n```sh\n([^`]*)```/.exec(readme);
  assert.ok(m, 'README must open with a sh code block');
  assert.deepEqual(m[1]!.trim().split('\n'), ['npm ci && npm run demo', 'npm test']);
  assert.ok(manifest.scripts.demo && manifest.scripts.test);
});

test('the paragraph under the two commands names what each CLI call of `npm run demo` is about', () => {
  const paragraph = /^# cri-compat\n\n```sh\n[^`]*```\n\n([^]*?)\n\n/.exec(readme)![1]!;
  const calls = (manifest.scripts.demo as string).split('&&').map((c) => c.trim().split(/\s+/)).filter((w) => w[0] === 'node' && w[1] === 'dist/cli.js');
  assert.ok(calls.length >= 2, manifest.scripts.demo);
  for (const [, , command, ...args] of calls) {
    // Its subject: the value of --element, else the argument that is no option's value (the file checked).
    const element = args.indexOf('--element');
    const subject = element >= 0 ? args[element + 1] : args.find((a, i) => !a.startsWith('-') && !args[i - 1]?.startsWith('-'));
    assert.ok(subject, `${command} ${args.join(' ')}`);
    assert.ok(paragraph.includes(`\`${subject}\``), `the README's opening paragraph says that the demo's ${command} is about ${subject}`);
  }
});

test('every rule id is documented in the README', () => {
  const missing = RULES.map((r) => r.id).filter((id) => !new RegExp(`\\b${id}\\b`).test(readme));
  assert.deepEqual(missing, []);
});

test('every palette command and every setting is documented in the README', () => {
  const hidden = new Set<string>((manifest.contributes.menus?.commandPalette ?? []).filter((m: { when?: string }) => m.when === 'false').map((m: { command: string }) => m.command));
  const titles = manifest.contributes.commands.filter((c: { command: string }) => !hidden.has(c.command)).map((c: { title: string }) => c.title.replace(/…$/, ''));
  assert.deepEqual(titles.filter((t: string) => !readme.includes(t)), []);
  const settings = Object.keys(manifest.contributes.configuration.properties ?? {});
  assert.ok(settings.length > 0);
  assert.deepEqual(settings.filter((s) => !readme.includes(s)), []);
});

test('every command of the CLI is documented in the README', () => {
  const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const commands = [...r.stdout.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]!);
  assert.ok(commands.length >= 6, r.stdout);
  const missing = commands.filter((c) => !readme.includes(`cri-compat ${c}`));
  assert.deepEqual(missing, []);
});
