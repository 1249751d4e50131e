// The BUILT language server (dist/server.js --stdio) under abuse an editor can produce: positions past the
// end, unknown documents, changes for closed documents, cancelled requests, garbage JSON-RPC, and rapid
// edits (500, at 50 per second) — it must stay alive, and the last diagnostics it publishes must be
// those of the final text. Run `node scripts/build.mjs` first.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  DefinitionRequest, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification, DidSaveTextDocumentNotification, DocumentSymbolRequest, ExitNotification, FoldingRangeRequest,
  HoverRequest, ReferencesRequest, ShutdownRequest, WorkspaceSymbolRequest,
  type ClientCapabilities, type Diagnostic, type Position, type PublishDiagnosticsParams, type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Corpus, CORPUS_HELP, V1_PATH, findCorpusDir } from '../server/src/baseline/corpus';
import { analyze } from '../server/src/service';
import { mulberry32 } from './fuzz/fuzz';
import { problemToDiagnostic } from '../server/src/lsp/convert';
import { BUILD_HELP, LspEditor, ROOT, SERVER, withTimeout } from './lspHarness';

const corpusDir = findCorpusDir(ROOT);
const MAX_DIAGNOSTICS = 1000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A bare client: document symbols and versioned diagnostics, nothing else. */
const CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, workspaceFolders: true },
  textDocument: { documentSymbol: { hierarchicalDocumentSymbolSupport: true }, publishDiagnostics: { versionSupport: true } },
};

