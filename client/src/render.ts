// Presentation helpers of the extension that need no VS Code API (so that tests run them under plain node):
// a small, safe markdown → HTML renderer for the report and rule webviews, and the status bar's text.
//
// The renderer knows only what the report and the rule explanations use: headings, paragraphs, `-` lists,
// `---` rules, tables, **bold**, `code spans` and links. Everything is HTML-escaped on output; a link keeps
// its href only for `https:` URLs and the report's `command:criCompat.revealPosition?…` and
// `command:criCompat.explainRule?["RULE_ID"]` URIs, else it is plain text. No raw HTML passes through,
// whatever the markdown contains.
//
// The status bar's texts go through @vscode/l10n rather than vscode.l10n, which needs VS Code; extension.ts gives
// it the bundle VS Code loaded for the display language.

import * as l10n from '@vscode/l10n';
import { EXPLAIN_RULE_COMMAND, REVEAL_POSITION_COMMAND, type BaselineInfo, type RuleInfo, type StatusParams } from '../../server/src/lsp/protocol';

/**
 * The extension's name in the UI: package.json's `displayName`, the settings title, the output channel, the
 * status bar item and the prefix of its messages.
 */
export const PRODUCT_NAME = 'CRI API Compatibility';

/**
 * The language of "Show History of Element at Cursor"'s documents: package.json turns word wrap on for it, since
 * their lines (a skew statement, a policy link) are longer than an editor beside the code is wide.
 */
export const HISTORY_LANGUAGE = 'cri-compat-history';

/** The webview's Content-Security-Policy: no scripts, no remote or local resources, inline styles only. */
export const WEBVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/**
 * The report webview's Content-Security-Policy: as WEBVIEW_CSP, plus the one script of the page that carries
 * `nonce` (it keeps the scroll position across refreshes; SCROLL_SCRIPT).
 */
export function reportCsp(nonce: string): string {
  return `${WEBVIEW_CSP}; script-src 'nonce-${nonce}'`;
}

/**
 * The report's only script. Setting a webview's html reloads it, which would scroll it back to the top after
 * every check while the user types: the script saves the scroll position in the webview's state
 * (acquireVsCodeApi().setState, kept by VS Code across reloads and while the panel is hidden) and restores it
 * when the page loads, if the page shows the same document (`data-scroll-key` of the body). It posts no
 * messages and loads nothing.
 */
export const SCROLL_SCRIPT = [
  '(function () {',
  '  const vscode = acquireVsCodeApi();',
  "  const key = document.body.getAttribute('data-scroll-key');",
  '  const s = vscode.getState();',
  "  if (s && s.key === key && typeof s.x === 'number' && typeof s.y === 'number') window.scrollTo(s.x, s.y);",
  '  let pending = false;',
  "  window.addEventListener('scroll', function () {",
  '    if (pending) return;',
  '    pending = true;',
  '    requestAnimationFrame(function () {',
  '      pending = false;',
  '      vscode.setState({ key: key, x: window.scrollX, y: window.scrollY });',
  '    });',
  '  }, { passive: true });',
  '})();',
].join('\n');

/** The report page's script: its CSP nonce (base64) and the document it shows (scroll positions are per document). */
export interface ScrollScript {
  nonce: string;
  key: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Entity references of HTML's special characters, back to characters as markdown shows them (escaped again on
 * output). The server's `escapeMarkdown` writes none: it escapes an `&` that would start one.
 */
function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
}

