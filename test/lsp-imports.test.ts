// Imports that change where the client's file watcher does not look, over the BUILT language server
// (dist/server.js --stdio): files in criCompat.protoPaths outside the workspace, and workspace files that
// files.watcherExclude hides from it, edited, created or deleted on disk with no event at all, and folders of
// imports deleted or created with one event for the folder. Also
// what the import resolver records of the paths it looked at. Run `node scripts/build.mjs` first.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, FileChangeType, RegistrationRequest, WatchKind, type DidChangeWatchedFilesRegistrationOptions, type FileSystemWatcher, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { FsImportResolver } from '../server/src/lsp/importResolver';
import { creationWatchers } from '../server/src/lsp/creationWatchers';
import { analyze } from '../server/src/service';
import { BUILD_HELP, CLIENT_CAPABILITIES, LspEditor, PLAIN_CLIENT_CAPABILITIES, SERVER, range } from './lspHarness';

/** The diagnostics as `code@line:character`, for comparing. */
const codes = (p: PublishDiagnosticsParams): string[] => p.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);

const IMPORTER = 'syntax = "proto3";\npackage user;\nimport "inc.proto";\nmessage U { inc.Thing t = 1; inc.Later l = 2; }\n';
const INC = 'syntax = "proto3";\npackage inc;\nmessage Thing {}\n';
const INC_WITH_LATER = 'syntax = "proto3";\npackage inc;\nmessage Thing {}\nmessage Later {}\n';

/** The watchers the server registered (`workspace/didChangeWatchedFiles`). */
function watchers(editor: LspEditor): FileSystemWatcher[] {
  return editor.registrations.filter((r) => r.method === DidChangeWatchedFilesNotification.method)
    .flatMap((r) => (r.registerOptions as DidChangeWatchedFilesRegistrationOptions).watchers);
}

/** A glob as a regular expression: `{a,b}` (not nested), `**` for any folders, `*` for part of a name, the only syntax the server's globs use. */
function globRegExp(glob: string): string {
  const brace = /\{([^{}]*)\}/.exec(glob);
  if (brace) return `(?:${brace[1]!.split(',').map((alt) => globRegExp(glob.slice(0, brace.index) + alt + glob.slice(brace.index + brace[0].length))).join('|')})`;
  return glob.split('**/').map((part) => part.split('*').map((t) => t.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('(?:.*/)?');
}

/**
 * Whether a client such as VS Code reports this change of `p` to the server: one of its watchers has that kind of
 * change (all three when it names none) and a glob that matches the path: a string glob the absolute path (as VS Code
 * matches it), a relative pattern the path relative to its base.
 */
function forwards(editor: LspEditor, p: string, type: FileChangeType): boolean {
  const kind = type === FileChangeType.Created ? WatchKind.Create : type === FileChangeType.Changed ? WatchKind.Change : WatchKind.Delete;
  const slashed = (q: string) => q.split(path.sep).join('/');
  return watchers(editor).some((w) => {
    if (((w.kind ?? 7) & kind) === 0) return false;
    if (typeof w.globPattern === 'string') return new RegExp(`^(?:.*/)?${globRegExp(w.globPattern)}$`).test(slashed(p));
    const base = w.globPattern.baseUri;
    const rel = path.relative(fileURLToPath(typeof base === 'string' ? base : base.uri), p);
    return !rel.startsWith('..') && !path.isAbsolute(rel) && new RegExp(`^${globRegExp(w.globPattern.pattern)}$`).test(slashed(rel));
  });
}

/** Sends what VS Code would of these changes: those a watcher the server registered reports. Returns them. */
async function asVsCode(editor: LspEditor, changes: { path: string; type: FileChangeType }[]): Promise<string[]> {
  const sent = changes.filter((c) => forwards(editor, c.path, c.type));
  if (sent.length) await editor.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: sent.map((c) => ({ uri: pathToFileURL(c.path).href, type: c.type })) });
  return sent.map((c) => c.path);
}