/** The shared harness, plus raw writes and waiting for diagnostics to settle. */
class Client extends LspEditor {
  get published(): PublishDiagnosticsParams[] {
    return this.diagnosticsLog.all;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Raw bytes on the server's stdin, between two whole messages of the connection. */
  raw(body: string, header?: string): Promise<void> {
    const bytes = Buffer.from(body, 'utf8');
    return new Promise((resolve, reject) => this.child.stdin.write(Buffer.concat([Buffer.from(header ?? `Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]), (e) => (e ? reject(e) : resolve())));
  }

  /** A round trip that needs a working server: a hover on a known document, or a symbols request. */
  async ping(uri: string): Promise<void> {
    const symbols = await withTimeout(this.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }), 10_000, 'ping');
    assert.ok(Array.isArray(symbols), 'the server answers document symbols after the abuse');
    assert.ok(this.alive, 'the server process is alive');
  }

  /** The last diagnostics published for `uri`, once nothing new came for `quietMs`. */
  async settled(uri: string, version: number, timeoutMs = 20_000, quietMs = 600): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    let count = -1;
    let quietSince = Date.now();
    for (;;) {
      const mine = this.published.filter((p) => p.uri === uri);
      if (mine.length !== count) {
        count = mine.length;
        quietSince = Date.now();
      }
      const last = mine.at(-1);
      if (last && last.version === version && Date.now() - quietSince >= quietMs) return last;
      if (Date.now() > deadline) {
        throw new Error(`no settled diagnostics for version ${version} of ${uri} within ${timeoutMs} ms; last: version ${last?.version}\nstderr: ${this.stderr}\nlogs: ${this.logs.join('\n')}`);
      }
      await sleep(50);
    }
  }
}

/** Diagnostics as compared: binder problems only (findings carry `data`), import messages name search roots. */
function comparable(ds: Diagnostic[]): unknown[] {
  return ds.filter((d) => d.data === undefined).map((d) => ({
    range: d.range, severity: d.severity, code: d.code, ...(d.code === 'unresolved-import' ? {} : { message: d.message }),
  }));
}

describe('language server robustness over stdio', { skip: !existsSync(SERVER) ? BUILD_HELP : corpusDir ? false : CORPUS_HELP, timeout: 60_000 }, () => {
  let client: Client;
  let tmp: string;
  let apiUri: string;
  let original: string;

  before(async () => {
    const corpus = new Corpus(corpusDir!);
    original = corpus.text(corpus.goTags(V1_PATH).filter((r) => !r.prerelease).at(-1)!.blob);
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-robust-')));
    writeFileSync(path.join(tmp, 'api.proto'), original);
    apiUri = pathToFileURL(path.join(tmp, 'api.proto')).href;
    client = Client.start();
    await client.initialize(tmp, undefined, CAPABILITIES);
    await client.open(apiUri, original);
    await client.settled(apiUri, 1);
  });

  after(async () => {
    if (client?.alive) {
      try {
        await withTimeout(client.conn.sendRequest(ShutdownRequest.type), 5_000, 'shutdown');
        await client.conn.sendNotification(ExitNotification.type);
        await withTimeout(client.exited, 5_000, 'exit');
      } catch {
        // close() below kills it.
      }
    }
    await client?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('positions past the end answer null; malformed positions do no harm', async () => {
    const lines = original.split('\n').length;
    const pastTheEnd: Position[] = [
      { line: lines + 100, character: 0 }, { line: lines - 1, character: 100_000 }, { line: 1_000_000, character: 1_000_000 },
      { line: 2 ** 31 - 1, character: 2 ** 31 - 1 },
    ];
    const malformed: unknown[] = [{ line: -1, character: 0 }, { line: 0, character: -5 }, { line: 1.5, character: 0 }, { line: '3', character: 'x' }, null, {}, 'here'];
    const ask = (position: unknown): Promise<PromiseSettledResult<unknown>[]> => {
      const textDocument = { uri: apiUri };
      return Promise.allSettled([
        client.conn.sendRequest(HoverRequest.method, { textDocument, position }),
        client.conn.sendRequest(DefinitionRequest.method, { textDocument, position }),
        client.conn.sendRequest(ReferencesRequest.method, { textDocument, position, context: { includeDeclaration: true } }),
      ]);
    };
    const empty = (v: unknown): boolean => v === null || (Array.isArray(v) && v.length === 0);
    for (const position of pastTheEnd) {
      for (const a of await ask(position)) {
        assert.equal(a.status, 'fulfilled', `${JSON.stringify(position)}: ${a.status === 'rejected' ? a.reason : ''}`);
        assert.ok(empty((a as PromiseFulfilledResult<unknown>).value), `${JSON.stringify(position)}: ${JSON.stringify((a as PromiseFulfilledResult<unknown>).value)}`);
      }
    }
    // Not positions at all: null or an error response are both fine; a dead server is not.
    for (const position of malformed) {
      for (const a of await ask(position)) if (a.status === 'fulfilled') assert.ok(empty(a.value), `${JSON.stringify(position)}: ${JSON.stringify(a.value)}`);
    }
    await client.ping(apiUri);
  });

  test('requests for unknown documents answer null', async () => {
    for (const uri of ['file:///nowhere/unknown.proto', 'untitled:Untitled-1', 'not a uri', '']) {
      const textDocument = { uri };
      assert.equal(await client.conn.sendRequest(HoverRequest.type, { textDocument, position: { line: 0, character: 0 } }), null);
      assert.equal(await client.conn.sendRequest(DefinitionRequest.type, { textDocument, position: { line: 0, character: 0 } }), null);
      assert.equal(await client.conn.sendRequest(ReferencesRequest.type, { textDocument, position: { line: 0, character: 0 }, context: { includeDeclaration: false } }), null);
      assert.equal(await client.conn.sendRequest(DocumentSymbolRequest.type, { textDocument }), null);
      assert.equal(await client.conn.sendRequest(FoldingRangeRequest.type, { textDocument }), null);
    }
    await client.ping(apiUri);
  });

  test('changes and closes for closed or unknown documents are ignored', async () => {
    const symbolsBefore = await client.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: apiUri } });
    const other = pathToFileURL(path.join(tmp, 'other.proto')).href;
    await client.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: other, languageId: 'proto', version: 1, text: 'syntax = "proto3";\nmessage A { B b = 1; }\n' } });
    await client.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: other } });
    await client.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: other, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }],
    });
    await client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: 'file:///never/opened.proto', version: 7 }, contentChanges: [{ text: 'message Z {}' }] });
    await client.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: 'file:///never/opened.proto' } });
    await client.conn.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: other } });
    // Malformed notifications: no version, no text document, no changes.
    await client.conn.sendNotification(DidChangeTextDocumentNotification.method, { textDocument: { uri: apiUri }, contentChanges: [{ text: 'x' }] });
    await client.conn.sendNotification(DidChangeTextDocumentNotification.method, { contentChanges: [] });
    await client.conn.sendNotification(DidOpenTextDocumentNotification.method, { textDocument: null });
    await client.conn.sendNotification(DidCloseTextDocumentNotification.method, {});
    await client.ping(apiUri);
    // The closed document got its diagnostics cleared and nothing after that.
    await sleep(200);
    const forOther = client.published.filter((p) => p.uri === other);
    assert.deepEqual(forOther.at(-1)?.diagnostics, []);
    assert.equal(await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: other }, position: { line: 1, character: 12 } }), null);
    // The malformed change (no version) did not touch the open document.
    assert.deepEqual(await client.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: apiUri } }), symbolsBefore);
  });

  test('cancelled requests: answered or cancelled, never a dead server', async () => {
    const pending: Promise<unknown>[] = [];
    for (let k = 0; k < 50; k++) {
      const source = new CancellationTokenSource();
      const textDocument = { uri: apiUri };
      const position = { line: k * 13, character: 10 };
      const requests = [
        client.conn.sendRequest(HoverRequest.type, { textDocument, position }, source.token),
        client.conn.sendRequest(ReferencesRequest.type, { textDocument, position, context: { includeDeclaration: true } }, source.token),
        client.conn.sendRequest(DocumentSymbolRequest.type, { textDocument }, source.token),
        client.conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'Pod' }, source.token),
      ];
      if (k % 2 === 0) source.cancel();
      else setTimeout(() => source.cancel(), k % 5);
      for (const r of requests) {
        pending.push(r.then(() => 'answered', (e: { code?: number; message?: string }) => {
          // -32800 RequestCancelled is the only acceptable error.
          assert.equal(e.code, -32800, `unexpected error for a cancelled request: ${e.code} ${e.message}`);
          return 'cancelled';
        }));
      }
    }
    // A cancellation for an id that never existed, and one with a garbage id.
    await client.conn.sendNotification('$/cancelRequest', { id: 987_654_321 });
    await client.conn.sendNotification('$/cancelRequest', { id: { nested: true } });
    await client.conn.sendNotification('$/cancelRequest', null);
    await withTimeout(Promise.all(pending), 20_000, 'cancelled requests');
    await client.ping(apiUri);
  });

  test('garbage JSON-RPC messages: the server stays alive', async () => {
    await client.raw('{this is not json');
    await client.raw('');
    await client.raw('[]');
    await client.raw('null');
    await client.raw('{"foo": 1}');
    await client.raw('{"jsonrpc":"2.0","id":424242,"method":"textDocument/hover","params":"nonsense"}');
    await client.raw('{"jsonrpc":"2.0","id":424243,"method":"textDocument/hover"}');
    await client.raw('{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":42,"version":"x"},"contentChanges":"y"}}');
    await client.raw('{"jsonrpc":"2.0","id":424244,"method":"no/suchMethod","params":{}}');
    await client.raw('{"jsonrpc":"2.0","id":424245,"result":{"unsolicited":true}}');
    await client.raw('{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///g.proto","languageId":"proto","version":1,"text":"\\u0000\\ud800 message {"}}}');
    await client.raw('\u00ff\u00fe{"jsonrpc":"2.0"}');
    // Invalid UTF-8 inside a well-framed message.
    await new Promise<void>((resolve, reject) => {
      const body = Buffer.concat([Buffer.from('{"jsonrpc":"2.0","method":"x","params":"'), Buffer.from([0xff, 0xc0, 0x80, 0xed, 0xa0, 0x80]), Buffer.from('"}')]);
      client.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]), (e) => (e ? reject(e) : resolve()));
    });
    await client.ping(apiUri);
    // Messages after the garbage were still read: the document opened by raw JSON got its diagnostics.
    const g = await client.settled('file:///g.proto', 1, 10_000, 0);
    assert.ok(g.diagnostics.some((d) => d.code === 'syntax'), JSON.stringify(g.diagnostics));
    assert.equal(await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: 'file:///g.proto' }, position: { line: 0, character: 20 } }), null);
  });

  test('rapid edits, 500 at 50 per second: the last diagnostics are those of the final text', async () => {
    const random = mulberry32(6);
    const int = (n: number): number => Math.floor(random() * n);
    const snippets = ['{', '}', ';', ' ', '\n', 'message X {', '}\n', 'Foo', ' = 1', '=', 'string s = 2;\n', '// c\n', '/*', '*/', '"', 'rpc R(A) returns (B);', '\t', 'é', '\r\n', 'reserved 3;', 'enum E { A = 0; }'];
    let doc = TextDocument.create(apiUri, 'proto', 1, original);
    let version = 1;
    const requests: Promise<unknown>[] = [];
    const started = Date.now();
    const sent = { edits: 0, multi: 0, full: 0, hovers: 0 };
    let next = started;
    // A number of edits, not a duration: on a slow machine they take longer, and all of them are still sent.
    while (sent.edits < 500) {
      const text = doc.getText();
      const changes: TextDocumentContentChangeEvent[] = [];
      const roll = random();
      if (roll < 0.02) {
        // Now and then the whole text at once (what some clients send), a mutated copy of the original.
        const cut = int(original.length);
        changes.push({ text: original.slice(0, cut) + snippets[int(snippets.length)] + original.slice(cut + int(200)) });
        sent.full++;
      } else {
        const n = roll < 0.12 ? 2 + int(3) : 1;
        if (n > 1) sent.multi++;
        // Changes in one notification apply in order, each against the text after the previous one.
        let scratch = TextDocument.create(apiUri, 'proto', 0, text);
        for (let k = 0; k < n; k++) {
          const len = scratch.getText().length;
          const a = int(len + 1);
          const b = Math.min(len, a + (random() < 0.5 ? 0 : int(40)));
          const change = { range: { start: scratch.positionAt(a), end: scratch.positionAt(b) }, text: random() < 0.3 ? '' : snippets[int(snippets.length)]! };
          changes.push(change);
          scratch = TextDocument.update(scratch, [change], 0);
        }
      }
      version++;
      doc = TextDocument.update(doc, changes, version);
      void client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: apiUri, version }, contentChanges: changes });
      sent.edits++;
      if (sent.edits % 5 === 0) {
        const source = new CancellationTokenSource();
        const position = doc.positionAt(int(doc.getText().length + 10));
        requests.push(client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: apiUri }, position }, source.token).catch((e: { code?: number }) => assert.equal(e.code, -32800)));
        if (sent.edits % 10 === 0) source.cancel();
        sent.hovers++;
      }
      next += 20;
      await sleep(Math.max(0, next - Date.now()));
    }
    const elapsed = Date.now() - started;
    await withTimeout(Promise.all(requests), 20_000, 'hovers during the edits');
    const final = doc.getText();
    const last = await client.settled(apiUri, version);
    const expected = analyze(final, { uri: apiUri }).bound.problems.slice(0, MAX_DIAGNOSTICS).map((p) => problemToDiagnostic(p));
    assert.deepEqual(comparable(last.diagnostics), comparable(expected), 'published diagnostics are those of the final text');
    const mine = client.published.filter((p) => p.uri === apiUri && p.version !== undefined && p.version > 1);
    console.log(`rapid edits: ${sent.edits} changes (${sent.multi} multi-change, ${sent.full} full-text) and ${sent.hovers} hovers in ${elapsed} ms; ` +
      `${mine.length} diagnostics publications; final version ${version} has ${last.diagnostics.length} diagnostic(s)`);
    // Publications never go back in version (a slow analysis of an old version must not overwrite a newer one).
    for (let k = 1; k < mine.length; k++) assert.ok(mine[k]!.version! >= mine[k - 1]!.version!, `version ${mine[k]!.version} published after ${mine[k - 1]!.version}`);
    await client.ping(apiUri);
  });

  test('no uncaught errors were logged, and the server shuts down cleanly', async () => {
    console.log(`server log (${client.logs.length} lines):\n${client.logs.map((l) => '  ' + l.split('\n')[0]!.slice(0, 200)).join('\n')}`);
    const bad = client.logs.filter((l) => /uncaught exception|unhandled rejection|failed: /.test(l));
    assert.deepEqual(bad, [], `server logged failures:\n${bad.join('\n')}`);
    assert.ok(client.alive);
    await client.conn.sendRequest(ShutdownRequest.type);
    await client.conn.sendNotification(ExitNotification.type);
    assert.equal(await withTimeout(client.exited, 5_000, 'exit'), 0);
  });
});
