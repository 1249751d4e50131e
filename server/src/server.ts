// LSP wiring only: capabilities, documents, settings, debounced validation, background baseline resolution
// and request routing. Everything a request answers comes from service.ts and features/; conversions to LSP
// live in lsp/convert.ts and lsp/codeActions.ts; the custom protocol is declared in lsp/protocol.ts.

import * as path from 'node:path';
import * as os from 'node:os';
import * as fs from 'node:fs';
import {
  createConnection, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, ErrorCodes, LSPErrorCodes, MessageType, ProposedFeatures,
  FileChangeType, ResponseError, ShowMessageNotification,
  TextDocuments, TextDocumentSyncKind, WatchKind,
  type CancellationToken, type ClientCapabilities, type InitializeParams, type InitializeResult, type Location,
  type SymbolInformation, type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, analyzeBound, type Analysis } from './service';
import type { Baseline } from './baseline/types';
import { loadBundledHistory, type IndexedHistory } from './baseline/historyIndex';
import { historyQuery } from './baseline/historyCommand';
import { goFileStamp } from './baseline/goModSource';
import { layerSeverities, overriddenSeverity, type SeveritySetting } from './compat/check';
import { CONFIG_FILE, readConfigFile } from './compat/configFile';
import { RULES, RULES_BY_ID, ruleHelpLink } from './compat/rules';
import { elementPolicyHover, findingsExplanation, releasedCounterpart } from './features/policyHover';
import { notCriApi } from './compat/criFile';
import { renderReport } from './report/markdown';
import { getDocumentSymbols } from './features/symbols';
import { findDefinition, findReferences, type FileContext } from './features/navigation';
import { doHover } from './features/hover';
import { getCompletions } from './features/completion';
import { markdownToPlainText } from './features/plainText';
import { getFoldingRanges } from './features/folding';
import { elementChainAt, isValidPosition, targetAt } from './features/positions';
import type { DocumentSymbol } from './features/types';
import { parse } from './proto/parser';
import { reparse } from './proto/reparse';
import { bind } from './proto/binder';
import { counted } from './plural';
import { DEFAULT_SETTINGS, normalizeSettings, type Settings } from './lsp/settings';
import type { ApiModel } from './proto/model';
import { toDiagnostics, type DiagnosticSupport } from './lsp/convert';
import { notificationText } from './lsp/notificationText';
import { FsImportResolver, fileStamp, fsPathOf, isInside } from './lsp/importResolver';
import { creationWatchers } from './lsp/creationWatchers';
import { WorkspaceProtoFiles } from './lsp/workspaceFiles';
import { BaselineManager, GO_MODULE_FILES, isGoModuleFile, type BaselineAnswer, type ProgressHandle } from './lsp/baselines';
import { APPLY_FIX_COMMAND, applyFixArguments, asCommands, codeActions, findingsAt, FIX_ALL_KIND, QUICKFIX_KIND } from './lsp/codeActions';
import {
  BaselinesRequestMethod, BaselineWarningNotificationMethod, HistoryRequestMethod, ReportRequestMethod, RulesRequestMethod, StatusNotificationMethod,
  TrustChangedNotificationMethod, explainRuleUri, revealPositionLinks,
  type BaselineInfo, type BaselineWarningParams, type BaselinesParams, type BaselinesResult, type CriInitializationOptions, type HistoryParams,
  type HistoryResult, type ReportParams, type ReportResult, type RulesParams, type RulesResult, type StatusParams, type TrustChangedParams,
} from './lsp/protocol';

const MAX_DIAGNOSTICS = 1000;
const MAX_WORKSPACE_SYMBOLS = 500;

// ---- connection and state ------------------------------------------------------------------------------

const connection = createConnection(ProposedFeatures.all);
// A didOpen without text (a client's bug) opens an empty document, not one whose every analysis throws.
const documents = new TextDocuments({
  create: (uri, languageId, version, text) => TextDocument.create(uri, languageId, version, typeof text === 'string' ? text : ''),
  update: TextDocument.update,
});

let hasConfiguration = false;
let hasDynamicConfigurationRegistration = false;
let hasWatchedFilesRegistration = false;
/** The client takes relative patterns (`{ baseUri, pattern }`) for file watchers (LSP 3.17). */
let relativePatternSupport = false;
let hasWorkspaceFolderChanges = false;
let hierarchicalSymbols = true;
let markdownHover = true;
let markdownCompletion = true;
let foldingRangeLimit: number | undefined;
let diagnosticSupport: DiagnosticSupport = { relatedInformation: false, codeDescription: false };
let documentChangesSupport = false;
/** Workspace trust, from `initializationOptions.trusted` and `criCompat/trustChanged`. Untrusted: no git, no network. */
let trusted = false;
let cacheDir: string | undefined;
/** `initializationOptions.baselineWarnings`: the client shows baseline warnings itself, with actions. */
let baselineWarnings = false;
let folders: WorkspaceFolder[] = [];
/** Settings pushed by clients without `workspace/configuration`. */
let globalSettings: Settings = DEFAULT_SETTINGS;

/** Settings per document, asked once and kept until the document closes or the configuration changes. */
const documentSettings = new Map<string, Promise<Settings>>();

/** An analysis with the exact text and version it was computed from. */
interface Snapshot {
  version: number;
  text: string;
  result: Analysis;
}

interface DocState {
  timer?: ReturnType<typeof setTimeout>;
  /** Bumped by every change and by close: a validation that sees another number was superseded. */
  generation: number;
  /**
   * `deps`: the files whose change on disk or in the editor may change the analysis (imports and where they
   * were looked for); `stamps`: what each of them was on disk when looked at (fileStamp), for the changes no
   * file event reports (see "imports that no file event reports").
   */
  analysis?: Snapshot & { deps: Set<string>; stamps: Map<string, string>; baseline: Baseline | undefined; severityKey: string };
  /** Is the document a CRI API file (package `runtime.v1`), as of its last analysis? */
  isCri?: boolean;
  /** Where its last analysis looked for imports and found nothing, kept while a new one is pending (watchCreations). */
  missing?: string[];
  /** The baseline resolution the document's analysis used, and whether it was still running. */
  baselineKey?: string;
  resolving?: boolean;
}
const states = new Map<string, DocState>();
const workspaceFiles = new WorkspaceProtoFiles();

function stateOf(uri: string): DocState {
  let s = states.get(uri);
  if (!s) states.set(uri, (s = { generation: 0 }));
  return s;
}

function log(message: string, e?: unknown): void {
  const detail = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : e === undefined ? '' : String(e);
  connection.console.error(detail ? `${message}: ${detail}` : message);
}

/**
 * Things worth saying once per session in the output channel (e.g. the same bad setting). `situation` says what
 * counts as the same, when the message names more (the first file it was seen in, say).
 */
const loggedOnce = new Set<string>();
function logOnce(message: string, situation = message): boolean {
  if (loggedOnce.has(situation)) return false;
  loggedOnce.add(situation);
  connection.console.warn(message);
  return true;
}

/**
 * A warning shown to the user (window/showMessage), for what they configured and the server does not use as
 * written: said only in the output, a typo in a rule id or a team's .cri-compat.json went unnoticed.
 */
function showWarning(message: string): void {
  void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: notificationText(message) })
    .catch((e: unknown) => log('showing a message failed', e));
}

