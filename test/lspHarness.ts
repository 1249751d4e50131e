// A minimal LSP client for tests: spawns the BUILT server (dist/server.js --stdio) and records what it sends
// (diagnostics, progress, status notifications, messages, logs). Not a test file itself; test files import it
// and esbuild bundles it into each of them.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as assert from 'node:assert/strict';
import { after } from 'node:test';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  ConfigurationRequest, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, ExitNotification,
  InitializeRequest, InitializedNotification, LogMessageNotification, PublishDiagnosticsNotification, RegistrationRequest,
  ShowMessageNotification, ShutdownRequest, UnregistrationRequest, WorkDoneProgressCreateRequest,
  type ClientCapabilities, type InitializeResult, type ProtocolConnection, type PublishDiagnosticsParams, type Position, type Range,
  type TextDocumentContentChangeEvent, type ShowMessageParams, type Registration,
} from 'vscode-languageserver-protocol/node';
import { BaselineWarningNotificationMethod, type BaselineWarningParams, type StatusParams } from '../server/src/lsp/protocol';
import { findRepoRoot } from '../server/src/baseline/corpus';

export function repoRoot(): string {
  return findRepoRoot(__dirname);
}

export const ROOT = repoRoot();
export const SERVER = path.join(ROOT, 'dist', 'server.js');
export const BUILD_HELP = 'dist/server.js is missing: run `node scripts/build.mjs` first';
/** A test's options that skip it where the server is not built (spread with the others). */
export const NEEDS_SERVER = existsSync(SERVER) ? {} : { skip: BUILD_HELP };

export const pos = (line: number, character: number): Position => ({ line, character });
export const range = (sl: number, sc: number, el: number, ec: number): Range => ({ start: pos(sl, sc), end: pos(el, ec) });

/** Position of the first occurrence of `needle` (plus `offset` characters). */
export function lineCol(text: string, needle: string, offset = 0): Position {
  const lines = text.split('\n');
  for (let l = 0; l < lines.length; l++) {
    const c = lines[l]!.indexOf(needle);
    if (c >= 0) return pos(l, c + offset);
  }
  throw new Error(`"${needle}" not found`);
}

/** A plain editor: no work-done progress, workspace edits, code actions or diagnostic data. */
export const PLAIN_CLIENT_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true, workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true },
    foldingRange: { lineFoldingOnly: true },
  },
};

/**
 * A full editor: the plain one with work-done progress, versioned workspace edits, code actions, diagnostic data and
 * file watchers with relative patterns (as VS Code's client declares them).
 */
export const CLIENT_CAPABILITIES: ClientCapabilities = {
  window: { workDoneProgress: true },
  workspace: {
    ...PLAIN_CLIENT_CAPABILITIES.workspace, workspaceEdit: { documentChanges: true },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
  },
  textDocument: {
    ...PLAIN_CLIENT_CAPABILITIES.textDocument,
    publishDiagnostics: { ...PLAIN_CLIENT_CAPABILITIES.textDocument!.publishDiagnostics, dataSupport: true },
    codeAction: {
      dataSupport: true, isPreferredSupport: true,
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll'] } },
    },
  },
};

interface Waiter<T> {
  match: (p: T) => boolean;
  resolve: (p: T) => void;
  reject: (e: Error) => void;
}

/** A stream of notifications that can be waited on. */
class Recorder<T> {
  readonly all: T[] = [];
  private readonly waiters: Waiter<T>[] = [];

  push(p: T): void {
    this.all.push(p);
    for (const w of [...this.waiters]) {
      if (w.match(p)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  }

  /** The latest recorded item since `since` that matches, else the next one; rejects after `timeoutMs`. */
  next(match: (p: T) => boolean, since: number, timeoutMs: number, describe: () => string): Promise<T> {
    const done = this.all.slice(since).reverse().find(match);
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const k = this.waiters.indexOf(w);
        if (k >= 0) this.waiters.splice(k, 1);
        reject(new Error(describe()));
      }, timeoutMs);
      const w: Waiter<T> = {
        match,
        resolve: (p) => { clearTimeout(timer); resolve(p); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      this.waiters.push(w);
    });
  }

  /** Rejects every wait still pending: nothing more will be recorded. */
  close(why: string): void {
    for (const w of this.waiters.splice(0)) w.reject(new Error(why));
  }
}

