// Fixes that bring back a deleted released field put it where the release declared it, not in number order:
// released fields need not be in number order (LinuxContainerSecurityContext has no_new_privs = 11 after
// supplemental_groups_policy = 17). Run over every message of the release history whose fields are out of number
// order: each field that number order would put elsewhere is deleted (with its comment), then brought back by
// "Restore the field", "Deprecate instead of deleting", fix-all, and, when a new field took its number, "Give …
// the next free number N and keep … as deprecated". Against the release's file the result is the release, byte for
// byte; against the bundled release index (no comment text) the field is back at its place. The same for enum
// values, which no release declares out of number order: the history's enums, each with its last two values
// swapped, give back the swapped file.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { CodeAction, TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { Corpus, V1_PATH, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import {
  IndexedHistory, historyFileFromCorpus, loadBundledHistory, serializeHistoryFile, type HistoryFile,
} from '../server/src/baseline/historyIndex';
import type { Baseline } from '../server/src/baseline/types';
import type { Finding } from '../server/src/compat/finding';
import { applyEdits, computeFixes, DEPRECATION_NOTE, fixAll, type Fix, type TextEdit } from '../server/src/fixes';
import { withDeprecated } from '../server/src/fixes/fixes';
import { elementsOf } from '../server/src/fixes/locate';
import { linesOf } from '../server/src/fixes/text';
import { codeActions } from '../server/src/lsp/codeActions';
import { findingToDiagnostic } from '../server/src/lsp/convert';
import type { EnumNode, EnumValueNode, FieldNode, MessageNode, Range } from '../server/src/proto/ast';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import { analyze, type Analysis } from '../server/src/service';
import { newestTag } from '../server/src/policy/versions';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';
import { withoutMemberName } from './fixTitles';

const URI = 'file:///work/api.proto';
const CORPUS_DIR = findCorpusDir(findRepoRoot(__dirname));
const history = loadBundledHistory();

/** A released field (enum value), out of number order, deleted with its comment: the lines that went, and where. */
interface Deletion {
  tag: string;
  release: string;
  /** The message's (enum's) path in the package: `SecurityProfile.ProfileType`. */
  message: string;
  field: string;
  /** The release without the field's lines. */
  text: string;
  /** Offset of the deleted lines, in the release and in `text`. */
  at: number;
  lines: string;
  /** The lines as the fix writes them: the declaration as the model has it, `[deprecated = true]` spaced. */
  written: string;
  /** Offset of the line with the message's closing brace in `text`. */
  close: number;
  deprecated: boolean;
}

/** Each release of the corpus once (releases can share a file), with the first tag that has it, in tag order. */
function* distinctReleases(): Generator<{ tag: string; release: string }> {
  const corpus = new Corpus(CORPUS_DIR!);
  const seen = new Set<string>();
  for (const row of corpus.goTags()) {
    if (seen.has(row.blob)) continue;
    seen.add(row.blob);
    yield { tag: row.tag, release: corpus.text(row.blob) };
  }
}

/**
 * Every field of a message whose released fields are out of number order, where number order would put it elsewhere:
 * among the message's other fields (not in oneofs), the first whose running maximum of numbers is above its number is
 * not the one declared after it. Each message body once, in the release that first had it.
 */
function deletions(): Deletion[] {
  const out: Deletion[] = [];
  const seenBodies = new Set<string>();
  for (const { tag, release } of distinctReleases()) {
    const L = linesOf(release);
    const ast = parse(release);
    for (const m of ast.messages as MessageNode[]) {
      const body = L.slice(m.range);
      if (seenBodies.has(body)) continue;
      seenBodies.add(body);
      const fields = m.fields.filter((f) => f.oneof === undefined);
      fields.forEach((f, i) => {
        const rest = fields.filter((g) => g !== f);
        let max = -Infinity;
        const byNumber = rest.findIndex((g) => (max = Math.max(max, g.number!)) > f.number!);
        if ((byNumber < 0 ? rest.length : byNumber) === i) return;
        const d = deletion(tag, release, m.name, m, f, asWritten);
        if (d) out.push(d);
      });
    }
  }
  return out;
}

