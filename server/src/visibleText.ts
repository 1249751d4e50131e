// Text from a file (a doc comment, an import path, a quoted value) shown where nothing marks invisible characters:
// hovers, diagnostic messages, CI logs. A bidirectional override or isolate there shows the text after it in another
// order (Trojan Source), and a control character can act on a terminal; both are written as `\u…` escapes instead.

/** `text` with C0/C1 controls (not tab or line breaks) and bidirectional marks, overrides and isolates as `\u…` escapes. */
export function visibleControls(text: string): string {
  return text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
