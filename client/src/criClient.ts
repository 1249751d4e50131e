// The language client, with one notification when the server does not start. vscode-languageclient adds its own
// toasts to a failed start ("… client: couldn't create connection to server.", the initialize error's message,
// "Server initialization failed."), and VS Code shows three toasts at a time, so that ours, the one that says what
// to do and has "Show Output", ended in the notification centre. Starts made through startReporting() leave the
// notification to their caller; the client's other errors (a crash, an automatic restart that failed) are its own.

import { LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export class CriLanguageClient extends LanguageClient {
  /** Set while a start whose failure the caller reports runs. */
  private reporting = false;

  constructor(id: string, name: string, serverOptions: ServerOptions, clientOptions: LanguageClientOptions) {
    super(id, name, serverOptions, {
      ...clientOptions,
      // A failed initialize: logged (by the caller, from the rejected start), not shown as a plain toast, and not
      // retried (false).
      initializationFailedHandler: () => false,
    });
  }

  /** start(), or restart() when running: rejects when the server did not start, and shows no notification of that. */
  async startReporting(): Promise<void> {
    this.reporting = true;
    try {
      if (this.isRunning()) await this.restart();
      else await this.start();
    } finally {
      this.reporting = false;
    }
  }

  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    // Still logged in the output, which the caller's notification offers to show.
    super.error(message, data, this.reporting ? false : showNotification);
  }
}