/**
 * The field's (value's) whole lines with its `//` comment; undefined where it shares a line or has a comment after it.
 * `written`: the lines as the fix writes them.
 */
function deletion(
  tag: string, release: string, path: string, m: { range: Range }, f: FieldNode | EnumValueNode, written: (lines: string) => string,
): Deletion | undefined {
  const L = linesOf(release);
  const lead = f.comments.leading;
  if (f.comments.trailing || lead?.block) return undefined;
  const start = lead?.range.start ?? f.range.start;
  if (!L.startsLine(start) || !L.startsLine(f.range.start) || !L.endsLine(f.range.end)) return undefined;
  const at = L.offsetAt({ line: start.line, character: 0 });
  const end = L.offsetAt({ line: f.range.end.line + 1, character: 0 });
  const text = release.slice(0, at) + release.slice(end);
  const closeLine = m.range.end.line - (f.range.end.line + 1 - start.line);
  const close = linesOf(text).offsetAt({ line: closeLine, character: 0 });
  const deprecated = f.options.some((o) => o.name === 'deprecated' && o.value === 'true');
  const lines = release.slice(at, end);
  return { tag, release, message: path, field: f.name, text, at, lines, written: written(lines), close, deprecated };
}

/**
 * The lines as the fix writes them: the declaration (the last line) as the model has it, one space between words,
 * `[deprecated=true]` and `map<string,string>` spaced, none before `;` (v0.37 has `metadata = 1 ;` and
 * `additional_ips  = 2;`).
 */
function asWritten(lines: string): string {
  const all = lines.split('\n');
  const decl = all.at(-2)!;
  const indent = /^\s*/.exec(decl)![0];
  const written = decl.trim().replace(/\s+/g, ' ').replace(/\[deprecated=true\]/g, '[deprecated = true]')
    .replace(/\bmap<([\w.]+),(?=\S)/g, 'map<$1, ').replace(/ ;$/, ';');
  return [...all.slice(0, -2), indent + written, ''].join('\n');
}

/** The lines as written, with the deprecation note above the declaration (the last line) and `[deprecated = true]` on it. */
function deprecatedLines(written: string): string {
  const all = written.split('\n');
  const decl = all.at(-2)!;
  const indent = /^\s*/.exec(decl)![0];
  return [...all.slice(0, -2), `${indent}// ${DEPRECATION_NOTE}`, indent + withDeprecated(decl.trim())!, ''].join('\n');
}

const fileBaseline = (d: Deletion): Baseline => ({ tag: d.tag, source: 'path', origin: 'test', model: bind(parse(d.release), 'old.proto').model });
const bundledBaseline = (d: Deletion): Baseline => ({ tag: d.tag, source: 'bundled', origin: 'test', model: history.modelAt(d.tag)!, history });
const run = (text: string, baseline: Baseline): Analysis => analyze(text, { uri: URI, baseline });

function findingOf(a: Analysis, rule: string, d: Deletion, field = d.field): Finding {
  const fs = a.findings.filter((f) => f.rule === rule && f.element === `runtime.v1.${d.message}.${field}`);
  assert.equal(fs.length, 1, `${d.tag} ${d.message}.${field}: one ${rule}, got ${a.findings.map((f) => `${f.rule} ${f.element}`).join(', ')}`);
  return fs[0]!;
}

function fixTitled(fixes: Fix[], title: string | RegExp): Fix {
  const f = fixes.find((x) => (typeof title === 'string' ? withoutMemberName(x.title) === title : title.test(x.title)));
  assert.ok(f, `no fix ${String(title)} among ${fixes.map((x) => `"${x.title}"`).join(', ')}`);
  return f;
}

/** The edits of a code action, as the server sends them (`documentChanges`). */
function editsOf(action: CodeAction | undefined): TextEdit[] {
  const changes = action?.edit?.documentChanges;
  assert.ok(changes?.length === 1, JSON.stringify(action));
  return (changes[0] as TextDocumentEdit).edits as TextEdit[];
}