/**
 * Severities from the workspace folder's `.cri-compat.json` (the file the CLI reads too), re-read when it
 * changes on disk. Settings win over the file. Problems are logged once and the file is then ignored.
 */
const configFiles = new Map<string, { mtimeMs: number; severity: Record<string, SeveritySetting> }>();

function workspaceSeverity(uri: string): Record<string, SeveritySetting> {
  const folder = containingFolder(uri);
  if (!folder) return {};
  const file = path.join(folder, CONFIG_FILE);
  let mtimeMs: number;
  try {
    mtimeMs = fs.lstatSync(file).mtimeMs;
  } catch {
    configFiles.delete(file);
    return {};
  }
  const cached = configFiles.get(file);
  if (cached && cached.mtimeMs === mtimeMs) return cached.severity;
  let severity: Record<string, SeveritySetting> = {};
  try {
    // The workspace's file, which may be hostile: a symbolic link there is not followed.
    severity = readConfigFile(file, { followSymlinks: false });
  } catch (e) {
    const message = `${e instanceof Error ? e.message : String(e)} (ignored)`;
    if (logOnce(message)) showWarning(message);
  }
  configFiles.set(file, { mtimeMs, severity });
  return severity;
}

/** The settings over the folder's .cri-compat.json; a category setting also over the file's rules of it. */
function severityFor(uri: string, settings: Settings): Record<string, SeveritySetting> {
  return layerSeverities(workspaceSeverity(uri), settings.severity);
}

// ---- baselines -----------------------------------------------------------------------------------------

let bundledHistory: IndexedHistory | undefined;
let bundledFailed = false;

/** The bundled release index of runtime.v1, loaded once; undefined (logged) when it cannot be loaded. */
function bundled(): IndexedHistory | undefined {
  if (bundledHistory || bundledFailed) return bundledHistory;
  try {
    bundledHistory = loadBundledHistory();
  } catch (e) {
    bundledFailed = true;
    log('loading the bundled release index failed', e);
  }
  return bundledHistory;
}

const baselines = new BaselineManager({
  trusted: () => trusted,
  cacheDir: () => cacheDir,
  bundled,
  info: (m) => connection.console.info(m),
  error: log,
  progress: async (title): Promise<ProgressHandle> => {
    const reporter = await connection.window.createWorkDoneProgress();
    reporter.begin(title, undefined, 'Looking for the last released cri-api…', false);
    let ended = false;
    return {
      report: (m) => {
        if (!ended) reporter.report(m);
      },
      done: () => {
        if (!ended) reporter.done();
        ended = true;
      },
    };
  },
  // A notification, not a request: nothing to answer, nothing to wait for. The extension's own (baselineWarnings)
  // comes with actions that change the setting; window/showMessage for any other client.
  warn: (m) => baselineWarnings
    ? void connection.sendNotification(BaselineWarningNotificationMethod, { message: m } satisfies BaselineWarningParams)
      .catch((e: unknown) => log('showing a message failed', e))
    : showWarning(m),
  resolved: (key) => {
    for (const d of documents.all()) {
      const st = states.get(d.uri);
      if (st && st.baselineKey === key) {
        st.analysis = undefined;
        scheduleValidation(d, true);
      }
    }
  },
});

/**
 * A package the editor compares with releases: any `runtime.*` but the removed v1alpha2, so that a would-be new
 * major or a typo of `runtime.v1` is compared with runtime.v1's releases (PACKAGE_CHANGED), as the CLI does.
 */
function isCriPackage(pkg: string): boolean {
  const p = pkg.replace(/^\./, '');
  return p.startsWith('runtime.') && p !== 'runtime.v1alpha2';
}

/**
 * Whether the editor compares the file with releases: the CRI API (notCriApi, as the CLI decides) of a current
 * package. A file of a `runtime.*` package or of none that was the CRI API a moment ago stays so while edited
 * (its package statement or services deleted, or the whole text: every peer breaks, and the findings say so).
 */
function isCriFile(model: ApiModel, uri: string, wasCri: boolean | undefined): boolean {
  if (model.package && !isCriPackage(model.package)) return false;
  return wasCri === true || notCriApi(model, uri) === undefined;
}

// ---- initialize ----------------------------------------------------------------------------------------

/** Requests are answered only between `initialize` and `shutdown`; the others get the errors LSP names. */
let lifecycle: 'starting' | 'running' | 'shutDown' = 'starting';

connection.onInitialize((params: InitializeParams): InitializeResult => {
  lifecycle = 'running';
  const caps: ClientCapabilities = params.capabilities ?? {};
  const init = (params.initializationOptions ?? {}) as CriInitializationOptions;
  trusted = init.trusted === true;
  baselineWarnings = init.baselineWarnings === true;
  cacheDir = typeof init.cacheDir === 'string' && path.isAbsolute(init.cacheDir) ? init.cacheDir : undefined;
  documentChangesSupport = !!caps.workspace?.workspaceEdit?.documentChanges;
  codeActionLiterals = !!caps.textDocument?.codeAction?.codeActionLiteralSupport;
  applyEditSupport = !!caps.workspace?.applyEdit;
  hasConfiguration = !!caps.workspace?.configuration;
  hasDynamicConfigurationRegistration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
  hasWatchedFilesRegistration = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  relativePatternSupport = !!caps.workspace?.didChangeWatchedFiles?.relativePatternSupport;
  hasWorkspaceFolderChanges = !!caps.workspace?.workspaceFolders;
  hierarchicalSymbols = caps.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport ?? false;
  const formats = caps.textDocument?.hover?.contentFormat;
  markdownHover = !formats || formats.includes('markdown');
  const completionFormats = caps.textDocument?.completion?.completionItem?.documentationFormat;
  markdownCompletion = !completionFormats || completionFormats.includes('markdown');
  foldingRangeLimit = caps.textDocument?.foldingRange?.rangeLimit;
  diagnosticSupport = {
    relatedInformation: !!caps.textDocument?.publishDiagnostics?.relatedInformation,
    codeDescription: !!caps.textDocument?.publishDiagnostics?.codeDescriptionSupport,
  };
  folders = Array.isArray(params.workspaceFolders) ? params.workspaceFolders.filter(isFolder)
    : typeof params.rootUri === 'string' && params.rootUri ? [{ uri: params.rootUri, name: path.basename(params.rootUri) }] : [];
  workspaceFiles.setFolders(folderPaths());

  const result: InitializeResult = {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      documentSymbolProvider: { label: 'CRI' },
      workspaceSymbolProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      hoverProvider: true,
      // `=` for a number, a space or `(` or `,` for a type (after a label, in an rpc's parentheses, as a map's value).
      completionProvider: { triggerCharacters: ['=', ' ', '(', ',', '['] },
      foldingRangeProvider: true,
      codeActionProvider: codeActionLiterals ? { codeActionKinds: [QUICKFIX_KIND, FIX_ALL_KIND] } : true,
      // Without code action literals, fixes are commands that the server applies (see onCodeAction).
      ...(!codeActionLiterals && applyEditSupport ? { executeCommandProvider: { commands: [APPLY_FIX_COMMAND] } } : {}),
    },
    serverInfo: { name: 'cri-compat', version: '0.1.0' },
  };
  if (hasWorkspaceFolderChanges) result.capabilities.workspace = { workspaceFolders: { supported: true, changeNotifications: true } };
  return result;
});

