// Replays a real change to api.proto as an author types it, keystroke by keystroke, and collects what the editor
// shows away from the cursor that neither the file before nor the file after the change shows: a released
// declaration reported deleted because a half-typed line took it in, a `}` reported missing at the end of the file.
// Used by test/typing.test.ts (sampled keystrokes) and scripts/replay-typing.ts (every keystroke).
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { Baseline } from '../server/src/baseline/types';
import type { ProtoFile } from '../server/src/proto/ast';
import { analyze } from '../server/src/service';

/** Consecutive minor releases whose api.proto differs: the changes the typing replay types. */
export const TYPED_RELEASES: [from: string, to: string][] = [
  ['v0.29.0', 'v0.30.0'],
  ['v0.30.0', 'v0.31.0'],
  ['v0.31.0', 'v0.32.0'],
  ['v0.32.0', 'v0.33.0'],
  ['v0.33.0', 'v0.34.0'],
  ['v0.35.0', 'v0.36.0'],
  ['v0.36.0', 'v0.37.0-beta.0'],
];

/**
 * Declarations typed into the newest release, each on new lines after `anchor`, whose keystrokes once took released
 * declarations: `extend a.` read the next line's field type as the rest of its name, `extend a.b {` in a service
 * ended the service there, `option (x) = {` took every rpc after it into its value, and `oneof x { string a = 1;` in
 * a service or an enum was skipped as a block up to the service's or enum's `}`; `\tmessage Foo {` took the fields
 * indented by four spaces after it, a tab counted as one column; `rpc Foo(A) returns (B) {` in a message, with
 * `option (x) = {` below it, skipped every declaration to the end of the file; `message Foo {` in a service, with a
 * field indented below it, ended the service. An aggregate typed as a message's last member took the message's `}`.
 */
export const TYPED_DECLARATIONS: [anchor: string, typed: string][] = [
  ['message VersionRequest {\n', '    extend a.b {\n        string foo = 100;\n    }\n'],
  ['message VersionResponse {\n', '    extend .runtime.v1.VersionRequest {\n        string foo = 100;\n    }\n'],
  ['    rpc Version(VersionRequest) returns (VersionResponse) {}\n', '    extend a.b {\n    }\n'],
  ['service RuntimeService {\n', '    option (x) = {\n        a: 1\n    };\n'],
  ['message VersionResponse {\n', '    string foo = 9 [(x) = {\n        a: 1\n    }];\n'],
  ['    UDP = 1;\n', '    FOO = 3 [deprecated = true];\n'],
  ['    rpc Version(VersionRequest) returns (VersionResponse) {}\n', '    oneof x { string a = 1; }\n'],
  ['    rpc Version(VersionRequest) returns (VersionResponse) {}\n', '    message Foo { string a = 1; }\n'],
  ['    UDP = 1;\n', '    oneof x { string a = 1; }\n'],
  ['message ExecSyncResponse {\n', '\tmessage Foo {\n\t\tstring a = 1;\n\t}\n'],
  ['message VersionRequest {\n    // Version of the kubelet runtime API.\n    string version = 1;\n', '    option (x) = {\n        a: 1\n    };\n'],
  ['message VersionResponse {\n', '    rpc Foo(A) returns (B) {\n        option (x) = {\n            a: 1\n        };\n    }\n'],
  ['service RuntimeService {\n', '    message Foo {\n        string a = 1;\n    }\n'],
];

/** A TYPED_DECLARATIONS entry as a report names it: its first line, and where it is typed. */
export function typedLabel([anchor, typed]: readonly [string, string]): string {
  return `${typed.split('\n')[0]!.trim()} after ${anchor.trim().split('(')[0]}`;
}

/** Lines `oldStart` … `oldStart + removed.length - 1` of the old text become `added`. */
interface Hunk {
  oldStart: number;
  removed: string[];
  added: string[];
}

