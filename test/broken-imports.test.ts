// An imported file that protoc and buf refuse (syntax errors, bytes that are not UTF-8, NUL bytes) is said at its
// import, by the binder (so in the CLI's every output and the editor's diagnostics), with its first error; what did
// parse of it is still used. Before, such an import gave no word, and findings were computed without its types.
// Over the resolver and analysis, the BUILT CLI (dist/cli.js) on a corpus api.proto, and the BUILT server.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FsImportResolver } from '../server/src/lsp/importResolver';
import { analyze } from '../server/src/service';
import { readConfigFile } from '../server/src/compat/configFile';
import { Corpus, CORPUS_HELP, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { BUILD_HELP, LspEditor, SERVER } from './lspHarness';

const ROOT = findRepoRoot(__dirname);
const CLI = path.join(ROOT, 'dist', 'cli.js');
const corpusDir = findCorpusDir(ROOT);

const IMPORTER = 'syntax = "proto3";\npackage user;\nimport "inc.proto";\nmessage U { inc.Thing t = 1; inc.Later l = 2; }\n';
const INC = 'syntax = "proto3";\npackage inc;\nmessage Thing {}\nmessage Later {}\n';
/** A `;` missing on line 4: Thing, before it, still parses. */
const INC_SYNTAX = 'syntax = "proto3";\npackage inc;\nmessage Thing {}\nmessage Later { int32 n = 1 }\n';
/** Latin-1 `é` in a comment on line 3 (offset 38). */
const INC_LATIN1 = Buffer.concat([Buffer.from('syntax = "proto3";\npackage inc;\n// caf'), Buffer.from([0xe9]), Buffer.from('\nmessage Thing {}\nmessage Later {}\n')]);

let tmp = '';
before(() => {
  tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-broken-imports-')));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('an imported file protoc refuses: the binder says so at the import', () => {
  /** The problems of IMPORTER (or `text`) in `dir`, from a fresh resolver as each analysis of the server has. */
  const problems = (dir: string, text = IMPORTER) =>
    analyze(text, { uri: pathToFileURL(path.join(dir, 'user.proto')).href, imports: new FsImportResolver({ roots: [dir] }) }).bound.problems
      .map((p) => ({ code: p.code, severity: p.severity, message: p.message, line: p.range.start.line, character: p.range.start.character }));

  test('a syntax error: its first error with line:column, a warning as an unresolved import is; the types before it are used; fixed on disk, it is gone', () => {
    const dir = path.join(tmp, 'syntax');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'inc.proto'), INC_SYNTAX);
    const broken = problems(dir);
    assert.deepEqual(broken.map((p) => [p.code, p.severity, p.line, p.character]), [['broken-import', 'warning', 2, 7]]);
    assert.match(broken[0]!.message, /^import "inc\.proto" is broken: inc\.proto:4:\d+: expected ';'.*; protoc and buf refuse the file, and types from it may be missing$/);
    // The parsed file is cached by its stamp: the fixed file is read again, and the problem is gone.
    writeFileSync(path.join(dir, 'inc.proto'), INC);
    assert.deepEqual(problems(dir), []);
    writeFileSync(path.join(dir, 'inc.proto'), INC_SYNTAX);
    assert.deepEqual(problems(dir).map((p) => p.code), ['broken-import']);
  });

  test('bytes that are not UTF-8, NUL bytes and UTF-16 text: said as the CLI says them of its input', () => {
    const dir = path.join(tmp, 'bytes');
    mkdirSync(dir);
    const inc = path.join(dir, 'inc.proto');
    writeFileSync(inc, INC_LATIN1);
    assert.deepEqual(problems(dir).map((p) => p.message), [
      'import "inc.proto" is broken: inc.proto:3:7: invalid UTF-8 (byte 0xe9 at offset 38); .proto files must be UTF-8; protoc and buf refuse the file, and types from it may be missing',
    ]);
    writeFileSync(inc, `${INC}\0`);
    const nul = problems(dir);
    assert.deepEqual(nul.map((p) => p.code), ['broken-import']);
    assert.match(nul[0]!.message, /^import "inc\.proto" is broken: inc\.proto:5:1: contains NUL bytes; not a \.proto text file;/);
    writeFileSync(inc, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(INC, 'utf16le')]));
    assert.match(problems(dir)[0]!.message, /contains NUL bytes; it looks like UTF-16LE text; \.proto files must be UTF-8/);
  });

  test('a broken file behind a public import: said at the direct import that leads to it', () => {
    const dir = path.join(tmp, 'public');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'mid.proto'), 'syntax = "proto3";\npackage inc;\nimport public "inc.proto";\n');
    writeFileSync(path.join(dir, 'inc.proto'), INC_SYNTAX);
    const got = problems(dir, IMPORTER.replace('inc.proto', 'mid.proto'));
    assert.deepEqual(got.map((p) => [p.code, p.line, p.character]), [['broken-import', 2, 7]]);
    assert.match(got[0]!.message, /^import "mid\.proto": "inc\.proto", which it imports publicly, is broken: inc\.proto:4:\d+: expected ';'/);
  });

  test('a config file that is not UTF-8 is refused, as a .proto file is, not read with replacement characters', () => {
    const cfg = path.join(tmp, 'latin1.json');
    writeFileSync(cfg, Buffer.concat([Buffer.from('{ "severity": { "DOCS'), Buffer.from([0xe9]), Buffer.from('": "error" } }')]));
    assert.throws(() => readConfigFile(cfg, { name: '.cri-compat.json' }), { message: '.cri-compat.json:1:22: invalid UTF-8 (byte 0xe9 at offset 21); config files must be UTF-8' });
    writeFileSync(cfg, Buffer.from('{ "severity": {} }', 'utf16le'));
    assert.throws(() => readConfigFile(cfg, { name: '.cri-compat.json' }), { message: /^\.cri-compat\.json: contains NUL bytes; it looks like UTF-16LE text; config files must be UTF-8/ });
  });
});

