// LSP wiring only: capabilities, documents, settings, debounced validation and request routing. Everything
// a request answers comes from service.ts and features/; conversions to LSP live in lsp/convert.ts.

import * as path from 'node:path';
import * as os from 'node:os';
import {
  createConnection, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, ProposedFeatures,
  TextDocuments, TextDocumentSyncKind,
  type ClientCapabilities, type InitializeParams, type InitializeResult, type Location,
  type SymbolInformation, type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis } from './service';
import type { Baseline } from './baseline/types';
import { getDocumentSymbols, getWorkspaceSymbols } from './features/symbols';
import { findDefinition, findReferences, type FileContext } from './features/navigation';
import { doHover } from './features/hover';
import { getFoldingRanges } from './features/folding';
import { isValidPosition } from './features/positions';
import type { DocumentSymbol } from './features/types';
import { parse } from './proto/parser';
import type { ProtoFile } from './proto/ast';
import { toDiagnostics, type DiagnosticSupport } from './lsp/convert';
import { FsImportResolver, fsPathOf } from './lsp/importResolver';
import { WorkspaceProtoFiles } from './lsp/workspaceFiles';

// ---- settings ------------------------------------------------------------------------------------------

/** `criCompat.*` as the server uses it, resolved per document. */
interface Settings {
  protoPaths: string[];
  validation: { debounceMs: number };
}

const DEFAULT_SETTINGS: Settings = { protoPaths: [], validation: { debounceMs: 150 } };
const MAX_DIAGNOSTICS = 1000;
const MAX_WORKSPACE_SYMBOLS = 500;

function normalizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as { protoPaths?: unknown; validation?: { debounceMs?: unknown } };
  const protoPaths = Array.isArray(r.protoPaths) ? r.protoPaths.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : [];
  const ms = r.validation?.debounceMs;
  const debounceMs = typeof ms === 'number' && Number.isFinite(ms) ? Math.min(Math.max(0, Math.round(ms)), 10_000) : DEFAULT_SETTINGS.validation.debounceMs;
  return { protoPaths, validation: { debounceMs } };
}

// ---- connection and state ------------------------------------------------------------------------------

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let hasConfiguration = false;
let hasDynamicConfigurationRegistration = false;
let hasWatchedFilesRegistration = false;
let hasWorkspaceFolderChanges = false;
let hierarchicalSymbols = true;
let markdownHover = true;
let foldingRangeLimit: number | undefined;
let diagnosticSupport: DiagnosticSupport = { relatedInformation: false, codeDescription: false };
let folders: WorkspaceFolder[] = [];
/** Settings pushed by clients without `workspace/configuration`. */
let globalSettings: Settings = DEFAULT_SETTINGS;

/** Settings per document, asked once and kept until the document closes or the configuration changes. */
const documentSettings = new Map<string, Promise<Settings>>();

interface DocState {
  timer?: ReturnType<typeof setTimeout>;
  /** Bumped by every change and by close: a validation that sees another number was superseded. */
  generation: number;
  analysis?: { version: number; result: Analysis; deps: Set<string> };
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

// ---- initialize ----------------------------------------------------------------------------------------

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps: ClientCapabilities = params.capabilities ?? {};
  hasConfiguration = !!caps.workspace?.configuration;
  hasDynamicConfigurationRegistration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
  hasWatchedFilesRegistration = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  hasWorkspaceFolderChanges = !!caps.workspace?.workspaceFolders;
  hierarchicalSymbols = caps.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport ?? false;
  const formats = caps.textDocument?.hover?.contentFormat;
  markdownHover = !formats || formats.includes('markdown');
  foldingRangeLimit = caps.textDocument?.foldingRange?.rangeLimit;
  diagnosticSupport = {
    relatedInformation: !!caps.textDocument?.publishDiagnostics?.relatedInformation,
    codeDescription: !!caps.textDocument?.publishDiagnostics?.codeDescriptionSupport,
  };
  folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: path.basename(params.rootUri) }] : []);
  workspaceFiles.setFolders(folderPaths());

  const result: InitializeResult = {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      documentSymbolProvider: { label: 'CRI' },
      workspaceSymbolProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      hoverProvider: true,
      foldingRangeProvider: true,
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
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.proto' }] })
      .catch((e) => log('registering the .proto file watcher failed', e));
  }
  if (hasWorkspaceFolderChanges) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => f.uri));
      folders = [...folders.filter((f) => !removed.has(f.uri)), ...e.added];
      workspaceFiles.setFolders(folderPaths());
      revalidateAll();
    });
  }
});