export interface ProgressEvent {
  token: string | number;
  value: { kind: 'begin' | 'report' | 'end'; title?: string; message?: string };
}

export class LspEditor {
  readonly conn: ProtocolConnection;
  readonly logs: string[] = [];
  readonly messages: ShowMessageParams[] = [];
  readonly progressTokens: (string | number)[] = [];
  /** What the server registered for (`client/registerCapability`), less what it unregistered since. */
  readonly registrations: Registration[] = [];
  readonly diagnosticsLog = new Recorder<PublishDiagnosticsParams>();
  readonly progress = new Recorder<ProgressEvent>();
  readonly statuses = new Recorder<StatusParams>();
  /** `criCompat/baselineWarning`s, sent to a client that passed `baselineWarnings: true`. */
  readonly baselineWarnings: BaselineWarningParams[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  /** Resolves once the server has exited and its pipes have closed. */
  private readonly ended: Promise<void>;
  /** What `workspace/configuration` answers for the `criCompat` section. */
  settings: Record<string, unknown> = { protoPaths: [], validation: { debounceMs: 10 } };
  configurationRequests = 0;

  /** `startedBy` says where the session was started, for the message about a session left running. */
  constructor(readonly child: ChildProcessWithoutNullStreams, readonly startedBy = '') {
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    this.ended = new Promise((resolve) => child.on('close', () => resolve()));
    const reader = new StreamMessageReader(child.stdout);
    // vscode-jsonrpc re-arms its partial-message timer every 10 s for as long as a message stays incomplete, and
    // neither the pipe closing nor dispose() clears it. Its writer sends a header and its body as two writes, so
    // a server killed between them left that timer keeping the test process alive for good after its last test
    // passed. Nothing here listens for partial messages: no timer.
    reader.partialMessageTimeout = 0;
    this.conn = createProtocolConnection(reader, new StreamMessageWriter(child.stdin));
    sessions.add(this);
    this.conn.onRequest(ConfigurationRequest.type, (params) => {
      this.configurationRequests++;
      return params.items.map((i) => (i.section === 'criCompat' ? this.settings : null));
    });
    this.conn.onRequest(RegistrationRequest.type, (p) => {
      this.registrations.push(...p.registrations);
    });
    this.conn.onRequest(UnregistrationRequest.type, (p) => {
      const gone = new Set(p.unregisterations.map((u) => u.id));
      this.registrations.splice(0, this.registrations.length, ...this.registrations.filter((r) => !gone.has(r.id)));
    });
    this.conn.onRequest(WorkDoneProgressCreateRequest.type, (p) => {
      this.progressTokens.push(p.token);
    });
    this.conn.onNotification('$/progress', (p: ProgressEvent) => this.progress.push(p));
    this.conn.onNotification('criCompat/status', (p: StatusParams) => this.statuses.push(p));
    this.conn.onNotification(BaselineWarningNotificationMethod, (p: BaselineWarningParams) => {
      this.baselineWarnings.push(p);
    });
    this.conn.onNotification(LogMessageNotification.type, (p) => {
      this.logs.push(p.message);
    });
    this.conn.onNotification(ShowMessageNotification.type, (p) => {
      this.messages.push(p);
    });
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => this.diagnosticsLog.push(p));
    this.conn.listen();
  }

