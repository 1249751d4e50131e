// Decoding a file's bytes as UTF-8 text, strictly, as protoc and buf read .proto files: shared by the CLI's inputs,
// imported files (the binder's resolver) and the config file, so that each refuses the same bytes in the same words.

/** Why bytes are not UTF-8 text, and where: the first NUL byte or the first invalid sequence. */
export interface NotUtf8 {
  /** Offset of the byte at fault. */
  offset: number;
  /** 1-based line and column (UTF-16 code units, as the findings' columns) of that byte. */
  line: number;
  column: number;
  /** What is wrong, without a file name, e.g. "invalid UTF-8 (byte 0xff at offset 12)" or "contains NUL bytes; …". */
  message: string;
}

/**
 * The text of `buf`, or why it is not UTF-8 text. `kind` names the files in the message (".proto files must be
 * UTF-8"). NUL bytes are refused before the encoding: text editors never write them, binaries and UTF-16 do.
 */
export function decodeUtf8(buf: Uint8Array, kind: string): { text: string } | { error: NotUtf8 } {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const nul = b.indexOf(0);
  if (nul >= 0) return { error: { ...lineColumn(b, nul), offset: nul, message: `contains NUL bytes; ${utf16Guess(b, kind) ?? `not a ${kind} text file`}` } };
  try {
    // Fatal, like protoc and buf: replacing bad bytes with U+FFFD would read another file than the one given.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(b) };
  } catch {
    const at = firstInvalidUtf8(b);
    return { error: { ...lineColumn(b, at), offset: at, message: `invalid UTF-8 (byte 0x${b[at]!.toString(16).padStart(2, '0')} at offset ${at}); ${kind} files must be UTF-8` } };
  }
}

/**
 * The refusal of a file named `name`: an invalid sequence said where it is (`name:line:column: …`, as a compiler
 * would), NUL bytes of the whole file (binary, or UTF-16).
 */
export function notUtf8Text(name: string, e: NotUtf8): string {
  return e.message.startsWith('contains NUL') ? `${name}: ${e.message}` : `${name}:${e.line}:${e.column}: ${e.message}`;
}

/** 1-based line and column of `at`; the bytes before it on its line are valid UTF-8 (it is the first fault). */
function lineColumn(b: Buffer, at: number): { line: number; column: number } {
  const lineStart = b.lastIndexOf(0x0a, at - 1) + 1;
  let line = 1;
  for (let i = b.indexOf(0x0a); i >= 0 && i < lineStart; i = b.indexOf(0x0a, i + 1)) line++;
  return { line, column: b.toString('utf8', lineStart, at).length + 1 };
}

/**
 * What a file with NUL bytes most likely is, when it is text in UTF-16 (Windows editors save it so): a byte order
 * mark, or ASCII text with every other byte 0. Said so that the user re-saves it as UTF-8 instead of wondering.
 */
function utf16Guess(b: Buffer, kind: string): string | undefined {
  const bom = b[0] === 0xff && b[1] === 0xfe ? 'LE' : b[0] === 0xfe && b[1] === 0xff ? 'BE' : undefined;
  const n = Math.min(b.length, 512) & ~1;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) even++;
    if (b[i + 1] === 0) odd++;
  }
  // Without a mark: mostly ASCII, so one byte of each pair is 0 (nearly) always and the other never.
  const most = 0.9 * (n / 2);
  const endian = bom ?? (n >= 8 && odd >= most && even === 0 ? 'LE' : n >= 8 && even >= most && odd === 0 ? 'BE' : undefined);
  return endian && `it looks like UTF-16${endian} text; ${kind} files must be UTF-8 (save it as UTF-8 and check again)`;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode table 3-7); -1 if none. */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    if (c < 0x80) { i++; continue; }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) { n = 2; if (c === 0xe0) lo = 0xa0; else if (c === 0xed) hi = 0x9f; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; if (c === 0xf0) lo = 0x90; else if (c === 0xf4) hi = 0x8f; }
    else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}
