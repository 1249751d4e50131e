// The BUILT language server (dist/server.js --stdio) over a session's life as a demanding editor drives it:
// requests before `initialize` and after `shutdown`, requests cancelled or overtaken by an edit while the
// server waits for the settings, an import that appears on disk or in the editor, and malformed notifications.
// Run `node scripts/build.mjs` first; the tests use the newest released api.proto of the corpus.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource, CodeActionRequest, ConfigurationRequest, DefinitionRequest, DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification, DidChangeWorkspaceFoldersNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification,
  DocumentSymbolRequest, ExitNotification, FileChangeType, FoldingRangeRequest, HoverRequest, InitializeRequest, InitializedNotification, ReferencesRequest, ShutdownRequest,
  type ConfigurationParams, type Hover, type WorkspaceFolder,
} from 'vscode-languageserver-protocol/node';
import { Corpus, CORPUS_HELP, V1_PATH, findCorpusDir } from '../server/src/baseline/corpus';
import { RulesRequestMethod } from '../server/src/lsp/protocol';
import { BUILD_HELP, CLIENT_CAPABILITIES, LspEditor, ROOT, SERVER, lineCol, pos } from './lspHarness';

const corpusDir = findCorpusDir(ROOT);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The harness, able to hold `workspace/configuration` answers back, as a slow client does. */
class Editor extends LspEditor {
  private held: (() => void)[] | undefined;

  holdConfiguration(): void {
    this.held = [];
    this.conn.onRequest(ConfigurationRequest.type, (params: ConfigurationParams) => {
      this.configurationRequests++;
      const answer = params.items.map((i) => (i.section === 'criCompat' ? this.settings : null));
      if (!this.held) return answer;
      return new Promise<unknown[]>((resolve) => this.held!.push(() => resolve(answer)));
    });
  }

  releaseConfiguration(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const r of held) r();
  }

  /** A round trip that reads no settings: every message sent before it has been handled when it returns. */
  async roundTrip(): Promise<void> {
    await this.conn.sendRequest(RulesRequestMethod);
  }

  /** The JSON-RPC error code a request is answered with, or 'answered'. */
  static async outcome(p: Promise<unknown>): Promise<number | 'answered'> {
    return p.then(() => 'answered' as const, (e: { code?: number }) => e.code ?? -1);
  }
}

