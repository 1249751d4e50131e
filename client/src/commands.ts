// The "CRI:" commands. Each asks the language server (lsp/protocol.ts) and shows the answer; nothing is
// computed here.

import {
  commands, ConfigurationTarget, EventEmitter, Position, QuickPickItemKind, Range, Selection, TextEditorRevealType, Uri, ViewColumn,
  window, workspace,
  type Disposable, type ExtensionContext, type LogOutputChannel, type QuickPickItem, type TextDocumentContentProvider,
} from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  BaselinesRequestMethod, HistoryRequestMethod, REVEAL_POSITION_COMMAND, RulesRequestMethod,
  type BaselinesParams, type BaselinesResult, type HistoryParams, type HistoryResult, type RuleInfo, type RulesResult,
} from '../../server/src/lsp/protocol';
import type { ReportView } from './report';
import type { CriStatusBar } from './statusBar';

export const COMMANDS = {
  showReport: 'criCompat.showReport',
  exportReport: 'criCompat.exportReport',
  selectBaseline: 'criCompat.selectBaseline',
  explainRule: 'criCompat.explainRule',
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

  add(element: string | undefined, text: string): Uri {
    const name = (element ?? 'runtime.v1').replace(/[^\w.-]/g, '_');
    const uri = Uri.from({ scheme: HISTORY_SCHEME, path: `/${name}.txt`, query: String(++this.counter) });
    this.texts.set(uri.toString(), text);
    if (this.texts.size > 20) this.texts.delete(this.texts.keys().next().value!);
    return uri;
  }

  provideTextDocumentContent(uri: Uri): string {
    return this.texts.get(uri.toString()) ?? 'This history is no longer available; run "CRI: Show History of Element at Cursor" again.';
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

function runningClient(deps: CommandDeps): LanguageClient | undefined {
  const c = deps.client();
  if (c?.isRunning()) return c;
  void window.showWarningMessage('CRI Compatibility: the language server is not running. Run "CRI: Restart Language Server".');
  return undefined;
}

/** The proto document a command is about: the active proto editor, else the open report's, else the last one. */
function targetUri(deps: CommandDeps): string | undefined {
  const active = window.activeTextEditor;
  if (active?.document.languageId === 'proto') return active.document.uri.toString();
  const uri = deps.report.reportUri ?? deps.statusBar.lastProtoUri;
  if (uri && workspace.textDocuments.some((d) => d.uri.toString() === uri)) return uri;
  void window.showInformationMessage('CRI Compatibility: open a .proto file (the CRI api.proto) first.');
  return undefined;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function registerCommands(context: ExtensionContext, deps: CommandDeps): void {
  const history = new HistoryDocuments();
  context.subscriptions.push(
    history,
    workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, history),
    commands.registerCommand(COMMANDS.showReport, async () => {
      const uri = targetUri(deps);
      if (uri) await deps.report.show(uri);
    }),
    commands.registerCommand(COMMANDS.exportReport, async () => {
      const uri = targetUri(deps);
      if (!uri) return;
      const md = await deps.report.markdown(uri);
      if (md === undefined) return;
      const doc = await workspace.openTextDocument({ language: 'markdown', content: md });
      await window.showTextDocument(doc, { preview: false });
    }),
    commands.registerCommand(COMMANDS.selectBaseline, () => selectBaseline(deps)),
    commands.registerCommand(COMMANDS.explainRule, (ruleId?: unknown) => explainRule(deps, typeof ruleId === 'string' ? ruleId : undefined)),
    commands.registerCommand(COMMANDS.showHistory, () => showHistory(deps, history)),
    commands.registerCommand(COMMANDS.revealPosition, (uri?: unknown, line?: unknown, character?: unknown) => revealPosition(deps, uri, line, character)),
  );
}

// ---- Select Baseline… ------------------------------------------------------------------------------------

interface BaselineItem extends QuickPickItem {
  value?: string;
  fromFile?: boolean;
}

async function selectBaseline(deps: CommandDeps): Promise<void> {
  const c = runningClient(deps);
  if (!c) return;
  const active = window.activeTextEditor?.document;
  const uri = active?.languageId === 'proto' ? active.uri.toString() : deps.statusBar.lastProtoUri;
  let res: BaselinesResult;
  try {
    res = await c.sendRequest<BaselinesResult>(BaselinesRequestMethod, (uri ? { uri } : {}) satisfies BaselinesParams);
  } catch (e) {
    deps.output.error(`Listing the baselines failed: ${errorText(e)}`);
    void window.showErrorMessage('CRI Compatibility: listing the baselines failed. See the "CRI Compatibility" output.');
    return;
  }
  const scope = uri ? Uri.parse(uri) : undefined;
  const configured = (workspace.getConfiguration('criCompat', scope).get<string>('baseline') ?? '').trim();
  const current = res.current;
  const items: BaselineItem[] = [
    {
      label: '$(sync) Automatic',
      description: configured === '' ? 'current setting' : '',
      detail: 'The newest release: git tags of a cri-api or kubernetes clone, else the bundled release index, the Go module cache or vendor/.' +
        (configured === '' && current ? ` Now: ${current.tag} from ${current.origin}.` : ''),
      value: '',
    },
    { label: '$(file) From file…', detail: 'Compare with an api.proto file of your choice.', fromFile: true },
    { label: 'Releases', kind: QuickPickItemKind.Separator },
    ...res.releases.map((r): BaselineItem => ({
      label: r.tag,
      description: [`Kubernetes ${r.kubernetes}`, r.prerelease ? 'pre-release' : '', r.date ?? '', r.tag === configured ? 'current setting' : '']
        .filter(Boolean).join(' · '),
      value: r.tag,
    })),
  ];
  const pick = await window.showQuickPick(items, {
    title: 'CRI: Select Baseline',
    placeHolder: current ? `Compared with ${current.tag} (${current.origin}). Pick the release to compare with.` : 'Pick the release to compare with.',
    matchOnDescription: true,
    matchOnDetail: false,
  });
  if (!pick) return;
  let value = pick.value;
  if (pick.fromFile) {
    const files = await window.showOpenDialog({
      canSelectMany: false, canSelectFolders: false, openLabel: 'Use as Baseline', title: 'CRI: Baseline api.proto',
      filters: { 'Protocol Buffers': ['proto'] },
    });
    if (!files?.length) return;
    value = files[0]!.fsPath;
  }
  if (value === undefined) return;
  const target = workspace.workspaceFolders?.length ? ConfigurationTarget.Workspace : ConfigurationTarget.Global;
  try {
    await workspace.getConfiguration('criCompat', scope).update('baseline', value === '' ? undefined : value, target);
  } catch (e) {
    deps.output.error(`Writing criCompat.baseline failed: ${errorText(e)}`);
    void window.showErrorMessage(`CRI Compatibility: writing criCompat.baseline failed: ${errorText(e)}`);
    return;
  }
  deps.output.info(`criCompat.baseline set to ${value === '' ? 'automatic' : JSON.stringify(value)} in ${target === ConfigurationTarget.Workspace ? 'workspace' : 'user'} settings.`);
  if (!workspace.isTrusted && target === ConfigurationTarget.Workspace) {
    void window.showWarningMessage('CRI Compatibility: this workspace is not trusted, so VS Code ignores its criCompat.baseline setting until you trust it.');
  }
}

// ---- Explain Rule… ---------------------------------------------------------------------------------------

async function explainRule(deps: CommandDeps, ruleId: string | undefined): Promise<void> {
  const c = runningClient(deps);
  if (!c) return;
  let rules: RulesResult;
  try {
    rules = await c.sendRequest<RulesResult>(RulesRequestMethod);
  } catch (e) {
    deps.output.error(`Listing the rules failed: ${errorText(e)}`);
    return;
  }
  let rule: RuleInfo | undefined = ruleId ? rules.find((r) => r.id === ruleId) : undefined;
  if (!rule) {
    const pick = await window.showQuickPick(
      rules.map((r) => ({ label: r.id, description: `${r.category} · ${r.severity}`, detail: r.title, rule: r })),
      { title: 'CRI: Explain Rule', placeHolder: 'Pick a rule to read why it exists', matchOnDescription: true, matchOnDetail: true },
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
    void window.showInformationMessage('CRI Compatibility: put the cursor on a message, field, enum value or RPC in a .proto file.');
    return;
  }
  const p = editor.selection.active;
  let res: HistoryResult;
  try {
    res = await c.sendRequest<HistoryResult>(HistoryRequestMethod, {
      uri: editor.document.uri.toString(), position: { line: p.line, character: p.character },
    } satisfies HistoryParams);
  } catch (e) {
    deps.output.error(`The history request failed: ${errorText(e)}`);
    return;
  }
  deps.output.info(`History of ${res.element ?? 'the API'}${res.ok ? '' : ' (not in the release history)'}.`);
  const uri = history.add(res.element, res.text + '\n');
  const doc = await workspace.openTextDocument(uri);
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
  const doc = await workspace.openTextDocument(target);
  const pos = doc.validatePosition(new Position(Math.max(0, line as number), Math.max(0, character as number)));
  const visible = window.visibleTextEditors.find((e) => e.document.uri.toString() === doc.uri.toString());
  const editor = await window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? ViewColumn.One, preserveFocus: false, preview: false });
  editor.selection = new Selection(pos, pos);
  editor.revealRange(new Range(pos, pos), TextEditorRevealType.InCenterIfOutsideViewport);
}