function folderPaths(): string[] {
  return folders.map((f) => fsPathOf(f.uri)).filter((p): p is string => !!p);
}

// ---- settings ------------------------------------------------------------------------------------------

function getSettings(uri: string): Promise<Settings> {
  if (!hasConfiguration) return Promise.resolve(globalSettings);
  let s = documentSettings.get(uri);
  if (!s) {
    s = connection.workspace.getConfiguration({ scopeUri: uri, section: 'criCompat' })
      .then(normalizeSettings, (e) => {
        log(`reading settings for ${uri} failed`, e);
        return DEFAULT_SETTINGS;
      });
    documentSettings.set(uri, s);
  }
  return s;
}

connection.onDidChangeConfiguration((change) => {
  if (hasConfiguration) documentSettings.clear();
  else globalSettings = normalizeSettings((change.settings as { criCompat?: unknown } | undefined)?.criCompat);
  revalidateAll();
});

// ---- import resolution and analysis --------------------------------------------------------------------

/** The folder that contains a document, else the first folder. */
function folderOf(uri: string): string | undefined {
  const p = fsPathOf(uri);
  const all = folderPaths();
  return (p && all.find((f) => p === f || p.startsWith(f.endsWith(path.sep) ? f : f + path.sep))) ?? all[0];
}