/** The line diff of `a` and `b` (longest common subsequence), as hunks of consecutive changed lines. */
function lineDiff(a: readonly string[], b: readonly string[]): Hunk[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const n = a.length - pre - suf;
  const m = b.length - pre - suf;
  // lcs[i * (m + 1) + j]: the common subsequence of a[pre + i ..] and b[pre + j ..] in the middle.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = a[pre + i] === b[pre + j] ? lcs[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
    }
  }
  const hunks: Hunk[] = [];
  let cur: Hunk | undefined;
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[pre + i] === b[pre + j]) {
      cur = undefined;
      i++;
      j++;
      continue;
    }
    if (!cur) hunks.push((cur = { oldStart: pre + i, removed: [], added: [] }));
    if (j < m && (i === n || lcs[i * (m + 1) + j + 1]! >= lcs[(i + 1) * (m + 1) + j]!)) cur.added.push(b[pre + j++]!);
    else cur.removed.push(a[pre + i++]!);
  }
  return hunks;
}

/** One keystroke's text. */
export interface Keystroke {
  text: string;
  /** The lines being edited, with one line either side (0-based, inclusive). */
  editFrom: number;
  editTo: number;
  /** The character before the cursor: the one just typed, or the one a deletion left there. */
  char: string;
  /** The keystroke ends the hunk's deletion or typing of a line. */
  lineEnd: boolean;
  /** The line being edited is a `//` comment. */
  comment: boolean;
}

/**
 * The texts between `old` and `old` with `hunk` applied. Added lines alone are typed one character at a time at the
 * end of the line above them (Enter first, as an author opens a line); where lines change, what differs between
 * their old and new text (without what both start and end with) is deleted one character at a time from its end,
 * and the new text typed in its place.
 */
function* keystrokes(old: string, hunk: Hunk): Generator<Keystroke> {
  if (hunk.removed.length > 1 && hunk.removed.length === hunk.added.length) {
    // As many lines as before: each rewritten in place, one after the other.
    let text = old;
    for (let i = 0; i < hunk.removed.length; i++) {
      if (hunk.removed[i] === hunk.added[i]) continue;
      for (const k of keystrokes(text, { oldStart: hunk.oldStart + i, removed: [hunk.removed[i]!], added: [hunk.added[i]!] })) {
        text = k.text;
        yield k;
      }
    }
    return;
  }
  let at = 0;
  for (let k = 0, line = 0; line < hunk.oldStart; k++) if (old[k] === '\n') (line++, (at = k + 1));
  const removed = hunk.removed.map((l) => l + '\n').join('');
  const added = hunk.added.map((l) => l + '\n').join('');
  let pre = 0;
  let suf = 0;
  let startLine = hunk.oldStart;
  if (!removed) {
    // Typed after the line above's end (or before the first line, the line break last).
    if (at > 0) (at--, startLine--, (pre = 1));
  } else {
    while (pre < removed.length && pre < added.length && removed[pre] === added[pre]) pre++;
    const most = Math.min(removed.length, added.length) - pre;
    while (suf < most && removed[removed.length - 1 - suf] === added[added.length - 1 - suf]) suf++;
    // Across lines, an author deletes from the end of the last line, not from before the text it ends with.
    if (removed.slice(pre, removed.length - suf).includes('\n') || added.slice(pre, added.length - suf).includes('\n')) suf = 1;
    for (let k = 0; k < pre; k++) if (removed[k] === '\n') startLine++;
  }
  const typing = !removed && at > 0 ? '\n' + added.slice(0, -1) : added.slice(pre, added.length - suf);
  const head = old.slice(0, at + (removed ? pre : 0));
  const tail = old.slice(at + removed.length - suf);
  const state = (middle: string, lineEnd: boolean): Keystroke => {
    const lines = middle.split('\n').length - 1;
    const text = head + middle + tail;
    const at = head.length + middle.length;
    const comment = text.slice(text.lastIndexOf('\n', at - 1) + 1, at).trimStart().startsWith('//');
    return { text, editFrom: startLine - 1, editTo: startLine + lines + 1, char: text.charAt(at - 1), lineEnd, comment };
  };
  const deleting = removed.slice(pre, removed.length - suf);
  for (let k = deleting.length - 1; k >= 0; k--) yield state(deleting.slice(0, k), k === 0 || deleting[k - 1] === '\n');
  for (let k = 1; k <= typing.length; k++) yield state(typing.slice(0, k), k === typing.length || typing[k] === '\n');
}

/** The texts of typing `old` → `next`, keystroke by keystroke: one list per hunk, each typed from `old` (as replay types them). */
export function typedHunks(old: string, next: string): string[][] {
  return lineDiff(old.split('\n'), next.split('\n')).map((h) => [...keystrokes(old, h)].map((k) => k.text));
}

