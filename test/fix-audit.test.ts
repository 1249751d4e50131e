// Audit of every quick fix the language server offers, on real data: the newest runtime.v1 api.proto of the corpus,
// edited as an author would edit it (a field, an enum value or an RPC deleted, a field renumbered or renamed, an
// undocumented message, field and RPC added, a field added to a message with reserved ranges, two fields of one
// message deleted), each in four layouts of the file (as released; CRLF line endings; tab indentation with CRLF; no
// final newline). Every code action offered for every diagnostic, and the preferred fixes of all findings together,
// are applied to the text and must: clear the finding they target (a suppression too); add no error, neither a
// compatibility finding of error severity nor a binder error; give a file buf builds; write the file's own line
// ending and indentation (no space-indented line in a tab-indented file, no bare LF in a CRLF file, no final newline
// added to a file without one). "Next free number" must take a number that no field of the message has in the file,
// reserves, or had in any release; titles say what the fix does.
//
// Bundled by esbuild into out/test/fix-audit.test.js; needs the corpus (CRI_API_CORPUS) and buf
// (node_modules/.bin/buf), and skips saying how to get them without.
import { after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeAction, Diagnostic, TextDocumentEdit } from 'vscode-languageserver-protocol/node';

import { analyze, type Analysis } from '../server/src/service';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import type { Baseline } from '../server/src/baseline/types';
import type { Finding } from '../server/src/compat/finding';
import { applyEdits, checkNonOverlapping, computeFixes, mergeEditLists, type TextEdit } from '../server/src/fixes';
import { codeActions, findingFor, type Snapshot } from '../server/src/lsp/codeActions';
import { findingToDiagnostic, problemToDiagnostic } from '../server/src/lsp/convert';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import { NEEDS_CORPUS, corpusText, newestCorpusTag, newestCorpusText, replaceOnce } from './corpusText';
import { findBuf } from './bufBinary';

const URI = 'file:///work/api.proto';
const BUF = findBuf();

// ---- the edits -------------------------------------------------------------------------------------------------

/** Removes the lines from the one containing `last` up from the nearest one before containing `first` (at most 10). */
function dropLines(text: string, first: string, last = first): string {
  const lines = text.split('\n');
  const b = lines.findIndex((l) => l.includes(last));
  assert.equal(lines.filter((l) => l.includes(last)).length, 1, `one line with ${last}`);
  let a = b;
  while (a >= 0 && b - a < 10 && !lines[a]!.includes(first)) a--;
  assert.ok(a >= 0 && b - a < 10 && lines[a]!.includes(first), `no lines ${first} … ${last}`);
  lines.splice(a, b - a + 1);
  return lines.join('\n');
}

/** An author's edit of a released file (LF, four-space indentation, as released): of the newest unless `tag`. */
interface Edit {
  name: string;
  make: (t: string) => string;
  tag?: string;
  /** Titles of fixes that must be among those offered (the fix the edit calls for). */
  offers: RegExp[];
}

/** The newest runtime.v1 release line with no gogo.proto import (buf builds it without a stub) before the newest. */
const OLDER_LINE = 'v0.34.10';

