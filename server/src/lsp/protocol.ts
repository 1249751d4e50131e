// The custom requests and notifications between the extension client and the language server: method names
// and parameter/result shapes, declared once here. esbuild bundles this file into both dist/server.js and
// dist/client.js, so it must stay plain TypeScript: no `vscode`, no `vscode-languageserver` imports.

/** LSP-shaped position (zero-based line, UTF-16 character). */
export interface CriPosition {
  line: number;
  character: number;
}

/** The baseline a document is compared against, as the client shows it. */
export interface BaselineInfo {
  /** Go module tag (`v0.36.3`), or a label such as a file path for a file baseline. */
  tag: string;
  /** Kubernetes release of the tag, when it is one (`1.36.3`). */
  kubernetes?: string;
  /** `setting`, `path`, `git`, `bundled`, `gomodcache`, `vendor` or `proxy`. */
  source: string;
  /** Human-readable origin, e.g. "the bundled release index (newest release)". */
  origin: string;
}

// ---- client → server requests ---------------------------------------------------------------------------

/** `criCompat/report`: the compatibility report of an open document, as markdown. */
export const ReportRequestMethod = 'criCompat/report';
export interface ReportParams {
  uri: string;
}
/** Markdown; null when the document is not open. */
export type ReportResult = string | null;

/** `criCompat/baselines`: the releases of the bundled index, newest first, and the current baseline. */
export const BaselinesRequestMethod = 'criCompat/baselines';
export interface BaselinesParams {
  /** The document whose current baseline to report (else the first open CRI document's). */
  uri?: string;
}
export interface ReleaseInfo {
  tag: string;
  kubernetes: string;
  prerelease: boolean;
  /** Commit date `YYYY-MM-DD`, when known. */
  date?: string;
}
export interface BaselinesResult {
  /** Newest first. Empty when the bundled index could not be loaded. */
  releases: ReleaseInfo[];
  current: BaselineInfo | null;
  /** True while the baseline of the document is still being resolved. */
  resolving: boolean;
}

/** `criCompat/history`: the release history of the element at a position. */
export const HistoryRequestMethod = 'criCompat/history';
export interface HistoryParams {
  uri: string;
  position: CriPosition;
}
export interface HistoryResult {
  /** Element path (`runtime.v1.ContainerConfig.cdi_devices`); absent when the position is on no element. */
  element?: string;
  /** The package the text is about (`runtime.v1alpha2`, or one no release has): the document's name where no element names it. */
  package?: string;
  /** False when the element is unknown to the history (the text then says why). */
  ok: boolean;
  /** Plain text. */
  text: string;
}

/** `criCompat/rules`: every rule, for "Explain Rule…". */
export const RulesRequestMethod = 'criCompat/rules';
export interface RulesParams {
  /** A document or workspace folder: each rule then says its severity there (`effective`). */
  uri?: string;
}
export interface RuleInfo {
  id: string;
  category: string;
  /** Default severity. */
  severity: string;
  /**
   * The severity at the `uri` asked about, `criCompat.severity` over the folder's `.cri-compat.json` over the
   * default (`off` where the rule is turned off); absent when no uri was given.
   */
  effective?: string;
  breaking: boolean;
  /** What a breaking rule breaks, when it is breaking ("Go code built against a released k8s.io/cri-api"). */
  breaks?: string;
  title: string;
  /** Markdown. */
  explanation: string;
  /** None for a rule that no policy page explains. */
  link?: string;
}
export type RulesResult = RuleInfo[];

// ---- client → server notifications ----------------------------------------------------------------------

/** `criCompat/trustChanged`: the workspace was trusted (or not); the server resolves baselines again. */
export const TrustChangedNotificationMethod = 'criCompat/trustChanged';
export interface TrustChangedParams {
  trusted: boolean;
}

/** What the client passes as `initializationOptions`. */
export interface CriInitializationOptions {
  /** `vscode.workspace.isTrusted`. Untrusted (the default): no git, no network. */
  trusted?: boolean;
  /** Where downloads are cached (the extension's global storage). */
  cacheDir?: string;
  /** The client shows `criCompat/baselineWarning` (with actions); others get window/showMessage. */
  baselineWarnings?: boolean;
}

// ---- server → client notifications ----------------------------------------------------------------------

/**
 * `criCompat/baselineWarning`: no baseline could be found, or `criCompat.baseline` could not be used; sent once per
 * folder and value, in place of window/showMessage, to a client that set `baselineWarnings`, so that it can offer
 * to change the setting.
 */
export const BaselineWarningNotificationMethod = 'criCompat/baselineWarning';
export interface BaselineWarningParams {
  message: string;
}

/** `criCompat/status`: sent whenever a document was validated. */
export const StatusNotificationMethod = 'criCompat/status';
export interface StatusParams {
  uri: string;
  /** Null when the document has no baseline (not a CRI API file, none found, or still resolving). */
  baselineTag: string | null;
  kubernetes?: string;
  source?: string;
  origin?: string;
  /** Findings of breaking rules. */
  breaking: number;
  /** All findings. */
  findings: number;
  /** Is the document compared with a release at all (package `runtime.v1`)? */
  checked: boolean;
  /** Baseline resolution is still running for this document. */
  resolving: boolean;
}

/** The command the editor's report runs from a rule id: `command:criCompat.explainRule?["RULE_ID"]`. */
export const EXPLAIN_RULE_COMMAND = 'criCompat.explainRule';

/** A `command:` URI that explains a rule; a rule id needs no encoding beyond its JSON quotes and brackets. */
export function explainRuleUri(ruleId: string): string {
  return `command:${EXPLAIN_RULE_COMMAND}?${encodeURIComponent(JSON.stringify([ruleId]))}`;
}

/** The command the report's line links run: `command:criCompat.revealPosition?[uri, line, character]`. */
export const REVEAL_POSITION_COMMAND = 'criCompat.revealPosition';

/** A `command:` URI that reveals a position, safe inside a markdown link target (no spaces or parentheses). */
export function revealPositionUri(uri: string, line: number, character: number): string {
  return revealPositionLinks(uri)(line, character);
}

/**
 * `revealPositionUri` for every position of one document. The report links each of its rows, hundreds of
 * thousands in a large broken file, where encoding the same URI again for each row was a sixth of the report's
 * time; positions are integers, whose JSON digits need no encoding.
 */
export function revealPositionLinks(uri: string): (line: number, character: number) => string {
  // `[uri,` encoded once; then `line,character]` with the comma and bracket as encodeURIComponent writes them.
  const args = encodeURIComponent(`[${JSON.stringify(uri)},`).replace(/[()'!*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  const head = `command:${REVEAL_POSITION_COMMAND}?${args}`;
  return (line, character) => `${head}${line}%2C${character}%5D`;
}
