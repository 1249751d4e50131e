// Robustness fuzzer for the whole language-service pipeline: parse → bind → analyze (against a real
// baseline with release history) → quick fixes for every finding → hover at random positions → report.
//
// Inputs are mutations of every distinct real api.proto blob of the corpus (tokens and lines deleted,
// duplicated and swapped; truncation at every 97th byte; invalid UTF-8 and NUL bytes decoded with
// replacement as the server's stream decoder does; numbers and names replaced), plus extreme inputs: 1 MB
// identifiers, 10,000-digit numbers, 10,000 levels of nested messages and option aggregates, a 10 MB file,
// tens of thousands of RPCs, services, messages or members, and pairs of such files (a baseline file and the
// file compared with it) where every element is deleted, renamed or moved.
//
// Cases are deterministic: case `i` of seed `s` is always the same text, so a failure is reproduced with
// `FUZZ_SEED=s FUZZ_ONLY=i node out/fuzz/long.js`, and the failing text is also written to a file.
//
// The run happens in a worker thread so that the main thread can (1) cap its heap (`resourceLimits`: an
// unbounded allocation fails the run instead of the machine), and (2) watch for hangs: the worker publishes
// the index of the case it is on in shared memory, and the main thread terminates it when one case runs
// longer than `hangMs`, naming the case. A test entry calls `runFuzz`; the same bundled file serves as the
// worker's script, so every entry must start with `if (isFuzzWorker()) fuzzWorkerMain(); else …`.

import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { parse } from '../../server/src/proto/parser';
import { bind } from '../../server/src/proto/binder';
import { analyze } from '../../server/src/service';
import { reparse } from '../../server/src/proto/reparse';
import { plainTree } from '../reparseCheck';
import { isDeepStrictEqual } from 'node:util';
import { doHover } from '../../server/src/features/hover';
import { renderReport } from '../../server/src/report/markdown';
import { loadBundledHistory } from '../../server/src/baseline/historyIndex';
import { Corpus, V1_PATH, V1ALPHA2_PATH } from '../../server/src/baseline/corpus';
import type { Baseline } from '../../server/src/baseline/types';
import type { Position } from '../../server/src/proto/ast';
import { applyEdits, computeFixes, fixAll } from '../../server/src/fixes';
import { codeActions } from '../../server/src/lsp/codeActions';
import { toDiagnostics } from '../../server/src/lsp/convert';

// ---- configuration and results -------------------------------------------------------------------------

export interface FuzzConfig {
  seed: number;
  corpusDir: string;
  /** Random multi-mutation cases. */
  randomCases: number;
  /** Truncation at every 97th byte: 'all' offsets of every blob, or this many sampled (blob, offset) pairs. */
  truncations: 'all' | number;
  /**
   * The extreme inputs (1 MB names, 10,000-digit numbers, 10,000 levels, 10 MB file): 'all' of them against
   * the newest and the oldest release, or the 'core' set (one of each kind) against the newest.
   */
  extremes: 'all' | 'core' | 'none';
  /** Hover requests per case (plus two past the end). */
  hoversPerCase: number;
  /** A case slower than this is reported as slow (the small run fails on it). */
  maxCaseMs: number;
  /** A case running longer than this is a hang: the worker is terminated. */
  hangMs: number;
  /** V8 old-generation cap for the worker, MB. */
  heapLimitMb: number;
  /** Run only these case indices (reproduction). */
  only?: number[];
  /** Where failing inputs are written. */
  reproDir?: string;
  /** Progress lines every this many ms (0: none). */
  progressMs?: number;
}

export interface CaseFailure {
  index: number;
  name: string;
  stage: string;
  error: string;
  /** Files holding the failing input (JSON keeps lone surrogates; .proto is for reading). */
  reproducer?: string;
  /** Command that reruns exactly this case. */
  rerun: string;
}

export type FatalFailure = CaseFailure & { kind: 'hang' | 'out-of-memory' | 'worker-error' };

export interface FuzzResult {
  seed: number;
  cases: number;
  planned: number;
  /** Cases by family (original, truncate, random, extreme). */
  byKind: Record<string, number>;
  worst: { ms: number; name: string; index: number };
  /** Worst time per family. */
  worstByKind: Record<string, { ms: number; name: string }>;
  /** Total ms per stage. */
  stageMs: Record<string, number>;
  slow: { index: number; name: string; ms: number; stage?: string; rerun: string }[];
  failures: CaseFailure[];
  /** Distinct failure signatures seen (failures beyond the first per signature are only counted). */
  failureCount: number;
  findings: number;
  fixes: number;
  hovers: number;
  totalMs: number;
  peakHeapMb: number;
  /** Heap after the run minus heap before it, both after a full GC (MB); a leak shows here. */
  retainedHeapMb: number;
  /** Cases that killed the worker: a hang (terminated) or running out of its heap cap. The run goes on after each. */
  fatals: FatalFailure[];
}

// ---- PRNG ----------------------------------------------------------------------------------------------

/** mulberry32: tiny, fast, good enough for fuzzing, and identical everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private readonly f: () => number;
  constructor(seed: number) {
    this.f = mulberry32(seed);
  }
  next(): number {
    return this.f();
  }
  int(n: number): number {
    return Math.floor(this.f() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.f() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

/** A seed per (run seed, case index), so that any case can be regenerated on its own. */
function caseSeed(seed: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (index + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

// ---- the plan: every case as a small descriptor ------------------------------------------------------------

export type CaseSpec =
  | { kind: 'original'; blob: string }
  | { kind: 'truncate'; blob: string; offset: number }
  | { kind: 'extreme'; name: string; base: 'newest' | 'oldest' | 'file' }
  | { kind: 'random'; blob: string; seed: number };

export const TRUNCATE_STRIDE = 97;

interface Blob {
  sha: string;
  pkg: 'runtime.v1' | 'runtime.v1alpha2';
  text: string;
  bytes: Buffer;
}

export class CaseSource {
  readonly blobs: Blob[];
  readonly plan: CaseSpec[];
  private readonly bySha = new Map<string, Blob>();
  /** Newest v1 text: the base of the extreme cases. */
  readonly newestV1: string;

  constructor(readonly config: FuzzConfig) {
    const corpus = new Corpus(config.corpusDir);
    const pkgOf = new Map<string, Blob['pkg']>();
    for (const r of corpus.rows) {
      if (r.path === V1_PATH) pkgOf.set(r.blob, 'runtime.v1');
      else if (r.path === V1ALPHA2_PATH && !pkgOf.has(r.blob)) pkgOf.set(r.blob, 'runtime.v1alpha2');
    }
    this.blobs = corpus.blobs().sort().map((sha) => {
      const text = corpus.text(sha);
      return { sha, pkg: pkgOf.get(sha) ?? 'runtime.v1', text, bytes: Buffer.from(text, 'utf8') };
    });
    for (const b of this.blobs) this.bySha.set(b.sha, b);
    const newest = corpus.goTags(V1_PATH).filter((r) => !r.prerelease).at(-1);
    this.newestV1 = newest ? corpus.text(newest.blob) : this.blobs[0]!.text;
    this.plan = this.makePlan();
  }

  blob(sha: string): Blob {
    return this.bySha.get(sha)!;
  }

  private makePlan(): CaseSpec[] {
    const c = this.config;
    const rng = new Rng(caseSeed(c.seed, -1));
    const plan: CaseSpec[] = [];
    for (const b of this.blobs) plan.push({ kind: 'original', blob: b.sha });
    if (c.extremes === 'all') {
      for (const base of ['newest', 'oldest'] as const) for (const name of Object.keys(EXTREMES)) plan.push({ kind: 'extreme', name, base });
      // These bring their own baseline: once each.
      for (const name of Object.keys(EXTREME_PAIRS)) plan.push({ kind: 'extreme', name, base: 'file' });
    } else if (c.extremes === 'core') {
      for (const name of CORE_EXTREMES) plan.push({ kind: 'extreme', name, base: 'newest' });
    }
    if (c.truncations === 'all') {
      for (const b of this.blobs) for (let o = TRUNCATE_STRIDE; o < b.bytes.length; o += TRUNCATE_STRIDE) plan.push({ kind: 'truncate', blob: b.sha, offset: o });
    } else {
      // Sampled offsets, round-robin over the blobs so that each one is cut somewhere.
      for (let k = 0; k < c.truncations; k++) {
        const b = this.blobs[k % this.blobs.length]!;
        const n = Math.floor((b.bytes.length - 1) / TRUNCATE_STRIDE);
        plan.push({ kind: 'truncate', blob: b.sha, offset: TRUNCATE_STRIDE * (1 + rng.int(Math.max(1, n))) });
      }
    }
    // Round-robin over the blobs too: every real api.proto gets mutated.
    for (let k = 0; k < c.randomCases; k++) plan.push({ kind: 'random', blob: this.blobs[k % this.blobs.length]!.sha, seed: caseSeed(c.seed, k) });
    return plan;
  }

  /** The case's text and a readable name. */
  materialize(index: number): { name: string; text: string; pkg: Blob['pkg']; rng: Rng; base?: 'newest' | 'oldest'; baselineText?: string; lightBulb?: boolean } {
    const spec = this.plan[index]!;
    const rng = new Rng(caseSeed(this.config.seed, 1_000_000 + index));
    switch (spec.kind) {
      case 'original': {
        const b = this.blob(spec.blob);
        return { name: `original ${b.sha.slice(0, 8)}`, text: b.text, pkg: b.pkg, rng };
      }
      case 'truncate': {
        const b = this.blob(spec.blob);
        return { name: `truncate ${b.sha.slice(0, 8)} at byte ${spec.offset}`, text: decode(b.bytes.subarray(0, spec.offset)), pkg: b.pkg, rng };
      }
      case 'extreme': {
        if (spec.base === 'file') {
          const pair = EXTREME_PAIRS[spec.name]!(this.newestV1, rng);
          return { name: `extreme ${spec.name} vs its baseline file`, text: pair.current, baselineText: pair.baseline, pkg: 'runtime.v1', rng, ...(pair.lightBulb ? { lightBulb: true } : {}) };
        }
        return { name: `extreme ${spec.name} vs ${spec.base}`, text: EXTREMES[spec.name]!(this.newestV1, rng), pkg: 'runtime.v1', rng, base: spec.base };
      }
      case 'random': {
        const b = this.blob(spec.blob);
        const r = new Rng(spec.seed);
        const n = r.range(1, 6);
        let text = b.text;
        const names: string[] = [];
        for (let k = 0; k < n; k++) {
          const op = r.pick(OPS);
          names.push(op.name);
          text = op.run(text, r, this);
        }
        return { name: `random ${b.sha.slice(0, 8)} [${names.join(', ')}]`, text, pkg: b.pkg, rng };
      }
    }
  }
}

/** Bytes to text as the server's stream decoder does: invalid UTF-8 becomes U+FFFD. */
export function decode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

// ---- mutations -------------------------------------------------------------------------------------------

/** A crude tokenizer independent of the one under test: names, numbers, strings, comments, single chars. */
const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|"(?:[^"\\\n]|\\.)*"|\/\/[^\n]*|\/\*[\s\S]*?\*\/|\S/g;

