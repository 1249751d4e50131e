// Error-tolerant recursive-descent parser for proto2, proto3 and editions files.
//
// Hand-written because an editor needs what no protobuf parser for JavaScript gives: exact UTF-16 ranges
// for every name, number and type, protoc-style comment attachment, and a tree for broken input (protobufjs
// throws on the first error). Recovery works at statement and block boundaries: a missing `;` is assumed when the
// next token is on a later line, a missing `}` while the text has a `{` without its `}` where a declaration that
// cannot appear in the block starts, or a declaration or field starts at or left of the enclosing block's column, or a
// `}` left of it (see `endsBlock` and `outside`, and `column` for tabs; the count is the file's, so in a file that is
// not indented a missing `}` may be placed at the first column-0 declaration rather than where it belongs; an
// aggregate option value's missing `}` likewise, see `endsAggregate`), and anything else skips to the next `;` or `}`
// of the same depth, or to a declaration that starts a later line (the broken line's `{`s, at its end or before what
// is typed after it there, or any of them before a line the indentation gives to the enclosing block, are then the
// ones without their `}`, not blocks to skip). Each loop consumes at least one token, and block nesting is
// capped, so no input makes it loop or overflow the stack.

import type {
  Comment, Comments, EnumNode, ExtendNode, ExtensionsNode, FieldNode, ImportNode, Label,
  MessageNode, OneofNode, OptionNode, Position, ProtoFile, Range, ReservedNode, RpcNode, ServiceNode,
  SyntaxError, Visibility,
} from './ast';
import { comparePositions } from './ast';
import { badOctalDigit, braceBalance, lexer, type Token, UNTERMINATED_STRING } from './lexer';
import { readAggregateTokens } from './aggregate';
import { keepOptionPathTokens } from './optionPath';
import { LineIndex } from './lines';
import { editDistance } from '../editDistance';
import { type CommentSyntax, EnumValueSyntax, type FieldOffsets, FieldSyntax, MessageSyntax, NONE } from './nodes';

/** Deeper blocks are skipped, not parsed: protoc itself refuses far less (its recursion limit is 100). */
export const MAX_NESTING = 64;
/** Tokens kept behind the current one (the parser looks back at most two), and how many to drop at once. */
const KEEP_BEHIND = 8;
const DROP_BATCH = 256;
const FIELD_MAX = 536870911;
const LABELS = new Set(['optional', 'repeated', 'required']);
/** The words that start a statement of the file, which a block cannot hold (`misplacedFileStatement`). */
const FILE_STATEMENTS = new Set(['import', 'package', 'syntax', 'edition']);
const enum Digit { D0 = 48, D9 = 57 }
const TAB = 9;
const SPACE = 32;
/** Tab stops for the columns that recovery compares (see `column`). */
const TAB_WIDTH = 4;
/** How many tokens after a `{` typedInto reads for the line that ends what is typed in it. */
const LOOKAHEAD = 64;

/** An option's value as written; an aggregate's tokens too, and whether its last `}` is there. */
interface OptionValue {
  text: string;
  range: Range;
  tokens?: Token[];
  closed?: boolean;
  /** A string of it has a lexical error (OptionNode.unsettled). */
  unsettled?: true;
}

export function parse(text: string): ProtoFile {
  return new Parser(text).parseFile(false);
}

/**
 * parse(), keeping what reparse.ts needs to reuse the tree for an edited text (ParsedText). Only for a text being
 * edited: recording its top-level statements costs a CLI check, which V8 still interprets, about 1 % more.
 */
export function parseForEditing(text: string): ProtoFile {
  return new Parser(text).parseFile(true);
}

/** What a top-level statement added to the file: a message, an enum, a service, an extend, or something else. */
export const enum ItemKind { Other, Message, Enum, Service, Extend }

/** What reading a top-level statement met (TopLevelItem.flags). */
export const enum ItemFlag {
  /**
   * A syntax error, or the brace count of the whole text asked for (recovery, or a declaration at the column of its
   * block's keyword): what the rest of the text can change.
   */
  Recovered = 1,
  /** An option that sets features, or a custom option (ProtoFile.setsFeatures, setsCustomOptions). */
  SetsFeatures = 2,
  SetsCustomOptions = 4,
}

/** One top-level statement as read: offsets of its first token, of its last token and of that token's end. */
export interface TopLevelItem {
  readonly start: number;
  readonly lastStart: number;
  readonly end: number;
  readonly kind: ItemKind;
  readonly flags: number;
}

/**
 * What reparse.ts needs of a parse to reuse its declarations for an edited text: the text, where its lines start,
 * its top-level statements in order, and whether it can be reused at all: not where the lexer reported an error
 * (which it may do while the parser looks ahead, for a later statement).
 */
export interface ParsedText {
  readonly text: string;
  readonly lines: LineIndex;
  readonly items: readonly TopLevelItem[];
  readonly reusable: boolean;
  /** How many reparses in a row made this tree: each may keep parts of the texts before it alive. */
  readonly generation: number;
}

/**
 * Kept on the tree itself: in a WeakMap keyed by the tree, a server analysing every keystroke held about 12 MB more
 * (benchmark figure 5c, 117.5 against 106 MB), as V8 lets such entries go later than the trees. Not enumerable, so
 * that nothing that walks or compares trees sees it.
 */
const PARSED_TEXT = Symbol('parsedText');

export function parsedTextOf(file: ProtoFile): ParsedText | undefined {
  return (file as { [PARSED_TEXT]?: ParsedText })[PARSED_TEXT];
}

export function rememberParsedText(file: ProtoFile, parsed: ParsedText): void {
  Object.defineProperty(file, PARSED_TEXT, { value: parsed });
}

/**
 * The top-level statements of `text` from the one after the token at `from` (the last token of a statement read
 * before), with `lines` complete for `text` or up to the start of `from`'s line (the lexer then records the rest).
 * After each, `stop(next, end)` (the token after it and where it ends) says whether to go on; undefined as soon as
 * the parse is not reusable (see ParsedText.reusable) or a statement is not a message, an enum, a service or an
 * extend. At the end of the text, `end` is its range's end.
 */
export function parseDeclarationsFrom(
  text: string,
  lines: LineIndex,
  from: { offset: number; line: number },
  stop: (next: Token, end: number) => boolean,
): { file: ProtoFile; items: TopLevelItem[]; end?: Position } | undefined {
  const parser = new Parser(text, lines, from);
  const file = emptyFile(parser.errors);
  const items: TopLevelItem[] = [];
  for (;;) {
    const item = parser.item(file);
    if (item.kind === ItemKind.Other || !parser.reusable()) return undefined;
    items.push(item);
    if (parser.atEnd()) return { file, items, end: parser.endPosition() };
    if (stop(parser.current(), item.end)) return { file, items };
  }
}

/** The file-wide flags of `file`, from its top-level statements. */
export function setFlags(file: ProtoFile, items: readonly TopLevelItem[]): void {
  let flags = 0;
  for (const item of items) flags |= item.flags;
  if (flags & ItemFlag.SetsFeatures) file.setsFeatures = true;
  if (flags & ItemFlag.SetsCustomOptions) file.setsCustomOptions = true;
}