const EDITS: Edit[] = [
  {
    name: 'a field deleted with its comment',
    make: (t) => dropLines(t, '// If set, the mount needs SELinux relabeling.', 'bool selinux_relabel = 4;'),
    offers: [/^Reserve number 4 and name "selinux_relabel"$/, /^Restore the field "selinux_relabel"$/, /^Deprecate "selinux_relabel" instead of deleting$/],
  },
  {
    name: 'the last field of a message deleted',
    make: (t) => dropLines(t, '// Specific image sub path to be used', 'string image_sub_path = 10;'),
    offers: [/^Restore the field "image_sub_path"$/],
  },
  {
    name: 'two fields of one message deleted',
    make: (t) => dropLines(dropLines(t, 'bool selinux_relabel = 4;'), 'bool readonly = 3;'),
    offers: [/^Fix all FIELD_NO_DELETE in this file$/],
  },
  { name: 'a field renumbered', make: (t) => replaceOnce(t, '    bool readonly = 3;\n', '    bool readonly = 11;\n'), offers: [/^Restore the original number 3$/] },
  { name: 'a field renamed', make: (t) => replaceOnce(t, '    bool readonly = 3;\n', '    bool read_only = 3;\n'), offers: [/^Restore the original name "readonly"$/] },
  { name: 'a field retyped', make: (t) => replaceOnce(t, '    uint32 length = 3;\n', '    string length = 3;\n'), offers: [/^Restore the released type "uint32"$/] },
  { name: 'an enum value deleted', make: (t) => replaceOnce(t, '    SCTP = 2;\n', ''), offers: [/^Restore the enum value "SCTP"$/] },
  { name: 'an undocumented enum value added', make: (t) => replaceOnce(t, '    SCTP = 2;\n', '    SCTP = 2;\n    QUIC = 3;\n'), offers: [/^Insert a documentation stub$/] },
  {
    name: 'an RPC deleted',
    make: (t) => dropLines(t, 'rpc StopPodSandbox('),
    offers: [/^Restore the RPC "StopPodSandbox"$/, /^Deprecate "StopPodSandbox" instead of deleting$/],
  },
  { name: 'an RPC renamed', make: (t) => replaceOnce(t, 'rpc StopPodSandbox(', 'rpc HaltPodSandbox('), offers: [/^Restore the original name "StopPodSandbox"$/] },
  {
    name: 'a message deleted',
    make: (t) => replaceOnce(t, /\/\/ IDMapping describes[^]*?\n}\n/.exec(t)![0], ''),
    // Restored as released: an empty "Declare message" stub beside it would drop its fields.
    offers: [/^Restore message "IDMapping" as released in v0\.\S+$/],
  },
  {
    name: 'an undocumented message, field and RPC added',
    make: (t) => replaceOnce(replaceOnce(t,
      '    string image_sub_path = 10;\n}', '    string image_sub_path = 10;\n    string frob_mode = 11;\n}'),
      '    rpc Version(VersionRequest) returns (VersionResponse) {}\n',
      '    rpc Version(VersionRequest) returns (VersionResponse) {}\n    rpc Frob(FrobRequest) returns (FrobResponse) {}\n') + '\nmessage FrobRequest {\n    string frob_id = 1;\n}\n',
    offers: [/^Insert a documentation stub$/, /^Declare message "FrobResponse"$/],
  },
  // The author reserved 11 to 15 ahead, then put a new field on the number of the deleted selinux_relabel.
  {
    name: 'a new field on a deleted field\'s number, in a message with reserved ranges',
    make: (t) => replaceOnce(t, '    bool selinux_relabel = 4;\n', '    // The frob mode.\n    string frob_mode = 4;\n    reserved 11 to 15;\n    reserved "old_frob";\n'),
    offers: [/^Give "frob_mode" the next free number 16\b/],
  },
  {
    name: 'a new field on the number of a field still there',
    make: (t) => replaceOnce(t, '    string image_sub_path = 10;\n}', '    string image_sub_path = 10;\n    // The frob mode.\n    string frob_mode = 9;\n}'),
    offers: [/next free number 11$/],
  },
  // At the end of the file: what a fix appends there must keep (or not add) the final newline.
  {
    name: 'the last message deleted',
    make: (t) => replaceOnce(t, '\nmessage UpdatePodSandboxResourcesResponse {}\n', '\n'),
    offers: [/^Restore message "UpdatePodSandboxResourcesResponse" as released in v0\.\S+$/],
  },
  {
    name: 'the last field of the last message but one deleted',
    make: (t) => dropLines(t, '// Optional resources represents the sum', 'LinuxContainerResources resources = 3;'),
    offers: [/^Restore the field "resources"$/],
  },
  {
    name: 'a field added to an empty one-line message at the end of the file',
    make: (t) => replaceOnce(t, 'message UpdatePodSandboxResourcesResponse {}\n', 'message UpdatePodSandboxResourcesResponse { string frob = 1; }\n'),
    offers: [/^Insert a documentation stub$/],
  },
  {
    name: 'the only field of a message deleted',
    make: (t) => replaceOnce(t, 'message VersionRequest {\n    // Version of the kubelet runtime API.\n    string version = 1;\n}', 'message VersionRequest {\n}'),
    offers: [/^Reserve number 1 and name "version"$/],
  },
  {
    name: 'an enum value replaced in the last enum, with a reserved range',
    make: (t) => replaceOnce(t, '    SYSTEMD = 0;\n    CGROUPFS = 1;\n}', '    SYSTEMD = 0;\n    // Frob.\n    FROB = 1;\n    reserved 2 to 4;\n}'),
    offers: [/^Restore the original name "CGROUPFS"$/],
  },
  {
    name: 'a new enum value on the number of a value still there, in an enum with a reserved range',
    make: (t) => replaceOnce(t, '    SYSTEMD = 0;\n    CGROUPFS = 1;\n}', '    SYSTEMD = 0;\n    CGROUPFS = 1;\n    reserved 2 to 4;\n    // Frob.\n    FROB = 1;\n}'),
    offers: [/next free number 5$/],
  },
  {
    name: 'a new message written on one line',
    make: (t) => `${t}\n// FrobStatus is the status of a frob.\nmessage FrobStatus { string frob_id = 1; int64 frobbed_at = 2; }\n`,
    offers: [/^Insert a documentation stub$/, /^Fix all DOC_MISSING in this file$/],
  },
  {
    name: 'a new service written on one line',
    make: (t) => `${t}\n// FrobService frobs.\nservice FrobService { rpc Frob(VersionRequest) returns (VersionResponse) {} }\n`,
    offers: [/^Insert a documentation stub$/],
  },
  // A message of the name would turn the fields of the enum's type from varints into length-delimited messages:
  // the enum comes back as released instead.
  {
    name: 'an enum deleted',
    make: (t) => replaceOnce(t, 'enum Protocol {\n    TCP = 0;\n    UDP = 1;\n    SCTP = 2;\n}\n', ''),
    offers: [/^Restore enum "Protocol" as released in v0\.\S+$/, /^Ignore ENUM_NO_DELETE here$/],
  },
  {
    name: 'a message with a nested enum deleted',
    make: (t) => replaceOnce(t, /\/\/ A security profile which can be used[^]*?\n}\n\n/.exec(t)![0], ''),
    offers: [/^Restore message "SecurityProfile" as released in v0\.\S+$/],
  },
  {
    name: 'a field moved into a nested message',
    make: (t) => replaceOnce(dropLines(t, '// If set, the mount needs SELinux relabeling.', 'bool selinux_relabel = 4;'),
      '    string image_sub_path = 10;\n}',
      '    string image_sub_path = 10;\n    // Relabeling.\n    message Relabel {\n        // If set, the mount needs SELinux relabeling.\n        bool selinux_relabel = 1;\n    }\n    // Relabeling.\n    Relabel relabel = 11;\n}'),
    offers: [/^Restore the field "selinux_relabel"$/],
  },
  // Backported to an older release line on the number that a later release gave image_ref, with 21 to 25 reserved.
  {
    name: 'a field backported to an older line on a number of a later release',
    tag: OLDER_LINE,
    make: (t) => replaceOnce(t, '    string runtime_handler = 19;\n}', '    string runtime_handler = 19;\n    // The frob reference.\n    string frob_ref = 20;\n    reserved 21 to 25;\n}'),
    offers: [/^Give "frob_ref" the next free number 26$/],
  },
];