/** `text` with `inserted` at the offset of the deleted lines. */
const backAt = (d: Deletion, inserted: string): string => d.text.slice(0, d.at) + inserted + d.text.slice(d.at);

/**
 * No release declares an enum's values out of number order. So each enum with three values or more (each body once, in
 * the release that first had it) gets its last two values swapped in a copy of the release, which is then the
 * baseline: number order puts each of the two elsewhere. Value 0 stays first, as proto3 wants. Not where anything (a
 * blank line) stands between the two: restoring adds no blank line.
 */
function swappedEnumDeletions(): Deletion[] {
  const out: Deletion[] = [];
  const seenBodies = new Set<string>();
  for (const { tag, release } of distinctReleases()) {
    for (const e of elementsOf(parse(release))) {
      if (e.kind !== 'enum') continue;
      const values = (e.node as EnumNode).values;
      const body = linesOf(release).slice(e.range);
      if (values.length < 3 || seenBodies.has(body)) continue;
      seenBodies.add(body);
      const path = e.path.slice('runtime.v1.'.length);
      // The two values' lines, as a deletion of each from the release would take them.
      const [a, b] = values.slice(-2).map((v) => deletion(tag, release, path, e, v, asValueWritten));
      if (!a || !b || a.at + a.lines.length !== b.at) continue;
      const swapped = release.slice(0, a.at) + b.lines + a.lines + release.slice(b.at + b.lines.length);
      const en = elementsOf(parse(swapped)).find((x) => x.kind === 'enum' && x.path === e.path)!;
      for (const v of (en.node as EnumNode).values.slice(-2)) {
        const d = deletion(tag, swapped, path, en, v, asValueWritten);
        if (d) out.push(d);
      }
    }
  }
  return out;
}

/** An enum value's lines as the fix writes them: the declaration as the model has it, `NODE = 2;` (the release aligns `NODE      = 2;`). */
function asValueWritten(lines: string): string {
  return lines.replace(/^([ \t]*)(\w+)\s*=\s*(-?\d+)\s*;[ \t]*\n$/m, '$1$2 = $3;\n');
}

/** The rules of a deleted field (enum value), and the title of its plain restore. */
interface DeletionRules { noDelete: string; removed: string; restore: string }
const FIELD_RULES: DeletionRules = { noDelete: 'FIELD_NO_DELETE', removed: 'FIELD_REMOVED_WITHOUT_DEPRECATION', restore: 'Restore the field' };
const VALUE_RULES: DeletionRules = { noDelete: 'ENUM_VALUE_NO_DELETE', removed: 'ENUM_VALUE_REMOVED_WITHOUT_DEPRECATION', restore: 'Restore the enum value' };

/** Against the release's file, restore, deprecate, fix-all of the rule and fix-all on save give back the release, byte for byte. */
function restoresFromFile(d: Deletion, rules: DeletionRules): void {
  const what = `${d.tag} ${d.message}.${d.field}`;
  const baseline = fileBaseline(d);
  const a = run(d.text, baseline);
  const restore = fixTitled(computeFixes(d.text, a.bound, findingOf(a, rules.noDelete, d)), rules.restore);
  assert.equal(applyEdits(d.text, restore.edits), backAt(d, d.written), what);
  if (d.deprecated) return;
  const removed = findingOf(a, rules.removed, d);
  const deprecate = fixTitled(computeFixes(d.text, a.bound, removed), 'Deprecate instead of deleting');
  assert.equal(applyEdits(d.text, deprecate.edits), backAt(d, deprecatedLines(d.written)), what);
  const fixedAll = fixAll(d.text, a.bound, a.findings, rules.removed);
  assert.equal(fixedAll.applied, 1, what);
  assert.equal(applyEdits(d.text, fixedAll.edits), backAt(d, deprecatedLines(d.written)), what);
  // The editor's fix-all (on save), to its fixed point.
  const reanalyze = (t: string): Analysis => run(t, baseline);
  const [onSave] = codeActions({ uri: URI, version: 1, text: d.text, analysis: a }, { diagnostics: [], only: ['source.fixAll'], documentChanges: true, reanalyze });
  assert.equal(applyEdits(d.text, editsOf(onSave)), backAt(d, deprecatedLines(d.written)), `${what}: fix-all on save`);
}