function tokens(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const m of text.matchAll(TOKEN)) out.push({ start: m.index!, end: m.index! + m[0].length });
  return out;
}

function randomTokens(text: string, rng: Rng, filter?: RegExp): { start: number; end: number }[] {
  const all = tokens(text);
  return filter ? all.filter((t) => filter.test(text.slice(t.start, t.end))) : all;
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

function lines(text: string): string[] {
  return text.split('\n');
}

const SNIPPETS = [
  '{', '}', '{{', '}}', ';', ';;;', '[', ']', '(', ')', '<', '>', '=', ',', '.', '-', '+', ':', '/',
  'message', 'message X {', 'message X', 'enum E {', 'enum', 'service S {', 'rpc R(', 'rpc R(A) returns (B);', 'returns', 'stream',
  'oneof o {', 'map<', 'map<string, bytes> m = 1;', 'map<float, X> m = 2;', 'group G = 3 {', 'extend .google.protobuf.FieldOptions {',
  'extensions 100 to max;', 'reserved 1 to max;', 'reserved 5, 9 to 11, "foo";', 'reserved -1;', 'reserved 10 to 1;',
  'option (a).b = {', 'option (a.b).c = { x: [1, 2] y { z: "q" } };', 'option deprecated = true;', '[deprecated = true]', '[json_name = "x"]',
  '[packed = true, (x) = 1', 'option allow_alias = true;', 'syntax = "proto2";', 'syntax = "proto3";', 'syntax = "proto4";', 'edition = "2023";',
  'package a.b;', 'package .x;', 'import "google/protobuf/empty.proto";', 'import public "x.proto";', 'import weak "y.proto";',
  'optional', 'repeated', 'required', 'string s = 0;', 'int32 n = 19000;', 'int64 n = 536870912;', 'bool b = -1;', 'X x = 0x1f;', 'Y y = 017;',
  '.runtime.v1.', 'runtime.v1.PodSandboxConfig', '.Foo.Bar', 'max', 'to', '0x', '0X7fffffff', '99999999999999999999', '-2147483649', '1e400',
  '.5', '1foo', '"unterminated', "'single'", '"\\x"', '"\\u12"', '"\\U0011ffff"', '"\\777"', '/*', '*/', '//', '// cri-compat:ignore',
  '// cri-compat:ignore ALL reason: x', '/* nested /* */', '\r', '\r\n', '\n\n\n', '\t', '\v', '\f', '\u2028', '\u00a0', '\ufeff',
  '\ud800', '\udc00', '\ud83d\ude00', '\u0000', '\u0001', 'é', '名前', '\\', '`', '#', '$', '@', '?', '!', '%', '&', '|', '~', '^',
];

interface Op {
  name: string;
  run(text: string, rng: Rng, src: CaseSource): string;
}

const OPS: Op[] = [
  { name: 'delete-token', run: (t, r) => { const ts = tokens(t); if (!ts.length) return t; const k = r.pick(ts); return splice(t, k.start, k.end, ''); } },
  { name: 'duplicate-token', run: (t, r) => { const ts = tokens(t); if (!ts.length) return t; const k = r.pick(ts); return splice(t, k.end, k.end, ' ' + t.slice(k.start, k.end)); } },
  {
    name: 'swap-tokens',
    run: (t, r) => {
      const ts = tokens(t);
      if (ts.length < 2) return t;
      let a = r.pick(ts), b = r.pick(ts);
      if (a.start > b.start) [a, b] = [b, a];
      if (a === b) return t;
      return t.slice(0, a.start) + t.slice(b.start, b.end) + t.slice(a.end, b.start) + t.slice(a.start, a.end) + t.slice(b.end);
    },
  },
  { name: 'delete-braces', run: (t, r) => { const ts = randomTokens(t, r, /^[{}]$/); for (let k = r.range(1, 3); k > 0 && ts.length; k--) { const x = ts.splice(r.int(ts.length), 1)[0]!; t = splice(t, x.start, x.end, ' '); } return t; } },
  { name: 'delete-line', run: (t, r) => { const ls = lines(t); ls.splice(r.int(ls.length), 1); return ls.join('\n'); } },
  { name: 'delete-lines', run: (t, r) => { const ls = lines(t); ls.splice(r.int(ls.length), r.range(2, 200)); return ls.join('\n'); } },
  { name: 'duplicate-line', run: (t, r) => { const ls = lines(t); const k = r.int(ls.length); ls.splice(k, 0, ls[k]!); return ls.join('\n'); } },
  { name: 'duplicate-lines', run: (t, r) => { const ls = lines(t); const k = r.int(ls.length); ls.splice(k, 0, ...ls.slice(k, k + r.range(2, 100))); return ls.join('\n'); } },
  { name: 'swap-lines', run: (t, r) => { const ls = lines(t); const a = r.int(ls.length), b = r.int(ls.length); [ls[a], ls[b]] = [ls[b]!, ls[a]!]; return ls.join('\n'); } },
  { name: 'insert-snippet', run: (t, r) => { const at = r.int(t.length + 1); return splice(t, at, at, r.pick(SNIPPETS)); } },
  { name: 'insert-snippet-line', run: (t, r) => { const ls = lines(t); ls.splice(r.int(ls.length + 1), 0, r.pick(SNIPPETS)); return ls.join('\n'); } },
  {
    name: 'replace-number',
    run: (t, r) => {
      const ts = randomTokens(t, r, /^\d/);
      if (!ts.length) return t;
      const k = r.pick(ts);
      const n = r.pick(['0', '1', '2', '-1', '19000', '19999', '536870911', '536870912', '2147483647', '2147483648', '9007199254740993', '0x1F', '077', '08', '1.5', '1e5', String(r.int(2000)), '9'.repeat(r.range(20, 400))]);
      return splice(t, k.start, k.end, n);
    },
  },
  {
    name: 'replace-name',
    run: (t, r) => {
      const ts = randomTokens(t, r, /^[A-Za-z_]/);
      if (ts.length < 2) return t;
      const k = r.pick(ts), w = r.pick(ts);
      return splice(t, k.start, k.end, r.chance(0.2) ? r.pick(['message', 'enum', 'option', 'reserved', 'max', 'map', 'stream', 'returns', 'group', 'oneof', 'syntax', 'package', 'import', 'rpc', 'service']) : t.slice(w.start, w.end));
    },
  },
  {
    name: 'rename-everywhere',
    run: (t, r) => {
      const ts = randomTokens(t, r, /^[A-Z]/);
      if (!ts.length) return t;
      const k = r.pick(ts);
      const word = t.slice(k.start, k.end);
      return t.replace(new RegExp(`\\b${word}\\b`, 'g'), r.chance(0.5) ? word + 'X' : r.pick(['', 'string', 'int32', '.', 'a.b.c']));
    },
  },
  {
    name: 'invalid-utf8',
    run: (t, r) => {
      const b = Buffer.from(t, 'utf8');
      const at = r.int(b.length + 1);
      const bad = r.pick([[0x80], [0xbf], [0xc0, 0x80], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xff, 0xfe], [0xfe]]);
      const out = Buffer.concat([b.subarray(0, at), Buffer.from(bad), b.subarray(at)]);
      return decode(out);
    },
  },
  {
    name: 'random-bytes',
    run: (t, r) => {
      const b = Buffer.from(t, 'utf8');
      const at = r.int(b.length + 1);
      const junk = Buffer.alloc(r.range(1, 64));
      for (let k = 0; k < junk.length; k++) junk[k] = r.int(256);
      return decode(Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]));
    },
  },
  { name: 'nul-bytes', run: (t, r) => { let out = t; for (let k = r.range(1, 8); k > 0; k--) { const at = r.int(out.length + 1); out = splice(out, at, at, '\0'.repeat(r.range(1, 4))); } return out; } },
  { name: 'lone-surrogate', run: (t, r) => { const at = r.int(t.length + 1); return splice(t, at, at, r.pick(['\ud800', '\udfff', '\udbff\udbff'])); } },
  { name: 'truncate', run: (t, r) => t.slice(0, r.int(t.length + 1)) },
  { name: 'truncate-bytes', run: (t, r) => { const b = Buffer.from(t, 'utf8'); return decode(b.subarray(0, r.int(b.length + 1))); } },
  {
    name: 'splice-other-blob',
    run: (t, r, src) => {
      const other = lines(r.pick(src.blobs).text);
      const from = r.int(other.length);
      const ls = lines(t);
      ls.splice(r.int(ls.length + 1), 0, ...other.slice(from, from + r.range(1, 300)));
      return ls.join('\n');
    },
  },
  { name: 'line-endings', run: (t, r) => t.replace(/\n/g, r.pick(['\r\n', '\r', '\n\r', '\u2028'])) },
  { name: 'mixed-line-endings', run: (t, r) => t.replace(/\n/g, () => r.pick(['\r\n', '\r', '\n'])) },
  { name: 'strip-whitespace', run: (t) => t.replace(/\s+/g, ' ') },
  { name: 'strip-comments', run: (t) => t.replace(/\/\/[^\n]*/g, '') },
  { name: 'shuffle-top-level', run: (t, r) => { const parts = t.split(/\n(?=message |enum |service )/); for (let k = parts.length - 1; k > 0; k--) { const j = r.int(k + 1); [parts[k], parts[j]] = [parts[j]!, parts[k]!]; } return parts.join('\n'); } },
  { name: 'to-proto2', run: (t) => t.replace('syntax = "proto3";', 'syntax = "proto2";') },
  { name: 'to-editions', run: (t) => t.replace('syntax = "proto3";', 'edition = "2023";') },
  { name: 'package-change', run: (t, r) => t.replace(/package\s+[^;]*;/, r.pick(['package runtime.v2;', 'package runtime.v1alpha2;', 'package runtime.v1;', 'package ;', 'package runtime..v1;', ''])) },
  { name: 'comment-out', run: (t, r) => { const ls = lines(t); const k = r.int(ls.length); for (let j = k; j < Math.min(ls.length, k + r.range(1, 50)); j++) ls[j] = '// ' + ls[j]; return ls.join('\n'); } },
  { name: 'unterminated-block-comment', run: (t, r) => { const at = r.int(t.length + 1); return splice(t, at, at, '/*'); } },
  { name: 'unterminated-string', run: (t, r) => { const at = r.int(t.length + 1); return splice(t, at, at, '"'); } },
];

