// Aggregate option values (`{ a: 1, b { c: "x" } }`, protobuf's text format) read as a tree of keys: what protoc
// checks of one against the option's message type (every key a field, or an extension, of the message it is in, and
// every value of the field's type) needs its keys, where each key and value is written, and the entries of each
// message value. Scalar values are kept as text.

import type { OptionNode, Range, SyntaxError } from './ast';
import { tokenize, type Token } from './lexer';

export interface AggregateEntry {
  /** A field's name, or an extension's (`pkg.ext` of `[pkg.ext]`, without a leading dot). */
  readonly name: string;
  /** `[pkg.ext]`; an Any's `[type.googleapis.com/pkg.Msg]` too (its name has a `/`). */
  readonly extension: boolean;
  /** The key as written, an extension's with its brackets. */
  readonly range: Range;
  /** A scalar value as written (`IMPLICIT`, `"x"`, `-1`); undefined for a message or a list. */
  readonly scalar?: string;
  /** Where the value is written: a scalar, a message's `{ … }`, a list's `[ … ]`. */
  readonly valueRange: Range;
  /** The entries of each message of the value: one for `k { … }`, one for each message of a list `k: [{ … }, { … }]`. */
  readonly messages: readonly (readonly AggregateEntry[])[];
  /** The elements of a list value `k: [1, 2]`, in order; undefined for another value. */
  readonly list?: readonly AggregateElement[];
}

/** Where `e` is written, its key and its value: where buf marks a key that names no field, which sets nothing. */
export function entrySpan(e: AggregateEntry): Range {
  return { start: e.range.start, end: e.valueRange.end };
}

/** One element of a list: a scalar, or a message and its entries. */
export interface AggregateElement {
  readonly scalar?: string;
  readonly entries?: readonly AggregateEntry[];
  readonly range: Range;
}

/**
 * The entries of each aggregate value the parser read (null: not closed, or nested too deep), kept beside the option
 * (not in it: the syntax tree says what is written, not where each key and value of it is).
 */
const parsed = new WeakMap<OptionNode, readonly AggregateEntry[] | null>();

/** The values of each list written as an option's own value, which buf refuses but reads (see listOf). */
const lists = new WeakMap<OptionNode, readonly AggregateElement[] | null>();

/**
 * Reads `o`'s aggregate value from its tokens, as the parser found them, and keeps its entries; the syntax errors of a
 * value that is not text format. A list's values are kept too: its one error is the parser's.
 */
export function readAggregateTokens(o: OptionNode, tokens: readonly Token[]): readonly SyntaxError[] {
  const reader = new Reader(tokens);
  if (o.value.startsWith('[')) {
    lists.set(o, reader.optionList());
    return [];
  }
  parsed.set(o, reader.aggregate());
  return reader.problems;
}

/**
 * The values of a list written as an option's own value (`option (x) = [1, { a: 2 }];`), which buf refuses but reads:
 * it sets the option with it as it sets a field of an aggregate with a list. Undefined for another value.
 */
export function listOf(o: OptionNode): readonly AggregateElement[] | undefined {
  return o.value.startsWith('[') ? readOnce(lists, o, (r) => r.optionList()) : undefined;
}

/**
 * The scalar buf sets option `o` to: its value, or of a list (which buf refuses, but reads) the first value that
 * `takes`, which is of the option's type; undefined where the list has none.
 */
export function settingOf(o: OptionNode, takes: (value: string) => boolean): string | undefined {
  if (!o.value.startsWith('[')) return o.value;
  return listOf(o)?.find((v) => v.scalar !== undefined && takes(v.scalar))?.scalar;
}

/** Whether a built-in bool option `o` is set to true, as buf sets it (see settingOf). */
export function isTrue(o: OptionNode): boolean {
  return settingOf(o, isBool) === 'true';
}

export const isBool = (v: string): boolean => v === 'true' || v === 'false';

/**
 * `o`'s own value as an aggregate's entry under its name: a message's entries, a list (which buf refuses but reads),
 * or a scalar; `entries`: aggregateOf(o), where the caller has it.
 */
