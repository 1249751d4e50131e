// Tests for the Protocol Buffers TextMate grammar (syntaxes/proto.tmLanguage.json)
// and the editor language configuration (language-configuration.json).
//
// Bundled by esbuild into out/test/grammar.test.js and run with `node --test`,
// so every file is located relative to the repository root, found by walking
// up from __dirname.
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { findRepoRoot } from '../server/src/baseline/corpus';

// ---------------------------------------------------------------------------
// locating files


const REPO_ROOT = findRepoRoot(__dirname);
const GRAMMAR_PATH = path.join(REPO_ROOT, 'syntaxes', 'proto.tmLanguage.json');
const LANGUAGE_CONFIG_PATH = path.join(REPO_ROOT, 'language-configuration.json');
const CORPUS_DIR = process.env.CRI_API_CORPUS
  ? path.resolve(process.env.CRI_API_CORPUS)
  : path.resolve(REPO_ROOT, '..', 'shared', 'cri-api');
const CORPUS_TAG = 'v0.36.3';
const CORPUS_PATH = 'pkg/apis/runtime/v1/api.proto';
const CORPUS_SKIP = fs.existsSync(CORPUS_DIR)
  ? false
  : `CRI api.proto corpus not found at ${CORPUS_DIR}; set CRI_API_CORPUS to a directory laid out like ` +
    'shared/cri-api (tags.tsv with columns tag/path/blob/commit_date/prerelease, and blobs/<blob>.proto)';

/** Reads the api.proto recorded for `tag`/`filePath` in the corpus' tags.tsv. */
function readCorpusProto(tag: string, filePath: string): string {
  const tsv = fs.readFileSync(path.join(CORPUS_DIR, 'tags.tsv'), 'utf8');
  const [header, ...rows] = tsv.split(/\r?\n/).filter((l) => l.length > 0);
  const cols = header.split('\t');
  const iTag = cols.indexOf('tag');
  const iPath = cols.indexOf('path');
  const iBlob = cols.indexOf('blob');
  assert.ok(iTag >= 0 && iPath >= 0 && iBlob >= 0, `unexpected tags.tsv header: ${header}`);
  const row = rows.map((r) => r.split('\t')).find((c) => c[iTag] === tag && c[iPath] === filePath);
  assert.ok(row, `tags.tsv in ${CORPUS_DIR} has no row for ${tag} ${filePath}`);
  return fs.readFileSync(path.join(CORPUS_DIR, 'blobs', `${row[iBlob]}.proto`), 'utf8');
}

// ---------------------------------------------------------------------------
// grammar loading and tokenizing

let grammarPromise: Promise<vsctm.IGrammar> | undefined;

function loadGrammar(): Promise<vsctm.IGrammar> {
  grammarPromise ??= (async () => {
    // (a variable, not a literal, so that esbuild leaves the lookup to run time without a warning)
    const wasmModule = 'vscode-oniguruma/release/onig.wasm';
    const wasm = fs.readFileSync(require.resolve(wasmModule));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === 'source.proto'
          ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH)
          : null,
    });
    const grammar = await registry.loadGrammar('source.proto');
    if (!grammar) throw new Error(`could not load source.proto from ${GRAMMAR_PATH}`);
    return grammar;
  })();
  return grammarPromise;
}

interface Token {
  text: string;
  start: number;
  end: number;
  scopes: string[];
}

interface Line {
  /** 0-based line index */
  index: number;
  text: string;
  tokens: Token[];
  /** depth of the rule stack before this line (1 = top level) */
  depthBefore: number;
  /** depth of the rule stack after this line */
  depthAfter: number;
  /** scopes still open after this line (what an empty next line would get) */
  openScopes: string[];
}

function tokenize(grammar: vsctm.IGrammar, source: string): Line[] {
  let state: vsctm.StateStack = vsctm.INITIAL;
  return source.split(/\r?\n/).map((text, index) => {
    const r = grammar.tokenizeLine(text, state);
    const tokens = r.tokens.map((t) => ({
      text: text.slice(t.startIndex, Math.min(t.endIndex, text.length)),
      start: t.startIndex,
      end: Math.min(t.endIndex, text.length),
      scopes: t.scopes,
    }));
    const depthBefore = state.depth;
    const after = (state = r.ruleStack);
    let openScopes: string[] | undefined;
    return {
      index, text, tokens, depthBefore, depthAfter: after.depth,
      // (computed when asked for: it tokenizes once more)
      get openScopes() {
        return (openScopes ??= grammar.tokenizeLine('', after).tokens[0]?.scopes ?? []);
      },
    };
  });
}

/** True if `scopes` contains `want` itself or a more specific scope (`want.*`). */
function hasScope(scopes: readonly string[], want: string): boolean {
  return scopes.some((s) => s === want || s.startsWith(want + '.'));
}

function describeLine(line: Line): string {
  const toks = line.tokens.map((t) => `  ${JSON.stringify(t.text)} ${t.scopes.join(' ')}`).join('\n');
  return `line ${line.index + 1}: ${JSON.stringify(line.text)}\n${toks}`;
}

/**
 * The token covering the `nth` occurrence of `needle` on the line. With `exact`
 * the token must be exactly `needle`; otherwise it must merely contain it.
 */
function tokenAt(line: Line, needle: string, nth = 0, exact = true, from = 0): Token {
  // (the messages describe the whole line, so they are built only when a check fails: the corpus tests make
  // thousands of these checks)
  let at = from - 1;
  for (let i = 0; i <= nth; i++) {
    at = line.text.indexOf(needle, at + 1);
    if (at < 0) assert.fail(`${JSON.stringify(needle)} (#${nth}) not on ${describeLine(line)}`);
  }
  const tok = line.tokens.find((t) => t.start <= at && at < t.end);
  if (!tok) assert.fail(`no token at column ${at} of ${describeLine(line)}`);
  if (exact ? tok.text !== needle : tok.end < at + needle.length) {
    assert.fail(`${JSON.stringify(needle)} is ${exact ? 'not a token of its own' : 'split across tokens'} on ${describeLine(line)}`);
  }
  return tok;
}

interface Where {
  /** which occurrence of the needle (0-based) */
  nth?: number;
  /** the token must be exactly the needle (default for expectScope) */
  exact?: boolean;
  /** column to start searching for the needle from */
  from?: number;
}

function expectScope(line: Line, needle: string, scope: string, opts: Where = {}): void {
  const tok = tokenAt(line, needle, opts.nth ?? 0, opts.exact ?? true, opts.from ?? 0);
  if (!hasScope(tok.scopes, scope)) {
    assert.fail(`expected ${JSON.stringify(needle)} to have scope ${scope}, got [${tok.scopes.join(' ')}] on ${describeLine(line)}`);
  }
}

function expectNoScope(line: Line, needle: string, scope: string, opts: Where = {}): void {
  const tok = tokenAt(line, needle, opts.nth ?? 0, opts.exact ?? false, opts.from ?? 0);
  if (hasScope(tok.scopes, scope)) {
    assert.fail(`expected ${JSON.stringify(needle)} NOT to have scope ${scope}, got [${tok.scopes.join(' ')}] on ${describeLine(line)}`);
  }
}

/** The `nth` line whose text satisfies `pred` (a regexp or exact trimmed text). */
function findLine(lines: Line[], pred: RegExp | string, nth = 0): Line {
  const match = (l: Line) => (typeof pred === 'string' ? l.text.trim() === pred : pred.test(l.text));
  const found = lines.filter(match);
  assert.ok(found.length > nth, `no line #${nth} matching ${String(pred)}`);
  return found[nth];
}

const SCALARS = new Set([
  'double', 'float', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64',
  'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'bool', 'string', 'bytes',
]);

/** assert.ok with a message built only when the check fails. */
function check(ok: boolean, message: () => string): void {
  if (!ok) assert.fail(message());
}

/**
 * Checks the scopes of every one-line field, map field, enum value and rpc, and of every line comment, and
 * returns how many of each it found.
 */
function checkStatementLines(lines: Line[]): { fields: number; maps: number; enumValues: number; rpcs: number; comments: number } {
  const field = /^\s+(?:(repeated|optional)\s+)?([A-Za-z_][\w.]*)\s+(\w+)\s*=\s*(\d+)\s*(?:\[.*\])?;$/;
  const mapField = /^\s+map<(\w+), (\w+)> (\w+) = (\d+);$/;
  const enumValue = /^\s+(\w+)\s*=\s*(\d+);$/;
  const rpc = /^\s+rpc (\w+)\((stream )?([\w.]+)\) returns \((stream )?([\w.]+)\)/;
  let fields = 0;
  let maps = 0;
  let enumValues = 0;
  let rpcs = 0;
  let comments = 0;
  for (const line of lines) {
    let m: RegExpExecArray | null;
    if ((m = field.exec(line.text))) {
      fields++;
      const [, label, type, name, num] = m;
      const typeFrom = label ? line.text.indexOf(label) + label.length : 0;
      const nameFrom = line.text.indexOf(type, typeFrom) + type.length;
      const eq = line.text.indexOf('=', nameFrom);
      if (label) expectScope(line, label, `keyword.other.${label}.proto`);
      expectScope(line, type, SCALARS.has(type) ? 'storage.type.scalar.proto' : 'entity.name.type.proto', { from: typeFrom });
      expectScope(line, name, 'variable.other.field.proto', { from: nameFrom });
      expectScope(line, '=', 'keyword.operator.assignment.proto', { from: eq });
      expectScope(line, num, 'constant.numeric.integer.decimal.proto', { from: eq });
      expectScope(line, ';', 'punctuation.terminator.proto', { from: line.text.lastIndexOf(';') });
      check(hasScope(line.tokens[line.tokens.length - 1].scopes, 'meta.field.proto'), () => describeLine(line));
    } else if ((m = mapField.exec(line.text))) {
      maps++;
      expectScope(line, 'map', 'keyword.other.map.proto');
      expectScope(line, m[1], SCALARS.has(m[1]) ? 'storage.type.scalar.proto' : 'entity.name.type.proto', { from: line.text.indexOf('<') });
      expectScope(line, m[2], SCALARS.has(m[2]) ? 'storage.type.scalar.proto' : 'entity.name.type.proto', { from: line.text.indexOf(',') });
      expectScope(line, m[3], 'variable.other.field.proto', { from: line.text.indexOf('>') });
      expectScope(line, m[4], 'constant.numeric', { from: line.text.indexOf('=') });
    } else if ((m = enumValue.exec(line.text))) {
      enumValues++;
      expectScope(line, m[1], 'variable.other.enummember.proto');
      expectScope(line, m[1], 'meta.enum.proto');
      expectScope(line, m[2], 'constant.numeric', { from: line.text.indexOf('=') });
    } else if ((m = rpc.exec(line.text))) {
      rpcs++;
      expectScope(line, 'rpc', 'keyword.other.rpc.proto');
      expectScope(line, m[1], 'entity.name.function.rpc.proto');
      expectScope(line, 'returns', 'keyword.other.returns.proto');
      if (m[2] || m[4]) expectScope(line, 'stream', 'keyword.other.stream.proto');
    } else if (/^\s*\/\//.test(line.text)) {
      comments++;
      for (const tok of line.tokens) {
        if (!tok.text.trim()) continue;
        check(hasScope(tok.scopes, 'comment.line.double-slash.proto'), () => `not a comment: ${describeLine(line)}`);
        check(!tok.scopes.some((s) => /^(keyword|storage|entity|variable|constant|string)\./.test(s)), () => `code scope in comment: ${describeLine(line)}`);
      }
    }
  }
  return { fields, maps, enumValues, rpcs, comments };
}

