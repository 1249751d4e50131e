// The BUILT language server's compatibility features over stdio, on a real api.proto from the corpus that the
// test edits: background baseline resolution with work-done progress, diagnostics with rule codes, code
// actions (and refusing stale ones), policy hovers, the custom requests of lsp/protocol.ts and the status
// notification. Untrusted (initializationOptions.trusted = false), so only the bundled release index is used.
// Also the client's safe markdown renderer (client/src/render.ts), which needs no VS Code.
// Run `node scripts/build.mjs` first; corpus-dependent tests skip with CORPUS_HELP when the corpus is absent.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, HoverRequest, MessageType,
  type CodeAction, type Diagnostic, type Hover, type TextDocumentEdit,
} from 'vscode-languageserver-protocol/node';
import { Corpus, CORPUS_HELP, V1_PATH, findCorpusDir } from '../server/src/baseline/corpus';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { compareTags } from '../server/src/policy/versions';
import { RULES } from '../server/src/compat/rules';
import { applyEdits, type TextEdit } from '../server/src/fixes';
import {
  BaselinesRequestMethod, HistoryRequestMethod, ReportRequestMethod, RulesRequestMethod, TrustChangedNotificationMethod,
  revealPositionUri,
  type BaselinesResult, type HistoryResult, type ReportResult, type RulesResult,
} from '../server/src/lsp/protocol';
import { escapeHtml, renderInline, renderMarkdown, safeHref, statusView, webviewHtml, WEBVIEW_CSP } from '../client/src/render';
import { BUILD_HELP, LspEditor, PLAIN_CLIENT_CAPABILITIES, ROOT, SERVER, lineCol, pos, range } from './lspHarness';

const corpusDir = findCorpusDir(ROOT);

const VERSION_REQUEST = 'message VersionRequest {\n    // Version of the kubelet runtime API.\n    string version = 1;\n}';
const STATUS_REQUEST = [
  'message PodSandboxStatusRequest {',
  '    // ID of the PodSandbox for which to retrieve status.',
  '    string pod_sandbox_id = 1;',
  '    // Verbose indicates whether to return extra information about the pod sandbox.',
  '    bool verbose = 2;',
  '}',
].join('\n');
const STATUS_REQUEST_EDITED = [
  'message PodSandboxStatusRequest {',
  '    // ID of the PodSandbox for which to retrieve status. <script>alert(2)</script>',
  '    string pod_sandbox_id = 1 [json_name = "<script>alert(1)</script>"];',
  '}',
].join('\n');

const codes = (ds: Diagnostic[]): string[] => ds.map((d) => String(d.code));
const elementOf = (d: Diagnostic): string | undefined => (d.data as { element?: string } | undefined)?.element;

/** LSP content changes that apply `edits` (non-overlapping, against `text`) one after another: last first. */
function contentChanges(edits: TextEdit[]): { range: TextEdit['range']; text: string }[] {
  return [...edits]
    .sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character)
    .map((e) => ({ range: e.range, text: e.newText }));
}

function editsOf(action: CodeAction): { version: number | null; edits: TextEdit[] } {
  const changes = action.edit?.documentChanges;
  assert.ok(changes && changes.length === 1, `one versioned document edit: ${JSON.stringify(action.edit)}`);
  const dc = changes[0] as TextDocumentEdit;
  return { version: dc.textDocument.version, edits: dc.edits as TextEdit[] };
}

