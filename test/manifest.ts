// package.json as VS Code shows it in English: each string value that is a `%key%` reference replaced by its
// text in package.nls.json (VS Code replaces whole values only; test/l10n.test.ts checks the references).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export function localizedManifest(root: string): unknown {
  const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  return JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'), (_key, value: unknown) => {
    const m = typeof value === 'string' ? /^%(.+)%$/.exec(value) : null;
    return m && typeof nls[m[1]!] === 'string' ? nls[m[1]!] : value;
  });
}