describe('a deleted released field goes back where the release declared it', NEEDS_CORPUS, () => {
  const all = CORPUS_DIR ? deletions() : [];

  test('the history has such fields, among them the KEP author\'s no_new_privs', () => {
    assert.ok(all.some((d) => d.message === 'LinuxContainerSecurityContext' && d.field === 'no_new_privs'));
    assert.ok(all.length >= 10, `${all.length} deletions`);
    // The case as found: v0.36.3 has it after supplemental_groups_policy = 17, before masked_paths = 13.
    assert.match(corpusText('v0.36.3'), /supplemental_groups_policy = 17;\n {4}\/\/ no_new_privs [^\n]*\n[^\n]*\n {4}bool no_new_privs = 11;\n[^\n]*\n[^\n]*\n {4}repeated string masked_paths = 13;/);
  });

  test('against the release\'s file: restore, deprecate and fix-all give back the release, byte for byte', () => {
    for (const d of all) restoresFromFile(d, FIELD_RULES);
  });

  test('against the bundled release index, which keeps the order of the fields but no comment text: back at the same place', () => {
    for (const d of all) {
      const what = `${d.tag} ${d.message}.${d.field}`;
      const a = run(d.text, bundledBaseline(d));
      const fixes = computeFixes(d.text, a.bound, findingOf(a, 'FIELD_NO_DELETE', d));
      const titles = d.deprecated ? ['Restore the field'] : ['Restore the field', 'Deprecate instead of deleting'];
      for (const title of titles) {
        const { edits } = fixTitled(fixes, title);
        assert.equal(edits.length, 1, what);
        const inserted = edits[0]!.newText;
        assert.equal(applyEdits(d.text, edits), backAt(d, inserted), `${what}: ${title}`);
        // The field's declaration, last; its comment lines (the index's TODO) above it.
        const decl = d.written.split('\n').at(-2)!;
        assert.equal(inserted.split('\n').at(-2), title === 'Restore the field' ? decl : deprecatedLines(d.written).split('\n').at(-2), what);
      }
    }
  });

  test('a new field took the number: "Give … the next free number N and keep … as deprecated" puts the released field back at its place', () => {
    for (const d of all) {
      if (d.deprecated) continue;
      const what = `${d.tag} ${d.message}.${d.field}`;
      const number = /=\s*(\d+)/.exec(d.lines.split('\n').at(-2)!)![1];
      const added = `    // test_field is a test field.\n    int64 test_field = ${number};\n`;
      const text = d.text.slice(0, d.close) + added + d.text.slice(d.close);
      const baseline = fileBaseline(d);
      const reanalyze = (t: string): Analysis => run(t, baseline);
      const analysis = reanalyze(text);
      const reused = findingOf(analysis, 'FIELD_NUMBER_REUSED', d, 'test_field');
      const actions = codeActions({ uri: URI, version: 1, text, analysis }, {
        diagnostics: [findingToDiagnostic(reused, URI, { relatedInformation: false, codeDescription: false })], documentChanges: true, reanalyze,
      });
      const preferred = actions.find((x) => x.isPreferred);
      const m = preferred && new RegExp(`^Give "test_field" the next free number (\\d+) and keep "${d.field}" as deprecated$`).exec(preferred.title);
      assert.ok(m, `${what}: ${actions.map((x) => x.title).join(', ')}`);
      const edits = editsOf(preferred);
      const expected = backAt(d, deprecatedLines(d.written));
      const close = d.close + expected.length - d.text.length;
      assert.equal(applyEdits(text, edits), expected.slice(0, close) + added.replace(`= ${number};`, `= ${m[1]};`) + expected.slice(close), what);
    }
  });
});