export function ownValueEntry(o: OptionNode, entries = aggregateOf(o)): AggregateEntry {
  const list = listOf(o);
  return {
    name: o.name, extension: false, range: o.nameRange, valueRange: o.valueRange,
    scalar: entries || list ? undefined : o.value, messages: entries ? [entries] : list ? messagesOf(list) : [], list,
  };
}

/** The messages of a list, in order. */
const messagesOf = (list: readonly AggregateElement[]): (readonly AggregateEntry[])[] => list.flatMap((v) => (v.entries ? [v.entries] : []));

/**
 * The entries of an aggregate option value, those read past its syntax errors too; undefined for another value, and
 * for one not closed or nested deeper than protoc reads (the parser reports that). Read once per option: features
 * are read many times.
 */
export function aggregateOf(o: OptionNode): readonly AggregateEntry[] | undefined {
  return o.value.startsWith('{') ? readOnce(parsed, o, (r) => r.aggregate()) : undefined;
}

/**
 * What `read` gives of `o`'s value, kept in `cache`. Read from the value's text where the parser kept nothing (an
 * option built without it has no tokens): keys and values are then found at positions in that text.
 */
function readOnce<T>(cache: WeakMap<OptionNode, T | null>, o: OptionNode, read: (r: Reader) => T | null): T | undefined {
  let value = cache.get(o);
  if (value === undefined) {
    value = read(new Reader(tokenize(o.value)));
    cache.set(o, value);
  }
  return value ?? undefined;
}

/** Thrown past MAX_DEPTH: the value is not read. */
const TOO_DEEP = new Error('too deep');

/** protoc's text format parser's recursion limit: deeper is refused, and this reader recurses too. */
const MAX_DEPTH = 100;

/** One expression of the value as buf reads it, before it is taken for a key, a value or a field. */
interface Expr {
  /** A scalar as written (`-1`, `"x" "y"`, `a.b`); `-` where no value follows the sign, which no field takes. */
  readonly scalar?: string;
  /** A name, dotted or not (`a`, `a.b`, `.a`, `type.googleapis.com/p.M`). */
  readonly path?: boolean;
  /** A message's fields. */
  readonly entries?: readonly AggregateEntry[];
  /** A list's values. */
  readonly items?: readonly Expr[];
  /** `key: value`, `key { … }`, read as a field. */
  readonly field?: AggregateEntry;
  /** `key: value` whose key is no name or that has no value: its problem is reported, and it sets nothing. */
  readonly broken?: boolean;
  /** A range (`1 to 2`), which buf reads as one expression and refuses as a value: reported, and it is nothing. */
  readonly span?: boolean;
  readonly range: Range;
  readonly first: Token;
}

/** A value of a list as the binder reads it: a message's entries, or a scalar (a nested list as `[…]`, which no field takes). */
const element = (v: Expr): AggregateElement => (v.entries ? { entries: v.entries, range: v.range } : { scalar: v.scalar ?? '[…]', range: v.range });

const shortText = (t: Token): string => `'${t.text.length > 40 ? `${t.text.slice(0, 40)}…` : t.text}'`;

/**
 * Reads an aggregate as buf 1.75 does: each field or value where one can start, and whatever cannot start one (`:`
 * of `{: 1}`, a `[` left unclosed) skipped with one problem at its first token, so a problem hides nothing after it.
 */
class Reader {
  private k = 0;
  private depth = 0;
  /** The token that closes each `{` and `[`, paired as buf's lexer pairs them: an unclosed `[` has none. */
  private readonly closer = new Map<number, number>();
  /** Where the text is not text format, as buf reports it; one problem at a position. */
  readonly problems: SyntaxError[] = [];

