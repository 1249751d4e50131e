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

/** One element of a list: a scalar, or a message and its entries. */
export interface AggregateElement {
  readonly scalar?: string;
  readonly entries?: readonly AggregateEntry[];
  readonly range: Range;
}

/**
 * The entries of each aggregate value the parser read (null: not text format), kept beside the option (not in it: the
 * syntax tree says what is written, not where each key and value of it is).
 */
const parsed = new WeakMap<OptionNode, readonly AggregateEntry[] | null>();

/** Reads `o`'s aggregate value from its tokens, as the parser found them, and keeps its entries; the syntax errors of a value that is not text format. */
export function readAggregateTokens(o: OptionNode, tokens: readonly Token[]): readonly SyntaxError[] {
  const reader = new Reader(tokens);
  parsed.set(o, reader.aggregate());
  return reader.problems;
}

/**
 * The entries of an aggregate option value; undefined for another value, and for one that protoc's text format
 * does not parse (the parser reports that). Read once per option: features are read many times.
 */
export function aggregateOf(o: OptionNode): readonly AggregateEntry[] | undefined {
  if (!o.value.startsWith('{')) return undefined;
  let entries = parsed.get(o);
  if (entries === undefined) {
    // An option built without the parser has no tokens: its keys are found, at positions in its value's text.
    entries = new Reader(tokenize(o.value)).aggregate();
    parsed.set(o, entries);
  }
  return entries ?? undefined;
}

/** Thrown where the text is not an aggregate protoc parses, or nests deeper than MAX_DEPTH. */
const NOT_TEXT_FORMAT = new Error('not text format');

/** protoc's text format parser's recursion limit: deeper is refused, and this reader recurses too. */
const MAX_DEPTH = 100;

/** Where the reader is within a list or a message: a separator there is leading, extra or trailing. */
type After = 'open' | 'value' | 'separator';

class Reader {
  private k = 0;
  private depth = 0;
  /**
   * Where the text is not text format, as buf reports it: a separator where none may be, or `=` for `:`, each, and
   * the value still read; then the first other problem, where reading stops (none past MAX_DEPTH, which buf takes).
   */
  readonly problems: SyntaxError[] = [];
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
  /** The current token; where the tokens end (a value left unclosed, which the parser reports) reading stops, silently. */
  private get here(): Token {
    const t = this.cur;
    if (!t || t.kind === 'eof') throw NOT_TEXT_FORMAT;
    return t;
  }

  /** Records why the text is not text format, at `range`, and stops reading. */
  private fail(message: string, range: Range): never {
    this.recover(message, range);
    throw NOT_TEXT_FORMAT;
  }
  /** Records why the text is not text format, at `range`, where buf reads on as if it were. */
  private recover(message: string, range: Range): void {
    this.problems.push({ message, range });
  }
  private found(): string {
    const t = this.here;
    return `'${t.text.length > 40 ? `${t.text.slice(0, 40)}…` : t.text}'`;
  }
  /** A `,` or `;` where buf takes none: before the first `what` of a list or a message, or after another. */
  private separator(after: After, what: string): void {
    const t = this.here;
    this.recover(`unexpected '${t.text}' ${after === 'open' ? `before the first ${what}` : 'after another separator'}`, t.range);
  }

  /**
   * Entries up to `close` (`}` or `>`), which is consumed; `,` or `;` may follow each. buf also ends a `< … >` at the
   * `}` of the message around it, which that message consumes.
   */
  private message(close: string): AggregateEntry[] {
    if (++this.depth > MAX_DEPTH) throw NOT_TEXT_FORMAT;
    const out: AggregateEntry[] = [];
    let after: After = 'open';
    while (!this.eat(close)) {
      if (close === '>' && this.is('}')) break;
      if (this.is(',') || this.is(';')) {
        if (after !== 'value') this.separator(after, 'field of a message value');
        this.k++;
        after = 'separator';
        continue;
      }
      out.push(this.entry());
      after = 'value';
    }
    this.depth--;
    return out;
  }

