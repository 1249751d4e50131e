// Agreement with `buf breaking` (category WIRE_JSON, which contains WIRE): every finding buf reports must map
// to a finding of ours on the same element, or be listed with a reason in test/fixtures/buf-differences.json;
// every WIRE/JSON finding of ours that buf does not report must be listed there too ("our rule is stricter").
// The fixture must not have stale entries.
//
// Cases: every pair of consecutive `v0.*` tags of the corpus with different files (runtime/v1 and
// runtime/v1alpha2), and crafted edits of the real v0.36.3 file. Each case is two buf modules, old/ and new/,
// each with a `buf.yaml` (version v2, breaking use WIRE_JSON) and the file at runtime/<version>/api.proto;
// older files import gogo.proto, so both modules get the same stub that declares the options the files use.
// buf runs offline as `buf breaking new --against old --error-format json`, a few at a time.
//
// Build and run alone:
//   npx esbuild test/buf-agreement.test.ts --bundle --platform=node --format=cjs --outfile=out/test/buf-agreement.test.js --sourcemap=inline && node --test out/test/buf-agreement.test.js
// After an intended change, rewrite the fixture (reasons of unchanged entries are kept, new ones get "TODO", which fails):
//   UPDATE_BUF_DIFFERENCES=1 node --test out/test/buf-agreement.test.js
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CORPUS_HELP, Corpus, V1ALPHA2_PATH, V1_PATH, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { findBuf } from './bufBinary';
import { checkCompatibility } from '../server/src/compat/check';
import type { Finding } from '../server/src/compat/finding';
import type { MessageNode, ProtoFile, Range } from '../server/src/proto/ast';
import { bind } from '../server/src/proto/binder';
import type { ApiModel } from '../server/src/proto/model';
import { parse } from '../server/src/proto/parser';

const repoRoot = (): string => findRepoRoot(__dirname);

const ROOT = repoRoot();
const FIXTURE = join(ROOT, 'test', 'fixtures', 'buf-differences.json');
const UPDATE = !!process.env.UPDATE_BUF_DIFFERENCES;
const corpusDir = findCorpusDir(ROOT);
const corpus = corpusDir ? new Corpus(corpusDir) : undefined;
/** The release the crafted edits start from. */
const EDIT_BASE = 'v0.36.3';

/** Our categories that buf's WIRE_JSON covers; the others (Go source, docs, policy, semantics) buf has no view of. */
const COMPARED_CATEGORIES = new Set(['WIRE', 'JSON']);

/**
 * buf rule → our rules that report the same problem. A buf finding maps when one of ours with such a rule is on
 * the same element (and the other way round for our findings).
 */
const COUNTERPARTS: Record<string, string[]> = {
  FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED: ['FIELD_NO_DELETE', 'FIELD_NUMBER_CHANGED'],
  FIELD_NO_DELETE_UNLESS_NAME_RESERVED: ['FIELD_NO_DELETE', 'FIELD_NO_DELETE_UNLESS_NAME_RESERVED', 'FIELD_NUMBER_CHANGED'],
  FIELD_SAME_NAME: ['FIELD_RENAMED', 'FIELD_NUMBER_REUSED'],
  FIELD_SAME_JSON_NAME: ['FIELD_JSON_NAME_CHANGED', 'FIELD_RENAMED', 'FIELD_NUMBER_REUSED'],
  FIELD_WIRE_JSON_COMPATIBLE_TYPE: ['FIELD_TYPE_INCOMPATIBLE', 'FIELD_TYPE_CHANGED', 'FIELD_NUMBER_REUSED'],
  FIELD_WIRE_COMPATIBLE_TYPE: ['FIELD_TYPE_INCOMPATIBLE', 'FIELD_TYPE_CHANGED', 'FIELD_NUMBER_REUSED'],
  FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY: ['FIELD_LABEL_CHANGED', 'FIELD_PRESENCE_CHANGED', 'FIELD_NUMBER_REUSED'],
  FIELD_WIRE_COMPATIBLE_CARDINALITY: ['FIELD_LABEL_CHANGED', 'FIELD_PRESENCE_CHANGED', 'FIELD_NUMBER_REUSED'],
  MESSAGE_SAME_REQUIRED_FIELDS: ['FIELD_LABEL_CHANGED'],
  FIELD_SAME_ONEOF: ['FIELD_ONEOF_CHANGED'],
  ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED: ['ENUM_VALUE_NO_DELETE', 'ENUM_VALUE_NUMBER_CHANGED'],
  ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED: ['ENUM_VALUE_NO_DELETE', 'ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED', 'ENUM_VALUE_NUMBER_CHANGED'],
  ENUM_VALUE_SAME_NAME: ['ENUM_VALUE_RENAMED'],
  RESERVED_MESSAGE_NO_DELETE: ['RESERVED_REMOVED'],
  RESERVED_ENUM_NO_DELETE: ['RESERVED_REMOVED'],
  RPC_SAME_REQUEST_TYPE: ['RPC_SIGNATURE_CHANGED'],
  RPC_SAME_RESPONSE_TYPE: ['RPC_SIGNATURE_CHANGED'],
  RPC_SAME_CLIENT_STREAMING: ['RPC_STREAMING_CHANGED'],
  RPC_SAME_SERVER_STREAMING: ['RPC_STREAMING_CHANGED'],
  FILE_SAME_PACKAGE: ['PACKAGE_CHANGED'],
};