describe('a deleted released enum value goes back where the release declared it', NEEDS_CORPUS, () => {
  const all = CORPUS_DIR ? swappedEnumDeletions() : [];

  test('the history has enums to swap, with and without comments, top-level and nested', () => {
    assert.ok(all.length >= 10, `${all.length} deletions`);
    assert.ok(all.some((d) => d.message === 'NamespaceMode' && d.field === 'TARGET' && d.lines.includes('//')), 'NamespaceMode.TARGET with its comment');
    assert.ok(all.some((d) => d.message === 'Protocol' && d.field === 'SCTP' && !d.lines.includes('//')), 'Protocol.SCTP');
    assert.ok(all.some((d) => d.message === 'SecurityProfile.ProfileType'), 'a nested enum');
  });

  test('against the release\'s file: restore, deprecate and fix-all give back the release, byte for byte', () => {
    for (const d of all) restoresFromFile(d, VALUE_RULES);
  });
});

describe('the place of a restored field, in small files', () => {
  const HEADER = 'syntax = "proto3";\npackage demo.v1;\n\n';
  const baselineOf = (text: string): Baseline => ({ tag: 'v0.1.0', source: 'path', origin: 'test', model: bind(parse(text), 'old.proto').model });
  const cut = (text: string, ...lines: string[]): string => lines.reduce((t, l) => t.replace(`${l}\n`, ''), text);

  test('two fields deleted together: each goes back next to the nearest member the file still has, restored one by one or all at once', () => {
    const release = `${HEADER}message A {\n  int32 a = 1;\n  int32 d = 4;\n  // B.\n  int32 b = 2;\n  // C.\n  int32 c = 3;\n}\n`;
    const baseline = baselineOf(release);
    const text = cut(release, '  // B.', '  int32 b = 2;', '  // C.', '  int32 c = 3;');
    // Neither number order (before d) nor the neighbour of c (b, deleted too) says where c goes; d, before b, does.
    for (const order of [['b', 'c'], ['c', 'b']]) {
      let t = text;
      for (const name of order) {
        const a = run(t, baseline);
        const f = a.findings.find((x) => x.rule === 'FIELD_NO_DELETE' && x.element === `demo.v1.A.${name}`)!;
        t = applyEdits(t, fixTitled(computeFixes(t, a.bound, f), 'Restore the field').edits);
      }
      assert.equal(t, release, order.join(', '));
    }
    const a = run(text, baseline);
    const all = fixAll(text, a.bound, a.findings, 'FIELD_REMOVED_WITHOUT_DEPRECATION');
    assert.equal(all.applied, 2);
    const note = `  // ${DEPRECATION_NOTE}\n`;
    assert.equal(applyEdits(text, all.edits),
      `${HEADER}message A {\n  int32 a = 1;\n  int32 d = 4;\n  // B.\n${note}  int32 b = 2 [deprecated = true];\n  // C.\n${note}  int32 c = 3 [deprecated = true];\n}\n`);
  });

  test('a oneof member goes back to its place in the oneof', () => {
    const release = `${HEADER}message A {\n  oneof o {\n    // Y.\n    int32 y = 3;\n    int32 x = 2;\n  }\n}\n`;
    const text = cut(release, '    // Y.', '    int32 y = 3;');
    const a = run(text, baselineOf(release));
    const f = a.findings.find((x) => x.rule === 'FIELD_NO_DELETE')!;
    assert.equal(applyEdits(text, fixTitled(computeFixes(text, a.bound, f), 'Restore the field').edits), release);
  });

  test('the value 0 of a proto3 enum goes back first, also where the file now declares a value before the one that followed it', () => {
    const release = `${HEADER}enum E {\n  A = 0;\n  B = 1;\n}\n`;
    const text = `${HEADER}enum E {\n  // N.\n  N = 2;\n  B = 1;\n}\n`;
    const a = run(text, baselineOf(release));
    const f = a.findings.find((x) => x.rule === 'ENUM_VALUE_NO_DELETE')!;
    assert.equal(applyEdits(text, fixTitled(computeFixes(text, a.bound, f), 'Restore the enum value').edits), `${HEADER}enum E {\n  A = 0;\n  // N.\n  N = 2;\n  B = 1;\n}\n`);
  });

  test('an enum\'s last value goes back below the value the release declared before it, above a reservation the file added after it', () => {
    const release = `${HEADER}enum E {\n  A = 0;\n  // B.\n  B = 1;\n}\n`;
    const text = `${HEADER}enum E {\n  A = 0;\n  reserved 7;\n}\n`;
    const a = run(text, baselineOf(release));
    const f = a.findings.find((x) => x.rule === 'ENUM_VALUE_NO_DELETE')!;
    assert.equal(applyEdits(text, fixTitled(computeFixes(text, a.bound, f), 'Restore the enum value').edits), `${HEADER}enum E {\n  A = 0;\n  // B.\n  B = 1;\n  reserved 7;\n}\n`);
  });

  test('a restore writes the released options as the release wrote them: aggregates, values with spaces, on fields and enum values', () => {
    const B = '  string b = 2 [(demo.rules) = { min_len: 1 max_len: 64 in: ["a", "b"] }, debug_redact = true, (demo.note) = "two words"];';
    const V = '  V_B = 1 [(demo.label) = { text: "b" }, deprecated = true];';
    const release = `${HEADER}message A {\n  int32 a = 1;\n  // B.\n${B}\n}\n\nenum V {\n  V_A = 0;\n  // V_B.\n${V}\n}\n`;
    const text = cut(release, B, V);
    const a = run(text, baselineOf(release));
    assert.deepEqual(a.bound.problems.map((p) => p.message), []);
    const fixOf = (rule: string, title: string): string => applyEdits(text, fixTitled(computeFixes(text, a.bound, a.findings.find((x) => x.rule === rule)!), title).edits);
    assert.equal(fixOf('FIELD_NO_DELETE', 'Restore the field'), cut(release, V));
    assert.equal(fixOf('FIELD_NO_DELETE', 'Deprecate instead of deleting'), cut(release, V).replace(B, B.replace('"two words"]', '"two words", deprecated = true]')).replace('  // B.\n', `  // B.\n  // ${DEPRECATION_NOTE}\n`));
    assert.equal(fixOf('ENUM_VALUE_NO_DELETE', 'Restore the enum value'), cut(release, B));
  });

  test('from a file, a nested type is a neighbour too', () => {
    const release = `${HEADER}message A {\n  int32 c = 3;\n  message Inner {\n    int32 z = 1;\n  }\n  // B.\n  int32 b = 2;\n}\n`;
    const text = cut(release, '  // B.', '  int32 b = 2;');
    const a = run(text, baselineOf(release));
    const f = a.findings.find((x) => x.rule === 'FIELD_NO_DELETE')!;
    assert.equal(applyEdits(text, fixTitled(computeFixes(text, a.bound, f), 'Restore the field').edits), release);
  });
});