// ---- extreme inputs ----------------------------------------------------------------------------------------

const MB = 1 << 20;
const DEEP = 10_000;

function ident(n: number): string {
  return 'A' + 'a'.repeat(n - 1);
}

function nested(open: (k: number) => string, close: string, depth = DEEP): string {
  const parts: string[] = [];
  for (let k = 0; k < depth; k++) parts.push(open(k));
  return parts.join('') + close.repeat(depth);
}

const HEADER = 'syntax = "proto3";\npackage runtime.v1;\n';

export const EXTREMES: Record<string, (base: string, rng: Rng) => string> = {
  'identifier-1MB-message-everywhere': (b) => b.replace(/\bVersionRequest\b/g, ident(MB)),
  'identifier-1MB-field-name': (b) => b + `\nmessage Huge {\n  string ${'a'.repeat(MB)} = 1;\n}\n`,
  'identifier-1MB-unresolved-type': (b) => b + `\nmessage Huge {\n  ${ident(MB)} x = 1;\n}\n`,
  'identifier-1MB-enum-value': (b) => b + `\nenum Huge {\n  ${'A'.repeat(MB)} = 0;\n}\n`,
  'identifier-1MB-rpc': (b) => b.replace('rpc Version(', `rpc ${ident(MB)}(`),
  'dotted-name-1MB-type': (b) => b + `\nmessage Huge {\n  ${'a.'.repeat(MB / 2)}B x = 1;\n}\n`,
  'dotted-name-1MB-package': (b) => b.replace(/package\s+runtime\.v1;/, `package ${'a.'.repeat(MB / 2)}v1;`),
  'dotted-name-1MB-option': (b) => b + `\noption (${'a.'.repeat(MB / 2)}b).${'c.'.repeat(MB / 4)}d = 1;\n`,
  'dotted-name-1MB-package-unresolved': (b) => b.replace(/package\s+runtime\.v1;/, `package ${'a.'.repeat(MB / 2)}v1;`) + `\nmessage Huge {\n${Array.from({ length: 200 }, (_, k) => `  Missing${k} m${k} = ${k + 1};`).join('\n')}\n}\n`,
  'long-package-16k-components-unresolved': () => `${HEADER.replace('runtime.v1', 'a.'.repeat(16_000) + 'v1')}message M {\n${Array.from({ length: 1000 }, (_, k) => `  Missing${k} m${k} = ${k + 1};`).join('\n')}\n}\n`,
  'identifier-1MB-json-name': (b) => b + `\nmessage Huge {\n  string x = 1 [json_name = "${'j'.repeat(MB)}"];\n}\n`,
  'number-10k-digits-field': (b) => b + `\nmessage Huge {\n  string x = ${'9'.repeat(DEEP)};\n}\n`,
  'number-10k-digits-enum': (b) => b + `\nenum Huge {\n  H0 = 0;\n  H1 = -${'7'.repeat(DEEP)};\n}\n`,
  'number-10k-digits-reserved': (b) => b + `\nmessage Huge {\n  reserved ${'1'.repeat(DEEP)} to ${'2'.repeat(DEEP)}, 3 to max;\n}\n`,
  'number-10k-digits-hex-octal': (b) => b + `\nmessage Huge {\n  string x = 0x${'f'.repeat(DEEP)};\n  string y = 0${'7'.repeat(DEEP)};\n}\n`,
  'number-10k-digits-float-option': (b) => b + `\noption (f) = ${'1'.repeat(DEEP)}.${'5'.repeat(DEEP)}e${'9'.repeat(DEEP)};\n`,
  'number-10k-digits-existing-fields': (b) => b.replace(/= (\d+);/g, (_m, d: string) => `= ${d}${'0'.repeat(DEEP)};`),
  'nested-messages-10k': () => HEADER + nested((k) => `message M${k} {\n`, '}\n'),
  'nested-messages-10k-unclosed': () => HEADER + nested((k) => `message M${k} { string f${k} = ${k + 1};\n`, ''),
  'nested-messages-10k-one-line': () => HEADER + nested(() => 'message M{', '}'),
  'nested-enums-in-messages-10k': () => HEADER + nested((k) => `message M${k} { enum E${k} { V${k} = 0; }\n`, '}\n'),
  'nested-oneofs-10k': () => HEADER + 'message M {\n' + nested((k) => `oneof o${k} {\n`, '}\n') + '}\n',
  'nested-braces-10k': () => HEADER + 'message M ' + '{'.repeat(DEEP) + '}'.repeat(DEEP),
  'unbalanced-braces-100k': () => HEADER + 'message M ' + '{'.repeat(10 * DEEP),
  'closing-braces-100k': () => HEADER + '}'.repeat(10 * DEEP) + '\nmessage M {}\n',
  'nested-aggregate-10k-file-option': (b) => b + '\noption (o) = ' + nested(() => 'a {', '}') + ';\n',
  'nested-aggregate-10k-colon': (b) => b + '\noption (o) = ' + nested(() => 'a: {', '}') + ';\n',
  'nested-aggregate-10k-field-option': (b) => b + '\nmessage Huge {\n  string x = 1 [(o) = ' + nested(() => '{ a: ', '}') + '];\n}\n',
  'nested-aggregate-10k-enum-value-option': (b) => b + '\nenum Huge {\n  H0 = 0 [(o) = ' + nested(() => '{ a ', '}') + '];\n}\n',
  'nested-aggregate-10k-rpc-option': (b) => b.replace(/rpc Version\(VersionRequest\) returns \(VersionResponse\) \{\}/, 'rpc Version(VersionRequest) returns (VersionResponse) { option (o) = ' + nested(() => '{ a ', '}') + '; }'),
  'nested-aggregate-10k-unclosed': (b) => b + '\noption (o) = ' + nested(() => '{ a ', '') + '\nmessage After {}\n',
  'nested-brackets-10k': () => HEADER + 'message M { string x = 1 ' + '['.repeat(DEEP) + ']'.repeat(DEEP) + '; }\n',
  'nested-parens-10k': () => HEADER + 'service S { rpc R' + '('.repeat(DEEP) + 'A' + ')'.repeat(DEEP) + ' returns (B); }\nmessage A {}\nmessage B {}\n',
  'nested-option-names-10k': () => HEADER + 'option ' + '('.repeat(DEEP) + 'a' + ')'.repeat(DEEP) + ' = 1;\n',
  'nested-map-10k': () => HEADER + 'message M { ' + 'map<string, '.repeat(DEEP) + 'string' + '>'.repeat(DEEP) + ' m = 1; }\n',
  'nested-rpc-blocks-10k': () => HEADER + 'service S { rpc R(A) returns (B) ' + '{'.repeat(DEEP) + '}'.repeat(DEEP) + ' }\nmessage A {}\nmessage B {}\n',
  'nested-groups-10k': () => 'syntax = "proto2";\npackage p;\nmessage M {\n' + nested((k) => `optional group G${k} = ${k + 1} {\n`, '}\n') + '}\n',
  'file-10MB': (b) => {
    const parts: string[] = [];
    let n = 0;
    for (let k = 0; n < 10 * MB; k++) {
      const copy = k === 0 ? b : b.replace(/^(syntax|package|option go_package)[^\n]*$/gm, '');
      parts.push(copy);
      n += copy.length;
    }
    return parts.join('\n');
  },
  'long-line-1MB-tokens': (b) => b + '\nmessage Huge { ' + 'string x = 1; '.repeat(MB / 14) + '}\n',
  'long-comment-1MB': (b) => '// ' + 'c'.repeat(MB) + '\n' + b,
  'doc-comment-200k-lines': (b) => b.replace('message VersionRequest', '// x\n'.repeat(200_000) + 'message VersionRequest'),
  'doc-block-comment-200k-lines': (b) => b.replace('message VersionRequest', '/*\n' + ' * x\n'.repeat(200_000) + ' */\nmessage VersionRequest'),
  'comments-between-tokens-100k': (b) => b.replace('message VersionRequest {', 'message ' + '/* c */ '.repeat(100_000) + 'VersionRequest {'),
  'long-doc-comments-1MB': (b) => b.replace(/^(\s*)(message|rpc|enum) /gm, (_m, ws: string, kw: string) => `${ws}// ${'d '.repeat(2048)}\n${ws}${kw} `),
  'unterminated-block-comment-1MB': (b) => b + '\n/*' + ' *\n'.repeat(MB / 3),
  // Each unterminated `/*` searched the rest of the file for a `*/` (was 39 s).
  'unterminated-block-comments-100k-lines': (b) => b + '\n' + '/* c\n'.repeat(100_000),
  'long-string-1MB': (b) => b + `\noption (s) = "${'\\x41\\101\\u00e9'.repeat(MB / 14)}";\n`,
  'unterminated-strings-100k-lines': (b) => b + '\n' + '"\n'.repeat(100_000),
  'lines-1M-empty': (b) => '\n'.repeat(MB) + b,
  'lines-1M-cr': (b) => '\r'.repeat(MB) + b.replace(/\n/g, '\r'),
  'invalid-utf8-1MB': (_b, rng) => { const buf = Buffer.alloc(MB); for (let k = 0; k < MB; k++) buf[k] = 0x80 + rng.int(128); return decode(buf); },
  'random-bytes-1MB': (_b, rng) => { const buf = Buffer.alloc(MB); for (let k = 0; k < MB; k++) buf[k] = rng.int(256); return decode(buf); },
  'nul-1MB': (b) => b + '\0'.repeat(MB),
  'lone-surrogates-1MB': (b) => b + '\ud800'.repeat(MB / 2),
  'symbols-1MB': (_b, rng) => { let s = ''; for (let k = 0; k < MB / 8; k++) s += rng.pick(['{', '}', '[', ']', '(', ')', '<', '>', ';', '=', ',', '.', '-', ':']).repeat(8); return HEADER + s; },
  'fields-100k': () => HEADER + 'message M {\n' + Array.from({ length: 100_000 }, (_, k) => `  string f${k} = ${(k % 1000) + 1};\n`).join('') + '}\n',
  'messages-100k': () => HEADER + Array.from({ length: 100_000 }, (_, k) => `message M${k % 50_000} { M${(k * 7) % 100_000} x = 1; }\n`).join(''),
  'enum-values-100k': () => HEADER + 'enum E {\n' + Array.from({ length: 100_000 }, (_, k) => `  V${k % 70_000} = ${k % 1000};\n`).join('') + '}\n',
  'reserved-100k': () => HEADER + 'message M {\n  reserved ' + Array.from({ length: 100_000 }, (_, k) => `${k * 3 + 1} to ${k * 3 + 2}`).join(', ') + ';\n  string x = 5;\n}\n',
  // A changed doc of an existing message holding one 1 MB word of dots and dashes (trimming its end was quadratic).
  'doc-word-1MB-dots': (b) => b.replace('message VersionRequest {', `// a${'.-'.repeat(MB / 2)}b and ${'x'}${'.'.repeat(MB / 4)}\nmessage VersionRequest {`),
  // New RPCs of an existing service, undocumented: each looked up among all of them (was 59 s at 100k with `check`).
  'rpcs-50k-undocumented': (b) => b.replace(/service RuntimeService \{\n/, (m) => `${m}${many(50_000, (k) => `  rpc R${k}(VersionRequest) returns (VersionResponse);`)}\n`),
  // Documented: each doc also checked for a mention of every other RPC (was 279 s at 50k with `check`).
  'rpcs-50k-documented': (b) => b.replace(/service RuntimeService \{\n/, (m) => `${m}${many(50_000, (k) => `  // d.\n  rpc R${k}(VersionRequest) returns (VersionResponse);`)}\n`),
  // A new service of many RPCs whose docs name others, or say nothing about the order.
  // Members against many reservations of their message and enum: each member was checked against every range and name (binding took 12 s).
  'reserved-40k-ranges-and-names-of-40k-members': () => `${HEADER}message M {\n  reserved ${many(40_000, (k) => `${2 * k + 1}`).replace(/\n/g, ', ')};\n  reserved ${many(40_000, (k) => `"r${k}"`).replace(/\n/g, ', ')};\n` +
    `${many(40_000, (k) => `  int32 f${k} = ${2 * k + 2};`)}\n}\nenum E {\n  reserved ${many(40_000, (k) => `${2 * k + 1}`).replace(/\n/g, ', ')};\n  reserved ${many(40_000, (k) => `"R${k}"`).replace(/\n/g, ', ')};\n` +
    `  E0 = 0;\n${many(40_000, (k) => `  V${k} = ${2 * k + 2};`)}\n}\n`,
  'service-50k-rpcs-new': () => `${HEADER}message Q {}\nservice Other {\n${many(50_000, (k) => `  // ${k % 2 ? `Called after R${k - 1}` : 'Runs'}; older runtimes answer Unimplemented.\n  rpc R${k}(Q) returns (Q);`)}\n}\n`,
};

/** `n` lines made by `line`, joined (no trailing newline). */
function many(n: number, line: (k: number) => string): string {
  return Array.from({ length: n }, (_, k) => line(k)).join('\n');
}

/**
 * Extreme inputs that come with their own baseline file (`check --against <file>`): what makes them slow is
 * comparing two large files, e.g. every deleted RPC looked for among every new one.
 */
export const EXTREME_PAIRS: Record<string, (base: string, rng: Rng) => { baseline: string; current: string; lightBulb?: boolean }> = {
  // Disjoint RPC sets: every baseline RPC deleted, no new one of the same signature (was 180 s at 30k).
  'rpcs-30k-disjoint-vs-30k': () => ({
    baseline: `${HEADER}message Q {}\nservice S {\n${many(30_000, (k) => `rpc A${k}(Q) returns (Q);`)}\n}\n`,
    current: `${HEADER}message Q {}\nmessage R {}\nservice S {\n${many(30_000, (k) => `rpc B${k}(R) returns (R);`)}\n}\n`,
  }),
  // Every RPC renamed, all of one signature: each takes the first new one not taken yet (was 9 s at 15k).
  'rpcs-15k-all-renamed': () => ({
    baseline: `${HEADER}message Q {}\nservice S {\n${many(15_000, (k) => `rpc A${k}(Q) returns (Q);`)}\n}\n`,
    current: `${HEADER}message Q {}\nservice S {\n${many(15_000, (k) => `// B${k} is called after A${k}. Older runtimes answer Unimplemented.\nrpc B${k}(Q) returns (Q);`)}\n}\n`,
  }),
  // Services renamed (and some deleted): each deleted one compared with every new one (was 25 s at 10k).
  'services-10k-renamed': () => ({
    baseline: `${HEADER}message Q {}\nmessage R {}\n${many(10_000, (k) => `service S${k} { rpc M${k}(Q) returns (${k % 2 ? 'Q' : 'R'}); }`)}\n`,
    current: `${HEADER}message Q {}\nmessage R {}\n${many(10_000, (k) => `service T${k} { rpc M${k}(${k % 3 ? 'Q' : 'R'}) returns (${k % 2 ? 'Q' : 'R'}); }`)}\n`,
  }),
  // Messages of one size, all with different shapes, all deleted or renamed (was 17 s at 20k).
  'messages-20k-same-size-renamed': () => ({
    baseline: `${HEADER}${many(20_000, (k) => `message A${k} { int32 f${k} = 1; }`)}\n`,
    current: `${HEADER}${many(20_000, (k) => (k % 4 ? `message B${k} { int64 g${k} = 1; }` : `message B${k} { int32 f${k} = 1; }`))}\n`,
  }),
  // One member inserted at the top of a large message, enum and service, docs changed: no member is where it was (was 10 s at 50k).
  'members-40k-shifted-docs-changed': () => ({
    baseline: `${HEADER}message Q {}\nmessage M {\n${many(40_000, (k) => `  // Must be set after F${k}.\n  int32 f${k} = ${k + 1};`)}\n}\n` +
      `enum E {\n  E_ZERO = 0;\n${many(40_000, (k) => `  // Seconds, V${k}.\n  V${k} = ${k + 1};`)}\n}\n` +
      `service S {\n${many(16_000, (k) => `  // Called after R${k + 1}.\n  rpc R${k}(Q) returns (Q);`)}\n}\n`,
    current: `${HEADER}message Q {}\nmessage M {\n  // First.\n  int32 first = 100000;\n${many(40_000, (k) => `  // Should be set before F${k}.\n  int32 f${k} = ${k + 1};`)}\n}\n` +
      `enum E {\n  E_ZERO = 0;\n  // First.\n  FIRST = 100000;\n${many(40_000, (k) => `  // Bytes, V${k}.\n  V${k} = ${k + 1};`)}\n}\n` +
      `service S {\n  // First, at any time; older runtimes answer Unimplemented.\n  rpc First(Q) returns (Q);\n${many(16_000, (k) => `  // Called before R${k + 1}.\n  rpc R${k}(Q) returns (Q);`)}\n}\n`,
  }),
  // One doc comment naming 50k different elements before and after (was 33 s).
  'doc-50k-terms-changed': () => ({
    baseline: `${HEADER}// ${many(50_000, (k) => `OldName${k}Ref`).replace(/\n/g, ' ')}\nmessage M {}\n`,
    current: `${HEADER}// ${many(50_000, (k) => `NewName${k}Ref`).replace(/\n/g, ' ')}\nmessage M {}\n`,
  }),
  // The baseline's ranges all still reserved, by twice as many other ranges (was 149 s: the current ranges
  // were sorted again for each baseline range).
  'reserved-50k-ranges-covered-by-100k': () => ({
    baseline: `${HEADER}message M {\n  reserved ${many(50_000, (k) => `${4 * k + 100_001} to ${4 * k + 100_002}`).replace(/\n/g, ', ')};\n}\n`,
    current: `${HEADER}message M {\n  reserved ${many(100_000, (k) => `${2 * k + 100_001} to ${2 * k + 100_002}`).replace(/\n/g, ', ')};\n}\n`,
  }),
  // Deprecated fields deleted with their numbers and names reserved one by one: each looked up among them.
  'fields-50k-deleted-numbers-and-names-reserved': () => ({
    baseline: `${HEADER}message D {\n${many(50_000, (k) => `  int32 d${k} = ${k + 1} [deprecated = true];`)}\n}\n`,
    current: `${HEADER}message D {\n  reserved ${many(50_000, (k) => `${k + 1}`).replace(/\n/g, ', ')};\n  reserved ${many(50_000, (k) => `"d${k}"`).replace(/\n/g, ', ')};\n}\n`,
  }),
  // The quick fixes of many findings of one container or scope, each of which scanned (or sorted) all of its
  // members, reservations or siblings: alias restores (old code: 28 s at 4k), fields deleted from a message that
  // reserves many others (8 s at 2.5k), renames, renumbers and restores.
  'enum-8k-aliases-deleted': () => ({
    baseline: `${HEADER}enum E {\n  option allow_alias = true;\n  E0 = 0;\n${many(6_000, (k) => `  A${k} = ${k + 1};\n  B${k} = ${k + 1};`)}\n}\n`,
    current: `${HEADER}enum E {\n  option allow_alias = true;\n  E0 = 0;\n${many(8_000, (k) => `  A${k} = ${k + 1};`)}\n}\n`,
  }),
  // Aliases swapped, each pair next to each other or half the enum apart, some with comments: "Declare X after Y"
  // parsed the whole enum again for each (old code: 12 s at 1,000, fixes and fix-all).
  'enum-6k-aliases-swapped': () => ({
    baseline: `${HEADER}enum E {\n  option allow_alias = true;\n  E0 = 0;\n${many(6_000, (k) => `  A${k} = ${k + 1};\n  B${k} = ${k + 1};`)}\n}\n`,
    current: `${HEADER}enum E {\n  option allow_alias = true;\n  E0 = 0;\n${many(3_000, (k) => `  B${k} = ${k + 1};\n  A${k} = ${k + 1};`)}\n` +
      `${many(3_000, (k) => `  // B${k + 3_000}\n  B${k + 3_000} = ${k + 3_001};`)}\n${many(3_000, (k) => `  A${k + 3_000} = ${k + 3_001}; // A${k + 3_000}`)}\n}\n`,
  }),
  'fields-10k-deleted-from-message-reserving-10k-others': () => ({
    baseline: `${HEADER}message M {\n${many(10_000, (k) => `  int32 f${k} = ${2 * k + 2};`)}\n}\n`,
    current: `${HEADER}message M {\n  reserved ${many(10_000, (k) => `${2 * k + 1}`).replace(/\n/g, ', ')};\n  reserved ${many(10_000, (k) => `"r${k}"`).replace(/\n/g, ', ')};\n}\n`,
  }),
  'fields-40k-half-deleted': () => ({
    baseline: `${HEADER}message M {\n${many(40_000, (k) => `  int32 f${k} = ${k + 1};`)}\n}\n`,
    current: `${HEADER}message M {\n${many(40_000, (k) => (k % 2 ? `  int32 f${k} = ${k + 1};` : ''))}\n}\n`,
  }),
  'services-30k-renamed': () => ({
    baseline: `${HEADER}message Q {}\n${many(30_000, (k) => `service S${k} { rpc M${k}(Q) returns (Q); }`)}\n`,
    current: `${HEADER}message Q {}\n${many(30_000, (k) => `service T${k} { rpc M${k}(Q) returns (Q); }`)}\n`,
  }),
  'fields-20k-renamed-enum-values-20k-renamed': () => ({
    baseline: `${HEADER}message M {\n${many(20_000, (k) => `  int32 f${k} = ${k + 1};`)}\n}\nenum E {\n  E0 = 0;\n${many(20_000, (k) => `  A${k} = ${k + 1};`)}\n}\n`,
    current: `${HEADER}message M {\n${many(20_000, (k) => `  int32 g${k} = ${k + 1};`)}\n}\nenum E {\n  E0 = 0;\n${many(20_000, (k) => `  B${k} = ${k + 1};`)}\n}\n`,
  }),
  // Each field into a oneof of its own and each type moved into the message: a scan of the message's fields per
  // field, and of the types renamed so far per type, took 22 s at 20,000.
  'fields-20k-into-new-oneofs-types-20k-moved': () => ({
    baseline: `${HEADER}message M {\n${many(20_000, (k) => `  int32 f${k} = ${k + 1};`)}\n}\n${many(20_000, (k) => `message T${k} { int32 a = 1; }`)}\n`,
    current: `${HEADER}message M {\n${many(20_000, (k) => `  oneof o${k} { int32 f${k} = ${k + 1}; }`)}\n${many(20_000, (k) => `  message T${k} { int32 a = 1; }`)}\n}\n`,
  }),
  // Every oneof of a message renamed: each field looked for its oneof among all of the message's (was 28 s at 40k).
  'oneofs-40k-renamed': () => ({
    baseline: `${HEADER}message M {\n${many(40_000, (k) => `  oneof o${k} { int32 f${k} = ${k + 1}; }`)}\n}\n`,
    current: `${HEADER}message M {\n${many(40_000, (k) => `  oneof p${k} { int32 f${k} = ${k + 1}; }`)}\n}\n`,
  }),
  // Deleted fields whose numbers are reserved, one reservation twice: with overlapping reservations each restore
  // scanned every statement (fixes and fix-all took 21 s at 20k).
  'fields-20k-deleted-numbers-reserved-overlapping': () => ({
    baseline: `${HEADER}message M {\n${many(20_000, (k) => `  int32 f${k} = ${k + 1};`)}\n}\n`,
    current: `${HEADER}message M {\n${many(20_000, (k) => `  reserved ${k + 1};`)}\n  reserved 1;\n}\n`,
  }),
  // The light bulb on the first 1,000 published diagnostics, all of one rule, element and range (reservations
  // the message dropped): each was compared with every finding of its element, and each fix check counted the
  // snapshot's errors again, also once the request's analyses were spent (was 19 s at 10k).
  'reservations-10k-dropped-light-bulb': () => ({
    baseline: `${HEADER}message M {\n  reserved ${many(10_000, (k) => `${2 * k + 1}`).replace(/\n/g, ', ')};\n}\n`,
    current: `${HEADER}message M {\n}\n`,
    lightBulb: true,
  }),
  // Every member but one moved out of a oneof, each with a fix that looks the oneof up by name.
  'fields-20k-out-of-a-oneof': () => ({
    baseline: `${HEADER}message M {\n  oneof o {\n${many(20_000, (k) => `    int32 f${k} = ${k + 1};`)}\n  }\n}\n`,
    current: `${HEADER}message M {\n  oneof o {\n    int32 f0 = 1;\n  }\n${many(19_999, (k) => `  int32 f${k + 1} = ${k + 2};`)}\n}\n`,
  }),
  'fields-30k-renumbered': () => ({
    baseline: `${HEADER}message M {\n${many(30_000, (k) => `  int32 f${k} = ${k + 1};`)}\n}\n`,
    current: `${HEADER}message M {\n${many(30_000, (k) => `  int32 f${k} = ${30_001 + k};`)}\n}\n`,
  }),
};

/** One of each kind of extreme input, for the small run. */
export const CORE_EXTREMES = [
  'identifier-1MB-message-everywhere', 'identifier-1MB-unresolved-type', 'number-10k-digits-field', 'number-10k-digits-enum',
  'nested-messages-10k', 'nested-messages-10k-one-line', 'nested-aggregate-10k-file-option', 'nested-aggregate-10k-field-option',
  'nested-aggregate-10k-unclosed', 'nested-brackets-10k', 'long-package-16k-components-unresolved', 'invalid-utf8-1MB', 'nul-1MB', 'file-10MB',
  // A custom option's path once flattened the name being built at each of its parts: minutes for this one.
  'dotted-name-1MB-option',
];

// ---- running one case ------------------------------------------------------------------------------------------

interface Baselines {
  forPkg(pkg: Blob['pkg'], rng: Rng, which?: 'newest' | 'oldest'): Baseline;
}

/**
 * Baselines against the bundled history of each package: the newest release (what the editor uses), the
 * oldest, and six more picked by the seed, all loaded up front so that the heap measured after the run
 * shows leaks, not caches.
 */
function makeBaselines(seed: number): Baselines {
  const byPkg = new Map<string, { newest: Baseline; oldest: Baseline; all: Baseline[] }>();
  for (const pkg of ['runtime.v1', 'runtime.v1alpha2'] as const) {
    const h = loadBundledHistory(pkg);
    const rng = new Rng(caseSeed(seed, -2));
    const of = (tag: string): Baseline => ({ tag, source: 'bundled', origin: 'test', model: h.modelAt(tag)!, history: h });
    const newest = of(h.newestRelease!()!.tag);
    const oldest = of(h.releases[0]!.tag);
    const all = [newest, oldest];
    for (let k = 0; k < 6; k++) all.push(of(rng.pick(h.releases).tag));
    byPkg.set(pkg, { newest, oldest, all });
  }
  return {
    forPkg(pkg, rng, which) {
      const b = byPkg.get(pkg)!;
      if (which) return b[which];
      return rng.chance(0.5) ? b.newest : rng.pick(b.all);
    },
  };
}

/** A baseline read from a file (`check --against <file>`), with the package's release history as the CLI adds it. */
function fileBaseline(text: string, release: Baseline): Baseline {
  const model = bind(parse(text), 'file:///fuzz/baseline.proto').model;
  return { tag: 'baseline.proto', source: 'path', origin: 'file baseline.proto', model, ...(release.history && model.package === release.model.package ? { history: release.history } : {}) };
}

interface CaseStats {
  ms: number;
  stageMs: Record<string, number>;
  findings: number;
  fixes: number;
  hovers: number;
}

class StageError extends Error {
  constructor(readonly stage: string, override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

function positionsFor(text: string, rng: Rng, n: number, lastLine: number): Position[] {
  const out: Position[] = [];
  // Sorted offsets, converted in one pass (the 10 MB file must not cost n scans).
  const offsets = Array.from({ length: n }, () => rng.int(text.length + 1)).sort((a, b) => a - b);
  const re = /\r\n|\r|\n/g;
  let line = 0;
  let start = 0;
  let m = re.exec(text);
  for (const o of offsets) {
    while (m && m.index + m[0].length <= o) {
      line++;
      start = m.index + m[0].length;
      m = re.exec(text);
    }
    out.push({ line, character: o - start });
  }
  out.push({ line: lastLine + 5, character: 0 }, { line: Math.max(0, lastLine), character: 1_000_000 }, { line: 0, character: 2 ** 31 - 1 });
  return out;
}

/** `lightBulb`: also the code actions for every published diagnostic, with fixes checked by analysis. */
export function runCase(text: string, uri: string, baseline: Baseline, rng: Rng, hovers: number, lightBulb = false): CaseStats {
  const stageMs: Record<string, number> = {};
  let stage = 'analyze';
  let t0 = performance.now();
  const lap = (next: string): void => {
    const t = performance.now();
    stageMs[stage] = (stageMs[stage] ?? 0) + (t - t0);
    t0 = t;
    stage = next;
  };
  const start = t0;
  let findings = 0;
  let fixCount = 0;
  let hoverCount = 0;
  try {
    let analysis: ReturnType<typeof analyze>;
    try {
      analysis = analyze(text, { uri, baseline });
    } catch (e) {
      // Name the stage that failed: parse and bind on their own (analyze runs them, then the checks).
      stage = 'parse';
      const ast = parse(text);
      stage = 'bind';
      bind(ast, uri);
      stage = 'analyze';
      throw e;
    }
    findings = analysis.findings.length;
    lap('fixes');
    const rules = new Set<string>();
    for (const f of analysis.findings) {
      rules.add(f.rule);
      for (const fix of computeFixes(text, analysis.bound, f)) {
        fixCount++;
        applyEdits(text, fix.edits);
      }
    }
    lap('fix-all');
    for (const rule of rules) applyEdits(text, fixAll(text, analysis.bound, analysis.findings, rule).edits);
    lap('code actions');
    if (lightBulb) {
      const diagnostics = toDiagnostics(analysis, uri, { relatedInformation: true, codeDescription: true });
      const snap = { uri, version: 1, text, analysis };
      codeActions(snap, { diagnostics, only: ['quickfix'], documentChanges: true, reanalyze: (t) => analyze(t, { uri, baseline }) });
      // A client without dataSupport: diagnostics come back without `data`.
      codeActions(snap, { diagnostics: diagnostics.map(({ data: _, ...d }) => d), only: ['quickfix'], documentChanges: true });
    }
    lap('hover');
    const lastLine = analysis.bound.ast.range.end.line;
    let extraError: unknown;
    const extraHover = (p: string): string | undefined => {
      try {
        const e = baseline.history?.element(p);
        return e ? `since ${e.introduced}, last changed ${e.lastChanged}` : undefined;
      } catch (err) {
        extraError = err;
        throw err;
      }
    };
    for (const p of positionsFor(text, rng, hovers, lastLine)) {
      hoverCount++;
      doHover(analysis.bound, p, { extraHover });
      doHover(analysis.bound, p);
      if (extraError) throw extraError;
    }
    lap('reparse');
    // One case in ten of at most 200 KB: one character typed into it or deleted, reparsed from its tree, must give
    // the tree a whole parse gives (reparse.ts).
    if (text.length <= 200_000 && rng.chance(0.1)) {
      const at = rng.int(text.length + 1);
      const typed = rng.pick(['a', '1', ' ', ';', '{', '}', '/', '*', '"', '=', '']);
      const edited = text.slice(0, at) + typed + text.slice(typed ? at : Math.min(at + 1, text.length));
      if (!isDeepStrictEqual(plainTree(reparse(edited, reparse(text, undefined))), plainTree(parse(edited)))) {
        throw new Error(`reparse() after typing ${JSON.stringify(typed)} at offset ${at} gives another tree than a whole parse`);
      }
    }
    lap('report');
    renderReport({ file: uri, baseline, findings: analysis.findings, additions: analysis.additions, problems: analysis.bound.problems, linkTo: (l, c) => `api.proto#L${l + 1}C${c + 1}` });
    lap('done');
  } catch (e) {
    throw new StageError(stage, e);
  }
  return { ms: performance.now() - start, stageMs, findings, fixes: fixCount, hovers: hoverCount };
}

// ---- the worker ------------------------------------------------------------------------------------------------

interface WorkerInput {
  criCompatFuzz: FuzzConfig;
  /** Case indices to run, in order. */
  indices: number[];
  /** [current case index, cases done] */
  shared: SharedArrayBuffer;
}

/** `pos`: how many of the worker's indices are done (and counted in `result`). */
type WorkerMessage =
  | { type: 'snapshot'; pos: number; result: FuzzResult }
  | { type: 'done'; pos: number; result: FuzzResult };

export function isFuzzWorker(): boolean {
  return !isMainThread && !!(workerData as Partial<WorkerInput> | undefined)?.criCompatFuzz;
}

function gcFunction(): (() => void) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

function heapMb(): number {
  return v8.getHeapStatistics().used_heap_size / MB;
}

export function reproDirOf(config: FuzzConfig): string {
  return config.reproDir ?? path.join(os.tmpdir(), 'cri-compat-fuzz');
}

/** The long runner's command that regenerates exactly this case (case indices depend on the whole plan). */
export function rerunCommand(config: FuzzConfig, index: number): string {
  return `FUZZ_SEED=${config.seed} FUZZ_CASES=${config.randomCases} FUZZ_TRUNCATIONS=${config.truncations} FUZZ_EXTREMES=${config.extremes} ` +
    `FUZZ_HOVERS=${config.hoversPerCase} FUZZ_ONLY=${index} node out/fuzz/long.js`;
}

/**
 * Writes the failing input: `<name>.json` (exact, lone surrogates kept) and `<name>.proto` (UTF-8), and for a
 * case with its own baseline, `<name>.baseline.proto` (`check <name>.proto --against <name>.baseline.proto`).
 */
export function writeReproducer(config: FuzzConfig, index: number, name: string, text: string, detail: object, baselineText?: string): string {
  const dir = reproDirOf(config);
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `seed-${config.seed}-case-${index}`);
  writeFileSync(`${base}.json`, JSON.stringify({ seed: config.seed, index, name, ...detail, rerun: rerunCommand(config, index), text, ...(baselineText === undefined ? {} : { baselineText }) }));
  writeFileSync(`${base}.proto`, text);
  if (baselineText !== undefined) writeFileSync(`${base}.baseline.proto`, baselineText);
  return `${base}.proto`;
}

function emptyResult(seed: number, planned: number): FuzzResult {
  return {
    seed, cases: 0, planned, byKind: {}, worst: { ms: 0, name: '', index: -1 }, worstByKind: {}, stageMs: {}, slow: [], failures: [],
    failureCount: 0, findings: 0, fixes: 0, hovers: 0, totalMs: 0, peakHeapMb: 0, retainedHeapMb: 0, fatals: [],
  };
}

/** The worker's entry: runs its indices and posts snapshots and the result. */
export function fuzzWorkerMain(): void {
  const input = workerData as WorkerInput;
  const config = input.criCompatFuzz;
  const shared = new Int32Array(input.shared);
  const post = (m: WorkerMessage): void => parentPort!.postMessage(m);
  const gc = gcFunction();
  const src = new CaseSource(config);
  const baselines = makeBaselines(config.seed);
  gc?.();
  const heapBefore = heapMb();
  const result = emptyResult(config.seed, input.indices.length);
  result.peakHeapMb = heapBefore;
  const signatures = new Set<string>();
  const t0 = performance.now();
  let lastSnapshot = t0;
  for (let pos = 0; pos < input.indices.length; pos++) {
    const index = input.indices[pos]!;
    Atomics.store(shared, 0, index);
    const spec = src.plan[index]!;
    let name = `case ${index}`;
    let text = '';
    let baselineText: string | undefined;
    try {
      const c = src.materialize(index);
      name = c.name;
      text = c.text;
      baselineText = c.baselineText;
      const uri = `file:///fuzz/${index}/api.proto`;
      const baseline = c.baselineText === undefined ? baselines.forPkg(c.pkg, c.rng, c.base) : fileBaseline(c.baselineText, baselines.forPkg(c.pkg, c.rng, 'newest'));
      const stats = runCase(text, uri, baseline, c.rng, config.hoversPerCase, c.lightBulb);
      result.findings += stats.findings;
      result.fixes += stats.fixes;
      result.hovers += stats.hovers;
      for (const [s, ms] of Object.entries(stats.stageMs)) result.stageMs[s] = (result.stageMs[s] ?? 0) + ms;
      if (stats.ms > result.worst.ms) result.worst = { ms: stats.ms, name, index };
      const wk = result.worstByKind[spec.kind];
      if (!wk || stats.ms > wk.ms) result.worstByKind[spec.kind] = { ms: stats.ms, name };
      if (stats.ms > config.maxCaseMs) {
        const slowest = Object.entries(stats.stageMs).sort((a, b) => b[1] - a[1])[0];
        result.slow.push({ index, name, ms: Math.round(stats.ms), rerun: rerunCommand(config, index), ...(slowest ? { stage: `${slowest[0]} ${Math.round(slowest[1])} ms` } : {}) });
      }
    } catch (e) {
      const stage = e instanceof StageError ? e.stage : 'generate';
      const cause = e instanceof StageError ? e.cause : e;
      const stack = cause instanceof Error ? cause.stack ?? cause.message : String(cause);
      const frame = /\n\s+at [^\n]*/.exec(stack)?.[0].trim() ?? '';
      const sig = `${stage} ${cause instanceof Error ? cause.message.slice(0, 80) : ''} ${frame}`;
      result.failureCount++;
      if (!signatures.has(sig) && result.failures.length < 50) {
        signatures.add(sig);
        // Messages can quote the input (a 1 MB name): keep each line short.
        const error = stack.split('\n').slice(0, 8).map((l) => (l.length > 300 ? `${l.slice(0, 300)}… (${l.length} chars)` : l)).join('\n');
        let reproducer: string | undefined;
        try {
          reproducer = writeReproducer(config, index, name, text, { stage, error }, baselineText);
        } catch {
          reproducer = undefined;
        }
        result.failures.push({ index, name, stage, error, rerun: rerunCommand(config, index), ...(reproducer ? { reproducer } : {}) });
      }
    }
    text = '';
    baselineText = undefined;
    result.cases++;
    result.byKind[spec.kind] = (result.byKind[spec.kind] ?? 0) + 1;
    Atomics.store(shared, 1, Atomics.load(shared, 1) + 1);
    if (result.cases % 16 === 0 || spec.kind === 'extreme') result.peakHeapMb = Math.max(result.peakHeapMb, heapMb());
    const now = performance.now();
    if (now - lastSnapshot >= 1000) {
      lastSnapshot = now;
      result.totalMs = now - t0;
      post({ type: 'snapshot', pos: pos + 1, result });
    }
  }
  result.totalMs = performance.now() - t0;
  result.peakHeapMb = Math.max(result.peakHeapMb, heapMb());
  gc?.();
  result.retainedHeapMb = heapMb() - heapBefore;
  post({ type: 'done', pos: input.indices.length, result });
}

// ---- the main thread -----------------------------------------------------------------------------------------

export interface RunOptions {
  /** The bundled entry file that calls `fuzzWorkerMain` when `isFuzzWorker()`; default this bundle. */
  entry?: string;
  /** Progress lines, every `config.progressMs`. */
  onProgress?: (line: string) => void;
  /** After this many fatal cases the run stops (default 10). */
  maxFatals?: number;
}

function merge(into: FuzzResult, r: FuzzResult): void {
  into.cases += r.cases;
  for (const [k, n] of Object.entries(r.byKind)) into.byKind[k] = (into.byKind[k] ?? 0) + n;
  if (r.worst.ms > into.worst.ms) into.worst = r.worst;
  for (const [k, w] of Object.entries(r.worstByKind)) if (!into.worstByKind[k] || w.ms > into.worstByKind[k]!.ms) into.worstByKind[k] = w;
  for (const [s, ms] of Object.entries(r.stageMs)) into.stageMs[s] = (into.stageMs[s] ?? 0) + ms;
  into.slow.push(...r.slow);
  into.failures.push(...r.failures);
  into.failureCount += r.failureCount;
  into.findings += r.findings;
  into.fixes += r.fixes;
  into.hovers += r.hovers;
  into.totalMs += r.totalMs;
  into.peakHeapMb = Math.max(into.peakHeapMb, r.peakHeapMb);
  into.retainedHeapMb = Math.max(into.retainedHeapMb, r.retainedHeapMb);
}

/** One worker over `indices`: its result, how many indices it finished, and the fatal failure that ended it early. */
function runWorker(config: FuzzConfig, indices: number[], entry: string, onSnapshot: (r: FuzzResult) => void): Promise<{ result?: FuzzResult; pos: number; fatal?: FatalFailure }> {
  const shared = new SharedArrayBuffer(8);
  const view = new Int32Array(shared);
  Atomics.store(view, 0, -1);
  const input: WorkerInput = { criCompatFuzz: config, indices, shared };
  const worker = new Worker(entry, {
    workerData: input,
    // Failures name TypeScript files and lines (the test bundles carry inline source maps).
    execArgv: [...process.execArgv, '--enable-source-maps'],
    // The stack of a main thread (V8's default is just under 1 MB; a worker's would be 4 MB), so that what
    // overflows the language server's stack overflows here too.
    resourceLimits: { maxOldGenerationSizeMb: config.heapLimitMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 1 },
  });
  return new Promise((resolve) => {
    let settled = false;
    let snapshot: { pos: number; result: FuzzResult } | undefined;
    let lastIndex = -2;
    let lastDone = -1;
    let since = Date.now();
    const fatal = (kind: FatalFailure['kind'], error: string): void => {
      if (settled) return;
      const index = Atomics.load(view, 0);
      let name = `case ${index}`;
      let reproducer: string | undefined;
      if (index >= 0) {
        try {
          // Regenerate the case in this thread (it is deterministic) to name it and save it.
          const c = new CaseSource(config).materialize(index);
          name = c.name;
          reproducer = writeReproducer(config, index, name, c.text, { stage: kind, error }, c.baselineText);
        } catch {
          /* naming is best effort */
        }
      }
      finish({
        ...(snapshot ? { result: snapshot.result } : {}),
        pos: snapshot?.pos ?? 0,
        fatal: { kind, index, name, stage: kind, error, rerun: rerunCommand(config, index), ...(reproducer ? { reproducer } : {}) },
      });
    };
    const finish = (r: { result?: FuzzResult; pos: number; fatal?: FatalFailure }): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      void worker.terminate();
      resolve(r);
    };
    const watchdog = setInterval(() => {
      const index = Atomics.load(view, 0);
      const done = Atomics.load(view, 1);
      if (index !== lastIndex || done !== lastDone) {
        lastIndex = index;
        lastDone = done;
        since = Date.now();
      } else if (Date.now() - since > config.hangMs) {
        fatal('hang', `one case ran longer than ${config.hangMs} ms; worker terminated`);
      }
    }, 250);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'snapshot') {
        snapshot = m;
        onSnapshot(m.result);
      }
      else finish({ result: m.result, pos: m.pos });
    });
    worker.on('error', (e: Error & { code?: string }) => {
      const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
      fatal(oom ? 'out-of-memory' : 'worker-error', oom ? `heap exceeded ${config.heapLimitMb} MB: ${e.message}` : e.stack ?? e.message);
    });
    worker.on('exit', (code) => fatal('worker-error', `worker exited with code ${code} before reporting`));
  });
}

