// Localisation as VS Code extensions do it: package.json's texts are `%key%` references into package.nls.json.
// These tests keep the two from drifting apart, and hold translations (package.nls.<lang>.json) to the English
// keys.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './lspHarness';

function readJson(file: string): Record<string, unknown> {
  assert.ok(existsSync(file), `${path.relative(ROOT, file)} exists`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** Every string value of a JSON value, with its path (`contributes.commands[0].title`). */
function strings(value: unknown, at = ''): { at: string; text: string }[] {
  if (typeof value === 'string') return [{ at, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, at ? `${at}.${k}` : k));
  return [];
}

/** The keys of the translations beside an English file: `package.nls.de.json` beside `package.nls.json`. */
function translationsOf(dir: string, prefix: string): string[] {
  return readdirSync(dir).filter((f) => f.startsWith(prefix + '.') && f.endsWith('.json') && f !== prefix + '.json');
}

const manifest = readJson(path.join(ROOT, 'package.json'));
const readNls = (): Record<string, unknown> => readJson(path.join(ROOT, 'package.nls.json'));

describe('package.json and package.nls.json', () => {
  // VS Code replaces a string value that is exactly `%key%` (anywhere in the manifest), and only that.
  const refs = strings(manifest).flatMap(({ at, text }) => {
    const m = /^%(.+)%$/.exec(text);
    return m ? [{ at, key: m[1]! }] : [];
  });

  test('every %key% has an English text, and every text is used', () => {
    assert.ok(refs.length > 20, `package.json refers to package.nls.json (${refs.length} references)`);
    const nls = readNls();
    assert.deepEqual(refs.filter((r) => typeof nls[r.key] !== 'string').map((r) => `${r.at}: %${r.key}%`), [], 'references without a text');
    const used = new Set(refs.map((r) => r.key));
    assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), [], 'texts nothing refers to');
  });

  test('what the editor shows of the manifest is a %key% reference, not English text', () => {
    // Names, descriptions and titles the UI shows: the extension's name and description, the trust and
    // virtual-workspace notes, command titles and categories, the settings' title and descriptions.
    const shown = /^(displayName|description|capabilities\.\w+\.description|contributes\.(commands\[\d+\]\.(title|category)|configuration\.title|configuration\.properties\..+\.(description|markdownDescription|enumDescriptions\[\d+\]|markdownEnumDescriptions\[\d+\]|deprecationMessage|markdownDeprecationMessage)))$/;
    const literal = strings(manifest).filter(({ at, text }) => shown.test(at) && !/^%.+%$/.test(text)).map(({ at }) => at);
    assert.deepEqual(literal, []);
  });

  test('a translation has only keys of package.nls.json', () => {
    const nls = readNls();
    for (const file of translationsOf(ROOT, 'package.nls')) {
      assert.deepEqual(Object.keys(readJson(path.join(ROOT, file))).filter((k) => !(k in nls)), [], file);
    }
  });
});