connection.onInitialized(() => {
  if (hasDynamicConfigurationRegistration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'criCompat' }).catch((e) => log('registering for configuration changes failed', e));
  }
  if (hasWatchedFilesRegistration) {
    // The Go files baseline resolution reads: a change resolves it again. It reads them in a trusted workspace only,
    // so their events are ignored in an untrusted one (trust may come later: they are watched all the same).
    // Any deletion, for the folders: VS Code reports a folder deleted as one event, for the folder, and only to a
    // watcher whose glob matches the folder's own path (`**/*.proto` does not); an untrusted workspace polls nothing,
    // so nothing else tells it that the imports in a deleted folder are gone. Deletions only: a folder created or
    // moved in would need every file created in the workspace reported; the paths where imports were not found are
    // watched for creation instead (watchCreations).
    const watchers = [{ globPattern: '**/*.proto' }, { globPattern: `**/${CONFIG_FILE}` }, ...GO_MODULE_FILES.map((globPattern) => ({ globPattern })), { globPattern: '**/*', kind: WatchKind.Delete }];
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers })
      .catch((e) => log('registering the file watchers failed', e));
  }
  if (hasWorkspaceFolderChanges) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set((Array.isArray(e?.removed) ? e.removed : []).filter(isFolder).map((f) => f.uri));
      folders = [...folders.filter((f) => !removed.has(f.uri)), ...(Array.isArray(e?.added) ? e.added : []).filter(isFolder)];
      workspaceFiles.setFolders(folderPaths());
      baselines.invalidate();
      releaseBaselines();
      revalidateAll();
    });
  }
});

connection.onShutdown(() => {
  lifecycle = 'shutDown';
  if (importPollTimer) clearTimeout(importPollTimer);
  importPollTimer = undefined;
  // Nothing is published after shutdown: pending validations are dropped.
  for (const st of states.values()) {
    if (st.timer) clearTimeout(st.timer);
    st.timer = undefined;
    st.generation++;
  }
});

/** Malformed params are a client's bug: what is not a folder is left out, not thrown on. */
function isFolder(f: unknown): f is WorkspaceFolder {
  return typeof (f as WorkspaceFolder | null)?.uri === 'string';
}

function folderPaths(): string[] {
  return folders.map((f) => fsPathOf(f.uri)).filter((p): p is string => !!p);
}

// ---- settings ------------------------------------------------------------------------------------------

/**
 * Bad `criCompat.*` values, each logged once per configuration: every document reads the settings,
 * but a message says what is wrong only once; after a configuration change each bad entry is said again.
 */
const loggedSettingProblems = new Set<string>();
function logSettingProblems(settings: Settings): void {
  const fresh = settings.problems.filter((p) => !loggedSettingProblems.has(p));
  for (const p of fresh) {
    loggedSettingProblems.add(p);
    connection.console.warn(p);
  }
  if (!fresh.length) return;
  const more = fresh.length - 1;
  showWarning(more ? `${fresh[0]} (and ${counted(more, 'more problem')} with the criCompat settings: see the "CRI API Compatibility" output)` : fresh[0]!);
}

function getSettings(uri: string): Promise<Settings> {
  if (!hasConfiguration) return Promise.resolve(globalSettings);
  let s = documentSettings.get(uri);
  if (!s) {
    s = connection.workspace.getConfiguration({ scopeUri: uri, section: 'criCompat' })
      .then(normalizeSettings, (e) => {
        log(`reading settings for ${uri} failed`, e);
        return DEFAULT_SETTINGS;
      })
      .then((settings) => {
        logSettingProblems(settings);
        return settings;
      });
    documentSettings.set(uri, s);
  }
  return s;
}

connection.onDidChangeConfiguration((change) => {
  // A new configuration: its bad entries are reported again, even those an earlier one had too.
  loggedSettingProblems.clear();
  if (hasConfiguration) documentSettings.clear();
  else {
    globalSettings = normalizeSettings((change.settings as { criCompat?: unknown } | undefined)?.criCompat);
    logSettingProblems(globalSettings);
  }
  // Resolve again: a setting may point somewhere new, or the module cache may hold a release by now.
  baselines.invalidate();
  revalidateAll();
});

connection.onNotification(TrustChangedNotificationMethod, (params: TrustChangedParams) => {
  const now = params?.trusted === true;
  if (now === trusted) return;
  trusted = now;
  connection.console.info(`Workspace trust changed: ${trusted ? 'trusted (git and, if enabled, the network may be used)' : 'untrusted'}.`);
  baselines.invalidate();
  revalidateAll();
});

// ---- import resolution and analysis --------------------------------------------------------------------

/** The folder that contains a document, else the first folder. */
function folderOf(uri: string): string | undefined {
  const p = fsPathOf(uri);
  const all = folderPaths();
  return (p && all.find((f) => p === f || p.startsWith(f.endsWith(path.sep) ? f : f + path.sep))) ?? all[0];
}

/** The workspace folder that contains a document, if any. */
function containingFolder(uri: string): string | undefined {
  const p = fsPathOf(uri);
  return p ? folderPaths().find((f) => p === f || p.startsWith(f.endsWith(path.sep) ? f : f + path.sep)) : undefined;
}

/**
 * `${workspaceFolder}` at the start of a path setting (`criCompat.protoPaths`, `criCompat.baseline`) replaced
 * by the document's workspace folder (the folder that contains it, else the first); unchanged without one.
 */
function expandWorkspaceFolder(setting: string, uri: string): string {
  const base = folderOf(uri);
  return base ? setting.replace(/^\$\{workspaceFolder\}/, () => base) : setting;
}

/**
 * Roots for imports: workspace folders, then `criCompat.protoPaths`, a relative one against the document's workspace
 * folder (folderOf), as the setting says.
 */
function importRoots(uri: string, settings: Settings): string[] {
  const base = folderOf(uri);
  const roots = folderPaths();
  for (const raw of settings.protoPaths) {
    let p = expandWorkspaceFolder(raw.trim(), uri);
    if (p === '~' || p.startsWith('~/')) p = path.join(os.homedir(), p.slice(1));
    if (!path.isAbsolute(p)) {
      if (!base) continue;
      p = path.resolve(base, p);
    }
    roots.push(p);
  }
  return roots;
}

function openDocumentAt(fsPath: string): { uri: string; text: string } | undefined {
  for (const d of documents.all()) if (fsPathOf(d.uri) === fsPath) return { uri: d.uri, text: d.getText() };
  return undefined;
}

function resolverFor(uri: string, settings: Settings): FsImportResolver {
  return new FsImportResolver({ roots: importRoots(uri, settings), overlay: openDocumentAt });
}

/** What shares a document's baseline resolution: its workspace folder, else its directory, else '' (not a file). */
function baselineFolderKey(uri: string): string {
  const folder = containingFolder(uri);
  if (folder) return folder;
  const file = fsPathOf(uri);
  return file ? `dir:${path.dirname(file)}` : '';
}

/**
 * Lets the baseline manager forget what only closed documents used: the directory of a file outside the
 * workspace folders, or untitled documents. The workspace folders keep theirs, so that reopening a file there
 * asks git nothing again; there are as many as CRI files opened there.
 */
function releaseBaselines(): void {
  baselines.release(new Set([...folderPaths(), ...documents.all().map((d) => baselineFolderKey(d.uri))]));
}

/**
 * The baseline to compare a document with, answered at once from what is resolved: while the folder's
 * resolution runs in the background this is its last good baseline, or none.
 */