describe('the CLI on a corpus api.proto whose gogo.proto is broken', { skip: !existsSync(CLI) ? BUILD_HELP : !corpusDir ? CORPUS_HELP : false }, () => {
  test('parse and check say it in text, JSON and GitHub output', () => {
    // v0.26.0-alpha.0 imports gogo.proto; here it is found on the proto path, with a `;` missing.
    const corpus = new Corpus(corpusDir!);
    const dir = path.join(tmp, 'cli');
    const gogo = path.join(dir, 'include', 'github.com', 'gogo', 'protobuf', 'gogoproto', 'gogo.proto');
    mkdirSync(path.dirname(gogo), { recursive: true });
    writeFileSync(gogo, 'syntax = "proto2";\npackage gogoproto;\nimport "google/protobuf/descriptor.proto";\nextend google.protobuf.FileOptions {\n  optional bool goproto_getters_all = 63001\n}\n');
    const api = path.join(dir, 'api.proto');
    writeFileSync(api, corpus.textOf('v0.26.0-alpha.0')!);
    const line = readFileSync(api, 'utf8').split('\n').findIndex((l) => l.includes('gogo.proto')) + 1;
    assert.ok(line > 0);
    const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_CACHE_HOME: path.join(tmp, 'cache') } });
    const said = /import "github\.com\/gogo\/protobuf\/gogoproto\/gogo\.proto" is broken: github\.com\/gogo\/protobuf\/gogoproto\/gogo\.proto:5:44: expected ';'/;
    const parsed = run(['parse', '--proto-path', 'include', 'api.proto']);
    assert.match(parsed.stdout + parsed.stderr, new RegExp(`api\\.proto:${line}:\\d+: warning broken-import ${said.source}`));
    const json = run(['check', '--proto-path', 'include', '--against', 'api.proto', '--format', 'json', '--fail-on', 'never', 'api.proto']);
    assert.equal(json.status, 0, json.stderr);
    const findings = (JSON.parse(json.stdout) as { findings: { rule: string; severity: string; message: string }[] }).findings;
    assert.deepEqual(findings.map((f) => [f.rule, f.severity]), [['broken-import', 'warning']]);
    assert.match(findings[0]!.message, said);
    const github = run(['check', '--proto-path', 'include', '--against', 'api.proto', '--format', 'github', '--fail-on', 'never', 'api.proto']);
    assert.match(github.stdout, new RegExp(`::warning file=[^\\n]*api\\.proto,line=${line},[^\\n]*title=broken-import::${said.source}`));
  });
});

describe('the editor: a broken import is a diagnostic, gone once the file is fixed', { skip: !existsSync(SERVER) ? BUILD_HELP : false, timeout: 60_000 }, () => {
  let editor: LspEditor | undefined;
  after(async () => editor?.close());

  test('broken, fixed, broken again (not UTF-8): each noticed on disk', async () => {
    const ws = path.join(tmp, 'ws');
    const inc = path.join(tmp, 'include');
    mkdirSync(ws);
    mkdirSync(inc);
    writeFileSync(path.join(inc, 'inc.proto'), INC_SYNTAX);
    editor = LspEditor.start({ CRI_COMPAT_IMPORT_POLL_MS: '20' });
    editor.settings = { protoPaths: [inc], validation: { debounceMs: 0 } };
    await editor.initialize(ws, { trusted: true });
    const uri = pathToFileURL(path.join(ws, 'user.proto')).href;
    const codes = (p: { diagnostics: { code?: number | string; range: { start: { line: number; character: number } } }[] }) => p.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);
    await editor.open(uri, IMPORTER);
    const first = await editor.diagnostics(uri, (d) => d.version === 1);
    assert.deepEqual(codes(first), ['broken-import@2:7']);
    assert.match(String(first.diagnostics[0]!.message), /inc\.proto:4:\d+: expected ';'/);
    let mark = editor.mark();
    writeFileSync(path.join(inc, 'inc.proto'), INC);
    assert.deepEqual(codes(await editor.diagnostics(uri, () => true, mark)), []);
    mark = editor.mark();
    writeFileSync(path.join(inc, 'inc.proto'), INC_LATIN1);
    const latin1 = await editor.diagnostics(uri, () => true, mark);
    assert.deepEqual(codes(latin1), ['broken-import@2:7']);
    assert.match(String(latin1.diagnostics[0]!.message), /inc\.proto:3:7: invalid UTF-8 \(byte 0xe9 at offset 38\)/);
  });
});
