// Resource limits on what a hostile workspace makes the language server read (security audit, two defects):
//
// 1. Imports. One file imported under many names (symlinks `a b c d -> .` make `big.proto`, `a/big.proto`,
//    `a/b/big.proto`… one file) is read and parsed once, by its real path; one analysis reads at most a total
//    budget of imports (4 MiB, 64 files), beyond which imports are refused with a reason; parsed imports
//    are kept by real path, modification time and size, so that the next analysis reads nothing.
// 2. Workspace symbols. An indexing pass reads at most 16 MiB in total and files of at most 1 MiB, says what
//    it left out, and keeps symbol lists (FileSymbols), not syntax trees. A file swapped for a FIFO after it
//    was listed (audit t17) is skipped, not waited on: the pass would otherwise never end.
//
// Reads are counted by wrapping node:fs itself (the bundled server code looks its functions up on the module
// at each call). No timing assertions.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants as fsConstants, existsSync, mkdirSync, mkdtempSync, openSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DocumentSymbolRequest } from 'vscode-languageserver-protocol/node';
import { analyze } from '../server/src/service';
import { parse } from '../server/src/proto/parser';
import { getWorkspaceSymbols } from '../server/src/features/symbols';
import { FsImportResolver } from '../server/src/lsp/importResolver';
import { WorkspaceProtoFiles } from '../server/src/lsp/workspaceFiles';
// Namespace imports for what the fix adds: without it they are undefined and the tests fail, not the build.
import * as importResolverModule from '../server/src/lsp/importResolver';
import * as workspaceFilesModule from '../server/src/lsp/workspaceFiles';
import { BUILD_HELP, LspEditor, SERVER } from './lspHarness';

const MiB = 1024 * 1024;

// ---- counting reads -------------------------------------------------------------------------------------

// The module itself (a namespace import would give the bundler's copy, and patching that changes nothing).
const nodeFs = require('node:fs') as typeof import('node:fs');