/** The layouts a file comes in: each must be kept by every fix. */
const LAYOUTS: [string, (t: string) => string][] = [
  ['LF', (t) => t],
  ['CRLF', (t) => t.replace(/\n/g, '\r\n')],
  ['tabs, CRLF', (t) => t.replace(/^((?: {4})+)/gm, (s) => '\t'.repeat(s.length / 4)).replace(/\n/g, '\r\n')],
  ['no final newline', (t) => t.replace(/\n+$/, '')],
  ['two-space indentation', (t) => t.replace(/^((?: {4})+)/gm, (s) => '  '.repeat(s.length / 4))],
];

// ---- checks ----------------------------------------------------------------------------------------------------

function errorsOf(a: Analysis): string[] {
  return [
    ...a.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.element}`),
    ...a.bound.problems.filter((p) => p.severity === 'error').map((p) => `${p.code}: ${p.message}`),
    ...a.bound.ast.errors.map((e) => `syntax: ${e.message}`),
  ];
}

/** Entries of `after` not in `before` (as multisets). */
function added(before: readonly string[], after: readonly string[]): string[] {
  const was = [...before];
  return after.filter((k) => {
    const i = was.indexOf(k);
    if (i >= 0) was.splice(i, 1);
    return i < 0;
  });
}

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** buf's errors building `text` as runtime/v1/api.proto of a module of its own; '' when it builds. */
function bufErrors(text: string): string {
  if (typeof BUF === 'string') return '';
  const dir = mkdtempSync(join(tmpdir(), 'cri-fix-audit-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'runtime', 'v1'), { recursive: true });
  writeFileSync(join(dir, 'buf.yaml'), 'version: v2\n');
  writeFileSync(join(dir, 'runtime', 'v1', 'api.proto'), text);
  try {
    execFileSync(BUF.buf, ['build', dir, '-o', join(dir, 'image.binpb')], { stdio: 'pipe', timeout: 60_000 });
    return '';
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e).trim() || String(e);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text's own layout, which the lines a fix writes (`edits`) must keep. */
function layoutProblems(before: string, edits: readonly TextEdit[], afterText: string): string[] {
  const out: string[] = [];
  const crlf = before.includes('\r\n');
  // The file's indentation: what most indented lines start with (the released file has a few tab-indented lines).
  const tabs = (before.match(/^\t/gm)?.length ?? 0) > (before.match(/^ /gm)?.length ?? 0);
  for (const e of edits) {
    if (crlf && /(^|[^\r])\n/.test(e.newText)) out.push(`a bare LF in a CRLF file: ${JSON.stringify(e.newText)}`);
    if (!crlf && e.newText.includes('\r')) out.push(`a CR in an LF file: ${JSON.stringify(e.newText)}`);
    for (const line of e.newText.split(/\r?\n/).slice(e.range.start.character === 0 ? 0 : 1)) {
      if (tabs && /^ +\S/.test(line)) out.push(`space indentation in a tab-indented file: ${JSON.stringify(line)}`);
      if (!tabs && /^\t/.test(line)) out.push(`tab indentation in a space-indented file: ${JSON.stringify(line)}`);
    }
  }
  // Indented with the file's unit: two-space and four-space files each get their own.
  const unit = /^( +|\t)\S/m.exec(before)?.[1] ?? '  ';
  for (const e of edits) {
    for (const line of e.newText.split(/\r?\n/).slice(e.range.start.character === 0 ? 0 : 1)) {
      const indent = /^[ \t]*/.exec(line)![0];
      if (/\S/.test(line) && indent.length % unit.length !== 0) out.push(`indentation not in steps of ${JSON.stringify(unit)}: ${JSON.stringify(line)}`);
    }
  }
  if (!/\n$/.test(before) && /\n$/.test(afterText)) out.push('a final newline added to a file without one');
  const blank = (t: string): Set<string> => new Set(t.split(/\r?\n/).filter((l) => /[ \t]$/.test(l)));
  const was = blank(before);
  for (const l of blank(afterText)) if (!was.has(l)) out.push(`a line ending in blanks: ${JSON.stringify(l)}`);
  return out;
}

/**
 * Fields whose released type was an enum and is now a message of the same name, or the other way round: varint and
 * length-delimited on the wire. (A fix that declares a message for a deleted enum's name does that.)
 */
function kindChanges(baseline: Baseline, afterText: string): string[] {
  const now = new Map(bind(parse(afterText), URI).model.messages.map((m) => [m.fqn, m]));
  const out: string[] = [];
  for (const m of baseline.model.messages) {
    for (const f of m.fields) {
      const g = now.get(m.fqn)?.fields.find((x) => x.name === f.name);
      if (g && g.type === f.type && (f.typeKind === 'enum' || f.typeKind === 'message') && (g.typeKind === 'enum' || g.typeKind === 'message') && g.typeKind !== f.typeKind) {
        out.push(`${m.fqn}.${f.name}: the released ${f.typeKind} ${f.type} is now a ${g.typeKind}`);
      }
    }
  }
  return out;
}

/**
 * Where a title gives a "next free number" N for `element` (a field or enum value): N must be free in its message or
 * enum as the text before the fix has it (no member on it, no reservation covering it) and in every release.
 */
function nextFreeProblems(title: string, element: string, text: string, baseline: Baseline): string[] {
  const n = /next free number (\d+)/.exec(title)?.[1];
  if (n === undefined) return [];
  const number = Number(n);
  const container = element.slice(0, element.lastIndexOf('.'));
  const model = bind(parse(text), URI).model;
  const m = model.messages.find((x) => x.fqn === container);
  const e = model.enums.find((x) => x.fqn === container);
  const def = m ?? e;
  if (!def) return [`"${title}": no message or enum ${container}`];
  const members: { number: number }[] = m ? m.fields : e!.values;
  const uses = (m ? baseline.history?.fieldUses(container) : baseline.history?.enumValueUses(container)) ?? [];
  const out: string[] = [];
  if (members.some((x) => x.number === number)) out.push(`"${title}": ${number} is taken in ${container}`);
  if (def.reservedNumbers.some(([a, b]) => a <= number && number <= b)) out.push(`"${title}": ${number} is reserved in ${container}`);
  for (const u of uses) if (u.number === number) out.push(`"${title}": ${number} was ${u.name} in ${u.firstTag}`);
  return out;
}

/** `text` with each run of `//` lines as one line: what wrapping comments at another width does not change. */
function unwrapped(text: string): string {
  return text.replace(/\r?\n[ \t]*\/\/ /g, ' ');
}

/** The first line where two texts differ, in each. */
function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  const k = x.findIndex((l, i) => l !== y[i]);
  return `${JSON.stringify(x[k])}\n${JSON.stringify(y[k])}`;
}

