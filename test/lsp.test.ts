// The BUILT language server (dist/server.js) as an editor sees it: a child process speaking LSP over stdio.
// Also the import resolver's confinement rules and the CLI, which share the server's code paths.
// Run `node scripts/build.mjs` first; corpus-dependent tests skip with CORPUS_HELP when the corpus is absent.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DefinitionRequest, DidChangeConfigurationNotification, DidCloseTextDocumentNotification, DocumentSymbolRequest,
  FoldingRangeRequest, HoverRequest, ReferencesRequest, WorkspaceSymbolRequest,
  type DocumentSymbol, type Hover, type Location, type SymbolInformation, type FoldingRange,
} from 'vscode-languageserver-protocol/node';
import { Corpus, CORPUS_HELP, V1_PATH, findCorpusDir } from '../server/src/baseline/corpus';
import { FsImportResolver, importPathRefusal, isInside, isSafeImportPath } from '../server/src/lsp/importResolver';
import { findingToDiagnostic, problemToDiagnostic } from '../server/src/lsp/convert';
import { RULES, ruleHelpLink } from '../server/src/compat/rules';
import { BUILD_HELP, LspEditor, PLAIN_CLIENT_CAPABILITIES, ROOT, SERVER, lineCol, pos, range } from './lspHarness';

const CLI = path.join(ROOT, 'dist', 'cli.js');

// ---- the client: a plain editor on the shared harness --------------------------------------------------

/** Initializes `editor` as a plain editor and checks that the server advertises what these tests use. */
async function initialize(editor: LspEditor, folder: string): Promise<void> {
  const caps = (await editor.initialize(folder, undefined, PLAIN_CLIENT_CAPABILITIES)).capabilities;
  assert.equal(caps.textDocumentSync, 2);
  for (const k of ['documentSymbolProvider', 'workspaceSymbolProvider', 'definitionProvider', 'referencesProvider', 'hoverProvider', 'foldingRangeProvider'] as const) {
    assert.ok(caps[k], `${k} advertised`);
  }
}

// ---- a real api.proto over LSP ---------------------------------------------------------------------------

const corpusDir = findCorpusDir(ROOT);