// ---- cases ---------------------------------------------------------------------------------------------

interface Case {
  /** Stable id used in the fixture: `runtime.v1 v0.25.0-alpha.3→v0.25.0-beta.0` or `edit:<name>`. */
  id: string;
  /** Path inside each module, e.g. runtime/v1/api.proto. */
  file: string;
  oldText: string;
  newText: string;
  from: string;
}

/** Exactly one replacement, so a crafted edit cannot silently miss. */
function edit(text: string, from: string, to: string): string {
  const n = text.split(from).length - 1;
  if (n !== 1) throw new Error(`crafted edit: ${JSON.stringify(from)} occurs ${n} times in ${EDIT_BASE}`);
  return text.replace(from, () => to);
}

/** Removes a top-level message block `message Name { … }` (with its leading comment lines). */
function deleteMessage(text: string, name: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`message ${name} {`));
  if (start < 0) throw new Error(`crafted edit: no message ${name}`);
  let first = start;
  while (first > 0 && lines[first - 1].startsWith('//')) first--;
  const end = lines.findIndex((l, i) => i > start && l === '}');
  lines.splice(first, end - first + 1);
  return lines.join('\n');
}

/** The file as `edition = "2023"` with proto3's implicit presence, which alone changes nothing (test/editions.test.ts). */
function asEditions(text: string): string {
  const goPackage = 'option go_package = "k8s.io/cri-api/pkg/apis/runtime/v1";\n';
  return edit(edit(text, 'syntax = "proto3";', 'edition = "2023";'), goPackage, `${goPackage}option features.field_presence = IMPLICIT;\n`);
}

