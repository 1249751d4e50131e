// The report's line links outside the webview, with no VS Code API (so that tests run them under plain node):
// what "Export Compatibility Report as Markdown" writes instead of them, and which documents
// `criCompat.revealPosition` may open.

import { EXPLAIN_RULE_COMMAND, REVEAL_POSITION_COMMAND } from '../../server/src/lsp/protocol';

/**
 * `[text](command:criCompat.revealPosition?…)` as server/src/lsp/protocol.ts `revealPositionUri` writes it
 * (the arguments percent-encoded, so no blanks or parentheses), and any other `command:` link. Each first takes
 * a backslash escape whole (no text, no arguments): a bracket from the file, escaped in a message, starts no
 * link, which would run up to the next row's line link and take its bracket instead.
 */
const REVEAL_LINK = commandLink(REVEAL_POSITION_COMMAND);
/** `[text](command:criCompat.explainRule?…)` as server/src/lsp/protocol.ts `explainRuleUri` writes it. */
const EXPLAIN_LINK = commandLink(EXPLAIN_RULE_COMMAND);
const COMMAND_LINK = commandLink();

/** A link to `command` with its arguments (the second group), else to any command. */
function commandLink(command?: string): RegExp {
  const target = command ? `${command.replace(/\./g, '\\.')}\\?([A-Za-z0-9%._~!*'-]*)` : '[^)\\s]*';
  return new RegExp(`\\\\[^]|\\[((?:\\\\.|[^\\]\\\\\\n])*)\\]\\(command:${target}\\)`, 'g');
}

/** A command link's arguments (a JSON array, percent-encoded), if they are one. */
function commandArgs(encodedArgs: string): unknown[] | undefined {
  try {
    const args: unknown = JSON.parse(decodeURIComponent(encodedArgs));
    return Array.isArray(args) ? args : undefined;
  } catch {
    return undefined; // not ours
  }
}

/** The line (1-based) a reveal-position link's arguments point to, if they are well-formed. */
export function revealLinkLine(encodedArgs: string): number | undefined {
  const args = commandArgs(encodedArgs);
  return args && typeof args[0] === 'string' && Number.isInteger(args[1]) && (args[1] as number) >= 0 ? (args[1] as number) + 1 : undefined;
}

/**
 * The report's markdown as it is exported: every `command:` link becomes its plain text. Such links only work
 * inside VS Code, and the reveal-position ones carry the file's absolute URI, which an exported report must
 * not leak. The report's line links have the line number as their text, so the tables keep their "Line"
 * column; a reveal link whose text is not a number keeps its text and gets the line: `text (line 12)`. A rule's
 * link, which explains it in the editor, links its policy page from `ruleLinks` (rule id → URL) instead, as
 * the CLI's report does.
 */
export function exportableMarkdown(markdown: string, paths: LocalPaths = {}, ruleLinks: ReadonlyMap<string, string> = new Map()): string {
  let out = markdown
    .replace(EXPLAIN_LINK, (m, text: string | undefined, args: string) => {
      if (text === undefined) return m;
      const [rule] = commandArgs(args) ?? [];
      const link = typeof rule === 'string' ? ruleLinks.get(rule) : undefined;
      return link ? `[${text}](${link})` : text;
    })
    .replace(REVEAL_LINK, (m, text: string | undefined, args: string) => {
      if (text === undefined) return m;
      const line = revealLinkLine(args);
      return line === undefined || /^\d+$/.test(text.trim()) ? text : `${text} (line ${line})`;
    })
    .replace(COMMAND_LINK, (m, text: string | undefined) => text ?? m);
  // A baseline read from a file, the module cache or vendor/ names its path: relative to the workspace folder,
  // or under ~, in what leaves the machine. The folder first: it is usually below the home directory.
  for (const [dir, short] of [[paths.folder, '.'], [paths.home, '~']] as const) {
    const d = dir?.replace(/[\\/]+$/, '');
    if (d) out = out.replace(new RegExp(`${escapedPath(d)}(?=\\\\?[\\\\/])`, 'g'), short);
  }
  return out;
}

/** Local directories whose paths an exported report shortens. */
export interface LocalPaths {
  /** The workspace folder of the reported file: its paths become `./…`. */
  folder?: string;
  /** The user's home directory: `~/…`. */
  home?: string;
}

/** A regular expression for `path` as the report's escaped markdown writes it: any character may follow a backslash. */
function escapedPath(path: string): string {
  return [...path].map((c) => `\\\\?${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).join('');
}

/** URI schemes whose files `criCompat.revealPosition` opens even when they are not open already. */
export const REVEAL_OPEN_SCHEMES: readonly string[] = ['file'];

/** The scheme of a URI string (lower case), or undefined when it has none. */
export function uriScheme(uri: string): string | undefined {
  return /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
}

/**
 * May `criCompat.revealPosition` show this document? A `file:` URI, or a document that is open already (an
 * unsaved `untitled:` one, or one of a virtual workspace, which the server checks too): the report links
 * only to the document it is about. Anything else (another scheme, a closed untitled document, which opening
 * would create anew and empty) is refused.
 */
export function mayReveal(uri: string, isOpen: boolean): boolean {
  const scheme = uriScheme(uri);
  if (!scheme) return false;
  return REVEAL_OPEN_SCHEMES.includes(scheme) || isOpen;
}
