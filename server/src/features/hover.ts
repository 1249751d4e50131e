// Hover on a type reference or a declaration name: kind, fully-qualified name, where it is declared (for a
// reference) and the doc comment, as markdown. `extraHover` is the extension point for more sections (release
// history, version skew); it receives the element path, the same string findings carry in `element`.

import type { Comments, EnumValueNode, FieldNode, Position, RpcNode } from '../proto/ast';
import type { BoundFile, Declaration } from '../proto/binder';
import type { ElementPath } from '../compat/finding';
import type { ApiModel, FieldDef, RpcDef } from '../proto/model';
import type { Element, Target } from './positions';
import { targetOrOptionAt, type OptionTarget } from './optionTargets';
import { builtinOptionDoc } from './builtinOptions';
import { optionsMessage } from '../proto/options';
import type { Hover } from './types';
import { STUB_LINE_LABEL } from '../docs/docRules';
import { visibleControls } from '../visibleText';
import { wellKnownTypes } from '../proto/wellKnown';

export interface HoverOptions {
  /**
   * More markdown for an element, appended after a rule. Called with the element path (`runtime.v1.Foo`,
   * `runtime.v1.Foo.bar`, `runtime.v1.Svc.Rpc`, `runtime.v1.Enum.VALUE`) and the doc comment the hover shows above
   * it (so that it need not repeat it); return undefined for nothing.
   */
  extraHover?: (element: ElementPath, shownDoc: string | undefined) => string | undefined;
  /**
   * Where an import from `fromUri` leads, for the hover on its path (as Go to Definition finds it): a workspace file
   * by its `/`-separated path relative to its workspace folder, `outside` for a file outside the workspace folders
   * (whose path the hover does not show), undefined when none is found. Without it the hover says nothing of that,
   * except for the files cri-compat bundles, which no resolver is asked for.
   */
  importedFile?: (importPath: string, fromUri: string) => ImportedFile;
}

export type ImportedFile = { workspacePath: string } | 'outside' | undefined;

/** Markdown hover for the position, or null when there is nothing to say. */
export function doHover(bound: BoundFile, pos: Position, options: HoverOptions = {}): Hover | null {
  return hoverOf(bound, targetOrOptionAt(bound, pos), options);
}

/** The hover of what a position points at (targetOrOptionAt), or null. */
export function hoverOf(bound: BoundFile, t: Target | OptionTarget | undefined, options: HoverOptions = {}): Hover | null {
  if (!t) return null;
  const shown: { doc?: string } = {};
  const sections = hoverSections(bound, t, shown, options);
  if (!sections) return null;
  const path = t.kind === 'reference' ? t.reference.target : t.kind === 'declaration' ? t.element.path : undefined;
  if (path !== undefined && options.extraHover) {
    let extra: string | undefined;
    try {
      extra = options.extraHover(path, shown.doc);
    } catch {
      extra = undefined; // an extension must not take the basic hover down
    }
    if (extra) sections.push(extra);
  }
  return { contents: { kind: 'markdown', value: sections.join('\n\n---\n\n') }, range: t.range };
}

/** The hover's sections; `shown.doc` gets the doc comment they show. */
function hoverSections(bound: BoundFile, t: Target | OptionTarget, shown: { doc?: string }, options: HoverOptions): string[] | undefined {
  switch (t.kind) {
    case 'reference': {
      const ref = t.reference;
      if (ref.target === undefined) return [`Unknown type \`${ref.written}\`: it is not declared in this file or its imports.`];
      const d = bound.declarations.get(ref.target);
      if (!d) return [code(ref.target)];
      shown.doc = d.doc;
      return withDoc([code(`${d.kind} ${d.fqn}`), where(bound, d)], d.doc);
    }
    case 'declaration':
      return declarationHover(bound, t.element, shown);
    case 'import':
      return [`Import of ${codeSpan(t.node.path)}${t.node.modifier ? ` (${t.node.modifier})` : ''}${importTarget(bound, t.node.path, options)}.`];
    case 'package':
      return [code(`package ${t.name}`)];
    case 'custom option': {
      const x = t.extension;
      // A name of a megabyte is shown by its beginning, as the binder's problem shows it.
      const name = t.written.length > 80 ? `${t.written.slice(0, 80)}…` : t.written;
      if (!x) return [`Unknown option ${codeSpan(`(${name})`)}: no extension of that name is declared in this file or its imports.`];
      shown.doc = x.doc;
      const signature = `${x.label ? `${x.label} ` : ''}${x.type} ${x.fqn.slice(x.fqn.lastIndexOf('.') + 1)}${x.number !== undefined ? ` = ${x.number}` : ''}`;
      return withDoc([code(`extension ${x.fqn}\nextend ${x.extendee} { ${signature}; }`), `Custom option. ${where(bound, x)}`], x.doc);
    }
    case 'option field': {
      const { node, fqn } = t.field;
      const doc = node.comments.leading?.text ?? node.comments.trailing?.text;
      shown.doc = doc;
      const signature = `${fieldSignature(node, fieldDef(bound, node))} ${node.name}${node.number !== undefined ? ` = ${node.number}` : ''}`;
      return withDoc([code(`field ${fqn}\n${signature}`), `Field of a custom option's message. ${where(bound, { fqn, uri: t.field.uri, nameRange: node.nameRange })}`], doc);
    }
    case 'option': {
      const doc = builtinOptionDoc(t.name, t.of);
      return doc ? [`${code(`option ${t.name} (${optionsMessage(t.of)})`)}\n\n${doc}`] : undefined;
    }
  }
}

