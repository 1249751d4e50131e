// Extension entry: starts the language server (dist/server.js) over IPC for `proto` documents, wires the
// status bar, the report webview and the "CRI:" commands. Thin on purpose: every check and every answer
// comes from the server (custom requests in server/src/lsp/protocol.ts).

import * as path from 'node:path';
import * as subprocessL10n from '@vscode/l10n';
import { commands, l10n, window, workspace, type ExtensionContext, type LogOutputChannel } from 'vscode';
import { State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  BaselineWarningNotificationMethod, StatusNotificationMethod, TrustChangedNotificationMethod,
  type BaselineWarningParams, type CriInitializationOptions, type StatusParams, type TrustChangedParams,
} from '../../server/src/lsp/protocol';
import { COMMANDS, registerCommands, showBaselineWarning } from './commands';
import { CriLanguageClient } from './criClient';
import { showErrorWithOutput } from './notify';
import { PRODUCT_NAME } from './render';
import { ReportView } from './report';
import { StartTimeoutError, startTimeoutSeconds } from './startTimeout';
import { CriStatusBar } from './statusBar';

/** Client id: VS Code reads `criCompat.trace.server` for it, and settings live under `criCompat`. */
export const CLIENT_ID = 'criCompat';
/** The output channel's and the language client's name: the extension's display name. */
export const CLIENT_NAME = PRODUCT_NAME;

let client: CriLanguageClient | undefined;
let output: LogOutputChannel | undefined;
let statusBar: CriStatusBar | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  // render.ts and baselineSetting.ts run without VS Code (tests run them under plain node), so their texts go
  // through @vscode/l10n: it gets the bundle VS Code loaded for the display language (none for English).
  if (l10n.bundle) subprocessL10n.config({ contents: l10n.bundle });
  output = window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(output);
  const channel = output;

  statusBar = new CriStatusBar();
  const report = new ReportView(() => client, channel);
  context.subscriptions.push(statusBar, report);

  context.subscriptions.push(commands.registerCommand(COMMANDS.restartServer, restartServer));
  registerCommands(context, { client: () => client, output: channel, statusBar, report });

  client = createClient(context, channel);
  const bar = statusBar;
  context.subscriptions.push(
    // Starting counts as running (the item says "checking…"); stopped and failed to start say so.
    client.onDidChangeState((e) => bar.setServerRunning(e.newState !== State.Stopped && e.newState !== State.StartFailed)),
    // The automatic restart after a crash, given up on; the starts this file makes say so themselves.
    client.onDidTimeOut((e) => {
      channel.error(`The CRI language server did not start again after it stopped: ${e.message}`);
      showStartTimeout(e);
    }),
    client.onNotification(StatusNotificationMethod, (s: StatusParams) => {
      bar.update(s);
      report.onStatus(s);
    }),
    client.onNotification(BaselineWarningNotificationMethod, (p: BaselineWarningParams) => void showBaselineWarning(channel, p.message)),
    // Trust can only be granted while the window lives; the server then may use git (and the network).
    workspace.onDidGrantWorkspaceTrust(() => {
      channel.info('Workspace trusted: resolving baselines again (git and, if enabled, the network may now be used).');
      void client?.sendNotification(TrustChangedNotificationMethod, { trusted: true } satisfies TrustChangedParams)
        .catch((e: unknown) => channel.warn(`Telling the server about trust failed: ${e instanceof Error ? e.message : String(e)}`));
    }),
  );
  try {
    // One notification if it fails, ours (criClient.ts).
    await client.startReporting();
  } catch (e) {
    channel.error(`The CRI language server did not start: ${e instanceof Error ? e.message : String(e)}`);
    if (!showStartTimeout(e)) void showErrorWithOutput(channel, l10n.t('{0}: the language server did not start. See the "{0}" output for details.', CLIENT_NAME));
  }
}

/** `criCompat.server.startTimeout`, read at each start: a window setting, as the client is one per window. */
function startTimeout(): number {
  return startTimeoutSeconds(workspace.getConfiguration('criCompat').get<unknown>('server.startTimeout'));
}

/**
 * A start that timed out (startTimeout.ts) gets its own notification, with "Restart" beside "Show Output": what hung
 * (a stuck git, a slow disk) may be over by then. false for any other error.
 */
function showStartTimeout(e: unknown): boolean {
  if (!(e instanceof StartTimeoutError) || !output) return false;
  void showErrorWithOutput(output, l10n.t('{0}: the language server did not answer within {1} seconds and was stopped. See the "{0}" output; the time is the criCompat.server.startTimeout setting.', CLIENT_NAME, e.seconds), () => void restartServer());
  return true;
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop().catch(() => undefined);
}

/** The running client, for commands registered elsewhere in the extension. */
export function getClient(): CriLanguageClient | undefined {
  return client;
}

function createClient(context: ExtensionContext, channel: LogOutputChannel): CriLanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Every scheme: unsaved and virtual documents are checked on their text alone (imports need files).
    documentSelector: [{ language: 'proto' }],
    outputChannel: channel,
    markdown: { isTrusted: false, supportHtml: false },
    // A function, so that a restart passes the trust of that moment.
    initializationOptions: (): CriInitializationOptions => ({
      trusted: workspace.isTrusted,
      cacheDir: context.globalStorageUri.fsPath,
      baselineWarnings: true,
    }),
  };
  return new CriLanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions, startTimeout);
}

async function restartServer(): Promise<void> {
  try {
    if (!client) return;
    statusBar?.clear();
    await client.startReporting();
    output?.info('Language server restarted.');
  } catch (e) {
    output?.error(`Restarting the language server failed: ${e instanceof Error ? e.message : String(e)}`);
    if (output && !showStartTimeout(e)) void showErrorWithOutput(output, l10n.t('{0}: restarting the language server failed. See the "{0}" output.', CLIENT_NAME));
  }
}
