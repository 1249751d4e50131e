// Notifications that point to the "CRI API Compatibility" output offer to open it: one click instead of finding
// the channel in the Output view's list, as the baseline warning does.

import { l10n, window, type LogOutputChannel } from 'vscode';
import { notificationText } from '../../server/src/lsp/notificationText';

/** The button that opens the output; also offered by the baseline warning. */
export function showOutputLabel(): string {
  return l10n.t('Show Output');
}

/**
 * An error notification whose message says to see the output, with a "Show Output" button that opens it, and with
 * `restart`, a "Restart" button after it that calls it.
 */
export async function showErrorWithOutput(output: LogOutputChannel, message: string, restart?: () => unknown): Promise<void> {
  const log = showOutputLabel();
  const again = l10n.t('Restart');
  const picked = await window.showErrorMessage(notificationText(message), ...(restart ? [log, again] : [log]));
  if (picked === log) output.show(true);
  else if (picked === again) restart?.();
}