/**
 * `: resolves to …`, where an import leads. The bundled files come first, as the binder declares them without
 * looking on disk; a path is only shown inside the workspace, so a hover never reveals where other files are.
 */
function importTarget(bound: BoundFile, importPath: string, options: HoverOptions): string {
  const bundled = wellKnownTypes(importPath);
  if (bundled) return `: resolves to a file of protobuf's that cri-compat bundles (package \`${bundled.pkg}\`); nothing is read from disk`;
  if (!options.importedFile) return '';
  const file = options.importedFile(importPath, bound.uri);
  if (file === undefined) return ': not resolved, so types from it are not checked';
  if (file === 'outside') return ': resolves to a file outside the workspace folders';
  return `: resolves to ${codeSpan(file.workspacePath)} in the workspace`;
}

function declarationHover(bound: BoundFile, e: Element, shown: { doc?: string }): string[] {
  const lines = [`${e.kind === 'enumValue' ? 'enum value' : e.kind} ${e.path}`];
  switch (e.kind) {
    case 'field': {
      const f = e.node as FieldNode;
      const def = fieldDef(bound, f);
      lines.push(`${fieldSignature(f, def)} ${f.name}${f.number !== undefined ? ` = ${f.number}` : ''}`);
      break;
    }
    case 'enumValue': {
      const v = e.node as EnumValueNode;
      lines.push(`${v.name}${v.number !== undefined ? ` = ${v.number}` : ''}`);
      break;
    }
    case 'rpc': {
      const r = e.node as RpcNode;
      const def = rpcDef(bound, r);
      const req = def?.request ?? r.requestType;
      const res = def?.response ?? r.responseType;
      lines.push(`rpc ${r.name}(${r.requestStream ? 'stream ' : ''}${req}) returns (${r.responseStream ? 'stream ' : ''}${res})`);
      break;
    }
  }
  const comments = (e.node as { comments?: Comments }).comments;
  const doc = comments?.leading?.text ?? comments?.trailing?.text;
  shown.doc = doc;
  // No "Declared on line N": the hover is on that declaration, so the line is where the cursor already is.
  return withDoc([code(lines.join('\n'))], doc);
}

function fieldSignature(f: FieldNode, def: FieldDef | undefined): string {
  if (f.mapKey !== undefined) {
    const m = def && /^map<([^,]*),(.*)>$/.exec(def.type);
    return `map<${f.mapKey}, ${m ? m[2] : f.type}>`;
  }
  const type = def && def.typeKind !== 'unresolved' ? def.type : f.type;
  return f.label ? `${f.label} ${type}` : type;
}

function fieldDef(bound: BoundFile, f: FieldNode): FieldDef | undefined {
  return fieldDefOf(bound.model, f);
}

function rpcDef(bound: BoundFile, r: RpcNode): RpcDef | undefined {
  return rpcDefOf(bound.model, r);
}

/** The model's definition of a field's syntax node (the first, in model order). */
export function fieldDefOf(model: ApiModel, f: FieldNode): FieldDef | undefined {
  return defsOf(model).fields.get(f);
}

/** The model's definition of an RPC's syntax node (the first, in model order). */
export function rpcDefOf(model: ApiModel, r: RpcNode): RpcDef | undefined {
  return defsOf(model).rpcs.get(r);
}

/**
 * The model's field and RPC definitions by syntax node, the first for a node as a walk in model order finds
 * it: built once per model (one per analysis), so that a hover does not walk every field or RPC of the file.
 */