  constructor(private readonly tokens: readonly Token[]) {
    const open: number[] = [];
    tokens.forEach((t, k) => {
      if (t.kind !== 'symbol') return;
      if (t.text === '{' || t.text === '[') open.push(k);
      if (t.text !== '}' && t.text !== ']') return;
      const opens = (n: number): boolean => n >= 0 && tokens[open[n]!]!.text === (t.text === '}' ? '{' : '[');
      // buf pairs a closer with the opener below an unclosed one (`{a: [1 }`), which stays unpaired, and leaves a
      // closer unpaired where neither opens it.
      const top = open.length - 1;
      const at = opens(top) ? top : opens(top - 1) ? top - 1 : -1;
      if (at < 0) return;
      this.closer.set(open[at]!, k);
      open.length = at;
    });
    // Past one unclosed `[` (`{r: [[1 }`) buf leaves the value's `}` unpaired too and reads the file after it into
    // the value; this reads the value up to its `}`, where the parser ends it.
    let last = tokens.length - 1;
    if (tokens[last]?.kind === 'eof') last--;
    const closes = new Set(this.closer.values());
    if (!this.closer.has(0) && !closes.has(last) && tokens[last]?.kind === 'symbol' && tokens[last]!.text === '}') this.closer.set(0, last);
  }

  aggregate(): readonly AggregateEntry[] | null {
    const end = this.closer.get(0);
    // An unclosed value: the parser reports it.
    if (!this.is('{') || end === undefined) return null;
    this.k = 1;
    try {
      return this.message(end, false);
    } catch (e) {
      if (e === TOO_DEEP) return null;
      throw e;
    }
  }

  /** A list `[ … ]`, an option's own value: its values, read as in an aggregate. */
  optionList(): readonly AggregateElement[] | null {
    const end = this.closer.get(0);
    if (!this.is('[') || end === undefined) return null;
    try {
      return this.list(end).items!.map(element);
    } catch (e) {
      if (e === TOO_DEEP) return null;
      throw e;
    }
  }

  private get cur(): Token {
    return this.tokens[this.k]!;
  }
  private is(text: string): boolean {
    const t = this.tokens[this.k];
    return t !== undefined && t.kind === 'symbol' && t.text === text;
  }
  private pathStarts(): boolean {
    const t = this.cur;
    return t.kind === 'ident' || ((this.is('.') || this.is('/')) && this.tokens[this.k + 1]?.kind === 'ident');
  }
  /** The current token starts a key or a value, as buf's `canStartExpr` says. */
  private canStart(): boolean {
    const t = this.cur;
    if (t.kind === 'int' || t.kind === 'float' || t.kind === 'string' || this.pathStarts()) return true;
    return this.is('-') || this.is('<') || ((this.is('{') || this.is('[')) && this.closer.has(this.k));
  }

  /** Records why the text is not text format, at `range`; reading goes on. */
  private recover(message: string, range: Range): void {
    const last = this.problems[this.problems.length - 1];
    if (last && last.range.start.line === range.start.line && last.range.start.character === range.start.character) return;
    this.problems.push({ message, range });
  }
  /** `t` where `what` was expected. A `+` the parser reports; of an unclosed `[`, that it is not closed. */
  private unexpected(t: Token, what: string): void {
    if (t.kind === 'symbol' && t.text === '+') return;
    if (t.kind === 'symbol' && t.text === '[') {
      const after = what === 'a field name' ? "after an extension's name or an Any's type URL" : 'to end the list';
      this.recover(`'[' is not closed: expected ']' ${after}`, t.range);
    } else this.recover(`expected ${what}, found ${shortText(t)}`, t.range);
  }

  /**
   * Skips what cannot start `what`, with one problem at its first token; false where the value's end follows it,
   * which is then a problem too, as buf reports it.
   */
  private skip(done: () => boolean, what: string): boolean {
    if (this.canStart()) return true;
    this.unexpected(this.cur, what);
    while (!done() && !this.canStart()) this.k++;
    if (!done()) return true;
    this.unexpected(this.cur, what);
    return false;
  }

  /** The separators after a field or a value: the first is taken, each other is a problem; the first. */
  private separators(done: () => boolean, texts: readonly string[]): Token | undefined {
    let first: Token | undefined;
    while (!done() && texts.some((s) => this.is(s))) {
      if (first) this.recover(`unexpected '${this.cur.text}' after another separator`, this.cur.range);
      first ??= this.cur;
      this.k++;
    }
    return first;
  }