/** A title that says what it does: a verb first, no placeholder, no "undefined". */
function titleProblems(title: string): string[] {
  const out: string[] = [];
  if (!/^(Reserve|Restore|Insert|Deprecate|Use|Declare|Add|Document|Move|Make|Ignore|Rename|Fix all|Keep|Mark|Renumber|Swap|Put|Give)\b/.test(title)) out.push(`title "${title}" does not start with what it does`);
  if (/undefined|NaN|\[object|""/.test(title)) out.push(`title "${title}" has a placeholder`);
  return out;
}

function actionEdits(a: CodeAction): TextEdit[] {
  const dc = a.edit?.documentChanges;
  assert.ok(dc && dc.length === 1, JSON.stringify(a.edit));
  return (dc[0] as TextDocumentEdit).edits as TextEdit[];
}

/** Problems of the fixes offered for `text`, and how many fixes were applied. */
function check(name: string, text: string, baseline: Baseline): { problems: string[]; applied: number; titles: Set<string>; results: Map<string, string> } {
  const reanalyze = (t: string): Analysis => analyze(t, { uri: URI, baseline });
  const before = reanalyze(text);
  const errorsBefore = errorsOf(before);
  const snap: Snapshot = { uri: URI, version: 1, text, analysis: before };
  const diagnostics: Diagnostic[] = [
    ...before.findings.map((f) => findingToDiagnostic(f, URI, { relatedInformation: true, codeDescription: true })),
    ...before.bound.problems.map((p) => problemToDiagnostic(p)),
  ];
  const problems: string[] = [];
  const titles = new Set<string>();
  const results = new Map<string, string>();
  let applied = 0;
  const report = (what: string, p: string[]): void => p.forEach((x) => problems.push(`${name}: ${what}: ${x}`));
  const targets = new Map<Diagnostic, Finding | undefined>(diagnostics.map((d, k) => [d, before.findings[k]]));
  for (const d of diagnostics) {
    for (const a of codeActions(snap, { diagnostics: [d], only: ['quickfix'], documentChanges: true, reanalyze })) {
      const what = `"${a.title}" for ${String(d.code)} ${(d.data as { element?: string } | undefined)?.element ?? d.message}`;
      report(what, titleProblems(a.title));
      const element = findingFor(before, d)?.element;
      if (element) report(what, nextFreeProblems(a.title, element, text, baseline));
      const edits = actionEdits(a);
      let out: string;
      try {
        checkNonOverlapping(text, edits);
        out = applyEdits(text, edits);
      } catch (e) {
        report(what, [`edits do not apply: ${(e as Error).message}`]);
        continue;
      }
      applied++;
      titles.add(a.title);
      results.set(what, out);
      const result = reanalyze(out);
      const target = targets.get(d);
      if (target && !a.title.startsWith('Fix all') && result.findings.some((f) => f.rule === target.rule && f.element === target.element && f.message === target.message)) {
        report(what, ['the finding it targets is still there']);
      }
      report(what, added(errorsBefore, errorsOf(result)).map((e) => `new error ${e}`));
      report(what, layoutProblems(text, edits, out));
      report(what, kindChanges(baseline, out));
      if (!errorsBefore.length && !errorsOf(result).length) {
        const buf = bufErrors(out);
        if (buf) report(what, [`buf: ${buf.split('\n').slice(0, 3).join(' | ')}`]);
      }
    }
  }
  // "Fix all CRI compatibility findings" (on save): one application leaves no finding it could fix, and no error.
  for (const a of codeActions(snap, { diagnostics, only: ['source.fixAll.criCompat'], documentChanges: true, reanalyze })) {
    const out = applyEdits(text, actionEdits(a));
    const result = reanalyze(out);
    report(`"${a.title}"`, added(errorsBefore, errorsOf(result)).map((e) => `new error ${e}`));
    report(`"${a.title}"`, layoutProblems(text, actionEdits(a), out));
    report(`"${a.title}"`, kindChanges(baseline, out));
    const again = codeActions({ uri: URI, version: 2, text: out, analysis: result }, { diagnostics: [], only: ['source.fixAll.criCompat'], documentChanges: true, reanalyze });
    if (again.length) report(`"${a.title}"`, ['a second application changes more']);
    if (!errorsOf(result).length) {
      const buf = bufErrors(out);
      if (buf) report(`"${a.title}"`, [`buf: ${buf.split('\n').slice(0, 3).join(' | ')}`]);
    }
  }
  // The preferred fix of each finding, applied one after the other as the light bulb offers them on the new text.
  let seq = text;
  for (let round = 0; round < 20; round++) {
    const now = reanalyze(seq);
    const f = now.findings.find((x) => computeFixes(seq, now.bound, x).some((y) => y.isPreferred));
    if (!f) break;
    const d = findingToDiagnostic(f, URI, { relatedInformation: true, codeDescription: true });
    const a = codeActions({ uri: URI, version: 3 + round, text: seq, analysis: now }, { diagnostics: [d], only: ['quickfix'], documentChanges: true, reanalyze }).find((x) => x.isPreferred);
    if (!a) break;
    const next = applyEdits(seq, actionEdits(a));
    report(`one after the other: "${a.title}"`, added(errorsBefore, errorsOf(reanalyze(next))).map((e) => `new error ${e}`));
    report(`one after the other: "${a.title}"`, layoutProblems(seq, actionEdits(a), next));
    report(`one after the other: "${a.title}"`, kindChanges(baseline, next));
    seq = next;
  }
  // The preferred fixes of all findings, offered together (the light bulb of each, applied one after the other).
  const preferred = before.findings.map((f) => computeFixes(text, before.bound, f).find((x) => x.isPreferred)).filter((x) => !!x);
  const merged = mergeEditLists(text, preferred.map((p) => p.edits));
  preferred.forEach((p, k) => { if (!merged.taken[k]) problems.push(`${name}: "${p.title}" conflicts with the preferred fixes before it`); });
  return { problems, applied, titles, results };
}

describe('every offered quick fix, applied to real edits of the newest api.proto', NEEDS_CORPUS, () => {
  const skipBuf = typeof BUF === 'string' ? BUF : undefined;
  for (const { name: edit, make, tag: oldTag, offers } of EDITS) {
    test(edit, { skip: skipBuf }, () => {
      const tag = oldTag ?? newestCorpusTag();
      const released = oldTag ? corpusText(oldTag) : newestCorpusText();
      const history = loadBundledHistory();
      const model = history.modelAt(tag) ?? bind(parse(released), 'old').model;
      const baseline: Baseline = { tag, source: 'bundled', origin: 'test', model, history };
      const problems: string[] = [];
      let asReleased: Map<string, string> | undefined;
      for (const [layout, lay] of LAYOUTS) {
        const c = check(`${edit}, ${layout}`, lay(make(released)), baseline);
        // A fix does in each layout what it does in the released one, in that layout (but where it wraps the lines of
        // a comment: at the width the file's own comments keep to, which changes with their indentation).
        asReleased ??= c.results;
        for (const [what, out] of c.results) {
          const expected = asReleased.get(what);
          if (expected !== undefined && unwrapped(lay(expected)) !== unwrapped(out)) problems.push(`${edit}, ${layout}: ${what}: not the released layout's result in this layout:\n${firstDifference(lay(expected), out)}`);
        }
        assert.ok(c.applied > 0, `${edit}, ${layout}: no fix offered`);
        for (const title of offers) assert.ok([...c.titles].some((x) => title.test(x)), `${edit}, ${layout}: no fix ${title} among ${[...c.titles].join('; ')}`);
        problems.push(...c.problems);
      }
      assert.deepEqual(problems, []);
    });
  }
});
