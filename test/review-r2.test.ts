// Review of the move-back placement, hovers, doc rules and fix-all: each test failed before its fix.
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { parse } from '../server/src/proto/parser';
import { bind } from '../server/src/proto/binder';
import { analyze, type Analysis } from '../server/src/service';
import type { Baseline } from '../server/src/baseline/types';
import { applyEdits, computeFixes } from '../server/src/fixes';

const URI = 'file:///work/api.proto';
const HEADER = 'syntax = "proto3";\npackage demo.v1;\n\n';
const baselineOf = (text: string): Baseline => ({ tag: 'v0.1.0', source: 'path', origin: 'test', model: bind(parse(text), 'old').model });
const run = (text: string, b: Baseline): Analysis => analyze(text, { uri: URI, baseline: b });

describe('move the type back', () => {
  test('after a declaration whose trailing comment stands on the next line, the comments stay where they belong', () => {
    const T = '  // T doc.\n  message T {\n    int32 x = 1;\n  }\n';
    const old = `${HEADER}message O {\n  int32 a = 1;\n  // About a.\n\n${T}\n  int32 b = 2;\n}\n\nmessage P {\n  O.T t = 1;\n}\n`;
    const b = baselineOf(old);
    const cur = `${HEADER}message O {\n  int32 a = 1;\n  // About a.\n\n  int32 b = 2;\n}\n\n${T.replace(/^  /gm, '')}\nmessage P {\n  T t = 1;\n}\n`;
    const a = run(cur, b);
    const f = a.findings.find((x) => x.rule === 'MESSAGE_RENAMED')!;
    assert.ok(f, a.findings.map((x) => x.rule).join());
    const fix = computeFixes(cur, a.bound, f).find((x) => x.title === 'Move the type back to "O"')!;
    assert.ok(fix);
    const out = applyEdits(cur, fix.edits);
    const after = run(out, b);
    assert.deepEqual(after.findings.map((x) => `${x.rule} ${x.element}`), []);
    const o = bind(parse(out), 'x').model.messages.find((m) => m.fqn === 'demo.v1.O')!;
    assert.equal(o.fields.find((x) => x.name === 'a')!.node!.comments.trailing?.text.trim(), 'About a.');
    assert.equal(bind(parse(out), 'x').model.messages.find((m) => m.fqn === 'demo.v1.O.T')!.doc?.trim(), 'T doc.');
  });
});
