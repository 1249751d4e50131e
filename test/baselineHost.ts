// A BaselineHost for tests of the language server's baseline manager (server/src/lsp/baselines.ts): silent, no
// cache directory, the bundled release index, and `resolve` and `resolved` as the test wants them. Not a test file
// itself; test files import it and esbuild bundles it into each of them.
import type { BaselineHost } from '../server/src/lsp/baselines';
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
