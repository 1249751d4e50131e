// Fixes that move declarations: a moved-back type keeps its neighbours' comments where protoc attaches them, and fix-all of
// oneof moves never leaves an empty oneof (protoc refuses one).
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { parse } from '../server/src/proto/parser';
import { bind } from '../server/src/proto/binder';
import { analyze, type Analysis } from '../server/src/service';
import type { Baseline } from '../server/src/baseline/types';
import { applyEdits, computeFixes, fixAll } from '../server/src/fixes';

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

describe('fix-all of fields moved between oneofs', () => {
  // protoc refuses an empty oneof ("Oneof must have at least one field"): each fix alone leaves the other field
  // in it, both together left `oneof c { }`. Fix-all now leaves the last one for a second round, whose fix takes
  // the oneof with it.
  const rounds = (baseline: string, text: string): string[] => {
    const b = baselineOf(baseline);
    const out: string[] = [];
    for (let t = text, k = 0; k < 4; k++) {
      const a = run(t, b);
      // A field left alone in a new oneof is FIELD_ONEOF_GO_CHANGED (a Go change only).
      const rule = a.findings.some((f) => f.rule === 'FIELD_ONEOF_CHANGED') ? 'FIELD_ONEOF_CHANGED' : 'FIELD_ONEOF_GO_CHANGED';
      const all = fixAll(t, a.bound, a.findings, rule);
      if (!all.edits.length) break;
      t = applyEdits(t, all.edits);
      assert.doesNotMatch(t, /oneof \w+ \{\s*\}/, `round ${k + 1} leaves an empty oneof:\n${t}`);
      out.push(t);
    }
    return out;
  };
  test('back into the oneof they came from', () => {
    const old = `${HEADER}message M {\n  // A.\n  oneof a {\n    // X.\n    int32 x = 1;\n    // Y.\n    int32 y = 2;\n    // Z.\n    int32 z = 3;\n  }\n}\n`;
    const cur = `${HEADER}message M {\n  // A.\n  oneof a {\n    // X.\n    int32 x = 1;\n  }\n  // C.\n  oneof c {\n    // Y.\n    int32 y = 2;\n    // Z.\n    int32 z = 3;\n  }\n}\n`;
    const done = rounds(old, cur);
    assert.equal(done[done.length - 1], old);
  });
  test('out of a oneof they were moved into', () => {
    const old = `${HEADER}message M {\n  // X.\n  int32 x = 1;\n  // Y.\n  int32 y = 2;\n}\n`;
    const cur = `${HEADER}message M {\n  // C.\n  oneof c {\n    // X.\n    int32 x = 1;\n    // Y.\n    int32 y = 2;\n  }\n}\n`;
    const done = rounds(old, cur);
    assert.ok(done.length > 0);
    assert.deepEqual(run(done[done.length - 1]!, baselineOf(old)).findings.map((f) => f.rule), []);
  });
});