describe('language server over stdio with a real api.proto', { skip: !existsSync(SERVER) ? BUILD_HELP : corpusDir ? false : CORPUS_HELP, timeout: 120_000 }, () => {
  let editor: LspEditor;
  let tmp: string;
  let ws: string;
  let apiUri: string;
  let consumerUri: string;
  let incDir: string;
  let original: string;
  let broken: string;

  before(async () => {
    const corpus = new Corpus(corpusDir!);
    const latest = corpus.goTags(V1_PATH).filter((r) => !r.prerelease).at(-1)!;
    original = corpus.text(latest.blob);
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-lsp-')));
    ws = path.join(tmp, 'ws');
    incDir = path.join(tmp, 'include');
    mkdirSync(path.join(ws, 'extra'), { recursive: true });
    mkdirSync(incDir);
    writeFileSync(path.join(ws, 'api.proto'), original);
    writeFileSync(path.join(ws, 'extra', 'extra.proto'), 'syntax = "proto3";\npackage extra;\nmessage ExtraThing {}\n');
    writeFileSync(path.join(incDir, 'inc.proto'), 'syntax = "proto3";\npackage inc;\n// IncThing comes from a proto path.\nmessage IncThing {}\n');
    writeFileSync(path.join(tmp, 'outside.proto'), 'syntax = "proto3";\npackage outside;\nmessage Secret {}\n');
    symlinkSync(path.join(tmp, 'outside.proto'), path.join(ws, 'link.proto'));
    apiUri = pathToFileURL(path.join(ws, 'api.proto')).href;
    consumerUri = pathToFileURL(path.join(ws, 'consumer.proto')).href;
    // The crafted error: an rpc request type that does not exist.
    broken = original.replace('rpc Version(VersionRequest)', 'rpc Version(VersionRequestX)');
    assert.notEqual(broken, original);

    editor = LspEditor.start();
    editor.settings = { protoPaths: [incDir], validation: { debounceMs: 10 } };
    await initialize(editor, ws);
  });

  after(async () => {
    await editor?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('publishes the crafted error with its exact range', async () => {
    await editor.open(apiUri, broken, 1);
    const p = await editor.diagnostics(apiUri, (d) => d.version === 1);
    const at = lineCol(broken, 'VersionRequestX');
    assert.deepEqual(p.diagnostics, [{
      range: range(at.line, at.character, at.line, at.character + 'VersionRequestX'.length),
      severity: 1,
      source: 'cri-compat',
      code: 'unresolved-type',
      message: 'unknown type "VersionRequestX"',
      // The client shows links: a binding problem links the protobuf spec, as findings link their page.
      codeDescription: { href: ruleHelpLink('unresolved-type')! },
    }]);
    assert.ok(editor.configurationRequests >= 1, 'settings were asked with workspace/configuration');
  });

  test('document symbols: RuntimeService with its rpcs', async () => {
    const symbols = (await editor.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: apiUri } })) as DocumentSymbol[];
    const rs = symbols.find((s) => s.name === 'RuntimeService');
    assert.ok(rs);
    assert.equal(rs.kind, 11);
    const start = lineCol(broken, 'service RuntimeService {');
    assert.deepEqual(rs.selectionRange, range(start.line, 8, start.line, 8 + 'RuntimeService'.length));
    const lines = broken.split('\n');
    const rpcs: string[] = [];
    for (let l = start.line + 1; lines[l] !== '}'; l++) {
      const m = /^\s*rpc (\w+)\(/.exec(lines[l]!);
      if (m) rpcs.push(m[1]!);
    }
    assert.deepEqual(rs.children!.map((c) => c.name), rpcs);
    assert.ok(rpcs.includes('RunPodSandbox') && rpcs.includes('ListContainers'));
    assert.ok(rs.children!.every((c) => c.kind === 6));
  });

  test('definition, hover, references and folding', async () => {
    const ref = lineCol(broken, 'PodSandboxConfig config = 1;');
    const decl = lineCol(broken, 'message PodSandboxConfig {', 8);
    const declRange = range(decl.line, decl.character, decl.line, decl.character + 'PodSandboxConfig'.length);
    const def = (await editor.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: apiUri }, position: pos(ref.line, ref.character + 3) })) as Location;
    assert.deepEqual(def, { uri: apiUri, range: declRange });

    const hover = (await editor.conn.sendRequest(HoverRequest.type, { textDocument: { uri: apiUri }, position: ref })) as Hover;
    assert.deepEqual(hover.range, range(ref.line, ref.character, ref.line, ref.character + 'PodSandboxConfig'.length));
    const value = (hover.contents as { kind: string; value: string }).value;
    assert.equal((hover.contents as { kind: string }).kind, 'markdown');
    assert.ok(value.startsWith(`\`\`\`proto\nmessage runtime.v1.PodSandboxConfig\n\`\`\`\n\nDeclared on line ${decl.line + 1}.\n\n---\n\n`), value);
    assert.match(value, /PodSandboxConfig holds all the required and optional fields for creating a\s+sandbox\./);

    const refs = (await editor.conn.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: apiUri }, position: decl, context: { includeDeclaration: true },
    })) as Location[];
    assert.deepEqual(refs[0], { uri: apiUri, range: declRange });
    const uses = broken.split('\n').filter((l) => /^\s*(?:repeated )?PodSandboxConfig \w+ = \d+;/.test(l)).length;
    assert.equal(refs.length, 1 + uses);

    const folds = (await editor.conn.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: apiUri } })) as FoldingRange[];
    assert.deepEqual(folds[0], { startLine: 0, endLine: broken.split('\n').findIndex((l) => l.trim() === '*/'), kind: 'comment' });
  });

  test('fixing the error clears the diagnostics', async () => {
    const at = lineCol(broken, 'VersionRequestX');
    // Delete the `X` as an editor would: an incremental change.
    const x = at.character + 'VersionRequest'.length;
    await editor.change(apiUri, 2, [{ range: range(at.line, x, at.line, x + 1), text: '' }]);
    const p = await editor.diagnostics(apiUri, (d) => d.version === 2);
    assert.deepEqual(p.diagnostics, []);
  });

  test('imports: importing directory, proto paths, confinement, open-document text', async () => {
    const text = [
      'syntax = "proto3";', // 0
      'package consumer;',
      'import "api.proto";', // 2
      'import "inc.proto";', // 3
      'import "../outside.proto";', // 4
      'import "link.proto";', // 5
      'message UsesIt {', // 6
      '  runtime.v1.PodSandboxConfig config = 1;', // 7
      '  inc.IncThing thing = 2;', // 8
      '}',
      '',
    ].join('\n');
    await editor.open(consumerUri, text, 1);
    const p = await editor.diagnostics(consumerUri, (d) => d.version === 1);
    assert.deepEqual(p.diagnostics.map((d) => ({ code: d.code, severity: d.severity, range: d.range })), [
      { code: 'unresolved-import', severity: 2, range: range(4, 7, 4, 25) },
      { code: 'unresolved-import', severity: 2, range: range(5, 7, 5, 19) },
    ]);

    // Definitions cross into the open api.proto (by its editor URI) and into the proto path.
    const def = (await editor.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: consumerUri }, position: pos(7, 15) })) as Location;
    const decl = lineCol(original, 'message PodSandboxConfig {', 8);
    assert.deepEqual(def, { uri: apiUri, range: range(decl.line, decl.character, decl.line, decl.character + 16) });
    const incUri = pathToFileURL(path.join(incDir, 'inc.proto')).href;
    assert.deepEqual(await editor.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: consumerUri }, position: pos(8, 7) }),
      { uri: incUri, range: range(3, 8, 3, 16) });
    assert.deepEqual(await editor.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: consumerUri }, position: pos(3, 10) }),
      { uri: incUri, range: range(0, 0, 0, 0) });
    const hover = (await editor.conn.sendRequest(HoverRequest.type, { textDocument: { uri: consumerUri }, position: pos(8, 7) })) as Hover;
    assert.equal((hover.contents as { value: string }).value,
      '```proto\nmessage inc.IncThing\n```\n\nDeclared in `inc.proto` on line 4.\n\n---\n\nIncThing comes from a proto path.');

    // Renaming the message in the open (unsaved) api.proto re-checks the file that imports it.
    const name = lineCol(original, 'message PodSandboxConfig {', 8);
    await editor.change(apiUri, 3, [{ range: range(name.line, name.character + 16, name.line, name.character + 16), text: 'Renamed' }]);
    const broke = await editor.diagnostics(consumerUri, (d) => d.diagnostics.some((x) => x.code === 'unresolved-type'));
    assert.deepEqual(broke.diagnostics.find((x) => x.code === 'unresolved-type')?.range, range(7, 2, 7, 29));
    const mark = editor.mark();
    await editor.change(apiUri, 4, [{ range: range(name.line, name.character + 16, name.line, name.character + 23), text: '' }]);
    const fixed = await editor.diagnostics(consumerUri, (d) => !d.diagnostics.some((x) => x.code === 'unresolved-type'), mark);
    assert.equal(fixed.diagnostics.length, 2);
    assert.deepEqual((await editor.diagnostics(apiUri, (d) => d.version === 4)).diagnostics, []);
  });

  test('workspace symbols: open documents and files on disk', async () => {
    const extra = (await editor.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'ExtraThing' })) as SymbolInformation[];
    assert.deepEqual(extra, [{
      name: 'ExtraThing', kind: 23, containerName: 'extra',
      location: { uri: pathToFileURL(path.join(ws, 'extra', 'extra.proto')).href, range: range(2, 8, 2, 18) },
    }]);
    const rs = (await editor.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'RuntimeService' })) as SymbolInformation[];
    assert.equal(rs[0]!.name, 'RuntimeService');
    assert.equal(rs[0]!.location.uri, apiUri);
    // The file outside the workspace (reached only through a symlink) is not listed.
    const secret = (await editor.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'Secret' })) as SymbolInformation[];
    assert.ok(secret.length > 0); // fuzzy matches such as LinuxSandboxSecurityContext
    assert.ok(secret.every((s) => s.name !== 'Secret' && s.location.uri === apiUri), JSON.stringify(secret.map((s) => s.location.uri)));
  });

  test('closing a document clears its diagnostics; shutdown and exit end the server cleanly', async () => {
    const mark = editor.mark();
    await editor.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: consumerUri } });
    const p = await editor.diagnostics(consumerUri, () => true, mark);
    assert.deepEqual(p.diagnostics, []);
    assert.equal(await editor.conn.sendRequest(HoverRequest.type, { textDocument: { uri: consumerUri }, position: pos(8, 7) }), null);
    assert.equal(await editor.shutdown(), 0);
  });
});