function emptyFile(errors: SyntaxError[]): ProtoFile {
  return {
    kind: 'file', imports: [], options: [], messages: [], enums: [], services: [], extends: [], errors,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}

class Parser {
  private readonly lex: (out: Token[], max: number) => boolean;
  /** The lexer has delivered `eof`. */
  private lexed = false;
  /** Tokens `base` to `base + window.length - 1`: the few behind the current one and those looked ahead at. */
  private window: Token[] = [];
  private base = 0;
  /** While an option value is parsed, its first token: its text is rebuilt from the tokens. */
  private pinned = Infinity;
  private p = 0;
  /** Token `p`. */
  private cur: Token;
  readonly errors: SyntaxError[] = [];
  /** An option that sets features was read (ProtoFile.setsFeatures; within item(), in the current statement). */
  private setsFeatures = false;
  /** A custom option was read (ProtoFile.setsCustomOptions; within item(), in the current statement). */
  private setsCustomOptions = false;
  private depth = 0;
  private lastGap: { next: Token; comments: ReturnType<typeof collectComments> } | undefined;
  /**
   * The `{` without a `}` that recovery has not yet closed a block for: the text's brace balance, counted
   * when a block first looks unclosed (a well-indented file never asks, and pays nothing).
   */
  private unclosed: number | undefined;
  /** The current top-level statement asked for the brace count (ItemFlag.Recovered). */
  private askedBalance = false;
  /**
   * The last `column` answer (not an indentation's): column colOf at offset colAt of the line that starts at colLine.
   * Every block asks its keyword's column, and counting each from the start of its line made a file on one line (a
   * generated or minified one) quadratic in its length: 20,000 messages on a line took 14 s to check.
   */
  private colLine = -1;
  private colAt = 0;
  private colOf = 0;
  /** The lexer reported an error (ParsedText.reusable). */
  private lexerError = false;

  /**
   * `lines`: shared by the nodes that keep offsets (nodes.ts); the lexer fills it in. `from`: the parse starts at the
   * token after the one at this offset and line (parseDeclarationsFrom), which is token 0, the one before the first
   * statement read, as comments are attached by it; `lines` is then complete, or complete up to that line.
   */
  constructor(private readonly text: string, private readonly lines = new LineIndex(), from?: { offset: number; line: number }) {
    this.lex = lexer(text, lines, (message, start, end) => {
      this.lexerError = true;
      this.error(message, lines.range(start, end));
    }, from);
    if (from) this.p = 1;
    this.cur = this.at(this.p);
  }

  /** See ParsedText.reusable. */
  reusable(): boolean {
    return !this.lexerError;
  }
  atEnd(): boolean {
    return this.cur.kind === 'eof';
  }
  current(): Token {
    return this.cur;
  }
  endPosition(): Position {
    return this.cur.endPos;
  }

  // ---- token helpers -------------------------------------------------------------------------------

  /** Token number `k`; past the end, `eof`. The parser never looks further back than a few tokens. */
  private at(k: number): Token {
    // Kept this small so that V8 inlines it everywhere; the rest is in fill().
    return this.window[k - this.base] ?? this.fill(k);
  }
  /** Lexes up to and past token `k`, a batch at a time. */
  private fill(k: number): Token {
    if (k < this.base) throw new Error(`parser bug: token ${k} was already dropped (the window starts at ${this.base})`);
    const w = this.window;
    while (k >= this.base + w.length && !this.lexed) this.lexed = this.lex(w, DROP_BATCH);
    return w[Math.min(k - this.base, w.length - 1)]!;
  }
  private peek(k = 1): Token {
    return this.at(this.p + k);
  }
  private prevTok(): Token {
    return this.at(Math.max(this.p - 1, 0));
  }
  /** Moves past the current token without looking at it. */
  private advance(): void {
    // at(), written out: the parser calls this once per token, and a CLI check runs it before V8 optimizes it.
    const k = ++this.p;
    this.cur = this.window[k - this.base] ?? this.fill(k);
    // Drop what is well behind: a long-lived array of every token costs the garbage collector more than the
    // parse itself on large files.
    if (this.p - this.base > DROP_BATCH + KEEP_BEHIND) this.dropBehind();
  }
  private dropBehind(): void {
    const drop = Math.min(this.p - KEEP_BEHIND, this.pinned) - this.base;
    if (drop > 0) {
      this.window = this.window.slice(drop);
      this.base += drop;
    }
  }
  private next(): Token {
    const t = this.cur;
    const kind = t.kind;
    if (kind === 'eof') return t;
    this.advance();
    if (kind === 'invalid') this.error(t.error ?? 'unexpected input', t.range);
    else if (t.error !== undefined) this.error(t.error, kind === 'int' ? octalDigit(t) : t.range);
    return t;
  }
  /**
   * The current token is the symbol or identifier `text`. Its text alone says so: a string token keeps its quotes,
   * no number or invalid token reads like a keyword or a symbol, and eof's text is empty.
   */
  private is(text: string): boolean {
    return this.cur.text === text;
  }
  private eat(text: string): boolean {
    if (this.is(text)) {
      this.next();
      return true;
    }
    return false;
  }
  private error(message: string, range: Range): void {
    // One error per position: recovery can revisit the same token.
    const last = this.errors[this.errors.length - 1];
    if (last && last.range.start.line === range.start.line && last.range.start.character === range.start.character) return;
    this.errors.push({ message, range });
  }
  private describe(t: Token): string {
    return t.kind === 'eof' ? 'end of file' : `'${t.text.length > 40 ? t.text.slice(0, 40) + '…' : t.text}'`;
  }
  /**
   * Reports that `what` was expected at the current token. Inside a statement, what a line lacks at its end is shown
   * there, not on the next line's declaration, which is fine; `atToken`: the token starts a statement and is
   * itself what is wrong.
   */
  private expected(what: string, atToken = false): void {
    // A token the lexer already rejected is reported for what is wrong with it.
    const lexical = this.cur.kind === 'invalid' || this.cur.kind === 'string' ? this.cur.error : undefined;
    const prev = this.p > 0 ? this.prevTok() : undefined;
    // What a statement lacks after a string that took the rest of its line is typed in it (`unterminated`).
    if (!atToken && prev && unterminated(prev)) return;
    if (!atToken && !lexical && prev && this.cur.kind !== 'eof' && this.cur.line > prev.line) {
      this.error(`expected ${what} after ${this.describe(prev)}`, { start: prev.endPos, end: prev.endPos });
      return;
    }
    this.error(lexical ?? `expected ${what}, found ${this.describe(this.cur)}`, this.rangeOf(this.cur));
  }
  /**
   * Where an error at `t` is shown. The end of a file that ends with a line break is on a line past its last one,
   * which a CI annotation cannot point at and an editor shows on an empty line: such an error is shown at the end of
   * the last token instead.
   */
  private rangeOf(t: Token): Range {
    const prev = t.index > 0 ? this.at(t.index - 1) : undefined;
    if (t.kind !== 'eof' || !prev || t.line === prev.line) return t.range;
    return { start: prev.endPos, end: prev.endPos };
  }

  /** Expects `;`. When it is missing and the next token starts a later line, the `;` is assumed. */
  private endStatement(): void {
    if (this.eat(';')) return;
    const prev = this.prevTok();
    // An unclosed aggregate value took the statement's `;` (`{a: {};`): its own error says what is missing.
    if (prev.kind === 'symbol' && prev.text === ';') return;
    // Where the `;` goes, an error of the statement already says what is wrong (`returns A;`, `= -`).
    const last = this.errors[this.errors.length - 1];
    const said = last !== undefined && comparePositions(last.range.start, this.cur.startPos) === 0;
    // `A = 0, B = 1;`, `int32 a = 1, int32 b = 2;`, a `,` at the end of a line: a `,` typed for the `;`, where buf
    // marks it. It ends the statement, so that the one after it on the line is read.
    if (this.is(',') && (this.peek().line > this.cur.line || ((this.peek().kind === 'ident' || this.peekIs('.', 1)) && this.startsMember(1)))) {
      if (!said) this.error("expected ';', found ','", this.cur.range);
      this.next();
      return;
    }
    if (!said && !unterminated(prev)) this.error(`expected ';' after ${this.describe(prev)}`, { start: prev.endPos, end: prev.endPos });
    if (this.cur.line > prev.line || this.is('}') || this.cur.kind === 'eof') return;
    // `A = 0 B = 1;`, `int32 a = 1 int32 b = 2;`: the next declaration on the line, read (as buf reads it), where it
    // was skipped with the rest of the line and lost.
    if (this.cur.kind === 'ident' && this.startsMember(0)) return;
    this.skipStatement();
  }

  /**
   * Skips to just after the next `;` or to the next `}` of the current depth; skips nested blocks whole. Stops
   * before a declaration that starts a later line: the broken statement is one being typed (`reserved 2 t`), not
   * that one. Unless `wholeBlocks` (a block nested too deep), the statement's first `{` may be a stray one, at the
   * end of its line or before what is typed after it there (`strayBrace`), and so may its later ones: a later line
   * that the indentation gives to the enclosing block (`outside` the statement's line) is not one in its braces
   * (`rpc Foo(A) returns (B) {` in a message, an aggregate `option (x) = {` typed below it).
   */
  private skipStatement(wholeBlocks = false): void {
    let depth = 0;
    const line = this.cur.line;
    const indentation = wholeBlocks ? -1 : this.column(this.cur, true);
    // The line of the statement's first `{`, until the next line shows whether it is a stray one.
    let braceLine = -1;
    while (this.cur.kind !== 'eof') {
      if (depth === 0 && this.cur.line > line && this.startsLineDeclaration()) return;
      if (depth > 0 && this.cur.line > line && this.outside(indentation) && this.closeUnclosed(depth)) return;
      if (braceLine >= 0 && this.cur.line > braceLine) {
        if (this.strayBrace(depth)) return;
        braceLine = -1;
      }
      if (this.is('{')) {
        if (depth === 0 && !wholeBlocks) braceLine = this.cur.line;
        depth++;
      } else if (this.is('}')) {
        if (depth === 0) return;
        depth--;
        if (depth === 0) {
          this.next();
          return;
        }
      } else if (this.is(';') && depth === 0) {
        this.next();
        return;
      }
      this.advance();
    }
  }

  /**
   * The `{` of a broken statement's line (`string Foo {`, `rpc Foo {` in a message, `oneof x { string a = 1;` in a
   * service), with `depth` of the line's `{` still open, opens no block: the current token, the next line's first,
   * declares a member of the enclosing block, and the text has at least as many `{` without their `}`. Skipped as a
   * block's, it would take the declarations up to the enclosing block's `}` with it, which a check then reports
   * deleted. In balanced text (`mesage Foo { ... }`, a typo) the block is skipped whole.
   */
  private strayBrace(depth: number): boolean {
    return this.startsLineDeclaration() && this.closeUnclosed(depth);
  }

  /**
   * Skips an unexpected token and the rest of its statement; a token alone on its line (a stray character)
   * or one followed by a declaration is skipped alone, so that the next line's statement survives. A `{` opens a
   * block that no declaration names (`{ int32 a = 1; }`, where buf says "unexpected definition body"): skipped whole,
   * as a broken statement's block is, since its `}`, taken alone, would close the enclosing block and leave the
   * declarations after it outside; one being typed, without its `}`, takes no declaration (skipStatement).
   */
  private skipUnexpected(): void {
    if (this.is('{')) return this.skipStatement();
    const bad = this.next();
    if (this.cur.line > bad.line || this.startsDeclaration()) return;
    this.skipStatement();
  }

  /**
   * A declaration being typed (`string` or `rpc` alone on its line) would take the next line's first word for its
   * name, and the rest of that line's declaration with it, which a compatibility check then reports deleted:
   * a word on a later line that none of `follows` comes after is the next declaration's. Reports `what` missing.
   */
  private startsNextLine(prev: Token, follows: readonly string[], what = 'a name'): boolean {
    if (this.cur.kind !== 'ident' || this.cur.line <= prev.line || follows.some((f) => this.peekIs(f, 1))) return false;
    this.error(`expected ${what} after ${this.describe(prev)}`, { start: prev.endPos, end: prev.endPos });
    return true;
  }

  private ident(what: string): { name: string; range: Range } | undefined {
    if (this.cur.kind === 'ident') {
      const t = this.next();
      return { name: t.text, range: t.range };
    }
    this.expected(what);
    return undefined;
  }

  /**
   * `.a.b.C` or `a.b` as one name, and the offsets where it starts and ends. A name typed up to a `.` (`extend a.`,
   * `(gogoproto.`) ends there when the next line starts a declaration or a field: that line's first word is not the
   * rest of the name, and taking it would take the line's declaration with it.
   */
  private fullIdent(what: string): { name: string; start: number; end: number } | undefined {
    const start = this.cur.start;
    let name = '';
    if (this.is('.')) {
      this.next();
      name = '.';
      if (this.cutAtDot(what)) return { name, start, end: this.prevTok().end };
    }
    if (this.cur.kind !== 'ident') {
      this.expected(what);
      return undefined;
    }
    name += this.next().text;
    while (this.is('.') && this.peek().kind === 'ident') {
      this.next();
      name += '.';
      if (this.cutAtDot(what)) break;
      name += this.next().text;
    }
    return { name, start, end: this.prevTok().end };
  }

  /** The `.` just read ends a name being typed: the current token starts a later line's declaration (fullIdent). */
  private cutAtDot(what: string): boolean {
    if (!this.startsLineDeclaration()) return false;
    this.expected(what);
    return true;
  }

  /**
   * `= N` after a field's or an enum value's name (which ends at `end`). `missing`: there is no number where the
   * statement ends or its options start (`x;`, `x = ;`, `x [a = 1];`), which buf marks on the whole declaration
   * ("missing message field tag in declaration") rather than at the token, or not only there.
   */
  private numberAfterName(end: number): { num: { value?: number; start: number; end: number }; missing: boolean } {
    if (this.eat('=')) {
      const num = this.intLiteral();
      return { num, missing: num.value === undefined && this.is(';') && this.prevTok().text === '=' };
    }
    const missing = this.is(';') || this.is('[');
    // `x 1;`: the number without its `=`, where buf marks it ("unexpected integer literal"), is read, so that the
    // field or value is kept with it.
    if (this.cur.kind === 'int' && this.cur.line === this.prevTok().line) {
      this.error(`expected '=' before ${this.describe(this.cur)}`, this.cur.range);
      return { num: this.intLiteral(), missing: false };
    }
    // `x: 1;`, a `:` typed for the `=`: said there, and the number read.
    if (this.is(':') && this.peek().kind === 'int' && this.peek().line === this.cur.line) {
      this.expected("'='");
      this.next();
      return { num: this.intLiteral(), missing: false };
    }
    if (!missing) this.expected("'='");
    return { num: { start: end, end }, missing };
  }

  /** An error over a statement read from `start`, placed among the errors before those found in it (from index `at`). */
  private markWhole(at: number, message: string, start: Position): void {
    this.errors.splice(at, 0, { message, range: this.rangeFrom(start) });
  }

  /**
   * A number, and the offsets where it starts and ends (where it should be, when it is missing). A negative one too:
   * buf reads it where a field's number goes and says it is out of range, and so does the binder.
   */
  private intLiteral(): { value?: number; start: number; end: number } {
    const start = this.cur.start;
    let neg = false;
    if (this.is('-')) {
      this.next();
      neg = true;
    }
    if (this.cur.kind === 'int') {
      const t = this.next();
      const v = parseIntLiteral(t.text);
      if (v === undefined) this.error(`integer ${t.text} is too large`, t.range);
      return { value: v === undefined ? undefined : neg ? -v : v, start, end: t.end };
    }
    // `= 1.5`, `= max` where an integer goes: said so (buf: "mismatched types", "`max` outside of range end"), not as
    // a token that was unexpected. The statement is then passed over as before.
    const here = this.cur.line === this.prevTok().line;
    if (here && this.cur.kind === 'float') this.error(`expected an integer, found ${this.describe(this.cur)}: a number here has no fraction or exponent`, this.cur.range);
    else if (here && this.is('max')) this.error("'max' is not a number: it only ends a range of a reserved or extensions statement ('5 to max')", this.cur.range);
    else this.expected('a number');
    return { start, end: this.cur.start };
  }

  /**
   * The string literal here and those right after it, read as one (`"a" 'b'` is "ab", protoc's ParseStringAppend):
   * their value and where they are written; undefined where no string is.
   */
  private strings(): { value: string; range: Range; unsettled?: true } | undefined {
    if (this.cur.kind !== 'string') return undefined;
    const first = this.cur;
    let value = '';
    let unsettled = false;
    while (this.cur.kind === 'string') {
      const t = this.next();
      value += t.value ?? '';
      if (t.error !== undefined) unsettled = true;
    }
    const range = { start: first.startPos, end: this.prevTok().endPos };
    return unsettled ? { value, range, unsettled } : { value, range };
  }

  private span(start: number, end: number): Range {
    return this.lines.range(start, end);
  }

  // ---- comments ------------------------------------------------------------------------------------

  /**
   * The comments between `next` and the token before it. The gap after one declaration's `;` is asked for
   * twice in a row, for that declaration's trailing comment and for the next one's leading comment, so the
   * last answer is kept.
   */
  private gap(next: Token): ReturnType<typeof collectComments> {
    // Most gaps hold no comment.
    if (!next.pre) return NO_COMMENTS;
    if (this.lastGap?.next !== next) this.lastGap = { next, comments: collectComments(next.index > 0 ? this.at(next.index - 1) : undefined, next) };
    return this.lastGap.comments;
  }

  /** Leading and detached comments of the declaration starting at `first` (see `collectComments`). */
  private commentsFor(first: Token): Comments {
    const c = this.gap(first);
    // All three properties from the start: adding `leading` or `trailing` later gave every node's comments
    // a second object to hold them.
    return { leading: c.leading, trailing: undefined, detached: c.detached.length ? [...c.detached] : NONE };
  }

  /** Trailing comment of the element whose last token is the previous one (`;`, or `{` for blocks). */
  private trailingFor(comments: Comments, end: Token = this.prevTok()): void {
    const t = this.gap(this.at(end.index + 1)).trailing;
    if (t) comments.trailing = t;
  }

  private rangeFrom(start: Position): Range {
    return { start, end: this.prevTok().endPos };
  }

  // ---- file ----------------------------------------------------------------------------------------

  parseFile(record: boolean): ProtoFile {
    const file = emptyFile(this.errors);
    const items: TopLevelItem[] = [];
    while (this.cur.kind !== 'eof') {
      if (record) items.push(this.item(file));
      else this.statement(file);
    }
    file.range.end = this.cur.endPos;
    if (this.setsFeatures) file.setsFeatures = true;
    if (this.setsCustomOptions) file.setsCustomOptions = true;
    if (record) rememberParsedText(file, { text: this.text, lines: this.lines, items, reusable: this.reusable(), generation: 0 });
    return file;
  }

  private statement(file: ProtoFile): void {
    const before = this.p;
    this.topLevel(file);
    if (this.p === before) {
      this.expected('a declaration', true);
      this.next();
    }
  }

  /** One top-level statement, and what it added to `file`. */
  item(file: ProtoFile): TopLevelItem {
    const start = this.cur.start;
    const { messages, enums, services, extends: extend } = file;
    const m = messages.length, e = enums.length, s = services.length, x = extend.length;
    const errors = this.errors.length;
    // The file's flags so far, and the statement's own.
    const features = this.setsFeatures;
    const custom = this.setsCustomOptions;
    this.askedBalance = this.setsFeatures = this.setsCustomOptions = false;
    this.statement(file);
    const last = this.prevTok();
    const kind = messages.length > m ? ItemKind.Message : enums.length > e ? ItemKind.Enum
      : services.length > s ? ItemKind.Service : extend.length > x ? ItemKind.Extend : ItemKind.Other;
    const flags = (this.errors.length > errors || this.askedBalance ? ItemFlag.Recovered : 0)
      | (this.setsFeatures ? ItemFlag.SetsFeatures : 0) | (this.setsCustomOptions ? ItemFlag.SetsCustomOptions : 0);
    this.setsFeatures ||= features;
    this.setsCustomOptions ||= custom;
    return { start, lastStart: last.start, end: last.end, kind, flags };
  }

  private topLevel(file: ProtoFile): void {
    this.skipVisibility();
    this.skipMisplacedModifier('file');
    const t = this.cur;
    const start = t.startPos;
    switch (t.kind === 'ident' ? t.text : t.text === ';' ? ';' : '') {
      case ';':
        this.next();
        return;
      case 'syntax':
      case 'edition': {
        this.next();
        // `syntax "proto3";`: said at the string, where buf marks it, which is read as the value as before.
        if (!this.eat('=')) {
          if (this.cur.kind === 'string' && this.cur.line === this.prevTok().line) this.error(`expected '=' before ${this.describe(this.cur)}`, this.cur.range);
          else this.expected("'='");
        }
        const v = this.strings() ?? this.unquotedVersion(t.text);
        if (!v) this.expected('a string');
        this.endStatement();
        const node = { value: v?.value ?? '', range: this.rangeFrom(start) };
        // protoc reads them only first in the file, and buf refuses another: the first one stays the file's.
        const other = file.syntax ?? file.edition;
        if (other) {
          const same = (t.text === 'syntax') === (file.syntax !== undefined);
          this.error(same ? `duplicate ${t.text} statement` : 'a file has a syntax or an edition statement, not both', node.range);
          return;
        }
        if (file.package || file.imports.length || file.options.length || file.messages.length || file.enums.length || file.services.length || file.extends.length) {
          this.error(`the ${t.text} statement must come first in the file`, node.range);
        }
        if (t.text === 'syntax') {
          file.syntax = node;
          if (v && node.value !== 'proto2' && node.value !== 'proto3') {
            this.error(`unknown syntax "${node.value}" (expected "proto2" or "proto3")`, v.range);
          }
        } else {
          file.edition = node;
          if (v && node.value !== '2023' && node.value !== '2024') this.error(`unknown edition "${node.value}" (expected "2023" or "2024")`, v.range);
        }
        return;
      }
      case 'package': {
        this.next();
        const name = this.fullIdent('a package name');
        // buf: "unexpected absolute path in `package` declaration", over the name; the package is read without it.
        if (name?.name.startsWith('.')) this.error("a package name takes no leading '.'", this.span(name.start, name.end));
        this.endStatement();
        // The first one stays: a second typed anywhere in the file would rename every declaration in it meanwhile
        // (protoc keeps the last, but refuses the file either way).
        if (name && file.package) this.error('duplicate package statement', this.rangeFrom(start));
        else if (name) file.package = { name: name.name, nameRange: this.span(name.start, name.end), range: this.rangeFrom(start) };
        return;
      }
      case 'import': {
        this.next();
        let modifier: ImportNode['modifier'];
        if (this.is('public') || this.is('weak')) modifier = this.next().text as ImportNode['modifier'];
        // Edition 2024's import of a file for its custom options only: read as a plain import.
        else if (this.is('option') && this.peek().kind === 'string') this.next();
        const s = this.strings();
        if (!s) this.expected('an import path string');
        this.endStatement();
        if (s) {
          const node: ImportNode = { kind: 'import', path: s.value, pathRange: s.range, range: this.rangeFrom(start) };
          if (modifier) node.modifier = modifier;
          // protoc and buf refuse the file; the node stays, for the editor's link to the file.
          if (file.imports.some((i) => i.path === node.path)) this.error(`import "${node.path}" is listed twice`, node.range);
          file.imports.push(node);
        }
        return;
      }
      case 'option': {
        const o = this.option();
        if (o) file.options.push(o);
        return;
      }
      case 'message':
        return pushDefined(file.messages, this.message());
      case 'enum':
        return pushDefined(file.enums, this.enumDecl());
      case 'service':
        return pushDefined(file.services, this.service());
      case 'extend':
        return pushDefined(file.extends, this.extend());
      default: {
        const meant = this.misspelledKeyword();
        if (meant) {
          // Read as the declaration meant: skipped as a broken statement, its body was lost (a check reported each
          // of its members deleted, and each field of its type unresolved).
          this.error(meant === t.text.toLowerCase() ? `a keyword is lower case: write '${meant}'` : `unknown keyword '${t.text}': did you mean '${meant}'?`, t.range);
          if (meant === 'message') return pushDefined(file.messages, this.message());
          if (meant === 'enum') return pushDefined(file.enums, this.enumDecl());
          if (meant === 'service') return pushDefined(file.services, this.service());
          return pushDefined(file.extends, this.extend());
        }
        // A `}` no block is open for (one too many after a message): said so, where buf says "unmatched `}`".
        if (this.is('}')) this.error("unexpected '}': no block is open here to close", t.range);
        else this.expected("'message', 'enum', 'service', 'import', 'package', 'option' or 'syntax'", true);
        this.skipUnexpected();
      }
    }
  }

  /**
   * The top-level keyword the word here was typed for (`mesage Foo {`, `Message Foo {`, `enmu E {`): a word followed
   * by a name and a `{` on its line, at most two edits from `message`, `enum`, `service` or `extend` (ignoring case),
   * the nearest.
   */
  private misspelledKeyword(): string | undefined {
    const t = this.cur;
    if (t.kind !== 'ident' || this.peek().kind !== 'ident' || !this.peekIs('{', 2) || this.peek(2).line !== t.line) return undefined;
    const word = t.text.toLowerCase();
    let best: string | undefined;
    let least = 3;
    for (const k of BLOCK_KEYWORDS) {
      const d = editDistance(word, k, 2);
      if (d < least) [best, least] = [k, d];
    }
    return best;
  }

  /**
   * `syntax = proto3;`, `edition = 2023;`: the value without its quotes, on the statement's line, which buf refuses
   * ("the value of a `syntax` declaration must be a string literal"). Said over it, saying how to write it, and read as
   * the value: read as none, the file was proto2 and every unlabelled field one more error.
   */
  private unquotedVersion(keyword: string): { value: string; range: Range } | undefined {
    const t = this.cur;
    if (t.kind !== (keyword === 'syntax' ? 'ident' : 'int') || t.line !== this.prevTok().line) return undefined;
    this.next();
    this.error(`the ${keyword} is a string: write "${t.text}"`, t.range);
    return { value: t.text, range: t.range };
  }

  // ---- options -------------------------------------------------------------------------------------

  /** `option name = value;` */
  private option(): OptionNode | undefined {
    const start = this.cur.startPos;
    const kw = this.next();
    if (this.startsNextLine(kw, ['=', '.'], 'an option name')) return undefined;
    const errors = this.errors.length;
    const o = this.optionBody(kw);
    // A statement that ends where its value goes is marked whole, as buf marks it ("missing option setting value").
    const missing = !o && this.is(';') && this.prevTok().text === '=';
    // A name alone (`option deprecated;`) too, where optionBody's one error asked for the `=` at the `;`: it lacks
    // `= value`, which is said instead.
    const asked = this.errors.length === errors + 1 ? this.errors[errors]! : undefined;
    const bare = !o && !missing && this.is(';') && asked !== undefined && asked.message === NO_EQUALS && comparePositions(asked.range.start, this.cur.startPos) === 0;
    const name = this.prevTok();
    if (bare) this.errors.length = errors;
    this.endStatement();
    if (missing) this.markWhole(errors, 'the option has no value', start);
    if (bare) this.markWhole(errors, `the option has no value: expected '= value' after ${this.describe(name)}`, start);
    if (o) o.range = this.rangeFrom(start);
    return o;
  }

  /** `name = value` as in statements and in `[...]` lists; `statement`: the first token of the statement it is in. */
  private optionBody(statement: Token): OptionNode | undefined {
    const nameStart = this.cur.startPos;
    let name = '';
    // After a custom option's `(ext)`, the tokens of its path (`.inner.count`), checked where written (optionPath.ts).
    let path: Token[] | undefined;
    // Asked once: `name` is built by concatenation, and asking it each time would flatten it each time (quadratic).
    const custom = this.is('(');
    if (custom) this.setsCustomOptions = true;
    for (;;) {
      if (this.is('(')) {
        const open = this.cur;
        // An extension in the path (`(b)` of `(a).(b).c`) goes into it whole: its tokens are kept until its `)`.
        const pinned = this.pinned;
        if (path) this.pinned = Math.min(pinned, open.index);
        this.next();
        // `option (` being typed above a declaration or a field: `(` needs its `)` before any `=`.
        if (this.startsLineDeclaration()) {
          this.pinned = pinned;
          this.expected('an option name');
          return undefined;
        }
        const inner = this.fullIdent('an option name');
        if (!this.eat(')')) this.expected("')'");
        name += `(${inner?.name ?? ''})`;
        if (path) for (let k = open.index; k <= this.prevTok().index; k++) path.push(this.at(k));
        this.pinned = pinned;
      } else if (this.cur.kind === 'ident') {
        path?.push(this.cur);
        name += this.next().text;
      } else {
        this.expected('an option name');
        return undefined;
      }
      if (this.is('.')) {
        if (custom) (path ??= []).push(this.cur);
        this.next();
        name += '.';
        if (this.nextLineDeclares()) {
          this.expected('an option name');
          return undefined;
        }
        continue;
      }
      break;
    }
    const nameRange = this.rangeFrom(nameStart);
    if (name === 'features' || name.startsWith('features.')) this.setsFeatures = true;
    if (this.eat('=')) {
      if (this.startsNextLine(this.prevTok(), [';', ',', ']'], 'a value')) return undefined;
    } else if (this.is(':') && this.peek().line === this.cur.line && !this.peekIs(';', 1)) {
      // `[json_name: "x"]`, an aggregate's `:` typed for the `=`: said as before, and the option read with its value.
      this.expected("'='");
      this.next();
    } else if (this.valueWithoutEquals()) {
      // `option go_package "x";`, `[deprecated true]`: said at the value, where buf marks it, and the option is read
      // with it, so that a check compares it (it was dropped, and go_package looked removed).
      this.error(`expected '=' before ${this.describe(this.cur)}`, this.cur.range);
    } else {
      this.expected("'='");
      return undefined;
    }
    const value = this.optionValue(statement);
    // No value, or one that is none: its syntax error is all that is said, and the option sets nothing.
    if (!value) return undefined;
    const o: OptionNode = { kind: 'option', name, nameRange, value: value.text, valueRange: value.range, range: { start: nameStart, end: value.range.end } };
    if (value.unsettled) o.unsettled = true;
    const wrong = value.tokens && readAggregateTokens(o, value.tokens);
    // An unclosed value has its error already; what is typed in it is not read for another.
    if (wrong && value.closed) for (const w of wrong) this.error(w.message, w.range);
    if (path) keepOptionPathTokens(o, path);
    return o;
  }

  private optionValue(statement: Token): OptionValue | undefined {
    const start = this.cur;
    const pinned = this.pinned;
    this.pinned = Math.min(pinned, start.index);
    try {
      return this.optionValueFrom(start, statement);
    } finally {
      this.pinned = pinned;
    }
  }

  private optionValueFrom(start: Token, statement: Token): OptionValue | undefined {
    const aggregate = this.is('{');
    let closed = true;
    let unsettled = false;
    if (aggregate) {
      // Aggregate (text-format) value: kept as source text, braces balanced iteratively.
      let depth = 0;
      do {
        if (this.is('{')) depth++;
        else if (this.is('}')) depth--;
        // buf skips a run of signs it cannot read (`++1`) with one error, at its first.
        else if (!(this.prevTok().kind === 'symbol' && this.prevTok().text === '+')) this.plus();
        this.next();
      } while (depth > 0 && this.cur.kind !== 'eof' && !this.endsAggregate(statement, depth));
      if (depth > 0 && this.cur.kind === 'eof') this.expected("'}'");
      else if (depth > 0) this.error("expected '}' to end this option value", start.range);
      closed = depth === 0;
    } else if (this.cur.kind === 'string') {
      // Adjacent strings concatenate.
      while (this.cur.kind === 'string') if (this.next().error !== undefined) unsettled = true;
    } else if (this.is('-') || this.is('+')) {
      this.plus();
      this.next();
      // buf reads `--1` as a value, which no type takes.
      while (this.is('-')) this.next();
      if (this.cur.kind === 'int' || this.cur.kind === 'float' || this.cur.kind === 'ident') this.next();
      // buf reads `-"x"` as a value, which no type takes (the binder says so, at the string).
      else if (this.peek(0).kind === 'string') while (this.peek(0).kind === 'string') this.next();
      else if (this.dottedName()) this.fullIdent('a value');
      else this.expected('a number');
    } else if (this.cur.kind === 'int' || this.cur.kind === 'float') {
      this.next();
    } else if (this.cur.kind === 'ident' || this.dottedName()) {
      this.fullIdent('a value');
    } else if (this.is('[')) {
      // buf reads the list (and refuses it), and sets the option with it as it sets a field of an aggregate (aggregate.ts).
      if (!this.listValue()) return undefined;
    } else {
      this.expected('an option value');
      // What stands where the value goes on its line is the error (`0b1`, `)`): the statement's `;` after it is none.
      if (this.cur.line === this.prevTok().line && ![';', ',', ']', '}'].includes(this.cur.text) && this.cur.kind !== 'eof') this.next();
      return undefined;
    }
    const end = this.prevTok();
    const value: OptionValue = { text: this.textBetween(start, end), range: { start: start.startPos, end: end.endPos } };
    if (unsettled) value.unsettled = true;
    if (!aggregate && start.text !== '[') return value;
    const tokens: Token[] = [];
    for (let k = start.index; k <= end.index; k++) tokens.push(this.at(k));
    return { ...value, tokens, closed };
  }

  /**
   * A list where an option's value goes (`option (x) = [1, 2];`), which buf reads and refuses ("unexpected array
   * expression in option setting value") and protoc does not read: one error over it, read up to its `]` (not past a
   * closer of another bracket, a `;` or the next line's declaration, where it is one at its `[`). Whether it is closed.
   */
  private listValue(): boolean {
    const start = this.cur;
    const closers: string[] = [];
    do {
      if (this.is('[') || this.is('{')) closers.push(this.is('[') ? ']' : '}');
      else if (this.is(']') || this.is('}')) {
        if (!this.is(closers[closers.length - 1]!)) break;
        closers.pop();
      }
      this.next();
    } while (closers.length && this.cur.kind !== 'eof' && !this.is(';') && !this.startsLineDeclaration());
    if (closers.length) this.error("'[' is not closed: expected ']' to end the list", start.range);
    else this.error("a list ('[ … ]') is no option value: only a field of an aggregate value takes one", { start: start.startPos, end: this.prevTok().endPos });
    return !closers.length;
  }

  /**
   * After an option's name, a value on its line without the `=` before it: a string or a number, or a word, a signed
   * number or a dotted name that ends the option (`true;`, `-1]`). Not a `{`, nor a word that goes on (`option a b c`).
   */
  private valueWithoutEquals(): boolean {
    const t = this.cur;
    if (t.line !== this.prevTok().line) return false;
    if (t.kind === 'string' || t.kind === 'int' || t.kind === 'float') return true;
    const k = this.is('-') ? 1 : 0;
    const v = this.peek(k);
    if (k === 1 && v.kind !== 'ident' && v.kind !== 'int' && v.kind !== 'float') return false;
    if (v.kind === 'int' || v.kind === 'float') return true;
    if (v.kind !== 'ident') return false;
    const after = this.pastName(k);
    return this.peekIs(';', after) || this.peekIs(',', after) || this.peekIs(']', after);
  }

  /** A name with a leading dot (`.VIEW`) starts here: buf reads it as a value, which no field takes, not as a syntax error. */
  private dottedName(): boolean {
    return this.is('.') && this.peek().kind === 'ident';
  }

  /**
   * A `+` at the current token, which protoc and buf refuse before a value though the language specification writes
   * it; the value is still read, so that its type is checked.
   */
  private plus(): void {
    if (this.is('+')) this.error("unexpected '+': a value takes no plus sign, only a minus", this.cur.range);
  }

  private textBetween(a: Token, b: Token): string {
    let s = '';
    for (let k = a.index; k <= b.index; k++) {
      const t = this.at(k);
      s += (s && t.start > this.at(k - 1).end ? ' ' : '') + t.text;
    }
    return s;
  }

  /**
   * The current token ends an aggregate value whose `}` is not typed yet (`option (x) = {` above the next rpc), with
   * `depth` of its `{` open: it starts a line and a declaration at or left of the option's `statement`, which no
   * text-format key does (`name: value`, `name {`), and the text has at least as many `{` without their `}`. Taken
   * into the value, the declarations up to the enclosing block's `}` would look deleted. Typed as the block's last
   * member, the next line is the block's `}` (see `outside`), not the value's, which would leave the block unclosed
   * and show the error on that `}` instead of where the author types.
   */
  private endsAggregate(statement: Token, depth: number): boolean {
    return this.outside(this.column(statement)) && this.closeUnclosed(depth);
  }

  /** `[a = 1, (b).c = "x"]` after a field or enum value that starts with `statement`. */
  private optionList(statement: Token): OptionNode[] {
    if (!this.is('[')) return NONE;
    const out: OptionNode[] = [];
    const open = this.next();
    for (;;) {
      const before = this.p;
      // `[]`, `[a = 1,]`: buf says the list is empty, or what the `,` is, where protoc expects an option's name.
      if (this.is(']')) {
        const comma = this.prevTok();
        if (comma === open) this.error("an option list '[ ]' cannot be empty", { start: open.startPos, end: this.cur.endPos });
        else this.error("unexpected ',' after the last option: expected ']'", comma.range);
        this.next();
        break;
      }
      // `[` or `,` typed at the end of a line: the next line's declaration is no option of the list.
      if (this.startsLineDeclaration() && !this.optionOnItsLine()) {
        this.expected('an option name');
        break;
      }
      const o = this.optionBody(statement);
      if (o) out.push(o);
      if (this.eat(',')) continue;
      if (this.eat(']')) break;
      this.expected("',' or ']'");
      // Skip to `]` on this statement, but never past `;` or `}`, nor into the next line's declaration (`[debug_`
      // being typed).
      while (this.cur.kind !== 'eof' && !this.is(']') && !this.is(';') && !this.is('}') && !this.startsLineDeclaration()) this.next();
      this.eat(']');
      if (this.p === before) this.next();
      break;
    }
    return out;
  }

  /**
   * The current line, which reads like an enum value (`default = 5`), is an option of the list written on a line of its
   * own: its value is followed by `,` or `]`, where an enum value's is followed by `;` or `[`.
   */
  private optionOnItsLine(): boolean {
    if (!this.peekIs('=', 1)) return false;
    const after = this.peekIs('-', 2) ? 4 : 3;
    return !this.peekIs(';', after) && !this.peekIs('[', after);
  }

  // ---- blocks --------------------------------------------------------------------------------------

  /**
   * Parses `{ ... }` calling `item` for each statement. Returns the body's offsets: right after `{` and
   * right before `}` (or where they should be). `keyword` opened the block: its column is for the missing-`}`
   * heuristic. `comments` gets the trailing comment, which protoc takes after the `{`. `endsAt`: what, besides a
   * top-level declaration, cannot be in the block and so ends it (an rpc in an rpc's).
   */
  private block(
    keyword: Token, item: () => void, canNest: (t: Token) => boolean, comments?: Comments, endsAt?: () => boolean,
  ): { start: number; end: number } {
    const open = this.cur;
    let bodyStart: number;
    if (this.eat('{')) {
      if (comments) this.trailingFor(comments);
      bodyStart = open.end;
    } else if (this.bodyWithoutBrace(keyword)) {
      // Read as if the `{` were after the name: its fields reach the model, and its `}` closes it.
      const name = this.prevTok();
      this.error(`expected '{' after ${this.describe(name)}`, { start: name.endPos, end: name.endPos });
      bodyStart = name.end;
    } else {
      this.expected("'{'");
      return { start: open.start, end: open.start };
    }
    if (this.depth >= MAX_NESTING) {
      this.error(`nesting deeper than ${MAX_NESTING} levels is not supported; block skipped`, open.range);
      this.cur = this.at(--this.p); // back onto `{` so skipStatement skips the whole block
      this.skipStatement(true);
      return { start: bodyStart, end: this.prevTok().start };
    }
    const keywordCol = this.column(keyword);
    this.depth++;
    try {
      for (;;) {
        const t = this.cur;
        if (t.kind === 'eof') {
          this.error("expected '}' before end of file", this.rangeOf(t));
          return { start: bodyStart, end: t.start };
        }
        // A `}` left of the keyword's column is an enclosing block's, where this one is typed as its last member.
        const closing = this.is('}');
        const ends = closing ? this.outside(keywordCol) && this.closeUnclosed(1) : t.line > open.line && this.endsBlock(t, keywordCol, canNest, endsAt);
        if (ends) {
          this.error("expected '}'", { start: this.prevTok().endPos, end: this.prevTok().endPos });
          return { start: bodyStart, end: t.start };
        }
        if (closing) {
          this.next();
          return { start: bodyStart, end: t.start };
        }
        const before = this.p;
        item();
        if (this.p === before) {
          this.expected('a declaration', true);
          this.next();
        }
      }
    } finally {
      this.depth--;
    }
  }

  private message(): MessageNode | undefined {
    const kw = this.next();
    const comments = this.commentsFor(this.withVisibility(kw));
    if (this.startsNextLine(kw, ['{'])) return undefined;
    // Without a name, the name's range is the keyword's.
    const name = this.cur.kind === 'ident' ? this.next() : (this.expected('a message name'), kw);
    const msg = new MessageSyntax(this.lines, name === kw ? '' : name.text, comments, kw.start, name.start, name.end);
    const visibility = this.visibilityOf(kw);
    if (visibility) msg.visibility = visibility;
    const body = this.block(kw, () => this.messageItem(msg), (t) => t.text !== 'service' && t.text !== 'syntax' && t.text !== 'package' && t.text !== 'import', comments);
    msg.close(body.start, body.end, this.prevTok().end);
    return msg;
  }

  private messageItem(msg: MessageNode, oneof?: OneofNode): void {
    if (!oneof) this.skipVisibility();
    this.skipMisplacedModifier(oneof ? 'oneof' : 'message');
    const t = this.cur;
    if (this.is(';')) {
      this.next();
      return;
    }
    if (t.kind !== 'ident' && !(this.is('.') && this.peek().kind === 'ident')) {
      this.expected('a field or declaration', true);
      this.skipUnexpected();
      return;
    }
    // Keywords only count as keywords when what follows fits; `message message = 1;` is a field.
    const nextIsIdent = this.peek().kind === 'ident';
    // `optional oneof o {`: buf refuses the label ("unexpected `optional` modifier on oneof definition") and reads
    // the oneof; so does this, where it was a field named `o` of type `oneof` without its `=`.
    if (!oneof && LABELS.has(t.text) && this.peek().text === 'oneof' && this.peek(2).kind === 'ident' && this.peekIs('{', 3)) {
      this.error(`a oneof cannot have a label ('${t.text}')`, this.next().range);
      return void (msg.oneofs = add(msg.oneofs, this.oneof(msg)));
    }
    if (FILE_STATEMENTS.has(t.text) && this.misplacedFileStatement(oneof ? 'a oneof' : 'a message')) return;
    if (oneof && (t.text === 'reserved' || t.text === 'extensions') && this.rangeStatement(1)) {
      // Read as in a message, and kept by none: a oneof has no numbers of its own to reserve or extend.
      const start = t.startPos;
      if (t.text === 'reserved') this.reserved();
      else this.extensions();
      this.error(`${t.text === 'reserved' ? 'a reserved' : 'an extensions'} statement cannot be in a oneof: write it in the message`, this.rangeFrom(start));
      return;
    }
    if (!oneof && t.text === 'service' && this.misplacedDeclaration('a message')) return;
    if (!oneof) {
      if (t.text === 'message' && nextIsIdent) return void (msg.messages = add(msg.messages, this.message()));
      if (t.text === 'enum' && nextIsIdent) return void (msg.enums = add(msg.enums, this.enumDecl()));
      if (t.text === 'extend' && (nextIsIdent || this.peek().text === '.')) return void (msg.extends = add(msg.extends, this.extend()));
      // `oneof {` too: its name is said to be missing, and its fields are read.
      if (t.text === 'oneof' && (nextIsIdent || this.peekIs('{', 1))) return void (msg.oneofs = add(msg.oneofs, this.oneof(msg)));
      if (t.text === 'reserved' && !this.peekIs('=', 1) && !this.peekIs('=', 2)) return void (msg.reserved = add(msg.reserved, this.reserved()));
      if (t.text === 'extensions' && (this.peek().kind === 'int' || (this.peekIs('-', 1) && this.peek(2).kind === 'int'))) return void (msg.extensions = add(msg.extensions, this.extensions()));
    }
    if (oneof && this.misplacedDeclaration('a oneof')) return;
    if (t.text === 'option' && (nextIsIdent || this.peek().text === '(')) {
      const o = this.option();
      const at = oneof ?? msg;
      at.options = add(at.options, o);
      return;
    }
    const f = this.field(oneof);
    if (f) msg.fields.push(f);
  }

  /**
   * A block's `{` is missing where its body starts (`message Foo  int32 a = 1; }`, `message Foo` above its indented
   * fields): the current token, on the name's line or indented right of `keyword` on a later one, starts what the
   * body holds (a field, a value, an RPC, an option, a declaration) or is its `}`, and the text has a `}` without its
   * `{`, taken as the block's. Without its body, each member was one more syntax error at the top level of the file,
   * and the message lost them (a check then reported them deleted). In balanced text (a typo such as `message Foo Bar
   * {`, or a `message Foo` being typed above the next declaration) the `{` is only said to be missing, as before.
   */
  private bodyWithoutBrace(keyword: Token): boolean {
    const t = this.cur;
    // Not deeper than a block with its `{` is read (MAX_NESTING): `message A message A … }}}` would recurse as deep.
    if (this.depth >= MAX_NESTING || (t.kind !== 'ident' && !this.is('}'))) return false;
    if (t.line > this.prevTok().line && !this.is('}') && this.atOrLeftOf(t, this.column(keyword))) return false;
    const member = this.is('}') || this.startsMember(0) || (this.is('option') && (this.peek().kind === 'ident' || this.peekIs('(', 1)));
    if (!member || this.unclosedBraces() > -1) return false;
    // The `}` without its `{` is this block's: another block missing its `{` takes the next one.
    this.unclosed = this.unclosedBraces() + 1;
    return true;
  }

  /**
   * Whether `t`, which starts a line of the block, shows that the block's `}` is missing: a declaration that cannot
   * appear in it, or a declaration or field at or left of its keyword's column. Only while the text has a `{`
   * without its `}`, and for as many blocks as it has: in balanced text every block has its `}`, so that
   * `message Inner` at column 0 inside `Outer` is a nested message that is merely not indented, as protoc reads it,
   * and a declaration that cannot be in the block is an error in it, not the block's end (which would take every
   * declaration after it out of the block). A keyword alone on its line (`message` being typed) declares nothing yet.
   * The block's `{` is then taken as the one without its `}` (closeUnclosed).
   */
  private endsBlock(t: Token, keywordCol: number, canNest: (t: Token) => boolean, endsAt?: () => boolean): boolean {
    const declares = (this.startsDeclaration() && this.peek().line === t.line) || endsAt?.() === true;
    const left = this.atOrLeftOf(t, keywordCol);
    if (!declares && !(left && this.startsLineDeclaration())) return false;
    if (!left && (canNest(t) || this.typedInto(t))) return false;
    // The brace count last: it lexes the whole text, which a well-formed file never needs.
    return this.closeUnclosed(1);
  }

  /**
   * `t`, a declaration that cannot be in the block but is indented into it (`message Foo {` in a service or an enum),
   * is being typed there, not where the block ends: its `{` is still open (`message Foo {`, `message Foo { string a =
   * 1;`, what is typed in it indented on the lines below) where a later line is the enclosing block's (`outside` its
   * column: a declaration, or the block's `}`). Ending the block there would take the declarations after it out of the
   * block; in it, the `{` is a stray one (`strayBrace`).
   */
  private typedInto(t: Token): boolean {
    const at = this.pastName(1);
    if (this.peek(at).text !== '{') return false;
    const col = this.column(t);
    let depth = 1;
    // Bounded: a body that long is not being typed, and a file on one line is not read ahead again at every
    // declaration in it.
    for (let k = at + 1; k <= at + LOOKAHEAD; k++) {
      const u = this.peek(k);
      if (u.kind === 'eof') return false;
      if (u.line > this.peek(k - 1).line && this.atOrLeftOf(u, col)) return this.outside(col, k);
      depth += u.text === '{' ? 1 : u.text === '}' ? -1 : 0;
      // A block closed (`message Foo {}`) is not being typed.
      if (depth === 0) return false;
    }
    return false;
  }

  private unclosedBraces(): number {
    this.askedBalance = true;
    return this.unclosed ??= braceBalance(this.text);
  }

  /**
   * Whether the text has `depth` `{` without their `}` that recovery has not yet closed a block for; if so, they are
   * taken as the ones a block, a stray `{` or an aggregate value here ends without (see `unclosed`).
   */
  private closeUnclosed(depth: number): boolean {
    if (this.unclosedBraces() < depth) return false;
    this.unclosed = this.unclosedBraces() - depth;
    return true;
  }

  /**
   * Token `k` from the current one starts a line that the indentation gives to a block enclosing what starts at column
   * `col`: a declaration at or left of `col`, or a `}` left of it (one at `col` closes what starts there).
   */
  private outside(col: number, k = 0): boolean {
    const t = this.peek(k);
    if (t.kind !== 'symbol' || t.text !== '}') return this.atOrLeftOf(t, col) && this.startsLineDeclaration(k);
    return t.line > this.at(Math.max(this.p + k - 1, 0)).line && this.atOrLeftOf(t, col - 1);
  }

  /** Token `t` starts at or left of column `col` (see `column`). */
  private atOrLeftOf(t: Token, col: number): boolean {
    // No character is narrower than a column: most lines of a block are answered without reading their indentation.
    return t.character <= col && this.column(t) <= col;
  }

  /**
   * The column where token `t` starts on its line, a tab advancing to the next multiple of 4. Recovery compares
   * columns of lines indented with tabs and with spaces: a tab counted as one character puts `\tmessage Foo {`
   * left of the fields indented by four spaces after it (ExecSyncResponse in cri-api indents its comments with a
   * tab). Tab stops of 4, as VS Code sets them by default, also fit the files: cri-api indents a level by four spaces
   * and, where it uses a tab (PsiStats' fields), by one tab, so a tab-indented line is at the level of one indented
   * by four spaces, not to the right of it as with protoc's count of 8. `indentation`: where the line's text starts.
   */
  private column(t: Token, indentation = false): number {
    const lineStart = t.start - t.character;
    let k = lineStart;
    let col = 0;
    // Blocks ask left to right: on the line of the last answer, go on from it (see colLine).
    if (!indentation && this.colLine === lineStart && this.colAt <= t.start) {
      k = this.colAt;
      col = this.colOf;
    }
    for (; k < t.start; k++) {
      const c = this.text.charCodeAt(k);
      if (indentation && c !== TAB && c !== SPACE) break;
      col = c === TAB ? col + TAB_WIDTH - (col % TAB_WIDTH) : col + 1;
    }
    if (!indentation) {
      this.colLine = lineStart;
      this.colAt = t.start;
      this.colOf = col;
    }
    return col;
  }

  /** Token `k` from the current one opens a declaration (`message Foo`, `syntax =`, `import "x"`), not a field named so. */
  private startsDeclaration(k = 0): boolean {
    const t = this.peek(k);
    if (t.kind !== 'ident' || !TOP_LEVEL.has(t.text)) return false;
    const n = this.peek(k + 1);
    if (t.text === 'syntax' || t.text === 'edition') return n.text === '=';
    if (t.text === 'import') return n.kind === 'string' || n.text === 'public' || n.text === 'weak';
    return n.kind === 'ident' || n.text === '.';
  }

  /**
   * Edition 2024's `export` or `local` before `message Name` or `enum Name`: passed over here, and kept on the
   * declaration by visibilityOf (what the check compares does not depend on whether another file may use the name).
   */
  private skipVisibility(): void {
    if ((this.is('export') || this.is('local')) && (this.peek().text === 'message' || this.peek().text === 'enum') && this.peek(2).kind === 'ident') {
      this.next();
    }
  }

  /**
   * `export` or `local` before a declaration of a `body` that takes neither (a service, an RPC, an extend block, a oneof,
   * a field, an enum value, an option): reported on the word, which is passed over, so that what follows parses as without it.
   */
  private skipMisplacedModifier(body: 'file' | 'message' | 'oneof' | 'service' | 'enum'): void {
    if (!this.is('export') && !this.is('local')) return;
    const what = this.modifiedDeclaration(body);
    if (!what) return;
    const word = this.next();
    this.error(`unexpected '${word.text}' before ${what}: only a message or an enum is marked export or local`, word.range);
  }

  /** What the `export` or `local` here stands before in `body`, where that takes neither; undefined for anything else. */
  private modifiedDeclaration(body: 'file' | 'message' | 'oneof' | 'service' | 'enum'): string | undefined {
    const next = this.peek();
    // Not where the word is a name: the type of a field (`local x = 1;`, `local.Inner x = 1;`) or an enum value (`local = 1;`).
    if (next.kind !== 'ident' || next.line !== this.cur.line) return undefined;
    const named = this.peek(2).kind === 'ident' || this.peekIs('.', 2);
    if (next.text === 'option' && (named || this.peekIs('(', 2))) return 'an option';
    if (body === 'enum') return this.peekIs('=', 2) ? 'an enum value' : undefined;
    if (body === 'service') return next.text === 'rpc' && named ? 'an RPC' : undefined;
    if ((body === 'file' || body === 'message') && next.text === 'extend' && named) return 'an extend block';
    if (body === 'file') return next.text === 'service' && named ? 'a service' : undefined;
    if (body === 'message' && next.text === 'oneof' && named) return 'a oneof';
    // A field: its label or type, then its type or name (`local int32 x`, `local map<…>`, `local pkg.T x`).
    return named || this.peekIs('<', 2) ? 'a field' : undefined;
  }

  /** The `export` or `local` that skipVisibility passed over before keyword `kw`, else `kw`: the comments go above it. */
  private withVisibility(kw: Token): Token {
    const before = kw.index > 0 ? this.at(kw.index - 1) : undefined;
    return before?.kind === 'ident' && (before.text === 'export' || before.text === 'local') ? before : kw;
  }

  /** The `export` or `local` that skipVisibility passed over before keyword `kw`. */
  private visibilityOf(kw: Token): Visibility | undefined {
    const before = this.withVisibility(kw);
    return before === kw ? undefined : { keyword: before.text as Visibility['keyword'], range: before.range };
  }

  /** `rpc Name`: it also ends an rpc's options block whose `}` is not typed yet. */
  private startsRpc(k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && t.text === 'rpc' && this.peek(k + 1).kind === 'ident';
  }

  /**
   * Token `k` from the current one starts a declaration with its name on its line (`message Foo`, `rpc Foo`), not a
   * field named so (`message foo = 1`): where a line being typed ends, and the next line's declaration begins.
   */
  private declaresAt(k = 0): boolean {
    const t = this.peek(k);
    return (this.startsDeclaration(k) || this.startsRpc(k)) && this.peek(k + 1).line === t.line && !this.peekIs('=', k + 2);
  }

  /**
   * Token `at` from the current one starts its line and a declaration: a message, enum, service, rpc or oneof, a
   * reserved number or name, a field (`string name =`, `repeated .a.B name =`, `map<`) or an enum value (`NAME = 2`).
   */
  private startsLineDeclaration(at = 0): boolean {
    const t = this.peek(at);
    if ((t.kind !== 'ident' && !this.peekIs('.', at)) || t.line === this.at(Math.max(this.p + at - 1, 0)).line) return false;
    return this.startsMember(at);
  }

  /** Token `at` from the current one, an identifier or a `.`, starts a declaration as startsLineDeclaration says, on any line. */
  private startsMember(at: number): boolean {
    const t = this.peek(at);
    if (this.startsDeclaration(at) || this.startsRpc(at)) return true;
    const n = this.peek(at + 1);
    if (t.text === 'oneof' && n.kind === 'ident' && this.peekIs('{', at + 2)) return true;
    if (t.text === 'reserved' && (n.kind === 'int' || n.kind === 'string')) return true;
    const k = at + (LABELS.has(t.text) && (n.kind === 'ident' || this.peekIs('.', at + 1)) ? 1 : 0);
    if (this.peek(k).text === 'map' && this.peekIs('<', k + 1)) return true;
    if (this.peekIs('=', at + 1)) return this.peek(at + 2).kind === 'int' || this.peekIs('-', at + 2);
    const type = this.pastName(k);
    return type > k && this.peek(type).kind === 'ident' && this.peekIs('=', type + 1);
  }

  /** The token after the name (`a`, `a.b.C`, `.a.b.C`) that token `k` from the current one starts; `k` where none does. */
  private pastName(k: number): number {
    const first = this.peekIs('.', k) ? k + 1 : k;
    if (this.peek(first).kind !== 'ident') return k;
    let j = first + 1;
    while (this.peekIs('.', j) && this.peek(j + 1).kind === 'ident') j += 2;
    return j;
  }

  /** The current token starts a later line than the previous one's end, and a declaration there (`declaresAt`). */
  private nextLineDeclares(): boolean {
    return this.cur.line > this.prevTok().line && this.declaresAt();
  }

  private peekIs(text: string, k: number): boolean {
    const t = this.peek(k);
    return t.kind === 'symbol' && t.text === text;
  }

  private field(oneof?: OneofNode): FieldNode | undefined {
    const comments = this.commentsFor(this.cur);
    // A word compared per field: the check of what follows it runs only for `stream`.
    if (this.cur.text === 'stream') this.skipFieldStream();
    const first = this.cur;
    let label: Token | undefined;
    if (LABELS.has(first.text) && (this.peek().kind === 'ident' || this.peek().text === '.') && !this.peekIs('=', 2)) {
      label = this.next();
      if (oneof) this.error(`fields in a oneof cannot have a label ('${label.text}')`, label.range);
      // `optional repeated int32 x`: buf keeps the first label and refuses each other ("multiple modifiers").
      while (LABELS.has(this.cur.text) && (this.peek().kind === 'ident' || this.peek().text === '.') && !this.peekIs('=', 2)) {
        this.error(`a field takes one label: '${this.cur.text}' cannot follow '${label.text}'`, this.next().range);
      }
      // `repeated` being typed above the next message.
      if (this.nextLineDeclares()) {
        this.expected('a field type');
        return undefined;
      }
    }
    let type: string;
    let typeStart: number;
    let typeEnd: number;
    let mapKey: string | undefined;
    let key: { start: number; end: number } | undefined;
    let value: { start: number; end: number } | undefined;
    if (this.is('map') && this.peekIs('<', 1)) {
      typeStart = this.next().start;
      this.next(); // <
      const keyAt = this.cur.start;
      // `map<, V>`, `map<K>`, `map<K,>`: buf counts the types ("expected exactly two type arguments, got 1"), over
      // the map's type; said here by which one is missing, once, where the `>` closes the type (else, as before, what
      // is expected where it is missing: the type is being typed).
      const errors = this.errors.length;
      const noKey = this.is(',') || this.is('>');
      if (noKey) this.expected('a map key type');
      const k = noKey ? undefined : this.fullIdent('a map key type');
      mapKey = k?.name ?? '';
      key = k ?? { start: keyAt, end: keyAt };
      const comma = this.eat(',');
      const noValue = (k !== undefined || noKey) && this.is('>');
      if (!comma && !noValue) this.expected("','");
      const at = this.cur.start;
      const v = noValue ? undefined : this.fullIdent('a map value type');
      type = v?.name ?? '';
      value = v ?? { start: at, end: at };
      const closed = this.eat('>');
      if (!closed) this.expected("'>'");
      typeEnd = this.prevTok().end;
      if (noKey || noValue) {
        const missing = noKey && noValue ? 'no key type and no value type' : noKey ? 'no key type' : 'no value type';
        if (closed) {
          this.errors.length = errors;
          this.error(`the map type has ${missing}: a map is written map<key, value>`, this.span(typeStart, typeEnd));
        }
      }
      // Marked on the map, as buf marks it ("unexpected type after `repeated`").
      if (label) this.error('map fields cannot have a label', this.span(typeStart, typeEnd));
    } else if (this.is('group') && this.peek().kind === 'ident') {
      return this.group(first, label, comments, oneof);
    } else {
      const tn = this.fullIdent('a field type');
      if (!tn) {
        this.skipStatement();
        return undefined;
      }
      type = tn.name;
      typeStart = tn.start;
      typeEnd = tn.end;
    }
    if (this.startsNextLine(this.prevTok(), ['='])) return undefined;
    if (this.cur.kind !== 'ident') {
      this.expected('a field name');
      this.skipStatement();
      return undefined;
    }
    const name = this.next();
    const errors = this.errors.length;
    // Without a number, its range is the empty one right after the name.
    const { num, missing } = this.numberAfterName(name.end);
    const options = this.optionList(first);
    this.endStatement();
    if (missing) this.markWhole(errors, `field "${name.text}" has no number`, first.startPos);
    const at: FieldOffsets = {
      start: first.start, end: this.prevTok().end, nameStart: name.start, nameEnd: name.end, typeStart, typeEnd,
      numberStart: num.start, numberEnd: num.end, labelStart: label ? label.start : -1, labelEnd: label ? label.end : -1,
    };
    if (key && value) {
      at.keyStart = key.start;
      at.keyEnd = key.end;
      at.valueStart = value.start;
      at.valueEnd = value.end;
    }
    const f = new FieldSyntax(this.lines, name.text, type, options, comments, at);
    if (label) f.label = label.text as Label;
    if (mapKey !== undefined) f.mapKey = mapKey;
    if (num.value !== undefined) f.number = num.value;
    if (oneof) f.oneof = oneof.name;
    this.trailingFor(comments);
    return f;
  }

  /**
   * `stream string name = 1;`: `stream` belongs to an RPC's request or response type, and buf refuses it on a field
   * ("unexpected `stream` modifier on message field"). Said at the word, which is passed over, so that the field is read
   * as without it; it said "expected '='" at the field's name, and the field was lost (a check then reported it
   * deleted). Not where `stream` is the field's type (`stream s = 1;`, `stream.T s = 1;`).
   */
  private skipFieldStream(): void {
    // What follows it: a label or a type, then a name (`stream string name`, `stream .a.T t`), or a map type.
    const type = this.pastName(1);
    const typed = (type > 1 && this.peek(type).kind === 'ident') || (this.peek().text === 'map' && this.peekIs('<', 2));
    if (!typed || this.peek().line !== this.cur.line) return;
    this.error("a field cannot be a stream: 'stream' is only for an RPC's request or response type", this.next().range);
  }

  /** proto2 `group`: parsed as a field whose type is a nested message of the same name. */
  private group(first: Token, label: Token | undefined, comments: Comments, oneof?: OneofNode): FieldNode {
    const kw = this.next(); // group
    const name = this.next(); // an identifier: the caller looked
    let num: { value?: number; start: number; end: number } = { start: name.start, end: name.end };
    if (this.eat('=')) num = this.intLiteral();
    // `optional group G {`: said as of a field (buf: "missing message field tag in declaration"), over the group's
    // head, where it said "expected '=', found '{'".
    else if ((this.is('{') || this.is('[')) && this.cur.line === name.line) this.error(`group "${name.text}" has no number`, this.span(first.start, name.end));
    else this.expected("'='");
    const options = this.optionList(first);
    const body = new MessageSyntax(this.lines, name.text, { leading: undefined, trailing: undefined, detached: NONE }, kw.start, name.start, name.end);
    const inner = this.block(first, () => this.messageItem(body), () => true);
    body.close(inner.start, inner.end, this.prevTok().end);
    const f = new FieldSyntax(this.lines, name.text.toLowerCase(), name.text, options, comments, {
      start: first.start, end: this.prevTok().end, nameStart: name.start, nameEnd: name.end, typeStart: name.start, typeEnd: name.end,
      numberStart: num.start, numberEnd: num.end, labelStart: label ? label.start : -1, labelEnd: label ? label.end : -1,
    });
    f.group = body;
    if (label) f.label = label.text as Label;
    if (num.value !== undefined) f.number = num.value;
    if (oneof) f.oneof = oneof.name;
    return f;
  }

  private oneof(msg: MessageNode): OneofNode | undefined {
    const kw = this.next();
    const comments = this.commentsFor(kw);
    if (this.startsNextLine(kw, ['{'])) return undefined;
    const name = this.ident('a oneof name');
    const node: OneofNode = { kind: 'oneof', name: name?.name ?? '', nameRange: name?.range ?? kw.range, fields: [], options: NONE, range: kw.range, comments };
    this.block(kw, () => {
      const before = msg.fields.length;
      this.messageItem(msg, node);
      for (let k = before; k < msg.fields.length; k++) node.fields.push(msg.fields[k]!);
    }, (t) => t.text === 'option', comments);
    node.range = this.rangeFrom(kw.startPos);
    return node;
  }

  private reserved(): ReservedNode {
    const kw = this.next();
    const node: ReservedNode = { kind: 'reserved', ranges: [], names: [], range: kw.range, comments: this.commentsFor(kw) };
    // protoc reads numbers or names after `reserved`, as its first is; buf reads both, and refuses the first of the other kind.
    let mixed = false;
    const mix = (names: boolean, range: Range): void => {
      if (mixed || (names ? !node.ranges.length : !node.names.length)) return;
      mixed = true;
      this.error('a reserved statement takes numbers or names, not both: reserve the others in a reserved statement of their own', range);
    };
    for (;;) {
      if (this.startsNextLine(this.prevTok(), [',', ';'], 'a number or name')) break;
      const s = this.strings();
      if (s) {
        mix(true, s.range);
        node.names.push({ name: s.value, range: s.range });
        if (s.unsettled) node.unsettled = true;
      } else if (this.cur.kind === 'ident' && !this.is('max')) {
        // editions allow bare identifiers
        const s = this.next();
        mix(true, s.range);
        node.names.push({ name: s.text, range: s.range });
      } else {
        if (this.cur.kind !== 'int' && this.nothingAfterComma('a number or name')) {
          if (this.eat(',')) continue;
          break;
        }
        const r = this.numberRange();
        if (!r) break;
        mix(false, r.range);
        node.ranges.push(r);
      }
      if (!this.eat(',') && !this.missingComma('a reserved statement', 'numbers, ranges and names')) break;
    }
    this.endStatement();
    node.range = this.rangeFrom(kw.startPos);
    return node;
  }

  /**
   * After a number, range or name of a `reserved` or `extensions` statement, another on the same line without the `,`
   * before it (`reserved 1 to 2 3;`): said at it, where buf marks it ("unexpected integer literal in reserved range"),
   * in terms of what is missing, and read on, so that every number of the statement is kept.
   */
  private missingComma(statement: string, items: string): boolean {
    const t = this.cur;
    if (t.line !== this.prevTok().line || (t.kind !== 'int' && t.kind !== 'string' && t.kind !== 'ident') || this.is('max') || this.is('to')) return false;
    this.error(`expected ',' before ${this.describe(t)}: ${statement} separates its ${items} with commas`, t.range);
    return true;
  }

  /**
   * Nothing after a `,` of a `reserved` or `extensions` statement: its end (`reserved 2, ;`, `2, }`) or another `,`
   * (`reserved 2,, 3;`). Said at that token, where the number is missing, naming the `,` (buf: "unexpected trailing
   * `,`", "unexpected extra `,`"); it said "expected a number, found ';'", and after a second `,` the rest of the
   * statement was dropped, where buf reads it.
   */
  private nothingAfterComma(what: string): boolean {
    const prev = this.prevTok();
    if (prev.kind !== 'symbol' || prev.text !== ',' || !(this.is(';') || this.is('}') || this.is(','))) return false;
    // At the end of its line, what the line lacks is said there, as `expected` says it, not on the next line's `}`.
    if (this.cur.line > prev.line) this.error(`expected ${what} after ','`, { start: prev.endPos, end: prev.endPos });
    else this.error(`expected ${what} after ',', found ${this.describe(this.cur)}${this.is(',') ? '' : ": remove the trailing ','"}`, this.cur.range);
    return true;
  }

  private numberRange(): { start: number; end: number; range: Range } | undefined {
    const a = this.intLiteral();
    if (a.value === undefined) return undefined;
    let end = a.value;
    let endOffset = a.end;
    if (this.eat('to')) {
      if (this.is('max')) {
        endOffset = this.next().end;
        end = Infinity;
      } else {
        const b = this.intLiteral();
        if (b.value !== undefined) end = b.value;
        endOffset = b.end;
      }
    }
    return { start: a.value, end, range: this.span(a.start, endOffset) };
  }

  private extensions(): ExtensionsNode {
    const kw = this.next();
    const node: ExtensionsNode = { kind: 'extensions', ranges: [], options: NONE, range: kw.range };
    do {
      // A second `,` is passed over by the loop's condition.
      if (this.cur.kind !== 'int' && this.nothingAfterComma('a number')) {
        if (this.is(',')) continue;
        break;
      }
      const r = this.numberRange();
      if (!r) break;
      node.ranges.push(r);
    } while (this.eat(',') || this.missingComma('an extensions statement', 'ranges'));
    node.options = this.optionList(kw);
    this.endStatement();
    node.range = this.rangeFrom(kw.startPos);
    return node;
  }

  private extend(): ExtendNode | undefined {
    const kw = this.next();
    const comments = this.commentsFor(kw);
    if (this.startsNextLine(kw, ['{', '.'])) return undefined;
    const ext = this.fullIdent('a message name to extend');
    const node: ExtendNode = { kind: 'extend', extendee: ext?.name ?? '', extendeeRange: ext ? this.span(ext.start, ext.end) : kw.range, fields: [], range: kw.range, comments };
    this.block(kw, () => {
      if (this.eat(';')) return;
      const f = this.field();
      if (f) node.fields.push(f);
    }, () => false, comments);
    node.range = this.rangeFrom(kw.startPos);
    return node;
  }

  private enumDecl(): EnumNode | undefined {
    const kw = this.next();
    const comments = this.commentsFor(this.withVisibility(kw));
    if (this.startsNextLine(kw, ['{'])) return undefined;
    const name = this.ident('an enum name');
    const node: EnumNode = {
      kind: 'enum', name: name?.name ?? '', nameRange: name?.range ?? kw.range, values: [], reserved: NONE, options: NONE,
      range: kw.range, bodyRange: kw.range, comments,
    };
    const visibility = this.visibilityOf(kw);
    if (visibility) node.visibility = visibility;
    const body = this.block(kw, () => this.enumItem(node), () => false, comments);
    node.bodyRange = this.span(body.start, body.end);
    node.range = this.rangeFrom(kw.startPos);
    return node;
  }

  private enumItem(node: EnumNode): void {
    this.skipMisplacedModifier('enum');
    const t = this.cur;
    if (this.eat(';')) return;
    if (t.kind !== 'ident') {
      this.expected('an enum value', true);
      this.skipUnexpected();
      return;
    }
    if (t.text === 'option' && !this.peekIs('=', 1)) {
      const o = this.option();
      node.options = add(node.options, o);
      return;
    }
    if (t.text === 'reserved' && !this.peekIs('=', 1)) {
      node.reserved = add(node.reserved, this.reserved());
      return;
    }
    // A value (`NAME = 1`), the common case, is none of what an enum cannot hold, and is not asked about each.
    const value = this.peekIs('=', 1) && this.peek(2).kind !== 'string';
    if (!value && (this.misplacedDeclaration('an enum') || (FILE_STATEMENTS.has(t.text) && this.misplacedFileStatement('an enum')) || this.fieldInEnum())) return;
    const comments = this.commentsFor(t);
    this.next();
    const errors = this.errors.length;
    const { num, missing } = this.numberAfterName(t.end);
    const options = this.optionList(t);
    this.endStatement();
    if (missing) this.markWhole(errors, `enum value "${t.text}" has no number`, t.startPos);
    const v = new EnumValueSyntax(this.lines, t.text, options, comments, t.start, this.prevTok().end, t.end, num.start, num.end);
    if (num.value !== undefined) v.number = num.value;
    this.trailingFor(comments);
    node.values.push(v);
  }

  /**
   * A declaration with a body (`message X {`, `oneof o {`) where the block, `body` (an enum, a oneof, a service),
   * holds none: one error over the declaration, its body too, where buf marks it ("unexpected message definition
   * within enum definition"), saying where it can go instead of that `=` is missing, and the declaration passed over.
   * Not where the word is a name (`message = 1;`, `enum e = 1;`).
   */
  private misplacedDeclaration(body: string): boolean {
    const t = this.cur;
    const what = BODIED.get(t.text);
    if (!what || this.peek().kind !== 'ident' || !this.peekIs('{', 2)) return false;
    const start = t.startPos;
    // As any broken statement: a `{` being typed, whose `}` is not there yet, takes no declaration after it (the
    // error then ends at that `{`).
    this.skipStatement();
    this.error(`${what.name} cannot be declared in ${body}: ${what.goes}`, this.rangeFrom(start));
    return true;
  }

  /**
   * A field in an enum (`int32 x = 1;`, `repeated T x = 2;`, `map<K, V> m = 3;`): one error over it, as buf marks it
   * ("unexpected message field within enum definition"), not that the value named by its type lacks its `=`; the
   * statement is passed over. A field's shape only, on one line: a value being typed (`NAME`, `NAME =`) is not one.
   */
  private fieldInEnum(): boolean {
    const t = this.cur;
    // A value (`NAME = 1`) first: the common case pays one comparison.
    if (this.peekIs('=', 1) || this.peek().line !== t.line) return false;
    const k = this.pastName(0);
    const field = (LABELS.has(t.text) && (this.peek().kind === 'ident' || this.peekIs('.', 1)))
      || (t.text === 'map' && this.peekIs('<', 1))
      || (this.peek(k).kind === 'ident' && this.peekIs('=', k + 1));
    if (!field) return false;
    const start = t.startPos;
    this.skipStatement();
    this.error('a field cannot be declared in an enum: an enum holds values (NAME = number)', this.rangeFrom(start));
    return true;
  }

  /**
   * Token `k` from the current one starts the numbers or names of a `reserved` or `extensions` statement (`reserved 5`,
   * `reserved "a"`, `extensions 100 to max`), not a field of a type named so (`reserved x = 1`).
   */
  private rangeStatement(k: number): boolean {
    const t = this.peek(k);
    return t.kind === 'int' || t.kind === 'string' || (this.peekIs('-', k) && this.peek(k + 1).kind === 'int');
  }

  /**
   * A statement of the file (`import "x.proto";`, `package a.b;`, `syntax = "proto3";`) in a block, `body`: one error
   * over it, as buf says it ("unexpected import within message definition"), not that a field lacks its name or `=`,
   * and the statement passed over. Not where the word is a field's type (`package p = 1;`).
   */
  private misplacedFileStatement(body: string): boolean {
    const t = this.cur;
    const n = this.peek();
    if (t.kind !== 'ident' || n.line !== t.line) return false;
    let what: string;
    if (t.text === 'import' && (n.kind === 'string' || ((n.text === 'public' || n.text === 'weak') && this.peek(2).kind === 'string'))) what = 'an import';
    else if (t.text === 'package' && this.peekIs(';', this.pastName(1))) what = 'a package statement';
    else if ((t.text === 'syntax' || t.text === 'edition') && this.peekIs('=', 1) && this.peek(2).kind === 'string') what = `${t.text === 'syntax' ? 'a syntax' : 'an edition'} statement`;
    else return false;
    const start = t.startPos;
    this.skipStatement();
    this.error(`${what} cannot be in ${body}: it belongs at the top of the file`, this.rangeFrom(start));
    return true;
  }

  private service(): ServiceNode | undefined {
    const kw = this.next();
    const comments = this.commentsFor(kw);
    if (this.startsNextLine(kw, ['{'])) return undefined;
    const name = this.ident('a service name');
    const node: ServiceNode = {
      kind: 'service', name: name?.name ?? '', nameRange: name?.range ?? kw.range, rpcs: [], options: NONE, range: kw.range, bodyRange: kw.range, comments,
    };
    const body = this.block(kw, () => {
      if (this.eat(';')) return;
      this.skipMisplacedModifier('service');
      if (this.is('option')) {
        const o = this.option();
        node.options = add(node.options, o);
        return;
      }
      if (this.is('rpc')) {
        const r = this.rpc();
        if (r) node.rpcs.push(r);
        return;
      }
      // Only what is neither an RPC nor an option gets here: a well-formed service pays nothing for these.
      if (FILE_STATEMENTS.has(this.cur.text) && this.misplacedFileStatement('a service')) return;
      if (this.misplacedDeclaration('a service')) return;
      this.expected("'rpc' or 'option'", true);
      this.skipUnexpected();
    }, () => false, comments);
    node.bodyRange = this.span(body.start, body.end);
    node.range = this.rangeFrom(kw.startPos);
    return node;
  }

  private rpc(): RpcNode | undefined {
    const kw = this.next();
    const comments = this.commentsFor(kw);
    if (this.startsNextLine(kw, ['('])) return undefined;
    const name = this.ident('an rpc name');
    if (!name) {
      this.skipStatement();
      return undefined;
    }
    const sig = (what: 'request' | 'response'): { type: string; range: Range; stream: boolean } => {
      const at = this.cur.range;
      const open = this.cur;
      if (!this.eat('(')) {
        // `rpc D M returns (M)`, `returns M;`: a type without its parentheses, where buf says "missing `(...)` around
        // method return type". It is read, said over it, so that a check compares the RPC's types as they are meant.
        if (this.cur.line === this.prevTok().line && (this.cur.kind === 'ident' || this.is('.')) && !(what === 'request' && this.is('returns'))) {
          const t = this.fullIdent('a message type');
          if (t) {
            this.error(`the ${what} type needs parentheses: write (${t.name})`, this.span(t.start, t.end));
            return { type: t.name, range: this.span(t.start, t.end), stream: false };
          }
        }
        this.expected(what === 'request' ? "'(' and the request type" : "'(' and the response type");
        return { type: '', range: at, stream: false };
      }
      let stream = false;
      // A `stream` that a type follows, again and again: buf reads each after the first as one too many.
      while (this.is('stream') && (this.peek().kind === 'ident' || this.peek().text === '.')) {
        if (stream) this.error("more than one 'stream': a request or a response is a stream or not", this.cur.range);
        this.next();
        stream = true;
      }
      // `returns (` being typed: the next line's rpc is not its type.
      if (this.startsLineDeclaration()) {
        this.expected('a message type');
        return { type: '', range: at, stream };
      }
      // `()`, `(A, B)`: buf counts the types ("expected exactly one type in method parameter list, got 0"), over the
      // parentheses; said here in the RPC's terms. The first type of a list is read as the one.
      if (this.is(')')) {
        this.error(`no ${what} type in '( )': an RPC ${what === 'request' ? 'takes' : 'returns'} one message type`, this.span(open.start, this.next().end));
        return { type: '', range: at, stream };
      }
      const t = this.fullIdent('a message type');
      if (t && this.is(',')) {
        while (this.is(',') && (this.peek().kind === 'ident' || this.peekIs('.', 1))) {
          this.next();
          this.fullIdent('a message type');
        }
        if (this.is(')')) {
          this.error(`more than one ${what} type: an RPC ${what === 'request' ? 'takes' : 'returns'} one message type`, this.span(open.start, this.next().end));
          return { type: t.name, range: this.span(t.start, t.end), stream };
        }
      }
      if (!this.eat(')')) this.expected("')'");
      return { type: t?.name ?? '', range: t ? this.span(t.start, t.end) : at, stream };
    };
    const req = sig('request');
    if (!this.eat('returns')) {
      // `return (M)`, `retruns (M)`: a word typed for `returns` before the response's `(` is said as before, and passed
      // over, so that the response type is read; it was read as the response type, and its `(M)` was an error more.
      const typo = this.cur.kind === 'ident' && this.cur.line === this.prevTok().line && this.peekIs('(', 1);
      this.expected("'returns'");
      if (typo) this.next();
    }
    const res = sig('response');
    const node: RpcNode = {
      kind: 'rpc', name: name.name, nameRange: name.range, requestType: req.type, requestTypeRange: req.range, requestStream: req.stream,
      responseType: res.type, responseTypeRange: res.range, responseStream: res.stream, options: NONE, range: kw.range, comments,
    };
    // buf: "service method cannot specify compact options", over the list, which is read and set nowhere.
    if (this.is('[')) {
      const open = this.cur;
      this.optionList(kw);
      this.error("an RPC takes no options in '[ ]': set them with option statements in its body", { start: open.startPos, end: this.prevTok().endPos });
    }
    if (this.is('{')) {
      this.block(kw, () => {
        if (this.eat(';')) return;
        if (this.is('option')) {
          const o = this.option();
          node.options = add(node.options, o);
          return;
        }
        this.expected("'option' or '}'", true);
        this.skipUnexpected();
      }, () => false, comments, () => this.startsRpc());
      this.eat(';');
    } else {
      this.endStatement();
      this.trailingFor(comments);
    }
    node.range = this.rangeFrom(kw.startPos);
    return node;
  }
}

/** Appends `x` unless a half-typed declaration gave none. */
function pushDefined<T>(list: T[], x: T | undefined): void {
  if (x) list.push(x);
}

/** `list` with `x` appended: a new array in place of the shared empty one; `list` itself where a half-typed declaration gave none. */
function add<T>(list: T[], x: T | undefined): T[] {
  if (x === undefined) return list;
  if (list === NONE) return [x];
  list.push(x);
  return list;
}

/** The declarations that have a body of their own, none of which goes in an enum, a oneof or a service, and where each goes. */
const BODIED = new Map([
  ['message', { name: 'a message', goes: 'declare it in a message or at the top level of the file' }],
  ['enum', { name: 'an enum', goes: 'declare it in a message or at the top level of the file' }],
  ['oneof', { name: 'a oneof', goes: 'declare it in a message' }],
  ['service', { name: 'a service', goes: 'declare it at the top level of the file' }],
  ['extend', { name: 'an extend block', goes: 'declare it in a message or at the top level of the file' }],
]);
/** The top-level declarations with a body, which a misspelled keyword is read as (misspelledKeyword). */
const BLOCK_KEYWORDS = ['message', 'enum', 'service', 'extend'];
const TOP_LEVEL = new Set(['message', 'enum', 'service', 'syntax', 'edition', 'package', 'import', 'extend']);

/** The answer for a gap without comments, shared: callers copy `detached` before keeping it. */
const NO_COMMENTS: { readonly detached: Comment[] } = Object.freeze({ detached: Object.freeze([]) as unknown as Comment[] });

/**
 * protoc's comment attachment (io/tokenizer.cc `NextWithComments`) for the comments between `prev` and
 * `next`: a comment on `prev`'s line, or else the first comment block after it that a blank line, another
 * comment block or a closing `}`/`]`/`)`/end of file ends, trails `prev`; the block directly above `next` leads
 * it; the rest are detached. Consecutive `//` lines form one block; a block comment is always its own. A block
 * comment on `prev`'s line that is followed by more on its last line is ambiguous, and protoc drops every
 * comment of the gap then.
 */
export function collectComments(prev: Token | undefined, next: Token): { trailing?: Comment; detached: Comment[]; leading?: Comment } {
  // Most gaps between tokens hold no comment: answer those without allocating.
  if (!next.pre) return NO_COMMENTS;
  const out: { trailing?: Comment; detached: Comment[]; leading?: Comment } = { detached: [] };
  const cs = next.pre;
  let canAttach = prev !== undefined;
  // The block being collected: its first and last comment and its text, merged into one comment at its end.
  let first: CommentSyntax | undefined;
  let last: CommentSyntax | undefined;
  // Joined once at the end: a chain of `+` would leave a tree of string pieces that every reader flattens again.
  let texts: string[] = [];
  const merged = (): CommentSyntax => first === last ? first! : first!.mergedUpTo(last!, texts.join('\n'));
  const flush = (): void => {
    if (!first) return;
    if (canAttach) out.trailing = merged();
    else out.detached.push(merged());
    canAttach = false;
    first = last = undefined;
  };
  const add = (c: CommentSyntax): void => {
    if (first) texts.push(c.text);
    else texts = [c.text];
    first ??= c;
    last = c;
  };
  let k = 0;
  let lastLine = prev ? prev.line : -1;
  const c0 = cs[0];
  if (prev && c0 && c0.startLine === lastLine) {
    const followingLine = cs[1]?.startLine ?? next.line;
    if (c0.block && followingLine === c0.endLine) return out;
    add(c0);
    flush();
    lastLine = c0.endLine;
    k = 1;
  }
  for (; k < cs.length; k++) {
    const c = cs[k]!;
    if (c.startLine > lastLine + 1) {
      flush();
      canAttach = false;
    }
    if (last && (last.block || c.block)) flush();
    add(c);
    lastLine = c.endLine;
  }
  if (next.line > lastLine + 1) {
    flush();
    canAttach = false;
  }
  if (next.kind === 'eof' || (next.kind === 'symbol' && (next.text === '}' || next.text === ']' || next.text === ')'))) flush();
  if (first) out.leading = merged();
  return out;
}

/**
 * A string that its line ends before its closing quote: it took the rest of the line (`"abc];`), so whatever the
 * statement lacks after it is there, in it; the lexer's "unterminated string" says all, and an "expected ']' after
 * '"abc];'" beside it would only ask for what the user can see typed.
 */
function unterminated(t: Token): boolean {
  return t.kind === 'string' && t.error === UNTERMINATED_STRING;
}

/** What optionBody says of an option name followed by `;` (option() says more). */
const NO_EQUALS = "expected '=', found ';'";

/** Where a token's error is: an octal integer's first 8 or 9 (`08`), as buf says. */
function octalDigit(t: Token): Range {
  const k = badOctalDigit(t.text);
  return { start: { line: t.line, character: t.character + k }, end: { line: t.line, character: t.character + k + 1 } };
}

/** Decimal, hex (0x) and octal (leading 0) integers; undefined above 2^53 (not a valid field number anyway). */
export function parseIntLiteral(text: string): number | undefined {
  // Field and enum numbers are short decimals: read without the regular expressions below, which a CLI check runs
  // three times per number while V8 still interprets the parser. Up to 15 digits is below 2^53.
  const c0 = text.charCodeAt(0);
  if (c0 > Digit.D0 && c0 <= Digit.D9 && text.length < 16) {
    let n = c0 - Digit.D0;
    for (let k = 1; k < text.length; k++) {
      const d = text.charCodeAt(k) - Digit.D0;
      if (d < 0 || d > 9) return undefined;
      n = n * 10 + d;
    }
    return n;
  }
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) v = parseInt(text.slice(2), 16);
  else if (/^0[0-7]+$/.test(text)) v = parseInt(text.slice(1), 8);
  else if (/^[0-9]+$/.test(text)) v = parseInt(text, 10);
  else return undefined;
  return Number.isSafeInteger(v) ? v : undefined;
}

/** The largest enum number (int32): what `max` means in an enum's reserved ranges. */
const ENUM_MAX = 2147483647;
export { ENUM_MAX, FIELD_MAX };