const EDITS: { name: string; apply: (t: string) => string }[] = [
  { name: 'delete-field', apply: (t) => edit(t, '    // Name of the container runtime.\n    string runtime_name = 2;\n', '') },
  { name: 'delete-field-reserve-number', apply: (t) => edit(t, '    // Name of the container runtime.\n    string runtime_name = 2;\n', '    reserved 2;\n') },
  { name: 'change-number', apply: (t) => edit(t, 'int32 host_port = 3;', 'int32 host_port = 30;') },
  { name: 'int32-to-string', apply: (t) => edit(t, 'int32 container_port = 2;', 'string container_port = 2;') },
  { name: 'int32-to-int64', apply: (t) => edit(t, 'int32 exit_code = 7;', 'int64 exit_code = 7;') },
  { name: 'singular-to-repeated', apply: (t) => edit(t, 'string runtime_version = 3;', 'repeated string runtime_version = 3;') },
  { name: 'implicit-to-optional', apply: (t) => edit(t, 'string runtime_version = 3;', 'optional string runtime_version = 3;') },
  { name: 'into-oneof', apply: (t) => edit(t, '    string runtime_name = 2;\n', '    oneof name {\n        string runtime_name = 2;\n    }\n') },
  { name: 'delete-enum-value', apply: (t) => edit(t, '    SCTP = 2;\n', '') },
  { name: 'delete-enum-value-reserve-number', apply: (t) => edit(t, '    SCTP = 2;\n', '    reserved 2;\n') },
  { name: 'rename-field', apply: (t) => edit(t, 'uint32 host_id = 1;', 'uint32 host_uid = 1;') },
  { name: 'rename-enum-value', apply: (t) => edit(t, '    UDP = 1;\n', '    UDP_PROTOCOL = 1;\n') },
  { name: 'delete-rpc', apply: (t) => edit(t, '    rpc Version(VersionRequest) returns (VersionResponse) {}\n', '') },
  { name: 'change-rpc-request-type', apply: (t) => edit(t, 'rpc Version(VersionRequest)', 'rpc Version(StatusRequest)') },
  { name: 'streaming-change', apply: (t) => edit(t, 'rpc Version(VersionRequest) returns (VersionResponse)', 'rpc Version(VersionRequest) returns (stream VersionResponse)') },
  {
    name: 'delete-message-used-by-rpc',
    apply: (t) => deleteMessage(deleteMessage(edit(t, '    rpc Version(VersionRequest) returns (VersionResponse) {}\n', ''), 'VersionRequest'), 'VersionResponse'),
  },
  { name: 'rename-message', apply: (t) => t.replaceAll('VersionResponse', 'RuntimeVersionResponse') },
  { name: 'change-package', apply: (t) => edit(t, 'package runtime.v1;', 'package runtime.v2;') },
  { name: 'json-name', apply: (t) => edit(t, 'string runtime_name = 2;', 'string runtime_name = 2 [json_name = "name"];') },
  { name: 'editions-utf8-none', apply: (t) => edit(asEditions(t), 'string runtime_name = 2;', 'string runtime_name = 2 [features.utf8_validation = NONE];') },
  {
    name: 'editions-closed-enum',
    // Explicit presence on the field that holds it: an implicit-presence field cannot hold a closed enum.
    apply: (t) => edit(edit(asEditions(t), 'enum Protocol {\n', 'enum Protocol {\n    option features.enum_type = CLOSED;\n'),
      'Protocol protocol = 1;', 'Protocol protocol = 1 [features.field_presence = EXPLICIT];'),
  },
];

function cases(c: Corpus): Case[] {
  const out: Case[] = [];
  for (const [pkg, path, file] of [['runtime.v1', V1_PATH, 'runtime/v1/api.proto'], ['runtime.v1alpha2', V1ALPHA2_PATH, 'runtime/v1alpha2/api.proto']] as const) {
    const rows = c.goTags(path);
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1];
      const b = rows[i];
      if (a.blob !== b.blob) out.push({ id: `${pkg} ${a.tag}→${b.tag}`, file, oldText: c.text(a.blob), newText: c.text(b.blob), from: a.tag });
    }
  }
  const base = c.textOf(EDIT_BASE);
  assert.ok(base, `the corpus has no ${EDIT_BASE} ${V1_PATH}`);
  for (const e of EDITS) out.push({ id: `edit:${e.name}`, file: 'runtime/v1/api.proto', oldText: base, newText: e.apply(base), from: EDIT_BASE });
  return out;
}

// ---- running buf ---------------------------------------------------------------------------------------

interface BufFinding {
  path: string;
  start_line: number;
  start_column: number;
  end_line: number;
  end_column: number;
  type: string;
  message: string;
}

const BUF_YAML = 'version: v2\nbreaking:\n  use:\n    - WIRE_JSON\n';