  /** The fields of a message value up to token `end`, or up to a `>` first where it is written `< … >` (which it consumes). */
  private message(end: number, angle: boolean): AggregateEntry[] {
    if (++this.depth > MAX_DEPTH) throw TOO_DEEP;
    const out: AggregateEntry[] = [];
    const done = (): boolean => this.k >= end || (angle && this.is('>'));
    if (!done() && (this.is(',') || this.is(';'))) {
      this.recover(`unexpected '${this.cur.text}' before the first field of a message value`, this.cur.range);
      this.k++;
    }
    while (!done() && this.skip(done, 'a field name')) {
      const e = this.expr(true, end);
      if (e.field) out.push(e.field);
      else if (!e.broken && !e.span) {
        const key = this.keyName(e);
        if (key) this.recover(`"${key.shown}" has no value: expected ':' and a value, or a message '{ … }', after it`, e.range);
        else if (e.items) this.recover("expected a field name, found a list '[ … ]'", e.range);
        else this.unexpected(e.first, 'a field name');
        // buf says too what the list's first value is, where it is a scalar (`p.x` of `[p.x]`).
        const first = e.items?.[0];
        if (first?.scalar !== undefined) this.recover(`unexpected ${first.scalar} in '[ ]' with no value after it`, first.range);
      }
      this.separators(done, [',', ';']);
    }
    if (angle && this.is('>')) this.k++;
    this.depth--;
    return out;
  }

  /** The name that `key` is: a field's (dotted too, which the binder finds no field of), or an extension's in `[ ]`. */
  private keyName(key: Expr): { name: string; extension: boolean; shown: string } | undefined {
    if (key.path) return { name: key.scalar!, extension: false, shown: key.scalar! };
    const only = key.items?.length === 1 && key.items[0]!.path ? key.items[0]!.scalar! : undefined;
    return only === undefined ? undefined : { name: only.replace(/^\./, ''), extension: true, shown: `[${only.replace(/^\./, '')}]` };
  }

  /** A key, a value, or a field (`key: value`, `key { … }`, in a message value only `dict`), as buf reads one; up to token `end`. */
  private expr(dict: boolean, end: number): Expr {
    const key = this.ranged(undefined, end)!;
    if (key.span) return key;
    let colon = this.is(':');
    const colonLess = dict && (this.is('{') || this.is('<') || (this.is('[') && this.closer.has(this.k)));
    if (!colon && !colonLess && !this.is('=')) return key;
    const name = this.keyName(key);
    if (!name && key.items) this.recover("expected an extension's name or an Any's type URL in '[ ]'", key.range);
    else if (!name) this.unexpected(key.first, 'a field name');
    const shown = name?.shown ?? key.first.text;
    if (this.is('=')) {
      this.recover(`expected ':' after "${shown}", found '='`, this.cur.range);
      colon = true;
    }
    if (colon) this.k++;
    const value = this.ranged(shown, end);
    const range = { start: key.range.start, end: (value ?? key).range.end };
    if (!name || !value || value.span) return { broken: true, range, first: key.first };
    // buf takes a list of messages after a key without `:`, not of scalars.
    const scalar = colon ? undefined : value.items?.find((v) => !v.entries);
    if (scalar) this.recover(`expected ':' after "${shown}": a list of values other than messages needs one`, scalar.range);
    const base = { name: name.name, extension: name.extension, range: key.range, valueRange: value.range };
    if (value.entries) return { field: { ...base, messages: [value.entries] }, range, first: key.first };
    if (value.items) {
      const list = value.items.map(element);
      return { field: { ...base, messages: messagesOf(list), list }, range, first: key.first };
    }
    return { field: { ...base, scalar: value.scalar, messages: [] }, range, first: key.first };
  }

  /**
   * A value, or a range of values (`1 to 2`, `-1 to 2 to x`), which is reported; undefined where none starts here, with
   * the problem (`key`: whose value it is). A `to` before what makes it a key (`to: 1`, `to { … }`) starts no range.
   */
  private ranged(key: string | undefined, end: number): Expr | undefined {
    const from = this.prefixed(key, end);
    if (!from) return undefined;
    let last: Expr | undefined = from;
    let to: Token | undefined;
    const before = this.problems.length;
    while (last && this.cur.kind === 'ident' && this.cur.text === 'to' && !this.keyAfter()) {
      to = this.tokens[this.k++]!;
      last = this.prefixed(key, end);
    }
    if (!to) return from;
    const range = { start: from.range.start, end: last ? last.range.end : to.endPos };
    // Before what is wrong after its `to` (`}` of `{a: 1 to}`), as it starts before.
    this.problems.splice(before, 0, { message: "a range ('to') is no option value", range });
    return { span: true, range, first: from.first };
  }

