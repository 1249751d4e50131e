// The extension client's logic that needs no editor (client/src/links.ts, baselineSetting.ts, render.ts):
// the exported report's links, which documents "reveal position" opens, where "Select Baseline…" writes,
// the status bar's accessible names, the report page's script and CSP, and the UI name in the manifest.
// What needs VS Code itself is covered by test/e2e (code-server) and test/vscode-electron.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../server/src/service';
import { explainRuleUri, revealPositionLinks, revealPositionUri } from '../server/src/lsp/protocol';
import { RULES_BY_ID } from '../server/src/compat/rules';
import { validateSeverityOverrides } from '../server/src/compat/check';
import { DEBOUNCE_MS, DEFAULT_SETTINGS, normalizeSettings } from '../server/src/lsp/settings';
import { renderReport } from '../server/src/report/markdown';
import {
  applicableLevels, baselineInSettingsFile, baselineInSettingsFileAt, baselineKind, baselinePathSetting, baselinePickTitle, describeLevel, effectiveBaseline, planBaselineWrite, targetLevel, type Place,
} from '../client/src/baselineSetting';
import { defaultReportPath, writeFileAtomically } from '../client/src/exportFile';
import { DocumentStatuses } from '../client/src/statusStore';
import { exportableMarkdown, mayReveal, revealLinkLine, uriScheme } from '../client/src/links';
import { notificationText } from '../server/src/lsp/notificationText';
import { baselinePickTexts, HISTORY_LANGUAGE, PRODUCT_NAME, reportCsp, ruleMarkdown, rulePickDescription, SCROLL_SCRIPT, serverStoppedView, statusView, webviewHtml, WEBVIEW_CSP, type StatusView } from '../client/src/render';
import { resolveBaseline } from '../server/src/baseline/resolve';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { ROOT } from './lspHarness';
import { localizedManifest } from './manifest';
import { corpusText, NEEDS_CORPUS, replaceOnce } from './corpusText';

/** Why a test that needs git and the corpus is skipped, if it is. */
const NEEDS_GIT_AND_CORPUS: { skip?: string } = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
  } catch {
    return { skip: 'git is not installed' };
  }
  return NEEDS_CORPUS;
})();

/** Each rule's policy page, as the client asks the server for them (rules that link none are left out). */
function ruleLinkMap(): Map<string, string> {
  return new Map([...RULES_BY_ID].flatMap(([id, r]) => (r.link ? [[id, r.link] as const] : [])));
}

const MarkdownIt = require('markdown-it') as new (options: { html: boolean }) => { render(src: string): string };

interface SettingSchema {
  type?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  scope?: string;
  order?: number;
  description?: string;
  markdownDescription?: string;
  enum?: string[];
  enumDescriptions?: string[];
  additionalProperties?: SettingSchema;
  propertyNames?: SettingSchema;
  items?: SettingSchema;
}

const manifest = localizedManifest(ROOT) as {
  displayName: string;
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[]; description: string } };
  contributes: {
    configuration: { title: string; properties: Record<string, SettingSchema> };
    languages: { id: string }[];
    configurationDefaults?: Record<string, Record<string, unknown>>;
    commands: { command: string; title: string; category?: string }[];
  };
};

// ---- Export Compatibility Report as Markdown -------------------------------------------------------------

