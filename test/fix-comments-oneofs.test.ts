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
import { corpusText, NEEDS_CORPUS, replaceOnce } from './corpusText';

const URI = 'file:///work/api.proto';
const HEADER = 'syntax = "proto3";\npackage demo.v1;\n\n';
const baselineOf = (text: string): Baseline => ({ tag: 'v0.1.0', source: 'path', origin: 'test', model: bind(parse(text), 'old').model });
const run = (text: string, b: Baseline): Analysis => analyze(text, { uri: URI, baseline: b });

/** What "Move the field out of the oneof" makes of `cur` (asserted offered), and what fix-all of the rule makes. */
function movedOut(cur: string, b: Baseline): { out: string; all: string } {
  const a = run(cur, b);
  const f = a.findings.find((x) => x.rule === 'FIELD_ONEOF_GO_CHANGED');
  assert.ok(f, a.findings.map((x) => x.rule).join());
  const fix = computeFixes(cur, a.bound, f).find((x) => x.title === 'Move the field out of the oneof');
  assert.ok(fix, 'no "Move the field out of the oneof"');
  return { out: applyEdits(cur, fix.edits), all: applyEdits(cur, fixAll(cur, a.bound, a.findings, 'FIELD_ONEOF_GO_CHANGED').edits) };
}

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
  test('out of a one-line oneof they were moved into, on v0.36.3', NEEDS_CORPUS, () => {
    // The first round takes one field out of the line, the second dissolves the oneof into the other.
    const old = corpusText('v0.36.3');
    const cur = replaceOnce(old, '    ContainerMetadata metadata = 1 ;\n    // Image to use.\n    ImageSpec image = 2;\n', '    oneof mi { ContainerMetadata metadata = 1 ; ImageSpec image = 2; }\n');
    const done = rounds(old, cur);
    assert.equal(done.length, 2);
    assertValidProto(done[1]!);
    assert.deepEqual(run(done[1]!, baselineOf(old)).findings.filter((f) => f.rule.startsWith('FIELD_ONEOF')).map((f) => f.rule), []);
  });
  test('out of a oneof they were moved into', () => {
    const old = `${HEADER}message M {\n  // X.\n  int32 x = 1;\n  // Y.\n  int32 y = 2;\n}\n`;
    const cur = `${HEADER}message M {\n  // C.\n  oneof c {\n    // X.\n    int32 x = 1;\n    // Y.\n    int32 y = 2;\n  }\n}\n`;
    const done = rounds(old, cur);
    assert.ok(done.length > 0);
    assert.deepEqual(run(done[done.length - 1]!, baselineOf(old)).findings.map((f) => f.rule), []);
  });
});

