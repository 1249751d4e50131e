// Notifications that point to the "CRI API Compatibility" output offer to open it: one click instead of finding
// the channel in the Output view's list, as the baseline warning does.

import { l10n, window, type LogOutputChannel } from 'vscode';
import { notificationText } from '../../server/src/lsp/notificationText';

/** The button that opens the output; also offered by the baseline warning. */
export function showOutputLabel(): string {
  return l10n.t('Show Output');
}

/** An error notification whose message says to see the output, with a "Show Output" button that opens it. */
export async function showErrorWithOutput(output: LogOutputChannel, message: string): Promise<void> {
  const log = showOutputLabel();
  if ((await window.showErrorMessage(notificationText(message), log)) === log) output.show(true);
}