/** A stub gogo.proto declaring every `(gogoproto.x)` option either file uses (all are bool options). */
function gogoStub(texts: string[]): string | undefined {
  if (!texts.some((t) => t.includes('gogoproto/gogo.proto'))) return undefined;
  const fileOpts = new Set<string>();
  const fieldOpts = new Set<string>();
  for (const t of texts) {
    for (const m of t.matchAll(/^\s*option\s+\(gogoproto\.(\w+)\)/gm)) fileOpts.add(m[1]);
    for (const m of t.matchAll(/[[,]\s*\(gogoproto\.(\w+)\)/g)) fieldOpts.add(m[1]);
  }
  const ext = (target: string, names: Set<string>, base: number): string =>
    names.size ? `extend google.protobuf.${target} {\n${[...names].sort().map((n, i) => `  optional bool ${n} = ${base + i};`).join('\n')}\n}\n` : '';
  return 'syntax = "proto2";\npackage gogoproto;\nimport "google/protobuf/descriptor.proto";\n' +
    ext('FileOptions', fileOpts, 63001) + ext('FieldOptions', fieldOpts, 65001);
}

function writeModule(dir: string, file: string, text: string, stub: string | undefined): void {
  mkdirSync(join(dir, dirname(file)), { recursive: true });
  writeFileSync(join(dir, 'buf.yaml'), BUF_YAML);
  writeFileSync(join(dir, file), text);
  if (stub) {
    const p = join(dir, 'github.com/gogo/protobuf/gogoproto/gogo.proto');
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, stub);
  }
}

function runBuf(buf: string, dir: string, cacheDir: string): Promise<BufFinding[]> {
  return new Promise((resolvePromise, reject) => {
    execFile(buf, ['breaking', 'new', '--against', 'old', '--error-format', 'json'], {
      cwd: dir, env: { ...process.env, BUF_CACHE_DIR: cacheDir, NO_COLOR: '1' }, maxBuffer: 64 << 20, timeout: 60_000,
    }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: unknown }).code : 0;
      if (code !== 0 && code !== 100) {
        reject(new Error(`buf failed in ${dir} (exit ${String(code)}): ${stderr || err?.message}`));
        return;
      }
      try {
        resolvePromise(stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as BufFinding));
      } catch (e) {
        reject(new Error(`buf output in ${dir} is not JSON lines: ${(e as Error).message}\n${stdout.slice(0, 500)}`));
      }
    });
  });
}

async function pool<T, R>(items: T[], size: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return out;
}

// ---- mapping buf findings to elements ------------------------------------------------------------------

const contains = (r: Range, line: number, character: number): boolean =>
  (line > r.start.line || (line === r.start.line && character >= r.start.character)) &&
  (line < r.end.line || (line === r.end.line && character <= r.end.character));

/** The fully-qualified element whose declaration contains a position of the new file (innermost); the package otherwise. */
function elementAt(ast: ProtoFile, pkg: string, line: number, character: number): string {
  const join2 = (a: string, b: string): string => (a ? `${a}.${b}` : b);
  const inMessage = (m: MessageNode, scope: string): string | undefined => {
    if (!contains(m.range, line, character)) return undefined;
    const fqn = join2(scope, m.name);
    for (const n of m.messages) {
      const hit = inMessage(n, fqn);
      if (hit) return hit;
    }
    for (const e of m.enums) {
      if (!contains(e.range, line, character)) continue;
      const v = e.values.find((x) => contains(x.range, line, character));
      return v ? `${fqn}.${e.name}.${v.name}` : `${fqn}.${e.name}`;
    }
    const f = m.fields.find((x) => contains(x.range, line, character));
    return f ? `${fqn}.${f.name}` : fqn;
  };
  for (const m of ast.messages) {
    const hit = inMessage(m, pkg);
    if (hit) return hit;
  }
  for (const e of ast.enums) {
    if (!contains(e.range, line, character)) continue;
    const v = e.values.find((x) => contains(x.range, line, character));
    return v ? `${join2(pkg, e.name)}.${v.name}` : join2(pkg, e.name);
  }
  for (const s of ast.services) {
    if (!contains(s.range, line, character)) continue;
    const r = s.rpcs.find((x) => contains(x.range, line, character));
    return r ? `${join2(pkg, s.name)}.${r.name}` : join2(pkg, s.name);
  }
  return pkg;
}