function baselineFor(uri: string, settings: Settings): BaselineAnswer {
  const file = fsPathOf(uri);
  const folderKey = baselineFolderKey(uri);
  const doc = documents.get(uri);
  // A relative path is the workspace folder's, as the setting says: for a file outside every folder, an untitled
  // or a virtual document too, the first folder's, as `${workspaceFolder}` is (folderOf).
  const baseDir = folderOf(uri);
  return baselines.get({
    folderKey,
    ...(file ? { filePath: file } : {}),
    ...(baseDir ? { baseDir } : {}),
    // A path may start with `${workspaceFolder}`, as in criCompat.protoPaths; tags and git refs never do.
    explicit: expandWorkspaceFolder(settings.baseline, uri),
    includePrereleases: settings.includePrereleases,
    networkEnabled: settings.network.enable,
    // Unsaved edits count: whether the document is its release's file decides the baseline (TextCheck).
    ...(doc ? { text: doc.getText() } : {}),
  });
}

/**
 * The analysis of the document's current version with its text and version, computed at most once per version.
 * `stillWanted` (see wanted) runs once the settings are read, before the analysis: it throws to skip it.
 * A document closed while the settings were read is not analyzed (ContentModified): only open documents have
 * state, and state made again for a closed one would make its reopening wait for the debounce (onDidChangeContent).
 */
async function snapshotOf(doc: TextDocument, stillWanted?: () => void): Promise<Snapshot> {
  const settings = await getSettings(doc.uri);
  stillWanted?.();
  if (documents.get(doc.uri) !== doc) throw new ResponseError(LSPErrorCodes.ContentModified, 'The document was closed after the request.');
  const st = stateOf(doc.uri);
  // From here on synchronous: the version and the text belong together.
  const version = doc.version;
  const text = doc.getText();
  const severity = severityFor(doc.uri, settings);
  const severityKey = JSON.stringify(severity);
  // What the file was at its last analysis: a guess, checked after this one. A file opened is first analyzed
  // without a baseline, so that one that is not the CRI API starts no baseline resolution.
  const wasCri = st.isCri;
  let isCri = wasCri ?? false;
  let answer = isCri ? baselineFor(doc.uri, settings) : undefined;
  const cached = st.analysis;
  if (cached && cached.version === version && cached.baseline === answer?.baseline && cached.severityKey === severityKey) return cached;
  const imports = resolverFor(doc.uri, settings);
  const bound = bind(reparse(text, cached?.result.bound.ast), doc.uri, imports);
  const run = (): Analysis => analyzeBound(text, bound, { severity, ...(answer?.baseline ? { baseline: answer.baseline } : {}) });
  let result = run();
  // The guess was wrong (just opened, or the package or a CRI service changed): check again, with the other baseline.
  if (isCriFile(result.bound.model, doc.uri, wasCri) !== isCri) {
    isCri = !isCri;
    answer = isCri ? baselineFor(doc.uri, settings) : undefined;
    result = run();
  }
  const pkg = result.bound.model.package;
  if (answer?.baseline && pkg !== answer.baseline.model.package) {
    // Once per package and baseline, not per document: a session may open any number of them.
    const situation = `${pkg || '(none)'} compared with ${answer.baseline.tag}`;
    logOnce(`${doc.uri} declares package ${pkg || '(none)'}, which no cri-api release has: it is compared with ${answer.baseline.tag} (package ${answer.baseline.model.package}), and PACKAGE_CHANGED reports the change of package.`, situation);
  }
  const snap: Snapshot = { version, text, result };
  st.analysis = { ...snap, deps: new Set([...imports.resolved, ...imports.lookedAt, ...imports.stamps.keys()]), stamps: imports.stamps, baseline: answer?.baseline, severityKey };
  st.isCri = isCri;
  st.resolving = answer?.resolving ?? false;
  if (answer) st.baselineKey = answer.key;
  else delete st.baselineKey;
  st.missing = [...imports.stamps].flatMap(([p, stamp]) => (stamp === MISSING ? [p] : []));
  staleImporters(doc.uri, imports.stamps);
  scheduleImportPoll();
  scheduleCreationWatch();
  return snap;
}

/** The analysis of the document's current version. */
async function analysisOf(doc: TextDocument, stillWanted?: () => void): Promise<Analysis> {
  return (await snapshotOf(doc, stillWanted)).result;
}

function baselineInfo(b: Baseline | undefined): BaselineInfo | null {
  if (!b) return null;
  return { tag: b.tag, ...(b.kubernetes ? { kubernetes: b.kubernetes } : {}), source: b.source, origin: b.origin };
}

function statusOf(uri: string, analysis: Analysis): StatusParams {
  const st = states.get(uri);
  const b = analysis.baseline;
  const status: StatusParams = {
    uri,
    baselineTag: b?.tag ?? null,
    breaking: analysis.findings.filter((f) => RULES_BY_ID.get(f.rule)?.breaking).length,
    findings: analysis.findings.length,
    checked: st?.isCri ?? false,
    resolving: st?.resolving ?? false,
  };
  if (b) {
    if (b.kubernetes) status.kubernetes = b.kubernetes;
    status.source = b.source;
    status.origin = b.origin;
  }
  return status;
}

// ---- imports that no file event reports ------------------------------------------------------------------
//
// The client watches the workspace's .proto files (onInitialized), and didChangeWatchedFiles re-validates
// their importers. Imports found in criCompat.protoPaths outside the workspace, beside a file opened from
// outside it, or in a workspace whose client watches nothing, change unseen; so do workspace files that the
// user's `files.watcherExclude` hides from VS Code's watcher (node_modules/, vendored trees), or that a watcher
// over its system's limit misses. Two things notice it, both by comparing what each analysis saw of a path
// (FsImportResolver.stamps, from lstat) with the disk, never reading more than analyses read: (1) an analysis
// that sees a path differently from another document's analysis makes that one stale (any workspace); (2) in
// a trusted workspace, a poll lstat's every import path every IMPORT_POLL_MS, at most MAX_POLLED_IMPORTS of
// them, those no watcher covers first. Polling the watched ones too, rather than reading the client's
// watcherExclude globs, costs one lstat each and needs no copy of VS Code's glob rules; the event and the poll
// notice a change alike, and whichever comes second finds the analysis up to date. A poll rather than fs.watch: it holds no watcher per
// directory (a hostile file can name hundreds of import folders), survives folders that are deleted and
// created again, and follows no link (lstat). Untrusted workspaces get no poll, as the server watches nothing
// there by itself: a change shows there once a file that imports it is analysed again (an edit, a reopen), or
// when the client reports it (a file or folder created where an import was not found: see watchCreations).
// The same poll asks the baseline manager whether HEAD, or the branch the baseline setting names, moved in a clone a
// baseline came from (BaselineManager.headsMoved).

/** How often the poll looks at imports no file event reports (ms); the environment may set it, for tests. */
const IMPORT_POLL_MS = (() => {
  const v = Number(process.env.CRI_COMPAT_IMPORT_POLL_MS);
  return Number.isFinite(v) && v > 0 ? Math.min(Math.max(10, Math.round(v)), 600_000) : 2000;
})();
/** At most this many paths are polled (each one lstat per IMPORT_POLL_MS); the rest are checked on re-analysis only. */
const MAX_POLLED_IMPORTS = 512;

let importPollTimer: ReturnType<typeof setTimeout> | undefined;
let importPollRunning = false;

