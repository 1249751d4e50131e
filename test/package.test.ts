// The extension manifest (package.json) and, when `npm run package` has built it, the contents of
// cri-compat.vsix. Nothing heavy: the manifest is read as JSON and the .vsix's zip central directory is
// read directly (no unzip needed).
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { ROOT } from './lspHarness';
import { localizedManifest } from './manifest';

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
  displayName: string;
  scripts: Record<string, string>;
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
    menus?: { commandPalette?: { command: string; when?: string }[]; 'editor/title'?: { command: string; when?: string; group?: string }[] };
    configuration: { title?: string; properties: Record<string, Setting> };
  };
  dependencies?: Record<string, string>;
}

const manifest = localizedManifest(ROOT) as Manifest;

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
    // Workspace symbols (Ctrl+T) before any .proto file is opened: the server starts in a workspace with one.
    assert.deepEqual(manifest.activationEvents, ['onLanguage:proto', 'workspaceContains:**/*.proto']);
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

  test('commands about a .proto file are in the palette only with a proto editor (or the report) active', () => {
    const palette = new Map((manifest.contributes.menus?.commandPalette ?? []).map((m) => [m.command, m.when]));
    assert.equal(palette.size, manifest.contributes.menus?.commandPalette?.length, 'one entry per command');
    assert.equal(palette.get('criCompat.showHistory'), 'editorLangId == proto');
    for (const id of ['criCompat.showReport', 'criCompat.exportReport', 'criCompat.selectBaseline']) {
      // The report panel is a webview: its commands use the report's document (commands.ts targetUri).
      assert.equal(palette.get(id), "editorLangId == proto || activeWebviewPanelId == 'criCompat.report'", id);
    }
    // Rules and the server are not about one file.
    assert.ok(!palette.has('criCompat.explainRule') && !palette.has('criCompat.restartServer'));
    // A command with an icon has a menu entry that shows it.
    const withIcon = manifest.contributes.commands.filter((c) => (c as { icon?: unknown }).icon !== undefined).map((c) => c.command);
    const title = manifest.contributes.menus?.['editor/title'] ?? [];
    for (const id of withIcon) assert.ok(title.some((m) => m.command === id), `${id} has an icon but no editor/title entry`);
    assert.deepEqual(title, [{ command: 'criCompat.showReport', when: 'resourceLangId == proto', group: 'navigation' }]);
  });

  test('the settings title and the output channel are named like the extension', () => {
    assert.equal(manifest.contributes.configuration.title, manifest.displayName);
    const extension = readFileSync(path.join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
    assert.match(extension, /createOutputChannel\(CLIENT_NAME,/);
    for (const p of Object.values(manifest.contributes.configuration.properties)) {
      for (const m of (p.markdownDescription ?? p.description ?? '').matchAll(/"([^"]+)" output/g)) assert.equal(m[1], manifest.displayName);
    }
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
      'criCompat.validation.debounceMs': { type: 'integer', default: 150 },
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
    // Restricted mode drops only the workspace's and folders' values (restrictedConfigurations): say so.
    for (const key of ['criCompat.baseline', 'criCompat.protoPaths']) {
      const text = props[key]!.markdownDescription ?? '';
      assert.doesNotMatch(text, /Ignored in untrusted workspaces/, key);
      assert.match(text, /untrusted workspace only your user setting counts/, key);
    }
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
  return zipDirectory(buf).map((e) => e.name);
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeader: number;
}

/** The content of a stored or deflated entry. */
function zipRead(buf: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localHeader;
  assert.equal(buf.readUInt32LE(at), 0x04034b50, `local header of ${entry.name}`);
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const data = buf.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data;
  assert.equal(entry.method, 8, `${entry.name}: stored or deflated`);
  return inflateRawSync(data);
}

function zipDirectory(buf: Buffer): ZipEntry[] {
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
  const entries: ZipEntry[] = [];
  for (let k = 0; k < count; k++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, `central directory entry ${k}`);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    entries.push({
      name: buf.toString('utf8', at + 46, at + 46 + nameLength),
      method: buf.readUInt16LE(at + 10),
      compressedSize: buf.readUInt32LE(at + 20),
      localHeader: buf.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * What the Extensions view can show of a packaged readme: its webview loads images only from https: and
 * data: URLs, and a link relative to the repository leads nowhere from an installed extension.
 */
function unusableLinks(markdown: string): string[] {
  const bad: string[] = [];
  let fence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (fence) continue;
    for (const m of line.matchAll(/(!?)\[[^\]]*\]\(([^)\s]*)\)/g)) {
      const href = m[2]!;
      if (m[1] ? !/^(https|data):/i.test(href) : !/^(https:|mailto:|#)/i.test(href)) bad.push(m[0]);
    }
  }
  return bad;
}

describe('packaged readme (scripts/package-readme.mjs)', () => {
  test('README.md without screenshots and repository links; nothing else changes', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cri-readme-'));
    try {
      const out = path.join(dir, 'README.md');
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'package-readme.mjs'), out], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
      const packaged = readFileSync(out, 'utf8');
      assert.ok(unusableLinks(readme).length > 0, 'README.md has screenshots and relative links (else this test tests nothing)');
      assert.deepEqual(unusableLinks(packaged), []);
      assert.doesNotMatch(packaged, /docs\/images|example\.invalid/);
      assert.deepEqual(packaged.split('\n').filter((l) => l.startsWith('#')), readme.split('\n').filter((l) => l.startsWith('#')), 'every heading stays');
      assert.doesNotMatch(packaged, /\n\n\n/, 'no double blank lines where screenshots were');
      // Only links and images change, and the repository's opening commands move to Development: an installed
      // extension's reader wants what it does first, and has no checkout to run npm in.
      const words = (s: string) => s.replace(/!\[[^\]]*\]\([^)]*\)/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').split(/\s+/).filter(Boolean).sort();
      assert.deepEqual(words(packaged), words(readme));
      assert.match(readme, /^# cri-compat\n\n```sh\nnpm ci && npm run demo\n/, 'README.md opens with the two commands');
      assert.match(packaged, /^# cri-compat\n\ncri-compat is a VS Code extension/, 'the packaged readme opens with what the extension does');
      const development = packaged.slice(packaged.indexOf('\n## Development\n'));
      assert.match(development, /^\n## Development\n\n```sh\nnpm ci && npm run demo\nnpm test\n```\n\nThe first command installs/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the package script uses it and no placeholder URLs; the changelog ships', () => {
    const script = manifest.scripts.package!;
    assert.match(script, /node scripts\/package-readme\.mjs (\S+) && vsce package .*--readme-path \1/);
    assert.doesNotMatch(script, /baseContentUrl|baseImagesUrl|example\.invalid/);
    const ignore = readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
    assert.ok(ignore.includes('!CHANGELOG.md') && existsSync(path.join(ROOT, 'CHANGELOG.md')), 'CHANGELOG.md is whitelisted and exists');
    assert.match(readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8'), /^## 0\.1\.0$/m);
    assert.ok(!ignore.includes('!README.md'), 'README.md itself is not packaged beside the generated readme');
    assert.deepEqual(unusableLinks(readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8')), []);
  });
});

const VSIX = path.join(ROOT, 'cri-compat.vsix');

describe('cri-compat.vsix', { skip: existsSync(VSIX) ? false : 'cri-compat.vsix not built (npm run package builds it; npm test runs it first)' }, () => {
  test('holds only the bundles, the manifest and its texts, the grammar, the readme and the license', () => {
    const entries = zipEntries(readFileSync(VSIX)).filter((e) => !e.endsWith('/'));
    const allowed = [
      /^extension\.vsixmanifest$/,
      /^\[Content_Types\]\.xml$/,
      /^extension\/package\.json$/,
      /^extension\/package\.nls(\.[\w-]+)?\.json$/,
      /^extension\/l10n\/bundle\.l10n(\.[\w-]+)?\.json$/,
      /^extension\/readme\.md$/i,
      /^extension\/changelog\.md$/i,
      /^extension\/LICENSE(\.txt)?$/,
      /^extension\/dist\/(client|server|cli|cli-main)\.js$/,
      /^extension\/syntaxes\/proto\.tmLanguage\.json$/,
      /^extension\/language-configuration\.json$/,
    ];
    const unexpected = entries.filter((e) => !allowed.some((r) => r.test(e)));
    assert.deepEqual(unexpected, [], 'only the expected files');
    for (const must of ['extension/package.json', 'extension/package.nls.json', 'extension/l10n/bundle.l10n.json', 'extension/dist/client.js', 'extension/dist/server.js', 'extension/dist/cli.js', 'extension/dist/cli-main.js', 'extension/syntaxes/proto.tmLanguage.json', 'extension/language-configuration.json']) {
      assert.ok(entries.includes(must), `${must} is packaged`);
    }
    assert.ok(entries.some((e) => /^extension\/readme\.md$/i.test(e)), 'the readme is packaged');
    assert.ok(entries.some((e) => /^extension\/LICENSE/.test(e)), 'the license is packaged');
    for (const e of entries) {
      assert.doesNotMatch(e, /node_modules|\/test\/|\/out\/|\.map$|\.ts$|\/src\//, e);
    }
  });

  test('its readme works in the Extensions view and its changelog is there', () => {
    const buf = readFileSync(VSIX);
    const dir = zipDirectory(buf);
    const readme = dir.filter((e) => /^extension\/readme\.md$/i.test(e.name));
    assert.equal(readme.length, 1, 'one readme');
    const text = zipRead(buf, readme[0]!).toString('utf8');
    assert.match(text, /^# cri-compat$/m);
    assert.deepEqual(unusableLinks(text), []);
    assert.doesNotMatch(text, /example\.invalid/);
    assert.ok(dir.some((e) => /^extension\/changelog\.md$/i.test(e.name)), 'the changelog is packaged');
  });
});
