// Not product code: a measuring stick for issue #5. The in-process scaling target asks the cost per line to stay
// flat from 1× to 100× the size of api.proto; the language service's tree and model are objects, which at 100×
// outlive V8's young generation and the CPU cache. This scan keeps what a redesign would keep, laid out in
// typed arrays instead: every token (comments included, for doc comments), every declaration (kind, parent,
// name, type, number) and one table of interned names. It checks nothing. Section 6 of the benchmark runs it on
// the same files as analyze(), to show how far a tree and model in arrays would scale before any rule runs.

const ID = 1;
const NUMBER = 2;
const PUNCT = 3;
const STRING = 4;
const COMMENT = 5;

const MESSAGE = 1;
const FIELD = 2;
const ENUM = 3;
const ENUM_VALUE = 4;
const SERVICE = 5;
const RPC = 6;
const KEYWORDS: Record<string, number> = { message: MESSAGE, enum: ENUM, service: SERVICE, rpc: RPC };

const isWordStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46;
const isWord = (c: number): boolean => isWordStart(c) || (c >= 48 && c <= 57);

/** Growable Int32Array of records of `width` numbers. */
class Table {
  data: Int32Array;
  length = 0;
  constructor(readonly width: number, capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity) * width);
  }
  /** Appends one record (its first `width` of a..e); returns its index. */
  push(a: number, b: number, c: number, d = 0, e = 0): number {
    let at = this.length * this.width;
    if (at + this.width > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const x = this.data;
    x[at++] = a;
    x[at++] = b;
    x[at++] = c;
    if (this.width > 3) {
      x[at++] = d;
      x[at] = e;
    }
    return this.length++;
  }
}

export interface ScanCounts {
  tokens: number;
  declarations: number;
  names: number;
}

export function typedArrayScan(text: string): ScanCounts {
  const tokens = new Table(3, text.length >> 3); // kind, start, end
  for (let i = 0, n = text.length; i < n;) {
    const c = text.charCodeAt(i);
    const start = i;
    if (c <= 32) i++;
    else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const e = text.indexOf('\n', i);
      i = e < 0 ? n : e;
      tokens.push(COMMENT, start, i);
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      tokens.push(COMMENT, start, i);
    } else if (isWordStart(c)) {
      while (++i < n && isWord(text.charCodeAt(i)));
      tokens.push(ID, start, i);
    } else if (c >= 48 && c <= 57) {
      while (++i < n && isWord(text.charCodeAt(i)));
      tokens.push(NUMBER, start, i);
    } else if (c === 34 || c === 39) {
      while (++i < n && text.charCodeAt(i) !== c && text.charCodeAt(i) !== 10) if (text.charCodeAt(i) === 92) i++;
      tokens.push(STRING, start, ++i);
    } else tokens.push(PUNCT, start, ++i);
  }

  const t = tokens.data;
  const nt = tokens.length;
  const kind = (k: number): number => (k < nt ? t[k * 3]! : 0);
  const word = (k: number): string => text.slice(t[k * 3 + 1]!, t[k * 3 + 2]!);
  const punct = (k: number): number => (kind(k) === PUNCT ? text.charCodeAt(t[k * 3 + 1]!) : 0);
  const names = new Map<string, number>();
  const intern = (k: number): number => {
    const w = word(k);
    let id = names.get(w);
    if (id === undefined) names.set(w, (id = names.size));
    return id;
  };
  const declarations = new Table(5, nt >> 3); // kind, parent, name, type, number
  const scopes = [-1];
  for (let k = 0; k < nt; k++) {
    const brace = punct(k);
    if (brace === 123) scopes.push(scopes[scopes.length - 1]!);
    else if (brace === 125 && scopes.length > 1) scopes.pop();
    if (kind(k) !== ID) continue;
    const parent = scopes[scopes.length - 1]!;
    const keyword = KEYWORDS[word(k)];
    if (keyword !== undefined && kind(k + 1) === ID) {
      const d = declarations.push(keyword, parent, intern(k + 1), -1, 0);
      k++;
      if (keyword === RPC) continue;
      while (k + 1 < nt && punct(k + 1) !== 123) k++;
      scopes.push(d);
      k++;
      continue;
    }
    // `[label] Type name = N` or `NAME = N`
    const label = word(k) === 'repeated' || word(k) === 'optional' ? 1 : 0;
    const f = k + label;
    if (kind(f) === ID && kind(f + 1) === ID && punct(f + 2) === 61 && kind(f + 3) === NUMBER) {
      declarations.push(FIELD, parent, intern(f + 1), intern(f), Number(word(f + 3)));
      k = f + 3;
    } else if (punct(f + 1) === 61 && kind(f + 2) === NUMBER) {
      declarations.push(ENUM_VALUE, parent, intern(f), -1, Number(word(f + 2)));
      k = f + 2;
    }
  }
  return { tokens: nt, declarations: declarations.length, names: names.size };
}