// ---- robustness: malformed requests ---------------------------------------------------------------------

describe('language server robustness', { skip: existsSync(SERVER) ? false : BUILD_HELP, timeout: 60_000 }, () => {
  let editor: LspEditor;
  let tmp: string;
  const text = 'syntax = "proto3";\npackage p;\nmessage A { B b = 1; }\nmessage B {}\n';
  let uri: string;

  before(async () => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-lsp-')));
    uri = pathToFileURL(path.join(tmp, 'a.proto')).href;
    editor = LspEditor.start();
    await initialize(editor, tmp);
    await editor.open(uri, text);
    assert.deepEqual((await editor.diagnostics(uri, (d) => d.version === 1)).diagnostics, []);
  });

  after(async () => {
    await editor?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('unknown documents, positions past the end and bad params answer null, and the server lives on', async () => {
    const unknown = { uri: 'file:///nowhere/unknown.proto' };
    const send = (method: string, params: unknown): Promise<unknown> => editor.conn.sendRequest(method, params);
    assert.equal(await send('textDocument/definition', { textDocument: unknown, position: pos(0, 0) }), null);
    assert.equal(await send('textDocument/hover', { textDocument: unknown, position: pos(0, 0) }), null);
    assert.equal(await send('textDocument/references', { textDocument: unknown, position: pos(0, 0), context: { includeDeclaration: true } }), null);
    assert.equal(await send('textDocument/documentSymbol', { textDocument: unknown }), null);
    assert.equal(await send('textDocument/foldingRange', { textDocument: unknown }), null);
    assert.equal(await send('textDocument/hover', { textDocument: { uri }, position: pos(99_999, 0) }), null);
    assert.equal(await send('textDocument/definition', { textDocument: { uri }, position: pos(2, 5_000) }), null);
    assert.equal(await send('textDocument/hover', { textDocument: { uri }, position: pos(-1, -1) }), null);
    assert.equal(await send('textDocument/definition', { textDocument: { uri } }), null);
    assert.equal(await send('textDocument/hover', { textDocument: { uri }, position: { line: 'x', character: null } }), null);
    assert.deepEqual(await send('textDocument/references', { textDocument: { uri }, position: pos(50, 50) }), []);
    assert.deepEqual(await send('workspace/symbol', { query: 42 }), [
      { name: 'A', kind: 23, containerName: 'p', location: { uri, range: range(2, 8, 2, 9) } },
      { name: 'b', kind: 8, containerName: 'p.A', location: { uri, range: range(2, 14, 2, 15) } },
      { name: 'B', kind: 23, containerName: 'p', location: { uri, range: range(3, 8, 3, 9) } },
    ]);
    // Still alive and answering.
    assert.equal(editor.child.exitCode, null);
    assert.deepEqual(await send('textDocument/definition', { textDocument: { uri }, position: pos(2, 12) }), { uri, range: range(3, 8, 3, 9) });
  });

  test('a configuration change re-reads settings per document and re-validates', async () => {
    const libDir = path.join(tmp, 'lib');
    mkdirSync(libDir, { recursive: true });
    writeFileSync(path.join(libDir, 'lib.proto'), 'syntax = "proto3";\npackage lib;\nmessage L {}\n');
    const user = pathToFileURL(path.join(tmp, 'user.proto')).href;
    await editor.open(user, 'syntax = "proto3";\nimport "lib.proto";\nmessage U { lib.L l = 1; }\n');
    const before = await editor.diagnostics(user, (d) => d.version === 1);
    assert.deepEqual(before.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`), ['unresolved-import@1:7', 'unresolved-type@2:12']);
    const asked = editor.configurationRequests;
    editor.settings = { protoPaths: ['lib'], validation: { debounceMs: 0 } }; // relative to the workspace folder
    const mark = editor.mark();
    await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const after = await editor.diagnostics(user, () => true, mark);
    assert.deepEqual(after.diagnostics, []);
    assert.ok(editor.configurationRequests > asked);
  });

  test('shutdown and exit', async () => {
    assert.equal(await editor.shutdown(), 0);
  });
});

// ---- diagnostics conversion ------------------------------------------------------------------------------

describe('a relative criCompat.baseline is the workspace folder\'s', { skip: existsSync(SERVER) ? false : BUILD_HELP, timeout: 60_000 }, () => {
  let editor: LspEditor;
  let tmp: string;

  after(async () => {
    await editor?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('also for an untitled document and a file outside the folder', async () => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-relbase-')));
    const ws = path.join(tmp, 'ws');
    mkdirSync(ws);
    mkdirSync(path.join(tmp, 'outside'));
    // The CRI API (it declares RuntimeService), whatever the document's name: only it is compared.
    const text = 'syntax = "proto3";\npackage runtime.v1;\n// The service.\nservice RuntimeService {}\n// A message.\nmessage A {\n  // A field.\n  int32 a = 1;\n}\n';
    writeFileSync(path.join(ws, 'old.proto'), text);
    editor = LspEditor.start();
    editor.settings = { baseline: './old.proto', validation: { debounceMs: 0 } };
    await editor.initialize(ws, { trusted: true });
    for (const uri of [pathToFileURL(path.join(ws, 'inside.proto')).href, 'untitled:Untitled-1', pathToFileURL(path.join(tmp, 'outside', 'api.proto')).href]) {
      await editor.open(uri, text);
      const s = await editor.status((p) => p.uri === uri && !p.resolving);
      assert.equal(s.baselineTag, path.join(ws, 'old.proto'), `${uri}: ${JSON.stringify(s)}`);
    }
  });
});

describe('problems and findings as diagnostics', () => {
  test('codes, severities, links, related information and fix data', () => {
    const r = range(1, 2, 1, 5);
    assert.deepEqual(problemToDiagnostic({ code: 'duplicate-number', message: 'm', range: r, severity: 'error' }),
      { range: r, severity: 1, source: 'cri-compat', code: 'duplicate-number', message: 'm' });
    const rule = RULES[0]!;
    const finding = {
      rule: rule.id, category: rule.category, severity: 'hint' as const, message: 'msg', range: r, element: 'runtime.v1.X',
      fixes: [{ kind: 'rename' as const, to: 'y' }], related: [{ message: 'here', range: range(3, 0, 3, 1) }, { message: 'no place' }],
    };
    assert.deepEqual(findingToDiagnostic(finding, 'file:///a.proto', { relatedInformation: true, codeDescription: true }), {
      range: r, severity: 4, source: 'cri-compat', code: rule.id, message: 'msg', codeDescription: { href: rule.link },
      relatedInformation: [{ location: { uri: 'file:///a.proto', range: range(3, 0, 3, 1) }, message: 'here' }],
      data: { rule: rule.id, element: 'runtime.v1.X', fixes: [{ kind: 'rename', to: 'y' }] },
    });
    assert.deepEqual(findingToDiagnostic({ ...finding, severity: 'warning', link: 'https://example.invalid/x' }, 'file:///a.proto', { relatedInformation: false, codeDescription: true }).codeDescription,
      { href: 'https://example.invalid/x' });
    const plain = findingToDiagnostic({ ...finding, severity: 'information' }, 'file:///a.proto', { relatedInformation: false, codeDescription: false });
    assert.equal(plain.severity, 3);
    assert.equal(plain.codeDescription, undefined);
    assert.equal(plain.relatedInformation, undefined);
  });
});

// ---- import resolver ------------------------------------------------------------------------------------

describe('import resolver confinement', () => {
  let tmp: string;
  before(() => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-imports-')));
    mkdirSync(path.join(tmp, 'ws', 'sub'), { recursive: true });
    mkdirSync(path.join(tmp, 'paths'));
    writeFileSync(path.join(tmp, 'ws', 'sub', 'here.proto'), 'syntax = "proto3";');
    writeFileSync(path.join(tmp, 'ws', 'top.proto'), 'syntax = "proto3";');
    writeFileSync(path.join(tmp, 'paths', 'lib.proto'), 'syntax = "proto3";');
    writeFileSync(path.join(tmp, 'secret.proto'), 'secret');
    writeFileSync(path.join(tmp, 'ws', 'big.proto'), 'x'.repeat(2048));
    symlinkSync(path.join(tmp, 'secret.proto'), path.join(tmp, 'ws', 'escape.proto'));
    symlinkSync(path.join(tmp, 'ws', 'top.proto'), path.join(tmp, 'ws', 'sub', 'inside-link.proto'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('finds files in the importer directory, the roots and the proto paths, in that order', () => {
    const r = new FsImportResolver({ roots: [path.join(tmp, 'ws'), path.join(tmp, 'paths')], maxFileSize: 1024 });
    const from = pathToFileURL(path.join(tmp, 'ws', 'sub', 'a.proto')).href;
    assert.deepEqual(r.resolve('here.proto', from), { uri: pathToFileURL(path.join(tmp, 'ws', 'sub', 'here.proto')).href, text: 'syntax = "proto3";' });
    assert.equal(r.resolveUri('sub/here.proto', from), pathToFileURL(path.join(tmp, 'ws', 'sub', 'here.proto')).href);
    assert.equal(r.resolveUri('top.proto', from), pathToFileURL(path.join(tmp, 'ws', 'top.proto')).href);
    assert.equal(r.resolveUri('lib.proto', from), pathToFileURL(path.join(tmp, 'paths', 'lib.proto')).href);
    // a symlink that stays inside the roots is fine
    assert.equal(r.resolveUri('inside-link.proto', from), pathToFileURL(path.join(tmp, 'ws', 'sub', 'inside-link.proto')).href);
    assert.deepEqual([...r.resolved].sort(), [
      path.join(tmp, 'paths', 'lib.proto'), path.join(tmp, 'ws', 'sub', 'here.proto'), path.join(tmp, 'ws', 'sub', 'inside-link.proto'), path.join(tmp, 'ws', 'top.proto'),
    ]);
  });

  test('refuses escapes, symlinks out of the roots, absolute paths and oversized files', () => {
    const r = new FsImportResolver({ roots: [path.join(tmp, 'ws')], maxFileSize: 1024 });
    const from = pathToFileURL(path.join(tmp, 'ws', 'sub', 'a.proto')).href;
    const tried = [path.join(tmp, 'ws', 'sub'), path.join(tmp, 'ws')];
    // Refused without looking anywhere, with the reason for the binder's message.
    const refused = (p: string): { tried: string[]; refused: string } => ({ tried: [], refused: importPathRefusal(p)! });
    assert.deepEqual(r.resolve('../secret.proto', from), refused('../secret.proto'));
    assert.deepEqual(r.resolve('../top.proto', from), refused('../top.proto'));
    assert.deepEqual(r.resolve('./here.proto', from), refused('./here.proto'));
    assert.deepEqual(r.resolve(path.join(tmp, 'secret.proto'), from), refused(path.join(tmp, 'secret.proto')));
    assert.deepEqual(r.resolve('sub//here.proto', from), refused('sub//here.proto'));
    assert.deepEqual(r.resolve('sub\\here.proto', from), refused('sub\\here.proto'));
    assert.deepEqual(r.resolve('escape.proto', from), { tried });
    assert.deepEqual(r.resolve('missing.proto', from), { tried });
    const big = r.resolve('big.proto', from);
    assert.ok('tried' in big && big.tried[1]!.includes('larger than'), JSON.stringify(big));
    assert.equal(r.resolved.size, 0);
    // a non-file importer has no directory of its own; relative roots are ignored
    const r2 = new FsImportResolver({ roots: ['relative/dir', path.join(tmp, 'paths')] });
    assert.deepEqual(r2.resolve('here.proto', 'untitled:Untitled-1'), { tried: [path.join(tmp, 'paths')] });
    assert.ok(isSafeImportPath('k8s.io/api/core.proto'));
    assert.ok(!isSafeImportPath('a/../b.proto'));
    assert.ok(isInside('/a/b/c', '/a/b') && isInside('/a/b', '/a/b') && !isInside('/a/bc', '/a/b') && !isInside('/a', '/a/b'));
    assert.ok(isInside('/a/b/..c', '/a/b'));
  });

  test('an open editor copy wins over the disk and keeps the editor URI', () => {
    const here = path.join(tmp, 'ws', 'sub', 'here.proto');
    const r = new FsImportResolver({
      roots: [path.join(tmp, 'ws')],
      overlay: (p) => (p === here ? { uri: 'file:///editor/spelling/here.proto', text: 'unsaved' } : undefined),
    });
    assert.deepEqual(r.resolve('here.proto', pathToFileURL(path.join(tmp, 'ws', 'sub', 'x.proto')).href), { uri: 'file:///editor/spelling/here.proto', text: 'unsaved' });
  });
});

// ---- CLI ------------------------------------------------------------------------------------------------

describe('cli', { skip: existsSync(CLI) ? false : BUILD_HELP }, () => {
  let tmp: string;
  before(() => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-cli-')));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const run = (...args: string[]): { status: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(CLI, args, { encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  test('--help, unknown commands and unreadable files', () => {
    const help = run('--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: cri-compat <command>/);
    assert.match(help.stdout, /parse <file/);
    assert.equal(run('frobnicate').status, 2);
    const missing = run('parse', path.join(tmp, 'missing.proto'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /missing\.proto.*cannot read.*ENOENT/);
  });

  test('parse prints file:line:col: severity code message and exits 1 on errors', () => {
    const file = path.join(tmp, 'bad.proto');
    writeFileSync(file, 'syntax = "proto3";\npackage p;\nimport "nope.proto";\nmessage M {\n  Unknown u = 1;\n  int32 a = 1;\n}\n');
    const r = run('parse', file);
    assert.equal(r.status, 1);
    assert.deepEqual(r.stdout.trimEnd().split('\n'), [
      `${file}:3:8: warning unresolved-import import "nope.proto" was not found (looked in ${tmp}); types from it are not checked`,
      `${file}:5:3: error unresolved-type unknown type "Unknown"`,
      `${file}:6:13: error duplicate-number field number 1 is already used by "u"`,
    ]);
    const ok = path.join(tmp, 'ok.proto');
    writeFileSync(ok, 'syntax = "proto3";\nmessage M { int32 a = 1; }\n');
    assert.deepEqual(run('parse', ok), { status: 0, stdout: '', stderr: '' });
  });

  test('parse of a real api.proto is clean', { skip: corpusDir ? false : CORPUS_HELP }, () => {
    const corpus = new Corpus(corpusDir!);
    const latest = corpus.goTags(V1_PATH).filter((r) => !r.prerelease).at(-1)!;
    const file = path.join(tmp, 'api.proto');
    writeFileSync(file, corpus.text(latest.blob));
    assert.deepEqual(run('parse', file), { status: 0, stdout: '', stderr: '' });
  });
});