const defsByNode = new WeakMap<ApiModel, { fields: Map<FieldNode, FieldDef>; rpcs: Map<RpcNode, RpcDef> }>();

function defsOf(model: ApiModel): { fields: Map<FieldNode, FieldDef>; rpcs: Map<RpcNode, RpcDef> } {
  let defs = defsByNode.get(model);
  if (!defs) {
    defs = { fields: new Map(), rpcs: new Map() };
    for (const m of model.messages) for (const d of m.fields) if (d.node && !defs.fields.has(d.node)) defs.fields.set(d.node, d);
    for (const s of model.services) for (const d of s.rpcs) if (d.node && !defs.rpcs.has(d.node)) defs.rpcs.set(d.node, d);
    defsByNode.set(model, defs);
  }
  return defs;
}

function where(bound: BoundFile, d: Pick<Declaration, 'fqn' | 'uri' | 'nameRange'>): string {
  if (!d.uri || !d.nameRange) return d.fqn.startsWith('google.protobuf.') ? 'Well-known type bundled with protobuf.' : 'Declared in a bundled file.';
  const line = d.nameRange.start.line + 1;
  return d.uri === bound.uri ? `Declared on line ${line}.` : `Declared in ${codeSpan(basename(d.uri))} on line ${line}.`;
}

function withDoc(sections: string[], doc: string | undefined): string[] {
  const text = doc === undefined ? '' : formatDoc(doc);
  return text ? [sections.join('\n\n'), text] : [sections.join('\n\n')];
}

/**
 * Text from the file (an import path, a file name) as a code span, which markdown shows as written: its fence
 * is longer than any run of backticks inside, so that the text cannot end it and add a link or an image.
 */
function codeSpan(raw: string): string {
  const text = visibleControls(raw);
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function code(text: string): string {
  return '```proto\n' + text + '\n```';
}

/**
 * Comment text as markdown that shows what was written and loads nothing. What such text contains is markup
 * to a markdown renderer: placeholders such as `<full-path-to-profile>` are HTML tags, which VS Code drops from
 * hovers (and a client that renders HTML would render), and `![…](…)` is an image, whose URL the editor would
 * fetch as soon as the hover shows, so a file could make it contact any server. Links stay; they are only
 * followed when clicked. Written by hand: markdown libraries render or sanitize, and neither gives back markdown.
 *
 * Safe when in doubt: text is left as written only where a renderer certainly shows it as code, and a backslash
 * that shows in a rare code block is the price. Code blocks count only at the top level of the text: from a line
 * that may open a list item or a block quote (inside those, what is code depends on the item's indentation and on
 * lazy lines) to a blank line and a line that starts in the first column, which closes them, every line is
 * paragraph text. A paragraph line that looks like a fence is escaped, so that no renderer opens one where this
 * sees none. The text is a block of its own: it starts after a blank line at the top level of a document, as
 * hovers place it.
 */
export function docMarkdown(doc: string): string {
  const text = visibleControls(doc);
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length) out.push(escapeInline(paragraph.join('\n')));
    paragraph = [];
  };
  // The code block being read: its lines without the comment's delimiters, written out by codeBlock.
  let code: { lines: string[]; info: string } | undefined;
  const endCode = (): void => {
    if (code) out.push(...codeBlock(code.lines, code.info));
    code = undefined;
  };
  let fence: string | undefined; // the run that opened the fenced code block the lines are in
  let topLevel = true;
  // After a blank line or an indented code line (not in a paragraph), a line indented by four is code.
  let codeMayFollow = true;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (fence) {
      if (closesFence(line, fence)) {
        fence = undefined;
        endCode();
      } else code!.lines.push(line);
      continue;
    }
    if (/^[ \t]*$/.test(line)) {
      flush();
      endCode();
      out.push(line);
      codeMayFollow = true;
      continue;
    }
    // Outside the top level there is no indented code, so codeMayFollow says that a blank line came before.
    if (!topLevel && codeMayFollow && !/^[ \t]/.test(line) && !MAY_OPEN_CONTAINER.test(line)) topLevel = true;
    if (topLevel) {
      if (codeMayFollow && indentColumns(line) >= 4) {
        (code ??= { lines: [], info: '' }).lines.push(dedent4(line));
        continue;
      }
      const open = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
      // A backtick fence's info string has no backtick: "```x`" opens no fence, and so is not taken for one.
      if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) {
        flush();
        endCode();
        fence = open[1]!;
        code = { lines: [], info: open[2]! };
        codeMayFollow = false;
        continue;
      }
      if (MAY_OPEN_CONTAINER.test(line)) topLevel = false;
    }
    endCode();
    codeMayFollow = false;
    // A stub's answers ("Call order: …", "Older runtimes: …") would run together in one paragraph otherwise; the
    // stub goes right below the comment, so below one that ends in a list or quote they would be lazy lines of
    // its last item. One in the first column leaves that: the blank line ends the list, as the stub meant.
    if (paragraph.length && STUB_LINE_LABEL.test(line.trim()) && (topLevel || !/^[ \t]/.test(line))) {
      flush();
      out.push('');
      topLevel = true;
    }
    paragraph.push(line.replace(FENCE_IN_PARAGRAPH, '$1\\$2'));
  }
  flush();
  // A fence left open is closed: it would turn the rest of the hover (the sections after the comment) into code.
  endCode();
  return out.join('\n');
}