/**
 * Runs the fuzzer in heap-capped workers with a hang watchdog. A case that hangs or exhausts the heap is
 * recorded in `fatals` and the run continues in a new worker after it. Never rejects for a finding.
 */
export async function runFuzz(config: FuzzConfig, options: RunOptions = {}): Promise<FuzzResult> {
  const entry = options.entry ?? __filename;
  if (!existsSync(entry)) throw new Error(`fuzz entry ${entry} not found`);
  let todo = config.only ?? new CaseSource(config).plan.map((_, k) => k);
  const total = emptyResult(config.seed, todo.length);
  const started = performance.now();
  const maxFatals = options.maxFatals ?? 10;
  let current: FuzzResult | undefined;
  const progress = config.progressMs && options.onProgress ? setInterval(() => {
    const done = total.cases + (current?.cases ?? 0);
    const worst = current && current.worst.ms > total.worst.ms ? current.worst : total.worst;
    options.onProgress!(`fuzz: ${done}/${total.planned} cases, worst so far ${worst.ms.toFixed(0)} ms (#${worst.index} ${worst.name})`);
  }, config.progressMs) : undefined;
  try {
    while (todo.length) {
      current = undefined;
      const r = await runWorker(config, todo, entry, (snap) => (current = snap));
      current = undefined;
      if (r.result) merge(total, r.result);
      if (!r.fatal) break;
      total.fatals.push(r.fatal);
      total.failureCount++;
      options.onProgress?.(`fuzz: FATAL ${r.fatal.kind} at #${r.fatal.index} ${r.fatal.name}; continuing after it`);
      if (total.fatals.length >= maxFatals) break;
      // Redo what the last snapshot did not cover, except the case that killed the worker.
      todo = todo.slice(r.pos).filter((k) => k !== r.fatal!.index);
    }
  } finally {
    if (progress) clearInterval(progress);
  }
  total.totalMs = performance.now() - started;
  return total;
}