/**
 * A released field (enum value) of the newest release whose declaration alone was deleted: its comment stays and now
 * leads the next member's, or, before a blank line or `}`, trails the member above it (or the body's `{`).
 */
interface LineDeletion {
  what: string;
  message: string;
  field: string;
  isEnum: boolean;
  deprecated: boolean;
  /** The release without the declaration's line. */
  text: string;
  /** The release with the declaration as the fix writes it, and with it deprecated (the note above it). */
  restored: string;
  deprecatedText: string;
}

function declarationLineDeletions(tag: string, release: string): LineDeletion[] {
  const out: LineDeletion[] = [];
  const L = linesOf(release);
  for (const e of elementsOf(parse(release))) {
    if (e.kind !== 'message' && e.kind !== 'enum') continue;
    const path = e.path.slice('runtime.v1.'.length);
    const members: (FieldNode | EnumValueNode)[] = e.kind === 'enum' ? (e.node as EnumNode).values : (e.node as MessageNode).fields;
    for (const f of members) {
      if (!f.comments.leading?.text.trim()) continue;
      const isEnum = e.kind === 'enum';
      const d = deletion(tag, release, path, e, f, isEnum ? asValueWritten : asWritten);
      // Also those with `[debug_redact = true]`: the restore writes the options no rule compares too.
      if (!d) continue;
      const declAt = L.offsetAt({ line: f.range.start.line, character: 0 });
      const end = d.at + d.lines.length;
      const text = release.slice(0, declAt) + release.slice(end);
      const around = (lines: string): string => release.slice(0, d.at) + lines + release.slice(end);
      out.push({
        what: `${tag} ${path}.${f.name}`, message: path, field: f.name, isEnum, deprecated: d.deprecated, text,
        restored: around(d.written), deprecatedText: around(deprecatedLines(d.written)),
      });
    }
  }
  return out;
}

