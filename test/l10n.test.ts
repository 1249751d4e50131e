// Localisation as VS Code extensions do it: package.json's texts are `%key%` references into package.nls.json,
// and the client's runtime texts are `l10n.t(...)` calls whose English bundle, l10n/bundle.l10n.json, is what
// `npm run l10n` exports. These tests keep the three from drifting apart, and hold translations
// (package.nls.<lang>.json, l10n/bundle.l10n.<lang>.json) to the English keys.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as subprocessL10n from '@vscode/l10n';
import { getL10nJson } from '@vscode/l10n-dev';
import { describeLevel } from '../client/src/baselineSetting';
import { PRODUCT_NAME, statusView } from '../client/src/render';
import { ROOT } from './lspHarness';

const CLIENT_SRC = path.join(ROOT, 'client', 'src');
const BUNDLE = path.join(ROOT, 'l10n', 'bundle.l10n.json');

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

/** The translations beside an English file: `package.nls.de.json` beside `package.nls.json`. */
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

  test('a contributed language is named by a %key% reference, unless its name is a proper name', () => {
    // A language's first alias is its name in the status bar and the language picker; VS Code replaces `%key%` in
    // arrays too, and names its own Plain Text so ([localize('plainText.alias', 'Plain Text'), 'text']). Further
    // aliases are names to type, as `proto` is. Proper names stay as they are, as VS Code's language extensions keep
    // theirs.
    const properNames = new Set(['Protocol Buffers']);
    const languages = (manifest.contributes as { languages: { id: string; aliases?: string[] }[] }).languages;
    assert.ok(languages.length >= 2);
    assert.deepEqual(languages.filter((l) => !/^%.+%$/.test(l.aliases?.[0] ?? '') && !properNames.has(l.aliases?.[0] ?? '')).map((l) => l.id), []);
  });

  test('a translation has only keys of package.nls.json', () => {
    const nls = readNls();
    for (const file of translationsOf(ROOT, 'package.nls')) {
      assert.deepEqual(Object.keys(readJson(path.join(ROOT, file))).filter((k) => !(k in nls)), [], file);
    }
  });
});

describe('l10n/bundle.l10n.json', () => {
  const sources = readdirSync(CLIENT_SRC).filter((f) => f.endsWith('.ts')).map((f) => ({ file: f, contents: readFileSync(path.join(CLIENT_SRC, f), 'utf8') }));

  test('package.json points VS Code to the bundles', () => {
    assert.equal(manifest.l10n, './l10n');
  });

  test('is what @vscode/l10n-dev exports from client/src: no message missing, none left over', async () => {
    const bundle = readJson(BUNDLE);
    const exported = await getL10nJson(sources.map((s) => ({ extension: '.ts', contents: s.contents })));
    assert.ok(Object.keys(exported).length > 20, `client/src localises its messages (${Object.keys(exported).length})`);
    assert.deepEqual(Object.keys(exported).filter((k) => !(k in bundle)), [], 'messages missing from the bundle: run `npm run l10n`');
    assert.deepEqual(Object.keys(bundle).filter((k) => !(k in exported)), [], 'messages no code uses: run `npm run l10n`');
    assert.deepEqual(bundle, exported);
  });

  test('every l10n.t call passes a literal message, and no notification shows a literal', () => {
    for (const { file, contents } of sources) {
      // The exporter sees only literal messages: a variable or a `${…}` template would never be translated.
      for (const m of contents.matchAll(/\bl10n\.t\(\s*(?!'[^'\\]*(?:\\.[^'\\]*)*'|"[^"\\]*(?:\\.[^"\\]*)*"|`[^`$]*`)/g)) {
        assert.fail(`${file}: l10n.t( without a literal message at offset ${m.index}: ${contents.slice(m.index, m.index + 60)}`);
      }
      // A notification's text is an l10n.t call, or a variable holding one; never a literal.
      for (const m of contents.matchAll(/\bwindow\.show(?:Information|Warning|Error)Message\(\s*[`'"]/g)) {
        assert.fail(`${file}: a literal message shown without l10n.t: ${contents.slice(m.index, m.index + 80)}`);
      }
    }
  });

  test('a translation has only messages of the English bundle', () => {
    const english = readJson(BUNDLE);
    for (const file of translationsOf(path.dirname(BUNDLE), 'bundle.l10n')) {
      assert.deepEqual(Object.keys(readJson(path.join(path.dirname(BUNDLE), file))).filter((k) => !(k in english)), [], file);
    }
  });

  test('a translated bundle reaches the modules that run without VS Code (render.ts, baselineSetting.ts)', () => {
    // What extension.ts does with VS Code's bundle for the display language: here a pseudo-translation of
    // every message, with the placeholders kept.
    const english = readJson(BUNDLE);
    subprocessL10n.config({ contents: Object.fromEntries(Object.keys(english).map((k) => [k, `«${k}»`])) });
    try {
      assert.equal(statusView(undefined).tooltip, `«${PRODUCT_NAME}: checking…»`);
      const v = statusView({
        uri: 'file:///a.proto', breaking: 1, findings: 4, checked: true, resolving: true,
        baselineTag: 'v0.36.3', kubernetes: '1.36.3', source: 'bundled', origin: 'bundled release index',
      });
      assert.equal(v.text, '$(shield) CRI «v0.36.3 · 1 breaking»');
      assert.equal(v.tooltip, [
        `«${PRODUCT_NAME}: compared with v0.36.3 (Kubernetes 1.36.3)»`, '«From bundled release index»',
        '«1 breaking finding», «4 findings in all»', '«Resolving the baseline again…»', '«Click for the compatibility report.»',
      ].join('\n'));
      assert.equal(v.ariaLabel, `««${PRODUCT_NAME}: compared with v0.36.3, «1 breaking finding»», resolving the baseline again»`);
      assert.equal(describeLevel('folder', { hasWorkspace: true, workspaceFile: true, folderName: 'api' }), '«the settings of folder "api" (its .vscode/settings.json)»');
    } finally {
      subprocessL10n.config({ contents: {} });
    }
  });
});
