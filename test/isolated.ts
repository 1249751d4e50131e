// A hang guard for synchronous work. node:test's per-test `timeout` cannot stop a test whose body never yields (a
// quadratic loop on hostile input runs to its end, and the test then passes), so such a test runs its body alone in
// a child process, killed at a deadline far above what the linear code needs: a guard against a blow-up, not a
// speed assertion (speed is measured by the bench).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const ENV = 'CRI_COMPAT_ISOLATED_TEST';

/** True in the child process that runs the test named `name` alone (see runIsolated). */
export const isolated = (name: string): boolean => process.env[ENV] === name;

/** Runs the test named `name` of the compiled test `file` alone in a child process, killed after `deadlineMs`. */
export async function runIsolated(file: string, name: string, deadlineMs: number): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, [ENV]: name };
  // Run directly, not as a child of this runner: with NODE_TEST_CONTEXT it would report in the runner's binary form.
  delete env.NODE_TEST_CONTEXT;
  const pattern = `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
  const child = spawn(process.execPath, ['--test-name-pattern', pattern, file], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, deadlineMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  assert.ok(!killed, `"${name}" was not done after ${deadlineMs / 1000} s, so it was stopped (a hang guard, not a timing: the linear code takes about a second); its output:\n${output}`);
  assert.equal(code, 0, output);
  assert.match(output, /^# pass 1$/m, `"${name}" did not run alone in the child process:\n${output}`);
}