/** `actual` is `expected`; where not, the message shows the first lines that differ (the files are 85 KB long). */
function sameText(actual: string, expected: string, what: string): void {
  if (actual === expected) return;
  const a = actual.split('\n');
  const e = expected.split('\n');
  const i = a.findIndex((l, k) => l !== e[k]);
  assert.fail(`${what}: line ${i + 1}:\n${a.slice(i, i + 4).join('\n')}\ninstead of\n${e.slice(i, i + 4).join('\n')}`);
}

describe('a released field or enum value whose declaration alone was deleted goes back under its comment', NEEDS_CORPUS, () => {
  const corpus = CORPUS_DIR ? new Corpus(CORPUS_DIR) : undefined;
  const tag = corpus && newestTag(corpus.goTags().map((r) => r.tag), true)!;
  const newest = tag ? { tag, release: corpusText(tag) } : undefined;
  const all = newest ? declarationLineDeletions(newest.tag, newest.release) : [];
  const baselines = newest && {
    file: { tag: newest.tag, source: 'path', origin: 'test', model: bind(parse(newest.release), 'old.proto').model } satisfies Baseline,
    bundled: { tag: newest.tag, source: 'bundled', origin: 'test', model: history.modelAt(newest.tag)!, history } satisfies Baseline,
  };

  test('the newest release has such fields and values, among them the KEP author\'s cpuset_mems', () => {
    assert.ok(all.some((d) => d.message === 'LinuxContainerResources' && d.field === 'cpuset_mems'));
    assert.ok(all.filter((d) => !d.isEnum).length >= 100, `${all.length} deletions`);
    assert.ok(all.filter((d) => d.isEnum).length >= 10, `${all.length} deletions`);
  });

  for (const source of ['file', 'bundled'] as const) {
    test(`against the release's ${source === 'file' ? 'file (doc text)' : 'bundled index (doc fingerprint only)'}: restore and deprecate give back the release, byte for byte`, () => {
      const fixedAllIn = new Set<string>();
      for (const d of all) {
        const baseline = baselines![source];
        const rules = d.isEnum ? VALUE_RULES : FIELD_RULES;
        const a = run(d.text, baseline);
        const element = { tag: newest!.tag, message: d.message, field: d.field } as Deletion;
        const fixes = computeFixes(d.text, a.bound, findingOf(a, rules.noDelete, element));
        sameText(applyEdits(d.text, fixTitled(fixes, rules.restore).edits), d.restored, `${d.what}: ${rules.restore}`);
        if (d.deprecated) continue;
        sameText(applyEdits(d.text, fixTitled(fixes, 'Deprecate instead of deleting').edits), d.deprecatedText, `${d.what}: deprecate`);
        // Fix-all takes the same path: one member of each message and enum is enough to show it.
        if (fixedAllIn.has(d.message)) continue;
        fixedAllIn.add(d.message);
        const fixedAll = fixAll(d.text, a.bound, a.findings, rules.removed);
        assert.equal(fixedAll.applied, 1, d.what);
        sameText(applyEdits(d.text, fixedAll.edits), d.deprecatedText, `${d.what}: fix-all`);
      }
    });
  }

  test('fix-all on save gives back the release, deprecated, for the KEP author\'s cpuset_mems', () => {
    for (const d of all.filter((x) => x.field === 'cpuset_mems')) {
      for (const baseline of Object.values(baselines!)) {
        const reanalyze = (t: string): Analysis => run(t, baseline);
        const [onSave] = codeActions({ uri: URI, version: 1, text: d.text, analysis: reanalyze(d.text) }, { diagnostics: [], only: ['source.fixAll'], documentChanges: true, reanalyze });
        sameText(applyEdits(d.text, editsOf(onSave)), d.deprecatedText, `${d.what} against the ${baseline.source} baseline: fix-all on save`);
      }
    }
  });
});