function realOf(p: unknown): string | undefined {
  if (typeof p !== 'string') return undefined;
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * Runs `run` with every way of reading a file's content (open, readFile, sync and async) counted per real
 * path. readFileSync may or may not call openSync itself: a read inside it is counted once.
 */
async function countingReads<T>(run: () => T | Promise<T>): Promise<{ result: T; reads: Map<string, number> }> {
  const reads = new Map<string, number>();
  const count = (p: unknown): void => {
    const real = realOf(p);
    if (real) reads.set(real, (reads.get(real) ?? 0) + 1);
  };
  const saved = {
    openSync: nodeFs.openSync, readFileSync: nodeFs.readFileSync,
    open: nodeFs.promises.open, readFile: nodeFs.promises.readFile,
  };
  let inReadFile = 0;
  const patch = (obj: object, key: string, value: unknown): void => {
    Object.defineProperty(obj, key, { value, configurable: true, writable: true, enumerable: true });
  };
  patch(nodeFs, 'openSync', (...args: Parameters<typeof nodeFs.openSync>) => {
    if (!inReadFile) count(args[0]);
    return saved.openSync(...args);
  });
  patch(nodeFs, 'readFileSync', (...args: Parameters<typeof nodeFs.readFileSync>) => {
    count(args[0]);
    inReadFile++;
    try {
      return saved.readFileSync(...args);
    } finally {
      inReadFile--;
    }
  });
  patch(nodeFs.promises, 'open', (...args: Parameters<typeof nodeFs.promises.open>) => {
    count(args[0]);
    return saved.open(...args);
  });
  patch(nodeFs.promises, 'readFile', (...args: Parameters<typeof nodeFs.promises.readFile>) => {
    count(args[0]);
    return saved.readFile(...args);
  });
  try {
    return { result: await run(), reads };
  } finally {
    patch(nodeFs, 'openSync', saved.openSync);
    patch(nodeFs, 'readFileSync', saved.readFileSync);
    patch(nodeFs.promises, 'open', saved.open);
    patch(nodeFs.promises, 'readFile', saved.readFile);
  }
}

/** Only the reads of files under `dir`. */
function under(reads: Map<string, number>, dir: string): Map<string, number> {
  return new Map([...reads].filter(([p]) => p.startsWith(dir + path.sep)));
}

// ---- generated files --------------------------------------------------------------------------------------

/** A proto file of exactly `size` bytes: `messages` messages of package `pkg`, then comment lines. */
function protoOfSize(pkg: string, size: number, messages: number): string {
  let text = `syntax = "proto3";\npackage ${pkg};\n`;
  for (let i = 0; i < messages; i++) text += `message M${i} { string a = 1; int32 b = 2; }\n`;
  const line = `// ${'x'.repeat(96)}\n`;
  const rest = size - Buffer.byteLength(text);
  assert.ok(rest >= 4, `${messages} messages do not fit in ${size} bytes`);
  text += line.repeat(Math.floor((rest - 4) / line.length));
  text += `//${' '.repeat(size - Buffer.byteLength(text) - 3)}\n`;
  assert.equal(Buffer.byteLength(text), size);
  return text;
}

// ---- 1. imports -----------------------------------------------------------------------------------------

describe('imports: each real file read once, a total budget per analysis', { timeout: 300_000 }, () => {
  let tmp: string;
  let ws: string;
  const FILES = 20;
  const SIZE = 1_000_000; // 4 of them fit in 4 MiB, the 5th does not
  const FIT = Math.floor((4 * MiB) / SIZE);
  const ALIASES = ['', 'a/', 'a/b/', 'c/d/a/'];
  const big = (i: number): string => `big${String(i).padStart(2, '0')}`;
  let apiText: string;
  let apiUri: string;

  before(() => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-limits-imports-')));
    ws = path.join(tmp, 'ws');
    mkdirSync(ws);
    for (const l of ['a', 'b', 'c', 'd']) symlinkSync('.', path.join(ws, l));
    for (let i = 0; i < FILES; i++) writeFileSync(path.join(ws, `${big(i)}.proto`), protoOfSize(big(i), SIZE, 200));
    const imports: string[] = [];
    for (let i = 0; i < FILES; i++) for (const a of ALIASES) imports.push(`import "${a}${big(i)}.proto";`);
    apiText = [
      'syntax = "proto3";', 'package runtime.v1;', ...imports,
      `message A { ${big(0)}.M1 first = 1; ${big(FIT - 1)}.M2 last = 2; ${big(FILES - 1)}.M3 refused = 3; }`, '',
    ].join('\n');
    writeFileSync(path.join(ws, 'api.proto'), apiText);
    apiUri = pathToFileURL(path.join(ws, 'api.proto')).href;
  });

  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** One analysis as the server runs it in an untrusted workspace: a new resolver whose only root is the folder. */
  const analyzeApi = (resolver = new FsImportResolver({ roots: [ws] })) => analyze(apiText, { uri: apiUri, imports: resolver });

  test('symlink aliases: each distinct file is read once, the budget refuses the rest with a reason', async () => {
    importResolverModule.parsedImports?.clear(); // (undefined without the fix: then the reads below fail the test)
    const { result, reads } = await countingReads(() => analyzeApi());
    const read = under(reads, ws);
    // Each file read at most once, however many aliases import it ...
    for (const [p, n] of read) assert.equal(n, 1, `${p} was read ${n} times`);
    // ... and only those within the budget: big00 to big15, never the file being analyzed.
    assert.deepEqual([...read.keys()].sort(), Array.from({ length: FIT }, (_, i) => path.join(ws, `${big(i)}.proto`)));

    const imports = result.bound.problems.filter((p) => p.code === 'unresolved-import');
    const refusedFiles = new Set(imports.map((p) => /^import "(?:[a-d]\/)*(big\d\d)\.proto"/.exec(p.message)?.[1]));
    assert.deepEqual([...refusedFiles].sort(), Array.from({ length: FILES - FIT }, (_, i) => big(FIT + i)));
    assert.equal(imports.length, (FILES - FIT) * ALIASES.length, JSON.stringify(imports.map((p) => p.message)));
    for (const p of imports) {
      assert.match(p.message, /was refused: reading it \(1\.0 MiB\) would take the imports read for this file past 4 MiB in total, the most read for one analysis; types from it are not checked$/);
      assert.equal(p.severity, 'warning');
    }
    // Types of the files read resolve; those of refused files do not.
    const unresolved = result.bound.problems.filter((p) => p.code === 'unresolved-type').map((p) => p.message);
    assert.deepEqual(unresolved, [`unknown type "${big(FILES - 1)}.M3"`]);
    // The declarations point at the first spelling that reached the file.
    assert.equal(result.bound.declarations.get(`${big(0)}.M1`)?.uri, pathToFileURL(path.join(ws, `${big(0)}.proto`)).href);

    // The budget is per analysis, not per resolver: code actions analyze fixed texts with one resolver.
    const shared = new FsImportResolver({ roots: [ws] });
    const first = analyzeApi(shared).bound.problems.filter((p) => p.code === 'unresolved-import').length;
    const second = analyzeApi(shared).bound.problems.filter((p) => p.code === 'unresolved-import').length;
    assert.equal(first, (FILES - FIT) * ALIASES.length);
    assert.equal(second, first);
  });

  test('parsed imports are kept: an edit reads only the imports that changed on disk', async () => {
    const dir = mkdtempSync(path.join(tmp, 'cache-'));
    for (const n of ['c1', 'c2']) writeFileSync(path.join(dir, `${n}.proto`), protoOfSize(n, 4096, 20));
    const text = 'syntax = "proto3";\npackage top;\nimport "c1.proto";\nimport "c2.proto";\nmessage T { c1.M1 a = 1; c2.M1 b = 2; }\n';
    const uri = pathToFileURL(path.join(dir, 'top.proto')).href;
    const run = () => analyze(text, { uri, imports: new FsImportResolver({ roots: [dir] }) });
    importResolverModule.parsedImports?.clear();
    const first = await countingReads(run);
    assert.equal(under(first.reads, dir).size, 2);
    // The next analysis (an edit: the server makes a new resolver) reads no import again ...
    const again = await countingReads(run);
    assert.deepEqual([...under(again.reads, dir)], [], 'unchanged imports are not read again');
    assert.deepEqual(again.result.bound.problems, first.result.bound.problems);
    // ... except one that changed on disk.
    writeFileSync(path.join(dir, 'c2.proto'), protoOfSize('c2', 4000, 20));
    const changed = await countingReads(run);
    assert.deepEqual([...under(changed.reads, dir)], [[path.join(dir, 'c2.proto'), 1]]);
  });

  test('the file count is capped too, and a refusal behind a public import is reported on the direct import', () => {
    const dir = path.join(tmp, 'small');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'lib.proto'), 'syntax = "proto3";\npackage lib;\nimport public "pub1.proto";\nimport public "pub2.proto";\nmessage L {}\n');
    writeFileSync(path.join(dir, 'pub1.proto'), 'syntax = "proto3";\npackage pub1;\nmessage P {}\n');
    writeFileSync(path.join(dir, 'pub2.proto'), 'syntax = "proto3";\npackage pub2;\nmessage P {}\n');
    writeFileSync(path.join(dir, 'other.proto'), 'syntax = "proto3";\npackage other;\nmessage O {}\n');
    const text = 'syntax = "proto3";\npackage me;\nimport "lib.proto";\nimport "other.proto";\nmessage M { lib.L l = 1; pub1.P p = 2; pub2.P q = 3; other.O o = 4; }\n';
    const uri = pathToFileURL(path.join(dir, 'me.proto')).href;
    const resolver = new FsImportResolver({ roots: [dir], maxFiles: 2 });
    const problems = analyze(text, { uri, imports: resolver }).bound.problems.map((p) => `${p.code}: ${p.message}`);
    assert.deepEqual(problems, [
      'unresolved-import: import "lib.proto": "pub2.proto", which it imports publicly, was refused: the imports already read for this file number 2, the most read for one analysis; types from it are not checked',
      'unresolved-import: import "other.proto" was refused: the imports already read for this file number 2, the most read for one analysis; types from it are not checked',
      'unresolved-type: unknown type "pub2.P"',
      'unresolved-type: unknown type "other.O"',
    ]);
    // By size: lib.proto and pub1.proto fit, pub2.proto does not.
    const size = (f: string): number => nodeFs.statSync(path.join(dir, f)).size;
    const total = size('lib.proto') + size('pub1.proto');
    const bySize = new FsImportResolver({ roots: [dir], maxTotalSize: total });
    const messages = analyze('syntax = "proto3";\npackage me;\nimport "lib.proto";\n', { uri, imports: bySize }).bound.problems.map((p) => p.message);
    assert.deepEqual(messages, [
      `import "lib.proto": "pub2.proto", which it imports publicly, was refused: reading it (${size('pub2.proto')} bytes) would take the imports read for this file past ${total} bytes in total, the most read for one analysis; types from it are not checked`,
    ]);
  });

  test('the built server (untrusted workspace): the first analysis reports the budget and answers', { skip: existsSync(SERVER) ? false : BUILD_HELP }, async () => {
    const editor = LspEditor.start({ GOMODCACHE: path.join(tmp, 'gomodcache'), GOPATH: path.join(tmp, 'gopath') });
    try {
      await editor.initialize(ws, { trusted: false, cacheDir: path.join(tmp, 'cache') });
      await editor.open(apiUri, apiText, 1);
      const published = await editor.diagnostics(apiUri, (p) => p.diagnostics.some((d) => d.code === 'unresolved-import'), 0, 120_000);
      const refused = published.diagnostics.filter((d) => d.code === 'unresolved-import');
      assert.equal(refused.length, (FILES - FIT) * ALIASES.length);
      const text = (d: (typeof refused)[number]): string => (typeof d.message === 'string' ? d.message : d.message.value);
      assert.ok(refused.every((d) => /would take the imports read for this file past 4 MiB in total/.test(text(d))), refused[0] && text(refused[0]));
      const symbols = await editor.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: apiUri } });
      assert.ok(Array.isArray(symbols) && symbols.length === 1, JSON.stringify(symbols));
      await editor.shutdown();
    } finally {
      await editor.close();
    }
  });
});

