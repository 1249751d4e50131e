// The language client, with one notification when the server does not start. vscode-languageclient adds its own
// toasts to a failed start ("… client: couldn't create connection to server.", the initialize error's message,
// "Server initialization failed."), and VS Code shows three toasts at a time, so that ours, the one that says what
// to do and has "Show Output", ended in the notification centre. Starts made through startReporting() leave the
// notification to their caller; the client's other errors (a crash, an automatic restart that failed) are its own.
// A server that exits before it ever ran (its initialize failed) is not restarted either: the client's default
// handler would start it again as after a crash, fail again, and add its own toasts after ours.
// A server that never answers `initialize` is stopped after criCompat.server.startTimeout (startTimeout.ts): the
// client alone would wait for ever, "starting".

import {
  CloseAction, LanguageClient, State, type CloseHandlerResult, type ErrorHandler, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import { boundedStart } from './startTimeout';

export class CriLanguageClient extends LanguageClient {
  /** Set while a start whose failure the caller reports runs. */
  private reporting = false;
  /** Whether the server of the current start reached Running: a crash of one that did is restarted as usual. */
  private ran = false;
  private readonly defaults: ErrorHandler;

  constructor(id: string, name: string, serverOptions: ServerOptions, clientOptions: LanguageClientOptions) {
    // The handler is given before `this` exists; it calls this client's once it does.
    let self: CriLanguageClient | undefined;
    super(id, name, serverOptions, {
      ...clientOptions,
      // A failed initialize: logged (by the caller, from the rejected start), not shown as a plain toast, and not
      // retried (false).
      initializationFailedHandler: () => false,
      errorHandler: {
        error: (error, message, count) => self!.defaults.error(error, message, count),
        closed: () => self!.closed(),
      },
    });
    self = this;
    this.defaults = this.createDefaultErrorHandler(clientOptions.connectionOptions?.maxRestartCount);
    this.onDidChangeState((e) => {
      if (e.newState === State.Starting) this.ran = false;
      else if (e.newState === State.Running) this.ran = true;
    });
  }

  private closed(): CloseHandlerResult | Promise<CloseHandlerResult> {
    // Its failed start was said already (ours, or the client's own for a restart it made).
    return this.ran ? this.defaults.closed() : { action: CloseAction.DoNotRestart, handled: true };
  }

  /**
   * start(), or restart() when running: rejects when the server did not start, and shows no notification of that;
   * with a StartTimeoutError when it did not answer `initialize` within `timeoutSeconds`, after stopping it.
   */
  async startReporting(timeoutSeconds: number): Promise<void> {
    this.reporting = true;
    try {
      await boundedStart(this.isRunning() ? this.restart() : this.start(), timeoutSeconds, () => {
        // stop() refuses a client that is still starting; ending the process closes the connection, which rejects
        // the pending `initialize` and ends the start as a failed one (StartFailed, not restarted: closed()).
        // SIGKILL: a server stuck in a synchronous read would not get to handle a gentler signal.
        if (this.state !== State.Running) this.serverProcess?.kill('SIGKILL');
      });
    } finally {
      this.reporting = false;
    }
  }

  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    // Still logged in the output, which the caller's notification offers to show.
    super.error(message, data, this.reporting ? false : showNotification);
  }
}
