// A git config file read as git reads it (git-config(1) syntax), without running git: what the baseline watch needs
// of a clone's config to tell which remote-tracking ref `@{upstream}` and `@{push}` name (see gitSource's
// `movingRef`). Git runs for the baseline with no global or system config (safeExec), so the clone's own files are
// all it reads; an `include.path` or `includeIf` entry is returned as any other, for gitIncludes' walk to follow as git
// does (the same walk decides whether git runs at all). Written by hand: the readers on npm (`ini`, and
// `parse-git-config` built on it) follow INI's rules, not git's escapes, continuation lines and case rules, which decide
// which remote and ref a key names.

export interface GitConfigEntry {
  /** Lowercased, as git compares it. */
  section: string;
  /** As written in `[section "sub"]` (git compares it case-sensitively); lowercased from `[section.sub]`; '' for none. */
  subsection: string;
  /** Lowercased. */
  key: string;
  /** `true` for a key without `=`, as git reads a boolean. */
  value: string;
}

/**
 * The entries of a config file's text, in order. Where git would stop on a syntax error (an unknown escape, an
 * unterminated quote or header), what comes before it is returned: git itself then fails, and what is watched of a
 * config it cannot read matters little.
 */
export function parseGitConfig(text: string): GitConfigEntry[] {
  const s = text.replace(/\r\n/g, '\n');
  const out: GitConfigEntry[] = [];
  let section: string | undefined;
  let subsection = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      i++;
    } else if (c === '#' || c === ';') {
      i = endOfLine(s, i);
    } else if (c === '[') {
      const m = /\[([A-Za-z0-9.-]+)(?:[ \t]+"((?:[^"\\\n]|\\[^\n])*)")?\]/y;
      m.lastIndex = i;
      const h = m.exec(s);
      if (!h) break;
      const name = h[1]!.toLowerCase();
      const dot = h[2] === undefined ? name.indexOf('.') : -1;
      section = dot < 0 ? name : name.slice(0, dot);
      // Inside quotes a backslash takes the next character as it is.
      subsection = dot < 0 ? (h[2] ?? '').replace(/\\(.)/g, '$1') : name.slice(dot + 1);
      i = m.lastIndex;
    } else {
      const k = /([A-Za-z][A-Za-z0-9-]*)[ \t]*/y;
      k.lastIndex = i;
      const m = k.exec(s);
      if (!m || section === undefined) break;
      i = k.lastIndex;
      let value = 'true';
      if (s[i] === '=') {
        const v = parseValue(s, i + 1);
        if (!v) break;
        ({ value, end: i } = v);
      } else if (i < s.length && s[i] !== '\n') break;
      out.push({ section, subsection, key: m[1]!.toLowerCase(), value });
    }
  }
  return out;
}

function endOfLine(s: string, i: number): number {
  const n = s.indexOf('\n', i);
  return n < 0 ? s.length : n + 1;
}

const ESCAPES: Record<string, string> = { t: '\t', b: '\b', n: '\n', '\\': '\\', '"': '"' };

/**
 * A value from `i` (after the `=`) to the end of its line, as git's parse_value: quotes removed, escapes and
 * continuation lines taken, a comment dropped, whitespace outside quotes trimmed at the ends and kept (as spaces)
 * inside. Undefined where git stops.
 */
function parseValue(s: string, i: number): { value: string; end: number } | undefined {
  let value = '';
  let quote = false;
  let spaces = 0;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\n') {
      if (quote) return undefined;
      return { value, end: i + 1 };
    }
    if (!quote && (c === ' ' || c === '\t')) {
      if (value) spaces++;
      continue;
    }
    if (!quote && (c === '#' || c === ';')) return { value, end: endOfLine(s, i) };
    value += ' '.repeat(spaces);
    spaces = 0;
    if (c === '\\') {
      const e = s[++i];
      if (e === '\n') continue;
      const r = e === undefined ? undefined : ESCAPES[e];
      if (r === undefined) return undefined;
      value += r;
    } else if (c === '"') quote = !quote;
    else value += c;
  }
  return quote ? undefined : { value, end: i };
}

/** Every value of a multi-valued key (`remote.<name>.fetch`), in order; also each a single-valued key had. */
export function allValues(entries: readonly GitConfigEntry[], section: string, subsection: string, key: string): string[] {
  return entries.filter((e) => e.section === section && e.subsection === subsection && e.key === key).map((e) => e.value);
}