// The client watches the Go files of the workspace folders (GO_MODULE_FILES), not those outside them that a
// resolution read (ResolveResult.goFiles: the go.work `$GOWORK` names or one above the folder, its .sum, the go.sum
// of a module it uses), nor a folder created or moved in that matches none of its globs (VS Code reports a folder as
// one event, for the folder, to a watcher whose glob matches its path; checked in code-server 1.100.3, and
// microsoft/vscode#109754 says so: deletions are watched for any path, for that, but creations are not): the same
// poll lstat's every Go file and folder a resolution listed, at most MAX_POLLED_GO_FILES of them, those outside the
// workspace folders first, each compared with what the resolution saw, and resolves the baselines again when one
// changed, as a file event of the folders would.

/** At most this many Go files and folders are polled; the rest are seen again when a resolution runs. */
const MAX_POLLED_GO_FILES = 256;

/** Is a change of this Go file reported by the client's file watcher (GO_MODULE_FILES, in a workspace folder)? */
function goFileWatched(p: string): boolean {
  return hasWatchedFilesRegistration && folderPaths().some((f) => isInside(p, f));
}

/** The Go files and folders to poll (see `BaselineManager.goFilesRead`): those no file event reports first. */
function polledGoFiles(): string[] {
  const read = baselines.goFilesRead();
  const unwatched: string[] = [];
  const watched: string[] = [];
  for (const f of read) (goFileWatched(f) ? watched : unwatched).push(f);
  const out = [...unwatched, ...watched].slice(0, MAX_POLLED_GO_FILES);
  if (read.length > out.length) logOnce(`Go files: only ${MAX_POLLED_GO_FILES} of the ${read.length} Go files and folders the baselines were resolved from are checked for changes (those VS Code's file watcher does not cover first, and each open file's own module before the other modules of its go.work); a change of the others is seen when the baseline is resolved again.`, 'go-files-capped');
  return out;
}

/** The document's analysis is out of date: drop it and validate again. */
function reanalyzeLater(doc: TextDocument): void {
  const st = states.get(doc.uri);
  if (st) st.analysis = undefined;
  scheduleValidation(doc);
}

/**
 * Another document's analysis saw one of these paths as it is no longer (`stamps` are what an analysis of
 * `uri` just saw): that document used an older import, or looked for one that is there now.
 */
function staleImporters(uri: string, stamps: Map<string, string>): void {
  if (!stamps.size) return;
  for (const d of documents.all()) {
    if (d.uri === uri) continue;
    const seen = states.get(d.uri)?.analysis?.stamps;
    if (!seen) continue;
    for (const [p, stamp] of seen) {
      const now = stamps.get(p);
      if (now !== undefined && now !== stamp) {
        reanalyzeLater(d);
        break;
      }
    }
  }
}

/** Is a change of this file reported by the client's file watcher (a .proto file in a workspace folder)? */
function watchedByClient(p: string, workspaceFolders: string[]): boolean {
  return hasWatchedFilesRegistration && p.endsWith('.proto') && workspaceFolders.some((f) => isInside(p, f));
}

/**
 * The paths to poll, each with the open documents whose analyses saw it: at most MAX_POLLED_IMPORTS, those
 * the client's watcher does not cover first.
 */
function polledImports(): Map<string, TextDocument[]> {
  const workspaceFolders = folderPaths();
  const open = new Set<string>();
  for (const d of documents.all()) {
    const p = fsPathOf(d.uri);
    if (p) open.add(p);
  }
  const unwatched = new Map<string, TextDocument[]>();
  const watched = new Map<string, TextDocument[]>();
  for (const d of documents.all()) {
    for (const p of states.get(d.uri)?.analysis?.stamps.keys() ?? []) {
      // An open document is read from the editor, whose changes come as didChange.
      if (open.has(p)) continue;
      const into = watchedByClient(p, workspaceFolders) ? watched : unwatched;
      const users = into.get(p);
      if (users) users.push(d);
      else into.set(p, [d]);
    }
  }
  const out = new Map<string, TextDocument[]>();
  for (const entry of [...unwatched, ...watched]) {
    if (out.size === MAX_POLLED_IMPORTS) break;
    out.set(...entry);
  }
  const over = unwatched.size + watched.size - out.size;
  if (over) logOnce(`Imports: only ${MAX_POLLED_IMPORTS} of the paths the open files import or look for are checked for changes while you do not edit (those VS Code's file watcher does not cover first); the others are read again when a file that imports them is edited.`);
  return out;
}

function scheduleImportPoll(): void {
  if (importPollTimer || importPollRunning || !trusted || lifecycle !== 'running') return;
  importPollTimer = setTimeout(() => {
    importPollTimer = undefined;
    void pollImports();
  }, IMPORT_POLL_MS);
  // The poll alone does not keep the server running (the connection does).
  importPollTimer.unref?.();
}

async function pollImports(): Promise<void> {
  importPollRunning = true;
  let again = false;
  try {
    // A checkout that leaves the open file as it was sends no change, but may change its baseline.
    if (await baselines.headsMoved()) revalidateAll();
    const polled = polledImports();
    const goFiles = trusted ? polledGoFiles() : [];
    // Nothing to watch: the next analysis that finds something starts the poll again.
    if ((!polled.size && !baselines.watchesGit && !goFiles.length) || !trusted || lifecycle !== 'running') return;
    again = true;
    const goNow = new Map(await Promise.all(goFiles.map(async (f) => [f, await goFileStamp(f)] as const)));
    if (baselines.goFilesNow(goNow)) revalidateAll();
    const paths = [...polled.keys()];
    const now = await Promise.all(paths.map((p) => fs.promises.lstat(p).then(fileStamp, () => fileStamp(undefined))));
    paths.forEach((p, k) => {
      for (const d of polled.get(p)!) {
        const seen = states.get(d.uri)?.analysis?.stamps.get(p);
        if (seen !== undefined && seen !== now[k]) reanalyzeLater(d);
      }
    });
  } catch (e) {
    log('checking imports for changes failed', e);
  } finally {
    importPollRunning = false;
    if (again) scheduleImportPoll();
  }
}

// ---- imports created where they were not found -----------------------------------------------------------
//
// A folder created or moved into the workspace is reported by VS Code as one event, for the folder, to a watcher
// whose glob matches it: none of the fixed ones (onInitialized) matches `third_party` or `protos`. So the paths
// where the open documents' imports were looked for and not found, in the workspace folders, are watched for
// creation with the folders above them (creationWatchers), re-registered when that set changes: an event for one
// re-analyzes its importers (onDidChangeWatchedFiles, touches), in untrusted workspaces too, which poll nothing.

/** At most this many missing paths and folders above them are watched; the others are seen on re-analysis or by the poll. */
const MAX_CREATION_WATCHED = 512;
/** What an analysis saw of a path that was not there (fileStamp). */
const MISSING = fileStamp(undefined);

let creationWatch: { key: string; registration: Promise<{ dispose(): void } | undefined> } | undefined;
let creationWatchTimer: ReturnType<typeof setTimeout> | undefined;

/** Brings the creation watchers up to date once the analyses running now are done (many finish together). */
function scheduleCreationWatch(): void {
  if (!hasWatchedFilesRegistration || creationWatchTimer || lifecycle !== 'running') return;
  creationWatchTimer = setTimeout(() => {
    creationWatchTimer = undefined;
    watchCreations();
  }, 0);
}