describe('language server compatibility features (untrusted, bundled index)', {
  skip: !existsSync(SERVER) ? BUILD_HELP : corpusDir ? false : CORPUS_HELP, timeout: 180_000,
}, () => {
  let editor: LspEditor;
  let tmp: string;
  let ws: string;
  let uri: string;
  let original: string;
  /** The text as the server has it, and its version. */
  let text: string;
  let version: number;
  let newestRelease: string;
  /** FIELD_NO_DELETE of VersionRequest.version as published at version 1. */
  let staleDiagnostic: Diagnostic;

  const codeActions = (d: Diagnostic[], range = d[0]!.range, only?: string[]): Promise<CodeAction[] | null> =>
    editor.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: d, ...(only ? { only } : {}) } }) as Promise<CodeAction[] | null>;

  async function change(edits: TextEdit[]): Promise<void> {
    text = applyEdits(text, edits);
    version++;
    await editor.change(uri, version, contentChanges(edits));
  }

  before(async () => {
    const corpus = new Corpus(corpusDir!);
    const latest = corpus.goTags(V1_PATH).filter((r) => !r.prerelease).at(-1)!;
    original = corpus.text(latest.blob);
    newestRelease = loadBundledHistory().newestRelease()!.tag;
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-features-')));
    ws = path.join(tmp, 'ws');
    mkdirSync(ws);
    mkdirSync(path.join(tmp, 'gomodcache'));
    assert.ok(original.includes(VERSION_REQUEST) && original.split(STATUS_REQUEST).length === 2, 'the corpus text has the fields the test deletes');
    text = original.replace(VERSION_REQUEST, 'message VersionRequest {\n}').replace(STATUS_REQUEST, STATUS_REQUEST_EDITED);
    version = 1;
    writeFileSync(path.join(ws, 'api.proto'), original);
    uri = pathToFileURL(path.join(ws, 'api.proto')).href;
    // An empty Go module cache, so that the bundled index is the only source.
    editor = LspEditor.start({ GOMODCACHE: path.join(tmp, 'gomodcache'), GOPATH: path.join(tmp, 'gopath') });
    const init = await editor.initialize(ws, { trusted: false, cacheDir: path.join(tmp, 'cache') });
    assert.deepEqual(init.capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.criCompat'] });
  });

  after(async () => {
    await editor?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('the baseline resolves in the background with progress; then diagnostics carry rule codes', async () => {
    await editor.open(uri, text, 1);
    // Validation does not wait for the baseline: the first diagnostics may come without findings.
    const first = await editor.diagnostics(uri, (p) => p.version === 1);
    assert.ok(!first.diagnostics.some((d) => d.code === 'unresolved-type'), JSON.stringify(first.diagnostics));
    const p = await editor.diagnostics(uri, (d) => d.version === 1 && d.diagnostics.some((x) => x.code === 'FIELD_NO_DELETE'));
    assert.deepEqual([...new Set(codes(p.diagnostics))].sort(), [
      'DOC_MEANING_CHANGED', 'FIELD_JSON_NAME_CHANGED', 'FIELD_NO_DELETE', 'FIELD_REMOVED_WITHOUT_DEPRECATION',
    ]);
    const noDelete = p.diagnostics.filter((d) => d.code === 'FIELD_NO_DELETE');
    assert.deepEqual(noDelete.map(elementOf).sort(), ['runtime.v1.PodSandboxStatusRequest.verbose', 'runtime.v1.VersionRequest.version']);
    staleDiagnostic = noDelete.find((d) => elementOf(d) === 'runtime.v1.VersionRequest.version')!;
    const at = lineCol(text, 'message VersionRequest {', 'message '.length);
    assert.deepEqual(staleDiagnostic.range, { start: at, end: pos(at.line, at.character + 'VersionRequest'.length) });
    assert.equal(staleDiagnostic.severity, 1);
    assert.equal(staleDiagnostic.source, 'cri-compat');
    assert.deepEqual((staleDiagnostic.data as { rule: string }).rule, 'FIELD_NO_DELETE');

    // Work-done progress: created by the server, begun and ended on the created token.
    assert.ok(editor.progressTokens.length >= 1, 'window/workDoneProgress/create was sent');
    const token = editor.progressTokens[0]!;
    const begin = await editor.progressEvent((e) => e.token === token && e.value.kind === 'begin');
    assert.match(begin.value.title ?? '', /baseline/i);
    await editor.progressEvent((e) => e.token === token && e.value.kind === 'end');

    // The status notification and the output channel.
    const status = await editor.status((s) => s.uri === uri && s.baselineTag !== null);
    assert.equal(status.baselineTag, newestRelease);
    assert.equal(status.source, 'bundled');
    assert.equal(status.checked, true);
    const breakingRules = new Set(RULES.filter((r) => r.breaking).map((r) => r.id));
    assert.equal(status.breaking, p.diagnostics.filter((d) => breakingRules.has(String(d.code))).length);
    const log = editor.logs.join('\n');
    assert.match(log, new RegExp(`Baseline for .*: ${newestRelease.replace(/\./g, '\\.')}`));
    assert.match(log, /git: skipped: the workspace is not trusted/);
    assert.match(log, /proxy: skipped/);
    assert.deepEqual(editor.messages, [], 'a found baseline shows no message');
  });

  test('hover: the finding explanation first on a diagnostic, release history on elements', async () => {
    const onDiag = (await editor.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: staleDiagnostic.range.start })) as Hover;
    const value = (onDiag.contents as { value: string }).value;
    assert.ok(value.startsWith('**FIELD_NO_DELETE** · WIRE · error'), value.slice(0, 200));
    assert.match(value, /\*\*FIELD_REMOVED_WITHOUT_DEPRECATION\*\*/);
    assert.match(value, new RegExp(`Compared with ${newestRelease.replace(/\./g, '\\.')}`));
    assert.match(value, /```proto\nmessage runtime\.v1\.VersionRequest/);
    // Both rules matter because of the skew policy, and both findings come from the same baseline: said once.
    const count = (needle: string): number => value.split(needle).length - 1;
    assert.equal(count('Compared with '), 1, value);
    assert.equal(count('Kubelets and runtimes on a node are upgraded separately'), 1, value);

    const field = lineCol(text, 'PodSandboxConfig config = 1;', 'PodSandboxConfig '.length);
    const h = (await editor.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: field })) as Hover;
    const v = (h.contents as { value: string }).value;
    assert.match(v, /field runtime\.v1\.RunPodSandboxRequest\.config/);
    assert.match(v, /\*\*Release history\*\*/);
    // The tag links to the release's api.proto, where the element can be read as it was released.
    assert.match(v, /Introduced in \[(v0\.\d+\.\d+(?:-[\w.]+)?)\]\(https:\/\/github\.com\/kubernetes\/cri-api\/blob\/\1\/pkg\/apis\/runtime\/v1\/api\.proto\) \(Kubernetes 1\.\d+\.\d+/);
    assert.doesNotMatch(v, /FIELD_NO_DELETE/);
  });

  test('criCompat/report: the findings, links to positions, and markup from the file escaped', async () => {
    const md = (await editor.conn.sendRequest(ReportRequestMethod, { uri })) as ReportResult;
    assert.equal(typeof md, 'string');
    const report = md!;
    assert.match(report, /^# CRI compatibility report/);
    assert.match(report, new RegExp(`Baseline: \\*\\*${newestRelease.replace(/\./g, '\\.')}\\*\\*`));
    // In the editor a rule id explains the rule ("CRI: Explain Rule"), whose panel links the policy.
    const explain = (rule: string): string => `command:criCompat.explainRule?${encodeURIComponent(JSON.stringify([rule]))}`;
    assert.ok(report.includes(`[FIELD_NO_DELETE](${explain('FIELD_NO_DELETE')})`), report);
    assert.ok(report.includes(`[FIELD_JSON_NAME_CHANGED](${explain('FIELD_JSON_NAME_CHANGED')})`), report);
    assert.doesNotMatch(report, /\[[A-Z_]+\]\(https:/);
    const line = staleDiagnostic.range.start;
    assert.ok(report.includes(`[${line.line + 1}](${revealPositionUri(uri, line.line, line.character)})`), 'line links reveal the position');
    assert.ok(!/(?<!\\)<script/i.test(report), 'no unescaped <script> in the markdown');
    assert.match(report, /\\<script>alert\(1\)\\<\/script>/);
    // What the webview shows: rendered by the client's renderer, still no markup from the file.
    const html = webviewHtml('CRI Report', report);
    assert.ok(!/<script/i.test(html), 'no <script> element in the webview');
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.ok(html.includes(`<a href="${revealPositionUri(uri, line.line, line.character)}">${line.line + 1}</a>`));
    assert.ok(html.includes(`<a href="${explain('FIELD_NO_DELETE')}">FIELD_NO_DELETE</a>`), html);
    assert.match(html, /<table>/);
    assert.ok(html.includes(`content="${WEBVIEW_CSP}"`));
    assert.equal(await editor.conn.sendRequest(ReportRequestMethod, { uri: 'file:///not/open.proto' }), null);
  });

  test('criCompat/baselines lists the bundled releases newest first with the current baseline', async () => {
    const res = (await editor.conn.sendRequest(BaselinesRequestMethod, { uri })) as BaselinesResult;
    const history = loadBundledHistory();
    assert.equal(res.releases.length, history.releases.length);
    for (let k = 1; k < res.releases.length; k++) {
      assert.ok(compareTags(res.releases[k - 1]!.tag, res.releases[k]!.tag) > 0, `${res.releases[k - 1]!.tag} before ${res.releases[k]!.tag}`);
    }
    assert.equal(res.releases[0]!.tag, history.releases.at(-1)!.tag);
    assert.ok(res.releases.some((r) => r.prerelease) && res.releases.some((r) => !r.prerelease));
    const r = res.releases.find((x) => x.tag === newestRelease)!;
    assert.equal(r.prerelease, false);
    assert.match(r.kubernetes, /^1\.\d+\.\d+$/);
    assert.equal(res.current?.tag, newestRelease);
    assert.equal(res.current?.source, 'bundled');
    assert.equal(res.resolving, false);
  });

  test('criCompat/history and criCompat/rules', async () => {
    const field = lineCol(text, 'PodSandboxConfig config = 1;', 'PodSandboxConfig '.length + 2);
    const h = (await editor.conn.sendRequest(HistoryRequestMethod, { uri, position: field })) as HistoryResult;
    assert.equal(h.element, 'runtime.v1.RunPodSandboxRequest.config');
    assert.equal(h.ok, true);
    assert.match(h.text, /RunPodSandboxRequest\.config/);
    // Inside a message body but on no name: the innermost element.
    const body = lineCol(text, 'message PodSandboxStatusRequest {');
    const inMessage = (await editor.conn.sendRequest(HistoryRequestMethod, { uri, position: pos(body.line, 0) })) as HistoryResult;
    assert.equal(inMessage.element, 'runtime.v1.PodSandboxStatusRequest');

    const rules = (await editor.conn.sendRequest(RulesRequestMethod)) as RulesResult;
    assert.deepEqual(rules.map((r) => r.id), RULES.map((r) => r.id));
    for (const r of rules) assert.ok(r.title && r.explanation && (r.link === undefined || /^https:\/\//.test(r.link)) && r.category && r.severity, r.id);
    assert.deepEqual(rules.filter((r) => !r.link).map((r) => r.id), ['SUPPRESSION_WITHOUT_REASON', 'SUPPRESSION_UNUSED']);
    // "Explain Rule" says what a breaking rule breaks: a renamed message keeps the wire, as its explanation says.
    const breaks = (id: string): string | undefined => rules.find((r) => r.id === id)?.breaks;
    assert.equal(breaks('MESSAGE_RENAMED'), 'Go code built against a released k8s.io/cri-api');
    assert.equal(breaks('FIELD_RENAMED'), 'JSON and YAML that tools of a released cri-api write or read (crictl output, saved configs)');
    assert.equal(breaks('FIELD_NO_DELETE'), 'kubelets and runtimes built from a released cri-api');
    assert.equal(breaks('DOC_MEANING_CHANGED'), 'kubelets and runtimes built from a released cri-api');
    for (const r of rules) assert.equal(r.breaks !== undefined, r.breaking, r.id);
  });

  test('a code action request with a diagnostic of an older version gets edits for the current text only', async () => {
    // Versions 2 and 3 add lines above everything: the version-1 diagnostic's range is stale now.
    await change([{ range: { start: pos(0, 0), end: pos(0, 0) }, newText: '// edited in a test\n' }]);
    await change([{ range: { start: pos(0, 0), end: pos(0, 0) }, newText: '// and again\n' }]);
    assert.equal(version, 3);
    const actions = (await codeActions([staleDiagnostic]))!;
    assert.ok(actions.length > 0, 'the finding still exists at version 3, so fixes are computed afresh');
    for (const a of actions) {
      const { version: v, edits } = editsOf(a);
      assert.equal(v, 3, `${a.title}: versioned for the current text`);
      const after = applyEdits(text, edits);
      assert.notEqual(after, text);
    }
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1);
    assert.match(preferred[0]!.title, /^Reserve/);
    assert.deepEqual(preferred[0]!.diagnostics, [staleDiagnostic]);
    // The reservation lands inside VersionRequest as it is now (two lines further down than at version 1).
    const fixed = applyEdits(text, editsOf(preferred[0]!).edits);
    assert.match(fixed, /message VersionRequest \{\n\s*reserved 1;\n\s*reserved "version";\n\}/);
    assert.ok(actions.some((a) => a.title === 'Fix all FIELD_NO_DELETE in this file'), actions.map((a) => a.title).join(', '));
  });

  test('the preferred FIELD_NO_DELETE fix, applied, removes the diagnostic', async () => {
    const current = await editor.diagnostics(uri, (p) => p.version === version && p.diagnostics.some((d) => d.code === 'FIELD_NO_DELETE'));
    const d = current.diagnostics.find((x) => x.code === 'FIELD_NO_DELETE' && elementOf(x) === 'runtime.v1.VersionRequest.version')!;
    assert.equal(d.range.start.line, staleDiagnostic.range.start.line + 2);
    // Both findings on this field (FIELD_NO_DELETE and FIELD_REMOVED_WITHOUT_DEPRECATION) offer a restore: once.
    const both = current.diagnostics.filter((x) => elementOf(x) === 'runtime.v1.VersionRequest.version');
    assert.ok(both.length >= 2, both.map((x) => x.code).join(', '));
    const offered = (await codeActions(both))!.map((a) => a.title);
    assert.deepEqual(offered.filter((t, i) => offered.indexOf(t) !== i), [], offered.join(', '));
    const actions = (await codeActions([d]))!;
    const preferred = actions.find((a) => a.isPreferred)!;
    const { version: v, edits } = editsOf(preferred);
    assert.equal(v, version);
    const mark = editor.mark();
    await change(edits);
    const after = await editor.diagnostics(uri, (p) => p.version === version, mark);
    const left = after.diagnostics.filter((x) => x.code === 'FIELD_NO_DELETE');
    assert.deepEqual(left.map(elementOf), ['runtime.v1.PodSandboxStatusRequest.verbose'], 'only the other deletion is left');
    assert.ok(after.diagnostics.some((x) => x.code === 'FIELD_REMOVED_WITHOUT_DEPRECATION' && elementOf(x) === 'runtime.v1.VersionRequest.version'),
      'reserving does not undo the removal');

    // The version-1 diagnostic again: its finding is gone, so nothing is offered for it.
    assert.deepEqual(await codeActions([staleDiagnostic]), []);
  });

  test('source.fixAll.criCompat fixes every fixable finding at once', async () => {
    const actions = (await codeActions([], { start: pos(0, 0), end: pos(0, 0) }, ['source.fixAll']))!;
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.kind, 'source.fixAll.criCompat');
    const { version: v, edits } = editsOf(actions[0]!);
    assert.equal(v, version);
    // The deleted field that was not deprecated first is restored deprecated (clearing both of its findings).
    assert.match(applyEdits(text, edits), /message PodSandboxStatusRequest \{[^}]*bool verbose = 2 \[deprecated = true\];/);
    // Only quick fixes without `only`; nothing for a diagnostic of another tool.
    assert.deepEqual(await codeActions([{ ...staleDiagnostic, source: 'other' }]), []);
  });

  test('criCompat.severity: rule overrides apply, unknown entries are reported in the output', async () => {
    editor.settings = { protoPaths: [], validation: { debounceMs: 10 }, severity: { FIELD_NO_DELETE: 'off', JSON: 'hint', BOGUS_RULE: 'error', DOCS: 'loud' } };
    const mark = editor.mark();
    await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const p = await editor.diagnostics(uri, (x) => !x.diagnostics.some((d) => d.code === 'FIELD_NO_DELETE') && x.diagnostics.some((d) => d.code === 'FIELD_JSON_NAME_CHANGED' && d.severity === 4), mark);
    assert.ok(p.diagnostics.some((d) => d.code === 'FIELD_REMOVED_WITHOUT_DEPRECATION'));
    // Explain Rule shows the severity each rule has for the document: the setting's, else the default.
    const rules = (await editor.conn.sendRequest(RulesRequestMethod, { uri })) as RulesResult;
    const effective = (id: string): string | undefined => rules.find((r) => r.id === id)?.effective;
    assert.deepEqual([effective('FIELD_NO_DELETE'), effective('FIELD_JSON_NAME_CHANGED'), effective('FIELD_TYPE_CHANGED'), effective('DOC_MISSING')],
      ['off', 'hint', 'error', 'warning']);
    // Asked for no document, it says only the defaults.
    assert.ok(((await editor.conn.sendRequest(RulesRequestMethod)) as RulesResult).every((r) => r.effective === undefined));
    const log = editor.logs.join('\n');
    assert.match(log, /criCompat\.severity: unknown rule or category "BOGUS_RULE"/);
    assert.match(log, /criCompat\.severity: "DOCS": severity must be one of/);
    editor.settings = { protoPaths: [], validation: { debounceMs: 10 } };
    const mark2 = editor.mark();
    await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await editor.diagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'FIELD_NO_DELETE'), mark2);
  });

  test('.cri-compat.json in the workspace folder sets severities (settings win), re-read when it changes', async () => {
    const config = path.join(ws, '.cri-compat.json');
    writeFileSync(config, JSON.stringify({ severity: { FIELD_NO_DELETE: 'hint', FIELD_REMOVED_WITHOUT_DEPRECATION: 'off' } }));
    const mark = editor.mark();
    await editor.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(config).href, type: 1 }] });
    const p = await editor.diagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'FIELD_NO_DELETE' && d.severity === 4)
      && !x.diagnostics.some((d) => d.code === 'FIELD_REMOVED_WITHOUT_DEPRECATION'), mark);
    assert.ok(p.diagnostics.length > 0);
    const effective = async (id: string): Promise<string | undefined> =>
      ((await editor.conn.sendRequest(RulesRequestMethod, { uri })) as RulesResult).find((r) => r.id === id)?.effective;
    assert.deepEqual([await effective('FIELD_NO_DELETE'), await effective('FIELD_REMOVED_WITHOUT_DEPRECATION')], ['hint', 'off']);
    // A setting for the same rule wins over the file.
    editor.settings = { protoPaths: [], validation: { debounceMs: 10 }, severity: { FIELD_NO_DELETE: 'error' } };
    const mark2 = editor.mark();
    await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await editor.diagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'FIELD_NO_DELETE' && d.severity === 1)
      && !x.diagnostics.some((d) => d.code === 'FIELD_REMOVED_WITHOUT_DEPRECATION'), mark2);
    // So does a setting for the rule's category, as --severity does on the command line.
    editor.settings = { protoPaths: [], validation: { debounceMs: 10 }, severity: { WIRE: 'warning' } };
    const markCategory = editor.mark();
    await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await editor.diagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'FIELD_NO_DELETE' && d.severity === 2)
      && !x.diagnostics.some((d) => d.code === 'FIELD_REMOVED_WITHOUT_DEPRECATION'), markCategory);
    assert.deepEqual([await effective('FIELD_NO_DELETE'), await effective('FIELD_REMOVED_WITHOUT_DEPRECATION')], ['warning', 'off']);
    // A broken file is reported in the output and ignored.
    writeFileSync(config, '{ "severity": { "FIELD_NO_DELETE": "loud" } }');
    editor.settings = { protoPaths: [], validation: { debounceMs: 10 } };
    const mark3 = editor.mark();
    await editor.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(config).href, type: 2 }] });
    await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await editor.diagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'FIELD_REMOVED_WITHOUT_DEPRECATION'), mark3);
    assert.match(editor.logs.join('\n'), /\.cri-compat\.json: "FIELD_NO_DELETE": severity must be one of/);
    // The workspace's file may be a link to anything: it is not followed, and nothing of its target is logged.
    rmSync(config);
    symlinkSync('/etc/passwd', config);
    const markLink = editor.mark();
    await editor.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(config).href, type: 2 }] });
    await editor.diagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'FIELD_REMOVED_WITHOUT_DEPRECATION'), markLink);
    await logMatching(editor, /\.cri-compat\.json: is a symbolic link, which is not followed \(ignored\)$/, 0);
    assert.doesNotMatch(editor.logs.join('\n'), /root:/);
    rmSync(config);
    const mark4 = editor.mark();
    await editor.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(config).href, type: 3 }] });
    await editor.diagnostics(uri, (x) => x.diagnostics.some((d) => d.code === 'FIELD_NO_DELETE' && d.severity === 1), mark4);
  });

  test('a baseline that cannot be found: one warning, syntax and binding checks go on', async () => {
    editor.settings = { protoPaths: [], validation: { debounceMs: 10 }, baseline: 'v0.99.0' };
    // Earlier tests' bad settings were shown too: only what this one shows counts.
    const shownSince = editor.messages.length;
    const messages = () => editor.messages.slice(shownSince);
    const mark = editor.mark();
    const statusMark = editor.statuses.all.length;
    await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const s = await editor.status((x) => x.uri === uri && !x.resolving && x.baselineTag === null, statusMark);
    assert.equal(s.breaking, 0);
    const p = await editor.diagnostics(uri, (x) => !x.diagnostics.some((d) => /^[A-Z_]+$/.test(String(d.code))), mark);
    assert.deepEqual(p.diagnostics, []);
    assert.equal(messages().length, 1, JSON.stringify(messages()));
    assert.equal(messages()[0]!.type, 2);
    assert.match(messages()[0]!.message, /v0\.99\.0.*criCompat\.baseline/);
    assert.match(editor.logs.join('\n'), /No baseline for /);
    // A breaking edit still gets binding diagnostics.
    const mark2 = editor.mark();
    const at = lineCol(text, 'rpc Version(VersionRequest)', 'rpc Version('.length + 'VersionRequest'.length);
    await change([{ range: { start: at, end: at }, newText: 'X' }]);
    const broken = await editor.diagnostics(uri, (x) => x.version === version, mark2);
    assert.deepEqual(codes(broken.diagnostics), ['unresolved-type']);
    await change([{ range: { start: at, end: pos(at.line, at.character + 1) }, newText: '' }]);
    // Resolving again (a configuration change) shows no second message.
    const statusMark2 = editor.statuses.all.length;
    await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await editor.status((x) => x.uri === uri && !x.resolving && x.baselineTag === null, statusMark2);
    assert.equal(messages().length, 1);
    // Back to automatic.
    editor.settings = { protoPaths: [], validation: { debounceMs: 10 } };
    const statusMark3 = editor.statuses.all.length;
    await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const back = await editor.status((x) => x.uri === uri && !x.resolving && x.baselineTag !== null, statusMark3);
    assert.equal(back.baselineTag, newestRelease);
  });

  test('trust granted: the baseline is resolved again, now with git', async () => {
    const logs = editor.logs.length;
    const statusMark = editor.statuses.all.length;
    await editor.conn.sendNotification(TrustChangedNotificationMethod, { trusted: true });
    const s = await editor.status((x) => x.uri === uri && !x.resolving && x.baselineTag !== null, statusMark);
    assert.equal(s.baselineTag, newestRelease);
    const log = editor.logs.slice(logs).join('\n');
    assert.match(log, /Workspace trust changed: trusted/);
    const afterTrust = log.slice(log.indexOf('Workspace trust changed'));
    assert.match(afterTrust, /Tried:\n\s+- git: /);
    assert.doesNotMatch(afterTrust, /git: skipped: the workspace is not trusted/);
  });

  test('shutdown and exit', async () => {
    assert.equal(await editor.shutdown(), 0);
  });
});

describe('language server: files that are not the CRI API', { skip: existsSync(SERVER) ? false : BUILD_HELP, timeout: 60_000 }, () => {
  test('are not compared with a release and start no baseline resolution', async () => {
    const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-features-')));
    const editor = LspEditor.start();
    try {
      await editor.initialize(tmp, { trusted: false });
      const uri = pathToFileURL(path.join(tmp, 'api.proto')).href;
      await editor.open(uri, 'syntax = "proto3";\npackage acme.v1;\nmessage A { int32 a = 1; }\n');
      assert.deepEqual((await editor.diagnostics(uri, (p) => p.version === 1)).diagnostics, []);
      const s = await editor.status((x) => x.uri === uri);
      assert.deepEqual(s, { uri, baselineTag: null, breaking: 0, findings: 0, checked: false, resolving: false });
      assert.deepEqual(editor.progressTokens, []);
      assert.deepEqual(await editor.conn.sendRequest(CodeActionRequest.type, {
        textDocument: { uri }, range: { start: pos(2, 0), end: pos(2, 0) }, context: { diagnostics: [] },
      }), []);
      assert.equal(await editor.shutdown(), 0);
    } finally {
      await editor.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('a second file of runtime.v1 beside api.proto, declaring neither CRI service: no release findings, and the report says why', async () => {
    const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-features-')));
    const editor = LspEditor.start();
    try {
      await editor.initialize(tmp, { trusted: false });
      const uri = pathToFileURL(path.join(tmp, 'extra.proto')).href;
      await editor.open(uri, 'syntax = "proto3";\n\npackage runtime.v1;\n\n// Extra is not part of the CRI API.\nmessage Extra {\n  // ID of the thing.\n  string id = 1;\n}\n');
      // Once no baseline is being looked for: compared with a release, every released element would be deleted.
      const s = await editor.status((x) => x.uri === uri && !x.resolving);
      assert.deepEqual(s, { uri, baselineTag: null, breaking: 0, findings: 0, checked: false, resolving: false });
      assert.deepEqual(editor.progressTokens, []);
      const published = editor.mark();
      await editor.change(uri, 2, [{ range: range(7, 0, 7, 0), text: '  // Its name.\n  string name = 2;\n' }]);
      assert.deepEqual(codes((await editor.diagnostics(uri, (p) => p.version === 2, published)).diagnostics), []);
      const md = (await editor.conn.sendRequest(ReportRequestMethod, { uri })) as ReportResult;
      assert.match(md!, /^Not a CRI API file: it declares neither `RuntimeService` nor `ImageService` and is not named `api\.proto`\. No baseline applies and no compatibility checks apply/m);
      assert.equal(await editor.shutdown(), 0);
    } finally {
      await editor.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

// ---- the client's renderer -------------------------------------------------------------------------------

describe('safe markdown renderer (client/src/render.ts)', () => {
  test('escapes everything; only https, reveal-position and explain-rule links survive', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    assert.equal(renderInline('<script>alert(1)</script>'), '&lt;script&gt;alert(1)&lt;/script&gt;');
    assert.equal(renderInline('&lt;b&gt; \\*not bold\\* **bold** `<code>`'), '&lt;b&gt; *not bold* <strong>bold</strong> <code>&lt;code&gt;</code>');
    assert.equal(renderInline('[x](javascript:alert(1))'), '[x](javascript:alert(1))');
    assert.equal(renderInline('[x](javascript:alert)'), 'x');
    assert.equal(renderInline('[x](command:workbench.action.terminal.new)'), 'x');
    assert.equal(renderInline('[x](https://example.com/a"onmouseover="b)'), 'x');
    assert.equal(renderInline('[x](https://example.com/a#b)'), '<a href="https://example.com/a#b">x</a>');
    const reveal = revealPositionUri('file:///a%20b/api(1).proto', 3, 4);
    assert.ok(safeHref(reveal), reveal);
    assert.doesNotMatch(reveal, /[()\s]/);
    assert.equal(renderInline(`[4](${reveal})`), `<a href="${reveal}">4</a>`);
    // Explain Rule with one rule id, as the editor's report links a rule; with anything else, plain text.
    const explain = 'command:criCompat.explainRule?%5B%22FIELD_NO_DELETE%22%5D';
    assert.equal(renderInline(`[FIELD_NO_DELETE](${explain})`), `<a href="${explain}">FIELD_NO_DELETE</a>`);
    for (const other of ['command:criCompat.explainRule', 'command:criCompat.explainRule?%5B%5D', 'command:criCompat.explainRule?%5B%22A%22%2C%22B%22%5D',
      'command:criCompat.explainRule?%5B%22a%2Fb%22%5D', 'command:criCompat.explainRule?%5B%22A%22%5D%5B', 'command:criCompat.explainRuleX?%5B%22A%22%5D']) {
      assert.equal(renderInline(`[r](${other})`), 'r', other);
    }
    assert.equal(renderInline('[<img src=x onerror=alert(1)>](https://example.com)'), '<a href="https://example.com">&lt;img src=x onerror=alert(1)&gt;</a>');
    assert.equal(renderInline('`unclosed <b>'), '`unclosed &lt;b&gt;');
  });

  test('headings, tables, lists and paragraphs', () => {
    const html = renderMarkdown([
      '# Title <i>', '', 'Para **one**', 'continues.', '', '- item `a|b`', '- item two', '', '---', '',
      '| A | B \\| C |', '|---|---|', '| 1 | <b>2</b> |', '| only one |',
    ].join('\n'));
    assert.equal(html, [
      '<h1>Title &lt;i&gt;</h1>',
      '<p>Para <strong>one</strong> continues.</p>',
      '<ul><li>item <code>a|b</code></li><li>item two</li></ul>',
      '<hr>',
      '<table><thead><tr><th>A</th><th>B | C</th></tr></thead><tbody><tr><td>1</td><td>&lt;b&gt;2&lt;/b&gt;</td></tr><tr><td>only one</td><td></td></tr></tbody></table>',
    ].join('\n'));
    const page = webviewHtml('T <x>', '# h');
    assert.match(page, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/);
    assert.match(page, /<title>T &lt;x&gt;<\/title>/);
    assert.doesNotMatch(page, /<script/);
  });

  test('status bar text', () => {
    const base = { uri: 'file:///a.proto', breaking: 3, findings: 5, checked: true, resolving: false };
    assert.equal(statusView({ ...base, baselineTag: 'v0.36.3', kubernetes: '1.36.3', source: 'bundled', origin: 'bundled release index' }).text, '$(shield) CRI v0.36.3 · 3 breaking');
    assert.match(statusView({ ...base, baselineTag: 'v0.36.3', source: 'bundled', origin: 'bundled release index' }).tooltip, /^From bundled release index$/m);
    assert.equal(statusView({ ...base, baselineTag: null, breaking: 0 }).text, '$(shield) CRI no baseline');
    assert.equal(statusView({ ...base, baselineTag: null, resolving: true }).text, '$(sync~spin) CRI finding baseline…');
    assert.equal(statusView({ ...base, baselineTag: null, checked: false }).text, '$(shield) CRI –');
    assert.equal(statusView(undefined).text, '$(shield) CRI …');
  });
});

// ---- renamed fields in hovers, plain-text hovers, severity messages, refused imports, reports, ${workspaceFolder} ----

/** Waits until a log line after `since` matches. */
async function logMatching(editor: LspEditor, re: RegExp, since: number, timeoutMs = 15_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const hit = editor.logs.slice(since).find((l) => re.test(l));
    if (hit !== undefined) return hit;
    if (Date.now() > end) throw new Error(`no log line matching ${re} within ${timeoutMs} ms; logs since:\n${editor.logs.slice(since).join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The first window/showMessage warning from `since` on that matches; bounded. */
async function warningMatching(editor: LspEditor, re: RegExp, since: number, timeoutMs = 15_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const hit = editor.messages.slice(since).find((m) => m.type === MessageType.Warning && re.test(m.message));
    if (hit) return hit.message;
    if (Date.now() > end) throw new Error(`no warning shown matching ${re} within ${timeoutMs} ms; shown since: ${JSON.stringify(editor.messages.slice(since))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const hoverText = async (editor: LspEditor, uri: string, text: string, needle: string, offset: number): Promise<Hover> =>
  (await editor.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: lineCol(text, needle, offset) })) as Hover;

describe('language server: examples/api.proto with the bundled baseline (markdown client)', { skip: existsSync(SERVER) ? false : BUILD_HELP, timeout: 120_000 }, () => {
  const example = readFileSync(path.join(ROOT, 'examples', 'api.proto'), 'utf8');
  const BASE_SETTINGS = { protoPaths: ['/some/dir'], validation: { debounceMs: 10 } };
  let editor: LspEditor;
  let tmp: string;
  let ws: string;
  let uri: string;
  let bundledTag: string;

  before(async () => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-audit-')));
    ws = path.join(tmp, 'ws');
    mkdirSync(path.join(ws, 'sub'), { recursive: true });
    mkdirSync(path.join(tmp, 'gomodcache'));
    writeFileSync(path.join(ws, 'api.proto'), example);
    uri = pathToFileURL(path.join(ws, 'api.proto')).href;
    editor = LspEditor.start({ GOMODCACHE: path.join(tmp, 'gomodcache'), GOPATH: path.join(tmp, 'gopath') });
    editor.settings = { ...BASE_SETTINGS };
    await editor.initialize(ws, { trusted: false, cacheDir: path.join(tmp, 'cache') });
    await editor.open(uri, example, 1);
    await editor.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'FIELD_RENAMED'));
    bundledTag = (await editor.status((s) => s.uri === uri && !s.resolving && s.baselineTag !== null)).baselineTag!;
  });

  after(async () => {
    await editor?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('hover on a renamed field: the FIELD_RENAMED explanation, and "renamed from", not "new"', async () => {
    const h = await hoverText(editor, uri, example, 'string host_name = 2;', 'string '.length + 2);
    const v = (h.contents as { kind: string; value: string }).value;
    assert.equal((h.contents as { kind: string }).kind, 'markdown');
    assert.ok(v.startsWith('**FIELD_RENAMED** · JSON · error'), v.slice(0, 200));
    assert.match(v, /\*\*Renamed from `hostname`\*\*: field 2 was `hostname` in the baseline\. Only the name changed, so it is not new/);
    assert.doesNotMatch(v, /New since|will not have it/);
  });

  test('criCompat/history of an element new in the file: what the hover says of it, not an unknown-path error', async () => {
    const at = lineCol(example, 'message PauseContainerRequest {', 'message '.length + 2);
    const h = (await editor.conn.sendRequest(HistoryRequestMethod, { uri, position: at })) as HistoryResult;
    assert.equal(h.element, 'runtime.v1.PauseContainerRequest');
    assert.equal(h.ok, true);
    assert.match(h.text, /^runtime\.v1\.PauseContainerRequest: in no release of runtime\.v1 up to v\S+; new in this file\.\n\nNew since v\S+: would ship in Kubernetes 1\.\d+/);
    assert.doesNotMatch(h.text, /unknown element|Did you mean/);
  });

  test('criCompat/history of a field renamed in the file: the released field under its released name, not "new"', async () => {
    const at = lineCol(example, 'string host_name = 2;', 'string '.length + 2);
    const h = (await editor.conn.sendRequest(HistoryRequestMethod, { uri, position: at })) as HistoryResult;
    assert.equal(h.element, 'runtime.v1.PodSandboxConfig.host_name');
    assert.equal(h.ok, true);
    assert.match(h.text, /^runtime\.v1\.PodSandboxConfig\.host_name: Renamed from hostname: field 2 was hostname in the baseline\./);
    // The released name's own history, as `cri-compat history --element` gives it.
    assert.match(h.text, /\n\nruntime\.v1\.PodSandboxConfig\.hostname {2}\(field 2 of runtime\.v1\.PodSandboxConfig: string, JSON "hostname"\)\n {2}introduced: {3}v0\.20\.0/);
    assert.doesNotMatch(h.text, /new in this file|in no release/);
  });

  test('criCompat/report of a file of another package: not a CRI API file, no baseline advice', async () => {
    const other = pathToFileURL(path.join(ws, 'other.proto')).href;
    await editor.open(other, 'syntax = "proto3";\npackage other;\nmessage A { int32 a = 1; }\n');
    await editor.diagnostics(other);
    const md = (await editor.conn.sendRequest(ReportRequestMethod, { uri: other })) as ReportResult;
    assert.match(md!, /^Not a CRI API file: its package is `other`, not `runtime\.v1`\. No baseline applies and no compatibility checks apply/m);
    assert.doesNotMatch(md!, /Baseline: none found|documentation checks|criCompat\.baseline|Select Baseline/);
  });

  test('a file that changes runtime.v1 to another runtime.* package (a new major, a typo) gets PACKAGE_CHANGED', async () => {
    for (const pkg of ['runtime.v2', 'runtime.V1']) {
      const uri2 = pathToFileURL(path.join(ws, 'sub', `${pkg}.proto`)).href;
      const text = example.replace(/^package runtime\.v1;/m, `package ${pkg};`);
      assert.notEqual(text, example);
      await editor.open(uri2, text);
      const p = await editor.diagnostics(uri2, (x) => x.diagnostics.some((d) => d.code === 'PACKAGE_CHANGED'));
      const d = p.diagnostics.find((x) => x.code === 'PACKAGE_CHANGED')!;
      assert.equal(d.severity, 1, pkg);
      assert.equal(text.split('\n')[d.range.start.line], `package ${pkg};`);
      // The output channel says why a runtime.v1 release is its baseline.
      await logMatching(editor, new RegExp(`^${uri2.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} declares package ${pkg.replace('.', '\\.')}, which no cri-api release has: it is compared with v\\S+ \\(package runtime\\.v1\\), and PACKAGE_CHANGED reports the change of package\\.$`), 0);
    }
  });

  test('a CRI file whose package statement is deleted gets PACKAGE_CHANGED, as in the CLI; another file without one is not compared', async () => {
    const line = example.split('\n').indexOf('package runtime.v1;');
    assert.ok(line > 0);
    // Deleted while editing: the file was the CRI API a moment ago.
    const edited = pathToFileURL(path.join(ws, 'nopkg', 'edited.proto')).href;
    await editor.open(edited, example);
    // Its baseline resolved first: a file's own resolution runs in the background, and no other file's baseline
    // stands in meanwhile, so an edit made before it ends is checked without one.
    await editor.checked(edited);
    await editor.change(edited, 2, [{ range: range(line, 0, line + 1, 0), text: '' }]);
    const d = (await editor.diagnostics(edited, (x) => x.version === 2)).diagnostics.find((x) => x.code === 'PACKAGE_CHANGED');
    assert.ok(d, 'PACKAGE_CHANGED after the package statement was deleted');
    assert.equal(d.severity, 1);
    // Opened without one: the CRI services say what it is.
    const opened = pathToFileURL(path.join(ws, 'nopkg', 'opened.proto')).href;
    await editor.open(opened, example.replace('package runtime.v1;\n', ''));
    await editor.diagnostics(opened, (x) => x.diagnostics.some((d) => d.code === 'PACKAGE_CHANGED'));
    // Any other .proto without a package is nobody's CRI API.
    const plain = pathToFileURL(path.join(ws, 'nopkg', 'plain.proto')).href;
    await editor.open(plain, 'syntax = "proto3";\nservice Greeter { rpc Hi(A) returns (A); }\nmessage A { int32 a = 1; }\n');
    assert.deepEqual((await editor.diagnostics(plain, (x) => x.version === 1)).diagnostics.map((x) => x.code), []);
  });

  test('an import with ".." is refused as leaving the allowed folders, not "not found"', async () => {
    writeFileSync(path.join(ws, 'outside.proto'), 'syntax = "proto3";\npackage other;\nmessage O {}\n');
    const imp = pathToFileURL(path.join(ws, 'sub', 'imp.proto')).href;
    await editor.open(imp, 'syntax = "proto3";\npackage other;\nimport "../outside.proto";\n');
    const p = await editor.diagnostics(imp, (x) => x.diagnostics.some((d) => d.code === 'unresolved-import'));
    const d = p.diagnostics.find((x) => x.code === 'unresolved-import')!;
    assert.equal(d.message, 'import "../outside.proto" was refused: ".." points outside the importing file\'s folder and the import paths; types from it are not checked');
  });

  test('an import not found names the folders looked in by their absolute paths, for the user to open', async () => {
    // The CLI names them relative to the work tree's root instead (cli-ci.test.ts): a CI log is read elsewhere.
    const imp = pathToFileURL(path.join(ws, 'sub', 'missing.proto')).href;
    await editor.open(imp, 'syntax = "proto3";\npackage other;\nimport "not/there.proto";\n');
    const p = await editor.diagnostics(imp, (x) => x.diagnostics.some((d) => d.code === 'unresolved-import'));
    const d = p.diagnostics.find((x) => x.code === 'unresolved-import')!;
    const message = d.message as string;
    assert.match(message, /^import "not\/there\.proto" was not found \(looked in [^)]*\); types from it are not checked$/);
    assert.ok(message.includes(`looked in ${path.join(ws, 'sub')}`), message);
  });

  test('criCompat.severity: each distinct bad entry is logged with its value, once per configuration', async () => {
    const configure = async (severity: unknown): Promise<number> => {
      const since = editor.logs.length;
      editor.settings = { ...BASE_SETTINGS, severity };
      await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      return since;
    };
    let since = await configure({ DOCS: 'Off' });
    await logMatching(editor, /^criCompat\.severity: "DOCS": severity must be one of .*; the entry "DOCS": "Off" is ignored$/, since);
    // Another bad value for the same key is another message.
    since = await configure({ DOCS: 'fatal' });
    await logMatching(editor, /"DOCS": "fatal" is ignored/, since);
    since = await configure({ FOO: ['x'] });
    await logMatching(editor, /^criCompat\.severity: unknown rule or category "FOO"; the entry "FOO": \["x"\] is ignored$/, since);
    since = await configure({ FOO: 'off' });
    await logMatching(editor, /^criCompat\.severity: unknown rule or category "FOO"; the entry "FOO": "off" is ignored$/, since);
    // The same bad entry again, after a change, is said again.
    since = await configure({ DOCS: 'fatal' });
    await logMatching(editor, /"DOCS": "fatal" is ignored/, since);
    // Not an object: one prefix, and the value.
    const mark = editor.mark();
    since = await configure('loud');
    const line = await logMatching(editor, /must be an object/, since);
    assert.match(line, /^criCompat\.severity must be an object of rule id or category → .*, not "loud"; it is ignored$/);
    // Within one configuration, each bad entry is logged once, however many documents read it.
    const open = [uri, pathToFileURL(path.join(ws, 'other.proto')).href, pathToFileURL(path.join(ws, 'sub', 'imp.proto')).href];
    for (const u of open) await editor.diagnostics(u, () => true, mark);
    assert.equal(editor.logs.slice(since).filter((l) => /must be an object/.test(l)).length, 1);
    editor.settings = { ...BASE_SETTINGS };
    await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  });

  test('criCompat.*: a value of the wrong type is logged with what is used instead, not dropped silently', async () => {
    const since = editor.logs.length;
    editor.settings = { protoPaths: '/some/dir', validation: { debounceMs: '300' }, baseline: 35, includePrereleases: 'true', network: { enable: 1 } };
    await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    for (const expected of [
      /^criCompat\.protoPaths must be an array of directory paths, not "\/some\/dir"; it is ignored$/,
      /^criCompat\.validation\.debounceMs must be a whole number of milliseconds from 0 to 10000, not "300"; 150 is used$/,
      /^criCompat\.baseline must be a string \(a cri-api tag, a git ref or the path of an api\.proto\), not 35; the baseline is chosen automatically$/,
      /^criCompat\.includePrereleases must be true or false, not "true"; false is used$/,
      /^criCompat\.network\.enable must be true or false, not 1; false is used$/,
    ]) await logMatching(editor, expected, since);
    editor.settings = { ...BASE_SETTINGS };
    await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  });

  test('a bad criCompat.* value or .cri-compat.json is shown, not only logged: once per configuration, in one message', async () => {
    const other = pathToFileURL(path.join(ws, 'sub', 'shown.proto')).href;
    let since = editor.messages.length;
    // A typo of a rule id: the entry is ignored, and only the output said so.
    editor.settings = { ...BASE_SETTINGS, severity: { FIELD_RENAMD: 'off' } };
    await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await warningMatching(editor, /^criCompat\.severity: unknown rule or category "FIELD_RENAMD".*; the entry "FIELD_RENAMD": "off" is ignored$/, since);
    // Another document reading the same settings says nothing more.
    await editor.open(other, 'syntax = "proto3";\npackage other;\nmessage S {}\n');
    await editor.diagnostics(other, (x) => x.version === 1);
    assert.equal(editor.messages.slice(since).filter((m) => /FIELD_RENAMD/.test(m.message)).length, 1);
    // Several problems: one message, the first and how many more, and where the rest are.
    since = editor.messages.length;
    editor.settings = { ...BASE_SETTINGS, includePrereleases: 'yes', severity: 'loud' };
    await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const both = await warningMatching(editor, /includePrereleases/, since);
    assert.match(both, /^criCompat\.includePrereleases must be true or false, not "yes"; false is used \(and 1 more problem with the criCompat settings: see the "CRI API Compatibility" output\)$/);
    // A .cri-compat.json that cannot be used is ignored as a whole: said too.
    editor.settings = { ...BASE_SETTINGS };
    since = editor.messages.length;
    const config = path.join(ws, '.cri-compat.json');
    writeFileSync(config, JSON.stringify({ severity: { DOCS: 'loud' } }));
    try {
      await editor.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(config).href, type: 1 }] });
      await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      await warningMatching(editor, /\.cri-compat\.json: "DOCS": severity must be one of .* \(ignored\)$/, since);
      // The checkout chose that file's keys: a key written as a markdown link is not one in the notification, where
      // VS Code would run its command when clicked.
      since = editor.messages.length;
      writeFileSync(config, JSON.stringify({ severity: { '[Open Settings](command:workbench.action.terminal.sendSequence?%7B%7D)': 'off' } }));
      await editor.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(config).href, type: 2 }] });
      await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      const linked = await warningMatching(editor, /Open Settings/, since);
      assert.match(linked, /\[Open Settings\] \(command:/);
      assert.doesNotMatch(linked, /\]\(/);
    } finally {
      rmSync(config, { force: true });
      await editor.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(config).href, type: 3 }] });
    }
  });

  test('criCompat.baseline: a bad value set again after a good one is said again', async () => {
    const configure = async (baseline: string, found: boolean): Promise<string[]> => {
      const messages = editor.messages.length;
      const since = editor.statuses.all.length;
      editor.settings = { ...BASE_SETTINGS, baseline };
      await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      await editor.status((x) => x.uri === uri && !x.resolving && (x.baselineTag !== null) === found, since);
      return editor.messages.slice(messages).map((m) => m.message);
    };
    const missing = /The baseline "\.\/missing\.proto" \(criCompat\.baseline\) could not be used: .*missing\.proto does not exist/;
    assert.match((await configure('./missing.proto', false)).join('\n'), missing);
    assert.deepEqual(await configure('', true), []);
    assert.match((await configure('./missing.proto', false)).join('\n'), missing);
    await configure('', true);
  });

  test('criCompat.baseline: ${workspaceFolder} is expanded as in criCompat.protoPaths', async () => {
    const old = path.join(ws, 'sub', 'old.proto');
    writeFileSync(old, example);
    const messages = editor.messages.length;
    const statusMark = editor.statuses.all.length;
    editor.settings = { ...BASE_SETTINGS, baseline: '${workspaceFolder}/sub/old.proto' };
    await editor.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const s = await editor.status((x) => x.uri === uri && !x.resolving && x.baselineTag !== bundledTag, statusMark);
    assert.equal(s.baselineTag, old, JSON.stringify(editor.messages.slice(messages)));
    assert.equal(s.source, 'path');
    assert.deepEqual(editor.messages.slice(messages), []);
  });

  test('shutdown and exit', async () => {
    assert.equal(await editor.shutdown(), 0);
  });
});

describe('language server: hovers for a client that shows only plain text', { skip: existsSync(SERVER) ? false : BUILD_HELP, timeout: 60_000 }, () => {
  test('no markup: emphasis and code marks go, code stays, links read "text (url)"', async () => {
    const example = readFileSync(path.join(ROOT, 'examples', 'api.proto'), 'utf8');
    const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-plain-')));
    mkdirSync(path.join(tmp, 'gomodcache'));
    const editor = LspEditor.start({ GOMODCACHE: path.join(tmp, 'gomodcache'), GOPATH: path.join(tmp, 'gopath') });
    try {
      await editor.initialize(tmp, { trusted: false }, {
        ...PLAIN_CLIENT_CAPABILITIES,
        textDocument: { ...PLAIN_CLIENT_CAPABILITIES.textDocument, hover: { contentFormat: ['plaintext'] } },
      });
      const uri = pathToFileURL(path.join(tmp, 'api.proto')).href;
      await editor.open(uri, example);
      await editor.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'FIELD_RENAMED'));
      const h = await hoverText(editor, uri, example, 'string host_name = 2;', 'string '.length + 2);
      const c = h.contents as { kind: string; value: string };
      assert.equal(c.kind, 'plaintext');
      assert.ok(c.value.startsWith('FIELD_RENAMED · JSON · error\n'), c.value.slice(0, 200));
      assert.doesNotMatch(c.value, /\*\*|`|\]\(/);
      assert.match(c.value, /^field runtime\.v1\.PodSandboxConfig\.host_name\nstring host_name = 2$/m);
      assert.match(c.value, /suppress with \/\/ cri-compat:ignore FIELD_RENAMED <reason>/);
      assert.match(c.value, /Version skew policy \(https:\/\/www\.kubernetes\.dev\/docs\/code\/cri-api-version-skew-policy\/\)/);
      assert.equal(await editor.shutdown(), 0);
    } finally {
      await editor.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
