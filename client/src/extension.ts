// Extension entry: starts the language server (dist/server.js) over IPC for `proto` documents and registers
// the commands. Thin on purpose: every check and every answer comes from the server.

import * as path from 'node:path';
import { commands, window, type ExtensionContext, type LogOutputChannel } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** Client id: VS Code reads `criCompat.trace.server` for it, and settings live under `criCompat`. */
export const CLIENT_ID = 'criCompat';
export const CLIENT_NAME = 'CRI Compatibility';

let client: LanguageClient | undefined;
let output: LogOutputChannel | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  output = window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(output);

  context.subscriptions.push(commands.registerCommand('criCompat.restartServer', restartServer));

  client = createClient(context, output);
  try {
    await client.start();
  } catch (e) {
    output.error(`The CRI language server did not start: ${e instanceof Error ? e.message : String(e)}`);
    void window.showErrorMessage('CRI Compatibility: the language server did not start. See the "CRI Compatibility" output for details.');
  }
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop().catch(() => undefined);
}

/** The running client, for commands registered elsewhere in the extension. */
export function getClient(): LanguageClient | undefined {
  return client;
}

function createClient(context: ExtensionContext, channel: LogOutputChannel): LanguageClient {
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
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

async function restartServer(): Promise<void> {
  try {
    if (!client) return;
    if (client.isRunning()) await client.restart();
    else await client.start();
    output?.info('Language server restarted.');
  } catch (e) {
    output?.error(`Restarting the language server failed: ${e instanceof Error ? e.message : String(e)}`);
    void window.showErrorMessage('CRI Compatibility: restarting the language server failed. See the "CRI Compatibility" output.');
  }
}