function watchCreations(): void {
  if (lifecycle !== 'running') return;
  const missing = new Set([...states.values()].flatMap((st) => st.missing ?? []));
  const workspaceFolders = folders.flatMap((f) => {
    const p = fsPathOf(f.uri);
    return p ? [{ uri: f.uri, path: p }] : [];
  });
  const { watchers, over } = creationWatchers(missing, workspaceFolders, relativePatternSupport, MAX_CREATION_WATCHED);
  if (over) logOnce(`Imports: only ${MAX_CREATION_WATCHED} of the paths where the open files' imports were not found (and the folders above them) are watched for a file or folder created there; the others are looked for again when a file that imports them is edited.`, 'creation-watch-capped');
  const key = JSON.stringify(watchers);
  if (key === (creationWatch?.key ?? '[]')) return;
  const old = creationWatch?.registration;
  const registration = watchers.length
    ? connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).catch((e: unknown) => {
      log('registering the watchers of missing imports failed', e);
      return undefined;
    })
    : Promise.resolve(undefined);
  creationWatch = { key, registration };
  // The old watchers go once the new ones are there: no moment in which neither reports a path both name.
  void registration.then(() => old).then((d) => d?.dispose());
  // What was created after the analyses that missed it and before the editor watched for it sends no event.
  const watched = [...missing].filter((p) => workspaceFolders.some((f) => p !== f.path && isInside(p, f.path)));
  void registration.then((r) => (r && watched.length ? createdSince(watched) : undefined));
}

/** Analyses again the open documents that missed one of these paths (inside the workspace folders), now there. */
async function createdSince(paths: string[]): Promise<void> {
  const there = await Promise.all(paths.map((p) => fs.promises.lstat(p).then(() => true, () => false)));
  const created = new Set(paths.filter((_, k) => there[k]));
  if (!created.size || lifecycle !== 'running') return;
  for (const d of documents.all()) {
    if (states.get(d.uri)?.missing?.some((p) => created.has(p))) reanalyzeLater(d);
  }
}

// ---- validation ----------------------------------------------------------------------------------------

function scheduleValidation(doc: TextDocument, immediate = false): void {
  if (lifecycle === 'shutDown') return;
  const uri = doc.uri;
  const st = stateOf(uri);
  if (st.timer) clearTimeout(st.timer);
  st.timer = undefined;
  const generation = ++st.generation;
  void getSettings(uri).then((settings) => {
    if (st.generation !== generation || !documents.get(uri)) return; // superseded or closed
    st.timer = setTimeout(() => {
      st.timer = undefined;
      void validate(uri, generation);
    }, immediate ? 0 : settings.validation.debounceMs);
  });
}

async function validate(uri: string, generation: number): Promise<void> {
  const st = states.get(uri);
  const doc = documents.get(uri);
  if (!st || !doc || st.generation !== generation) return;
  try {
    const analysis = await analysisOf(doc);
    // Cancelled: a newer change or a close came in while this one ran.
    if (st.generation !== generation || documents.get(uri)?.version !== doc.version) return;
    const diagnostics = toDiagnostics(analysis, uri, diagnosticSupport, MAX_DIAGNOSTICS);
    await connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    await connection.sendNotification(StatusNotificationMethod, statusOf(uri, analysis));
  } catch (e) {
    // ContentModified: closed while the settings were read (snapshotOf), nothing to publish.
    if (!(e instanceof ResponseError)) log(`validating ${uri} failed`, e);
  }
}

function revalidateAll(): void {
  for (const st of states.values()) st.analysis = undefined;
  for (const d of documents.all()) scheduleValidation(d);
}

/** Open documents that import the given one (their analysis read its text): validate them again. */
function revalidateDependents(uri: string): void {
  const p = fsPathOf(uri);
  if (!p) return;
  for (const d of documents.all()) {
    if (d.uri === uri) continue;
    const st = states.get(d.uri);
    if (st?.analysis?.deps.has(p)) {
      st.analysis = undefined;
      scheduleValidation(d);
    }
  }
}

documents.onDidChangeContent((e) => {
  // A document just opened is checked at once; the debounce is for typing.
  scheduleValidation(e.document, !states.has(e.document.uri));
  revalidateDependents(e.document.uri);
});

documents.onDidClose((e) => {
  const uri = e.document.uri;
  const st = states.get(uri);
  if (st) {
    if (st.timer) clearTimeout(st.timer);
    st.generation++;
  }
  states.delete(uri);
  documentSettings.delete(uri);
  releaseBaselines();
  scheduleCreationWatch();
  void connection.sendDiagnostics({ uri, diagnostics: [] });
  revalidateDependents(uri);
});

connection.onDidChangeWatchedFiles((e) => {
  const changed = new Set<string>();
  let goFiles = false;
  for (const c of Array.isArray(e?.changes) ? e.changes : []) {
    const p = typeof c?.uri === 'string' ? fsPathOf(c.uri) : undefined;
    if (p && path.basename(p) === CONFIG_FILE) {
      revalidateAll();
      continue;
    }
    if (p && isGoModuleFile(p)) {
      goFiles = true;
      // A vendor/ folder deleted or created may hold imports too.
      if (path.basename(p) !== 'vendor') continue;
    }
    workspaceFiles.invalidate(p, c?.type === FileChangeType.Deleted);
    if (p) changed.add(path.resolve(p));
  }
  // As a move of HEAD: the baseline may now be another release (`go get`, `go mod vendor`, a go.work edited, or the
  // folder of a module or of its go.work deleted or renamed, one event for the folder).
  if (trusted && ((goFiles && baselines.goFilesChanged()) || baselines.goFoldersChanged(changed))) revalidateAll();
  if (!changed.size) return;
  for (const d of documents.all()) {
    const deps = states.get(d.uri)?.analysis?.deps;
    if (deps && [...deps].some((dep) => touches(dep, changed))) reanalyzeLater(d);
  }
});

/**
 * Does a change of these paths touch an import at `dep`: the file itself (unless the editor has it open: its
 * text comes from there), or a folder above it — a folder deleted, moved or created is one event, not one per
 * file in it. Looks up the folders above `dep`, so that a burst of events costs no more per import than one.
 */
function touches(dep: string, changed: Set<string>): boolean {
  if (changed.has(dep) && !openDocumentAt(dep)) return true;
  for (let dir = path.dirname(dep), prev = dep; dir !== prev; prev = dir, dir = path.dirname(dir)) {
    if (changed.has(dir)) return true;
  }
  return false;
}

// ---- requests ------------------------------------------------------------------------------------------

/**
 * Runs a handler; a failure is logged and answered with the fallback, never with a dead server. The errors
 * LSP defines (ResponseError: not initialized, shut down, cancelled, content modified) are answered as such.
 */
async function guarded<T>(what: string, fallback: T, run: () => Promise<T> | T): Promise<T> {
  if (lifecycle === 'starting') throw new ResponseError(ErrorCodes.ServerNotInitialized, 'The server has not been initialized.');
  if (lifecycle === 'shutDown') throw new ResponseError(ErrorCodes.InvalidRequest, 'The server is shutting down.');
  try {
    return await run();
  } catch (e) {
    if (e instanceof ResponseError) throw e;
    log(`${what} failed`, e);
    return fallback;
  }
}

/**
 * A check that a request is still worth answering, run before each analysis and before the answer: a
 * cancelled request gets RequestCancelled (VS Code cancels hovers while one types, and each would otherwise
 * analyze the text typed since, skipping the debounce); with `positions`, a request whose document changed
 * since it was asked gets ContentModified, as its positions were of the older text.
 */
