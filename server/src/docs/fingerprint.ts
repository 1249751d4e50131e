// A doc comment reduced to what can change its meaning: the words that carry units, value formats,
// obligations, call order and the names of other elements. The bundled release index stores only this
// (a hash plus the term set), never upstream text, and the SEMANTIC rule compares term sets.

import { FNV_OFFSET, fnv1a, fnv1aFrom, hexOf } from '../fnv1a';

const MEANING_WORDS = new Set([
  // obligations
  'must', 'should', 'may', 'required', 'optional', 'never', 'always', 'only', 'not', 'deprecated', 'ignored', 'ignore',
  // call order
  'before', 'after', 'first', 'then', 'once', 'prior', 'until', 'while', 'during', 'concurrently', 'idempotent', 'retry',
  // units and formats
  'seconds', 'second', 'milliseconds', 'millisecond', 'microseconds', 'nanoseconds', 'nanosecond', 'ns', 'ms', 'bytes',
  'byte', 'kib', 'mib', 'gib', 'kb', 'mb', 'percent', 'percentage', 'cores', 'millicores', 'shares', 'quota', 'period',
  'unix', 'epoch', 'rfc3339', 'rfc3339nano', 'base64', 'json', 'yaml', 'utf-8', 'absolute', 'relative', 'path', 'prefix',
  'suffix', 'empty', 'nil', 'null', 'default', 'zero', 'unset', 'format', 'regex', 'uid', 'gid', 'digest', 'sha256',
]);

export interface DocFingerprint {
  /** Hash of the normalized text: equal hashes mean no change worth looking at. */
  hash: string;
  /** Sorted meaning-bearing terms. */
  terms: string[];
}

/**
 * `names` as a set: a Set as it is, any other iterable copied once per object. Callers pass the same list of a
 * file's RPC names for each of its RPCs; copying it per call made checking a file with many RPCs quadratic.
 * A list is copied again if its length changed (the lists passed are not edited in place otherwise).
 */
const nameSets = new WeakMap<object, { size: number; set: ReadonlySet<string> }>();
function nameSet(names: Iterable<string>): ReadonlySet<string> {
  if (names instanceof Set) return names as ReadonlySet<string>;
  const length = Array.isArray(names) ? names.length : -1;
  const known = nameSets.get(names);
  if (known && length >= 0 && known.size === length) return known.set;
  const set = new Set(names);
  if (length >= 0) nameSets.set(names, { size: length, set });
  return set;
}

/**
 * Whether `text` names any of `names` as a whole word (identifiers: letters, digits, `_`). A word set instead
 * of a regular expression per name: names come from the edited file and may be arbitrarily long. The text's
 * words are looked up in the names, never the other way round: there may be many names and few words.
 */
export function mentionsAny(text: string, names: Iterable<string>, except?: string): boolean {
  const wanted = nameSet(names);
  for (const w of text.split(/[^A-Za-z0-9_]+/)) if (w !== except && wanted.has(w)) return true;
  return false;
}