describe('language server session', { skip: !existsSync(SERVER) ? BUILD_HELP : corpusDir ? false : CORPUS_HELP, timeout: 60_000 }, () => {
  let original: string;
  let tmp: string;

  before(() => {
    const corpus = new Corpus(corpusDir!);
    original = corpus.text(corpus.goTags(V1_PATH).filter((r) => !r.prerelease).at(-1)!.blob);
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-session-')));
  });

  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('requests before initialize are refused (ServerNotInitialized), after shutdown too (InvalidRequest); nothing is published after shutdown', async () => {
    const folder = path.join(tmp, 'lifecycle');
    mkdirSync(folder);
    const uri = pathToFileURL(path.join(folder, 'api.proto')).href;
    const editor = Editor.start();
    try {
      assert.equal(await Editor.outcome(editor.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: pos(0, 0) })), -32002);
      assert.equal(await Editor.outcome(editor.conn.sendRequest(RulesRequestMethod)), -32002);
      editor.settings = { protoPaths: [], validation: { debounceMs: 300 } };
      await editor.initialize(folder);
      assert.equal(await Editor.outcome(editor.conn.sendRequest(RulesRequestMethod)), 'answered');
      await editor.open(uri, original);
      await editor.diagnostics(uri, (d) => d.version === 1);
      // An edit whose debounced validation is still pending when the client shuts the server down.
      await editor.change(uri, 2, [{ range: { start: pos(0, 0), end: pos(0, 0) }, text: '// edited\n' }]);
      await editor.conn.sendRequest(ShutdownRequest.type);
      const mark = editor.mark();
      assert.equal(await Editor.outcome(editor.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: pos(0, 0) })), -32600);
      await sleep(700);
      assert.deepEqual(editor.diagnosticsLog.all.slice(mark), [], 'no diagnostics after shutdown');
      await editor.conn.sendNotification(ExitNotification.type);
      assert.equal(await editor.exited, 0);
    } finally {
      await editor.close();
    }
  });

  describe('requests while the server waits for the settings', () => {
    let editor: Editor;
    let uri: string;
    let at: { line: number; character: number };

    before(async () => {
      const folder = path.join(tmp, 'requests');
      mkdirSync(folder);
      uri = pathToFileURL(path.join(folder, 'api.proto')).href;
      editor = Editor.start();
      await editor.initialize(folder);
      await editor.open(uri, original);
      await editor.status((s) => s.uri === uri && !s.resolving && s.baselineTag !== null);
      at = lineCol(original, 'PodSandboxConfig config = ', 2);
      const hover = await editor.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: at });
      assert.match(JSON.stringify(hover?.contents), /PodSandboxConfig/);
    });

    after(async () => {
      await editor?.close();
    });

    /** A configuration change whose settings the client answers only at `releaseConfiguration`. */
    async function settingsPending(): Promise<void> {
      editor.holdConfiguration();
      const asked = editor.configurationRequests;
      await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      while (editor.configurationRequests === asked) await sleep(10);
    }

    test('a request cancelled meanwhile is answered RequestCancelled, without analyzing', async () => {
      await settingsPending();
      const source = new CancellationTokenSource();
      const hover = Editor.outcome(editor.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: at }, source.token));
      source.cancel();
      await editor.roundTrip();
      editor.releaseConfiguration();
      assert.equal(await hover, -32800);
    });

    test('a request overtaken by an edit is answered ContentModified, not from the newer text at the old position', async () => {
      await settingsPending();
      const textDocument = { uri };
      const requests = [
        Editor.outcome(editor.conn.sendRequest(HoverRequest.type, { textDocument, position: at })),
        Editor.outcome(editor.conn.sendRequest(DefinitionRequest.type, { textDocument, position: at })),
        Editor.outcome(editor.conn.sendRequest(CodeActionRequest.type, { textDocument, range: { start: at, end: at }, context: { diagnostics: [] } })),
      ];
      // Two lines above: at the old position the newer text has another element.
      await editor.change(uri, 2, [{ range: { start: pos(at.line, 0), end: pos(at.line, 0) }, text: '\n\n' }]);
      await editor.roundTrip();
      editor.releaseConfiguration();
      assert.deepEqual(await Promise.all(requests), [-32801, -32801, -32801]);
      // Asked again at the new position, it is answered; the diagnostics are those of version 2.
      const hover = await editor.conn.sendRequest(HoverRequest.type, { textDocument, position: { line: at.line + 2, character: at.character } }) as Hover;
      assert.match(JSON.stringify(hover.contents), /PodSandboxConfig/);
      await editor.diagnostics(uri, (d) => d.version === 2);
    });
  });

  describe('an import that was missing', () => {
    let editor: Editor;
    let folder: string;

    before(async () => {
      folder = path.join(tmp, 'imports');
      mkdirSync(folder);
      editor = Editor.start();
      await editor.initialize(folder);
    });

    after(async () => {
      await editor?.close();
    });

    const user = (dir: string): string => `syntax = "proto3";\npackage user;\nimport "${dir}/api.proto";\nmessage U { runtime.v1.PodSandboxConfig config = 1; }\n`;
    const codes = (d: { diagnostics: { code?: unknown }[] }): unknown[] => d.diagnostics.map((x) => x.code);

    test('created on disk: its importers are validated again', async () => {
      const uri = pathToFileURL(path.join(folder, 'user.proto')).href;
      await editor.open(uri, user('cri'));
      assert.deepEqual(codes(await editor.diagnostics(uri, (d) => d.version === 1)), ['unresolved-import', 'unresolved-type']);
      mkdirSync(path.join(folder, 'cri'));
      const created = path.join(folder, 'cri', 'api.proto');
      writeFileSync(created, original);
      const mark = editor.mark();
      await editor.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(created).href, type: FileChangeType.Created }] });
      assert.deepEqual(codes(await editor.diagnostics(uri, () => true, mark, 10_000)), []);
    });

    test('opened in the editor before it is saved: its importers are validated again', async () => {
      const uri = pathToFileURL(path.join(folder, 'user2.proto')).href;
      await editor.open(uri, user('unsaved'));
      assert.deepEqual(codes(await editor.diagnostics(uri, (d) => d.version === 1)), ['unresolved-import', 'unresolved-type']);
      const mark = editor.mark();
      await editor.open(pathToFileURL(path.join(folder, 'unsaved', 'api.proto')).href, original);
      assert.deepEqual(codes(await editor.diagnostics(uri, () => true, mark, 10_000)), []);
    });
  });

  describe('documents that come and go', () => {
    let editor: Editor;
    let folder: string;
    const DEBOUNCE_MS = 5000;

    before(async () => {
      folder = path.join(tmp, 'come-and-go');
      mkdirSync(folder);
      editor = Editor.start();
      editor.settings = { protoPaths: [], validation: { debounceMs: DEBOUNCE_MS } };
      await editor.initialize(folder);
    });

    after(async () => {
      await editor?.close();
    });

    const close = (uri: string): Promise<void> => editor.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    /** The next status of `uri` from a finished resolution, with a baseline. */
    const resolved = (uri: string) => editor.status((s) => s.uri === uri && !s.resolving && s.baselineTag !== null, editor.statuses.all.length, 20_000);

    test('a request overtaken by the close of its document is answered ContentModified, and the document opened again is checked at once', async () => {
      // A preview tab: opened, asked for its outline and folding ranges, and replaced before the settings come.
      const uri = pathToFileURL(path.join(folder, 'preview.proto')).href;
      editor.holdConfiguration();
      await editor.open(uri, original);
      const textDocument = { uri };
      const requests = [
        Editor.outcome(editor.conn.sendRequest(DocumentSymbolRequest.type, { textDocument })),
        Editor.outcome(editor.conn.sendRequest(FoldingRangeRequest.type, { textDocument })),
      ];
      await close(uri);
      await editor.roundTrip();
      editor.releaseConfiguration();
      assert.deepEqual(await Promise.all(requests), [-32801, -32801]);
      // Opened again: checked at once, not once the debounce for typing has passed.
      // A wait for its diagnostics, up to half the debounce: a check after the debounce cannot come in time.
      const mark = editor.mark();
      await editor.open(uri, original, 2);
      await editor.diagnostics(uri, (d) => d.version === 2, mark, DEBOUNCE_MS / 2).catch((e: Error) =>
        assert.fail(`the reopened document was not checked at once (before half its debounce of ${DEBOUNCE_MS} ms): ${e.message}`));
      await close(uri);
    });

    test('a directory outside the workspace folders: its baseline is resolved again once all its files were closed; a workspace folder keeps its own', async () => {
      const outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-outside-')));
      try {
        const inside = pathToFileURL(path.join(folder, 'api.proto')).href;
        const there = pathToFileURL(path.join(outside, 'api.proto')).href;
        const resolutions = (where: string): number => editor.logs.filter((l) => l.startsWith(`Baseline for ${where}:`)).length;
        for (let round = 1; round <= 2; round++) {
          let done = resolved(inside);
          await editor.open(inside, original, round);
          if (round === 1) await done;
          else await editor.diagnostics(inside, (d) => d.version === round);
          done = resolved(there);
          await editor.open(there, original, round);
          await done;
          await close(there);
          await close(inside);
          await editor.roundTrip();
        }
        assert.equal(resolutions(path.join(outside, 'api.proto')), 2, 'the closed directory was forgotten, and resolved again');
        assert.equal(resolutions(path.join(folder, 'api.proto')), 1, 'the workspace folder kept the resolution');
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    });

    test('find references still answers when another open document is closed while its settings are read', async () => {
      const a = pathToFileURL(path.join(folder, 'refs-a.proto')).href;
      const b = pathToFileURL(path.join(folder, 'refs-b.proto')).href;
      const done = resolved(a);
      await editor.open(a, original);
      await done;
      // b is opened while the client holds its settings back; a's request then waits for b's analysis.
      editor.holdConfiguration();
      await editor.open(b, original);
      const refs = editor.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: a }, position: lineCol(original, 'message VersionRequest', 8), context: { includeDeclaration: true } });
      await editor.roundTrip();
      await close(b);
      await editor.roundTrip();
      editor.releaseConfiguration();
      const found = await refs;
      assert.ok(found && found.length >= 2, JSON.stringify(found));
      assert.ok(found.every((l) => l.uri === a), 'only the document that is still open');
      await close(a);
    });

    test('a package that no release has is logged once, not once per document that declares it', async () => {
      const v2 = original.replace(/^package runtime\.v1;/m, 'package runtime.v2;');
      assert.notEqual(v2, original);
      for (let i = 1; i <= 3; i++) {
        const uri = `untitled:Untitled-${i}`;
        const done = resolved(uri);
        await editor.open(uri, v2);
        await done;
        await close(uri);
      }
      await editor.roundTrip();
      const said = editor.logs.filter((l) => l.includes('declares package runtime.v2, which no cri-api release has'));
      assert.equal(said.length, 1, said.join('\n'));
    });
  });

  test('malformed params are ignored: a folder without uri, notifications without their fields, a document opened without text (validated as empty)', async () => {
    const folder = path.join(tmp, 'malformed');
    mkdirSync(folder);
    const editor = Editor.start();
    try {
      const folderUri = pathToFileURL(folder).href;
      await editor.conn.sendRequest(InitializeRequest.type, {
        processId: null, rootUri: folderUri, capabilities: CLIENT_CAPABILITIES,
        workspaceFolders: [{} as WorkspaceFolder, { uri: folderUri, name: 'malformed' }],
      });
      await editor.conn.sendNotification(InitializedNotification.type, {});
      const send = (method: string, params: unknown): Promise<void> => editor.conn.sendNotification(method, params);
      await send(DidChangeWatchedFilesNotification.method, {});
      await send(DidChangeWatchedFilesNotification.method, { changes: [null, { uri: 42, type: 1 }] });
      await send(DidChangeWorkspaceFoldersNotification.method, {});
      await send(DidChangeWorkspaceFoldersNotification.method, { event: { added: [null, { name: 'no uri' }], removed: 'x' } });
      const uri = pathToFileURL(path.join(folder, 'textless.proto')).href;
      await send(DidOpenTextDocumentNotification.method, { textDocument: { uri, languageId: 'proto', version: 1 } });
      assert.deepEqual((await editor.diagnostics(uri, (d) => d.version === 1, 0, 10_000)).diagnostics, []);
      await editor.roundTrip();
      assert.deepEqual(editor.logs.filter((l) => /failed|TypeError|not iterable/.test(l)), []);
      assert.equal(await editor.shutdown(), 0);
    } finally {
      await editor.close();
    }
  });
});
