// Text for an editor notification (window/showMessage, and the client's own), taken apart where it would be a link.

/**
 * A message for a VS Code notification, with no link in it. VS Code makes `[label](command:…)` in a notification's
 * text (or the same with an `https:`, `http:` or `file:` target) a link, which it opens with commands allowed.
 * Messages quote paths, git's errors and the rule names of a workspace's .cri-compat.json, which a checkout
 * chooses: a folder, a `.git` file or a key naming `[Open Settings](command:…)` would offer to run any command. A
 * blank between `]` and `(` takes the link apart and leaves the text readable. The server applies it to what it
 * sends with window/showMessage, which the language client shows as it comes; the client to its own notifications.
 */
export function notificationText(message: string): string {
  return message.replace(/\]\(/g, '] (');
}