/** A diagnostic as the replay compares them: by what it says (see shown), at its 0-based line. */
interface Shown {
  key: string;
  line: number;
}

/** What the editor shows for `text` against `baseline`: syntax and binding problems and findings. */
function shown(text: string, baseline: Baseline, editor?: { previous?: ProtoFile }): Shown[] {
  // With the tree of the version analysed before, as the editor analyses a file being typed (see reparse.ts).
  const a = analyze(text, { uri: 'file:///work/api.proto', baseline, ...(editor?.previous ? { previous: editor.previous } : {}) });
  if (editor) editor.previous = a.bound.ast;
  const out: Shown[] = [];
  for (const p of a.bound.problems) out.push({ key: `${p.code}: ${p.message}`, line: p.range.start.line });
  // By rule and element: a message that quotes what is being typed (a doc comment's new words) changes as it is.
  for (const f of a.findings) out.push({ key: `${f.rule} ${f.element}`, line: f.range.start.line });
  return out;
}

/**
 * A keystroke sampled for the test: every `every`-th, every line's end, and, outside comments, every one that leaves
 * before the cursor a character that ends or opens a part of a declaration (`{`, `}`, `;`, `=`, `(`, `[`, `.`).
 */
export function sampled(k: Keystroke, n: number, every: number): boolean {
  return n % every === 0 || k.lineEnd || (!k.comment && '{};=([.'.includes(k.char));
}

export interface Transient {
  hunk: number;
  keystroke: number;
  /** The lines being edited, 1-based, and what is shown away from them. */
  editing: string;
  line: number;
  key: string;
}

export interface ReplayResult {
  hunks: number;
  keystrokes: number;
  transients: Transient[];
  /**
   * Shown on the declaration below a comment being typed, with only comments between: the comment documents it
   * until the declaration being typed comes between them, as protoc attaches comments. Not counted as transients.
   */
  documented: Transient[];
}

/** The last line of the declaration that a comment typed on line `last` documents (itself, if `last` is none). */
function documentedBy(lines: readonly string[], last: number): number {
  if (!lines[last]?.trimStart().startsWith('//')) return last;
  let j = last + 1;
  while (lines[j]?.trimStart().startsWith('//')) j++;
  return j;
}

/**
 * Replays every hunk of `old` → `next` on its own, from `old`, against `old` as the baseline. `keep` picks the
 * keystrokes analysed (all by default). A diagnostic is transient where it is shown more than a line away from
 * the lines being edited, and neither `old` nor `old` with the hunk applied shows it.
 */
export function replay(old: string, next: string, keep: (k: Keystroke, n: number) => boolean = () => true): ReplayResult {
  const baseline: Baseline = { tag: 'v0.0.0-typing', source: 'path', origin: 'test', model: bind(parse(old), 'old.proto').model };
  const oldLines = old.split('\n');
  const hunks = lineDiff(oldLines, next.split('\n'));
  const before = new Set(shown(old, baseline).map((s) => s.key));
  const result: ReplayResult = { hunks: hunks.length, keystrokes: 0, transients: [], documented: [] };
  hunks.forEach((h, hi) => {
    const end = [...oldLines.slice(0, h.oldStart), ...h.added, ...oldLines.slice(h.oldStart + h.removed.length)].join('\n');
    const after = new Set(shown(end, baseline).map((s) => s.key));
    let n = 0;
    const editor = {};
    for (const k of keystrokes(old, h)) {
      n++;
      if (!keep(k, n)) continue;
      result.keystrokes++;
      let documented: number | undefined;
      for (const s of shown(k.text, baseline, editor)) {
        if (s.line >= k.editFrom && s.line <= k.editTo) continue;
        if (before.has(s.key) || after.has(s.key)) continue;
        const t = { hunk: hi, keystroke: n, editing: `${k.editFrom + 2}-${k.editTo}`, line: s.line + 1, key: s.key };
        documented ??= documentedBy(k.text.split('\n'), k.editTo - 1);
        (s.line > k.editTo && s.line <= documented ? result.documented : result.transients).push(t);
      }
    }
  });
  return result;
}