const REVEAL_HREF = new RegExp(`^command:${REVEAL_POSITION_COMMAND.replace(/\./g, '\\.')}\\?[A-Za-z0-9%._~-]*$`);
/** One rule id (`["FIELD_NO_DELETE"]`, encoded), as server/src/lsp/protocol.ts `explainRuleUri` writes it. */
const EXPLAIN_HREF = new RegExp(`^command:${EXPLAIN_RULE_COMMAND.replace(/\./g, '\\.')}\\?%5B%22[A-Z][A-Z0-9_]*%22%5D$`);
const HTTPS_HREF = /^https:\/\/[^\s"'<>`\\]+$/;

/** Is an href allowed in a rendered link? */
export function safeHref(href: string): boolean {
  return REVEAL_HREF.test(href) || EXPLAIN_HREF.test(href) || HTTPS_HREF.test(href);
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;

/** Inline markdown → HTML: escapes, code spans, **bold**, links. */
export function renderInline(src: string, allowLinks = true): string {
  let out = '';
  let bold = false;
  let i = 0;
  let text = '';
  const flush = (): void => {
    out += escapeHtml(decodeEntities(text));
    text = '';
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length && PUNCTUATION.test(src[i + 1]!)) {
      // An escaped character is literal; keep it out of entity decoding by flushing around it.
      flush();
      out += escapeHtml(src[i + 1]!);
      i += 2;
      continue;
    }
    if (c === '`') {
      let n = 0;
      while (src[i + n] === '`') n++;
      const fence = '`'.repeat(n);
      const close = src.indexOf(fence, i + n);
      if (close >= 0) {
        flush();
        out += `<code>${escapeHtml(src.slice(i + n, close).replace(/^ (.*) $/, '$1'))}</code>`;
        i = close + n;
        continue;
      }
      text += fence;
      i += n;
      continue;
    }
    if (c === '*' && src[i + 1] === '*' && (bold || src.indexOf('**', i + 2) >= 0)) {
      flush();
      out += bold ? '</strong>' : '<strong>';
      bold = !bold;
      i += 2;
      continue;
    }
    if (c === '[' && allowLinks) {
      const link = parseLink(src, i);
      if (link) {
        flush();
        const inner = renderInline(link.text, false);
        out += safeHref(link.href) ? `<a href="${escapeHtml(link.href)}">${inner}</a>` : inner;
        i = link.end;
        continue;
      }
    }
    text += c;
    i++;
  }
  flush();
  if (bold) out += '</strong>';
  return out;
}

/** `[text](href)` at `start`: the text (escapes honoured), the href (no blanks or parentheses) and the end. */
function parseLink(src: string, start: number): { text: string; href: string; end: number } | undefined {
  let i = start + 1;
  let depth = 0;
  for (; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '`') {
      const close = src.indexOf('`', i + 1);
      if (close < 0) return undefined;
      i = close;
      continue;
    }
    if (c === '[') depth++;
    else if (c === ']') {
      if (depth === 0) break;
      depth--;
    }
  }
  if (i >= src.length || src[i + 1] !== '(') return undefined;
  const close = src.indexOf(')', i + 2);
  if (close < 0) return undefined;
  const href = src.slice(i + 2, close);
  if (/[\s(]/.test(href)) return undefined;
  return { text: src.slice(start + 1, i), href, end: close + 1 };
}

/** Cells of a table row, split at unescaped `|` outside code spans. */
function tableCells(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let code = false;
  const s = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
      continue;
    }
    if (c === '`') code = !code;
    if (c === '|' && !code) {
      cells.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  cells.push(cur.trim());
  return cells;
}

const TABLE_SEPARATOR = /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$/;

/** Block-level markdown → HTML body. */
export function renderMarkdown(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let para: string[] = [];
  let list: string[] = [];
  const flushPara = (): void => {
    if (para.length) out.push(`<p>${renderInline(para.join(' '))}</p>`);
    para = [];
  };
  const flushList = (): void => {
    if (list.length) out.push(`<ul>${list.map((l) => `<li>${renderInline(l)}</li>`).join('')}</ul>`);
    list = [];
  };
  const flush = (): void => {
    flushPara();
    flushList();
  };
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    const trimmed = line.trim();
    if (!trimmed) {
      flush();
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*$/.exec(trimmed);
    if (h) {
      flush();
      const n = h[1]!.length;
      out.push(`<h${n}>${renderInline(h[2]!)}</h${n}>`);
      continue;
    }
    if (/^(-{3,}|\*{3,}|_{3,})$/.test(trimmed)) {
      flush();
      out.push('<hr>');
      continue;
    }
    if (trimmed.startsWith('|') && k + 1 < lines.length && TABLE_SEPARATOR.test(lines[k + 1]!.trim())) {
      flush();
      const header = tableCells(trimmed);
      const rows: string[][] = [];
      k += 2;
      while (k < lines.length && lines[k]!.trim().startsWith('|')) rows.push(tableCells(lines[k++]!));
      k--;
      out.push(
        '<table><thead><tr>' + header.map((c) => `<th>${renderInline(c)}</th>`).join('') + '</tr></thead><tbody>' +
        rows.map((r) => '<tr>' + header.map((_h, j) => `<td>${renderInline(r[j] ?? '')}</td>`).join('') + '</tr>').join('') +
        '</tbody></table>',
      );
      continue;
    }
    const li = /^[-*]\s+(.*)$/.exec(trimmed);
    if (li) {
      flushPara();
      list.push(li[1]!);
      continue;
    }
    if (list.length && /^\s{2,}\S/.test(line)) {
      list[list.length - 1] += ' ' + trimmed; // continuation of a list item
      continue;
    }
    flushList();
    para.push(trimmed);
  }
  flush();
  return out.join('\n');
}

// Links (line, rule and policy links) show hover and keyboard focus with the theme's own colours, so that a focused
// link is visible in every theme, high contrast included (the webview's default outline may not be).
const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 20px 20px; line-height: 1.5; }
h1, h2, h3 { font-weight: 600; }
h1 { border-bottom: 1px solid var(--vscode-panel-border, #8884); padding-bottom: .3em; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid var(--vscode-panel-border, #8884); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: var(--vscode-editorWidget-background, transparent); }
code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background, #8882); padding: 0 .2em; border-radius: 3px; }
a { color: var(--vscode-textLink-foreground); }
a:hover, a:focus { color: var(--vscode-textLink-activeForeground); }
a:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
hr { border: 0; border-top: 1px solid var(--vscode-panel-border, #8884); }
`;

/**
 * A complete webview document: strict CSP, no scripts. With `scroll` the page also runs SCROLL_SCRIPT,
 * allowed by that nonce (at least 16 base64 characters) and by nothing else (reportCsp).
 */
export function webviewHtml(title: string, markdown: string, scroll?: ScrollScript): string {
  if (scroll && !/^[A-Za-z0-9+/]{16,}={0,2}$/.test(scroll.nonce)) throw new Error('webviewHtml: the nonce must be at least 16 base64 characters');
  const scrollNonce = scroll?.nonce;
  return [
    '<!DOCTYPE html>',
    // English, whatever VS Code's display language: the pages' text is the server's report and rule explanations,
    // which stay English (README "Languages"); only the panel's title, outside the page, is localised.
    '<html lang="en">',
    '<head>',
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${scrollNonce === undefined ? WEBVIEW_CSP : reportCsp(scrollNonce)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    scroll ? `<body data-scroll-key="${escapeHtml(scroll.key)}">` : '<body>',
    renderMarkdown(markdown),
    ...(scrollNonce === undefined ? [] : [`<script nonce="${scrollNonce}">${SCROLL_SCRIPT}</script>`]),
    '</body>',
    '</html>',
  ].join('\n');
}

// ---- status bar ----------------------------------------------------------------------------------------

export interface StatusView {
  text: string;
  tooltip: string;
  /** What a screen reader says for the item (its text without the icons would be "CRI –" or "CRI …"). */
  ariaLabel: string;
}

/**
 * The baseline as the status bar names it: a release tag as it is; a file baseline (whose tag is its absolute
 * path) by its last two path segments, so that the item stays short. The tooltip has the whole path.
 */
export function baselineName(tag: string, source: string | undefined): string {
  if (source !== 'path') return tag;
  const parts = tag.split(/[\\/]+/).filter(Boolean);
  return parts.length > 2 ? `…/${parts.slice(-2).join('/')}` : tag;
}

/**
 * The item while the language server is not running (it did not start, or crashed too often to be restarted):
 * nothing is checked, so no status of a document holds; a click restarts it.
 */
export function serverStoppedView(): StatusView {
  const N = PRODUCT_NAME;
  return {
    text: `$(error) CRI ${l10n.t('server stopped')}`,
    tooltip: l10n.t('{0}: the language server is not running, so nothing is checked. The "{0}" output says why.\nClick to restart it.', N),
    ariaLabel: l10n.t('{0}: the language server is not running; activate to restart it', N),
  };
}

/**
 * What the status bar item says for a document's last status (undefined: not validated yet); `configured`: the
 * document's criCompat.baseline (empty: automatic).
 */
export function statusView(s: StatusParams | undefined, configured?: string): StatusView {
  const N = PRODUCT_NAME;
  if (!s) return { text: '$(shield) CRI …', tooltip: l10n.t('{0}: checking…', N), ariaLabel: l10n.t('{0}: checking…', N) };
  if (!s.checked) {
    return {
      text: '$(shield) CRI –',
      // Also runtime.v1alpha2, which Kubernetes removed: the report says which case it is.
      tooltip: l10n.t('{0}: not compared with a release: only the CRI API is, a file that declares RuntimeService or ImageService (of runtime.v1, of another runtime.* package or of none, to report the change of package), or a file of a runtime.* package named api.proto. Syntax and binding checks run.\nClick for the report.', N),
      ariaLabel: l10n.t('{0}: not compared with a release', N),
    };
  }
  if (!s.baselineTag) {
    if (s.resolving) {
      return {
        text: `$(sync~spin) CRI ${l10n.t('finding baseline…')}`,
        tooltip: l10n.t('{0}: looking for the release to compare with. Syntax and binding checks run meanwhile.', N),
        ariaLabel: l10n.t('{0}: finding the baseline release…', N),
      };
    }
    // A baseline the user set is not looked for elsewhere: it is that setting which could not be used.
    const set = configured?.trim();
    if (set) {
      return {
        text: `$(shield) CRI ${l10n.t('no baseline')}`,
        tooltip: l10n.t('{0}: criCompat.baseline is {1}, which could not be used, so only syntax and binding checks run.\nThe "{0}" output says why. Change it, clear it for the automatic baseline, or run "CRI: Select Baseline…".\nClick for the compatibility report.', N, JSON.stringify(set)),
        ariaLabel: l10n.t('{0}: criCompat.baseline {1} could not be used, only syntax and binding checks run', N, JSON.stringify(set)),
      };
    }
    return {
      text: `$(shield) CRI ${l10n.t('no baseline')}`,
      tooltip: l10n.t('{0}: no baseline release found, so only syntax and binding checks run.\nSet criCompat.baseline or run "CRI: Select Baseline…". The "{0}" output says what was tried.\nClick for the compatibility report.', N),
      ariaLabel: l10n.t('{0}: no baseline release found, only syntax and binding checks run', N),
    };
  }
  const breaking = s.breaking === 1 ? l10n.t('1 breaking finding') : l10n.t('{0} breaking findings', s.breaking);
  const inAll = s.findings === 1 ? l10n.t('1 finding in all') : l10n.t('{0} findings in all', s.findings);
  const lines = [
    s.kubernetes ? l10n.t('{0}: compared with {1} (Kubernetes {2})', N, s.baselineTag, s.kubernetes) : l10n.t('{0}: compared with {1}', N, s.baselineTag),
    // As the report says it; the source id alone ("bundled", "gomodcache") is the server's name for it.
    s.origin ? l10n.t('From {0}', s.origin) : l10n.t('Source: {0}', s.source ?? l10n.t('unknown')),
    `${breaking}, ${inAll}`,
  ];
  if (s.resolving) lines.push(l10n.t('Resolving the baseline again…'));
  lines.push(l10n.t('Click for the compatibility report.'));
  const name = baselineName(s.baselineTag, s.source);
  const compared = s.source === 'path' ? l10n.t('{0}: compared with the file {1}, {2}', N, name, breaking) : l10n.t('{0}: compared with {1}, {2}', N, name, breaking);
  return {
    text: `$(shield) CRI ${l10n.t('{0} · {1} breaking', name, s.breaking)}`,
    tooltip: lines.join('\n'),
    ariaLabel: s.resolving ? l10n.t('{0}, resolving the baseline again', compared) : compared,
  };
}

// ---- Select Baseline… ----------------------------------------------------------------------------------


/**
 * The baseline picker's input placeholder and its Automatic entry's detail line, for the document's baseline now
 * (`current`; `automatic`: the setting is Automatic). The picker cuts both at its width, some 90 characters: the
 * placeholder names the baseline only, and the detail says first what Automatic picked now, then how it picks.
 */
export function baselinePickTexts(current: BaselineInfo | null | undefined, automatic: boolean): { placeholder: string; automaticDetail: string } {
  const how = l10n.t('The release before the file: in a cri-api or kubernetes clone, the tag HEAD stands on; else the newest release of the bundled index, the Go module cache, vendor/ or (with network on) the module proxy.');
  return {
    placeholder: current ? l10n.t('Now compared with {0}. Pick the release to compare with.', baselineName(current.tag, current.source)) : l10n.t('Pick the release to compare with.'),
    automaticDetail: automatic && current ? l10n.t('Now {0}, from {1}. {2}', current.tag, current.origin, how) : how,
  };
}

// ---- Explain Rule… ---------------------------------------------------------------------------------------

/** One step milder than a severity: what the rule panel's example sets, a change whatever the default. */
const MILDER: Record<string, string> = { error: 'warning', warning: 'information', information: 'hint', hint: 'off' };

/**
 * What the Explain Rule… picker says beside a rule's id: its category and severity, and whether that is the
 * default or the one configured where the picker was opened (RuleInfo.effective), which the server knows where a
 * document or folder is open.
 */
export function rulePickDescription(rule: RuleInfo): string {
  if (rule.effective === undefined) return l10n.t('{0} · {1} by default', rule.category, rule.severity);
  if (rule.effective === rule.severity) return l10n.t('{0} · {1} (the default)', rule.category, rule.severity);
  return l10n.t('{0} · {1} here (default {2})', rule.category, rule.effective, rule.severity);
}

/** The rule panel's page. */
export function ruleMarkdown(rule: RuleInfo): string {
  const here = rule.effective !== undefined && rule.effective !== rule.severity ? `, here **${rule.effective}**` : '';
  return [
    `# ${rule.id}`,
    '',
    `**${rule.title}.**`,
    '',
    `Category: **${rule.category}** · default severity: **${rule.severity}**${here}${rule.breaking ? ` · breaks ${rule.breaks ?? 'peers built from a released cri-api'}` : ''}`,
    '',
    rule.explanation,
    '',
    ...(rule.link ? [`[Policy and background](${rule.link})`, ''] : []),
    `Change its severity with the \`criCompat.severity\` setting (\`{ "${rule.id}": "${MILDER[rule.severity] ?? 'off'}" }\`), or suppress one finding with \`// cri-compat:ignore ${rule.id} <reason>\` on the line above it.`,
  ].join('\n');
}
