// The status bar's memory: each document's last `criCompat/status` from the server, and whether the server is
// running. No VS Code API, so that tests run it under plain node; statusBar.ts shows what it holds.

import type { StatusParams } from '../../server/src/lsp/protocol';

export class DocumentStatuses {
  private readonly byUri = new Map<string, StatusParams>();
  private running = true;

  /** false while the language server is not running: no status it sent before holds then. */
  get serverRunning(): boolean {
    return this.running;
  }

  set(s: StatusParams): void {
    this.byUri.set(s.uri, s);
  }

  get(uri: string): StatusParams | undefined {
    return this.byUri.get(uri);
  }

  delete(uri: string): void {
    this.byUri.delete(uri);
  }

  clear(): void {
    this.byUri.clear();
  }

  /**
   * The language client's state changed; true when that changes what is shown. A server that starts again after
   * a stop (vscode-languageclient restarts a crashed one on its own, without our restart command's clear()) has
   * checked nothing yet: the statuses of the one before are forgotten, so that no document shows a stale one
   * until it is checked again.
   */
  setServerRunning(running: boolean): boolean {
    if (this.running === running) return false;
    this.running = running;
    if (running) this.byUri.clear();
    return true;
  }
}