describe('against the bundled index, a restore writes back option values that are aggregates, have spaces or are long', NEEDS_CORPUS, () => {
  // No release of cri-api declares such an option on an element yet (only `debug_redact = true`), so the newest
  // release gets some, and its index is built as scripts/build-history.ts builds the bundled one: from a corpus
  // directory, serialised and read back. The options are in sorted order, the index's (it compares option sets).
  const tag = CORPUS_DIR ? newestTag(new Corpus(CORPUS_DIR).goTags().map((r) => r.tag), true)! : '';
  const PASSWORD = '    string password = 2 [debug_redact = true];\n';
  const OPTIONS = '(demo.note) = "two words", (demo.pattern) = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", '
    + '(demo.rules) = { min_len: 1 max_len: 64 in: ["a", "b"] }, debug_redact = true';
  const WITH_OPTIONS = `    string password = 2 [${OPTIONS}];\n`;
  const UDP = '    UDP = 1;\n';
  const UDP_WITH_OPTIONS = '    UDP = 1 [(demo.label) = { text: "udp" }];\n';

  function indexOf(release: string): Baseline {
    const dir = mkdtempSync(join(tmpdir(), 'cri-compat-index-'));
    try {
      const blob = createHash('sha1').update(`blob ${Buffer.byteLength(release)}\0`).update(release).digest('hex');
      mkdirSync(join(dir, 'blobs'));
      writeFileSync(join(dir, 'blobs', `${blob}.proto`), release);
      writeFileSync(join(dir, 'tags.tsv'), `tag\tpath\tblob\tcommit_date\tprerelease\n${tag}\t${V1_PATH}\t${blob}\t2026-01-01\tno\n`);
      const file = JSON.parse(serializeHistoryFile(historyFileFromCorpus(new Corpus(dir)))) as HistoryFile;
      const h = new IndexedHistory(file.packages['runtime.v1']!);
      return { tag, source: 'bundled', origin: 'test', model: h.modelAt(tag)!, history: h };
    } finally {
      rmSync(dir, { recursive: true });
    }
  }

  test('restore and deprecate give back the release, byte for byte', () => {
    const release = replaceOnce(replaceOnce(corpusText(tag), PASSWORD, WITH_OPTIONS), UDP, UDP_WITH_OPTIONS);
    const baseline = indexOf(release);
    const fixOf = (text: string, rule: string, element: string, title: string): string => {
      const a = run(text, baseline);
      // The demo options are declared nowhere, which only their own unknown-option says.
      assert.deepEqual(a.bound.problems.filter((p) => p.code !== 'unknown-option' || !p.message.startsWith('option "(demo.')).map((p) => p.message), []);
      const f = a.findings.find((x) => x.rule === rule && x.element === `runtime.v1.${element}`);
      assert.ok(f, `${rule} ${element}`);
      return applyEdits(text, fixTitled(computeFixes(text, a.bound, f), title).edits);
    };
    const noPassword = replaceOnce(release, WITH_OPTIONS, '');
    sameText(fixOf(noPassword, 'FIELD_NO_DELETE', 'AuthConfig.password', 'Restore the field'), release, 'Restore the field');
    sameText(fixOf(noPassword, 'FIELD_REMOVED_WITHOUT_DEPRECATION', 'AuthConfig.password', 'Deprecate instead of deleting'),
      replaceOnce(release, WITH_OPTIONS, `    // ${DEPRECATION_NOTE}\n    string password = 2 [${OPTIONS}, deprecated = true];\n`), 'Deprecate instead of deleting');
    sameText(fixOf(replaceOnce(release, UDP_WITH_OPTIONS, ''), 'ENUM_VALUE_NO_DELETE', 'Protocol.UDP', 'Restore the enum value'), release, 'Restore the enum value');
  });
});