function wanted(token: CancellationToken, doc?: TextDocument, positions = false): () => void {
  const version = doc?.version;
  return () => {
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
    if (positions && doc && (documents.get(doc.uri) !== doc || doc.version !== version)) {
      throw new ResponseError(LSPErrorCodes.ContentModified, 'The document changed after the request.');
    }
  };
}

function docOf(params: unknown): TextDocument | undefined {
  const uri = (params as { textDocument?: { uri?: unknown } } | undefined)?.textDocument?.uri;
  return typeof uri === 'string' ? documents.get(uri) : undefined;
}

connection.onDocumentSymbol((params, token) => guarded('documentSymbol', null, async () => {
  const doc = docOf(params);
  if (!doc) return null;
  const { bound } = await analysisOf(doc, wanted(token));
  const symbols = getDocumentSymbols(bound.ast);
  return hierarchicalSymbols ? symbols : flattenSymbols(symbols, doc.uri);
}));

function flattenSymbols(symbols: DocumentSymbol[], uri: string, container?: string, out: SymbolInformation[] = []): SymbolInformation[] {
  for (const s of symbols) {
    const info: SymbolInformation = { name: s.name, kind: s.kind, location: { uri, range: s.selectionRange } };
    if (container) info.containerName = container;
    if (s.tags) info.tags = s.tags;
    out.push(info);
    if (s.children) flattenSymbols(s.children, uri, container ? `${container}.${s.name}` : s.name, out);
  }
  return out;
}

connection.onWorkspaceSymbol((params, token) => guarded('workspace/symbol', [] as SymbolInformation[], async () => {
  const query = typeof params?.query === 'string' ? params.query : '';
  const cancelled = (): boolean => token.isCancellationRequested;
  // Open documents answer from their current trees; the other workspace files from the index (symbol lists).
  const open = documents.all().map((d) => {
    const st = states.get(d.uri);
    return { uri: d.uri, ast: st?.analysis?.version === d.version ? st.analysis.result.bound.ast : parse(d.getText()) };
  });
  const { symbols, note } = await workspaceFiles.workspaceSymbols(query, { open, limit: MAX_WORKSPACE_SYMBOLS, isCancelled: cancelled });
  if (note) logOnce(note);
  return cancelled() ? [] : symbols;
}));

connection.onDefinition((params, token) => guarded('definition', null, async () => {
  const doc = docOf(params);
  if (!doc || !isValidPosition(params.position)) return null;
  const stillWanted = wanted(token, doc, true);
  const { bound } = await analysisOf(doc, stillWanted);
  const settings = await getSettings(doc.uri);
  stillWanted();
  const resolver = resolverFor(doc.uri, settings);
  return findDefinition(bound, params.position, { resolveImport: (p, from) => resolver.resolveUri(p, from) });
}));

connection.onReferences((params, token) => guarded('references', null as Location[] | null, async () => {
  const doc = docOf(params);
  if (!doc || !isValidPosition(params.position)) return null;
  const stillWanted = wanted(token, doc, true);
  const { bound } = await analysisOf(doc, stillWanted);
  const others: FileContext[] = [];
  for (const d of documents.all()) {
    if (d.uri === doc.uri) continue;
    // Another document closed (or edited) meanwhile is left out, not a reason to fail this request.
    const other = await analysisOf(d, stillWanted).catch((err: unknown) => {
      if (err instanceof ResponseError && err.code === LSPErrorCodes.ContentModified) return undefined;
      throw err;
    });
    if (other) others.push({ bound: other.bound });
  }
  stillWanted();
  return findReferences(bound, params.position, { includeDeclaration: !!params.context?.includeDeclaration, others });
}));

connection.onHover((params, token) => guarded('hover', null, async () => {
  const doc = docOf(params);
  if (!doc || !isValidPosition(params.position)) return null;
  const { result } = await snapshotOf(doc, wanted(token, doc, true));
  const { bound, baseline } = result;
  const settings = await getSettings(doc.uri);
  const hover = doHover(bound, params.position, {
    extraHover: (element, shownDoc) => elementPolicyHover(element, baseline, bound.model, result.findings, shownDoc),
    // Where Go to Definition would go; a path only inside the workspace (workspacePath).
    importedFile: (p, from) => {
      const uri = resolverFor(doc.uri, settings).resolveUri(p, from);
      if (uri === undefined) return undefined;
      const rel = workspacePath(uri);
      return rel === undefined ? 'outside' : { workspacePath: rel };
    },
  });
  // A finding's diagnostic under the cursor: its rule's explanation first.
  const at = findingsAt(result, params.position);
  const explanations = findingsExplanation(at, baseline);
  if (!hover && !explanations.length) return null;
  const value = [...explanations, ...(hover ? [hover.contents.value] : [])].join('\n\n---\n\n');
  const range = hover?.range ?? at[0]!.range;
  // A client that shows only plain text gets the text a markdown renderer would show, not the markup.
  return markdownHover ? { contents: { kind: 'markdown' as const, value }, range } : { contents: { kind: 'plaintext' as const, value: markdownToPlainText(value) }, range };
}));

// Numbers and types from the analysis of the text as it is now, with the baseline resolved so far: a resolution
// still running (git, the network) is not waited for, as for hovers.
connection.onCompletion((params, token) => guarded('completion', null, async () => {
  const doc = docOf(params);
  if (!doc || !isValidPosition(params.position)) return null;
  const { result, text } = await snapshotOf(doc, wanted(token, doc, true));
  const items = getCompletions(result, text, params.position, params.context?.triggerCharacter);
  if (!markdownCompletion) {
    for (const i of items) if (i.documentation) i.documentation = { kind: 'plaintext', value: markdownToPlainText(i.documentation.value) };
  }
  return items;
}));

/** From the client's capabilities (onInitialize): it takes CodeAction literals; it applies workspace/applyEdit. */
let codeActionLiterals = false;
let applyEditSupport = false;

connection.onCodeAction((params, token) => guarded('codeAction', null, async () => {
  const doc = docOf(params);
  if (!doc) return null;
  // Refuse stale: the fixes must be for the version the client asked about; else it asks again.
  const stillWanted = wanted(token, doc, true);
  const snap = await snapshotOf(doc, stillWanted);
  // Fixes are checked on the text they produce (and fix-all runs to a fixed point): analyzed like the
  // snapshot, with its baseline, the import resolver and the severity settings.
  const settings = await getSettings(doc.uri);
  stillWanted();
  const severity = severityFor(doc.uri, settings);
  const baseline = snap.result.baseline;
  let imports: ReturnType<typeof resolverFor> | undefined;
  const reanalyze = (text: string): Analysis =>
    analyze(text, { uri: doc.uri, imports: (imports ??= resolverFor(doc.uri, settings)), severity, ...(baseline ? { baseline } : {}) });
  const context = params.context ?? { diagnostics: [] };
  const target = { uri: doc.uri, version: snap.version, text: snap.text, analysis: snap.result };
  const actions = codeActions(target, {
    diagnostics: Array.isArray(context.diagnostics) ? context.diagnostics : [], ...(Array.isArray(context.only) ? { only: context.only } : {}),
    documentChanges: documentChangesSupport, reanalyze,
  });
  if (codeActionLiterals) return actions;
  // A client without codeActionLiteralSupport takes Command[] only: each fix is a command that sends its
  // edit back with workspace/applyEdit. A client that cannot apply edits either gets none.
  return applyEditSupport ? asCommands(target, actions) : [];
}));

