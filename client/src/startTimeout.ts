// A bounded wait for the language server's answer to `initialize`. vscode-languageclient waits for it for ever: a
// server that hangs during its start (a file it reads that never ends, a stuck git) left the client "starting", and
// the status bar saying "checking…", for good, with nothing said. No VS Code API here, so that tests run it under
// plain node with a real server process that never answers.

/** `criCompat.server.startTimeout`, in seconds: its default and bounds, as package.json declares them. */
export const START_TIMEOUT_SECONDS = { default: 30, minimum: 1, maximum: 600 } as const;

/** How long, once the server process is stopped, the start is given to end on its own (its connection closing). */
const SETTLE_MS = 5_000;

/** A start given up on: the server did not answer `initialize` within the time allowed. */
export class StartTimeoutError extends Error {
  constructor(readonly seconds: number) {
    super(`the language server did not answer "initialize" within ${seconds} s (criCompat.server.startTimeout) and was stopped`);
    this.name = 'StartTimeoutError';
  }
}

/** The setting's value in seconds: a number within the bounds (rounded, clamped), else the default. */
export function startTimeoutSeconds(setting: unknown): number {
  if (typeof setting !== 'number' || !Number.isFinite(setting)) return START_TIMEOUT_SECONDS.default;
  return Math.min(Math.max(Math.round(setting), START_TIMEOUT_SECONDS.minimum), START_TIMEOUT_SECONDS.maximum);
}

/**
 * `started`, or a StartTimeoutError after `seconds` if it is still pending. Then `giveUp` is called (it stops the
 * server process), and the start is awaited a little longer (SETTLE_MS), so that what the client does as its
 * connection closes happens before the caller reports the failure, not after.
 */
export async function boundedStart(started: Promise<void>, seconds: number, giveUp: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), seconds * 1000);
  });
  try {
    if ((await Promise.race([started.then(() => 'started' as const), expired])) === 'started') return;
  } finally {
    clearTimeout(timer);
  }
  giveUp();
  let settle: NodeJS.Timeout | undefined;
  await Promise.race([
    started.catch(() => undefined),
    new Promise<void>((resolve) => {
      settle = setTimeout(resolve, SETTLE_MS);
    }),
  ]).finally(() => clearTimeout(settle));
  throw new StartTimeoutError(seconds);
}