  private entry(): AggregateEntry {
    const first = this.here;
    let name: string;
    let range: Range;
    const extension = first.kind === 'symbol' && first.text === '[';
    if (extension) {
      this.k++;
      name = '';
      while (!this.is(']')) {
        const t = this.here;
        if (t.kind !== 'ident' && !(t.kind === 'symbol' && (t.text === '.' || t.text === '/'))) this.fail("'[' is not closed: expected ']' after an extension's name or an Any's type URL", first.range);
        name += this.next().text;
      }
      range = { start: first.startPos, end: this.next().endPos };
      if (!name) this.fail("expected an extension's name or an Any's type URL in '[ ]'", range);
      name = name.replace(/^\./, '');
    } else if (first.kind === 'ident') {
      name = first.text;
      range = first.range;
      this.k++;
    } else this.fail(`expected a field name, found ${this.found()}`, first.range);
    const shown = extension ? `[${name}]` : name;
    let colon = this.eat(':');
    if (!colon && this.is('=')) {
      this.recover(`expected ':' after "${shown}", found '='`, this.here.range);
      colon = this.eat('=');
    }
    if (this.is('{') || this.is('<')) {
      const value = this.messageValue();
      return { name, extension, range, valueRange: value.range, messages: [value.entries!] };
    }
    if (!colon) {
      // buf marks the key (`a` of `{a 1}`, of `{a.b: 1}`).
      if (this.is('.')) this.fail(`expected ':' or '{' after "${shown}", found '.': a field's name has no dots`, range);
      this.fail(`"${shown}" has no value: expected ':' and a value, or a message '{ … }', after it`, range);
    }
    if (this.is('[')) {
      const open = this.next();
      const list: AggregateElement[] = [];
      let after: After = 'open';
      while (!this.eat(']')) {
        if (this.is('}') || this.is('>')) this.fail("'[' is not closed: expected ']' to end the list", open.range);
        if (this.is(',')) {
          if (after !== 'value') this.separator(after, 'value of a list');
          this.k++;
          after = 'separator';
          continue;
        }
        if (after === 'value') this.fail(`expected ',' or ']' in the list, found ${this.found()}`, this.here.range);
        list.push(this.is('{') || this.is('<') ? this.messageValue() : this.scalar(shown));
        after = 'value';
      }
      if (after === 'separator') this.recover("unexpected ',' after the last value of a list: expected ']'", this.tokens[this.k - 2]!.range);
      const messages = list.flatMap((v) => (v.entries ? [v.entries] : []));
      return { name, extension, range, valueRange: { start: open.startPos, end: this.tokens[this.k - 1]!.endPos }, messages, list };
    }
    const { scalar, range: valueRange } = this.scalar(shown);
    return { name, extension, range, scalar, valueRange, messages: [] };
  }

  /** `.name` follows: a dotted name goes on, or starts with it. */
  private dotName(): boolean {
    return this.is('.') && this.tokens[this.k + 1]?.kind === 'ident';
  }

  /** A message value `{ … }` or `< … >`, from its opening token to its closing one. */
  private messageValue(): AggregateElement {
    const open = this.next();
    const entries = this.message(open.text === '{' ? '}' : '>');
    return { entries, range: { start: open.startPos, end: this.tokens[this.k - 1]!.endPos } };
  }

  /**
   * A number (signed or not: a `+`, which the parser reports, is read as a `-` is), a name (`K1`; dotted, `a.b`,
   * which no value of a scalar or an enum is), or adjacent strings, and where it is written; the value of `key`.
   */
  private scalar(key: string): { scalar: string; range: Range } {
    const first = this.here;
    let text = '';
    if (this.is('-') || this.is('+')) text = this.next().text;
    // buf reads `--1` as a value, of no type (see optionValue.ts).
    while (text && this.is('-')) text += this.next().text;
    let t = this.here;
    if (t.kind === 'string') {
      text = t.text;
      this.k++;
      while (this.cur?.kind === 'string') {
        t = this.next();
        text += ` ${t.text}`;
      }
    } else if (t.kind === 'int' || t.kind === 'float') {
      text += this.next().text;
    } else if (t.kind === 'ident' || this.dotName()) {
      if (t.kind === 'ident') text += this.next().text;
      while (this.dotName()) text += this.next().text + this.next().text;
      t = this.tokens[this.k - 1]!;
    } else this.fail(`expected a value for "${key}", found ${this.found()}`, t.range);
    return { scalar: text, range: { start: first.startPos, end: t.endPos } };
  }
}