/** Words next to an RPC name that make it a statement about call order ("after Status", "Version is called"). */
const ORDER_BEFORE = /\b(after|before|following|preceding|once|until|prior to|then|than|calls?|calling|called by|invokes?|invoking|via|like|as)\s+(the\s+|a\s+|an\s+)?$/i;
const ORDER_AFTER = /^\s*(\(|(rpc|rpcs|call|calls|method|request|requests)\b|(is|has been|was|were|are|have been)\s+(called|invoked|done|complete|completed|finished|successful)|(returns?|returned|succeeds?|succeeded|completes?|completed|finishes|finished|fails?|failed)\b)/i;

/**
 * The places where `text` refers to one of the RPCs `names` (other than `except`): [start, end) of each name.
 * A compound name (CreateContainer, PodSandboxStatus) counts wherever it stands. A one-word name is also an
 * English word (Status, Version, Exec, Attach) and counts only as a reference: in backticks, followed by `(`, or
 * next to a call-order word ("after Status", "the Version RPC", "Attach is called"), never as a sentence's
 * leading label ("Status: alpha.").
 */
function* rpcReferences(text: string, names: Iterable<string>, except?: string): Generator<[number, number]> {
  // `names` is every RPC of the file and this is asked for each new one: no copy of it per call.
  const all = nameSet(names);
  const wanted = (n: string): boolean => n !== except && all.has(n);
  if (all.size <= (except !== undefined && all.has(except) ? 1 : 0)) return;
  const word = /`([A-Za-z0-9_]+)(?:\(\))?`|[A-Za-z0-9_]+/g;
  for (let m = word.exec(text); m; m = word.exec(text)) {
    if (m[1] !== undefined) {
      if (wanted(m[1])) yield [m.index, m.index + m[0].length];
      continue;
    }
    const w = m[0];
    if (!wanted(w)) continue;
    const end = m.index + w.length;
    if (/^[A-Z][a-z0-9]*[A-Z_0-9]/.test(w) || /[_0-9]/.test(w)) { // compound: not an English word
      yield [m.index, end];
      continue;
    }
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    const after = text.slice(end, end + 40);
    if (/^\s*:/.test(after) && /(^|[.!?:]\s+|\n\s*)$/.test(before)) continue; // "Status: alpha." is a label
    if (ORDER_BEFORE.test(before) || ORDER_AFTER.test(after)) yield [m.index, end];
  }
}

/** Whether `text` refers to one of the RPCs `names` (other than `except`); see rpcReferences. */
export function referencesRpc(text: string, names: Iterable<string>, except?: string): boolean {
  return !rpcReferences(text, names, except).next().done;
}

/**
 * A word of order a few words before an RPC's name, in the same sentence: "after CreateContainer", "once the
 * kubelet has called RunPodSandbox", "in response to a ContainerStatus". "Instead of", "in place of" and "an
 * alternative to" count too: an RPC called in another's place is called where that one would be, so its order
 * is the other's. Naming an RPC in passing ("like StopPodSandbox", "the same fields as PodSandboxStatus")
 * says nothing of when this one is called.
 */
const ALTERNATIVE = String.raw`instead\s+of|in\s+place\s+of|alternative\s+to|replaces|replacing|replacement\s+for`;
const ORDER_LEAD = new RegExp(String.raw`\b(?:after|before|following|preceding|once|until|till|prior\s+to|then|when|whenever|while|during|upon|between|in\s+response\s+to|${ALTERNATIVE}|followed\s+by|preceded\s+by|subsequent\s+to|ahead\s+of|precedes|follows)\b(?:[^A-Za-z0-9_]+[A-Za-z0-9_]+){0,5}?[^A-Za-z0-9_]*$`, 'i');
/** The words of ORDER_LEAD that only name an RPC this one is an alternative to, for removing them from a sentence. */
export const ALTERNATIVE_WORDS = new RegExp(String.raw`\b(?:${ALTERNATIVE})\b`, 'gi');
/** A word of order a few words after an RPC's name: "StopPodSandbox is called after it", "Call `Version` first". */
const ORDER_TRAIL = /^[^A-Za-z0-9_]*(?:[A-Za-z0-9_]+[^A-Za-z0-9_]+){0,4}?(?:before|after|first|then|precedes|follows|followed|preceded|beforehand|afterwards?|earlier|prior)\b/i;

/**
 * Whether `text` places this RPC in the kubelet's sequence of calls relative to one of the RPCs `names` (other
 * than `except`): a reference to it (see rpcReferences) with a word of order next to it in the same sentence.
 */
export function ordersRelativeToRpc(text: string, names: Iterable<string>, except?: string): boolean {
  for (const [start, end] of rpcReferences(text, names, except)) {
    // The sentence around the name, at most 80 characters either way: names may be arbitrarily long, and
    // the words of order that count stand close to the name.
    const lead = text.slice(Math.max(0, start - 80), start);
    const cut = Math.max(lead.search(/[.;!?:](?=\s[^.;!?:]*$)/) + 1, 0);
    const trail = text.slice(end, end + 80);
    const stop = trail.search(/[.;!?:](\s|$)/);
    if (ORDER_LEAD.test(lead.slice(cut)) || ORDER_TRAIL.test(stop < 0 ? trail : trail.slice(0, stop))) return true;
  }
  return false;
}

export function normalizeDoc(doc: string): string {
  return doc.replace(/\s+/g, ' ').trim().toLowerCase();
}

// Docs rarely change between keystrokes, so fingerprints are memoized by text; the cap bounds memory
// when many different files are checked in one process.
const memo = new Map<string, DocFingerprint | undefined>();
const MEMO_LIMIT = 5_000;

export function fingerprintDoc(doc: string | undefined): DocFingerprint | undefined {
  if (doc === undefined) return undefined;
  let f = memo.get(doc);
  if (f === undefined && !memo.has(doc)) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    // Comment texts are slices of the whole file; copies keep old versions of it from staying alive.
    f = computeFingerprint(doc);
    memo.set(copy(doc), f && { hash: f.hash, terms: f.terms.map(copy) });
  }
  return f;
}

function computeFingerprint(doc: string): DocFingerprint | undefined {
  if (!doc.trim()) return undefined;
  const normalized = normalizeDoc(doc);
  const terms = new Set<string>();
  // Links are references, not wording: an issue number or a renamed KEP path in a URL changes no meaning.
  for (const m of doc.replace(/\bhttps?:\/\/\S+/g, ' ').matchAll(/[A-Za-z][A-Za-z0-9_.-]*|\d+(?:\.\d+)?/g)) {
    const w = trimTrailingDotsAndDashes(m[0]);
    const lower = w.toLowerCase();
    if (/^\d/.test(w)) terms.add(w);
    else if (MEANING_WORDS.has(lower)) terms.add(lower);
    // CamelCase names (RPCs, messages) and SCREAMING_CASE names (enum values) are references to elements.
    else if (/^[A-Z][a-z0-9]+[A-Z]/.test(w) || /^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(w)) terms.add(w);
  }
  return { hash: fnv1a(normalized), terms: [...terms].sort() };
}

/**
 * `w` without the dots and dashes it ends with. Not `replace(/[.-]+$/, '')`: that regular expression tries
 * every position of a run of dots or dashes inside a word to its end, quadratic in a long one (`a....b`).
 */
function trimTrailingDotsAndDashes(w: string): string {
  let end = w.length;
  while (end > 0 && (w.charCodeAt(end - 1) === 0x2e || w.charCodeAt(end - 1) === 0x2d)) end--;
  return end === w.length ? w : w.slice(0, end);
}

/**
 * The fingerprint hash of each leading run of a comment's `lines` (the first line, the first two, …), as fingerprintDoc
 * gives it for those lines alone; undefined for a run with no text. In one pass: a comment can be long, and asking for
 * every run's hash separately would read it once per line. Normalizing joins lines with one space, so each line's
 * normalized words continue the hash of the lines before it.
 */
export function leadingRunHashes(lines: readonly string[]): (string | undefined)[] {
  let h = FNV_OFFSET;
  let empty = true;
  return lines.map((line) => {
    const n = normalizeDoc(line);
    if (n) {
      h = fnv1aFrom(empty ? h : fnv1aFrom(h, ' '), n);
      empty = false;
    }
    return empty ? undefined : hexOf(h);
  });
}

/** A flat copy of a string that shares no memory with the string it was sliced from. */
function copy(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