/** Roots for imports: workspace folders, then `criCompat.protoPaths` (relative to the document's folder). */
function importRoots(uri: string, settings: Settings): string[] {
  const base = folderOf(uri);
  const roots = folderPaths();
  for (const raw of settings.protoPaths) {
    let p = raw.trim();
    if (base) p = p.replace(/^\$\{workspaceFolder\}/, base);
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

/**
 * The baseline to compare a document with. None yet: baseline resolution (bundled index, git tags, module
 * cache) plugs in here, answering from what is already loaded and never blocking on git or the network.
 */
function baselineFor(_uri: string, _settings: Settings): Baseline | undefined {
  return undefined;
}

/** The analysis of the document's current version, computed at most once per version. */
async function analysisOf(doc: TextDocument): Promise<Analysis> {
  const settings = await getSettings(doc.uri);
  const st = stateOf(doc.uri);
  if (st.analysis && st.analysis.version === doc.version) return st.analysis.result;
  const imports = resolverFor(doc.uri, settings);
  const baseline = baselineFor(doc.uri, settings);
  const result = analyze(doc.getText(), { uri: doc.uri, imports, ...(baseline ? { baseline } : {}) });
  // The document may have closed while settings were read; only open documents keep state.
  if (documents.get(doc.uri)) st.analysis = { version: doc.version, result, deps: imports.resolved };
  return result;
}

// ---- validation ----------------------------------------------------------------------------------------

function scheduleValidation(doc: TextDocument, immediate = false): void {
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
  } catch (e) {
    log(`validating ${uri} failed`, e);
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
  scheduleValidation(e.document);
  revalidateDependents(e.document.uri);
});

documents.onDidClose((e) => {
  const uri = e.document.uri;
  const st = states.get(uri);
  if (st?.timer) clearTimeout(st.timer);
  states.delete(uri);
  documentSettings.delete(uri);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
  revalidateDependents(uri);
});

connection.onDidChangeWatchedFiles((e) => {
  for (const c of e.changes) {
    const p = fsPathOf(c.uri);
    workspaceFiles.invalidate(p);
    if (p) {
      for (const d of documents.all()) {
        const st = states.get(d.uri);
        if (st?.analysis?.deps.has(p) && !openDocumentAt(p)) {
          st.analysis = undefined;
          scheduleValidation(d);
        }
      }
    }
  }
});

// ---- requests ------------------------------------------------------------------------------------------

/** Runs a handler; a failure is logged and answered with the fallback, never with a dead server. */
async function guarded<T>(what: string, fallback: T, run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (e) {
    log(`${what} failed`, e);
    return fallback;
  }
}

function docOf(params: unknown): TextDocument | undefined {
  const uri = (params as { textDocument?: { uri?: unknown } } | undefined)?.textDocument?.uri;
  return typeof uri === 'string' ? documents.get(uri) : undefined;
}

connection.onDocumentSymbol((params, token) => guarded('documentSymbol', null, async () => {
  const doc = docOf(params);
  if (!doc) return null;
  const { bound } = await analysisOf(doc);
  if (token.isCancellationRequested) return null;
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
  const files: { uri: string; ast: ProtoFile }[] = [];
  const openPaths = new Set<string>();
  for (const d of documents.all()) {
    const p = fsPathOf(d.uri);
    if (p) openPaths.add(p);
    const st = states.get(d.uri);
    files.push({ uri: d.uri, ast: st?.analysis?.version === d.version ? st.analysis.result.bound.ast : parse(d.getText()) });
  }
  for (const p of await workspaceFiles.files(cancelled)) {
    if (cancelled()) break;
    if (openPaths.has(p)) continue;
    const f = await workspaceFiles.parse(p);
    if (f) files.push(f);
  }
  if (cancelled()) return [];
  return getWorkspaceSymbols(files, query, { limit: MAX_WORKSPACE_SYMBOLS, isCancelled: cancelled });
}));

connection.onDefinition((params) => guarded('definition', null, async () => {
  const doc = docOf(params);
  if (!doc || !isValidPosition(params.position)) return null;
  const { bound } = await analysisOf(doc);
  const settings = await getSettings(doc.uri);
  const resolver = resolverFor(doc.uri, settings);
  return findDefinition(bound, params.position, { text: doc.getText(), resolveImport: (p, from) => resolver.resolveUri(p, from) });
}));

connection.onReferences((params, token) => guarded('references', null as Location[] | null, async () => {
  const doc = docOf(params);
  if (!doc || !isValidPosition(params.position)) return null;
  const { bound } = await analysisOf(doc);
  const others: FileContext[] = [];
  for (const d of documents.all()) {
    if (d.uri === doc.uri || token.isCancellationRequested) continue;
    others.push({ bound: (await analysisOf(d)).bound, text: d.getText() });
  }
  if (token.isCancellationRequested) return null;
  return findReferences(bound, params.position, { includeDeclaration: !!params.context?.includeDeclaration, text: doc.getText(), others });
}));

connection.onHover((params) => guarded('hover', null, async () => {
  const doc = docOf(params);
  if (!doc || !isValidPosition(params.position)) return null;
  const { bound } = await analysisOf(doc);
  const hover = doHover(bound, params.position, { text: doc.getText() });
  if (hover && !markdownHover) hover.contents = { kind: 'plaintext', value: hover.contents.value };
  return hover;
}));

connection.onFoldingRanges((params) => guarded('foldingRange', null, async () => {
  const doc = docOf(params);
  if (!doc) return null;
  const { bound } = await analysisOf(doc);
  return getFoldingRanges(bound.ast, doc.getText(), foldingRangeLimit !== undefined ? { rangeLimit: foldingRangeLimit } : {});
}));

// A bug in a handler must not end the session: log it and keep serving.
process.on('uncaughtException', (e) => log('uncaught exception', e));
process.on('unhandledRejection', (e) => log('unhandled rejection', e));

documents.listen(connection);
connection.listen();
