// The client's bounded wait for a language server that never answers `initialize` (client/src/startTimeout.ts),
// with a real server process over the IPC transport the extension starts it with, and the setting that bounds it
// (package.json). What VS Code shows then (the notification, the status bar) is in test/e2e/servertimeout.e2e.test.ts.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { boundedStart, START_TIMEOUT_SECONDS, startTimeoutSeconds, StartTimeoutError } from '../client/src/startTimeout';
import { ROOT } from './lspHarness';
import { localizedManifest } from './manifest';

/** A server that reads what it is sent and never answers: as one stuck in its start. */
const HUNG_SERVER = "process.on('message', () => {});\nsetInterval(() => {}, 60_000);\n";
/** One that answers `initialize` at once. */
const ANSWERING_SERVER = "process.on('message', (m) => { if (m && m.method === 'initialize') process.send({ jsonrpc: '2.0', id: m.id, result: { capabilities: {} } }); });\n";

/** Forks `source` as the extension forks dist/server.js (TransportKind.ipc) and sends it `initialize`. */
function startServer(dir: string, source: string) {
  const file = path.join(dir, `server-${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(file, source);
  const child = fork(file, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  // As vscode-languageclient does when the server's connection closes: what was pending is rejected.
  connection.onClose(() => connection.dispose());
  connection.listen();
  const started = connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} }).then(() => undefined);
  return { child, exited, connection, started };
}

describe('a language server that never answers initialize (startTimeout.ts)', () => {
  test('is given up on after the time allowed: stopped, and the start fails with the seconds waited', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cri-start-timeout-'));
    const server = startServer(dir, HUNG_SERVER);
    try {
      const t0 = Date.now();
      const error = await boundedStart(server.started, 1, () => server.child.kill('SIGKILL')).then(() => undefined, (e: unknown) => e);
      const took = Date.now() - t0;
      assert.ok(error instanceof StartTimeoutError, `rejected with ${String(error)}`);
      assert.equal(error.seconds, 1);
      assert.match(error.message, /did not answer "initialize" within 1 s \(criCompat\.server\.startTimeout\) and was stopped/);
      assert.ok(took >= 990 && took < 6_000, `took ${took} ms`);
      // The process is gone, and the pending initialize ended with the connection, not left pending for ever.
      assert.equal(await server.exited, 'SIGKILL');
      await assert.rejects(server.started);
    } finally {
      server.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('one that answers in time is left running', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cri-start-timeout-'));
    const server = startServer(dir, ANSWERING_SERVER);
    let gaveUp = false;
    try {
      await boundedStart(server.started, 5, () => {
        gaveUp = true;
      });
      assert.equal(gaveUp, false);
      assert.equal(server.child.exitCode, null);
      assert.equal(server.child.signalCode, null);
    } finally {
      server.connection.dispose();
      server.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a start that fails before the time is up fails with its own error', async () => {
    await assert.rejects(boundedStart(Promise.reject(new Error('this install is broken')), 5, () => assert.fail('not given up on')), /this install is broken/);
  });
});

describe('criCompat.server.startTimeout (package.json)', () => {
  const props = (localizedManifest(ROOT) as { contributes: { configuration: { properties: Record<string, Record<string, unknown>> } } })
    .contributes.configuration.properties;

  test('declares the default and bounds the client uses, read without a resource (a window setting)', () => {
    const p = props['criCompat.server.startTimeout'];
    assert.ok(p, 'declared');
    assert.equal(p.type, 'integer');
    assert.equal(p.scope, 'window');
    assert.deepEqual({ default: p.default, minimum: p.minimum, maximum: p.maximum }, { ...START_TIMEOUT_SECONDS });
  });

  test('a value out of bounds or of the wrong type is clamped or replaced by the default', () => {
    assert.equal(startTimeoutSeconds(undefined), START_TIMEOUT_SECONDS.default);
    assert.equal(startTimeoutSeconds('10'), START_TIMEOUT_SECONDS.default);
    assert.equal(startTimeoutSeconds(Number.NaN), START_TIMEOUT_SECONDS.default);
    assert.equal(startTimeoutSeconds(0), 1);
    assert.equal(startTimeoutSeconds(5.4), 5);
    assert.equal(startTimeoutSeconds(1e9), 600);
  });
});