describe('two released fields moved out of the new oneof they were moved into come out in their source order, on v0.36.3', NEEDS_CORPUS, () => {
  // Each went right after the oneof, so the second one out went above the first: metadata and image came back as
  // image, metadata. Now a member goes right before the oneof, but its last member after it, and the last one out
  // takes the oneof's place.
  const FIELDS = '    // Metadata of the container. This information will uniquely identify the\n    // container, and the runtime should leverage this to ensure correct\n' +
    '    // operation. The runtime may also use this information to improve UX, such\n    // as by constructing a readable name.\n' +
    '    ContainerMetadata metadata = 1 ;\n    // Image to use.\n    ImageSpec image = 2;\n';
  const NEW = '    // The container\'s name alone, for this test.\n    string name_only = 100;\n';
  const indented = (t: string): string => t.replace(/^(?=.)/gm, '    ');
  const old = (): string => corpusText('v0.36.3');
  /** `old` with the fields in a new oneof, after the members in `extra`. */
  const wrapped = (extra: string): string => replaceOnce(old(), FIELDS, `    // Metadata or image.\n    oneof mi {\n${indented(FIELDS)}${indented(extra)}    }\n`);
  /** "Move the field out of the oneof" of each field in turn, in source order unless `names` says otherwise. */
  const oneByOne = (cur: string, names = ['metadata', 'image']): string => {
    const b = baselineOf(old());
    for (const name of names) {
      const a = run(cur, b);
      const f = a.findings.find((x) => x.rule.startsWith('FIELD_ONEOF') && x.element === `runtime.v1.ContainerConfig.${name}`);
      assert.ok(f, a.findings.map((x) => `${x.rule} ${x.element}`).join());
      const fix = computeFixes(cur, a.bound, f).find((x) => x.title === 'Move the field out of the oneof');
      assert.ok(fix, name);
      cur = applyEdits(cur, fix.edits);
    }
    return cur;
  };
  /** Fix-all of the oneof rules until it changes nothing. */
  const allRounds = (cur: string): string => {
    const b = baselineOf(old());
    for (let k = 0; k < 4; k++) {
      const a = run(cur, b);
      const rule = a.findings.some((f) => f.rule === 'FIELD_ONEOF_CHANGED') ? 'FIELD_ONEOF_CHANGED' : 'FIELD_ONEOF_GO_CHANGED';
      const all = fixAll(cur, a.bound, a.findings, rule);
      if (!all.edits.length) return cur;
      cur = applyEdits(cur, all.edits);
    }
    assert.fail('fix-all did not settle');
  };
  /** The start of ContainerConfig, which the fixes change, to show what differs. */
  const head = (t: string): string => t.slice(t.indexOf('message ContainerConfig {'), t.indexOf('    // Command to execute'));
  test('the oneof kept for its new member', () => {
    const cur = wrapped(NEW);
    const expected = replaceOnce(old(), FIELDS, `${FIELDS}    // Metadata or image.\n    oneof mi {\n${indented(NEW)}    }\n`);
    for (const out of [oneByOne(cur), allRounds(cur)]) {
      assert.equal(head(out), head(expected));
      assert.equal(out, expected);
      assertValidProto(out);
    }
  });
  test('the oneof dissolved: the release, but for the oneof\'s comment, which the last field takes', () => {
    const cur = wrapped('');
    const expected = replaceOnce(old(), FIELDS, FIELDS.replace('    // Image to use.\n', '    // Metadata or image.\n    // Image to use.\n'));
    // Image first, then metadata: the oneof's comment stays above metadata, which takes the oneof's place.
    const reversed = replaceOnce(old(), FIELDS, `    // Metadata or image.\n${FIELDS}`);
    assert.equal(oneByOne(cur, ['image', 'metadata']), reversed);
    for (const out of [oneByOne(cur), allRounds(cur)]) {
      assert.equal(head(out), head(expected));
      assert.equal(out, expected);
      assertValidProto(out);
    }
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
        const { out, all } = movedOut(eol(M(body)), b);
        assert.equal(out, eol(M(expected)));
        assert.equal(all, out, 'fix-all');
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

describe('a oneof however it is laid out, on v0.36.3\'s ContainerConfig.working_dir', NEEDS_CORPUS, () => {
  // The fix read only oneofs whose braces end and start their lines: a one-line oneof, a comment after `{` or `}`,
  // the field on the line of a brace, and a oneof with options were left with "Ignore" alone, and fix-all did
  // nothing. The field now takes the oneof's place from its pieces, whatever the lines around them.
  const DOC = '    // Current working directory of the command.\n';
  const FIELD = `${DOC}    string working_dir = 5;\n`;
  const release = (): string => corpusText('v0.36.3');
  // [layout, what replaces the release's field, what the fix must give back: the release, or it with the comment
  // the edit added, where protoc attaches it to the field]
  const cases: [string, string, string][] = [
    ['one line', `${DOC}    oneof wd { string working_dir = 5; }\n`, FIELD],
    ['the field on the line of `{`', `${DOC}    oneof wd { string working_dir = 5;\n    }\n`, FIELD],
    ['the field on the line of `}`', `${DOC}    oneof wd {\n        string working_dir = 5; }\n`, FIELD],
    ['options, which go with the oneof', `${DOC}    oneof wd {\n        option (wd_option) = 1;\n        string working_dir = 5;\n    }\n`, FIELD],
    ['options, on one line', `${DOC}    oneof wd { option (wd_option) = 1; string working_dir = 5; }\n`, FIELD],
    ['a comment after `{`', `${DOC}    oneof wd { // Set by the user.\n        string working_dir = 5;\n    }\n`, `${DOC}    // Set by the user.\n    string working_dir = 5;\n`],
    ['a comment after `}`, which protoc attaches to nothing', `${DOC}    oneof wd {\n        string working_dir = 5;\n    } // Set by the user.\n`, `${DOC}    string working_dir = 5; // Set by the user.\n`],
    ['one line, with a comment after `}`', `${DOC}    oneof wd { string working_dir = 5; } // Set by the user.\n`, `${DOC}    string working_dir = 5; // Set by the user.\n`],
  ];
  for (const crlf of [false, true]) {
    const eol = (t: string): string => (crlf ? t.replace(/\n/g, '\r\n') : t);
    for (const [name, layout, expected] of cases) {
      test(`${name}${crlf ? ', CRLF' : ''}: "Move the field out of the oneof" dissolves it, and fix-all converges`, () => {
        const b = baselineOf(release());
        const { out, all } = movedOut(eol(replaceOnce(release(), FIELD, layout)), b);
        assert.equal(out, eol(replaceOnce(release(), FIELD, expected)));
        assertValidProto(out);
        assert.equal(all, out, 'fix-all');
        const after = run(all, b);
        assert.deepEqual(after.findings.filter((x) => x.rule.startsWith('FIELD_ONEOF')).map((x) => x.rule), []);
        assert.deepEqual(fixAll(all, after.bound, after.findings, 'FIELD_ONEOF_GO_CHANGED').edits, [], 'fix-all again changes nothing');
      });
    }
  }

  test('where protoc would not keep the comments, the fix is not offered', () => {
    const notOffered = [
      // A block comment among others: protoc would give the line comment above it to the field before.
      `${DOC}    oneof wd { /* Set by the user. */\n        string working_dir = 5;\n    }\n`,
      // Two comments on the field's line: protoc attaches neither.
      `${DOC}    oneof wd {\n        string working_dir = 5; // Own.\n    } // Set by the user.\n`,
      // A comment protoc attaches to nothing, inside the oneof: where would it go?
      `${DOC}    oneof wd {\n        // Detached.\n\n        // Own.\n        string working_dir = 5;\n        // Below.\n\n    }\n`,
    ];
    for (const layout of notOffered) {
      const cur = replaceOnce(release(), FIELD, layout);
      const a = run(cur, baselineOf(release()));
      const f = a.findings.find((x) => x.rule === 'FIELD_ONEOF_GO_CHANGED');
      assert.ok(f, layout);
      assert.deepEqual(computeFixes(cur, a.bound, f).map((x) => x.title).filter((t) => t.startsWith('Move')), [], layout);
    }
  });

  // A released field beside a new member: the oneof stays, with its comments, and the field goes before it (after
  // it, as its last member), at its indentation, taken out of its line where it shares one.
  const NEW = '        // Where relative paths start, for this test.\n        string working_path = 100;\n';
  const kept: [string, string, string][] = [
    ['a comment after `}`', `${DOC}    oneof wd {\n        string working_dir = 5;\n${NEW}    } // Set by the user.\n`, `    string working_dir = 5;\n${DOC}    oneof wd {\n${NEW}    } // Set by the user.\n`],
    ['one line', `${DOC}    oneof wd { string working_dir = 5; string working_path = 100; }\n`, `    string working_dir = 5;\n${DOC}    oneof wd { string working_path = 100; }\n`],
    ['the field on the line of `{`', `${DOC}    oneof wd { string working_dir = 5;\n${NEW}    }\n`, `    string working_dir = 5;\n${DOC}    oneof wd {\n${NEW}    }\n`],
    ['the field on the line of `}`', `${DOC}    oneof wd {\n${NEW}        string working_dir = 5; }\n`, `${DOC}    oneof wd {\n${NEW}        }\n    string working_dir = 5;\n`],
  ];
  for (const [name, layout, expected] of kept) {
    test(`a oneof that keeps its other member keeps its comments: ${name}`, () => {
      const cur = replaceOnce(release(), FIELD, layout);
      const a = run(cur, baselineOf(release()));
      const f = a.findings.find((x) => x.rule === 'FIELD_ONEOF_GO_CHANGED' && x.element.endsWith('.working_dir'));
      assert.ok(f, a.findings.map((x) => `${x.rule} ${x.element}`).join());
      const fix = computeFixes(cur, a.bound, f).find((x) => x.title === 'Move the field out of the oneof');
      assert.ok(fix, 'no "Move the field out of the oneof"');
      const out = applyEdits(cur, fix.edits);
      assert.equal(out, replaceOnce(release(), FIELD, expected));
      assertValidProto(out);
    });
  }

  test('"Move the field back into oneof" takes a one-line oneof the field was all of with it', () => {
    const released = replaceOnce(release(), FIELD, `${DOC}    oneof wd {\n${NEW}        string working_dir = 5;\n    }\n`);
    const cur = replaceOnce(released, `${NEW}        string working_dir = 5;\n    }\n`, `${NEW}    }\n    oneof other { string working_dir = 5; }\n`);
    const b = baselineOf(released);
    const a = run(cur, b);
    const f = a.findings.find((x) => x.rule === 'FIELD_ONEOF_CHANGED');
    assert.ok(f, a.findings.map((x) => x.rule).join());
    const fix = computeFixes(cur, a.bound, f).find((x) => x.title === 'Move the field back into oneof "wd"');
    assert.ok(fix, 'no "Move the field back into oneof"');
    const out = applyEdits(cur, fix.edits);
    assert.equal(out, released);
    assertValidProto(out);
    assert.equal(applyEdits(cur, fixAll(cur, a.bound, a.findings, 'FIELD_ONEOF_CHANGED').edits), released, 'fix-all');
  });
});
