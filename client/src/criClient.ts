// The language client, with one notification when the server does not start. vscode-languageclient adds its own
// toasts to a failed start ("… client: couldn't create connection to server.", the initialize error's message,
// "Server initialization failed."), and VS Code shows three toasts at a time, so that ours, the one that says what
// to do and has "Show Output", ended in the notification centre. Starts made through startReporting() leave the
// notification to their caller; the client's other errors (a crash, an automatic restart that failed) are its own.
// A server that exits before it ever ran (its initialize failed) is not restarted either: the client's default
// handler would start it again as after a crash, fail again, and add its own toasts after ours.
// A server that never answers `initialize` is stopped after criCompat.server.startTimeout (startTimeout.ts): the
// client alone would wait for ever, "starting". That holds for every start: the first, a restart, and the automatic
// restart after a crash. Such a start gets one notification, the extension's (onDidTimeOut for a start nobody
// reports): what the client says as it ends is logged only.

import {
  CloseAction, LanguageClient, State, type CloseHandlerResult, type ErrorHandler, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import { EventEmitter } from 'vscode';
import { boundedStart, StartTimeoutError } from './startTimeout';

export class CriLanguageClient extends LanguageClient {
  /** Set while a start whose failure the caller reports runs. */
  private reporting = false;
  /** Whether the server of the current start reached Running: a crash of one that did is restarted as usual. */
  private ran = false;
  /** Set when a start is given up on, until the next start: the client's errors as it ends are logged, not shown. */
  private givenUp = false;
  private readonly defaults: ErrorHandler;
  private readonly timeouts = new EventEmitter<StartTimeoutError>();
  /** A start that nobody reports (the automatic restart after a crash) was given up on. */
  readonly onDidTimeOut = this.timeouts.event;

  /** `startTimeout`: the seconds a start waits for the server's answer to `initialize`, read at each start. */
  constructor(id: string, name: string, serverOptions: ServerOptions, clientOptions: LanguageClientOptions, private readonly startTimeout: () => number) {
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
      if (e.newState === State.Starting) {
        this.ran = false;
        this.givenUp = false;
      } else if (e.newState === State.Running) this.ran = true;
    });
  }

  private closed(): CloseHandlerResult | Promise<CloseHandlerResult> {
    // Its failed start was said already (ours, or the client's own for a restart it made).
    return this.ran ? this.defaults.closed() : { action: CloseAction.DoNotRestart, handled: true };
  }

  /** Rejects with a StartTimeoutError, after stopping the server, when it did not answer `initialize` in time. */
  override async start(): Promise<void> {
    const reported = this.reporting;
    try {
      await boundedStart(super.start(), this.startTimeout(), () => {
        if (this.state === State.Running) return;
        this.givenUp = true;
        // stop() refuses a client that is still starting; ending the process closes the connection, which rejects
        // the pending `initialize` and ends the start as a failed one (StartFailed, not restarted: closed()).
        // SIGKILL: a server stuck in a synchronous read would not get to handle a gentler signal.
        this.serverProcess?.kill('SIGKILL');
      });
    } catch (e) {
      if (e instanceof StartTimeoutError && !reported) this.timeouts.fire(e);
      throw e;
    }
  }

  /**
   * start(), or restart() when running: rejects when the server did not start (a StartTimeoutError when it did not
   * answer in time), and shows no notification of that.
   */
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
    super.error(message, data, this.reporting || this.givenUp ? false : showNotification);
  }
}
