// Hand-written lexer: no protobuf library exposes tokens with UTF-16 positions and comments, and an
// editor needs both (protobufjs drops positions; protoc is a native binary we cannot ship or spawn per
// keystroke). It never throws: any unexpected byte becomes an `invalid` token the parser reports.

import type { Position, Range } from './ast';
import { LineIndex } from './lines';
import { CommentSyntax } from './nodes';

export type TokenKind = 'ident' | 'int' | 'float' | 'string' | 'symbol' | 'invalid' | 'eof';

/**
 * One token. Its position is kept as four numbers and its Range is built on request: most tokens
 * (punctuation, keywords) never need one, and three short-lived objects per token kept the garbage
 * collector busy on large files.
 */
export class Token {
  constructor(
    readonly kind: TokenKind,
    /** Position in the token array, so the parser can look at neighbours without searching. */
    readonly index: number,
    /** Source text of the token (for strings: with quotes). */
    readonly text: string,
    readonly start: number,
    readonly end: number,
    /**
     * Zero-based line and UTF-16 character where the token starts. It ends on the same line: no token holds a line
     * break (a string ends with its line).
     */
    readonly line: number,
    readonly character: number,
    /** Comments between the previous token and this one. */
    readonly pre: CommentSyntax[] | undefined,
    /** Set for strings: the decoded value. */
    readonly value: string | undefined,
    /** Set for strings and invalid tokens that had a problem, and for an octal integer with an 8 or a 9 (`08`). */
    readonly error: string | undefined,
  ) {}

  /** A new Range on every call, so that whoever keeps one owns it; likewise the two positions. */
  get range(): Range {
    return { start: this.startPos, end: this.endPos };
  }
  get startPos(): Position {
    return { line: this.line, character: this.character };
  }
  get endPos(): Position {
    return { line: this.line, character: this.character + this.end - this.start };
  }
}

const enum Ch {
  Tab = 9, LF = 10, VT = 11, FF = 12, CR = 13, Space = 32, Quote = 34, Apos = 39, Star = 42, Dot = 46,
  Slash = 47, D0 = 48, D7 = 55, D9 = 57, A = 65, Z = 90, Backslash = 92, Under = 95, a = 97, z = 122,
}

function isIdentStart(c: number): boolean {
  return (c >= Ch.a && c <= Ch.z) || (c >= Ch.A && c <= Ch.Z) || c === Ch.Under;
}
function isDigit(c: number): boolean {
  return c >= Ch.D0 && c <= Ch.D9;
}
/**
 * 1 for the ASCII characters that continue an identifier. A table lookup instead of a call per character:
 * a CLI check runs the lexer cold, where V8 interprets every call and comparison. Out of range (non-ASCII,
 * or NaN past the end of the text) reads undefined, which stops a scan.
 */
const IDENT_PART = new Uint8Array(128).fill(1, Ch.D0, Ch.D9 + 1).fill(1, Ch.A, Ch.Z + 1).fill(1, Ch.a, Ch.z + 1);
IDENT_PART[Ch.Under] = 1;
/**
 * The rest of an identifier, found by the regular expression engine: it scans in native code where a loop over the
 * characters runs in V8's interpreter for all of a CLI check (callgrind: a fifth of the lexer's instructions).
 */
const IDENT_REST = /[A-Za-z0-9_]*/y;
/** What an ASCII character starts, looked up in a table as IDENT_PART is; 0 (undefined past ASCII) for anything else. */
const enum Starts { Other = 0, Ident = 1, Digit = 2, Symbol = 3 }
// Filled by ranges rather than a loop over 128 characters, which every CLI run would interpret at load.
const STARTS = new Uint8Array(128).fill(Starts.Digit, Ch.D0, Ch.D9 + 1).fill(Starts.Ident, Ch.A, Ch.Z + 1).fill(Starts.Ident, Ch.a, Ch.z + 1);
STARTS[Ch.Under] = Starts.Ident;
for (const s of '{}[]()<>;,=.-+:/') STARTS[s.charCodeAt(0)] = Starts.Symbol;

/** Tokenizes the whole text. The last token is always `eof` (carrying trailing comments). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  lexer(text)(tokens, Infinity);
  return tokens;
}

/**
 * How many more `{` than `}` the text has, outside strings and comments (negative for more `}`). Lexed in
 * batches into one reused array, so that no token outlives its batch.
 */
export function braceBalance(text: string): number {
  const next = lexer(text);
  const batch: Token[] = [];
  let balance = 0;
  let done = false;
  while (!done) {
    batch.length = 0;
    done = next(batch, 4096);
    for (const t of batch) {
      if (t.kind === 'symbol') balance += t.text === '{' ? 1 : t.text === '}' ? -1 : 0;
    }
  }
  return balance;
}

/**
 * A tokenizer over `text` that appends the next `max` tokens to `out` per call, and returns whether the last
 * one was `eof` (which carries the trailing comments). The parser takes tokens as it goes, so that most of
 * them die young instead of all living in one array until the whole file is parsed, which the garbage
 * collector pays for on large files. It records where each line starts in `lines` as it goes.
 */