connection.onExecuteCommand((params) => guarded('executeCommand', null, async () => {
  if (params.command !== APPLY_FIX_COMMAND) return null;
  const fix = applyFixArguments(params.arguments);
  // Only for the text it was computed for: the document has changed since, the client asks for fixes again.
  if (!fix || documents.get(fix.uri)?.version !== fix.version) return null;
  await connection.workspace.applyEdit({ ...(fix.title ? { label: fix.title } : {}), edit: fix.edit });
  return null;
}));

connection.onFoldingRanges((params, token) => guarded('foldingRange', null, async () => {
  const doc = docOf(params);
  if (!doc) return null;
  const { bound } = await analysisOf(doc, wanted(token));
  return getFoldingRanges(bound.ast, doc.getText(), foldingRangeLimit !== undefined ? { rangeLimit: foldingRangeLimit } : {});
}));

// ---- custom requests (lsp/protocol.ts) -------------------------------------------------------------------

function uriOf(params: unknown): string | undefined {
  const uri = (params as { uri?: unknown } | undefined)?.uri;
  return typeof uri === 'string' ? uri : undefined;
}

/** A file's path relative to the workspace folder that contains it, `/`-separated; undefined outside the folders. */
function workspacePath(uri: string): string | undefined {
  const p = fsPathOf(uri);
  const folder = containingFolder(uri);
  return p && folder ? path.relative(folder, p).split(path.sep).join('/') : undefined;
}

/** The file name the report shows: relative to its workspace folder, else the base name; no markup. */
function displayName(uri: string): string {
  const p = fsPathOf(uri);
  const folder = containingFolder(uri);
  let name = p ? (folder ? path.relative(folder, p) : path.basename(p)) : uri;
  if (!name) name = uri;
  return name.replace(/[<>&"`\r\n]/g, (c) => encodeURIComponent(c));
}

connection.onRequest(ReportRequestMethod, (params: ReportParams, token) => guarded('criCompat/report', null as ReportResult, async () => {
  const uri = uriOf(params);
  const doc = uri ? documents.get(uri) : undefined;
  if (!doc) return null;
  const { result } = await snapshotOf(doc, wanted(token));
  // A file the editor compares (one that was the CRI API while edited too) is not said to be another.
  const notCri = states.get(doc.uri)?.isCri ? undefined : notCriApi(result.bound.model, doc.uri);
  // Without a baseline once resolved, a baseline the user set is what could not be used; while it is being looked
  // for, that is what the report says (the report view asks again when the status changes).
  const resolving = !result.baseline && (states.get(doc.uri)?.resolving ?? false);
  const setting = result.baseline || resolving ? '' : (await getSettings(doc.uri)).baseline;
  return renderReport({
    file: displayName(doc.uri),
    linkTo: revealPositionLinks(doc.uri),
    // The explanation links the policy page, and is where the editor explains a rule everywhere else.
    ruleLink: explainRuleUri,
    ...(result.baseline ? { baseline: result.baseline } : {}),
    findings: result.findings,
    additions: result.additions,
    problems: result.bound.problems,
    package: result.bound.model.package,
    ...(notCri ? { notCriApi: notCri } : {}),
    ...(setting ? { baselineSetting: setting } : {}),
    ...(resolving ? { resolving } : {}),
  });
}));

connection.onRequest(BaselinesRequestMethod, (params: BaselinesParams, token) => guarded('criCompat/baselines', { releases: [], current: null, resolving: false } as BaselinesResult, async () => {
  const history = bundled();
  const releases = history ? [...history.releases].reverse().map((r) => ({ tag: r.tag, kubernetes: r.kubernetes, prerelease: r.prerelease, ...(r.date ? { date: r.date } : {}) })) : [];
  const uri = uriOf(params);
  let doc = uri ? documents.get(uri) : undefined;
  if (!doc) doc = documents.all().find((d) => states.get(d.uri)?.isCri);
  if (!doc) return { releases, current: null, resolving: baselines.busy };
  const { result } = await snapshotOf(doc, wanted(token));
  return { releases, current: baselineInfo(result.baseline), resolving: states.get(doc.uri)?.resolving ?? false };
}));

connection.onRequest(HistoryRequestMethod, (params: HistoryParams, token) => guarded('criCompat/history', { ok: false, text: 'The history could not be computed; see the "CRI API Compatibility" output.' } as HistoryResult, async () => {
  const uri = uriOf(params);
  const doc = uri ? documents.get(uri) : undefined;
  if (!doc) return { ok: false, text: 'The document is not open.' };
  const { result } = await snapshotOf(doc, wanted(token));
  const { bound, baseline } = result;
  let history = baseline?.history;
  if (!history) {
    const pkg = bound.model.package || 'runtime.v1';
    try {
      history = loadBundledHistory(pkg);
    } catch (e) {
      return { package: pkg, ok: false, text: `No release history for package "${pkg}": ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  let element: string | undefined;
  if (isValidPosition(params.position)) {
    const t = targetAt(bound, params.position);
    if (t?.kind === 'declaration') element = t.element.path;
    else if (t?.kind === 'reference') element = t.reference.target;
    if (!element) {
      const chain = elementChainAt(bound.ast, params.position).filter((e) => e.kind !== 'extend' && e.kind !== 'oneof');
      element = chain.at(-1)?.path;
    }
  }
  // An element no release has under this path: one renamed in this file has the released element's history;
  // another (new in this file) is not a mistyped path, as the command line would take it: what the hover says
  // of it instead, as plain text.
  if (element && !history.element(element)) {
    const released = baseline && releasedCounterpart(element, baseline, history, bound.model, result.findings);
    if (released) {
      const answer = historyQuery(history, released.path);
      return { element, ok: answer.ok, text: `${element}: ${markdownToPlainText(released.note)}\n\n${answer.text}` };
    }
    const policy = elementPolicyHover(element, baseline, bound.model, result.findings);
    const newest = history.releases.at(-1)?.tag;
    const text = `${element}: in no release of ${history.package ?? bound.model.package}${newest ? ` up to ${newest}` : ''}; new in this file.`;
    return { element, ok: true, text: policy ? `${text}\n\n${markdownToPlainText(policy)}` : text };
  }
  const answer = historyQuery(history, element);
  return element ? { element, ...answer } : { package: history.package, ...answer };
}));

connection.onRequest(RulesRequestMethod, (params: RulesParams | null | undefined) => guarded('criCompat/rules', [] as RulesResult, async () => {
  const uri = typeof params?.uri === 'string' ? params.uri : undefined;
  const severity = uri === undefined ? undefined : severityFor(uri, await getSettings(uri));
  return RULES.map((r) => ({
    id: r.id, category: r.category, severity: r.severity, ...(severity ? { effective: overriddenSeverity(severity, r.id, r.category) ?? r.severity } : {}),
    breaking: r.breaking, ...(r.breaks ? { breaks: r.breaks } : {}), title: r.title, explanation: r.explanation, link: ruleHelpLink(r.id),
  }));
}));

// A bug in a handler must not end the session: log it and keep serving.
process.on('uncaughtException', (e) => log('uncaught exception', e));
process.on('unhandledRejection', (e) => log('unhandled rejection', e));

documents.listen(connection);
connection.listen();