/** Waits until `ok()` holds, looking every 20 ms, for at most 10 s: the server registers its watchers when it gets to it. */
async function until(ok: () => boolean, what: () => string): Promise<void> {
  for (let waited = 0; !ok(); waited += 20) {
    if (waited > 10_000) assert.fail(what());
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('imports no file event reports', { skip: !existsSync(SERVER) ? BUILD_HELP : false, timeout: 60_000 }, () => {
  let tmp: string;
  let ws: string;
  let inc: string;
  const editors: LspEditor[] = [];

  /**
   * A server with `protoPaths`, trusted or not, polling imports every 20 ms (when trusted; `pollMs` else), for a client
   * with `capabilities`.
   */
  async function start(trusted: boolean, protoPaths: string[] = [], pollMs = 20, capabilities = CLIENT_CAPABILITIES): Promise<LspEditor> {
    const editor = LspEditor.start({ CRI_COMPAT_IMPORT_POLL_MS: String(pollMs) });
    editors.push(editor);
    editor.settings = { protoPaths, validation: { debounceMs: 0 } };
    await editor.initialize(ws, { trusted }, capabilities);
    return editor;
  }

  before(() => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-imports-')));
    ws = path.join(tmp, 'ws');
    inc = path.join(tmp, 'include');
    mkdirSync(ws);
    mkdirSync(inc);
  });

  after(async () => {
    await Promise.all(editors.map((e) => e.close()));
    rmSync(tmp, { recursive: true, force: true });
  });

  test('trusted: an import edited, created or deleted outside the workspace is noticed without an edit or an event', async () => {
    const dir = path.join(inc, 'trusted');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'inc.proto'), INC);
    const editor = await start(true, [dir]);
    const uri = pathToFileURL(path.join(ws, 'user.proto')).href;
    await editor.open(uri, IMPORTER);
    assert.deepEqual(codes(await editor.diagnostics(uri, (d) => d.version === 1)), ['unresolved-type@3:29']);

    // Edited: the missing message appears.
    let mark = editor.mark();
    writeFileSync(path.join(dir, 'inc.proto'), INC_WITH_LATER);
    assert.deepEqual(codes(await editor.diagnostics(uri, () => true, mark)), []);

    // Deleted, with its folder: the import is gone.
    mark = editor.mark();
    rmSync(dir, { recursive: true });
    assert.deepEqual(codes(await editor.diagnostics(uri, () => true, mark)), ['unresolved-import@2:7', 'unresolved-type@3:12', 'unresolved-type@3:29']);

    // Created again: found where it was looked for.
    mark = editor.mark();
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'inc.proto'), INC);
    assert.deepEqual(codes(await editor.diagnostics(uri, () => true, mark)), ['unresolved-type@3:29']);
  });

  test('trusted: an import in the workspace that changes with no file event (files.watcherExclude) is noticed', async () => {
    // The client registered its watcher, but VS Code reports nothing below an excluded folder.
    const dir = path.join(ws, 'node_modules', 'dep');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'inc.proto'), INC);
    const editor = await start(true);
    const uri = pathToFileURL(path.join(dir, 'user.proto')).href;
    await editor.open(uri, IMPORTER);
    assert.deepEqual(codes(await editor.diagnostics(uri, (d) => d.version === 1)), ['unresolved-type@3:29']);

    const mark = editor.mark();
    writeFileSync(path.join(dir, 'inc.proto'), INC_WITH_LATER);
    assert.deepEqual(codes(await editor.diagnostics(uri, () => true, mark)), []);
  });

  test('untrusted (no poll): the analysis of one importer that sees an import changed on disk re-validates the others', async () => {
    const dir = path.join(inc, 'untrusted');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'inc.proto'), INC);
    const editor = await start(false, [dir]);
    const a = pathToFileURL(path.join(ws, 'a.proto')).href;
    const b = pathToFileURL(path.join(ws, 'b.proto')).href;
    await editor.open(a, IMPORTER);
    await editor.open(b, IMPORTER);
    assert.deepEqual(codes(await editor.diagnostics(a, (d) => d.version === 1)), ['unresolved-type@3:29']);
    assert.deepEqual(codes(await editor.diagnostics(b, (d) => d.version === 1)), ['unresolved-type@3:29']);

    writeFileSync(path.join(dir, 'inc.proto'), INC_WITH_LATER);
    const mark = editor.mark();
    // An edit of a that changes nothing but makes it read its imports again.
    await editor.change(a, 2, [{ range: range(4, 0, 4, 0), text: '\n' }]);
    assert.deepEqual(codes(await editor.diagnostics(a, (d) => d.version === 2, mark)), []);
    // b was not edited and no event came: its analysis is stale all the same.
    assert.deepEqual(codes(await editor.diagnostics(b, () => true, mark)), []);
  });

  test('a file that looks for more imports than are polled: the first 512 are, and the log says so', async () => {
    const dir = path.join(inc, 'many');
    mkdirSync(dir);
    const editor = await start(true, [dir]);
    const uri = pathToFileURL(path.join(ws, 'many.proto')).href;
    const imports = Array.from({ length: 600 }, (_, k) => `import "m${k}.proto";`).join('\n');
    await editor.open(uri, `syntax = "proto3";\npackage many;\n${imports}\n`);
    await editor.diagnostics(uri, (d) => d.version === 1);
    // Waits for the first poll (every 20 ms here); nothing is timed.
    await until(() => editor.logs.some((l) => l.includes('only 512 of the paths')), () => `no "only 512 of the paths" log line within 10 s; logs:\n${editor.logs.join('\n')}`);
    // The polled ones are noticed: the first import appears.
    const mark = editor.mark();
    writeFileSync(path.join(dir, 'm0.proto'), 'syntax = "proto3";\npackage m0;\n');
    const after = await editor.diagnostics(uri, () => true, mark);
    assert.equal(after.diagnostics.filter((d) => d.code === 'unresolved-import').length, 599);
  });

  test('a folder of imports deleted or created in the workspace: one event for the folder', async () => {
    const editor = await start(false);
    const lib = path.join(ws, 'lib');
    mkdirSync(lib);
    writeFileSync(path.join(lib, 'dep.proto'), 'syntax = "proto3";\npackage dep;\nmessage D {}\n');
    const uri = pathToFileURL(path.join(ws, 'main.proto')).href;
    await editor.open(uri, 'syntax = "proto3";\npackage main;\nimport "lib/dep.proto";\nimport "later/x.proto";\nmessage M { dep.D d = 1; x.X x = 2; }\n');
    assert.deepEqual(codes(await editor.diagnostics(uri, (d) => d.version === 1)), ['unresolved-import@3:7', 'unresolved-type@4:25']);

    // Deleted: VS Code reports the folder, not the files in it, and only to a watcher whose glob matches the folder.
    // Untrusted, nothing else would tell the server: it polls nothing there.
    assert.ok(forwards(editor, lib, FileChangeType.Deleted), `no watcher the server registered reports ${lib} deleted: ${JSON.stringify(watchers(editor))}`);
    let mark = editor.mark();
    rmSync(lib, { recursive: true });
    await editor.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(lib).href, type: FileChangeType.Deleted }] });
    assert.deepEqual(codes(await editor.diagnostics(uri, () => true, mark)), ['unresolved-import@2:7', 'unresolved-import@3:7', 'unresolved-type@4:12', 'unresolved-type@4:25']);

    // A folder moved in: one event for it (with a trailing slash, as some clients send folders).
    mark = editor.mark();
    const later = path.join(tmp, 'staging');
    mkdirSync(later);
    writeFileSync(path.join(later, 'x.proto'), 'syntax = "proto3";\npackage x;\nmessage X {}\n');
    const moved = path.join(ws, 'later');
    renameSync(later, moved);
    await editor.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: `${pathToFileURL(moved).href}/`, type: FileChangeType.Created }] });
    assert.deepEqual(codes(await editor.diagnostics(uri, () => true, mark)), ['unresolved-import@2:7', 'unresolved-type@4:12']);
  });

  test('a folder moved into the workspace, or made with its files, where an import was not found: VS Code reports the folder alone, and the importer is checked again', async () => {
    // Untrusted (no poll), trusted with the poll as good as off (10 min): the event alone must do it. A client with
    // relative patterns (VS Code) and one with string globs only.
    const cases = [
      { name: 'untrusted', trusted: false, capabilities: CLIENT_CAPABILITIES },
      { name: 'trusted', trusted: true, capabilities: CLIENT_CAPABILITIES },
      { name: 'plain', trusted: false, capabilities: PLAIN_CLIENT_CAPABILITIES },
    ];
    for (const { name, trusted, capabilities } of cases) {
      const editor = await start(trusted, [], 600_000, capabilities);
      const sub = path.join(ws, `moved-${name}`);
      mkdirSync(sub);
      const uri = pathToFileURL(path.join(sub, 'main.proto')).href;
      await editor.open(uri, 'syntax = "proto3";\npackage main;\nimport "protos/x/dep.proto";\nimport "third_party/y/z.proto";\nmessage M { dep.D d = 1; z.Z z = 2; }\n');
      assert.deepEqual(codes(await editor.diagnostics(uri, (d) => d.version === 1)), ['unresolved-import@2:7', 'unresolved-import@3:7', 'unresolved-type@4:12', 'unresolved-type@4:25'], name);

      // `mv /tmp/staging ./protos`: VS Code reports the folder created, not the files in it, and only to a watcher
      // whose glob matches the folder's own path (not `**/*.proto`; `**/vendor`, watched for Go, would have matched).
      const protos = path.join(sub, 'protos');
      await until(() => forwards(editor, protos, FileChangeType.Created), () => `${name}: no watcher the server registered reports ${protos} created: ${JSON.stringify(watchers(editor))}`);
      const staging = path.join(tmp, `staging-${name}`);
      mkdirSync(path.join(staging, 'x'), { recursive: true });
      writeFileSync(path.join(staging, 'x', 'dep.proto'), 'syntax = "proto3";\npackage dep;\nmessage D {}\n');
      let mark = editor.mark();
      renameSync(staging, protos);
      assert.deepEqual(await asVsCode(editor, [{ path: protos, type: FileChangeType.Created }]), [protos]);
      assert.deepEqual(codes(await editor.diagnostics(uri, () => true, mark)), ['unresolved-import@3:7', 'unresolved-type@4:25'], name);

      // `mkdir -p third_party/y && cp …`, reported as its first folder alone (events of a burst may be coalesced).
      const thirdParty = path.join(sub, 'third_party');
      await until(() => forwards(editor, thirdParty, FileChangeType.Created), () => `${name}: no watcher reports ${thirdParty} created: ${JSON.stringify(watchers(editor))}`);
      mark = editor.mark();
      mkdirSync(path.join(thirdParty, 'y'), { recursive: true });
      writeFileSync(path.join(thirdParty, 'y', 'z.proto'), 'syntax = "proto3";\npackage z;\nmessage Z {}\n');
      assert.deepEqual(await asVsCode(editor, [{ path: thirdParty, type: FileChangeType.Created }]), [thirdParty]);
      assert.deepEqual(codes(await editor.diagnostics(uri, () => true, mark)), [], name);
      // Nothing is missing any more: no watcher for creations is left but the server's fixed ones.
      await until(() => !forwards(editor, path.join(sub, 'protos', 'x'), FileChangeType.Created), () => `${name}: still watched: ${JSON.stringify(watchers(editor))}`);
    }
  });

  test('a folder moved in after the analysis that missed it, but before the editor watches for it, is found once the editor does', async () => {
    // Untrusted: no poll would find it later. The folder arrives while the editor is registering the watcher that
    // would have reported it: no event ever comes for it.
    const editor = await start(false, [], 600_000);
    const sub = path.join(ws, 'raced');
    mkdirSync(sub);
    const protos = path.join(sub, 'protos');
    let moved = false;
    editor.conn.onRequest(RegistrationRequest.type, (p) => {
      const watches = p.registrations.some((r) => r.method === DidChangeWatchedFilesNotification.method
        && JSON.stringify(r.registerOptions).includes('raced/protos'));
      if (watches && !moved) {
        moved = true;
        const staging = path.join(tmp, 'staging-raced');
        mkdirSync(staging);
        writeFileSync(path.join(staging, 'dep.proto'), 'syntax = "proto3";\npackage dep;\nmessage D {}\n');
        renameSync(staging, protos);
      }
      editor.registrations.push(...p.registrations);
    });
    const uri = pathToFileURL(path.join(sub, 'main.proto')).href;
    await editor.open(uri, 'syntax = "proto3";\npackage main;\nimport "protos/dep.proto";\nmessage M { dep.D d = 1; }\n');
    assert.deepEqual(codes(await editor.diagnostics(uri, (d) => d.version === 1)), ['unresolved-import@2:7', 'unresolved-type@3:12']);
    await until(() => moved, () => `the server registered no watcher for ${protos}: ${JSON.stringify(watchers(editor))}`);
    assert.deepEqual(codes(await editor.diagnostics(uri, (d) => d.diagnostics.length === 0, 0, 10_000)), []);
  });

  test('a closed enum from an import (every proto2 enum is closed) is an error in a proto3 file, until the import opens it', async () => {
    const dir = path.join(ws, 'closed');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'legacy.proto'), 'syntax = "proto2";\npackage legacy;\nenum Mode {\n  ON = 1;\n}\n');
    const editor = await start(true);
    const uri = pathToFileURL(path.join(dir, 'user.proto')).href;
    await editor.open(uri, 'syntax = "proto3";\npackage user;\nimport "legacy.proto";\nmessage U { legacy.Mode mode = 1; }\n');
    const first = await editor.diagnostics(uri, (d) => d.version === 1);
    assert.deepEqual(codes(first), ['closed-enum-in-proto3@3:12']);
    const message = first.diagnostics[0]!.message;
    // The import path as written, not the file's URI.
    assert.equal(typeof message === 'string' ? message : message.value, 'closed enum "legacy.Mode" (declared in "legacy.proto") cannot be used in a proto3 file: only open enums can');

    // The import becomes proto3 on disk (its enums open, the first value 0): noticed without an edit.
    const mark = editor.mark();
    writeFileSync(path.join(dir, 'legacy.proto'), 'syntax = "proto3";\npackage legacy;\nenum Mode {\n  OFF = 0;\n  ON = 1;\n}\n');
    assert.deepEqual(codes(await editor.diagnostics(uri, () => true, mark)), []);
  });
});