export function lexer(
  text: string,
  lines = new LineIndex(),
  /** Errors that are no token: an unterminated block comment (offsets of its start and of its line's end). */
  onError?: (message: string, start: number, end: number) => void,
  /**
   * Where to start: a token's offset and line, with `lines` either complete for the text or ending with that line's
   * start (see parseDeclarationsFrom).
   */
  from?: { offset: number; line: number },
): (out: Token[], max: number) => boolean {
  const n = text.length;
  let i = from?.offset ?? 0;
  let line = from?.line ?? 0;
  let lineStart = lines.starts[line] ?? 0;
  // Started within the text, the lexer may be given where all its lines start.
  const record = lines.starts.length === line + 1;
  let count = 0;
  let pending: CommentSyntax[] | undefined;
  let done = false;
  const hasCR = text.includes('\r');
  // Where a search for `*/` found none: no later `/*` has one either. Without it, each of many unterminated
  // `/*` searched to the end of the file (quadratic).
  let noCloseFrom = Infinity;

  // Advances over a newline at i (\n, \r\n or a lone \r, as LSP counts lines).
  const newline = (): void => {
    if (text.charCodeAt(i) === Ch.CR && text.charCodeAt(i + 1) === Ch.LF) i++;
    i++;
    line++;
    lineStart = i;
    if (record) lines.starts.push(i);
  };

  return function next(tokens: Token[], max: number): boolean {
    if (done) return true;
    const stop = tokens.length + max;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === Ch.LF || c === Ch.CR) {
        newline();
        continue;
      }
      if (c === Ch.Space || c === Ch.Tab || c === Ch.VT || c === Ch.FF || c === 0xfeff) {
        // Indentation comes in runs of spaces.
        do i++; while (text.charCodeAt(i) === Ch.Space);
        continue;
      }
      const start = i;
      const startLine = line;
      const startCharacter = i - lineStart;
      if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Slash) {
        // Comments are most of a CRI file: let the native indexOf find their end where no \r can stop them.
        if (hasCR) while (i < n && text.charCodeAt(i) !== Ch.LF && text.charCodeAt(i) !== Ch.CR) i++;
        else i = (text.indexOf('\n', i) + 1 || n + 1) - 1;
        // Without the `//`.
        (pending ??= []).push(new CommentSyntax(lines, text.slice(start + 2, i), false, start, i, startLine, line));
        continue;
      }
      if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) {
        const close = i + 2 >= noCloseFrom ? -1 : text.indexOf('*/', i + 2);
        if (close < 0) noCloseFrom = i + 2;
        // An unterminated one ends with its line, as an unterminated string does. protoc takes the rest of the
        // file, but for an editor that is every declaration below gone, each a deletion, while someone types
        // `/*` before the `*/`; and the error says all there is to say.
        let stop = close + 2;
        if (close < 0) {
          stop = i + 2;
          while (stop < n && text.charCodeAt(stop) !== Ch.LF && text.charCodeAt(stop) !== Ch.CR) stop++;
          onError?.('unterminated block comment', start, stop);
        }
        i += 2;
        while (i < stop) {
          const d = text.charCodeAt(i);
          if (d === Ch.LF || d === Ch.CR) newline();
          else i++;
        }
        (pending ??= []).push(new CommentSyntax(lines, stripBlockComment(text.slice(start, i)), true, start, i, startLine, line));
        continue;
      }

      let kind: TokenKind;
      let error: string | undefined;
      let value: string | undefined;
      const starts = STARTS[c];
      if (starts === Starts.Ident) {
        IDENT_REST.lastIndex = i + 1;
        IDENT_REST.test(text);
        i = IDENT_REST.lastIndex;
        kind = 'ident';
      } else if (starts === Starts.Digit || (c === Ch.Dot && isDigit(text.charCodeAt(i + 1)))) {
        kind = scanNumber();
        // A leading 0 makes an integer octal (not `0x1F`, nor a float such as `08.5`, which is decimal).
        if (kind === 'int' && c === Ch.D0 && isDigit(text.charCodeAt(start + 1))) error = octalError(text, start, i);
        else if (kind === 'invalid') error = numberError(text.slice(start, i));
      } else if (c === Ch.Quote || c === Ch.Apos) {
        const r = scanString(c);
        kind = 'string';
        value = r.value;
        error = r.error;
      } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        // Keep surrogate pairs together so an invalid token never splits a character.
        i += 2;
        kind = 'invalid';
        error = 'unexpected character';
      } else if (starts === Starts.Symbol) {
        i++;
        kind = 'symbol';
      } else {
        i++;
        kind = 'invalid';
        error = c === 0 ? 'unexpected NUL byte' : `unexpected character '${text[start]}'`;
      }
      tokens.push(make(kind, start, i, startLine, startCharacter, error, value));
      if (tokens.length >= stop) return false;
    }
    tokens.push(make('eof', n, n, line, n - lineStart));
    return (done = true);
  };

  function make(kind: TokenKind, start: number, end: number, startLine: number, startCharacter: number, error?: string, value?: string): Token {
    const pre = pending;
    pending = undefined;
    return new Token(kind, count++, text.slice(start, end), start, end, startLine, startCharacter, pre, value, error);
  }

  function scanNumber(): TokenKind {
    let kind: TokenKind = 'int';
    if (text.charCodeAt(i) === Ch.D0 && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
      i += 2;
      const digits = i;
      while (i < n && /[0-9a-fA-F]/.test(text[i]!)) i++;
      // `0x` alone is no number (protoc: "must be followed by hex digits"); read as 0 it was "integer 0x is too large".
      if (i === digits && !(i < n && isIdentStart(text.charCodeAt(i)))) return 'invalid';
    } else {
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) === Ch.Dot) {
        kind = 'float';
        i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
      }
      if (text[i] === 'e' || text[i] === 'E') {
        const save = i;
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        if (isDigit(text.charCodeAt(i))) {
          kind = 'float';
          while (i < n && isDigit(text.charCodeAt(i))) i++;
        } else {
          i = save;
        }
      }
    }
    // `1foo`, `1_000.5` are one bad token, not a number followed by an identifier and more.
    if (i < n && isIdentStart(text.charCodeAt(i)) && !(kind === 'float' && (text[i] === 'f' || text[i] === 'F'))) {
      while (IDENT_PART[text.charCodeAt(i)] === 1 || text.charCodeAt(i) === Ch.Dot) i++;
      return 'invalid';
    }
    return kind;
  }

  function scanString(quote: number): { value: string; error?: string } {
    i++;
    let out = '';
    let error: string | undefined;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d === quote) {
        i++;
        return error ? { value: out, error } : { value: out };
      }
      if (d === Ch.LF || d === Ch.CR) break;
      if (d === Ch.Backslash) {
        const e = text[i + 1];
        // A line break cannot be escaped: the string ends with its line, and the break is left to be counted.
        if (e === '\n' || e === '\r') {
          i++;
          break;
        }
        i += 2;
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'a': out += '\x07'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'v': out += '\v'; break;
          case '\\': case '\'': case '"': case '?': out += e; break;
          case 'x': case 'X': {
            const m = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i, i + 2));
            if (m) { out += String.fromCharCode(parseInt(m[0], 16)); i += m[0].length; }
            else error ??= 'invalid \\x escape';
            break;
          }
          case 'u': case 'U': {
            const len = e === 'u' ? 4 : 8;
            const m = new RegExp(`^[0-9a-fA-F]{${len}}`).exec(text.slice(i, i + len));
            const cp = m ? parseInt(m[0], 16) : NaN;
            if (m && cp <= 0x10ffff) { out += String.fromCodePoint(cp); i += len; }
            else error ??= `invalid \\${e} escape`;
            break;
          }
          default:
            if (e !== undefined && e >= '0' && e <= '7') {
              const m = /^[0-7]{1,3}/.exec(text.slice(i - 1, i + 2))!;
              out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
              i += m[0].length - 1;
            } else {
              error ??= `invalid escape '\\${e ?? ''}'`;
            }
        }
        continue;
      }
      out += text[i];
      i++;
    }
    return { value: out, error: UNTERMINATED_STRING };
  }
}

