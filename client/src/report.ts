// The compatibility report in a webview (strict CSP, rendered by render.ts; its one script, allowed by a
// nonce, keeps the scroll position), kept up to date while it is open, and the rule explanations in a second
// webview (no scripts at all).

import { randomBytes } from 'node:crypto';
import { l10n, ProgressLocation, ViewColumn, window, type Disposable, type LogOutputChannel, type WebviewPanel } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  EXPLAIN_RULE_COMMAND, REVEAL_POSITION_COMMAND, ReportRequestMethod,
  type ReportParams, type ReportResult, type RuleInfo, type StatusParams,
} from '../../server/src/lsp/protocol';
import { showErrorWithOutput } from './notify';
import { PRODUCT_NAME, ruleMarkdown, webviewHtml } from './render';

const N = PRODUCT_NAME;

export const REPORT_VIEW_TYPE = 'criCompat.report';
export const RULE_VIEW_TYPE = 'criCompat.rule';

function baseName(uri: string): string {
  const clean = uri.replace(/[?#].*$/, '');
  try {
    return decodeURIComponent(clean.slice(clean.lastIndexOf('/') + 1)) || uri;
  } catch {
    return clean.slice(clean.lastIndexOf('/') + 1) || uri;
  }
}

export class ReportView implements Disposable {
  private panel: WebviewPanel | undefined;
  private rulePanel: WebviewPanel | undefined;
  private uri: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The Show Report being computed, which showing the same document again waits for. */
  private pending: { uri: string; done: Promise<void> } | undefined;
  /** What the report panel shows, so that an unchanged report does not reload it. */
  private shown: { uri: string; title: string; markdown: string } | undefined;

  constructor(private readonly client: () => LanguageClient | undefined, private readonly output: LogOutputChannel) {}

  /** The report's markdown for an open document; undefined (with a message) when there is none. */
  async markdown(uri: string): Promise<string | undefined> {
    const c = this.client();
    if (!c || !c.isRunning()) {
      void window.showWarningMessage(l10n.t('{0}: the language server is not running. Run "CRI: Restart Language Server".', N));
      return undefined;
    }
    try {
      const md = await c.sendRequest<ReportResult>(ReportRequestMethod, { uri } satisfies ReportParams);
      if (typeof md !== 'string') {
        void window.showWarningMessage(l10n.t('{0}: open the .proto file to see its report.', N));
        return undefined;
      }
      return md;
    } catch (e) {
      this.output.error(`The compatibility report failed: ${e instanceof Error ? e.message : String(e)}`);
      void showErrorWithOutput(this.output, l10n.t('{0}: the report failed. See the "{0}" output.', N));
      return undefined;
    }
  }

  /**
   * Shows the report of a document in the panel. The server may take a while (a big file, a busy machine): the
   * status bar shows progress meanwhile, and showing the same report again while it is pending waits for that one
   * instead of asking again.
   */
  show(uri: string): Promise<void> {
    if (this.pending?.uri === uri) return this.pending.done;
    const done: Promise<void> = this.showNow(uri).finally(() => {
      if (this.pending?.done === done) this.pending = undefined;
    });
    this.pending = { uri, done };
    return done;
  }

  private async showNow(uri: string): Promise<void> {
    const md = await window.withProgress(
      { location: ProgressLocation.Window, title: l10n.t('{0}: computing the compatibility report of {1}…', N, baseName(uri)) },
      () => this.markdown(uri),
    );
    if (md === undefined) return;
    const title = l10n.t('CRI Report: {0}', baseName(uri));
    if (!this.panel) {
      this.panel = window.createWebviewPanel(REPORT_VIEW_TYPE, title, { viewColumn: ViewColumn.Beside, preserveFocus: true }, {
        // Only for the page's own script (SCROLL_SCRIPT, allowed by a fresh nonce in the CSP): it keeps the
        // scroll position when the report is refreshed. Nothing listens to messages from the webview.
        enableScripts: true,
        enableForms: false,
        // Only the report's line and rule links may run a command, and only these (render.ts: safeHref).
        enableCommandUris: [REVEAL_POSITION_COMMAND, EXPLAIN_RULE_COMMAND],
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.uri = undefined;
        this.shown = undefined;
        if (this.timer) clearTimeout(this.timer);
      });
    } else {
      this.panel.reveal(undefined, true);
    }
    this.uri = uri;
    this.panel.title = title;
    this.setReport(this.panel, uri, title, md);
    this.output.info(`Showing the compatibility report of ${uri}.`);
  }

  /** The document of the open report, if any. */
  get reportUri(): string | undefined {
    return this.panel ? this.uri : undefined;
  }

  /** A document was validated again: refresh the open report of it (debounced). */
  onStatus(s: StatusParams): void {
    if (!this.panel || s.uri !== this.uri) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const uri = this.uri;
      const panel = this.panel;
      if (!uri || !panel) return;
      void this.client()?.sendRequest<ReportResult>(ReportRequestMethod, { uri } satisfies ReportParams).then((md) => {
        if (typeof md === 'string' && this.panel === panel && this.uri === uri) this.setReport(panel, uri, panel.title, md);
      }, (e) => this.output.warn(`Refreshing the report failed: ${e instanceof Error ? e.message : String(e)}`));
    }, 300);
  }

  /**
   * Shows a report in the panel. Setting the html reloads the page, so an unchanged report is left alone
   * (the status refreshes after every check), and a changed one comes back at its scroll position.
   */
  private setReport(panel: WebviewPanel, uri: string, title: string, markdown: string): void {
    const s = this.shown;
    if (s && s.uri === uri && s.title === title && s.markdown === markdown) return;
    this.shown = { uri, title, markdown };
    panel.webview.html = webviewHtml(title, markdown, { nonce: randomBytes(18).toString('base64'), key: uri });
  }

  showRule(rule: RuleInfo): void {
    const title = l10n.t('CRI Rule: {0}', rule.id);
    const md = ruleMarkdown(rule);
    if (!this.rulePanel) {
      this.rulePanel = window.createWebviewPanel(RULE_VIEW_TYPE, title, { viewColumn: ViewColumn.Beside, preserveFocus: false }, {
        enableScripts: false,
        enableForms: false,
        enableCommandUris: false,
        localResourceRoots: [],
      });
      this.rulePanel.onDidDispose(() => (this.rulePanel = undefined));
    } else {
      this.rulePanel.reveal(undefined, false);
    }
    this.rulePanel.title = title;
    this.rulePanel.webview.html = webviewHtml(title, md);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.panel?.dispose();
    this.rulePanel?.dispose();
  }
}
