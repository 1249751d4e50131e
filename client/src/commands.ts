// The "CRI:" commands. Each asks the language server (lsp/protocol.ts) and shows the answer; nothing is
// computed here.

import {
  commands, ConfigurationTarget, EventEmitter, l10n, languages, Position, ProgressLocation, QuickPickItemKind, Range, Selection, TextEditorRevealType, Uri, ViewColumn,
  window, workspace,
  type Disposable, type ExtensionContext, type LogOutputChannel, type QuickPickItem, type TextDocument, type TextDocumentContentProvider,
  type WorkspaceFolder,
} from 'vscode';
import { homedir } from 'node:os';
import { posix } from 'node:path';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  BaselinesRequestMethod, EXPLAIN_RULE_COMMAND, HistoryRequestMethod, REVEAL_POSITION_COMMAND, RulesRequestMethod,
  type BaselinesParams, type BaselinesResult, type HistoryParams, type HistoryResult, type RuleInfo, type RulesParams, type RulesResult,
} from '../../server/src/lsp/protocol';
import {
  baselineInSettingsFileAt, baselineKind, baselinePathSetting, baselinePickTitle, describeLevel, effectiveBaseline, planBaselineWrite, type BaselineValues, type Level, type Place,
} from './baselineSetting';
import { defaultReportPath, writeFileAtomically } from './exportFile';
import { exportableMarkdown, mayReveal } from './links';
import { notificationText } from '../../server/src/lsp/notificationText';
import { showErrorWithOutput, showOutputLabel } from './notify';
import { baselinePickTexts, HISTORY_LANGUAGE, PRODUCT_NAME, rulePickDescription } from './render';
import type { ReportView } from './report';
import type { CriStatusBar } from './statusBar';

const N = PRODUCT_NAME;

export const COMMANDS = {
  showReport: 'criCompat.showReport',
  exportReport: 'criCompat.exportReport',
  selectBaseline: 'criCompat.selectBaseline',
  explainRule: EXPLAIN_RULE_COMMAND,
  showHistory: 'criCompat.showHistory',
  revealPosition: REVEAL_POSITION_COMMAND,
  restartServer: 'criCompat.restartServer',
} as const;

export const HISTORY_SCHEME = 'cri-compat-history';

export interface CommandDeps {
  client(): LanguageClient | undefined;
  output: LogOutputChannel;
  statusBar: CriStatusBar;
  report: ReportView;
}

/** Read-only documents for "Show History of Element at Cursor". */
class HistoryDocuments implements TextDocumentContentProvider, Disposable {
  private readonly texts = new Map<string, string>();
  private readonly emitter = new EventEmitter<Uri>();
  readonly onDidChange = this.emitter.event;
  private counter = 0;

  /** `subject`: the element or package the text is about, which names the document. */
  add(subject: string | undefined, text: string): Uri {
    const name = (subject ?? 'history').replace(/[^\w.-]/g, '_');
    const uri = Uri.from({ scheme: HISTORY_SCHEME, path: `/${name}.txt`, query: String(++this.counter) });
    this.texts.set(uri.toString(), text);
    if (this.texts.size > 20) this.texts.delete(this.texts.keys().next().value!);
    return uri;
  }