// ---- 2. workspace symbols -----------------------------------------------------------------------------

describe('workspace symbol indexing: a total budget per pass, symbol lists kept', { timeout: 300_000 }, () => {
  let tmp: string;
  let ws: string;
  const FILES = 24;
  const SIZE = 900_000; // under the 1 MiB per-file limit; 18 of them fit in 16 MiB
  const FIT = Math.floor((16 * MiB) / SIZE);
  const name = (i: number): string => `w${String(i).padStart(2, '0')}`;
  const fileOf = (i: number): string => path.join(ws, `${name(i)}.proto`);

  before(() => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-limits-index-')));
    ws = path.join(tmp, 'ws');
    mkdirSync(ws);
    for (let i = 0; i < FILES; i++) writeFileSync(fileOf(i), protoOfSize(name(i), SIZE, 2000));
    // Over the per-file limit for indexing (but under the 4 MiB import limit): skipped, not counted.
    writeFileSync(path.join(ws, 'huge.proto'), protoOfSize('huge', 2 * MiB, 10));
    // A symlink out of the workspace is not followed.
    writeFileSync(path.join(tmp, 'outside.proto'), 'syntax = "proto3";\npackage outside;\nmessage Secret {}\n');
    symlinkSync(path.join(tmp, 'outside.proto'), path.join(ws, 'link.proto'));
  });

  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('many moderately large files: indexing stops at the budget, says so, and keeps symbol lists', async () => {
    const files = new WorkspaceProtoFiles();
    files.setFolders([ws]);
    const { result: index, reads } = await countingReads(() => files.index());

    // What is indexed: the first files in walk order, up to 16 MiB.
    assert.deepEqual(index.files.map((f) => f.fsPath), Array.from({ length: FIT }, (_, i) => fileOf(i)));
    assert.equal(index.bytes, FIT * SIZE);
    assert.ok(index.bytes <= 16 * MiB);
    assert.equal(index.overBudget, FILES - FIT);
    assert.equal(index.tooLarge, 1);
    assert.equal(index.note, `Workspace symbols: indexing stops at 16 MiB read per pass, so ${FILES - FIT} of ${FILES + 1} .proto files (the last in walk order) are not searched; 1 .proto file is larger than 1 MiB and not indexed.`);
    // What is read: each indexed file once; not the large one, not those past the budget, not the symlink's target.
    assert.deepEqual([...under(reads, tmp)].sort(), Array.from({ length: FIT }, (_, i) => [fileOf(i), 1]));

    // What is kept: symbol lists, no syntax trees.
    for (const f of index.files) {
      assert.ok(f.symbols instanceof workspaceFilesModule.FileSymbols, `${f.fsPath} keeps ${Object.keys(f.symbols as object)}`);
      assert.equal(f.symbols.length, 2000 * 3);
    }
    const kept = [...(files as unknown as { indexed: Map<string, object> }).indexed.values()];
    assert.equal(kept.length, FIT);
    for (const entry of kept) assert.deepEqual(Object.keys(entry).sort(), ['mtimeMs', 'size', 'symbols']);

    // The next pass reads nothing: unchanged files keep their symbols.
    const again = await countingReads(() => files.index());
    assert.deepEqual([...under(again.reads, tmp)], []);
    assert.equal(again.result.files.length, FIT);

    // Queries: indexed files answer, files past the budget do not; the note comes with the answer.
    const { symbols, note } = await files.workspaceSymbols('M1999', { limit: 100 });
    assert.deepEqual(symbols.map((s) => s.location.uri), Array.from({ length: FIT }, (_, i) => pathToFileURL(fileOf(i)).href));
    assert.ok(symbols.every((s) => s.name === 'M1999' && s.containerName === name(symbols.indexOf(s))));
    assert.equal(note, index.note);
    // An open document answers from its own tree instead of the index.
    const openUri = pathToFileURL(fileOf(0)).href;
    const open = await files.workspaceSymbols('M1999', { limit: 100, open: [{ uri: openUri, ast: parse('syntax = "proto3";\npackage edited;\nmessage M1999 {}\n') }] });
    assert.equal(open.symbols.length, FIT);
    assert.equal(open.symbols[0]!.containerName, 'edited');
    assert.equal(open.symbols.filter((s) => s.location.uri === openUri).length, 1);
  });

  test('symbol lists answer queries exactly as syntax trees do', () => {
    const text = [
      'syntax = "proto2";',
      'package a.b;',
      'message Outer {',
      '  optional string name = 1 [deprecated = true];',
      '  oneof choice { string x = 2; int32 y = 3; }',
      '  message Inner { optional Outer back = 1; enum Kind { KIND_UNSPECIFIED = 0; KIND_X = 1; } }',
      '  optional group Grp = 4 { optional int32 inner_value = 5; }',
      '  extend Other { optional int32 ext_in_outer = 100; }',
      '}',
      'message Other { extensions 100 to 200; }',
      'extend Other { optional int32 top_ext = 101; }',
      'enum Kind { option deprecated = true; K0 = 0; K1 = 1; }',
      'service Svc { rpc Do(Outer) returns (Outer); rpc Old(Outer) returns (Outer) { option deprecated = true; } }',
      'message AVeryLongMessageNameThatIsNotShort { optional int32 a_rather_long_field_name_too = 1; }',
      '',
    ].join('\n');
    const uri = 'file:///tmp/x.proto';
    const ast = parse(text);
    const symbols = workspaceFilesModule.FileSymbols.fromTree(uri, ast);
    for (const q of ['', 'inner', 'Inner', 'kind', 'a.b.outer', 'outer.inner', 'x', 'ext', 'grp', 'do', 'a.b', 'zzz', 'AVery', 'a_rather']) {
      for (const limit of [3, 500]) {
        assert.deepEqual(workspaceFilesModule.searchSymbols([symbols, symbols], q, { limit }), getWorkspaceSymbols([{ uri, ast }, { uri, ast }], q, { limit }), `query "${q}", limit ${limit}`);
      }
    }
  });
});

