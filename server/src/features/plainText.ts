// Markdown as plain text, for clients whose hovers only show `plaintext`: what a markdown renderer would
// show, without the markup. Code blocks and code spans keep their code as written; links become
// "text (url)"; emphasis, headings' `#`, block quotes' `>` and backslash escapes go.

/** Plain text of a markdown string (the subset hovers use: fences, code spans, links, emphasis, rules). */
export function markdownToPlainText(md: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of md.replace(/\r\n?/g, '\n').split('\n')) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      // A closing fence is at least as long as the opening one, of the same character, with nothing after it.
      if (f && f[1]![0] === fence[0] && f[1]!.length >= fence.length && !line.slice(f[0].length).trim()) fence = undefined;
      else out.push(line);
      continue;
    }
    if (f && !(f[1]![0] === '`' && line.slice(f[0].length).includes('`'))) {
      fence = f[1]!;
      continue;
    }
    out.push(inline(line.replace(/^ {0,3}#{1,6}(?:\s+|$)/, '').replace(/^ {0,3}> ?/, '')));
  }
  return out.join('\n');
}

/** Characters a backslash escapes in markdown (ASCII punctuation). */
const ESCAPABLE = /\\([!-/:-@[-`{-~])/g;

function inline(line: string): string {
  // Code spans first, kept verbatim behind placeholders that no other rule touches.
  const spans: string[] = [];
  let text = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] === '\\' && i + 1 < line.length) {
      text += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (line[i] !== '`') {
      text += line[i];
      i++;
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n++;
    const ticks = '`'.repeat(n);
    // The closing run has exactly as many backticks.
    let close = -1;
    for (let j = line.indexOf(ticks, i + n); j >= 0; j = line.indexOf(ticks, j + 1)) {
      if (line[j - 1] !== '`' && line[j + n] !== '`') {
        close = j;
        break;
      }
    }
    if (close < 0) {
      text += ticks;
      i += n;
      continue;
    }
    let code = line.slice(i + n, close);
    if (/^ .*[^ ].* $/.test(code)) code = code.slice(1, -1);
    spans.push(code);
    text += `\u0000${spans.length - 1}\u0000`;
    i = close + n;
  }
  text = text
    // Links and images: [text](url "title") → text (url); the url alone when the text is the url.
    .replace(/!?\[((?:[^\][\\]|\\.){0,1000})\]\(\s*<?([^)\s>]{0,2000})>?(?:\s+"[^"]{0,500}")?\s*\)/g, (_m, label: string, url: string) => {
      const shown = label.replace(ESCAPABLE, '$1');
      return !url || shown === url ? shown || url : `${label} (${url})`;
    })
    // Autolinks; not an escaped `<`.
    .replace(/(?<!\\)<((?:https?|mailto|file|command):[^\s<>]{0,2000})>/g, '$1')
    // Emphasis: ** and __ pairs, then single * and _ (underscores only outside words: snake_case stays).
    // Every repetition is bounded, so that a long line of unclosed markers costs linear time, not quadratic.
    .replace(/\*\*(?=\S)([^]{0,1000}?\S)\*\*/g, '$1')
    .replace(/(?<![\w\\])__(?=\S)([^]{0,1000}?\S)__(?!\w)/g, '$1')
    .replace(/(?<![\w*\\])\*(?=[^\s*])([^*]{0,1000}?[^\s*\\])\*(?![\w*])/g, '$1')
    .replace(/(?<![\w\\])_(?=[^\s_])([^_]{0,1000}?[^\s_\\])_(?!\w)/g, '$1')
    .replace(/~~(?=\S)([^]{0,1000}?\S)~~/g, '$1')
    .replace(ESCAPABLE, '$1');
  return text.replace(/\u0000(\d+)\u0000/g, (_m, k: string) => spans[Number(k)]!);
}
