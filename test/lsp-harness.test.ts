// The LSP test harness itself (test/lspHarness.ts): a session it closes leaves nothing that keeps the test
// process alive, also when the server died in the middle of a message; and a test file that keeps running
// after its last test (a session left open, a timer) fails with what keeps it alive instead of hanging.
// The files that do that are this file again, run as a child process with CRI_COMPAT_HARNESS_FIXTURE set.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { LspEditor } from './lspHarness';

/** A stand-in server, as a node script: `--stdio` servers only need pipes. */
function fakeServer(script: string): LspEditor {
  return new LspEditor(spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'pipe'] }), 'by lsp-harness.test');
}

/** The resources (by type) this process has more of than `before`, once closed handles are gone (1 s at most). */
async function leftover(before: string[]): Promise<string[]> {
  const more = (): string[] => {
    const rest = [...before];
    return process.getActiveResourcesInfo().filter((r) => {
      const k = rest.indexOf(r);
      if (k >= 0) rest.splice(k, 1);
      return k < 0;
    });
  };
  // A handle is gone only after the loop's close phase has run for it.
  for (let k = 0; k < 50 && more().length; k++) await new Promise((resolve) => setTimeout(resolve, 20));
  return more();
}

/** Runs this file again as a fixture; resolves with its exit code (null: it had to be killed) and output. */
async function runFixture(fixture: string, killAfterMs: number): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, CRI_COMPAT_HARNESS_FIXTURE: fixture, CRI_COMPAT_TEST_EXIT_WATCHDOG_MS: '300' };
  // Run directly, not as a child of this runner: with NODE_TEST_CONTEXT it would report in the runner's binary form.
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, [__filename], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const [code] = await once(child, 'exit') as [number | null];
  clearTimeout(timer);
  return { code, output };
}

const fixture = process.env.CRI_COMPAT_HARNESS_FIXTURE;

if (fixture === 'session-left-running') {
  test('a session never closed', () => {
    fakeServer('process.stdin.resume()');
  });
} else if (fixture === 'timer-left-running') {
  test('a timer never cleared', () => {
    setInterval(() => undefined, 60_000);
  });
} else {
  describe('LSP test harness', { timeout: 60_000 }, () => {
    test('a server that died between the header and the body of a message: closing the session leaves nothing running', async () => {
      const before = process.getActiveResourcesInfo();
      // Written as the server's writer does it (header, then body), and ended before the body is complete.
      const editor = fakeServer(String.raw`process.stdout.write('Content-Length: 100\r\n\r\n{"jsonrpc":', () => process.exit(0))`);
      await once(editor.child.stdout, 'end');
      await editor.close();
      assert.deepEqual(await leftover(before), []);
    });

    test('a session closed while its server still runs: the server is ended, nothing is left running', async () => {
      const before = process.getActiveResourcesInfo();
      const editor = fakeServer('process.stdin.resume(); process.on("SIGTERM", () => {}); process.stderr.write("ready")');
      await once(editor.child.stderr, 'data');
      await editor.close();
      assert.equal(editor.running, false);
      assert.equal(editor.child.signalCode, 'SIGKILL', 'a server that ignores SIGTERM is killed');
      assert.deepEqual(await leftover(before), []);
    });

    test('a file that leaves a session running fails, naming the session, instead of hanging', async () => {
      const { code, output } = await runFixture('session-left-running', 20_000);
      assert.equal(code, 1, output);
      assert.match(output, /language servers left running at the end of the file/);
      assert.match(output, /server pid \d+ started by lsp-harness\.test/);
    });

    test('a file kept alive by something else after its last test fails, naming what, instead of hanging', async () => {
      const { code, output } = await runFixture('timer-left-running', 20_000);
      assert.equal(code, 1, output);
      assert.match(output, /still running 300 ms after its last test; it is kept alive by: .*Timeout/);
      assert.match(output, /^ok 1 - a timer never cleared$/m, 'its test passed');
    });
  });
}
