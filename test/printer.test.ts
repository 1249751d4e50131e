// The printer (proto/printer.ts, which writes the demo example) on the released v0.36.3 api.proto (the corpus) with
// reserved ranges to `max` added: `max` is 2^31 - 1 in an enum and 2^29 - 1 in a message, so an enum range that ends
// at 2^29 - 1 is written with its number, not as `max` (which would reserve up to 2^31 - 1). The printed file parses
// and binds to the same reserved ranges, and buf builds it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import { printModel } from '../server/src/proto/printer';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';
import { findBuf } from './bufBinary';

const TAG = 'v0.36.3';

/** The reserved number ranges of the message or enum `fqn`. */
function reservedOf(m: ReturnType<typeof bind>['model'], fqn: string): readonly (readonly [number, number])[] | undefined {
  return [...m.messages, ...m.enums].find((d) => d.fqn === fqn)?.reservedNumbers;
}

function bound(text: string): ReturnType<typeof bind> {
  const b = bind(parse(text), 'file:///work/api.proto');
  assert.deepEqual([...b.ast.errors.map((e) => e.message), ...b.problems.filter((p) => p.severity === 'error').map((p) => p.message)], []);
  return b;
}

test('reserved ranges to max print as each kind reads max, and the printed file parses, binds and builds', NEEDS_CORPUS, () => {
  let text = replaceOnce(corpusText(TAG), 'enum Protocol {\n    TCP = 0;\n', 'enum Protocol {\n    reserved 100 to 536870911, 1000000000 to max;\n    TCP = 0;\n');
  text = replaceOnce(text, 'message VersionRequest {\n', 'message VersionRequest {\n    reserved 1000 to max;\n');
  const model = bound(text).model;
  const printed = printModel(model);
  assert.match(printed, /enum Protocol \{\n +reserved 100 to 536870911, 1000000000 to max;\n/);
  assert.match(printed, /message VersionRequest \{\n +reserved 1000 to max;\n/);
  const again = bound(printed).model;
  for (const fqn of ['runtime.v1.Protocol', 'runtime.v1.VersionRequest']) assert.deepEqual(reservedOf(again, fqn), reservedOf(model, fqn), fqn);
  assert.deepEqual(reservedOf(again, 'runtime.v1.Protocol'), [[100, 536870911], [1000000000, 2147483647]]);
  assert.deepEqual(reservedOf(again, 'runtime.v1.VersionRequest'), [[1000, 536870911]]);

  const buf = findBuf();
  if (typeof buf === 'string') return;
  const dir = mkdtempSync(join(tmpdir(), 'cri-printer-'));
  try {
    mkdirSync(join(dir, 'runtime', 'v1'), { recursive: true });
    writeFileSync(join(dir, 'buf.yaml'), 'version: v2\n');
    writeFileSync(join(dir, 'runtime', 'v1', 'api.proto'), printed);
    execFileSync(buf.buf, ['build', dir, '-o', join(dir, 'image.binpb')], { stdio: 'pipe', timeout: 60_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