/**
 * A code block as docMarkdown writes it, not as the comment delimits it: renderers disagree on what closes a fence
 * (indentation, characters after the run, a table in the opening line), so the comment's own fences could end a
 * block where this does not see one end and let what follows render. Its own fence of tildes, longer than any run
 * of tildes or backticks in the lines, ends it for every renderer at its last line; the info string is cut to its
 * first word of letters, digits and `#+.-`.
 */
function codeBlock(lines: readonly string[], info: string): string[] {
  let longest = 2;
  for (const l of lines) for (const m of l.matchAll(/~+|`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '~'.repeat(longest + 1);
  return [`${fence}${/^[ \t]*([\w#+.-]*)/.exec(info)![1]}`, ...lines, fence];
}

/** A line of an indented code block without the four columns of indentation that make it one. */
function dedent4(line: string): string {
  let col = 0;
  let i = 0;
  for (; i < line.length && col < 4; i++) {
    if (line[i] === ' ') col++;
    else if (line[i] === '\t') col += 4 - (col % 4);
    else break;
  }
  return ' '.repeat(col - 4) + line.slice(i);
}

/**
 * Whether a line closes the fence `run` opened: at least as many of the same character. Any indentation, and
 * backticks or tildes after them, close it here too: when this closes a fence early, the lines after it are only
 * escaped.
 */
function closesFence(line: string, run: string): boolean {
  const text = line.replace(/^[ \t]+/, '');
  return text.startsWith(run) && /^[ \t`~]*$/.test(text.slice(run.length));
}

/**
 * A line that may open a list item or a block quote, at any indentation (a paragraph's line indented by four
 * opens neither, but saying so would take exact container rules).
 */
const MAY_OPEN_CONTAINER = /^[ \t]*(?:>|[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$))/;

/**
 * A paragraph line's fence run, after any indentation, block quote marks and list markers (`$1`). Each repetition
 * takes one mark, so that a line of many does not make the expression backtrack for long.
 */
const FENCE_IN_PARAGRAPH = /^((?:[ \t]*(?:>|[-+*]|\d{1,9}[.)]))*[ \t]*)(`{3}|~{3})/;

/** The column the first non-blank character of a line starts at, with markdown's tab stops of four. */
function indentColumns(line: string): number {
  let col = 0;
  for (const c of line) {
    if (c === ' ') col++;
    else if (c === '\t') col += 4 - (col % 4);
    else break;
  }
  return col;
}

/**
 * Comment text as markdown inside a line of other text, as docMarkdown escapes a paragraph: its line breaks
 * become spaces, so that nothing in it starts a block (a fence or an indentation mid-line is text).
 */
export function docInlineMarkdown(text: string): string {
  return escapeInline(visibleControls(text.replace(/\r\n?|\n/g, ' ')));
}

/**
 * Where a paragraph's code spans may not be what a renderer pairs, so that HTML in them is escaped too: spans
 * are paired line by line (one that crosses a line break is not certain: a heading, a list item or a reference
 * definition may end the paragraph there), but a renderer reads link destinations, titles and reference labels
 * (`[`), table cells (`|`), and autolinks and bare URLs it accepts or refuses differently, before the backticks
 * in them; an escaped backtick starts a run for some renderers and not for others.
 */
const CODE_SPANS_IN_DOUBT = /[[|]|\\`|<[^<>\x00-\x20]*`/;

/**
 * Whether some length of backtick run has no partner: renderers pair the other runs differently then (markdown-it's
 * cache of run positions, for one), so which text is a code span is not certain.
 */
function unpairedBackticks(text: string): boolean {
  const counts = new Map<number, number>();
  for (const m of text.matchAll(/`+/g)) counts.set(m[0].length, (counts.get(m[0].length) ?? 0) + 1);
  for (const n of counts.values()) if (n % 2) return true;
  return false;
}

/** Whether a bare URL, which GFM renderers link without `<…>`, reaches a backtick (one test per word: linear). */
function urlTakesBacktick(text: string): boolean {
  for (const word of text.split(/[\s<]+/)) {
    const url = /https?:\/\/|ftp:\/\/|www\./i.exec(word);
    if (url && word.includes('`', url.index)) return true;
  }
  return false;
}

/**
 * One paragraph of docMarkdown: HTML escaped outside code spans, and `![` everywhere, code spans included: how
 * renderers pair backticks differs (VS Code's, for one, reads `~` and backticks as one run of text), and an image
 * in a code span of a doc comment is worth no risk. Escapes already there are kept.
 */
function escapeInline(text: string): string {
  const withSpans = CODE_SPANS_IN_DOUBT.test(text) || urlTakesBacktick(text) || unpairedBackticks(text) ? undefined : escapeOutside(text, true);
  return withSpans ?? escapeOutside(text, false)!;
}

/** escapeInline, with code spans (undefined when one crosses a line break) or with backticks as text. */
function escapeOutside(text: string, codeSpans: boolean): string | undefined {
  // A code span runs from a run of backticks to the next run of as many; without one, the backticks are text.
  // Each run's closer is found in one pass from the end, so that many unclosed runs stay linear.
  const runs: { start: number; end: number; closer?: number }[] = [];
  if (codeSpans) for (const m of text.matchAll(/`+/g)) runs.push({ start: m.index, end: m.index + m[0].length });
  const nextOfLength = new Map<number, number>();
  for (let k = runs.length - 1; k >= 0; k--) {
    const r = runs[k]!;
    r.closer = nextOfLength.get(r.end - r.start);
    nextOfLength.set(r.end - r.start, k);
  }
  // What every renderer takes for one: no control character, whitespace, `<` or `>` in it. Which renderers take
  // one with a backtick in it for one differs, but such text puts the spans in doubt.
  const autolink = /<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s\x00-\x1f\x7f<>]*>/y;
  const noImage = (s: string): string => s.replaceAll('![', '!\\[');
  let out = '';
  let k = 0;
  let i = 0;
  const take = (end: number, as = text.slice(i, end)): void => {
    out += as;
    i = end;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '`' && codeSpans) {
      while (runs[k]!.end <= i) k++;
      const r = runs[k]!;
      // Never inside a run here: an escaped backtick puts the spans in doubt.
      const end = r.closer === undefined ? r.end : runs[r.closer]!.end;
      if (text.slice(i, end).includes('\n')) return undefined;
      take(end, noImage(text.slice(i, end)));
    } else if (c === '\\' && /[!-/:-@[-`{-~]/.test(text[i + 1] ?? '')) {
      take(i + 2);
    } else if (c === '!' && text[i + 1] === '[') {
      take(i + 2, '!\\[');
    } else if (c === '<') {
      autolink.lastIndex = i;
      const link = autolink.exec(text);
      if (link) take(i + link[0].length, noImage(link[0]));
      else take(i + 1, /[A-Za-z/!?]/.test(text[i + 1] ?? '') ? '\\<' : '<');
    } else {
      take(i + 1);
    }
  }
  return out;
}

/** Comment text as markdown (docMarkdown): common indentation removed, blank lines at the ends dropped. */
export function formatDoc(doc: string): string {
  // trimEnd, not a regular expression anchored at the end, which takes quadratic time on a long run of spaces.
  const lines = doc.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trimEnd());
  while (lines.length && !lines[0]) lines.shift();
  while (lines.length && !lines[lines.length - 1]) lines.pop();
  let indent = Infinity;
  for (const l of lines) if (l) indent = Math.min(indent, /^[ \t]*/.exec(l)![0].length);
  const out = lines.map((l) => l.slice(indent === Infinity ? 0 : indent));
  // The first line of a block comment starts after `/*`, so its indentation says nothing.
  if (out.length) out[0] = out[0]!.trimStart();
  return docMarkdown(out.join('\n'));
}

function basename(uri: string): string {
  const clean = uri.replace(/[?#].*$/, '');
  const k = clean.lastIndexOf('/');
  try {
    return decodeURIComponent(clean.slice(k + 1));
  } catch {
    return clean.slice(k + 1);
  }
}
