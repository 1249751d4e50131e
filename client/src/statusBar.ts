// The status bar item: the baseline of the active proto editor and its number of breaking findings, from
// the server's `criCompat/status` notifications. Click: the compatibility report.

import { EventEmitter, StatusBarAlignment, window, workspace, type Disposable, type StatusBarItem, type TextEditor } from 'vscode';
import type { StatusParams } from '../../server/src/lsp/protocol';
import { PRODUCT_NAME, serverStoppedView, statusView } from './render';
import { DocumentStatuses } from './statusStore';

export const STATUS_ITEM_ID = 'criCompat.status';

export class CriStatusBar implements Disposable {
  private readonly item: StatusBarItem;
  private readonly statuses = new DocumentStatuses();
  private readonly subscriptions: Disposable[] = [];
  private readonly updates = new EventEmitter<StatusParams>();
  /** Each status the server sent, after it is stored: commands that wait for a document's baseline listen here. */
  readonly onDidUpdate = this.updates.event;
  /** The last proto document that was active, for commands run from elsewhere (e.g. the report panel). */
  lastProtoUri: string | undefined;

  constructor() {
    this.item = window.createStatusBarItem(STATUS_ITEM_ID, StatusBarAlignment.Left, 100);
    this.item.name = PRODUCT_NAME;
    this.item.command = 'criCompat.showReport';
    this.subscriptions.push(
      window.onDidChangeActiveTextEditor((e) => this.refresh(e)),
      workspace.onDidCloseTextDocument((d) => this.statuses.delete(d.uri.toString())),
      // A language mode change closes and reopens the document.
      workspace.onDidOpenTextDocument(() => this.refresh(window.activeTextEditor)),
    );
    this.refresh(window.activeTextEditor);
  }

  update(s: StatusParams): void {
    if (!s || typeof s.uri !== 'string') return;
    this.statuses.set(s);
    const active = window.activeTextEditor;
    if (active && active.document.uri.toString() === s.uri) this.refresh(active);
    this.updates.fire(s);
  }

  status(uri: string): StatusParams | undefined {
    return this.statuses.get(uri);
  }

  /**
   * The language client's state changed: a server that stopped (did not start, crashed) is shown as such, and one
   * that starts again shows no status of the one before (statusStore.ts).
   */
  setServerRunning(running: boolean): void {
    if (this.statuses.setServerRunning(running)) this.refresh(window.activeTextEditor);
  }

  /** Forget everything (the server restarted). */
  clear(): void {
    this.statuses.clear();
    this.refresh(window.activeTextEditor);
  }

  refresh(editor: TextEditor | undefined): void {
    if (!editor || editor.document.languageId !== 'proto') {
      this.item.hide();
      return;
    }
    const uri = editor.document.uri.toString();
    this.lastProtoUri = uri;
    const running = this.statuses.serverRunning;
    const view = running
      ? statusView(this.statuses.get(uri), workspace.getConfiguration('criCompat', editor.document.uri).get<string>('baseline'))
      : serverStoppedView();
    this.item.command = running ? 'criCompat.showReport' : 'criCompat.restartServer';
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.accessibilityInformation = { label: view.ariaLabel, role: 'button' };
    this.item.show();
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    this.updates.dispose();
    this.item.dispose();
  }
}