/** The element a buf finding is about; for deletions the deleted field or value, named from the message or the old file. */
function bufElement(f: BufFinding, ast: ProtoFile, pkg: string, oldModel: ApiModel): string {
  const at = elementAt(ast, pkg, f.start_line - 1, f.start_column - 1);
  if (/^(FIELD|ENUM_VALUE)_NO_DELETE_UNLESS_/.test(f.type)) {
    const named = /with name "([^"]+)"/.exec(f.message)?.[1];
    if (named) return `${at}.${named}`;
    const num = Number(/"(-?\d+)"/.exec(f.message)?.[1]);
    const oldName = f.type.startsWith('FIELD')
      ? oldModel.messages.find((m) => m.fqn === at)?.fields.find((x) => x.number === num)?.name
      : oldModel.enums.find((e) => e.fqn === at)?.values.find((x) => x.number === num)?.name;
    return oldName ? `${at}.${oldName}` : `${at}.#${num}`;
  }
  if (f.type === 'FILE_SAME_PACKAGE') return pkg;
  return at;
}

// ---- comparison ----------------------------------------------------------------------------------------

interface Difference {
  case: string;
  rule: string;
  element: string;
  reason: string;
}
interface DifferencesFixture {
  about: string;
  /** buf findings with no counterpart among ours. */
  bufOnly: Difference[];
  /** Our WIRE/JSON findings that buf does not report. */
  oursOnly: Difference[];
}

interface CaseResult {
  id: string;
  /** Every buf finding as "rule element", for BUF_AGREEMENT_VERBOSE. */
  bufFindings: string[];
  bufOnly: { rule: string; element: string; message: string }[];
  oursOnly: { rule: string; element: string; message: string }[];
  matched: number;
  buf: number;
}

function compareCase(c: Case, buf: BufFinding[]): CaseResult {
  const bound = bind(parse(c.newText), `buf-agreement:new/${c.file}`);
  const oldModel = bind(parse(c.oldText), `buf-agreement:old/${c.file}`).model;
  const ours: Finding[] = checkCompatibility(c.newText, bound, { tag: c.from, source: 'path', origin: 'test', model: oldModel }).findings;
  const pkg = bound.model.package;
  // buf also checks the gogo stub and anything else in the modules; only the api.proto findings count.
  const theirs = buf.filter((f) => f.path.endsWith(c.file)).map((f) => ({ rule: f.type, element: bufElement(f, bound.ast, pkg, oldModel), message: f.message }));
  const matches = (b: { rule: string; element: string }, o: Finding): boolean => (COUNTERPARTS[b.rule] ?? []).includes(o.rule) && o.element === b.element;
  const bufOnly = theirs.filter((b) => !ours.some((o) => matches(b, o)));
  const oursOnly = ours
    .filter((o) => COMPARED_CATEGORIES.has(o.category) && !theirs.some((b) => matches(b, o)))
    .map((o) => ({ rule: o.rule, element: o.element, message: o.message }));
  return { id: c.id, bufFindings: theirs.map((b) => `${b.rule} ${b.element}`), bufOnly, oursOnly, matched: theirs.length - bufOnly.length, buf: theirs.length };
}

const diffKey = (d: { case: string; rule: string; element: string }): string => `${d.case} | ${d.rule} | ${d.element}`;

function readFixture(): DifferencesFixture | undefined {
  return existsSync(FIXTURE) ? (JSON.parse(readFileSync(FIXTURE, 'utf8')) as DifferencesFixture) : undefined;
}

function regenerate(results: CaseResult[], old: DifferencesFixture | undefined): DifferencesFixture {
  const reasons = new Map<string, string>();
  for (const d of [...(old?.bufOnly ?? []), ...(old?.oursOnly ?? [])]) reasons.set(diffKey(d), d.reason);
  const pick = (side: 'bufOnly' | 'oursOnly'): Difference[] => results.flatMap((r) => r[side].map((d) => {
    const x = { case: r.id, rule: d.rule, element: d.element };
    return { ...x, reason: reasons.get(diffKey(x)) ?? `TODO: explain (${d.message})` };
  }));
  return {
    about: old?.about ?? 'Differences between buf breaking (WIRE_JSON) and cri-compat on the corpus tag pairs and crafted edits of v0.36.3; see test/buf-agreement.test.ts.',
    bufOnly: pick('bufOnly'),
    oursOnly: pick('oursOnly'),
  };
}

