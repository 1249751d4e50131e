// Aggregate option values (`{ a: 1, b { c: "x" } }`, protobuf's text format) read as a tree of keys: what protoc
// checks of one against the option's message type (every key a field, or an extension, of the message it is in, and
// every value of the field's type) needs its keys, where each key and value is written, and the entries of each
// message value. Scalar values are kept as text.

import type { OptionNode, Range } from './ast';
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

/** One element of a list: a scalar, or a message and its entries. */
export interface AggregateElement {
  readonly scalar?: string;
  readonly entries?: readonly AggregateEntry[];
  readonly range: Range;
}

/**
 * An aggregate value's tokens, with where each is written, kept by the parser beside the option (not in it: the
 * syntax tree says what is written, not where each token of a value is).
 */
const tokensOf = new WeakMap<OptionNode, readonly Token[]>();
const parsed = new WeakMap<OptionNode, readonly AggregateEntry[] | null>();

export function keepAggregateTokens(o: OptionNode, tokens: readonly Token[]): void {
  tokensOf.set(o, tokens);
}

/**
 * The entries of an aggregate option value; undefined for another value, and for one that protoc's text format
 * does not parse (that is not what is checked here). Read once per option: features are read many times.
 */
export function aggregateOf(o: OptionNode): readonly AggregateEntry[] | undefined {
  if (!o.value.startsWith('{')) return undefined;
  let entries = parsed.get(o);
  if (entries === undefined) {
    // An option built without the parser has no tokens: its keys are found, at positions in its value's text.
    entries = new Reader(tokensOf.get(o) ?? tokenize(o.value)).aggregate();
    parsed.set(o, entries);
  }
  return entries ?? undefined;
}

/** Thrown where the text is not an aggregate protoc parses, or nests deeper than MAX_DEPTH. */
const NOT_TEXT_FORMAT = new Error('not text format');

/** protoc's text format parser's recursion limit: deeper is refused, and this reader recurses too. */
const MAX_DEPTH = 100;

class Reader {
  private k = 0;
  private depth = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  aggregate(): readonly AggregateEntry[] | null {
    try {
      if (!this.eat('{')) return null;
      return this.message('}');
    } catch (e) {
      if (e === NOT_TEXT_FORMAT) return null;
      throw e;
    }
  }

  private get cur(): Token | undefined {
    return this.tokens[this.k];
  }
  private is(text: string): boolean {
    const t = this.cur;
    return t !== undefined && t.kind === 'symbol' && t.text === text;
  }
  private eat(text: string): boolean {
    if (!this.is(text)) return false;
    this.k++;
    return true;
  }
  private next(): Token {
    const t = this.cur;
    if (!t || t.kind === 'eof') throw NOT_TEXT_FORMAT;
    this.k++;
    return t;
  }

  /** Entries up to `close` (`}` or `>`), which is consumed; `,` or `;` may follow each. */
  private message(close: string): AggregateEntry[] {
    if (++this.depth > MAX_DEPTH) throw NOT_TEXT_FORMAT;
    const out: AggregateEntry[] = [];
    while (!this.eat(close)) {
      out.push(this.entry());
      if (!this.eat(',')) this.eat(';');
    }
    this.depth--;
    return out;
  }

  private entry(): AggregateEntry {
    const first = this.next();
    let name: string;
    let range: Range;
    const extension = first.kind === 'symbol' && first.text === '[';
    if (extension) {
      name = '';
      while (!this.is(']')) name += this.next().text;
      range = { start: first.startPos, end: this.next().endPos };
      name = name.replace(/^\./, '');
    } else if (first.kind === 'ident') {
      name = first.text;
      range = first.range;
    } else throw NOT_TEXT_FORMAT;
    const colon = this.eat(':');
    if (this.is('{') || this.is('<')) {
      const value = this.messageValue();
      return { name, extension, range, valueRange: value.range, messages: [value.entries!] };
    }
    if (!colon) throw NOT_TEXT_FORMAT;
    if (this.is('[')) {
      const open = this.next();
      const list: AggregateElement[] = [];
      while (!this.eat(']')) {
        list.push(this.is('{') || this.is('<') ? this.messageValue() : this.scalar());
        this.eat(',');
      }
      const messages = list.flatMap((v) => (v.entries ? [v.entries] : []));
      return { name, extension, range, valueRange: { start: open.startPos, end: this.tokens[this.k - 1]!.endPos }, messages, list };
    }
    const { scalar, range: valueRange } = this.scalar();
    return { name, extension, range, scalar, valueRange, messages: [] };
  }

  /** A message value `{ … }` or `< … >`, from its opening token to its closing one. */
  private messageValue(): AggregateElement {
    const open = this.next();
    const entries = this.message(open.text === '{' ? '}' : '>');
    return { entries, range: { start: open.startPos, end: this.tokens[this.k - 1]!.endPos } };
  }

  /**
   * A number (signed or not: a `+`, which the parser reports, is read as a `-` is), an identifier, or adjacent
   * strings, and where it is written.
   */
  private scalar(): { scalar: string; range: Range } {
    const first = this.cur;
    let text = '';
    if (this.is('-') || this.is('+')) text = this.next().text;
    let t = this.next();
    if (t.kind === 'string') {
      text = t.text;
      while (this.cur?.kind === 'string') {
        t = this.next();
        text += ` ${t.text}`;
      }
    } else if (t.kind === 'ident' || t.kind === 'int' || t.kind === 'float') text += t.text;
    else throw NOT_TEXT_FORMAT;
    return { scalar: text, range: { start: first!.startPos, end: t.endPos } };
  }
}