describe('exported report (links.ts)', () => {
  const FILE_URI = 'file:///home/someone/src/cri-api/pkg/apis/runtime/v1/api%20(copy).proto';

  test('line links become plain line numbers, with no command or local path left', () => {
    const text = 'syntax = "proto3";\npackage foo.v1;\nmessage A { int32 x = ; }\nmessage B { Missing m = 1; }\n';
    const { bound, findings, additions } = analyze(text, { uri: FILE_URI });
    assert.ok(bound.problems.length >= 1, 'the fixture has problems');
    const md = renderReport({ file: 'api.proto', findings, additions, problems: bound.problems, linkTo: (l, c) => revealPositionUri(FILE_URI, l, c) });
    assert.match(md, /\(command:criCompat\.revealPosition\?/, 'the report as the server sends it has line links');
    const out = exportableMarkdown(md);
    assert.doesNotMatch(out, /command:/);
    assert.doesNotMatch(out, /someone|file%3A|file:/);
    for (const p of bound.problems) assert.ok(out.includes(`| ${p.range.start.line + 1} | ${p.severity} | ${p.code} |`), `${p.code} row:\n${out}`);
    // Nothing else changes.
    assert.equal(out, md.replace(/\[(\d+)\]\(command:[^)]*\)/g, '$1'));
  });

  test('local paths in the text (a file baseline, the module cache) become ./ and ~ paths', () => {
    const text = 'syntax = "proto3";\npackage runtime.v1;\nmessage A { int32 x = 1; }\n';
    const old = 'syntax = "proto3";\npackage runtime.v1;\nmessage A { int32 x = 1; int32 y = 2; }\n';
    const home = '/home/some_one';
    const folder = `${home}/my_ws (copy)`;
    const baseline = { tag: 'old', source: 'path' as const, origin: `file ${folder}/old_api/api.proto`, model: analyze(old, { uri: 'file:///b.proto' }).bound.model };
    const a = analyze(text, { uri: FILE_URI, baseline });
    const md = renderReport({ file: 'api.proto', baseline, findings: a.findings, additions: a.additions, linkTo: (l, c) => revealPositionUri(FILE_URI, l, c) });
    assert.match(md, /from file \/home\/some_one\/my_ws \(copy\)\/old_api\/api\.proto/, 'nothing to escape for markdown');
    const out = exportableMarkdown(md, { folder, home });
    assert.match(out, /from file \.\/old_api\/api\.proto\./);
    assert.doesNotMatch(out, /some/);
    // Without the folder, the home directory still goes; a directory that only starts the same stays.
    assert.match(exportableMarkdown(md, { home }), /from file ~\/my_ws \(copy\)\/old_api/);
    assert.equal(exportableMarkdown('in /home/some_onex/a', { home }), 'in /home/some_onex/a');
    assert.equal(exportableMarkdown('C:\\\\Users\\\\me\\\\x.proto', { home: 'C:\\Users\\me' }), '~\\\\x.proto');
  });

  test('a rule id that explains the rule in the editor links its policy page again, as the CLI report does', () => {
    const text = 'syntax = "proto3";\npackage runtime.v1;\nmessage A { int32 x = 1; }\n';
    const old = 'syntax = "proto3";\npackage runtime.v1;\nmessage A { int32 x = 1; int32 y = 2; }\n';
    const baseline = { tag: 'old', source: 'path' as const, origin: 'file old.proto', model: analyze(old, { uri: 'file:///b.proto' }).bound.model };
    const a = analyze(text, { uri: FILE_URI, baseline });
    const input = { file: 'api.proto', baseline, findings: a.findings, additions: a.additions };
    const explain = 'command:criCompat.explainRule?%5B%22FIELD_NO_DELETE%22%5D';
    const md = renderReport({ ...input, ruleLink: explainRuleUri });
    assert.ok(md.includes(`[FIELD_NO_DELETE](${explain})`), md);
    assert.equal(exportableMarkdown(md, {}, ruleLinkMap()), renderReport(input));
    // A rule the client does not know keeps its name only.
    assert.equal(exportableMarkdown(md, {}, new Map()), md.replace(/\[([A-Z_]+)\]\(command:[^)]*\)/g, '$1'));
  });

  test('v0.36.0 against v0.25.0: quotes, parentheses and snake_case read as written; a | or markup from the file stays escaped', NEEDS_CORPUS, () => {
    const history = loadBundledHistory();
    const baseline = { tag: 'v0.25.0', kubernetes: '1.25.0', source: 'bundled' as const, origin: 'the bundled release index', model: history.modelAt('v0.25.0')!, history };
    // One edit: a JSON name, which a finding quotes, with a cell's end and markup in it; an escaped bracket is no
    // link to the line link of the next row.
    const hostile = 'a|b <i>x</i> *y* _z_ [l](x) `c` &quot;';
    const field = 'message VersionRequest {\n    // Version of the kubelet runtime API.\n    string version = 1';
    const a = analyze(replaceOnce(corpusText('v0.36.0'), field, `${field} [json_name = ${JSON.stringify(hostile)}]`), { uri: FILE_URI, baseline });
    // What the server answers for the report, then what Export writes of it.
    const md = renderReport({ file: 'api.proto', linkTo: revealPositionLinks(FILE_URI), ruleLink: explainRuleUri, baseline, findings: a.findings, additions: a.additions, problems: a.bound.problems, package: a.bound.model.package });
    const out = exportableMarkdown(md, { home: os.homedir() }, ruleLinkMap());
    const quoting = a.findings.find((f) => f.message.includes(hostile));
    assert.ok(quoting, 'the JSON name is quoted');
    const others = a.findings.filter((f) => f !== quoting);
    assert.ok(others.filter((f) => /"\w+_\w+" \(/.test(f.message)).length >= 5, 'real messages quote snake_case names before a parenthesis');
    for (const f of others) assert.ok(out.includes(` | ${f.message} |\n`), `${f.message}\n${out}`);
    const rest = out.split('\n').filter((l) => !l.startsWith(`| ${quoting.range.start.line + 1} |`)).join('\n');
    assert.doesNotMatch(rest, /&(quot|amp|lt|gt|#\d+);|\\[()"_.'-]/);
    // In a markdown viewer: each row has its four cells, and each message shows as it is, no markup from the file.
    const cells = [...new MarkdownIt({ html: true }).render(out).matchAll(/<tr>\n<td>\d+<\/td>\n<td>[^<]*<\/td>\n<td><a [^>]*>([A-Z_]+)<\/a><\/td>\n<td>([^<]*)<\/td>\n<\/tr>/g)];
    assert.equal(cells.length, a.findings.length, out);
    const shown = (html: string): string => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    assert.deepEqual(cells.map((c) => shown(c[2]!)).sort(), a.findings.map((f) => f.message).sort());
  });

  test('the arguments are decoded as revealPositionUri encodes them; other command links lose their target', () => {
    const link = revealPositionUri(FILE_URI, 41, 3);
    const args = link.slice(link.indexOf('?') + 1);
    assert.equal(revealLinkLine(args), 42);
    assert.equal(revealLinkLine('%5B1%5D'), undefined);
    assert.equal(revealLinkLine('%zz'), undefined);
    assert.equal(exportableMarkdown(`at [42](${link}), [the field](${link}) and [x](command:workbench.action.terminal.new?%5B%5D)`),
      'at 42, the field (line 42) and x');
    // https links and anything that is not a link stay.
    const keep = '[policy](https://kubernetes.io/docs/) `[1](command:x)` plain';
    assert.equal(exportableMarkdown(keep), keep.replace('[1](command:x)', '1'));
  });
});

// ---- criCompat.revealPosition ---------------------------------------------------------------------------

describe('exported report: where it is saved (exportFile.ts)', () => {
  test('suggested as <name>-cri-report.md next to the file, else in the folder, else in the home directory', () => {
    assert.equal(defaultReportPath({ file: '/src/cri-api/v1/api.proto', name: 'api.proto' }, '/src/cri-api', '/home/me'), '/src/cri-api/v1/api-cri-report.md');
    assert.equal(defaultReportPath({ name: 'Untitled-1' }, '/src/cri-api', '/home/me'), '/src/cri-api/Untitled-1-cri-report.md');
    assert.equal(defaultReportPath({ name: 'api.proto' }, undefined, '/home/me'), '/home/me/api-cri-report.md');
  });

  test('written whole: a new file, an existing one replaced, nothing left beside it; a failed write keeps what was there', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cri-export-'));
    try {
      const file = path.join(dir, 'api-cri-report.md');
      const text = 'syntax = "proto3";\npackage runtime.v1;\nmessage A { int32 x = 1; }\n';
      const a = analyze(text, { uri: 'file:///api.proto' });
      const md = exportableMarkdown(renderReport({ file: 'api.proto', findings: a.findings, additions: a.additions, problems: a.bound.problems }));
      await writeFileAtomically(file, md);
      assert.equal(readFileSync(file, 'utf8'), md);
      await writeFileAtomically(file, 'second');
      assert.equal(readFileSync(file, 'utf8'), 'second');
      assert.deepEqual(readdirSync(dir), ['api-cri-report.md']);
      // A directory in the way: the rename fails, and neither it nor a temporary file is left changed.
      const blocked = path.join(dir, 'blocked.md');
      mkdirSync(blocked);
      writeFileSync(path.join(blocked, 'keep'), 'x');
      await assert.rejects(writeFileAtomically(blocked, md));
      assert.deepEqual(readdirSync(dir).sort(), ['api-cri-report.md', 'blocked.md']);
      assert.deepEqual(readdirSync(blocked), ['keep']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reveal position: which documents (links.ts)', () => {
  test('files always; other schemes only when the document is open', () => {
    assert.equal(uriScheme('file:///a/b.proto'), 'file');
    assert.equal(uriScheme('Untitled:Untitled-1'), 'untitled');
    assert.equal(uriScheme('/no/scheme'), undefined);
    assert.ok(mayReveal('file:///a/b.proto', false));
    assert.ok(mayReveal('untitled:Untitled-1', true));
    assert.ok(!mayReveal('untitled:Untitled-1', false), 'a closed untitled document would be created anew, empty');
    assert.ok(mayReveal('vscode-vfs://github/kubernetes/cri-api/api.proto', true), 'an open virtual-workspace document');
    for (const uri of ['https://example.com/api.proto', 'vscode-vfs://github/x/y.proto', 'command:workbench.action.terminal.new', 'vscode-userdata:/settings.json', 'no-scheme']) {
      assert.ok(!mayReveal(uri, false), uri);
    }
  });
});

describe('notifications: no link from the checkout (links.ts)', () => {
  // VS Code's own link syntax in notification text (src/vs/base/common/linkedText.ts), which it opens with
  // allowCommands: a `command:` link runs the command it names with the arguments it gives.
  const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
  const hostile = '[Open Settings](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D)';

  test('a baseline warning quoting git\'s error about a planted .git file offers no command to run', NEEDS_GIT_AND_CORPUS, async () => {
    // A trusted workspace whose criCompat.baseline names a branch: git is asked, and its error names the git
    // directory a `.git` file of the checkout chose. The server sends the message to the client as it is.
    const root = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-notify-'));
    try {
      const file = path.join(root, 'pkg', 'apis', 'runtime', 'v1', 'api.proto');
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, corpusText('v0.34.0'));
      writeFileSync(path.join(root, '.git'), `gitdir: ${hostile}\n`);
      const r = await resolveBaseline({ trusted: true, bundled: loadBundledHistory(), explicit: 'main', filePath: file, env: { GOMODCACHE: root, GOPATH: root } });
      assert.equal(r.baseline, undefined);
      const message = r.message ?? '';
      assert.ok([...message.matchAll(VSCODE_LINK)].some((m) => m[2]!.startsWith('command:')), `the warning quotes the link: ${message}`);
      const shown = notificationText(message);
      assert.deepEqual([...shown.matchAll(VSCODE_LINK)], [], shown);
      assert.ok(shown.includes('[Open Settings] (command:workbench.action.terminal.sendSequence'), shown);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('every link form VS Code opens is taken apart; other brackets stay', () => {
    for (const link of [hostile, '[x](https://example.com/a)', '[x](HTTP://example.com)', '[x](file:///etc/passwd)', '[x](command:a "title")']) {
      assert.deepEqual([...notificationText(`see ${link} now`).matchAll(VSCODE_LINK)], [], link);
    }
    assert.equal(notificationText('a [b] (c) d[0](1)'), 'a [b] (c) d[0] (1)');
  });
});

// ---- Show History of Element at Cursor ------------------------------------------------------------------

describe('Show History: its documents wrap long lines (package.json)', () => {
  test('their language is declared, with word wrap on by default', () => {
    assert.ok(manifest.contributes.languages.some((l) => l.id === HISTORY_LANGUAGE), 'the language is contributed');
    assert.equal(manifest.contributes.configurationDefaults?.[`[${HISTORY_LANGUAGE}]`]?.['editor.wordWrap'], 'on');
  });
});

// ---- Select Baseline… -----------------------------------------------------------------------------------

describe('Select Baseline: where the setting is written (baselineSetting.ts)', () => {
  const noFolder: Place = { hasWorkspace: false, workspaceFile: false };
  const singleFolder: Place = { hasWorkspace: true, workspaceFile: false, folderName: 'cri-api' };
  const multiRoot: Place = { hasWorkspace: true, workspaceFile: true, folderName: 'cri-api' };
  const outsideFolders: Place = { hasWorkspace: true, workspaceFile: true };

  test('the most specific level that applies to the document', () => {
    assert.deepEqual(applicableLevels(noFolder), ['user']);
    assert.deepEqual(applicableLevels(singleFolder), ['user', 'workspace']);
    assert.deepEqual(applicableLevels(multiRoot), ['user', 'workspace', 'folder']);
    assert.deepEqual(applicableLevels(outsideFolders), ['user', 'workspace']);
    assert.equal(targetLevel(noFolder), 'user');
    assert.equal(targetLevel(singleFolder), 'workspace');
    assert.equal(targetLevel(multiRoot), 'folder');
    assert.equal(targetLevel(outsideFolders), 'workspace');
    assert.match(describeLevel('folder', multiRoot), /folder "cri-api"/);
    assert.match(describeLevel('workspace', multiRoot), /\.code-workspace/);
    assert.match(describeLevel('workspace', singleFolder), /\.vscode\/settings\.json/);
    assert.match(describeLevel('user', noFolder), /user settings/);
  });

  test('the effective value is the most specific one set (a folder value beats the .code-workspace one)', () => {
    const values = { user: 'v0.30.0', workspace: 'v0.31.0', folder: 'v0.32.0' };
    assert.deepEqual(effectiveBaseline(values, multiRoot), { level: 'folder', value: 'v0.32.0' });
    assert.deepEqual(effectiveBaseline(values, outsideFolders), { level: 'workspace', value: 'v0.31.0' });
    // In a single-folder window the folder's value is the workspace's (one file): inspect()'s workspaceValue.
    assert.deepEqual(effectiveBaseline({ user: 'v0.30.0', workspace: ' v0.31.0 ' }, singleFolder), { level: 'workspace', value: 'v0.31.0' });
    assert.deepEqual(effectiveBaseline(values, noFolder), { level: 'user', value: 'v0.30.0' });
    assert.deepEqual(effectiveBaseline({}, multiRoot), { value: '' });
    assert.deepEqual(effectiveBaseline({ user: 'v0.30.0', folder: '' }, multiRoot), { level: 'folder', value: '' });
    assert.deepEqual(effectiveBaseline({ folder: 42 }, multiRoot), { value: '' }, 'a value that is not a string does not count');
  });

  test('in an untrusted workspace, the user settings: VS Code ignores the workspace\'s and folders\' values there', () => {
    for (const place of [singleFolder, multiRoot, outsideFolders]) {
      const untrusted: Place = { ...place, trusted: false };
      assert.deepEqual(applicableLevels(untrusted), ['user']);
      assert.equal(targetLevel(untrusted), 'user');
      const values = { user: 'v0.30.0', workspace: 'v0.31.0', folder: 'v0.32.0' };
      assert.deepEqual(effectiveBaseline(values, untrusted), { level: 'user', value: 'v0.30.0' }, 'what get() returns in restricted mode');
      assert.deepEqual(planBaselineWrite('v0.33.0', values, untrusted), { level: 'user', value: 'v0.33.0' });
      assert.deepEqual(planBaselineWrite('', values, untrusted), { level: 'user', value: undefined });
      assert.equal(targetLevel({ ...place, trusted: true }), targetLevel(place));
    }
  });

  test('the picker\'s title says where the pick goes and, untrusted, which workspace or folder value takes over once trusted', () => {
    const untrusted = (place: Place): Place => ({ ...place, trusted: false });
    const ignored = 'CRI: Select Baseline — this workspace is not trusted, so VS Code ignores its settings: saved in your user settings, for every window';
    assert.equal(baselinePickTitle({ user: 'v0.30.0' }, untrusted(singleFolder)), ignored);
    assert.equal(baselinePickTitle({}, untrusted(multiRoot)), ignored);
    assert.equal(baselinePickTitle({ workspace: 'v0.31.0' }, untrusted(singleFolder)),
      'CRI: Select Baseline — this workspace is not trusted: saved in your user settings, for every window; once you trust it, "v0.31.0" from the workspace settings (.vscode/settings.json) applies instead');
    assert.equal(baselinePickTitle({ user: 'v0.30.0', workspace: 'v0.31.0', folder: '' }, untrusted(multiRoot)),
      'CRI: Select Baseline — this workspace is not trusted: saved in your user settings, for every window; once you trust it, Automatic from the settings of folder "cri-api" (its .vscode/settings.json) applies instead');
    // Trusted, or with no folder open, the title says where the pick is saved, as before.
    assert.equal(baselinePickTitle({ workspace: 'v0.31.0' }, { ...singleFolder, trusted: true }), 'CRI: Select Baseline — saved in the workspace settings (.vscode/settings.json)');
    assert.equal(baselinePickTitle({ folder: 'v0.32.0' }, multiRoot), 'CRI: Select Baseline — saved in the settings of folder "cri-api" (its .vscode/settings.json)');
    assert.equal(baselinePickTitle({ user: 'v0.30.0' }, noFolder), 'CRI: Select Baseline — no folder is open: saved in your user settings, for every window');
  });

  test('untrusted, the workspace and folder values are read from the settings files, which inspect() does not report', () => {
    assert.equal(baselineInSettingsFile('{\n  // pinned\n  "criCompat.baseline": "v0.31.0",\n}\n', false), 'v0.31.0');
    assert.equal(baselineInSettingsFile('{ "folders": [], "settings": { "criCompat.baseline": "" } }', true), '');
    assert.equal(baselineInSettingsFile('{ "criCompat.baseline": "v0.31.0" }', true), undefined, 'a workspace file sets it under "settings"');
    assert.equal(baselineInSettingsFile('{ "editor.tabSize": 2 }', false), undefined);
    assert.equal(baselineInSettingsFile('not json', false), undefined);
    // Nested deeper than the JSON parser's stack (within the 1 MiB read): no value, not an error that ends the picker.
    assert.equal(baselineInSettingsFile(`{ "criCompat.baseline": "v0.31.0", "x": ${'['.repeat(400_000)} }`, false), undefined);
    assert.equal(baselineInSettingsFile(`{ "settings": ${'{"a":'.repeat(150_000)} }`, true), undefined);
  });

  test('a settings file a hostile workspace planted is read only as a regular file, not a link or a FIFO', { skip: process.platform === 'win32' ? 'no FIFOs' : false }, async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cri-settings-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const plain = path.join(dir, 'settings.json');
    writeFileSync(plain, '{ "criCompat.baseline": "v0.31.0" }');
    assert.equal(await baselineInSettingsFileAt(plain, false), 'v0.31.0');
    const link = path.join(dir, 'link.json');
    symlinkSync(plain, link);
    assert.equal(await baselineInSettingsFileAt(link, false), undefined, 'not through a link');
    const fifo = path.join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    // A read that waited for a writer would never end: the test's own timeout says so.
    assert.equal(await baselineInSettingsFileAt(fifo, false), undefined, 'a FIFO is not waited on');
    writeFileSync(plain, `{ "criCompat.baseline": "v0.31.0", "x": "${'y'.repeat(1024 * 1024)}" }`);
    assert.equal(await baselineInSettingsFileAt(plain, false), undefined, 'over 1 MiB: not read');
  });

  test('a release goes to the folder in a multi-root window, whatever the .code-workspace file says', () => {
    assert.deepEqual(planBaselineWrite('v0.33.0', { workspace: 'v0.31.0' }, multiRoot),
      { level: 'folder', value: 'v0.33.0', shadows: { level: 'workspace', value: 'v0.31.0' } });
    assert.deepEqual(planBaselineWrite('v0.33.0', {}, singleFolder), { level: 'workspace', value: 'v0.33.0' });
    assert.deepEqual(planBaselineWrite('v0.33.0', { user: 'v0.30.0' }, noFolder), { level: 'user', value: 'v0.33.0' });
  });

  test('"Automatic" removes the value that decides, or writes "" over a less specific one', () => {
    // The folder's value decides: removing it is enough.
    assert.deepEqual(planBaselineWrite('', { folder: 'v0.32.0' }, multiRoot), { level: 'folder', value: undefined });
    // A .code-workspace or user value would still apply: "" in the folder overrides it for this folder only.
    assert.deepEqual(planBaselineWrite('', { workspace: 'v0.31.0', folder: 'v0.32.0' }, multiRoot),
      { level: 'folder', value: '', shadows: { level: 'workspace', value: 'v0.31.0' } });
    assert.deepEqual(planBaselineWrite('', { user: 'v0.30.0' }, singleFolder),
      { level: 'workspace', value: '', shadows: { level: 'user', value: 'v0.30.0' } });
    // A less specific "" already means automatic.
    assert.deepEqual(planBaselineWrite('', { user: 'v0.30.0', workspace: '' }, multiRoot), { level: 'folder', value: undefined });
    // No folder: the user value goes.
    assert.deepEqual(planBaselineWrite('', { user: 'v0.30.0' }, noFolder), { level: 'user', value: undefined });
    // Whatever is planned, the document then gets what was picked.
    for (const place of [noFolder, singleFolder, multiRoot, outsideFolders]) {
      for (const values of [{}, { user: 'v0.30.0' }, { user: 'v0.30.0', workspace: 'v0.31.0' }, { workspace: 'v0.31.0', folder: 'v0.32.0' }, { folder: '' }]) {
        for (const pick of ['', 'v0.33.0']) {
          const plan = planBaselineWrite(pick, values, place);
          const after = { ...values, [plan.level]: plan.value };
          assert.equal(effectiveBaseline(after, place).value, pick, `${JSON.stringify({ place, values, pick, plan })}`);
        }
      }
    }
  });

  test('the picker marks the current value as the server reads it: a release, a file or a git ref', () => {
    assert.deepEqual(baselineKind('  '), { kind: 'automatic' });
    assert.deepEqual(baselineKind('v0.33.0'), { kind: 'release', tag: 'v0.33.0' });
    assert.deepEqual(baselineKind('kubernetes-1.33.0'), { kind: 'release', tag: 'v0.33.0' });
    for (const file of ['./old/api.proto', '../api.proto', '~/cri/api.proto', '/abs/api', '${workspaceFolder}/a', 'C:\\cri\\api', 'old.proto']) {
      assert.deepEqual(baselineKind(file), { kind: 'file' }, file);
    }
    // Git refs may contain a slash: "From file…" was marked current for origin/release-1.33.
    for (const ref of ['origin/release-1.33', 'HEAD~1', 'release-1.33', 'v1.33.0']) assert.deepEqual(baselineKind(ref), { kind: 'ref' }, ref);
  });

  test('"From file…": relative to the document\'s folder when inside it, else absolute', () => {
    for (const place of [singleFolder, multiRoot]) {
      assert.equal(baselinePathSetting('/ws/cri-api/old/api.proto', '/ws/cri-api', place, path.posix), './old/api.proto');
      assert.equal(baselinePathSetting('/ws/cri-api/api.proto', '/ws/cri-api/', place, path.posix), './api.proto');
      assert.equal(baselinePathSetting('/ws/other/api.proto', '/ws/cri-api', place, path.posix), '/ws/other/api.proto');
      assert.equal(baselinePathSetting('/ws/cri-api-old/api.proto', '/ws/cri-api', place, path.posix), '/ws/cri-api-old/api.proto');
      assert.equal(baselinePathSetting('/ws/cri-api', '/ws/cri-api', place, path.posix), '/ws/cri-api');
      assert.equal(baselinePathSetting('/ws/cri-api/api.proto', undefined, place, path.posix), '/ws/cri-api/api.proto');
      assert.equal(baselinePathSetting('C:\\src\\cri\\v1\\api.proto', 'C:\\src\\cri', place, path.win32), './v1/api.proto');
      assert.equal(baselinePathSetting('D:\\api.proto', 'C:\\src\\cri', place, path.win32), 'D:\\api.proto');
    }
  });

  test('"From file…" in an untrusted workspace: the user settings get the absolute path, which no other workspace\'s files can answer', async () => {
    // Untrusted, the pick goes to the user settings, which apply in every window; the server reads a relative value
    // against the folder of whatever document it checks (resolve.ts), so `./old/api.proto` there would let each
    // workspace, trusted or not, supply its own file as the baseline.
    const untrusted: Place = { ...singleFolder, trusted: false };
    assert.equal(targetLevel(untrusted), 'user');
    assert.equal(baselinePathSetting('/ws/cri-api/old/api.proto', '/ws/cri-api', untrusted, path.posix), '/ws/cri-api/old/api.proto');
    assert.equal(baselinePathSetting('C:\\src\\cri\\v1\\api.proto', 'C:\\src\\cri', { ...multiRoot, trusted: false }, path.win32), 'C:\\src\\cri\\v1\\api.proto');
    // What a relative user value would do: another folder's file of that name is the baseline.
    const other = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-other-ws-'));
    try {
      mkdirSync(path.join(other, 'old'));
      writeFileSync(path.join(other, 'old', 'api.proto'), 'syntax = "proto3";\npackage runtime.v1;\nservice RuntimeService {}\n');
      const relative = await resolveBaseline({ trusted: false, bundled: loadBundledHistory(), explicit: './old/api.proto', baseDir: other, env: { GOMODCACHE: other, GOPATH: other } });
      assert.equal(relative.baseline?.source, 'path', 'a relative value is read from the folder of the document checked');
      assert.equal(relative.baseline?.tag, path.join(other, 'old', 'api.proto'));
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('Select Baseline: what the picker shows (render.ts)', () => {
  // The picker is some 600 pixels wide: about 85 characters of its input and of an entry's detail line show, the
  // rest is cut off.
  const VISIBLE = 80;

  test('the baseline it has now shows in the placeholder and at the start of the Automatic entry', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-pick-'));
    try {
      // The automatic baseline of an untrusted workspace: the bundled release index's newest release.
      const r = await resolveBaseline({ trusted: false, bundled: loadBundledHistory(), env: { GOMODCACHE: empty, GOPATH: empty } });
      const b = r.baseline!;
      assert.ok(b.origin.length > VISIBLE, `the origin is long enough to be cut: ${b.origin}`);
      const t = baselinePickTexts({ tag: b.tag, source: b.source, origin: b.origin }, true);
      assert.ok(t.placeholder.length <= VISIBLE && t.placeholder.includes(b.tag), t.placeholder);
      assert.ok(t.automaticDetail.slice(0, VISIBLE).includes(b.tag), t.automaticDetail);
      // Another setting: the Automatic entry does not claim the baseline now.
      assert.ok(!baselinePickTexts({ tag: b.tag, source: b.source, origin: b.origin }, false).automaticDetail.includes(b.tag));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    // A file baseline, whose tag is its path, by its last two segments.
    const file = baselinePickTexts({ tag: '/home/someone/src/very/long/path/to/old/api.proto', source: 'path', origin: 'file /home/someone/src/very/long/path/to/old/api.proto' }, false);
    assert.equal(file.placeholder, 'Now compared with …/old/api.proto. Pick the release to compare with.');
  });
});

// ---- status bar, report page, names ---------------------------------------------------------------------

describe('status bar accessible names and the report page (render.ts)', () => {
  test('every state has a spoken label that says what it means, without icon syntax', () => {
    const base = { uri: 'file:///a.proto', breaking: 3, findings: 5, checked: true, resolving: false };
    const cases: [Parameters<typeof statusView>[0], RegExp][] = [
      [undefined, /checking/],
      [{ ...base, baselineTag: null, checked: false }, /not compared with a release/],
      [{ ...base, baselineTag: null, resolving: true }, /finding the baseline/],
      [{ ...base, baselineTag: null }, /no baseline/],
      [{ ...base, baselineTag: 'v0.36.3', source: 'bundled' }, /compared with v0\.36\.3, 3 breaking findings$/],
      [{ ...base, baselineTag: 'v0.36.3', breaking: 1, resolving: true }, /1 breaking finding, resolving the baseline again$/],
    ];
    const views: [StatusView, RegExp][] = [
      ...cases.map(([s, want]): [StatusView, RegExp] => [statusView(s), want]),
      // The server is not running: what a click then does (restart it) is in the label too.
      [serverStoppedView(), /the language server is not running; activate to restart it$/],
    ];
    for (const [v, want] of views) {
      assert.ok(v.ariaLabel.startsWith(`${PRODUCT_NAME}: `), v.ariaLabel);
      assert.match(v.ariaLabel, want);
      assert.doesNotMatch(v.ariaLabel, /\$\(/);
      assert.ok(v.ariaLabel.length > v.text.replace(/\$\([^)]*\)\s*/g, '').length, `${v.ariaLabel} says more than ${v.text}`);
    }
  });

  test('the tooltip counts findings in English: one finding, several findings', () => {
    const s = { uri: 'file:///a.proto', checked: true, resolving: false, baselineTag: 'v0.36.3', source: 'bundled' };
    assert.match(statusView({ ...s, breaking: 1, findings: 1 }).tooltip, /^1 breaking finding, 1 finding in all$/m);
    assert.match(statusView({ ...s, breaking: 0, findings: 5 }).tooltip, /^0 breaking findings, 5 findings in all$/m);
  });

  test('a file that is not compared: the tooltip says which files are (runtime.v1alpha2 is a CRI API file, only not compared)', () => {
    const v = statusView({ uri: 'file:///a.proto', baselineTag: null, breaking: 0, findings: 0, checked: false, resolving: false });
    // As criFile.ts decides: a file without a package statement that declares a CRI service is compared too.
    assert.match(v.tooltip, /not compared with a release: only the CRI API is, a file that declares RuntimeService or ImageService \(of runtime\.v1, of another runtime\.\* package or of none, to report the change of package\), or a file of a runtime\.\* package named api\.proto\./);
    assert.doesNotMatch(v.tooltip, /not a CRI API file/);
  });

  test('a file baseline is named short in the item and in full in the tooltip', () => {
    const file = '/home/someone/src/cri-api-release-1.33/pkg/apis/runtime/v1/api.proto';
    const s = {
      uri: 'file:///a.proto', breaking: 8, findings: 30, checked: true, resolving: false,
      baselineTag: file, source: 'path', origin: `file ${file}`,
    };
    const v = statusView(s);
    assert.equal(v.text, '$(shield) CRI …/v1/api.proto · 8 breaking');
    assert.match(v.ariaLabel, /compared with the file …\/v1\/api\.proto, 8 breaking findings$/);
    assert.ok(v.tooltip.includes(`compared with ${file}`), v.tooltip);
    assert.equal(statusView({ ...s, baselineTag: 'C:\\cri\\old\\api.proto', origin: 'file C:\\cri\\old\\api.proto' }).text, '$(shield) CRI …/old/api.proto · 8 breaking');
    // Tags, also git refs with a slash, are shown as they are.
    assert.equal(statusView({ ...s, baselineTag: 'v0.33.0', source: 'bundled' }).text, '$(shield) CRI v0.33.0 · 8 breaking');
    assert.equal(statusView({ ...s, baselineTag: 'origin/release-1.33', source: 'git' }).text, '$(shield) CRI origin/release-1.33 · 8 breaking');
  });

  test('the tooltip says where the baseline comes from as the report does, without the internal source id', () => {
    const origin = 'the bundled release index (newest release; pre-releases not included: v0.37.0-beta.0 is newer)';
    const v = statusView({ uri: 'file:///a.proto', breaking: 5, findings: 11, checked: true, resolving: false, baselineTag: 'v0.36.3', kubernetes: '1.36.3', source: 'bundled', origin });
    assert.equal(v.tooltip.split('\n')[1], `From ${origin}`);
    assert.doesNotMatch(v.tooltip, /bundled —/);
  });

  test('a criCompat.baseline that could not be used: the tooltip names it, and does not ask to set it', () => {
    const s = { uri: 'file:///a.proto', breaking: 0, findings: 0, checked: true, resolving: false, baselineTag: null };
    const v = statusView(s, 'v0.99.0');
    assert.match(v.tooltip, /criCompat\.baseline is "v0\.99\.0", which could not be used, so only syntax and binding checks run\./);
    assert.match(v.tooltip, /Change it, clear it for the automatic baseline, or run "CRI: Select Baseline…"\./);
    assert.doesNotMatch(v.tooltip, /no baseline release found/);
    assert.match(v.ariaLabel, /criCompat\.baseline "v0\.99\.0" could not be used/);
    // Automatic (the setting empty or blank): none found.
    for (const configured of [undefined, '', '  ']) assert.match(statusView(s, configured).tooltip, /no baseline release found/);
  });

  test('the report page runs only its own script, allowed by a nonce; the rule page runs none', () => {
    const nonce = 'AbCdEfGhIjKlMnOpQrStUv+/';
    const page = webviewHtml('CRI Report: api.proto', '# CRI compatibility report\n\n<script>alert(1)</script>', { nonce, key: 'file:///a"b.proto' });
    assert.equal(reportCsp(nonce), `${WEBVIEW_CSP}; script-src 'nonce-${nonce}'`);
    assert.ok(page.includes(`<meta http-equiv="Content-Security-Policy" content="${reportCsp(nonce)}">`), page);
    assert.doesNotMatch(reportCsp(nonce), /unsafe-eval|https?:|\*/);
    const scripts = [...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="${nonce}">`], 'one script, with the nonce; the file\'s <script> is escaped');
    assert.ok(page.includes(`<script nonce="${nonce}">${SCROLL_SCRIPT}</script>`));
    assert.ok(page.includes('<body data-scroll-key="file:///a&quot;b.proto">'));
    // The script keeps the scroll position and does nothing else: no messages, no network, no DOM writes.
    assert.match(SCROLL_SCRIPT, /acquireVsCodeApi\(\)/);
    assert.match(SCROLL_SCRIPT, /setState\(/);
    assert.match(SCROLL_SCRIPT, /scrollTo\(/);
    assert.doesNotMatch(SCROLL_SCRIPT, /postMessage|fetch|XMLHttpRequest|innerHTML|import|eval|src|href|<\/script/i);
    assert.throws(() => webviewHtml('t', 'x', { nonce: 'short', key: '' }));
    assert.throws(() => webviewHtml('t', 'x', { nonce: `${nonce}' 'unsafe-inline`, key: '' }));
    const rule = webviewHtml('CRI Rule: X', '# X');
    assert.ok(rule.includes(`content="${WEBVIEW_CSP}"`));
    assert.doesNotMatch(rule, /<script|script-src|data-scroll-key/);
  });

  test('a server restarted on its own (crash: stopped, then starting) forgets the statuses of the one before', () => {
    const uri = 'file:///work/cri-api/pkg/apis/runtime/v1/api.proto';
    const other = 'file:///work/other/api.proto';
    const statuses = new DocumentStatuses();
    statuses.set({ uri, breaking: 2, findings: 5, checked: true, resolving: false, baselineTag: 'v0.31.0', source: 'bundled' });
    statuses.set({ uri: other, breaking: 0, findings: 0, checked: false, resolving: false, baselineTag: null });
    assert.equal(statuses.setServerRunning(true), false, 'running already: nothing changes');
    assert.equal(statuses.get(uri)?.breaking, 2);
    // vscode-languageclient's automatic restart: Running → Stopped → Starting (counted as running) → Running.
    assert.equal(statuses.setServerRunning(false), true);
    assert.equal(statuses.setServerRunning(true), true);
    assert.equal(statuses.get(uri), undefined);
    assert.equal(statuses.get(other), undefined);
    assert.equal(statusView(statuses.get(uri)).text, '$(shield) CRI …', 'the item says "checking…" until the new server checks the file');
    // What the new server sends is kept.
    statuses.set({ uri, breaking: 0, findings: 1, checked: true, resolving: false, baselineTag: 'v0.31.0', source: 'bundled' });
    assert.equal(statuses.get(uri)?.findings, 1);
  });

  test('report and rule pages: a hovered or keyboard-focused link is shown with the theme\'s colours', () => {
    for (const page of [webviewHtml('CRI Report: api.proto', '[line 3](https://example.com/)', { nonce: 'AbCdEfGhIjKlMnOpQrStUv+/', key: 'k' }), webviewHtml('CRI Rule: X', '# X')]) {
      const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
      const rules = [...style.matchAll(/([^{}]+)\{([^}]*)\}/g)].map((m) => ({ selectors: m[1]!.split(',').map((x) => x.trim()), body: m[2]! }));
      const declared = (selector: string, property: string): string | undefined =>
        rules.filter((r) => r.selectors.includes(selector)).map((r) => new RegExp(`(?:^|;)\\s*${property}\\s*:\\s*([^;]+)`).exec(r.body)?.[1]?.trim()).filter(Boolean).pop();
      assert.equal(declared('a:hover', 'color'), 'var(--vscode-textLink-activeForeground)', style);
      assert.equal(declared('a:focus', 'color'), 'var(--vscode-textLink-activeForeground)', style);
      assert.match(declared('a:focus', 'outline') ?? '', /^1px solid var\(--vscode-focusBorder\)$/, style);
    }
  });

  test('one name in the UI: display name, settings title, output channel, messages', () => {
    assert.equal(PRODUCT_NAME, manifest.displayName);
    assert.equal(manifest.contributes.configuration.title, manifest.displayName);
    assert.match(statusView(undefined).tooltip, new RegExp(`^${PRODUCT_NAME}: `));
  });
});

// ---- the Command Palette ---------------------------------------------------------------------------------

describe('command titles as the Command Palette shows them (package.json)', () => {
  const commands = manifest.contributes.commands;

  test('a command that asks for more input (a picker, a save dialog) ends in "…", as VS Code\'s own do; the others do not', () => {
    // Export asks where to save, Select Baseline and Explain Rule open a picker; the rest act at once.
    const asks = new Set(['criCompat.exportReport', 'criCompat.selectBaseline', 'criCompat.explainRule']);
    for (const c of commands) {
      assert.equal(c.title.endsWith('…'), asks.has(c.command), `${c.command}: "${c.title}"`);
      assert.doesNotMatch(c.title, /\.\.\.$/, `${c.command}: an ellipsis character, not three dots`);
    }
  });

  test('one category, "CRI", and titles in title case', () => {
    const small = new Set(['a', 'an', 'and', 'as', 'at', 'for', 'in', 'of', 'on', 'or', 'the', 'to']);
    for (const c of commands) {
      assert.equal(c.category, 'CRI', c.command);
      c.title.replace(/…$/, '').split(' ').forEach((word, i) => {
        if (i > 0 && small.has(word)) return;
        assert.match(word, /^[A-Z]/, `${c.command}: "${word}" in "${c.title}"`);
      });
    }
  });
});

// ---- the Settings editor ---------------------------------------------------------------------------------

describe('settings as the Settings editor shows them (package.json)', () => {
  const props = manifest.contributes.configuration.properties;

  test('in the order of the README\'s table, each with a markdown description', () => {
    // Without `order` the Settings editor sorts them by name, which puts the baseline in the middle.
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Settings'));
    const documented = [...table.matchAll(/^\| `(criCompat\.[\w.]+)` \|/gm)].map((m) => m[1]!);
    assert.deepEqual([...documented].sort(), Object.keys(props).sort(), 'the README lists every setting once');
    const byOrder = Object.entries(props).sort(([, a], [, b]) => (a.order ?? Infinity) - (b.order ?? Infinity)).map(([k]) => k);
    assert.deepEqual(byOrder, documented);
    assert.equal(new Set(Object.values(props).map((p) => p.order)).size, documented.length, 'distinct orders');
    for (const [key, p] of Object.entries(props)) {
      assert.ok(p.markdownDescription && p.description === undefined, `${key}: one markdownDescription`);
    }
  });

  test('every choice of an enum, also of a map\'s values, is described', () => {
    const enums = (key: string, s: SettingSchema | undefined): [string, SettingSchema][] =>
      !s ? [] : [
        ...(s.enum ? [[key, s] as [string, SettingSchema]] : []),
        ...enums(`${key}{}`, s.additionalProperties), ...enums(`${key}[]`, s.items), ...enums(`${key}{key}`, s.propertyNames),
      ];
    const all = Object.entries(props).flatMap(([k, p]) => enums(k, p));
    assert.ok(all.some(([k]) => k === 'criCompat.severity{}'), 'the severity levels are an enum');
    // Its keys too: settings.json suggests them with their descriptions.
    assert.ok(all.some(([k]) => k === 'criCompat.severity{key}'), 'the rule ids and categories are an enum');
    for (const [key, s] of all) {
      assert.equal(s.enumDescriptions?.length, s.enum!.length, `${key}: one enumDescription per value`);
      for (const d of s.enumDescriptions!) assert.ok(d.trim().length > 5, `${key}: ${JSON.stringify(d)}`);
    }
  });

  test('criCompat.severity\'s keys are the rule ids and categories the server takes: settings.json suggests them (propertyNames)', () => {
    const names = props['criCompat.severity']?.propertyNames?.enum ?? [];
    const rules = [...RULES_BY_ID.values()];
    assert.deepEqual([...names].sort(), [...new Set([...rules.map((r) => r.category), ...rules.map((r) => r.id)])].sort());
    for (const name of names) assert.deepEqual(validateSeverityOverrides({ [name]: 'off' }), [], name);
  });

  test('each rule id is suggested with its title, as Explain Rule… shows it; each category with what its rules are about', () => {
    const keys = props['criCompat.severity']!.propertyNames!;
    keys.enum!.forEach((name, i) => {
      const said = keys.enumDescriptions?.[i];
      const rule = RULES_BY_ID.get(name);
      if (rule) assert.equal(said, rule.title, name);
      else assert.match(said ?? '', new RegExp(`^Every ${name} rule: `), name);
    });
  });

  test('the server\'s reader (lsp/settings.ts) takes the declared defaults and bounds, and reads per document what is a resource setting', () => {
    const read = normalizeSettings(undefined);
    // The keys the server reads, with the value it uses when none is set.
    const flat = (o: object, prefix: string): [string, unknown][] => Object.entries(o).flatMap(([k, v]): [string, unknown][] =>
      v && typeof v === 'object' && !Array.isArray(v) && k !== 'severity' ? flat(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v]]);
    const serverKeys = flat(read, 'criCompat.').filter(([k]) => k !== 'criCompat.problems');
    assert.deepEqual(serverKeys, flat(DEFAULT_SETTINGS, 'criCompat.').filter(([k]) => k !== 'criCompat.problems'));
    for (const [key, value] of serverKeys) {
      const p = props[key];
      assert.ok(p, `${key}: read by the server, declared in package.json`);
      assert.deepEqual(value, p.default, `${key}: the server's default is the declared one`);
      // Read with the document's uri: per folder (resource), or one value for the machine (never a workspace's).
      assert.ok(p.scope === 'resource' || p.scope === 'machine', `${key}: scope ${p.scope}`);
    }
    // The declared defaults are valid values; the bounds are where the server clamps.
    const defaults: Record<string, unknown> = {};
    for (const [key, p] of Object.entries(props)) {
      const parts = key.split('.').slice(1);
      let at = defaults;
      for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
      at[parts.at(-1)!] = p.default;
    }
    assert.deepEqual(normalizeSettings(defaults).problems, []);
    const debounce = props['criCompat.validation.debounceMs']!;
    assert.deepEqual({ minimum: debounce.minimum, maximum: debounce.maximum }, { ...DEBOUNCE_MS });
    assert.equal(normalizeSettings({ validation: { debounceMs: debounce.maximum! + 1 } }).validation.debounceMs, debounce.maximum);
    assert.equal(normalizeSettings({ validation: { debounceMs: debounce.minimum! - 1 } }).validation.debounceMs, debounce.minimum);
    // The others are the client's, read once for the window (no resource): vscode-languageclient's trace, the start timeout.
    const clientKeys = Object.keys(props).filter((k) => !serverKeys.some(([s]) => s === k));
    assert.deepEqual(clientKeys.sort(), ['criCompat.server.startTimeout', 'criCompat.trace.server']);
    for (const key of clientKeys) assert.equal(props[key]!.scope, 'window', key);
  });

  test('the settings an untrusted workspace cannot set are those the README and the trust description name', () => {
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const key of restricted) assert.ok(props[key], `${key} is a setting`);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const sentence = /^In an untrusted workspace ((?:`criCompat\.[\w.]+`(?:, | and | ))+)from\s+the workspace are ignored/m.exec(readme);
    assert.ok(sentence, 'the README says which settings an untrusted workspace ignores');
    assert.deepEqual([...sentence[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]).sort(), [...restricted].sort());
    const description = manifest.capabilities.untrustedWorkspaces.description;
    assert.deepEqual([...description.matchAll(/criCompat\.[\w.]*\w/g)].map((m) => m[0]).sort(), [...restricted].sort());
  });
});

describe('Explain Rule… picker (render.ts rulePickDescription)', () => {
  const rule = RULES_BY_ID.get('FIELD_NO_DELETE')!;
  const info = { id: rule.id, category: rule.category, severity: rule.severity, breaking: rule.breaking, title: rule.title, explanation: rule.explanation, link: rule.link };
  test('says whether the severity it shows is the default or the one configured for the workspace', () => {
    assert.equal(rulePickDescription(info), 'WIRE · error by default');
    assert.equal(rulePickDescription({ ...info, effective: 'error' }), 'WIRE · error (the default)');
    assert.equal(rulePickDescription({ ...info, effective: 'hint' }), 'WIRE · hint here (default error)');
    assert.equal(rulePickDescription({ ...info, effective: 'off' }), 'WIRE · off here (default error)');
  });
  test('the rule panel says so too', () => {
    assert.match(ruleMarkdown(info), /default severity: \*\*error\*\* ·/);
    assert.doesNotMatch(ruleMarkdown(info), /here:/);
    assert.match(ruleMarkdown({ ...info, effective: 'hint' }), /default severity: \*\*error\*\*, here \*\*hint\*\* ·/);
  });
});

describe('Explain Rule… panel (render.ts ruleMarkdown)', () => {
  test("the severity setting it shows as an example changes the rule's severity, for every rule", () => {
    for (const r of RULES_BY_ID.values()) {
      const md = ruleMarkdown({ id: r.id, category: r.category, severity: r.severity, breaking: r.breaking, title: r.title, explanation: r.explanation, link: r.link });
      const example = /`\{ "([A-Z0-9_]+)": "(\w+)" \}`/.exec(md);
      assert.ok(example, `${r.id}: no criCompat.severity example in ${JSON.stringify(md.slice(-300))}`);
      assert.equal(example[1], r.id);
      // Setting the default again would change nothing: a rule that warns by default was shown { "X": "warning" }.
      assert.notEqual(example[2], r.severity, `${r.id} (default ${r.severity}) is shown set to ${example[2]}`);
    }
  });
});