  provideTextDocumentContent(uri: Uri): string {
    return this.texts.get(uri.toString()) ?? l10n.t('This history is no longer available; run "CRI: Show History of Element at Cursor" again.');
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

function runningClient(deps: CommandDeps): LanguageClient | undefined {
  const c = deps.client();
  if (c?.isRunning()) return c;
  void window.showWarningMessage(l10n.t('{0}: the language server is not running. Run "CRI: Restart Language Server".', N));
  return undefined;
}

/**
 * The proto document a command is about: the active proto editor, else the open report's (the palette offers
 * the commands while the report is active), else the last one; undefined when none of them is open.
 */
function documentUri(deps: CommandDeps): string | undefined {
  const active = window.activeTextEditor;
  if (active?.document.languageId === 'proto') return active.document.uri.toString();
  const uri = deps.report.reportUri ?? deps.statusBar.lastProtoUri;
  return uri && workspace.textDocuments.some((d) => d.uri.toString() === uri) ? uri : undefined;
}

/** A command's argument when it is the URI of an open proto document (as editor/title menus pass it). */
function openProtoUri(resource: unknown): string | undefined {
  if (!(resource instanceof Uri)) return undefined;
  const uri = resource.toString();
  return workspace.textDocuments.some((d) => d.uri.toString() === uri && d.languageId === 'proto') ? uri : undefined;
}

/** documentUri, or a message that there is none. */
function targetUri(deps: CommandDeps): string | undefined {
  const uri = documentUri(deps);
  if (!uri) void window.showInformationMessage(l10n.t('{0}: open a .proto file (the CRI api.proto) first.', N));
  return uri;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Logs a failure (`what`, in English) and shows `message`, which points to the output channel. */
function failed(deps: CommandDeps, what: string, e: unknown, message: string): void {
  deps.output.error(`${what} failed: ${errorText(e)}`);
  void showErrorWithOutput(deps.output, message);
}

export function registerCommands(context: ExtensionContext, deps: CommandDeps): void {
  const history = new HistoryDocuments();
  context.subscriptions.push(
    history,
    workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, history),
    // From an editor's title bar VS Code passes that editor's file, which need not be the active editor's: the
    // button of another editor group.
    commands.registerCommand(COMMANDS.showReport, async (resource?: unknown) => {
      const uri = openProtoUri(resource) ?? targetUri(deps);
      if (uri) await deps.report.show(uri);
    }),
    commands.registerCommand(COMMANDS.exportReport, () => exportReport(deps)),
    commands.registerCommand(COMMANDS.selectBaseline, () => selectBaseline(deps)),
    commands.registerCommand(COMMANDS.explainRule, (ruleId?: unknown) => explainRule(deps, typeof ruleId === 'string' ? ruleId : undefined)),
    commands.registerCommand(COMMANDS.showHistory, () => showHistory(deps, history)),
    commands.registerCommand(COMMANDS.revealPosition, (uri?: unknown, line?: unknown, character?: unknown) => revealPosition(deps, uri, line, character)),
  );
}

// ---- a baseline that cannot be used ----------------------------------------------------------------------

/** The server's criCompat/baselineWarning, with the ways to fix it. */
export async function showBaselineWarning(output: LogOutputChannel, message: string): Promise<void> {
  const select = l10n.t('Select Baseline…');
  const settings = l10n.t('Open Settings');
  const log = showOutputLabel();
  const pick = await window.showWarningMessage(notificationText(message), select, settings, log);
  if (pick === select) await commands.executeCommand(COMMANDS.selectBaseline);
  else if (pick === settings) await commands.executeCommand('workbench.action.openSettings', 'criCompat.baseline');
  else if (pick === log) output.show(true);
}

// ---- Export Compatibility Report as Markdown ---------------------------------------------------------------

/**
 * Resolves once the document's baseline is no longer being looked for (git in a big clone, the Go module proxy: it
 * can take a while), with a notification saying so that Cancel ends: true to go on, false when cancelled. A file
 * saved meanwhile would hold no comparison at all, only that the baseline was still being looked for.
 */
function baselineSettled(deps: CommandDeps, uri: string, title: string): Thenable<boolean> {
  if (!deps.statusBar.status(uri)?.resolving) return Promise.resolve(true);
  return window.withProgress({ location: ProgressLocation.Notification, title, cancellable: true }, (_progress, token) =>
    new Promise<boolean>((resolve) => {
      const subscriptions: Disposable[] = [];
      const done = (go: boolean): void => {
        for (const d of subscriptions) d.dispose();
        resolve(go);
      };
      subscriptions.push(
        deps.statusBar.onDidUpdate((s) => {
          if (s.uri === uri && !s.resolving) done(true);
        }),
        // Closed meanwhile: the report request then says to open it.
        workspace.onDidCloseTextDocument((d) => {
          if (d.uri.toString() === uri) done(true);
        }),
        token.onCancellationRequested(() => done(false)),
      );
      // The status may have come between the check above and the listeners.
      if (!deps.statusBar.status(uri)?.resolving) done(true);
    }));
}

async function exportReport(deps: CommandDeps): Promise<void> {
  const uri = targetUri(deps);
  if (!uri) return;
  if (!(await baselineSettled(deps, uri, l10n.t('{0}: finding the baseline to compare with before exporting the report…', N)))) {
    deps.output.info(`Export of the report of ${uri} cancelled while the baseline was being looked for.`);
    return;
  }
  const md = await deps.report.markdown(uri);
  if (md === undefined) return;
  const doc = Uri.parse(uri);
  const folder = workspace.getWorkspaceFolder(doc)?.uri;
  const folderPath = folder?.scheme === 'file' ? folder.fsPath : undefined;
  // The line links run a VS Code command with the file's absolute URI: plain line numbers outside it, and
  // local paths shortened. The rule links run Explain Rule: their policy pages instead.
  const content = exportableMarkdown(md, { ...(folderPath ? { folder: folderPath } : {}), home: homedir() }, await ruleLinks(deps));
  const anyFolder = workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
  const suggested = defaultReportPath({ ...(doc.scheme === 'file' ? { file: doc.fsPath } : {}), name: posix.basename(doc.path) }, folderPath ?? anyFolder, homedir());
  const target = await window.showSaveDialog({
    defaultUri: Uri.file(suggested),
    filters: { [l10n.t('Markdown')]: ['md'] },
    saveLabel: l10n.t('Export'),
    title: l10n.t('CRI: Export Compatibility Report as Markdown'),
  });
  if (!target) return;
  const shown = target.scheme === 'file' ? target.fsPath : target.toString();
  try {
    if (target.scheme === 'file') await writeFileAtomically(target.fsPath, content);
    else await workspace.fs.writeFile(target, new TextEncoder().encode(content));
  } catch (e) {
    failed(deps, `Writing the report to ${shown}`, e, l10n.t('{0}: writing the report to {1} failed: {2}', N, shown, errorText(e)));
    return;
  }
  deps.output.info(`Exported the report of ${doc.toString()} to ${shown}.`);
  const open = l10n.t('Open');
  if (await window.showInformationMessage(notificationText(l10n.t('{0}: the report was saved to {1}.', N, shown)), open) === open) {
    await window.showTextDocument(target, { preview: false });
  }
}

// ---- Select Baseline… ------------------------------------------------------------------------------------

interface BaselineItem extends QuickPickItem {
  value?: string;
  fromFile?: boolean;
}

const TARGETS: Record<Level, ConfigurationTarget> = {
  user: ConfigurationTarget.Global,
  workspace: ConfigurationTarget.Workspace,
  folder: ConfigurationTarget.WorkspaceFolder,
};

/** Where the document is, for baselineSetting.ts. */
function placeOf(scope: Uri | undefined): Place {
  const folder = scope ? workspace.getWorkspaceFolder(scope) : undefined;
  return {
    hasWorkspace: !!workspace.workspaceFolders?.length || workspace.workspaceFile !== undefined,
    workspaceFile: workspace.workspaceFile !== undefined,
    ...(folder ? { folderName: folder.name } : {}),
    trusted: workspace.isTrusted,
  };
}

function baselineValues(scope: Uri | undefined): BaselineValues {
  const i = workspace.getConfiguration('criCompat', scope ?? null).inspect<string>('baseline');
  return { user: i?.globalValue, workspace: i?.workspaceValue, folder: i?.workspaceFolderValue };
}

/** What the workspace's settings files set, which inspect() does not report while the workspace is untrusted. */
async function untrustedWorkspaceValues(scope: Uri | undefined): Promise<BaselineValues> {
  const read = async (file: Uri | undefined, inWorkspaceFile: boolean): Promise<unknown> =>
    file?.scheme === 'file' ? baselineInSettingsFileAt(file.fsPath, inWorkspaceFile) : undefined;
  const settingsOf = (folder: WorkspaceFolder | undefined): Uri | undefined => folder && Uri.joinPath(folder.uri, '.vscode', 'settings.json');
  const wsFile = workspace.workspaceFile;
  // In a single-folder window the folder's settings are the workspace settings (placeOf, applicableLevels).
  if (!wsFile) return { workspace: await read(settingsOf(workspace.workspaceFolders?.[0]), false) };
  return {
    workspace: await read(wsFile, true),
    folder: await read(settingsOf(scope ? workspace.getWorkspaceFolder(scope) : undefined), false),
  };
}

async function selectBaseline(deps: CommandDeps): Promise<void> {
  const c = runningClient(deps);
  if (!c) return;
  // With no document, the choice is saved for the window (the workspace or user settings).
  const uri = documentUri(deps);
  let res: BaselinesResult;
  try {
    res = await c.sendRequest<BaselinesResult>(BaselinesRequestMethod, (uri ? { uri } : {}) satisfies BaselinesParams);
  } catch (e) {
    failed(deps, 'Listing the baselines', e, l10n.t('{0}: listing the baselines failed. See the "{0}" output.', N));
    return;
  }
  const scope = uri ? Uri.parse(uri) : undefined;
  const place = placeOf(scope);
  const values = baselineValues(scope);
  const { level: setAt, value: configured } = effectiveBaseline(values, place);
  const currentNote = setAt ? l10n.t('current setting, in {0}', describeLevel(setAt, place)) : l10n.t('current setting');
  const current = res.current;
  const kind = baselineKind(configured);
  const currentTag = kind.kind === 'release' ? kind.tag : undefined;
  const listed = currentTag !== undefined && res.releases.some((r) => r.tag === currentTag);
  const texts = baselinePickTexts(current, kind.kind === 'automatic');
  const items: BaselineItem[] = [
    {
      label: `$(sync) ${l10n.t('Automatic')}`,
      description: kind.kind === 'automatic' ? currentNote : '',
      detail: texts.automaticDetail,
      value: '',
    },
    {
      label: `$(file) ${l10n.t('From file…')}`,
      description: kind.kind === 'file' ? `${currentNote}: ${configured}` : '',
      detail: l10n.t('Compare with an api.proto file of your choice.'),
      fromFile: true,
    },
    // A git ref, or a tag the bundled index does not list (e.g. from the Go module cache): kept selectable.
    ...(kind.kind === 'ref' || (currentTag !== undefined && !listed)
      ? [{ label: `$(git-commit) ${configured}`, description: currentNote, detail: kind.kind === 'ref' ? l10n.t('A git ref of the clone holding the file.') : l10n.t('A release the bundled index does not list.'), value: configured }]
      : []),
    { label: l10n.t('Releases'), kind: QuickPickItemKind.Separator },
    ...res.releases.map((r): BaselineItem => ({
      label: r.tag,
      description: [l10n.t('Kubernetes {0}', r.kubernetes), r.prerelease ? l10n.t('pre-release') : '', r.date ?? '', r.tag === currentTag ? currentNote : '']
        .filter(Boolean).join(' · '),
      value: r.tag,
    })),
  ];
  const pick = await window.showQuickPick(items, {
    title: baselinePickTitle(place.trusted === false ? { ...values, ...(await untrustedWorkspaceValues(scope)) } : values, place),
    placeHolder: texts.placeholder,
    matchOnDescription: true,
    matchOnDetail: false,
    // Run from the palette while the report is active, the picker opens just as VS Code hands the focus back to
    // the report's webview, which takes it a moment later (a delayed focus, microsoft/vscode#75209): a picker
    // that closed on focus loss would vanish as it opened. Kept open, it also lets one read the report meanwhile.
    ignoreFocusOut: true,
  });
  if (!pick) return;
  let value = pick.value;
  if (pick.fromFile) {
    const files = await window.showOpenDialog({
      canSelectMany: false, canSelectFolders: false, openLabel: l10n.t('Use as Baseline'), title: l10n.t('CRI: Baseline api.proto'),
      filters: { [l10n.t('Protocol Buffers')]: ['proto'] },
    });
    if (!files?.length) return;
    const file = files[0]!;
    // Relative to the document's folder when inside it and not saved for every window (baselinePathSetting): the
    // server resolves relative paths against it, and the settings file then works in every clone of the repository.
    const folder = scope ? workspace.getWorkspaceFolder(scope) : undefined;
    value = baselinePathSetting(file.fsPath, file.scheme === 'file' && folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined, placeOf(scope));
  }
  if (value === undefined) return;
  await writeBaseline(deps, scope, value);
}

/** Writes the pick where it decides the document's baseline, checks that it does, and says where it went. */
async function writeBaseline(deps: CommandDeps, scope: Uri | undefined, value: string): Promise<void> {
  const place = placeOf(scope);
  const plan = planBaselineWrite(value, baselineValues(scope), place);
  const where = describeLevel(plan.level, place);
  try {
    await workspace.getConfiguration('criCompat', scope ?? null).update('baseline', plan.value, TARGETS[plan.level]);
  } catch (e) {
    deps.output.error(`Writing criCompat.baseline failed: ${errorText(e)}`);
    void window.showErrorMessage(notificationText(l10n.t('{0}: writing criCompat.baseline in {1} failed: {2}', N, where, errorText(e))));
    return;
  }
  const shown = value === '' ? l10n.t('automatic') : JSON.stringify(value);
  const written = plan.value === undefined ? 'removed from' : `set to ${JSON.stringify(plan.value)} in`;
  deps.output.info(`Baseline ${shown}: criCompat.baseline ${written} ${where}` +
    (plan.shadows ? `; for this file it overrides ${JSON.stringify(plan.shadows.value)} in ${describeLevel(plan.shadows.level, place)}.` : '.'));
  // What the document gets now: a level this command does not write (a language-specific value, a policy) may
  // still decide it.
  const effective = (workspace.getConfiguration('criCompat', scope ?? null).get<string>('baseline') ?? '').trim();
  if (effective !== value.trim()) {
    const after = effectiveBaseline(baselineValues(scope), place);
    const by = after.value === effective && after.level ? describeLevel(after.level, place) : l10n.t('another setting (a language-specific one or a policy)');
    deps.output.warn(`criCompat.baseline is still ${JSON.stringify(effective)} for ${scope?.toString() ?? 'this window'}, from ${by}.`);
    void window.showWarningMessage(notificationText(l10n.t('{0}: the baseline {1} was saved in {2}, but {3} still sets criCompat.baseline to {4} for this file. Change or remove it there.', N, shown, where, by, JSON.stringify(effective))));
  }
}

/** Each rule's policy page by rule id; none when the server cannot list them (the export then names the rules). */
async function ruleLinks(deps: CommandDeps): Promise<Map<string, string>> {
  try {
    const rules = await deps.client()?.sendRequest<RulesResult>(RulesRequestMethod);
    return new Map((rules ?? []).flatMap((r) => (r.link ? [[r.id, r.link] as const] : [])));
  } catch (e) {
    deps.output.warn(`Listing the rules for the exported report failed: ${errorText(e)}`);
    return new Map();
  }
}

// ---- Explain Rule… ---------------------------------------------------------------------------------------

async function explainRule(deps: CommandDeps, ruleId: string | undefined): Promise<void> {
  const c = runningClient(deps);
  if (!c) return;
  let rules: RulesResult;
  try {
    // Where a .proto file or a folder is open, each rule comes with its severity there (settings, .cri-compat.json):
    // the file the other commands are about (from the report's rule links, and from the palette while the report is
    // active, the report's, whose folder may set other severities than the first one of a multi-root window).
    const uri = documentUri(deps) ?? workspace.workspaceFolders?.[0]?.uri.toString();
    rules = await c.sendRequest<RulesResult>(RulesRequestMethod, (uri ? { uri } : {}) satisfies RulesParams);
  } catch (e) {
    failed(deps, 'Listing the rules', e, l10n.t('{0}: listing the rules failed. See the "{0}" output.', N));
    return;
  }
  let rule: RuleInfo | undefined = ruleId ? rules.find((r) => r.id === ruleId) : undefined;
  if (!rule) {
    const pick = await window.showQuickPick(
      rules.map((r) => ({ label: r.id, description: rulePickDescription(r), detail: r.title, rule: r })),
      // Kept open when the focus moves, as Select Baseline's picker is: run from the palette while the report or the
      // rule panel is active, the webview takes the focus back just after the picker opens.
      { title: l10n.t('CRI: Explain Rule'), placeHolder: l10n.t('Pick a rule to read why it exists'), matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
    );
    rule = pick?.rule;
  }
  if (rule) deps.report.showRule(rule);
}

// ---- Show History of Element at Cursor -------------------------------------------------------------------

async function showHistory(deps: CommandDeps, history: HistoryDocuments): Promise<void> {
  const c = runningClient(deps);
  if (!c) return;
  const editor = window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'proto') {
    void window.showInformationMessage(l10n.t('{0}: put the cursor on a message, field, enum value or RPC in a .proto file.', N));
    return;
  }
  const p = editor.selection.active;
  let res: HistoryResult;
  try {
    res = await c.sendRequest<HistoryResult>(HistoryRequestMethod, {
      uri: editor.document.uri.toString(), position: { line: p.line, character: p.character },
    } satisfies HistoryParams);
  } catch (e) {
    failed(deps, 'The history request', e, l10n.t('{0}: the history request failed. See the "{0}" output.', N));
    return;
  }
  deps.output.info(`History of ${res.element ?? (res.package !== undefined ? `package ${res.package}` : 'the API')}${res.ok ? '' : ' (not in the release history)'}.`);
  const uri = history.add(res.element ?? res.package, res.text + '\n');
  const doc = await languages.setTextDocumentLanguage(await workspace.openTextDocument(uri), HISTORY_LANGUAGE);
  await window.showTextDocument(doc, { viewColumn: ViewColumn.Beside, preview: true, preserveFocus: false });
}

// ---- report links ----------------------------------------------------------------------------------------

async function revealPosition(deps: CommandDeps, uri: unknown, line: unknown, character: unknown): Promise<void> {
  if (typeof uri !== 'string' || !Number.isInteger(line) || !Number.isInteger(character)) {
    deps.output.warn('criCompat.revealPosition: expected (uri, line, character).');
    return;
  }
  let target: Uri;
  try {
    target = Uri.parse(uri, true);
  } catch {
    deps.output.warn(`criCompat.revealPosition: not a URI: ${uri}`);
    return;
  }
  const open = workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
  if (!mayReveal(target.toString(), open !== undefined)) {
    deps.output.warn(`criCompat.revealPosition: refused ${target.toString()}: only files and open documents are shown.`);
    void window.showErrorMessage(notificationText(target.scheme === 'untitled'
      ? l10n.t('{0}: cannot show "{1}": it is no longer open.', N, target.path)
      : l10n.t("{0}: cannot show {1}: the report's links open only files and open documents.", N, target.toString())));
    return;
  }
  let doc: TextDocument;
  try {
    doc = open ?? await workspace.openTextDocument(target);
  } catch (e) {
    const name = target.scheme === 'file' ? target.fsPath : target.toString();
    deps.output.error(`criCompat.revealPosition: opening ${name} failed: ${errorText(e)}`);
    void window.showErrorMessage(notificationText(l10n.t('{0}: cannot open {1}: {2}', N, name, errorText(e))));
    return;
  }
  const pos = doc.validatePosition(new Position(Math.max(0, line as number), Math.max(0, character as number)));
  const visible = window.visibleTextEditors.find((e) => e.document.uri.toString() === doc.uri.toString());
  const editor = await window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? ViewColumn.One, preserveFocus: false, preview: false });
  editor.selection = new Selection(pos, pos);
  editor.revealRange(new Range(pos, pos), TextEditorRevealType.InCenterIfOutsideViewport);
}
