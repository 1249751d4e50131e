// A BaselineHost for tests of the language server's baseline manager (server/src/lsp/baselines.ts): silent, no
// cache directory, the bundled release index, and `resolve` and `resolved` as the test wants them. Not a test file
// itself; test files import it and esbuild bundles it into each of them.
import { BaselineManager, type BaselineHost, type BaselineRequest } from '../server/src/lsp/baselines';
import type { BundledIndex } from '../server/src/baseline/resolve';

export function testHost(options: {
  trusted: boolean;
  bundled: BundledIndex | undefined;
  resolve: BaselineHost['resolve'];
  resolved: BaselineHost['resolved'];
}): BaselineHost {
  return {
    trusted: () => options.trusted,
    cacheDir: () => undefined,
    bundled: () => options.bundled,
    info: () => {},
    error: () => {},
    progress: async () => ({ report: () => {}, done: () => {} }),
    warn: () => {},
    resolved: options.resolved,
    resolve: options.resolve,
  };
}

/**
 * A manager over testHost, and `settled(request)`: asks it for the request's baseline, waits until a resolution has
 * finished (each one wakes the oldest waiter), and gives the manager's answer then.
 */
export function waitingManager(options: Omit<Parameters<typeof testHost>[0], 'resolved'>) {
  const waiting: (() => void)[] = [];
  const manager = new BaselineManager(testHost({ ...options, resolved: () => waiting.shift()?.() }));
  const settled = async (request: BaselineRequest) => {
    const done = new Promise<void>((r) => waiting.push(r));
    manager.get(request);
    await done;
    return manager.get(request);
  };
  return { manager, settled };
}
