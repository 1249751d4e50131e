// Fixes that move declarations: a moved-back type keeps its neighbours' comments where protoc attaches them, fix-all of
// oneof moves never leaves an empty oneof (protoc refuses one), and a oneof dissolved by moving its last field out
// leaves its comments to that field.
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { parse } from '../server/src/proto/parser';
import { bind } from '../server/src/proto/binder';
import { analyze, type Analysis } from '../server/src/service';
import type { Baseline } from '../server/src/baseline/types';
import { applyEdits, computeFixes, fixAll } from '../server/src/fixes';
import { assertValidProto } from './validProto';

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

describe('a oneof dissolved by moving its only field out', () => {
  // The oneof's comments are often the field's documentation (written above the field, then wrapped in the oneof):
  // they go above the field, without a blank line, so that protoc attaches them and the field's own comment to it.
  const old = `${HEADER}message M {\n  // X.\n  int32 x = 1;\n}\n`;
  const M = (body: string): string => `${HEADER}message M {\n${body}}\n`;
  const cases: [string, string, string, string][] = [
    // [name, current body, expected body, the field's documentation then]
    ['the oneof\'s leading comment', '  // L.\n  oneof c {\n    int32 x = 1;\n  }\n', '  // L.\n  int32 x = 1;\n', ' L.'],
    ['a block comment alone', '  /* L. */\n  oneof c {\n    int32 x = 1;\n  }\n', '  /* L. */\n  int32 x = 1;\n', ' L. '],
    ['the oneof\'s comment, then the field\'s', '  // L.\n  oneof c {\n    // X.\n    int32 x = 1;\n  }\n', '  // L.\n  // X.\n  int32 x = 1;\n', ' L.\n X.'],
    ['a trailing comment after `{`', '  // L.\n  oneof c { // T.\n    // X.\n    int32 x = 1; // x\n  }\n', '  // L.\n  // T.\n  // X.\n  int32 x = 1; // x\n', ' L.\n T.\n X.'],
    ['a trailing comment below `{`', '  oneof c {\n    // T.\n    // T2.\n\n    // X.\n    int32 x = 1;\n  }\n', '  // T.\n  // T2.\n  // X.\n  int32 x = 1;\n', ' T.\n T2.\n X.'],
  ];
  for (const crlf of [false, true]) {
    for (const [name, body, expected, doc] of cases) {
      test(`${name}${crlf ? ', CRLF' : ''}`, () => {
        const eol = (t: string): string => (crlf ? t.replace(/\n/g, '\r\n') : t);
        const b = baselineOf(old);
        const cur = eol(M(body));
        const a = run(cur, b);
        const f = a.findings.find((x) => x.rule === 'FIELD_ONEOF_GO_CHANGED');
        assert.ok(f, a.findings.map((x) => x.rule).join());
        const fix = computeFixes(cur, a.bound, f).find((x) => x.title === 'Move the field out of the oneof');
        assert.ok(fix, 'no "Move the field out of the oneof"');
        const out = applyEdits(cur, fix.edits);
        assert.equal(out, eol(M(expected)));
        assert.equal(applyEdits(cur, fixAll(cur, a.bound, a.findings, 'FIELD_ONEOF_GO_CHANGED').edits), out, 'fix-all');
        assertValidProto(out);
        const after = run(out, b);
        assert.equal(after.bound.model.messages[0]!.fields[0]!.doc?.replace(/\r/g, ''), doc);
        assert.deepEqual(after.findings.filter((x) => x.rule.startsWith('FIELD_ONEOF')).map((x) => x.rule), []);
      });
    }
  }
  test('a block comment among others would not stay one comment: the fix is not offered', () => {
    const cur = M('  // L.\n  oneof c {\n    /* X. */\n    int32 x = 1;\n  }\n');
    const a = run(cur, baselineOf(old));
    const f = a.findings.find((x) => x.rule === 'FIELD_ONEOF_GO_CHANGED')!;
    assert.ok(f);
    assert.deepEqual(computeFixes(cur, a.bound, f).map((x) => x.title).filter((t) => t.startsWith('Move')), []);
  });
});