/** A one-paragraph summary for logs. */
export function summarize(r: FuzzResult): string {
  const kinds = Object.entries(r.byKind).map(([k, n]) => `${k} ${n}`).join(', ');
  const worstBy = Object.entries(r.worstByKind).map(([k, w]) => `${k} ${w.ms.toFixed(0)} ms`).join(', ');
  const stages = Object.entries(r.stageMs).sort((a, b) => b[1] - a[1]).map(([s, ms]) => `${s} ${(ms / 1000).toFixed(1)} s`).join(', ');
  const lines = [
    `fuzz seed ${r.seed}: ${r.cases} of ${r.planned} cases (${kinds}) in ${(r.totalMs / 1000).toFixed(1)} s`,
    `worst case ${r.worst.ms.toFixed(0)} ms: #${r.worst.index} ${r.worst.name}`,
    `worst per kind: ${worstBy}`,
    `time per stage: ${stages}`,
    `${r.findings} findings, ${r.fixes} fixes, ${r.hovers} hover positions; heap peak ${r.peakHeapMb.toFixed(0)} MB, retained after the run ${r.retainedHeapMb.toFixed(1)} MB`,
    `${r.failureCount} failing case(s) (${r.fatals.length} fatal), ${r.slow.length} slow case(s)`,
  ];
  for (const s of r.slow.slice(0, 20)) lines.push(`  SLOW #${s.index} ${s.name}: ${s.ms} ms${s.stage ? ` (slowest stage: ${s.stage})` : ''}\n    rerun: ${s.rerun}`);
  for (const f of r.failures) lines.push(`  FAIL #${f.index} ${f.name} [${f.stage}]: ${f.error.split('\n').slice(0, 3).join(' | ')}\n    rerun: ${f.rerun}${f.reproducer ? `\n    input: ${f.reproducer}` : ''}`);
  for (const f of r.fatals) lines.push(`  FATAL ${f.kind} #${f.index} ${f.name}: ${f.error}\n    rerun: ${f.rerun}${f.reproducer ? `\n    input: ${f.reproducer}` : ''}`);
  return lines.join('\n');
}