  /** Starts dist/server.js; `env` is added to this process's environment. Subclasses start as themselves. */
  static start<T extends LspEditor>(this: new (child: ChildProcessWithoutNullStreams, startedBy?: string) => T, env: Record<string, string> = {}): T {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const caller: { stack?: string } = {};
    Error.captureStackTrace(caller, LspEditor.start);
    return new this(child, caller.stack?.split('\n')[1]?.trim() ?? '');
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  describe(): string {
    return `server pid ${this.child.pid}${this.startedBy ? ` started ${this.startedBy}` : ''}`;
  }

  private context(): string {
    return `\nserver stderr: ${this.stderr}\nlogs:\n${this.logs.join('\n')}`;
  }

  /** A mark in the stream of published diagnostics: pass it to `diagnostics` to see only later ones. */
  mark(): number {
    return this.diagnosticsLog.all.length;
  }

  diagnostics(uri: string, match: (p: PublishDiagnosticsParams) => boolean = () => true, since = 0, timeoutMs = 30_000): Promise<PublishDiagnosticsParams> {
    return this.diagnosticsLog.next((p) => p.uri === uri && match(p), since, timeoutMs,
      () => `no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(this.diagnosticsLog.all.filter((p) => p.uri === uri).slice(-1)).slice(0, 2000)}${this.context()}`);
  }

  status(match: (p: StatusParams) => boolean, since = 0, timeoutMs = 30_000): Promise<StatusParams> {
    return this.statuses.next(match, since, timeoutMs, () => `no matching criCompat/status within ${timeoutMs} ms; got ${JSON.stringify(this.statuses.all.slice(-3))}${this.context()}`);
  }

  /** The first status from `since` on of `uri` checked with its baseline resolved. */
  checked(uri: string, since = 0): Promise<StatusParams> {
    return this.status((p) => p.uri === uri && p.checked && !p.resolving, since);
  }

  progressEvent(match: (p: ProgressEvent) => boolean, since = 0, timeoutMs = 30_000): Promise<ProgressEvent> {
    return this.progress.next(match, since, timeoutMs, () => `no matching $/progress within ${timeoutMs} ms; got ${JSON.stringify(this.progress.all)}${this.context()}`);
  }

  /** `initialize` and `initialized`; `capabilities` are the client's, by default those of a full editor. */
  async initialize(folder: string, initializationOptions?: unknown, capabilities: ClientCapabilities = CLIENT_CAPABILITIES): Promise<InitializeResult> {
    const result = await this.conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(folder).href,
      workspaceFolders: [{ uri: pathToFileURL(folder).href, name: path.basename(folder) }],
      capabilities,
      ...(initializationOptions !== undefined ? { initializationOptions } : {}),
    });
    await this.conn.sendNotification(InitializedNotification.type, {});
    return result;
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'proto', version, text } });
  }

  async change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
  }

  async shutdown(): Promise<number | null> {
    await this.conn.sendRequest(ShutdownRequest.type);
    await this.conn.sendNotification(ExitNotification.type);
    const code = await this.exited;
    await this.close();
    return code;
  }

  /**
   * Ends the session for good, in whatever state it is: the server killed if it still runs (SIGKILL if SIGTERM
   * has not ended it within 5 s), its exit and the end of its pipes awaited (2 s at most: a process it started
   * may hold them), the pipes destroyed and the connection disposed, so that nothing of the session keeps this
   * process alive. Waits still pending are rejected. Safe to call again.
   */
  async close(): Promise<void> {
    if (this.running) {
      this.child.kill();
      if (!(await settlesWithin(this.exited, 5_000))) {
        this.child.kill('SIGKILL');
        await settlesWithin(this.exited, 5_000);
      }
    }
    await settlesWithin(this.ended, 2_000);
    this.conn.dispose();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) s.destroy();
    for (const r of [this.diagnosticsLog, this.progress, this.statuses]) r.close(`the session was closed${this.context()}`);
    sessions.delete(this);
  }
}

/** `p`, or a rejection naming `what` once `ms` have passed; the timer does not outlive the wait. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))),
  ]);
}

/** Whether `p` (which never rejects) settles within `ms`. */
const settlesWithin = (p: Promise<unknown>, ms: number): Promise<boolean> => withTimeout(p, ms, '').then(() => true, () => false);

/** Sessions not closed yet. */
const sessions = new Set<LspEditor>();

/** How long a test file may live on after its last hook before it is failed instead of left hanging. */
const EXIT_WATCHDOG_MS = Number(process.env.CRI_COMPAT_TEST_EXIT_WATCHDOG_MS) || 10_000;

// The file's last hook. A session left running fails the file, by name, and is closed. Then, whatever else
// still keeps this process alive (a timer, a socket, a process) fails it too, with what that is, instead of
// leaving it hanging after its tests passed: the watchdog is unref'd, so it never keeps the process alive
// itself and fires only when something else does.
after(async () => {
  const left = [...sessions].filter((s) => s.running).map((s) => s.describe());
  await Promise.all([...sessions].map((s) => s.close()));
  setTimeout(() => {
    process.stderr.write(`This test file is still running ${EXIT_WATCHDOG_MS} ms after its last test; it is kept alive by: ` +
      `${process.getActiveResourcesInfo().join(', ')} (its own stdout and stderr count as PipeWrap or TTYWrap). Failing it.\n`);
    process.exit(1);
  }, EXIT_WATCHDOG_MS).unref();
  assert.deepEqual(left, [], 'language servers left running at the end of the file: close() every session');
});