  /** The token after the current one makes it a key: `:`, `=`, `{`, `<` or `[`. */
  private keyAfter(): boolean {
    const t = this.tokens[this.k + 1];
    return t !== undefined && t.kind === 'symbol' && [':', '=', '{', '<', '['].includes(t.text);
  }

  /**
   * A value, signed or not; `-` alone where none follows the sign, as buf reads it. Undefined where none starts here,
   * with the problem (`key`: whose value it is).
   */
  private prefixed(key: string | undefined, end: number): Expr | undefined {
    const sign = this.cur;
    let signs = '';
    for (; this.is('-'); this.k++) signs += '-';
    const inner = this.solo(key, end);
    if (!signs) return inner;
    const text = inner ? (inner.scalar ?? (inner.items ? '[…]' : '{…}')) : '';
    return { scalar: signs + text, range: { start: sign.startPos, end: inner ? inner.range.end : this.tokens[this.k - 1]!.endPos }, first: sign };
  }

  /** A string (adjacent ones joined), a number, a name, a message or a list, up to token `end`. */
  private solo(key: string | undefined, end: number): Expr | undefined {
    const first = this.cur;
    if (first.kind === 'string') {
      let text = first.text;
      while (this.tokens[++this.k]?.kind === 'string') text += ` ${this.cur.text}`;
      return { scalar: text, range: { start: first.startPos, end: this.tokens[this.k - 1]!.endPos }, first };
    }
    if (first.kind === 'int' || first.kind === 'float') {
      this.k++;
      return { scalar: first.text, range: first.range, first };
    }
    if (this.pathStarts()) {
      let text = '';
      if (first.kind !== 'ident') text += this.tokens[this.k++]!.text;
      text += this.tokens[this.k++]!.text;
      while ((this.is('.') || this.is('/')) && this.tokens[this.k + 1]?.kind === 'ident') text += this.tokens[this.k++]!.text + this.tokens[this.k++]!.text;
      return { scalar: text, path: true, range: { start: first.startPos, end: this.tokens[this.k - 1]!.endPos }, first };
    }
    const close = this.closer.get(this.k);
    if (this.is('<') || (this.is('{') && close !== undefined)) {
      this.k++;
      const entries = close === undefined ? this.message(end, true) : this.message(close, false);
      if (close !== undefined) this.k = close + 1;
      return { entries, range: { start: first.startPos, end: this.tokens[this.k - 1]!.endPos }, first };
    }
    if (this.is('[') && close !== undefined) return this.list(close);
    this.unexpected(first, key === undefined ? 'a value' : `a value for "${key}"`);
    return undefined;
  }

  /** A list `[ … ]` whose `]` is token `close`: values separated by `,`, each one required, none trailing. */
  private list(close: number): Expr {
    if (++this.depth > MAX_DEPTH) throw TOO_DEEP;
    const open = this.cur;
    this.k++;
    const items: Expr[] = [];
    const done = (): boolean => this.k >= close;
    if (!done() && this.is(',')) {
      this.recover("unexpected ',' before the first value of a list", this.cur.range);
      this.k++;
    }
    let comma: Token | undefined;
    for (let first = true; !done(); first = false) {
      const what = first || comma ? 'a value' : "',' or ']' in the list";
      const junk = !this.canStart();
      if (!this.skip(done, what)) break;
      const v = this.expr(false, close);
      if (!junk && !first && !comma) this.unexpected(v.first, "',' or ']' in the list");
      if (v.field || v.broken) this.recover('a list holds values, not fields', v.range);
      else if (!v.span) items.push(v);
      comma = this.separators(done, [',']);
    }
    if (comma) this.recover("unexpected ',' after the last value of a list: expected ']'", comma.range);
    this.k = close + 1;
    this.depth--;
    return { items, range: { start: open.startPos, end: this.tokens[close]!.endPos }, first: open };
  }
}