/** Checks that the tokens cover every line, none is invalid, and every visible character has a scope of its own. */
function checkTokensSane(lines: Line[]): void {
  for (const line of lines) {
    check(line.tokens.length > 0 && line.tokens[line.tokens.length - 1].end === line.text.length, () => `tokens do not cover ${describeLine(line)}`);
    for (const tok of line.tokens) {
      check(!hasScope(tok.scopes, 'invalid'), () => `invalid token ${JSON.stringify(tok.text)} on ${describeLine(line)}`);
      // no visible text may be left with only the root / meta scopes
      if (tok.text.trim()) {
        check(tok.scopes.some((s) => s !== 'source.proto' && !s.startsWith('meta.')), () => `unscoped text ${JSON.stringify(tok.text)} on ${describeLine(line)}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// the real CRI api.proto

describe(`real CRI api.proto (${CORPUS_TAG} ${CORPUS_PATH})`, { skip: CORPUS_SKIP }, () => {
  let lines: Line[] = [];

  test('loads and tokenizes the whole file', async () => {
    const grammar = await loadGrammar();
    const source = readCorpusProto(CORPUS_TAG, CORPUS_PATH);
    lines = tokenize(grammar, source);
    assert.ok(lines.length > 1000, `expected a full api.proto, got ${lines.length} lines`);
  });

  test('file-level statements and comments', () => {
    const license = findLine(lines, '/*');
    assert.equal(license.index, 0);
    expectScope(license, '/*', 'comment.block.proto');
    expectScope(license, '/*', 'punctuation.definition.comment.begin.proto');
    const licenseBody = findLine(lines, /Licensed under the Apache License/);
    expectScope(licenseBody, licenseBody.text, 'comment.block.proto');
    expectNoScope(licenseBody, 'under', 'keyword');
    const licenseEnd = findLine(lines, '*/');
    expectScope(licenseEnd, '*/', 'punctuation.definition.comment.end.proto');

    const regen = findLine(lines, /^\/\/ To regenerate/);
    expectScope(regen, '//', 'punctuation.definition.comment.proto');
    expectScope(regen, 'To regenerate', 'comment.line.double-slash.proto', { exact: false });

    const syntax = findLine(lines, 'syntax = "proto3";');
    expectScope(syntax, 'syntax', 'keyword.other.syntax.proto');
    expectScope(syntax, '=', 'keyword.operator.assignment.proto');
    expectScope(syntax, 'proto3', 'string.quoted.double.proto');
    expectScope(syntax, ';', 'punctuation.terminator.proto');

    const pkg = findLine(lines, 'package runtime.v1;');
    expectScope(pkg, 'package', 'keyword.other.package.proto');
    expectScope(pkg, 'runtime.v1', 'entity.name.namespace.proto');

    const opt = findLine(lines, /^option go_package = /);
    expectScope(opt, 'option', 'keyword.other.option.proto');
    expectScope(opt, 'go_package', 'entity.other.attribute-name.option.proto');
    expectScope(opt, '"', 'punctuation.definition.string.begin.proto');
    expectScope(opt, 'k8s.io/cri-api/pkg/apis/runtime/v1', 'string.quoted.double.proto');
    expectScope(opt, ';', 'punctuation.terminator.proto');
  });

  test('service, rpc, returns, stream', () => {
    const svc = findLine(lines, 'service RuntimeService {');
    expectScope(svc, 'service', 'keyword.other.service.proto');
    expectScope(svc, 'RuntimeService', 'entity.name.type.service.proto');
    expectScope(svc, '{', 'punctuation.section.block.begin.proto');

    const version = findLine(lines, 'rpc Version(VersionRequest) returns (VersionResponse) {}');
    expectScope(version, 'rpc', 'keyword.other.rpc.proto');
    expectScope(version, 'rpc', 'meta.service.proto');
    expectScope(version, 'Version', 'entity.name.function.rpc.proto');
    expectScope(version, 'VersionRequest', 'entity.name.type.proto');
    expectScope(version, 'returns', 'keyword.other.returns.proto');
    expectScope(version, 'VersionResponse', 'entity.name.type.proto');
    expectNoScope(version, 'VersionResponse', 'keyword');

    const streaming = findLine(lines, /rpc StreamPodSandboxes\(/);
    expectScope(streaming, 'StreamPodSandboxes', 'entity.name.function.rpc.proto');
    expectScope(streaming, 'stream', 'keyword.other.stream.proto');
    expectScope(streaming, 'StreamPodSandboxesResponse', 'entity.name.type.proto');

    // keywords inside comments stay comments
    const comment = findLine(lines, /^\s*\/\/ StreamPodSandboxes returns a stream of/);
    expectScope(comment, 'returns a stream', 'comment.line.double-slash.proto', { exact: false });
    expectNoScope(comment, 'returns', 'keyword');
    expectNoScope(comment, 'stream', 'keyword');

    const imageSvc = findLine(lines, 'service ImageService {');
    assert.equal(imageSvc.depthBefore, 1, 'ImageService must start at top level');
    expectScope(imageSvc, 'ImageService', 'entity.name.type.service.proto');
  });

  test('messages, fields, scalar and message types, field numbers', () => {
    const msg = findLine(lines, 'message PortMapping {');
    expectScope(msg, 'message', 'keyword.other.message.proto');
    expectScope(msg, 'PortMapping', 'entity.name.type.message.proto');

    const rep = findLine(lines, 'repeated string options = 3;');
    expectScope(rep, 'repeated', 'keyword.other.repeated.proto');
    expectScope(rep, 'string', 'storage.type.scalar.proto');
    expectScope(rep, 'options', 'variable.other.field.proto');
    expectNoScope(rep, 'options', 'entity.other.attribute-name');
    expectScope(rep, '=', 'keyword.operator.assignment.proto');
    expectScope(rep, '3', 'constant.numeric.integer.decimal.proto');
    expectScope(rep, '3', 'meta.message.proto');

    const msgTyped = findLine(lines, 'Protocol protocol = 1;');
    expectScope(msgTyped, 'Protocol', 'entity.name.type.proto');
    expectNoScope(msgTyped, 'Protocol', 'storage.type');
    expectScope(msgTyped, 'protocol', 'variable.other.field.proto');
    expectScope(msgTyped, '1', 'constant.numeric');

    const i32 = findLine(lines, 'int32 container_port = 2;');
    expectScope(i32, 'int32', 'storage.type.scalar.proto');
    expectScope(i32, '2', 'constant.numeric', { from: i32.text.indexOf('=') });

    const qualified = findLine(lines, /^\s+[A-Z]\w+ \w+ = \d+;$/);
    expectScope(qualified, qualified.text.trim().split(' ')[0], 'entity.name.type.proto');
  });

  test('enums (top-level and nested) and enum values', () => {
    const en = findLine(lines, 'enum Protocol {');
    expectScope(en, 'enum', 'keyword.other.enum.proto');
    expectScope(en, 'Protocol', 'entity.name.type.enum.proto');
    const tcp = findLine(lines, 'TCP = 0;');
    expectScope(tcp, 'TCP', 'variable.other.enummember.proto');
    expectScope(tcp, '0', 'constant.numeric');
    expectScope(tcp, 'TCP', 'meta.enum.proto');

    const nested = findLine(lines, 'enum ProfileType {');
    expectScope(nested, 'ProfileType', 'entity.name.type.enum.proto');
    expectScope(nested, 'ProfileType', 'meta.message.proto'); // nested inside SecurityProfile
    const rd = findLine(lines, 'RuntimeDefault = 0;');
    expectScope(rd, 'RuntimeDefault', 'variable.other.enummember.proto');
  });

  test('map<K, V> fields', () => {
    const m = findLine(lines, 'map<string, string> labels = 6;');
    expectScope(m, 'map', 'keyword.other.map.proto');
    expectScope(m, '<', 'punctuation.definition.typeparameters.begin.proto');
    expectScope(m, 'string', 'storage.type.scalar.proto', { nth: 0 });
    expectScope(m, ',', 'punctuation.separator.comma.proto');
    expectScope(m, 'string', 'storage.type.scalar.proto', { nth: 1 });
    expectScope(m, '>', 'punctuation.definition.typeparameters.end.proto');
    expectScope(m, 'labels', 'variable.other.field.proto');
    expectScope(m, '6', 'constant.numeric');
  });

  test('field options', () => {
    const dep = findLine(lines, 'string seccomp_profile_path = 7 [deprecated=true];');
    expectScope(dep, '[', 'punctuation.definition.field-options.begin.proto');
    expectScope(dep, 'deprecated', 'entity.other.attribute-name.option.proto');
    expectScope(dep, 'true', 'constant.language.boolean');
    expectScope(dep, ']', 'punctuation.definition.field-options.end.proto');
    expectScope(dep, ';', 'punctuation.terminator.proto');
    const redact = findLine(lines, 'string password = 2 [debug_redact = true];');
    expectScope(redact, 'debug_redact', 'entity.other.attribute-name.option.proto');
    expectScope(redact, 'password', 'variable.other.field.proto');
  });

  test('the tokenizer never gets stuck: every line ends in a sane state', () => {
    const last = lines[lines.length - 1];
    assert.equal(last.depthAfter, 1, `file ends with open rules: [${last.openScopes.join(' ')}]`);
    assert.deepEqual(last.openScopes, ['source.proto']);

    const licenseEnd = findLine(lines, '*/').index;
    for (const line of lines) {
      // strings never span lines in proto
      assert.ok(!hasScope(line.openScopes, 'string'), `string left open after ${describeLine(line)}`);
      const inComment = hasScope(line.openScopes, 'comment');
      assert.equal(inComment, line.index < licenseEnd, `wrong block-comment state after ${describeLine(line)}`);
      assert.ok(
        line.tokens.length > 0 && line.tokens[line.tokens.length - 1].end === line.text.length,
        `tokens do not cover ${describeLine(line)}`,
      );
      for (const tok of line.tokens) {
        assert.ok(!hasScope(tok.scopes, 'invalid'), `invalid token ${JSON.stringify(tok.text)} on ${describeLine(line)}`);
        // no visible text may be left with only the root / meta scopes
        if (tok.text.trim()) {
          assert.ok(
            tok.scopes.some((s) => s !== 'source.proto' && !s.startsWith('meta.')),
            `unscoped text ${JSON.stringify(tok.text)} on ${describeLine(line)}`,
          );
        }
      }
    }
  });

  test('block structure: top-level declarations open and close at top level', () => {
    const decl = /^(message|enum|service) (\w+) ?\{(\})?$/;
    const decls = lines.filter((l) => decl.test(l.text));
    assert.ok(decls.length > 150, `expected many top-level declarations, got ${decls.length}`);
    let open = 0;
    for (const d of decls) {
      const [, kind, name, closed] = decl.exec(d.text)!;
      assert.equal(d.depthBefore, 1, `declaration does not start at top level: ${describeLine(d)}`);
      expectScope(d, kind, `keyword.other.${kind}.proto`);
      expectScope(d, name, `entity.name.type.${kind}.proto`);
      if (closed) {
        // `message Empty {}` opens and closes on one line
        assert.equal(d.depthAfter, 1, `"${d.text}" does not return to top level`);
      } else {
        open++;
        assert.ok(hasScope(d.openScopes, `meta.${kind}.proto`), `meta.${kind}.proto not open after ${describeLine(d)}`);
      }
    }
    const closers = lines.filter((l) => l.text === '}');
    assert.equal(closers.length, open, 'one top-level "}" per multi-line top-level declaration');
    for (const c of closers) {
      expectScope(c, '}', 'punctuation.section.block.end.proto');
      assert.equal(c.depthAfter, 1, `"}" does not return to top level: ${describeLine(c)}`);
    }
  });

  test('every field, map field, enum value, rpc and comment line is scoped', () => {
    const { fields, maps, enumValues, rpcs, comments } = checkStatementLines(lines);
    assert.ok(fields > 400, `expected > 400 fields, matched ${fields}`);
    assert.ok(maps > 20, `expected > 20 map fields, matched ${maps}`);
    assert.ok(enumValues > 50, `expected > 50 enum values, matched ${enumValues}`);
    assert.ok(rpcs > 40, `expected > 40 rpcs, matched ${rpcs}`);
    assert.ok(comments > 1000, `expected > 1000 comment lines, matched ${comments}`);
  });
});

/** Every distinct api.proto the corpus' tags.tsv lists (one per blob), in the order first listed. */
function corpusBlobs(): string[] {
  const tsv = fs.readFileSync(path.join(CORPUS_DIR, 'tags.tsv'), 'utf8');
  const [header, ...rows] = tsv.split(/\r?\n/).filter((l) => l.length > 0);
  const iBlob = header.split('\t').indexOf('blob');
  assert.ok(iBlob >= 0, `unexpected tags.tsv header: ${header}`);
  return [...new Set(rows.map((r) => r.split('\t')[iBlob]))];
}

describe('every distinct api.proto of the corpus', { skip: CORPUS_SKIP }, () => {
  test('each file tokenizes to a sane state, with its declarations at top level and its statements scoped', async () => {
    const grammar = await loadGrammar();
    const blobs = corpusBlobs();
    assert.ok(blobs.length > 50, `expected the corpus' distinct files, got ${blobs.length}`);
    const decl = /^(message|enum|service) (\w+) ?\{\}?$/;
    for (const blob of blobs) {
      const lines = tokenize(grammar, fs.readFileSync(path.join(CORPUS_DIR, 'blobs', `${blob}.proto`), 'utf8'));
      const last = lines[lines.length - 1];
      assert.deepEqual(last.openScopes, ['source.proto'], `${blob}: the file ends with open rules`);
      checkTokensSane(lines);
      for (const d of lines.filter((l) => decl.test(l.text))) {
        assert.equal(d.depthBefore, 1, `${blob}: declaration does not start at top level: ${describeLine(d)}`);
        const [, kind, name] = decl.exec(d.text)!;
        expectScope(d, name, `entity.name.type.${kind}.proto`);
      }
      const counts = checkStatementLines(lines);
      assert.ok(counts.fields > 100 && counts.rpcs > 10, `${blob}: too few fields or rpcs recognised: ${JSON.stringify(counts)}`);
    }
  });
});

// ---------------------------------------------------------------------------
// crafted snippets

async function tok(source: string): Promise<Line[]> {
  return tokenize(await loadGrammar(), source);
}

describe('crafted snippets', () => {
  test('proto2: required, group, extensions 100 to max, reserved, extend, oneof', async () => {
    const lines = await tok(
      [
        'syntax = "proto2";',
        'import public "other.proto";',
        "import weak 'weak.proto';",
        'message Outer {',
        '  required int32 id = 1;',
        '  repeated group Result = 2 {',
        '    required string url = 3;',
        '  }',
        '  extensions 100 to max;',
        '  reserved 5, 9 to 11;',
        '  reserved "foo", "bar";',
        '  oneof choice { string s = 14; Outer o = 15; }',
        '  optional .google.protobuf.Timestamp ts = 16;',
        '}',
        'extend Outer { optional int32 ext = 100; }',
      ].join('\n'),
    );
    expectScope(lines[0], 'proto2', 'string.quoted.double.proto');
    expectScope(lines[1], 'public', 'keyword.other.public.proto');
    expectScope(lines[1], 'other.proto', 'string.quoted.double.proto');
    expectScope(lines[2], 'weak', 'keyword.other.weak.proto');
    expectScope(lines[2], 'weak.proto', 'string.quoted.single.proto');

    expectScope(lines[4], 'required', 'keyword.other.required.proto');
    expectScope(lines[4], 'int32', 'storage.type.scalar.proto');
    expectScope(lines[4], 'id', 'variable.other.field.proto');
    expectScope(lines[4], '1', 'constant.numeric');

    expectScope(lines[5], 'repeated', 'keyword.other.repeated.proto');
    expectScope(lines[5], 'group', 'keyword.other.group.proto');
    expectScope(lines[5], 'Result', 'entity.name.type.group.proto');
    expectScope(lines[5], '2', 'constant.numeric');
    expectScope(lines[6], 'url', 'variable.other.field.proto');
    expectScope(lines[6], 'url', 'meta.group.proto');
    assert.ok(!hasScope(lines[7].openScopes, 'meta.group.proto'), 'group must close at its "}"');

    expectScope(lines[8], 'extensions', 'keyword.other.extensions.proto');
    expectScope(lines[8], '100', 'constant.numeric');
    expectScope(lines[8], 'to', 'keyword.other.to.proto');
    expectScope(lines[8], 'max', 'keyword.other.max.proto');
    expectScope(lines[8], ';', 'punctuation.terminator.proto');

    expectScope(lines[9], 'reserved', 'keyword.other.reserved.proto');
    expectScope(lines[9], '5', 'constant.numeric');
    expectScope(lines[9], 'to', 'keyword.other.to.proto');
    expectScope(lines[9], '11', 'constant.numeric');
    expectScope(lines[10], 'foo', 'string.quoted.double.proto');
    expectScope(lines[10], 'bar', 'string.quoted.double.proto');

    expectScope(lines[11], 'oneof', 'keyword.other.oneof.proto');
    expectScope(lines[11], 'choice', 'variable.other.oneof.proto');
    expectScope(lines[11], 's', 'variable.other.field.proto', { from: lines[11].text.indexOf('string') + 6 });
    expectScope(lines[11], 'Outer', 'entity.name.type.proto');
    expectScope(lines[11], '15', 'constant.numeric');

    expectScope(lines[12], 'optional', 'keyword.other.optional.proto');
    expectScope(lines[12], '.google.protobuf.Timestamp', 'entity.name.type.proto');
    expectScope(lines[12], 'ts', 'variable.other.field.proto', { from: lines[12].text.indexOf('Timestamp') + 9 });

    assert.equal(lines[13].depthAfter, 1, 'message closes');
    expectScope(lines[14], 'extend', 'keyword.other.extend.proto');
    expectScope(lines[14], 'Outer', 'entity.name.type.proto');
    expectScope(lines[14], 'ext', 'variable.other.field.proto', { from: lines[14].text.indexOf('int32') + 5 });
    assert.equal(lines[14].depthAfter, 1, 'extend closes');
  });

  test('string escapes (double and single quoted)', async () => {
    const [d, s, bad] = await tok(
      [
        String.raw`option (a) = "q\"x\n\\\x41\101\u00e9\U0001F600";`,
        String.raw`option (b) = 'it\'s \t \xFf';`,
        String.raw`option (c) = "bad \q escape";`,
      ].join('\n'),
    );
    expectScope(d, '"', 'punctuation.definition.string.begin.proto');
    expectScope(d, String.raw`\"`, 'constant.character.escape.proto');
    expectScope(d, String.raw`\n`, 'constant.character.escape.proto');
    expectScope(d, String.raw`\\`, 'constant.character.escape.proto');
    expectScope(d, String.raw`\x41`, 'constant.character.escape.hex.proto');
    expectScope(d, String.raw`\101`, 'constant.character.escape.octal.proto');
    expectScope(d, String.raw`\u00e9`, 'constant.character.escape.unicode.proto');
    expectScope(d, String.raw`\U0001F600`, 'constant.character.escape.unicode.proto');
    expectScope(d, '"', 'punctuation.definition.string.end.proto', { nth: 2 });
    expectScope(d, ';', 'punctuation.terminator.proto');
    expectNoScope(d, ';', 'string');

    expectScope(s, String.raw`\'`, 'constant.character.escape.proto');
    expectScope(s, 's ', 'string.quoted.single.proto', { exact: false });
    expectScope(s, String.raw`\t`, 'constant.character.escape.proto');
    expectScope(s, String.raw`\xFf`, 'constant.character.escape.hex.proto');
    expectNoScope(s, ';', 'string');

    expectScope(bad, String.raw`\q`, 'invalid.illegal.unknown-escape.proto');
  });

  test('an unterminated string ends at the end of its line', async () => {
    const lines = await tok(['option (a) = "no end', 'message After {}'].join('\n'));
    // The whole rest of the line is the string: its last character is not eaten by an "illegal" end.
    expectScope(lines[0], 'no end', 'string.quoted.double.proto');
    expectNoScope(lines[0], 'd', 'invalid', { from: lines[0].text.length - 1 });
    assert.ok(!hasScope(lines[0].openScopes, 'string'), 'string must not continue onto the next line');
    expectScope(lines[1], 'message', 'keyword.other.message.proto');
    expectScope(lines[1], 'After', 'entity.name.type.message.proto');
  });

  test('an unterminated string leaves the closing "]", "}" and ";" at the end of its line to the statement', async () => {
    const lines = await tok(
      [
        'message M {',
        '  string u = 3 [default = "abc];',
        '  int32 after = 4;',
        "  string v = 5 [default = 'x]; // no closing quote",
        '  int32 next = 6;',
        '  option (o) = { s: "open };',
        '  bool b = 7;',
        '  string w = 8 [(p) = "a;b];"];',
        '}',
        'import "other.proto;',
        'message After {}',
      ].join('\n'),
    );
    const u = lines[1];
    expectScope(u, 'abc', 'string.quoted.double.proto');
    expectScope(u, ']', 'punctuation.definition.field-options.end.proto');
    expectNoScope(u, ']', 'string');
    expectScope(u, ';', 'punctuation.terminator.proto');
    expectNoScope(u, ';', 'invalid');
    assert.ok(!hasScope(u.openScopes, 'meta.field-options.proto'), `field options must close on ${describeLine(u)}`);
    assert.ok(!hasScope(u.openScopes, 'meta.field.proto'), `the field must end on ${describeLine(u)}`);
    // The next line is a field again, not option values.
    const after = lines[2];
    expectScope(after, 'int32', 'storage.type.scalar.proto');
    expectScope(after, 'after', 'variable.other.field.proto');
    expectNoScope(after, 'int32', 'meta.field-options.proto');
    expectScope(after, '4', 'constant.numeric');

    // Single quotes, and a line comment after the unterminated string.
    const v = lines[3];
    expectScope(v, 'x', 'string.quoted.single.proto', { from: v.text.indexOf("'") });
    expectScope(v, ']', 'punctuation.definition.field-options.end.proto');
    expectScope(v, ';', 'punctuation.terminator.proto');
    expectScope(v, 'no closing quote', 'comment.line.double-slash.proto', { exact: false });
    expectScope(lines[4], 'next', 'variable.other.field.proto');
    expectNoScope(lines[4], 'int32', 'meta.field-options.proto');

    // An aggregate option value.
    const o = lines[5];
    expectScope(o, 'open', 'string.quoted.double.proto');
    expectScope(o, '}', 'punctuation.definition.aggregate.end.proto');
    expectScope(o, ';', 'punctuation.terminator.proto');
    expectScope(lines[6], 'bool', 'storage.type.scalar.proto');
    expectScope(lines[6], 'b', 'variable.other.field.proto', { from: lines[6].text.indexOf('bool') + 4 });

    // A closed string that holds "];" is not cut short.
    const w = lines[7];
    expectScope(w, 'a;b];', 'string.quoted.double.proto');
    expectScope(w, '"', 'punctuation.definition.string.end.proto', { nth: 1 });
    expectScope(w, ']', 'punctuation.definition.field-options.end.proto', { from: w.text.lastIndexOf(']') });
    assert.equal(lines[8].depthAfter, 1, 'message closes');

    // A top-level statement.
    expectScope(lines[9], 'other.proto', 'string.quoted.double.proto');
    expectScope(lines[9], ';', 'punctuation.terminator.proto');
    expectScope(lines[10], 'message', 'keyword.other.message.proto');
    expectScope(lines[10], 'After', 'entity.name.type.message.proto');
  });

  test('custom options, option paths and aggregate values', async () => {
    const lines = await tok(
      [
        'message M {',
        '  int32 x = 1 [(my.opt).x = 1, deprecated = true];',
        '  option (my.msg_opt) = { a: 1 b: "two" nested { c: ENUM_VAL } list: [1, 2] [ext.f]: 3 };',
        '}',
        'option (file_opt) = {',
        '  a: 1',
        '};',
        'option optimize_for = SPEED;',
        'option features.field_presence = EXPLICIT;',
      ].join('\n'),
    );
    const f = lines[1];
    expectScope(f, '(', 'punctuation.definition.option-name.begin.proto');
    expectScope(f, 'my.opt', 'entity.other.attribute-name.option.custom.proto');
    expectScope(f, ')', 'punctuation.definition.option-name.end.proto');
    expectScope(f, '.', 'punctuation.accessor.proto', { nth: 1 });
    expectScope(f, 'x', 'entity.other.attribute-name.option.proto', { nth: 1 });
    expectScope(f, '1', 'constant.numeric.integer.decimal.proto', { nth: 1 });
    expectScope(f, ',', 'punctuation.separator.comma.proto');
    expectScope(f, 'deprecated', 'entity.other.attribute-name.option.proto');
    expectScope(f, 'true', 'constant.language.boolean');

    const o = lines[2];
    expectScope(o, 'option', 'keyword.other.option.proto');
    expectScope(o, 'my.msg_opt', 'entity.other.attribute-name.option.custom.proto');
    expectScope(o, '{', 'punctuation.definition.aggregate.begin.proto');
    expectScope(o, 'a', 'variable.other.property.proto');
    expectScope(o, ':', 'punctuation.separator.key-value.proto');
    expectScope(o, '1', 'constant.numeric');
    expectScope(o, '1', 'meta.aggregate.proto');
    expectScope(o, 'two', 'string.quoted.double.proto');
    expectScope(o, 'nested', 'variable.other.property.proto');
    expectScope(o, 'ENUM_VAL', 'variable.other.enummember.proto');
    expectScope(o, 'list', 'variable.other.property.proto');
    expectScope(o, '2', 'constant.numeric', { from: o.text.indexOf('list') });
    expectScope(o, '2', 'meta.array.proto', { from: o.text.indexOf('list') });
    expectScope(o, 'ext.f', 'variable.other.property.extension.proto');
    expectScope(o, '3', 'constant.numeric');
    expectScope(o, ';', 'punctuation.terminator.proto');
    expectNoScope(o, ';', 'meta.aggregate.proto');
    assert.equal(lines[3].depthAfter, 1, 'message closes after an aggregate option');

    expectScope(lines[5], 'a', 'variable.other.property.proto');
    expectScope(lines[5], '1', 'meta.aggregate.proto');
    expectScope(lines[6], '}', 'punctuation.definition.aggregate.end.proto');
    assert.equal(lines[6].depthAfter, 1, 'multi-line aggregate option closes');

    expectScope(lines[7], 'optimize_for', 'entity.other.attribute-name.option.proto');
    expectScope(lines[7], 'SPEED', 'variable.other.enummember.proto');
    expectScope(lines[8], 'features', 'entity.other.attribute-name.option.proto');
    expectScope(lines[8], 'field_presence', 'entity.other.attribute-name.option.proto');
    expectScope(lines[8], 'EXPLICIT', 'variable.other.enummember.proto');
  });

  test('numbers: decimal, hex, octal, float, inf, nan, negative', async () => {
    const [l] = await tok(
      'option (n) = { a: 42 b: 0x1F c: 017 d: 1.5e-3 e: -inf f: nan g: -42 h: .5 i: 2E10 j: -0.25 k: 0 };',
    );
    expectScope(l, '42', 'constant.numeric.integer.decimal.proto');
    expectScope(l, '0x1F', 'constant.numeric.integer.hexadecimal.proto');
    expectScope(l, '017', 'constant.numeric.integer.octal.proto');
    expectScope(l, '1.5e-3', 'constant.numeric.float.proto');
    expectScope(l, '-inf', 'constant.numeric.float.infinity.proto');
    expectScope(l, 'nan', 'constant.numeric.float.nan.proto');
    expectScope(l, '-42', 'constant.numeric.integer.decimal.proto');
    expectScope(l, '.5', 'constant.numeric.float.proto', { from: l.text.indexOf('h:') });
    expectScope(l, '2E10', 'constant.numeric.float.proto');
    expectScope(l, '-0.25', 'constant.numeric.float.proto');
    expectScope(l, '0', 'constant.numeric.integer.decimal.proto', { from: l.text.indexOf('k:') });
    // field numbers in hex, enum values that are negative
    const lines = await tok('message M { int64 big = 0x10; }\nenum E { NEG = -1; ZERO = 0; }');
    expectScope(lines[0], '0x10', 'constant.numeric.integer.hexadecimal.proto');
    expectScope(lines[1], 'NEG', 'variable.other.enummember.proto');
    expectScope(lines[1], '-1', 'constant.numeric.integer.decimal.proto');
    // a malformed number is flagged rather than half-highlighted
    const [bad] = await tok('message M { int32 x = 09; }');
    expectScope(bad, '09', 'invalid.illegal.numeric.proto');
  });

  test('block comment spanning lines, doc comments, line comments', async () => {
    const lines = await tok(
      [
        '/* starts here',
        '   message Fake { string s = 1; }',
        '   ends */ message Real {} // trailing message',
        '/** doc */',
        'service S { // rpc Fake(A) returns (B);',
        '  rpc Real(A) returns (B); /* inline */ rpc Two(stream A) returns (B);',
        '}',
      ].join('\n'),
    );
    expectScope(lines[0], '/*', 'punctuation.definition.comment.begin.proto');
    assert.ok(hasScope(lines[0].openScopes, 'comment.block.proto'), 'block comment stays open');
    expectScope(lines[1], 'message Fake', 'comment.block.proto', { exact: false });
    expectNoScope(lines[1], 'message', 'keyword');
    expectNoScope(lines[1], 'string', 'storage');
    expectScope(lines[2], '*/', 'punctuation.definition.comment.end.proto');
    expectScope(lines[2], 'message', 'keyword.other.message.proto');
    expectScope(lines[2], 'Real', 'entity.name.type.message.proto');
    expectScope(lines[2], '//', 'punctuation.definition.comment.proto');
    expectScope(lines[2], 'trailing message', 'comment.line.double-slash.proto', { exact: false });
    expectNoScope(lines[2], 'message', 'keyword', { nth: 1 });
    expectScope(lines[3], 'doc', 'comment.block.documentation.proto', { exact: false });
    expectScope(lines[4], 'rpc Fake', 'comment.line.double-slash.proto', { exact: false });
    expectScope(lines[5], 'Real', 'entity.name.function.rpc.proto');
    expectScope(lines[5], 'inline', 'comment.block.proto', { exact: false });
    expectScope(lines[5], 'Two', 'entity.name.function.rpc.proto');
    expectScope(lines[5], 'stream', 'keyword.other.stream.proto');
    assert.equal(lines[6].depthAfter, 1);
  });

  test('a missing ";" does not swallow the following statements', async () => {
    const lines = await tok(
      [
        'message M {',
        '  string a = 1',
        '  int32 b = 2;',
        '  option (x) = "unterminated',
        '  repeated string c = 3 [',
        '    deprecated = true',
        '  ];',
        '}',
        'enum E {',
        '  A = 0',
        '  B = 1;',
        '}',
      ].join('\n'),
    );
    expectScope(lines[2], 'int32', 'storage.type.scalar.proto');
    expectScope(lines[2], 'b', 'variable.other.field.proto');
    expectNoScope(lines[2], 'int32', 'meta.option');
    expectScope(lines[4], 'repeated', 'keyword.other.repeated.proto');
    expectNoScope(lines[4], 'repeated', 'meta.option');
    // a multi-line option list is not cut short by its `name = value` lines
    expectScope(lines[5], 'deprecated', 'meta.field-options.proto');
    expectScope(lines[5], 'deprecated', 'entity.other.attribute-name.option.proto');
    expectScope(lines[6], ']', 'punctuation.definition.field-options.end.proto');
    assert.equal(lines[7].depthAfter, 1);
    expectScope(lines[10], 'B', 'variable.other.enummember.proto');
    expectScope(lines[10], '1', 'constant.numeric');
    assert.equal(lines[11].depthAfter, 1);
  });

  // Fields and enum values split over lines: every part keeps the scope it has in a one-line declaration, and
  // the comments inside stay comments.

  test('a field split after its type: "repeated string" / "names = 1;"', async () => {
    const lines = await tok(['message A {', '  repeated string', '      names = 1;', '  int32 next = 2;', '}'].join('\n'));
    expectScope(lines[1], 'repeated', 'keyword.other.repeated.proto');
    expectScope(lines[1], 'repeated', 'meta.field.proto');
    expectScope(lines[1], 'string', 'storage.type.scalar.proto');
    expectScope(lines[1], 'string', 'meta.field.proto');
    assert.ok(hasScope(lines[1].openScopes, 'meta.field.proto'), `the field must go on after ${describeLine(lines[1])}`);
    const l = lines[2];
    expectScope(l, 'names', 'variable.other.field.proto');
    expectScope(l, 'names', 'meta.field.proto');
    expectScope(l, '=', 'keyword.operator.assignment.proto');
    expectScope(l, '1', 'constant.numeric.integer.decimal.proto');
    expectScope(l, ';', 'punctuation.terminator.proto');
    assert.ok(!hasScope(l.openScopes, 'meta.field.proto'), `the field must end at its ";" on ${describeLine(l)}`);
    expectScope(lines[3], 'next', 'variable.other.field.proto');
    assert.equal(lines[4].depthAfter, 1, 'message closes');
  });

  test('a map field split after map<K, V>', async () => {
    const lines = await tok(['message A {', '  map<string, string> // c', '      labels = 2;', '}'].join('\n'));
    expectScope(lines[1], 'map', 'keyword.other.map.proto');
    expectScope(lines[1], 'string', 'storage.type.scalar.proto', { nth: 1 });
    expectScope(lines[1], ' c', 'comment.line.double-slash.proto');
    const l = lines[2];
    expectScope(l, 'labels', 'variable.other.field.proto');
    expectScope(l, 'labels', 'meta.field.map.proto');
    expectScope(l, '=', 'keyword.operator.assignment.proto');
    expectScope(l, '2', 'constant.numeric.integer.decimal.proto');
    expectScope(l, ';', 'punctuation.terminator.proto');
    assert.ok(!hasScope(l.openScopes, 'meta.field.map.proto'), `the map field must end at its ";" on ${describeLine(l)}`);
    assert.equal(lines[3].depthAfter, 1, 'message closes');
  });

  test('a field split before "=", with a line comment after the name', async () => {
    const lines = await tok(['message A {', '  string value // why', '      = 3;', '}'].join('\n'));
    const head = lines[1];
    expectScope(head, 'string', 'storage.type.scalar.proto');
    expectScope(head, 'value', 'variable.other.field.proto');
    expectScope(head, '//', 'punctuation.definition.comment.proto');
    expectScope(head, ' why', 'comment.line.double-slash.proto');
    expectScope(head, ' why', 'meta.field.proto');
    const l = lines[2];
    expectScope(l, '=', 'keyword.operator.assignment.proto');
    expectScope(l, '=', 'meta.field.proto');
    expectScope(l, '3', 'constant.numeric.integer.decimal.proto');
    expectScope(l, ';', 'punctuation.terminator.proto');
    assert.equal(lines[3].depthAfter, 1, 'message closes');
  });

  // (this shape already worked when the one-line field rule was all there was: kept as a guard for the rework)
  test('a field split after "=": the number and the options on the next line', async () => {
    const lines = await tok(['message A {', '  int32 count = /* n */', '      4 [deprecated = true];', '}'].join('\n'));
    const head = lines[1];
    expectScope(head, 'int32', 'storage.type.scalar.proto');
    expectScope(head, 'count', 'variable.other.field.proto');
    expectScope(head, '=', 'keyword.operator.assignment.proto');
    expectScope(head, ' n ', 'comment.block.proto');
    const l = lines[2];
    expectScope(l, '4', 'constant.numeric.integer.decimal.proto');
    expectScope(l, '4', 'meta.field.proto');
    expectScope(l, 'deprecated', 'entity.other.attribute-name.option.proto');
    expectScope(l, 'true', 'constant.language.boolean');
    expectScope(l, ']', 'punctuation.definition.field-options.end.proto');
    expectScope(l, ';', 'punctuation.terminator.proto');
    assert.equal(lines[3].depthAfter, 1, 'message closes');
  });

  test('a block comment between the type and the name', async () => {
    const lines = await tok(['message A {', '  Foo.Bar /* c */ nested = 5;', '  optional /* c */ int32 other = 6;', '}'].join('\n'));
    const l = lines[1];
    expectScope(l, 'Foo.Bar', 'entity.name.type.proto');
    expectScope(l, 'Foo.Bar', 'meta.field.proto');
    expectScope(l, '/*', 'punctuation.definition.comment.begin.proto');
    expectScope(l, ' c ', 'comment.block.proto');
    expectScope(l, 'nested', 'variable.other.field.proto');
    expectScope(l, '=', 'keyword.operator.assignment.proto');
    expectScope(l, '5', 'constant.numeric.integer.decimal.proto');
    expectScope(l, ';', 'punctuation.terminator.proto');
    const o = lines[2];
    expectScope(o, 'optional', 'keyword.other.optional.proto');
    expectScope(o, ' c ', 'comment.block.proto');
    expectScope(o, 'int32', 'storage.type.scalar.proto');
    expectScope(o, 'other', 'variable.other.field.proto');
    expectScope(o, '6', 'constant.numeric.integer.decimal.proto');
    assert.equal(lines[3].depthAfter, 1, 'message closes');
  });

  test('a label alone on its line, and a field split at every token', async () => {
    const lines = await tok(
      [
        'message A {',
        '  optional',
        '    int64 n = 6;',
        '  repeated // c1',
        '    Foo.Bar // c2',
        '    items // c3',
        '    = 7 // c4',
        '    ;',
        '}',
      ].join('\n'),
    );
    expectScope(lines[1], 'optional', 'keyword.other.optional.proto');
    expectScope(lines[1], 'optional', 'meta.field.proto');
    expectScope(lines[2], 'int64', 'storage.type.scalar.proto');
    expectScope(lines[2], 'n', 'variable.other.field.proto', { from: lines[2].text.indexOf('int64') + 5 });
    expectScope(lines[2], '6', 'constant.numeric.integer.decimal.proto', { from: lines[2].text.indexOf('=') });
    expectScope(lines[2], ';', 'punctuation.terminator.proto');

    expectScope(lines[3], 'repeated', 'keyword.other.repeated.proto');
    expectScope(lines[4], 'Foo.Bar', 'entity.name.type.proto');
    expectScope(lines[4], 'Foo.Bar', 'meta.field.proto');
    expectScope(lines[5], 'items', 'variable.other.field.proto');
    expectScope(lines[6], '=', 'keyword.operator.assignment.proto');
    expectScope(lines[6], '7', 'constant.numeric.integer.decimal.proto');
    for (const [i, c] of [[3, ' c1'], [4, ' c2'], [5, ' c3'], [6, ' c4']] as const) {
      expectScope(lines[i], c, 'comment.line.double-slash.proto');
      expectScope(lines[i], c, 'meta.field.proto');
    }
    expectScope(lines[7], ';', 'punctuation.terminator.proto');
    expectScope(lines[7], ';', 'meta.field.proto');
    assert.equal(lines[8].depthAfter, 1, 'message closes');
  });

  test('an enum value split before "="', async () => {
    const lines = await tok(['enum E {', '  FOO', '    = 1;', '  BAR /* b */ // c', '    = 2 [deprecated = true];', '}'].join('\n'));
    expectScope(lines[1], 'FOO', 'variable.other.enummember.proto');
    expectScope(lines[2], '=', 'keyword.operator.assignment.proto');
    expectScope(lines[2], '=', 'meta.enum-value.proto');
    expectScope(lines[2], '1', 'constant.numeric.integer.decimal.proto');
    expectScope(lines[2], ';', 'punctuation.terminator.proto');
    expectScope(lines[3], 'BAR', 'variable.other.enummember.proto');
    expectScope(lines[3], ' b ', 'comment.block.proto');
    expectScope(lines[3], ' c', 'comment.line.double-slash.proto');
    expectScope(lines[4], '=', 'keyword.operator.assignment.proto');
    expectScope(lines[4], '2', 'constant.numeric.integer.decimal.proto');
    expectScope(lines[4], '2', 'meta.enum-value.proto');
    expectScope(lines[4], 'deprecated', 'entity.other.attribute-name.option.proto');
    assert.equal(lines[5].depthAfter, 1, 'enum closes');
  });

  test('an unfinished multi-line field does not swallow the next declaration', async () => {
    const lines = await tok(
      [
        'message A {',
        '  repeated string', //     a type without a name
        '  int32 b = 3;',
        '  optional', //            a label without a type
        '  message Inner {}',
        '  Foo', //                 a type before "}"
        '}',
        'message B {',
        '  string a = 1', //        a missing ";" before a field split over lines
        '  Foo.Bar',
        '    nested = 2;',
        '  repeated string',
        '    option = 4;', //       a keyword can be a field name
        '  map<string, int32>',
        '  reserved 5;',
        '}',
        'enum E {',
        '  A',
        '  B = 1;',
        '}',
      ].join('\n'),
    );
    expectScope(lines[2], 'int32', 'storage.type.scalar.proto');
    expectScope(lines[2], 'b', 'variable.other.field.proto');
    expectScope(lines[2], '3', 'constant.numeric', { from: lines[2].text.indexOf('=') });
    expectScope(lines[4], 'message', 'keyword.other.message.proto');
    expectScope(lines[4], 'Inner', 'entity.name.type.message.proto');
    expectNoScope(lines[4], 'message', 'meta.field.proto');
    expectScope(lines[5], 'Foo', 'entity.name.type.proto');
    expectScope(lines[6], '}', 'punctuation.section.block.end.proto');
    assert.equal(lines[6].depthAfter, 1, 'message A closes');

    expectScope(lines[8], '1', 'constant.numeric');
    expectScope(lines[9], 'Foo.Bar', 'entity.name.type.proto');
    expectScope(lines[10], 'nested', 'variable.other.field.proto');
    expectScope(lines[10], '2', 'constant.numeric');
    expectScope(lines[12], 'option', 'variable.other.field.proto');
    expectNoScope(lines[12], 'option', 'keyword');
    expectScope(lines[12], '4', 'constant.numeric');
    expectScope(lines[14], 'reserved', 'keyword.other.reserved.proto');
    expectNoScope(lines[14], 'reserved', 'meta.field');
    expectScope(lines[14], '5', 'constant.numeric');
    assert.equal(lines[15].depthAfter, 1, 'message B closes');

    expectScope(lines[17], 'A', 'variable.other.enummember.proto');
    expectScope(lines[18], 'B', 'variable.other.enummember.proto');
    expectNoScope(lines[18], 'B', 'keyword');
    expectScope(lines[18], '1', 'constant.numeric');
    assert.equal(lines[19].depthAfter, 1, 'enum closes');
  });

  test('editions and rpc options', async () => {
    const lines = await tok(
      [
        'edition = "2023";',
        'export message Pub {}',
        'service S {',
        '  rpc Get(Req) returns (stream Resp) {',
        '    option (google.api.http) = { get: "/v1/{name=*}" };',
        '  }',
        '}',
      ].join('\n'),
    );
    expectScope(lines[0], 'edition', 'keyword.other.edition.proto');
    expectScope(lines[0], '2023', 'string.quoted.double.proto');
    expectScope(lines[1], 'export', 'keyword.other.visibility.proto');
    expectScope(lines[1], 'Pub', 'entity.name.type.message.proto');
    expectScope(lines[3], 'stream', 'keyword.other.stream.proto');
    expectScope(lines[4], 'google.api.http', 'entity.other.attribute-name.option.custom.proto');
    expectScope(lines[4], 'get', 'variable.other.property.proto');
    expectScope(lines[4], '/v1/{name=*}', 'string.quoted.double.proto');
    expectScope(lines[4], 'google.api.http', 'meta.rpc.proto');
    assert.ok(!hasScope(lines[5].openScopes, 'meta.rpc.proto'), 'rpc body closes');
    assert.equal(lines[6].depthAfter, 1);
  });
  // While a declaration is being typed its "{" is not there yet: the header must give way to the next
  // declaration and leave a "}" to the block it belongs to, or the rest of the file is nested one level too deep.
  test('an unfinished declaration header does not swallow what follows', async () => {
    const lines = await tok(
      [
        'message Outer {',
        '  message Inner', //   no "{" yet
        '  string a = 1;',
        '}',
        'enum E', //            before a top-level declaration
        'message After { int32 b = 2; }',
        'message O2 {',
        '  oneof choice', //    before "}"
        '}',
        'service S',
        'extend Foo',
        'message Last',
        '  // a comment',
        '{',
        '  int32 c = 3;',
        '}',
      ].join('\n'),
    );
    expectScope(lines[1], 'Inner', 'entity.name.type.message.proto');
    expectScope(lines[2], 'string', 'storage.type.scalar.proto');
    expectScope(lines[2], 'a', 'variable.other.field.proto', { from: lines[2].text.indexOf('string') + 6 });
    const nesting = tokenAt(lines[2], 'string').scopes.filter((sc) => sc === 'meta.message.proto').length;
    assert.equal(nesting, 1, `the field belongs to Outer, not to the unfinished Inner: ${describeLine(lines[2])}`);
    expectScope(lines[3], '}', 'punctuation.section.block.end.proto');
    assert.equal(lines[3].depthAfter, 1, 'Outer closes at its own "}"');

    expectScope(lines[4], 'E', 'entity.name.type.enum.proto');
    expectScope(lines[5], 'message', 'keyword.other.message.proto');
    expectScope(lines[5], 'After', 'entity.name.type.message.proto');
    expectNoScope(lines[5], 'After', 'meta.enum.proto');
    expectScope(lines[5], 'b', 'variable.other.field.proto', { from: lines[5].text.indexOf('int32') + 5 });

    expectScope(lines[7], 'choice', 'variable.other.oneof.proto');
    expectScope(lines[8], '}', 'punctuation.section.block.end.proto');
    assert.equal(lines[8].depthAfter, 1, 'O2 closes at its own "}"');

    expectScope(lines[9], 'S', 'entity.name.type.service.proto');
    expectScope(lines[10], 'extend', 'keyword.other.extend.proto');
    expectNoScope(lines[10], 'extend', 'meta.service.proto');
    expectScope(lines[11], 'message', 'keyword.other.message.proto');
    expectNoScope(lines[11], 'message', 'meta.extend.proto');
    // a header may still go on over lines, with comments, until its "{"
    expectScope(lines[12], 'a comment', 'comment.line.double-slash.proto', { exact: false });
    expectScope(lines[13], '{', 'punctuation.section.block.begin.proto');
    expectScope(lines[14], 'c', 'variable.other.field.proto', { from: lines[14].text.indexOf('int32') + 5 });
    expectScope(lines[14], 'c', 'meta.message.proto', { from: lines[14].text.indexOf('int32') + 5 });
    assert.equal(lines[15].depthAfter, 1, 'file ends at top level');
  });

  // The directive is what the server reads (compat/suppress.ts): the marker right after a "//", then rule ids
  // separated by commas; the reason stays comment text.
  test('cri-compat:ignore suppression comments are highlighted inside the comment', async () => {
    const lines = await tok(
      [
        'message M {',
        '  // cri-compat:ignore FIELD_TYPE_CHANGED values never exceed 2^31',
        '  int32 cpu = 7; // cri-compat:ignore FIELD_NO_DELETE, FIELD_RENAMED both intended',
        '  // see above // cri-compat:ignore RPC_NO_DELETE why',
        '  // cri-compat:ignore lower_case is a reason, not a rule id',
        '  // a sentence about cri-compat:ignore FOO is prose',
        '  /* cri-compat:ignore FOO */',
        '  option (x) = "// cri-compat:ignore FOO";',
        '}',
      ].join('\n'),
    );
    const own = lines[1];
    expectScope(own, '//', 'punctuation.definition.comment.proto');
    expectScope(own, 'cri-compat:ignore', 'keyword.other.suppression.proto');
    expectScope(own, 'cri-compat:ignore', 'comment.line.double-slash.proto');
    expectScope(own, 'FIELD_TYPE_CHANGED', 'variable.other.constant.rule-id.proto');
    expectScope(own, 'FIELD_TYPE_CHANGED', 'comment.line.double-slash.proto');
    expectScope(own, ' values never exceed 2^31', 'comment.line.double-slash.proto');
    expectNoScope(own, ' values never exceed 2^31', 'meta.suppression.proto');
    assert.ok(!hasScope(own.openScopes, 'comment'), 'the line comment ends with its line');

    const trailing = lines[2];
    expectScope(trailing, ';', 'punctuation.terminator.proto');
    expectScope(trailing, 'cri-compat:ignore', 'keyword.other.suppression.proto');
    expectScope(trailing, 'FIELD_NO_DELETE', 'variable.other.constant.rule-id.proto');
    expectScope(trailing, ',', 'punctuation.separator.comma.proto', { from: trailing.text.indexOf('//') });
    expectScope(trailing, 'FIELD_RENAMED', 'variable.other.constant.rule-id.proto');
    expectNoScope(trailing, 'both intended', 'variable');

    expectScope(lines[3], 'cri-compat:ignore', 'keyword.other.suppression.proto');
    expectScope(lines[3], 'RPC_NO_DELETE', 'variable.other.constant.rule-id.proto');
    expectScope(lines[4], 'cri-compat:ignore', 'keyword.other.suppression.proto');
    expectNoScope(lines[4], 'lower_case', 'variable');
    for (const l of lines.slice(5, 8)) expectNoScope(l, 'cri-compat:ignore', 'keyword', { exact: false });
    expectScope(lines[7], '// cri-compat:ignore FOO', 'string.quoted.double.proto');
    assert.equal(lines[8].depthAfter, 1);
  });
});

// ---------------------------------------------------------------------------
// keywords used as names, and names on the line after their keyword

describe('keywords as type and field names', () => {
  // protoc and the server's parser read a keyword as a type where what follows fits a field: `message m = 1;`
  // cannot declare a message, `message.Foo` is a type path, and after a label anything but `group` is a type.
  test('a field whose type is named like a keyword', async () => {
    const lines = await tok(
      [
        'message A {',
        '  message message = 1;',
        '  enum enum = 2;',
        '  service service = 3;',
        '  stream stream = 4;',
        '  returns returns = 5;',
        '  repeated option opts = 6;',
        '  option.Sub sub = 7;',
        '  message.Foo foo = 8;',
        '  repeated message msgs = 9;',
        '  reserved r = 10;',
        '  extensions e = 11;',
        '  oneof o = 12;',
        '  extend x = 13;',
        '  map m = 14;',
        '  optional rpc.Call call = 15;',
        '  message Nested {}',
        '  enum Kind { KIND_UNSPECIFIED = 0; }',
        '  reserved 20 to max;',
        '  oneof choice { message picked = 16; }',
        '}',
      ].join('\n'),
    );
    const kws = ['message', 'enum', 'service', 'stream', 'returns'];
    kws.forEach((kw, i) => {
      const l = lines[i + 1];
      expectScope(l, kw, 'entity.name.type.proto');
      expectNoScope(l, kw, 'keyword');
      expectScope(l, kw, 'variable.other.field.proto', { nth: 1 });
      expectScope(l, String(i + 1), 'constant.numeric.integer.decimal.proto', { from: l.text.indexOf('=') });
      expectScope(l, kw, 'meta.field.proto');
      assert.equal(l.depthAfter, lines[0].depthAfter, `the field ends on its line: ${describeLine(l)}`);
    });
    expectScope(lines[6], 'repeated', 'keyword.other.repeated.proto');
    expectScope(lines[6], 'option', 'entity.name.type.proto');
    expectNoScope(lines[6], 'option', 'meta.option.proto');
    expectScope(lines[6], 'opts', 'variable.other.field.proto');
    expectScope(lines[7], 'option.Sub', 'entity.name.type.proto');
    expectScope(lines[7], 'sub', 'variable.other.field.proto');
    expectScope(lines[8], 'message.Foo', 'entity.name.type.proto');
    expectNoScope(lines[8], 'message.Foo', 'keyword');
    expectScope(lines[9], 'message', 'entity.name.type.proto');
    expectScope(lines[9], 'msgs', 'variable.other.field.proto');
    for (const [i, kw] of [[10, 'reserved'], [11, 'extensions'], [12, 'oneof'], [13, 'extend'], [14, 'map']] as const) {
      expectScope(lines[i], kw, 'entity.name.type.proto');
      expectNoScope(lines[i], kw, 'keyword');
      expectScope(lines[i], String(i), 'constant.numeric.integer.decimal.proto', { from: lines[i].text.indexOf('=') });
    }
    expectScope(lines[15], 'rpc.Call', 'entity.name.type.proto');
    expectScope(lines[15], 'call', 'variable.other.field.proto');
    // the keywords still declare what they declare
    expectScope(lines[16], 'message', 'keyword.other.message.proto');
    expectScope(lines[16], 'Nested', 'entity.name.type.message.proto');
    expectScope(lines[17], 'enum', 'keyword.other.enum.proto');
    expectScope(lines[17], 'KIND_UNSPECIFIED', 'variable.other.enummember.proto');
    expectScope(lines[18], 'reserved', 'keyword.other.reserved.proto');
    expectScope(lines[18], 'max', 'keyword.other.max.proto');
    expectScope(lines[19], 'oneof', 'keyword.other.oneof.proto');
    expectScope(lines[19], 'message', 'entity.name.type.proto');
    expectScope(lines[19], 'picked', 'variable.other.field.proto');
    expectScope(lines[19], 'picked', 'meta.oneof.proto');
    assert.equal(lines[20].depthAfter, 1, 'message closes');
  });

  test('fields, enum values and rpcs named like keywords', async () => {
    const lines = await tok(
      [
        'message A {',
        '  Foo option = 1;',
        '  Foo message = 2;',
        '  int32 reserved = 3;',
        '  string syntax = 4;',
        '  bool max = 5;',
        '  .pkg.Msg import = 6;',
        '  option deprecated = true;', // `option name = value` is an option, as protoc reads it
        '}',
        'enum E {',
        '  option = 0;',
        '  reserved = 1;',
        '  message = 2;',
        '  option allow_alias = true;',
        '  reserved 10 to max;',
        '}',
        'service S {',
        '  rpc returns(stream) returns (returns);',
        '  rpc stream(stream stream) returns (stream message);',
        '}',
      ].join('\n'),
    );
    for (const [i, name] of [[1, 'option'], [2, 'message'], [3, 'reserved'], [4, 'syntax'], [5, 'max'], [6, 'import']] as const) {
      expectScope(lines[i], name, 'variable.other.field.proto');
      expectNoScope(lines[i], name, 'keyword');
      expectScope(lines[i], String(i), 'constant.numeric.integer.decimal.proto', { from: lines[i].text.indexOf('=') });
    }
    expectScope(lines[6], '.pkg.Msg', 'entity.name.type.proto');
    expectScope(lines[7], 'option', 'keyword.other.option.proto');
    expectScope(lines[7], 'deprecated', 'entity.other.attribute-name.option.proto');

    for (const [i, name] of [[10, 'option'], [11, 'reserved'], [12, 'message']] as const) {
      expectScope(lines[i], name, 'variable.other.enummember.proto');
      expectNoScope(lines[i], name, 'keyword');
      expectScope(lines[i], String(i - 10), 'constant.numeric.integer.decimal.proto', { from: lines[i].text.indexOf('=') });
    }
    expectScope(lines[13], 'option', 'keyword.other.option.proto');
    expectScope(lines[14], 'reserved', 'keyword.other.reserved.proto');
    expectScope(lines[14], 'max', 'keyword.other.max.proto');

    const r1 = lines[17];
    expectScope(r1, 'returns', 'entity.name.function.rpc.proto');
    expectScope(r1, 'stream', 'entity.name.type.proto'); // `(stream)`: a type named stream
    expectNoScope(r1, 'stream', 'keyword');
    expectScope(r1, 'returns', 'keyword.other.returns.proto', { nth: 1 });
    expectScope(r1, 'returns', 'entity.name.type.proto', { nth: 2 });
    const r2 = lines[18];
    expectScope(r2, 'stream', 'entity.name.function.rpc.proto');
    expectScope(r2, 'stream', 'keyword.other.stream.proto', { nth: 1 });
    expectScope(r2, 'stream', 'entity.name.type.proto', { nth: 2 });
    expectScope(r2, 'stream', 'keyword.other.stream.proto', { nth: 3 });
    expectScope(r2, 'message', 'entity.name.type.proto');
    assert.equal(lines[19].depthAfter, 1, 'service closes');
  });

  test('a keyword type after a label alone on its line', async () => {
    const lines = await tok(['message A {', '  optional', '    message m = 1;', '  repeated', '    enum.Kind kinds = 2;', '}'].join('\n'));
    expectScope(lines[2], 'message', 'entity.name.type.proto');
    expectScope(lines[2], 'message', 'meta.field.proto');
    expectScope(lines[2], 'm', 'variable.other.field.proto', { from: lines[2].text.indexOf('message') + 7 });
    expectScope(lines[4], 'enum.Kind', 'entity.name.type.proto');
    expectScope(lines[4], 'kinds', 'variable.other.field.proto');
    assert.equal(lines[5].depthAfter, 1, 'message closes');
  });
});

describe('declaration names on the line after their keyword', () => {
  test('message, enum, service, rpc, oneof, extend and option', async () => {
    const lines = await tok(
      [
        'message', //                   0
        '  Foo {',
        '  oneof // the choice',
        '    kind {',
        '    int32 a = 1;',
        '  }', //                       5
        '  enum',
        '    /* the state */ State { STATE_UNSPECIFIED = 0; }',
        '  option',
        '    deprecated = true;',
        '}', //                         10
        'service',
        '  Svc {',
        '  rpc',
        '   Get (Req)',
        '   returns (Resp);', //        15
        '  rpc List(stream',
        '      Req) returns',
        '    (stream Resp) {}',
        '}',
        'extend', //                    20
        '  .google.protobuf.FieldOptions { string ext = 50000; }',
        'option',
        '  java_package = "x";',
        'message After { int32 b = 2; }',
      ].join('\n'),
    );
    expectScope(lines[0], 'message', 'keyword.other.message.proto');
    expectScope(lines[1], 'Foo', 'entity.name.type.message.proto');
    expectScope(lines[1], '{', 'punctuation.section.block.begin.proto');
    expectScope(lines[2], 'oneof', 'keyword.other.oneof.proto');
    expectScope(lines[2], ' the choice', 'comment.line.double-slash.proto');
    expectScope(lines[3], 'kind', 'variable.other.oneof.proto');
    expectScope(lines[4], 'a', 'variable.other.field.proto');
    expectScope(lines[4], 'a', 'meta.oneof.proto');
    expectScope(lines[7], ' the state ', 'comment.block.proto');
    expectScope(lines[7], 'State', 'entity.name.type.enum.proto');
    expectScope(lines[7], 'STATE_UNSPECIFIED', 'variable.other.enummember.proto');
    expectScope(lines[8], 'option', 'keyword.other.option.proto');
    expectScope(lines[9], 'deprecated', 'entity.other.attribute-name.option.proto');
    expectScope(lines[9], 'deprecated', 'meta.option.proto');
    expectScope(lines[9], 'true', 'constant.language.boolean.true.proto');
    assert.equal(lines[10].depthAfter, 1, 'Foo closes');

    expectScope(lines[12], 'Svc', 'entity.name.type.service.proto');
    expectScope(lines[13], 'rpc', 'keyword.other.rpc.proto');
    expectScope(lines[14], 'Get', 'entity.name.function.rpc.proto');
    expectScope(lines[14], 'Req', 'entity.name.type.proto');
    expectScope(lines[15], 'returns', 'keyword.other.returns.proto');
    expectScope(lines[15], 'Resp', 'entity.name.type.proto');
    expectScope(lines[15], ';', 'punctuation.terminator.proto');
    assert.ok(!hasScope(lines[15].openScopes, 'meta.rpc.proto'), 'the rpc ends at its ";"');
    expectScope(lines[16], 'List', 'entity.name.function.rpc.proto');
    expectScope(lines[16], 'stream', 'keyword.other.stream.proto'); // its type is on the next line
    expectScope(lines[17], 'Req', 'entity.name.type.proto');
    expectScope(lines[17], 'returns', 'keyword.other.returns.proto');
    expectScope(lines[18], 'stream', 'keyword.other.stream.proto');
    expectScope(lines[18], 'Resp', 'entity.name.type.proto');
    assert.equal(lines[19].depthAfter, 1, 'Svc closes');

    expectScope(lines[20], 'extend', 'keyword.other.extend.proto');
    expectScope(lines[21], '.google.protobuf.FieldOptions', 'entity.name.type.proto');
    expectScope(lines[21], 'ext', 'variable.other.field.proto');
    assert.equal(lines[21].depthAfter, 1, 'extend closes');
    expectScope(lines[23], 'java_package', 'entity.other.attribute-name.option.proto');
    expectScope(lines[23], 'x', 'string.quoted.double.proto');
    assert.equal(lines[23].depthAfter, 1, 'the option ends at its ";"');
    expectScope(lines[24], 'After', 'entity.name.type.message.proto');
    expectScope(lines[24], 'b', 'variable.other.field.proto', { from: lines[24].text.indexOf('int32') + 5 });
  });

  test('a keyword waiting for its name gives way to the next declaration', async () => {
    const lines = await tok(
      [
        'message Outer {',
        '  message', //          no name yet
        '  int32 a = 1;',
        '  enum',
        '  message m = 2;', //  a field of type `message`, not the enum's name
        '  oneof',
        '}',
        'service S {',
        '  rpc',
        '  option (o) = 1;',
        '  rpc',
        '}',
        'enum',
        'message After {}',
      ].join('\n'),
    );
    expectScope(lines[2], 'int32', 'storage.type.scalar.proto');
    expectScope(lines[2], 'a', 'variable.other.field.proto', { from: lines[2].text.indexOf('int32') + 5 });
    expectNoScope(lines[2], 'a', 'entity.name', { from: lines[2].text.indexOf('int32') + 5 });
    assert.equal(lines[2].depthAfter, lines[0].depthAfter, `the field is Outer's: ${describeLine(lines[2])}`);
    expectScope(lines[4], 'message', 'entity.name.type.proto');
    const m = lines[4].text.indexOf('message') + 7;
    expectScope(lines[4], 'm', 'variable.other.field.proto', { from: m });
    expectNoScope(lines[4], 'm', 'meta.enum.proto', { from: m });
    expectScope(lines[6], '}', 'punctuation.section.block.end.proto');
    assert.equal(lines[6].depthAfter, 1, 'Outer closes at its own "}"');
    expectScope(lines[9], 'option', 'keyword.other.option.proto');
    expectNoScope(lines[9], 'option', 'meta.rpc.proto');
    expectNoScope(lines[9], 'option', 'entity.name');
    assert.equal(lines[11].depthAfter, 1, 'S closes at its own "}"');
    expectScope(lines[13], 'message', 'keyword.other.message.proto');
    expectScope(lines[13], 'After', 'entity.name.type.message.proto');
    expectNoScope(lines[13], 'After', 'meta.enum.proto');
    assert.equal(lines[13].depthAfter, 1);
  });
});

// protoc reads tokens, not lines: a type path may break at any of its dots, a group's name may come on a later
// line, and a comment may stand between any two tokens. Each part keeps the scope it has in a one-line declaration.
describe('declarations split over lines, and comments between their tokens', () => {
  test('a type split at a dot across lines is one type', async () => {
    const lines = await tok(
      [
        'message A {',
        '  repeated runtime.v1.',
        '    ContainerConfig configs = 1;',
        '  foo',
        '    .Bar x = 2;',
        '  a.b. // c',
        '    c.',
        '    d e = 3;',
        '  repeated',
        '    runtime.v1.',
        '    Cfg cfgs = 4;',
        '  Foo',
        '    . Baz y = 5;',
        '  int32 after = 6;',
        '}',
      ].join('\n'),
    );
    checkTokensSane(lines);
    const head = lines[1];
    expectScope(head, 'repeated', 'keyword.other.repeated.proto');
    expectScope(head, 'repeated', 'meta.field.proto');
    expectScope(head, 'runtime.v1', 'entity.name.type.proto');
    expectScope(head, '.', 'entity.name.type.proto', { nth: 1 });
    assert.ok(hasScope(head.openScopes, 'meta.field.proto'), `the field must go on after ${describeLine(head)}`);
    expectScope(lines[2], 'ContainerConfig', 'entity.name.type.proto');
    expectScope(lines[2], 'configs', 'variable.other.field.proto');
    expectScope(lines[2], '1', 'constant.numeric.integer.decimal.proto');
    expectScope(lines[2], ';', 'punctuation.terminator.proto');
    assert.ok(!hasScope(lines[2].openScopes, 'meta.field.proto'), 'the field ends at its ";"');

    // a line that starts with a dot goes on with the type: a field cannot start there
    expectScope(lines[3], 'foo', 'entity.name.type.proto');
    expectScope(lines[4], '.', 'entity.name.type.proto');
    expectScope(lines[4], 'Bar', 'entity.name.type.proto');
    expectScope(lines[4], 'x', 'variable.other.field.proto');

    expectScope(lines[5], 'a.b', 'entity.name.type.proto');
    expectScope(lines[5], ' c', 'comment.line.double-slash.proto');
    expectScope(lines[6], 'c.', 'entity.name.type.proto');
    expectScope(lines[7], 'd', 'entity.name.type.proto');
    expectNoScope(lines[7], 'd', 'variable');
    expectScope(lines[7], 'e', 'variable.other.field.proto');

    expectScope(lines[9], 'runtime.v1', 'entity.name.type.proto');
    expectScope(lines[10], 'Cfg', 'entity.name.type.proto');
    expectScope(lines[10], 'cfgs', 'variable.other.field.proto');

    expectScope(lines[12], 'Baz', 'entity.name.type.proto');
    expectNoScope(lines[12], 'Baz', 'variable');
    expectScope(lines[12], 'y', 'variable.other.field.proto');
    expectScope(lines[13], 'after', 'variable.other.field.proto');
    assert.equal(lines[14].depthAfter, 1, 'message closes');
  });

  test('a type split at a dot in rpc parameters and after extend', async () => {
    const lines = await tok(
      [
        'service S {',
        '  rpc List(stream runtime.v1.',
        '      ListRequest) returns (runtime',
        '      .v1.ListResponse);',
        '}',
        'extend google.protobuf.',
        '    FieldOptions { string ext = 50000; }',
      ].join('\n'),
    );
    checkTokensSane(lines);
    expectScope(lines[1], 'stream', 'keyword.other.stream.proto');
    expectScope(lines[1], 'runtime.v1.', 'entity.name.type.proto');
    expectScope(lines[2], 'ListRequest', 'entity.name.type.proto');
    expectScope(lines[2], 'returns', 'keyword.other.returns.proto');
    expectScope(lines[2], 'runtime', 'entity.name.type.proto');
    expectScope(lines[3], '.v1.ListResponse', 'entity.name.type.proto');
    assert.equal(lines[4].depthAfter, 1, 'service closes');
    expectScope(lines[5], 'google.protobuf', 'entity.name.type.proto');
    expectScope(lines[5], '.', 'entity.name.type.proto', { nth: 1 });
    expectScope(lines[6], 'FieldOptions', 'entity.name.type.proto');
    expectScope(lines[6], 'ext', 'variable.other.field.proto');
    expectScope(lines[6], 'ext', 'meta.extend.proto');
    assert.equal(lines[6].depthAfter, 1, 'extend closes');
  });

  test('a group whose name is on a later line, or after comments', async () => {
    const lines = await tok(
      [
        'message A {',
        '  optional group',
        '    Result = 1 {',
        '    required string url = 2;',
        '  }',
        '  repeated group // its name:',
        '    // on a line of its own',
        '    Entry',
        '    = 3 { int32 k = 4; }',
        '  optional /* c */ group /* c */ Pair = 5 {}',
        '  optional',
        '    group Last = 6 {}',
        '  int32 after = 7;',
        '}',
        'message B {}',
      ].join('\n'),
    );
    checkTokensSane(lines);
    expectScope(lines[1], 'optional', 'keyword.other.optional.proto');
    expectScope(lines[1], 'group', 'keyword.other.group.proto');
    expectScope(lines[2], 'Result', 'entity.name.type.group.proto');
    expectScope(lines[2], '=', 'keyword.operator.assignment.proto');
    expectScope(lines[2], '1', 'constant.numeric.integer.decimal.proto');
    expectScope(lines[2], '{', 'punctuation.section.block.begin.proto');
    expectScope(lines[3], 'url', 'variable.other.field.proto');
    expectScope(lines[3], 'url', 'meta.group.proto');
    assert.ok(!hasScope(lines[4].openScopes, 'meta.group.proto'), 'the group closes at its "}"');
    assert.ok(hasScope(lines[4].openScopes, 'meta.message.proto'), 'the message goes on after the group');

    expectScope(lines[5], 'group', 'keyword.other.group.proto');
    expectScope(lines[6], ' on a line of its own', 'comment.line.double-slash.proto');
    expectScope(lines[7], 'Entry', 'entity.name.type.group.proto');
    expectScope(lines[8], '3', 'constant.numeric.integer.decimal.proto');
    expectScope(lines[8], 'k', 'variable.other.field.proto');
    expectScope(lines[8], 'k', 'meta.group.proto');

    expectScope(lines[9], 'optional', 'keyword.other.optional.proto');
    expectScope(lines[9], ' c ', 'comment.block.proto');
    expectScope(lines[9], 'group', 'keyword.other.group.proto');
    expectScope(lines[9], 'Pair', 'entity.name.type.group.proto');
    expectScope(lines[11], 'group', 'keyword.other.group.proto');
    expectScope(lines[11], 'Last', 'entity.name.type.group.proto');

    expectScope(lines[12], 'after', 'variable.other.field.proto');
    expectNoScope(lines[12], 'after', 'meta.group.proto');
    assert.equal(lines[13].depthAfter, 1, 'the message closes at its own "}"');
    expectScope(lines[14], 'B', 'entity.name.type.message.proto');
  });

  test('comments in a package name, a type path, before map\'s "<" and inside an option\'s parentheses', async () => {
    const lines = await tok(
      [
        'package runtime /* c */ . /* c */ v1;',
        'message A {',
        '  map /* c */ <string, int32> counts = 1;',
        '  Foo /* c */ . /* c */ Bar /* c */ y = 2;',
        '  int32 z = 3 [( /* c */ my.opt /* c */ ).x = true];',
        '}',
      ].join('\n'),
    );
    checkTokensSane(lines);
    expectScope(lines[0], 'runtime', 'entity.name.namespace.proto');
    expectScope(lines[0], '.', 'entity.name.namespace.proto');
    expectScope(lines[0], 'v1', 'entity.name.namespace.proto');
    const map = lines[2];
    expectScope(map, 'map', 'keyword.other.map.proto');
    expectScope(map, ' c ', 'comment.block.proto');
    expectScope(map, '<', 'punctuation.definition.typeparameters.begin.proto');
    expectScope(map, 'string', 'storage.type.scalar.proto');
    expectScope(map, 'int32', 'storage.type.scalar.proto');
    expectScope(map, 'counts', 'variable.other.field.proto');
    expectScope(map, 'counts', 'meta.field.map.proto');
    const path = lines[3];
    expectScope(path, 'Foo', 'entity.name.type.proto');
    expectScope(path, '.', 'entity.name.type.proto');
    expectScope(path, 'Bar', 'entity.name.type.proto');
    expectNoScope(path, 'Bar', 'variable');
    expectScope(path, 'y', 'variable.other.field.proto');
    const opt = lines[4];
    expectScope(opt, '(', 'punctuation.definition.option-name.begin.proto');
    expectScope(opt, ' c ', 'comment.block.proto');
    expectScope(opt, 'my.opt', 'entity.other.attribute-name.option.custom.proto');
    expectScope(opt, ')', 'punctuation.definition.option-name.end.proto');
    expectScope(opt, 'x', 'entity.other.attribute-name.option.proto', { from: opt.text.indexOf(')') });
    expectScope(opt, 'true', 'constant.language.boolean.true.proto');
    assert.equal(lines[5].depthAfter, 1, 'message closes');
  });

  test('a sign apart from its number', async () => {
    const lines = await tok(['option (a) = - 5;', 'option (b) = -', '  inf;', 'enum E { A = - 1; }'].join('\n'));
    checkTokensSane(lines);
    expectScope(lines[0], '-', 'keyword.operator.sign.proto');
    expectScope(lines[0], '5', 'constant.numeric.integer.decimal.proto');
    expectScope(lines[1], '-', 'keyword.operator.sign.proto');
    expectScope(lines[2], 'inf', 'constant.numeric.float.infinity.proto');
    expectScope(lines[3], '-', 'keyword.operator.sign.proto');
    expectScope(lines[3], '1', 'constant.numeric.integer.decimal.proto');
    assert.equal(lines[3].depthAfter, 1);
  });
});

describe('edge syntax from the language specification', () => {
  test('signed constants, long unicode escapes, concatenated strings, option paths', async () => {
    const lines = await tok(
      [
        'option (a.b).(.c.d).e = +1;',
        'option (f) = +inf;',
        'option (g) = { h: +2.5e-3 i: -0x1F j < k: [1, -2] > [ext.l]: "m" };',
        String.raw`option (s) = "\U0010FFFF \U00110000" 'x' "\x7";`,
        'import option "opts.proto";',
      ].join('\n'),
    );
    const o = lines[0];
    expectScope(o, 'a.b', 'entity.other.attribute-name.option.custom.proto');
    expectScope(o, '.c.d', 'entity.other.attribute-name.option.custom.proto');
    expectScope(o, 'e', 'entity.other.attribute-name.option.proto', { from: o.text.lastIndexOf(')') });
    expectScope(o, '+1', 'constant.numeric.integer.decimal.proto');
    expectScope(lines[1], '+inf', 'constant.numeric.float.infinity.proto');
    const g = lines[2];
    expectScope(g, '+2.5e-3', 'constant.numeric.float.proto');
    expectScope(g, '-0x1F', 'constant.numeric.integer.hexadecimal.proto');
    expectScope(g, 'k', 'variable.other.property.proto');
    expectScope(g, '-2', 'constant.numeric.integer.decimal.proto');
    expectScope(g, '-2', 'meta.array.proto');
    expectScope(g, 'ext.l', 'variable.other.property.extension.proto');
    expectScope(g, '>', 'punctuation.definition.aggregate.end.proto');
    expectScope(g, ';', 'punctuation.terminator.proto');
    const s = lines[3];
    expectScope(s, String.raw`\U0010FFFF`, 'constant.character.escape.unicode.proto');
    // \U takes eight hex digits up to 0010FFFF
    expectScope(s, String.raw`\U`, 'invalid.illegal.unknown-escape.proto', { nth: 1 });
    expectScope(s, 'x', 'string.quoted.single.proto', { from: s.text.indexOf("'") });
    expectScope(s, String.raw`\x7`, 'constant.character.escape.hex.proto');
    expectScope(lines[4], 'option', 'keyword.other.option.proto');
    expectScope(lines[4], 'opts.proto', 'string.quoted.double.proto');
    assert.equal(lines[4].depthAfter, 1);
  });

  test('map fields, leading-dot types, extension ranges with options, negative enum ranges', async () => {
    const lines = await tok(
      [
        'message M {',
        '  map<string, .pkg.Value> values = 1;',
        '  map<',
        '    int64,',
        '    pkg.Msg.Nested> nested = 2 [(x) = { y: 1 }];',
        '  extensions 100 to max [declaration = { number: 100 full_name: ".a.b" type: ".a.C" }];',
        '}',
        'enum E { reserved -5 to -1, 3; NEG = -1; }',
        'service S { rpc R(stream .pkg.Req) returns (.pkg.Resp); }',
      ].join('\n'),
    );
    expectScope(lines[1], '.pkg.Value', 'entity.name.type.proto');
    expectScope(lines[1], 'values', 'variable.other.field.proto');
    expectScope(lines[3], 'int64', 'storage.type.scalar.proto');
    expectScope(lines[4], 'pkg.Msg.Nested', 'entity.name.type.proto');
    expectScope(lines[4], 'nested', 'variable.other.field.proto');
    expectScope(lines[4], 'nested', 'meta.field.map.proto');
    expectScope(lines[4], 'y', 'variable.other.property.proto');
    const ext = lines[5];
    expectScope(ext, 'max', 'keyword.other.max.proto');
    expectScope(ext, 'declaration', 'entity.other.attribute-name.option.proto');
    expectScope(ext, 'full_name', 'variable.other.property.proto');
    expectScope(ext, '.a.b', 'string.quoted.double.proto');
    expectScope(ext, ';', 'punctuation.terminator.proto', { from: ext.text.lastIndexOf(';') });
    assert.equal(lines[6].depthAfter, 1);
    expectScope(lines[7], '-5', 'constant.numeric.integer.decimal.proto');
    expectScope(lines[7], '-1', 'constant.numeric.integer.decimal.proto');
    expectScope(lines[7], 'NEG', 'variable.other.enummember.proto');
    expectScope(lines[8], '.pkg.Req', 'entity.name.type.proto');
    expectScope(lines[8], '.pkg.Resp', 'entity.name.type.proto');
    assert.equal(lines[8].depthAfter, 1);
  });
});

// ---------------------------------------------------------------------------
// language configuration and package.json wiring

describe('language configuration', () => {
  test('package.json contributes this grammar and configuration', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const grammar = JSON.parse(fs.readFileSync(GRAMMAR_PATH, 'utf8'));
    assert.equal(grammar.scopeName, 'source.proto');
    const contrib = pkg.contributes.grammars.find((g: { language: string }) => g.language === 'proto');
    assert.equal(contrib.scopeName, grammar.scopeName);
    assert.equal(path.resolve(REPO_ROOT, contrib.path), GRAMMAR_PATH);
    const lang = pkg.contributes.languages.find((l: { id: string }) => l.id === 'proto');
    assert.equal(path.resolve(REPO_ROOT, lang.configuration), LANGUAGE_CONFIG_PATH);
  });

  test('comments, brackets, pairs, folding, indentation, word pattern', () => {
    const cfg = JSON.parse(fs.readFileSync(LANGUAGE_CONFIG_PATH, 'utf8'));
    assert.deepEqual(cfg.comments, { lineComment: '//', blockComment: ['/*', '*/'] });
    for (const pair of [['{', '}'], ['[', ']'], ['(', ')'], ['<', '>']]) {
      assert.ok(cfg.brackets.some((b: string[]) => b[0] === pair[0] && b[1] === pair[1]), `bracket ${pair}`);
      assert.ok(cfg.surroundingPairs.some((b: string[]) => b[0] === pair[0] && b[1] === pair[1]), `surrounding ${pair}`);
    }
    for (const q of ['"', "'"]) {
      assert.ok(cfg.autoClosingPairs.some((p: { open: string; close: string }) => p.open === q && p.close === q), `auto-close ${q}`);
    }
    const start = new RegExp(cfg.folding.markers.start);
    const end = new RegExp(cfg.folding.markers.end);
    assert.ok(start.test('  // #region fields') && !start.test('// #endregion'));
    assert.ok(end.test('// #endregion') && !end.test('// #region'));

    const inc = new RegExp(cfg.indentationRules.increaseIndentPattern);
    const dec = new RegExp(cfg.indentationRules.decreaseIndentPattern);
    assert.ok(inc.test('message Foo {'));
    assert.ok(inc.test('  string x = 1 [(a) = {'));
    assert.ok(!inc.test('  rpc X(A) returns (B) {}'));
    assert.ok(!inc.test('// a comment {'));
    // an aggregate opened on a line that already holds a complete string value still indents the next line
    assert.ok(inc.test('option (a) = { s: "x"'));
    assert.ok(inc.test("  string w = 1 [(b) = 'it\\'s {', (c) = {"));
    assert.ok(!inc.test('option (a) = "{";'));
    assert.ok(!inc.test('option (a) = { s: "x" };'));
    assert.ok(dec.test('  }'));
    assert.ok(!dec.test('  string s = 1;'));

    const words = 'google.protobuf.Timestamp ts = -12 [default = 0x1F] 1.5e3 1.5e-3 -2E+10 .5e-1f'.match(new RegExp(cfg.wordPattern, 'g'));
    // a negative exponent belongs to its number (double-click, hover ranges)
    assert.deepEqual(words, ['google', 'protobuf', 'Timestamp', 'ts', '-12', 'default', '0x1F', '1.5e3', '1.5e-3', '-2E+10', '.5e-1f']);
  });
});