describe('import resolver: what it saw of each path', () => {
  let tmp: string;
  before(() => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-stamps-')));
    mkdirSync(path.join(tmp, 'ws', 'real'), { recursive: true });
    mkdirSync(path.join(tmp, 'paths'));
    writeFileSync(path.join(tmp, 'ws', 'real', 'a.proto'), 'syntax = "proto3";');
    writeFileSync(path.join(tmp, 'secret.proto'), 'syntax = "proto3";');
    symlinkSync(path.join(tmp, 'ws', 'real', 'a.proto'), path.join(tmp, 'ws', 'a.proto'));
    symlinkSync(path.join(tmp, 'secret.proto'), path.join(tmp, 'ws', 'escape.proto'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('every path looked at, found or not, and the file a link inside the roots leads to; never what a link out leads to', () => {
    const r = new FsImportResolver({ roots: [path.join(tmp, 'ws'), path.join(tmp, 'paths')], importerDirectory: false });
    const from = pathToFileURL(path.join(tmp, 'ws', 'x.proto')).href;
    assert.ok('uri' in r.resolve('a.proto', from));
    assert.ok(!('uri' in r.resolve('escape.proto', from)));
    assert.ok(!('uri' in r.resolve('missing.proto', from)));
    assert.deepEqual([...r.stamps.keys()].sort(), [
      path.join(tmp, 'paths', 'escape.proto'), path.join(tmp, 'paths', 'missing.proto'),
      path.join(tmp, 'ws', 'a.proto'), path.join(tmp, 'ws', 'escape.proto'), path.join(tmp, 'ws', 'missing.proto'), path.join(tmp, 'ws', 'real', 'a.proto'),
    ].sort());
    assert.equal(r.stamps.get(path.join(tmp, 'ws', 'missing.proto')), '-');
    // The links themselves are stamped (lstat): a link is not the file it leads to.
    assert.notEqual(r.stamps.get(path.join(tmp, 'ws', 'a.proto')), r.stamps.get(path.join(tmp, 'ws', 'real', 'a.proto')));
    assert.ok(![...r.stamps.keys()].includes(path.join(tmp, 'secret.proto')));
  });

  test('an import replaced by one of the same size and modification time: the stamp sees it, and so does the next analysis', () => {
    const dir = path.join(tmp, 'same-mtime');
    mkdirSync(dir);
    const inc = path.join(dir, 'inc.proto');
    writeFileSync(inc, INC);
    const when = new Date('2026-01-01T00:00:00Z');
    utimesSync(inc, when, when);
    const text = 'syntax = "proto3";\npackage user;\nimport "inc.proto";\nmessage U { inc.Thing t = 1; }\n';
    const uri = pathToFileURL(path.join(dir, 'user.proto')).href;
    const run = () => {
      const imports = new FsImportResolver({ roots: [dir] });
      return { imports, problems: analyze(text, { uri, imports }).bound.problems.map((p) => p.code) };
    };
    const first = run();
    assert.deepEqual(first.problems, []);
    // Replaced (as `cp -p`, `rsync -t` or a coarse-grained file system can leave it): Thing renamed, same size and mtime.
    writeFileSync(inc + '.new', INC.replace('Thing', 'Thinx'));
    utimesSync(inc + '.new', when, when);
    renameSync(inc + '.new', inc);
    assert.equal(statSync(inc).size, Buffer.byteLength(INC));
    const second = run();
    assert.notEqual(second.imports.stamps.get(inc), first.imports.stamps.get(inc), 'the stamp tells the change');
    assert.deepEqual(second.problems, ['unresolved-type']);
  });
});

test('creation watchers: the missing paths in a workspace folder and the folders above them, glob characters as one-character classes, none with `{` or `}`; at most `max`', () => {
  const ws = path.join(os.tmpdir(), 'ws');
  const folders = [{ uri: pathToFileURL(ws).href, path: ws }];
  const missing = [path.join(ws, 'a', 'b', 'c.proto'), path.join(ws, 'a', 'd.proto'), path.join(ws, 'x{y}', 'e.proto'), path.join(ws, 'x}', 'e.proto'), path.join(os.tmpdir(), 'outside', 'f.proto'), ws];
  assert.deepEqual(creationWatchers(missing, folders, true, 100), {
    watchers: [{ globPattern: { baseUri: folders[0]!.uri, pattern: '{a,a/b,a/b/c.proto,a/d.proto}' }, kind: WatchKind.Create }], over: 0,
  });
  // VS Code's glob (vs/base/common/glob.ts) has no escape, but takes `[*]` as `*`, `[]]` as `]`, and splits no class.
  const odd = path.join(ws, 'p[1]*,?', process.platform === 'win32' ? 'g.proto' : 'h\\.proto');
  assert.deepEqual(creationWatchers([odd], folders, true, 100).watchers, [
    { globPattern: { baseUri: folders[0]!.uri, pattern: `{p[[]1[]][*][,][?],p[[]1[]][*][,][?]/${process.platform === 'win32' ? 'g.proto' : 'h[\\].proto'}}` }, kind: WatchKind.Create },
  ]);
  const slashed = ws.split(path.sep).join('/');
  assert.deepEqual(creationWatchers(missing, folders, false, 3), {
    watchers: [{ globPattern: `{${slashed}/a,${slashed}/a/b,${slashed}/a/b/c.proto}`, kind: WatchKind.Create }], over: 1,
  });
});