test('buf breaking (WIRE_JSON) agrees with our findings, up to the listed differences', async (t) => {
  if (!corpus) {
    t.skip(CORPUS_HELP);
    return;
  }
  const found = findBuf();
  if (typeof found === 'string') {
    t.skip(`the agreement with buf breaking is not checked: ${found}`);
    return;
  }
  const all = cases(corpus);
  const tmp = mkdtempSync(join(tmpdir(), 'cri-compat-buf-'));
  try {
    const started = performance.now();
    const bufResults = await pool(all.map((c, i) => ({ c, dir: join(tmp, `case${i}`) })), Math.max(2, Math.min(6, availableParallelism() * 2)), async ({ c, dir }) => {
      const stub = gogoStub([c.oldText, c.newText]);
      writeModule(join(dir, 'old'), c.file, c.oldText, stub);
      writeModule(join(dir, 'new'), c.file, c.newText, stub);
      return runBuf(found.buf, dir, join(tmp, 'cache'));
    });
    const seconds = (performance.now() - started) / 1000;
    // Reported, not asserted: how fast buf runs is not this project's behaviour (the bench measures buf, 4b).
    t.diagnostic(`${all.length} buf runs in ${seconds.toFixed(1)} s (${found.buf})`);

    const results = all.map((c, i) => compareCase(c, bufResults[i]));
    const total = results.reduce((n, r) => n + r.buf, 0);
    const matched = results.reduce((n, r) => n + r.matched, 0);
    t.diagnostic(`buf reported ${total} findings; ${matched} map to ours`);
    if (process.env.BUF_AGREEMENT_VERBOSE) for (const r of results) for (const b of r.bufFindings) t.diagnostic(`${r.id}: ${b}`);

    // Every crafted edit is breaking for one of the tools at least (else the edit missed its target).
    for (const r of results.filter((x) => x.id.startsWith('edit:'))) {
      const c = all.find((x) => x.id === r.id)!;
      const ours = checkCompatibility(c.newText, bind(parse(c.newText), 'x'), { tag: c.from, source: 'path', origin: 'test', model: bind(parse(c.oldText), 'y').model }).findings;
      assert.ok(r.buf > 0 || ours.length > 0, `${r.id}: neither buf nor cri-compat reports anything`);
    }

    const old = readFixture();
    if (UPDATE) {
      mkdirSync(dirname(FIXTURE), { recursive: true });
      writeFileSync(FIXTURE, `${JSON.stringify(regenerate(results, old), null, 2)}\n`);
      t.diagnostic(`wrote ${FIXTURE}`);
    }
    const read = readFixture();
    assert.ok(read, `${FIXTURE} is missing; create it with UPDATE_BUF_DIFFERENCES=1`);
    const fixture: DifferencesFixture = read;

    const problems: string[] = [];
    for (const side of ['bufOnly', 'oursOnly'] as const) {
      const actual = new Map(results.flatMap((r) => r[side].map((d) => [diffKey({ case: r.id, ...d }), d.message] as const)));
      const listed = new Map(fixture[side].map((d) => [diffKey(d), d]));
      for (const [k, message] of actual) {
        if (!listed.has(k)) problems.push(`${side}: not in the fixture: ${k} (${message})`);
      }
      for (const [k, d] of listed) {
        if (!actual.has(k)) problems.push(`${side}: stale fixture entry: ${k}`);
        if (!d.reason.trim() || /^TODO\b/.test(d.reason)) problems.push(`${side}: no reason for ${k}`);
      }
      assert.equal(listed.size, fixture[side].length, `${side}: duplicate fixture entries`);
    }
    assert.deepEqual(problems, [], `differences with buf changed; review, then rewrite with UPDATE_BUF_DIFFERENCES=1 and give each entry a reason:\n${problems.join('\n')}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