/** What is wrong with `text`, which starts as a number and is none (`0b1`, `1_000`, `1foo`), as buf's lexer says. */
function numberError(text: string): string {
  if (/^0[xX]($|[^0-9a-fA-F])/.test(text)) return `invalid number ${text}: '0x' must be followed by hex digits`;
  if (/^0[bBoO]/.test(text)) return `${text} is in a base protobuf does not take: integers are decimal, octal (0…) or hex (0x…)`;
  return text.includes('_') ? `a number takes no underscores: ${text}` : `invalid number ${text}`;
}

/** What is wrong with the octal integer `text.slice(start, end)`, all digits (see `badOctalDigit`); undefined when nothing. */
function octalError(text: string, start: number, end: number): string | undefined {
  const digits = text.slice(start, end);
  const k = badOctalDigit(digits);
  return k < 0 ? undefined : `invalid digit ${digits[k]} in the octal integer ${digits}: an integer that starts with 0 is octal`;
}

/** The error of a string token that its line ends before its closing quote (the parser says nothing more after it). */
export const UNTERMINATED_STRING = 'unterminated string';

/**
 * Where integer `digits`, which starts with 0 and so is octal, has its first 8 or 9, which buf's lexer refuses
 * ("invalid digit in octal integer literal"); -1 where it has none.
 */
export function badOctalDigit(digits: string): number {
  for (let k = 1; k < digits.length; k++) if (digits.charCodeAt(k) > Ch.D7) return k;
  return -1;
}

function stripBlockComment(raw: string): string {
  const body = raw.endsWith('*/') && raw.length >= 4 ? raw.slice(2, -2) : raw.slice(2);
  return body
    .split(/\r\n|\r|\n/)
    .map((l, k) => (k === 0 ? l : l.replace(/^\s*\*?/, '')))
    .join('\n');
}
