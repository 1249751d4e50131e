// The extension manifest (package.json) and, when `npm run package` has built it, the contents of
// cri-compat.vsix. Nothing heavy: the manifest is read as JSON and the .vsix's zip central directory is
// read directly (no unzip needed).
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './lspHarness';

interface Command {
  command: string;
  title?: string;
  category?: string;
}
interface Setting {
  type?: string | string[];
  default?: unknown;
  description?: string;
  markdownDescription?: string;
  scope?: string;
}
interface Manifest {
  name: string;
  main: string;
  engines: Record<string, string>;
  activationEvents?: string[];
  capabilities?: {
    untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces?: boolean | { supported: boolean | 'limited'; description?: string };
  };
  contributes: {
    languages: { id: string; extensions?: string[]; configuration?: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
    commands: Command[];
    menus?: { commandPalette?: { command: string; when?: string }[] };
    configuration: { title?: string; properties: Record<string, Setting> };
  };
  dependencies?: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

/** `^1.100.0` → [1, 100, 0]. */
function minVersion(range: string): number[] {
  const m = /^\^?(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  assert.ok(m, `a plain ^x.y.z range: ${range}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

describe('package.json manifest', () => {
  test('engines.vscode accepts VS Code 1.100 and the entry point is the bundled client', () => {
    const [major, minor] = minVersion(manifest.engines.vscode!);
    assert.ok(major === 1 && minor! <= 100, `engines.vscode ${manifest.engines.vscode} must accept 1.100`);
    assert.equal(manifest.main, './dist/client.js');
    const typesVscode = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies['@types/vscode'];
    assert.ok(typesVscode && minVersion(typesVscode)[1]! <= 100, `@types/vscode ${typesVscode} must not be newer than engines.vscode`);
    assert.deepEqual(manifest.activationEvents, ['onLanguage:proto']);
  });

  test('the proto language and its grammar', () => {
    const lang = manifest.contributes.languages.find((l) => l.id === 'proto');
    assert.ok(lang);
    assert.deepEqual(lang.extensions, ['.proto']);
    assert.ok(lang.configuration && existsSync(path.join(ROOT, lang.configuration)));
    const grammar = manifest.contributes.grammars.find((g) => g.language === 'proto');
    assert.ok(grammar);
    assert.equal(grammar.scopeName, 'source.proto');
    assert.ok(existsSync(path.join(ROOT, grammar.path)));
  });

  test('every command has the category "CRI" and a title; the internal one is hidden from the palette', () => {
    const ids = manifest.contributes.commands.map((c) => c.command);
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'CRI', c.command);
      assert.ok(c.title && c.title.trim() === c.title && c.title.length > 3, c.command);
    }
    for (const id of ['criCompat.showReport', 'criCompat.exportReport', 'criCompat.selectBaseline', 'criCompat.explainRule', 'criCompat.showHistory', 'criCompat.restartServer', 'criCompat.revealPosition']) {
      assert.ok(ids.includes(id), `${id} is contributed`);
    }
    assert.equal(new Set(ids).size, ids.length, 'no command twice');
    const titles = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, c.title]));
    assert.equal(titles['criCompat.showReport'], 'Show Compatibility Report');
    assert.equal(titles['criCompat.selectBaseline'], 'Select Baseline…');
    assert.equal(titles['criCompat.explainRule'], 'Explain Rule…');
    assert.equal(titles['criCompat.showHistory'], 'Show History of Element at Cursor');
    assert.equal(titles['criCompat.restartServer'], 'Restart Language Server');
    const hidden = manifest.contributes.menus?.commandPalette?.find((m) => m.command === 'criCompat.revealPosition');
    assert.equal(hidden?.when, 'false');
    for (const m of manifest.contributes.menus?.commandPalette ?? []) assert.ok(ids.includes(m.command), m.command);
  });

  test('settings have types, defaults and descriptions', () => {
    const props = manifest.contributes.configuration.properties;
    const expected: Record<string, { type: string; default: unknown; scope?: string[] }> = {
      'criCompat.baseline': { type: 'string', default: '' },
      'criCompat.includePrereleases': { type: 'boolean', default: false },
      'criCompat.severity': { type: 'object', default: {} },
      'criCompat.network.enable': { type: 'boolean', default: false, scope: ['application', 'machine'] },
      'criCompat.protoPaths': { type: 'array', default: [] },
      'criCompat.trace.server': { type: 'string', default: 'off' },
      'criCompat.validation.debounceMs': { type: 'number', default: 150 },
    };
    for (const [key, want] of Object.entries(expected)) {
      const p = props[key];
      assert.ok(p, `${key} is contributed`);
      assert.equal(p.type, want.type, key);
      assert.deepEqual(p.default, want.default, key);
      if (want.scope) assert.ok(want.scope.includes(p.scope ?? ''), `${key} scope ${p.scope}`);
    }
    for (const [key, p] of Object.entries(props)) {
      assert.ok(key.startsWith('criCompat.'), key);
      assert.ok('default' in p, `${key} has a default`);
      const text = p.markdownDescription ?? p.description ?? '';
      assert.ok(text.length > 20, `${key} has a description`);
    }
    assert.match(props['criCompat.baseline']!.markdownDescription ?? '', /v0\.33\.0/);
  });

  test('capabilities: limited in untrusted and virtual workspaces, with the restricted settings', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.ok(untrusted?.description);
    assert.deepEqual([...(untrusted?.restrictedConfigurations ?? [])].sort(), ['criCompat.baseline', 'criCompat.network.enable', 'criCompat.protoPaths']);
    for (const k of untrusted?.restrictedConfigurations ?? []) assert.ok(manifest.contributes.configuration.properties[k], `${k} exists`);
    const virtual = manifest.capabilities?.virtualWorkspaces;
    assert.ok(virtual && typeof virtual === 'object' && virtual.supported === 'limited' && virtual.description);
  });
});

// ---- the .vsix -------------------------------------------------------------------------------------------

/** Names of the entries of a zip file, from its central directory. */
export function zipEntries(buf: Buffer): string[] {
  // End of central directory: signature 0x06054b50, at most 64 KiB of comment after it.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'not a zip file (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let k = 0; k < count; k++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, `central directory entry ${k}`);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

const VSIX = path.join(ROOT, 'cri-compat.vsix');

describe('cri-compat.vsix', { skip: existsSync(VSIX) ? false : 'cri-compat.vsix not built (npm run package builds it; npm test runs it first)' }, () => {
  test('holds only the bundles, the manifest, the grammar, the readme and the license', () => {
    const entries = zipEntries(readFileSync(VSIX)).filter((e) => !e.endsWith('/'));
    const allowed = [
      /^extension\.vsixmanifest$/,
      /^\[Content_Types\]\.xml$/,
      /^extension\/package\.json$/,
      /^extension\/readme\.md$/i,
      /^extension\/changelog\.md$/i,
      /^extension\/LICENSE(\.txt)?$/,
      /^extension\/dist\/(client|server|cli|cli-main)\.js$/,
      /^extension\/syntaxes\/proto\.tmLanguage\.json$/,
      /^extension\/language-configuration\.json$/,
      /^extension\/docs\/images\/[^/]+\.png$/,
    ];
    const unexpected = entries.filter((e) => !allowed.some((r) => r.test(e)));
    assert.deepEqual(unexpected, [], 'only the expected files');
    for (const must of ['extension/package.json', 'extension/dist/client.js', 'extension/dist/server.js', 'extension/dist/cli.js', 'extension/dist/cli-main.js', 'extension/syntaxes/proto.tmLanguage.json', 'extension/language-configuration.json']) {
      assert.ok(entries.includes(must), `${must} is packaged`);
    }
    assert.ok(entries.some((e) => /^extension\/readme\.md$/i.test(e)), 'the readme is packaged');
    assert.ok(entries.some((e) => /^extension\/LICENSE/.test(e)), 'the license is packaged');
    for (const e of entries) {
      assert.doesNotMatch(e, /node_modules|\/test\/|\/out\/|\.map$|\.ts$|\/src\//, e);
    }
  });
});