describe('workspace symbol indexing: a file swapped for a FIFO is skipped, not waited on (audit t17)', { skip: process.platform === 'win32' ? 'no FIFOs' : false }, () => {
  let tmp: string;
  before(() => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-limits-fifo-')));
  });
  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Opens the write end of `fifo` and closes it, so that an open blocked on it (the defect) returns. */
  function unblock(fifo: string): void {
    try {
      closeSync(openSync(fifo, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK));
    } catch {
      /* no reader waiting */
    }
  }

  async function within<T>(what: string, fifo: string, p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} is still waiting on a FIFO after 5 s`)), 5000);
    });
    try {
      return await Promise.race([p, timeout]);
    } catch (err) {
      unblock(fifo);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  test('between the lstat and the open of an indexing pass', async () => {
    const ws = path.join(tmp, 'ws');
    mkdirSync(ws);
    const good = path.join(ws, 'a.proto');
    const swapped = path.join(ws, 'x.proto');
    writeFileSync(good, 'syntax = "proto3";\npackage ws;\nmessage Good {}\n');
    writeFileSync(swapped, 'syntax = "proto3";\npackage ws;\nmessage Swapped {}\n');
    const files = new WorkspaceProtoFiles();
    files.setFolders([ws]);
    assert.deepEqual(await files.files(), [good, swapped]);
    // The race, made certain: x.proto becomes a FIFO right after the pass has looked at it (a regular file).
    const savedLstat = nodeFs.promises.lstat;
    const patch = (value: unknown): void => {
      Object.defineProperty(nodeFs.promises, 'lstat', { value, configurable: true, writable: true, enumerable: true });
    };
    patch(async (...args: Parameters<typeof savedLstat>) => {
      const st = await savedLstat(...args);
      if (args[0] === swapped) {
        rmSync(swapped);
        execFileSync('mkfifo', [swapped]);
      }
      return st;
    });
    let index;
    try {
      index = await within('the indexing pass', swapped, files.index());
    } finally {
      patch(savedLstat);
    }
    assert.deepEqual(index.files.map((f) => f.fsPath), [good]);
    // The reader on its own: a FIFO is refused at once.
    assert.equal(typeof workspaceFilesModule.readCapped, 'function', 'workspaceFiles must export readCapped');
    assert.equal(await within('readCapped', swapped, workspaceFilesModule.readCapped(swapped, 1024)), undefined);
  });
});
