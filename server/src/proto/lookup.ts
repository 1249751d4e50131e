// protoc's lookup of a relative type name, shared by the binder and the fixes that write or check type names.

import { partitionPoint } from '../binarySearch';

/** Where a name is declared: the scope, and the full name (kept so that a lookup hashes a string hashed before). */
export interface Scoped {
  scope: string;
  fqn: string;
}

/**
 * Declared names (last component) → where they are declared, innermost first: by the length of the scope, longest
 * first, then by the scope's text (see `innermostFirst`), so that a lookup stops at the first scope around it that
 * declares the name, and finds among the places of one length the only one that can enclose it. A package's
 * components are apart, under `.name`: a one-component name never names a package, and a package of thousands of
 * components declares its names in as many scopes, which such a lookup would otherwise look through each time.
 */
export type NameIndex = Map<string, Scoped[]>;

const NONE: readonly Scoped[] = [];

/** What a lookup reads: a map, or an object that answers as the map would after an edit. */
export interface Answers<V> {
  get(key: string): V | undefined;
}

/**
 * protoc's lookup: the first component of `written` in the innermost scope around `scope` that declares it, then
 * the rest. `names` says where a name is declared and `declarations` answers a full name: a caller looks names
 * up as if a declaration were added or renamed by answering both as if it were. (A place `names` lists that
 * `declarations` does not answer is skipped.)
 *
 * Only the enclosing scopes that declare the first component are looked at, innermost first (see NameIndex).
 * Probing every enclosing scope builds and hashes a scope-long key per level: quadratic in the length of the
 * package name for every lookup, which hung the fixes on long package names.
 */
export function lookup<D extends { kind: string }>(
  written: string,
  scope: string,
  names: Answers<readonly Scoped[]>,
  declarations: Answers<D>,
): D | undefined {
  if (written.startsWith('.')) return declarations.get(written.slice(1));
  const dot = written.indexOf('.');
  const first = dot < 0 ? written : written.slice(0, dot);
  const types = names.get(first) ?? NONE;
  const packages = dot < 0 ? NONE : names.get(`.${first}`) ?? NONE;
  // Both innermost first, and of them only the places around the scope: merged, innermost first.
  for (let i = enclosing(types, 0, scope), j = enclosing(packages, 0, scope); i < types.length || j < packages.length;) {
    let place: Scoped;
    if (j === packages.length || (i < types.length && types[i]!.scope.length >= packages[j]!.scope.length)) {
      place = types[i]!;
      i = enclosing(types, i + 1, scope);
    } else {
      place = packages[j]!;
      j = enclosing(packages, j + 1, scope);
    }
    const { scope: s, fqn } = place;
    const d = declarations.get(fqn);
    if (!d) continue;
    if (dot < 0) return d;
    const full = declarations.get(join(s, written));
    if (full) return full;
    // protoc stops at the first scope that has the first component, unless it is not a container.
    if (d.kind === 'message' || d.kind === 'package') return undefined;
  }
  return undefined;
}

/** Adds where `fqn` is declared (its scope and name are its parts); `sortIndex` orders the index once it is built. */
export function addToIndex(index: NameIndex, scope: string, name: string, fqn: string): void {
  const list = index.get(name);
  if (list) list.push({ scope, fqn });
  else index.set(name, [{ scope, fqn }]);
}

/** Once the index is built: each name's places innermost first, and the packages apart (see NameIndex). */
export function sortIndex(index: NameIndex, declarations: Answers<{ kind: string }>): void {
  // By what a place holds in the end: a type may take the place of a package component of the same name.
  const isPackage = (p: Scoped): boolean => declarations.get(p.fqn)?.kind === 'package';
  for (const [name, list] of [...index]) {
    if (!list.some(isPackage)) {
      list.sort(innermostFirst);
      continue;
    }
    index.set(`.${name}`, list.filter(isPackage).sort(innermostFirst));
    const types = list.filter((p) => !isPackage(p)).sort(innermostFirst);
    if (types.length) index.set(name, types);
    else index.delete(name);
  }
}

/** The order of a name's places (Array.prototype.sort): longest scope first, those of one length by their text. */
export function innermostFirst(a: Scoped, b: Scoped): number {
  return b.scope.length - a.scope.length || (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0);
}

/** Places of one length read one by one rather than searched: a search costs a string and a closure per lookup. */
const FEW = 4;

/**
 * The first of `places` (in `innermostFirst` order) from `from` on whose scope encloses `scope`, else their number.
 * Of the places of one length, only the one whose scope is the scope's beginning of that length can: it is found by
 * binary search where there are more than FEW, and the others are passed over a length at a time. Looking at each
 * was quadratic in a file where thousands of messages declare one name (a nested `Inner`) and each refers to its own.
 */
function enclosing(places: readonly Scoped[], from: number, scope: string): number {
  for (let i = from; i < places.length;) {
    const length = places[i]!.scope.length;
    // Most names have one place of a length: no search for its end.
    const end = i + 1 < places.length && places[i + 1]!.scope.length === length ? endOfLength(places, i, length) : i + 1;
    // A scope encloses this one where it is '', this one, or this one up to a dot.
    if (length <= scope.length && (length === 0 || length === scope.length || scope.charCodeAt(length) === 46)) {
      if (end - i <= FEW) {
        for (let k = i; k < end; k++) if (scope.startsWith(places[k]!.scope)) return k;
      } else {
        const prefix = scope.slice(0, length);
        const k = i + partitionPoint(end - i, (n) => places[i + n]!.scope < prefix);
        if (k < end && places[k]!.scope === prefix) return k;
      }
    }
    i = end;
  }
  return places.length;
}

/** The end of the places of `length` from `i` on: by doubling steps, then by halves, as most names have a few. */
function endOfLength(places: readonly Scoped[], i: number, length: number): number {
  let last = i;
  let step = 1;
  for (; last + step < places.length && places[last + step]!.scope.length === length; step *= 2) last += step;
  return last + 1 + partitionPoint(Math.min(step, places.length - last) - 1, (n) => places[last + 1 + n]!.scope.length === length);
}

/**
 * The full names `written` may mean from `scope`, innermost first (`.a.b` is full): where protoc looks for an
 * extension that a custom option names, which the name index (of types) does not hold.
 */
export function candidateNames(written: string, scope: string): string[] {
  if (written.startsWith('.')) return [written.slice(1)];
  const out: string[] = [];
  for (let s = scope; ; s = s.slice(0, Math.max(s.lastIndexOf('.'), 0))) {
    out.push(join(s, written));
    if (!s) return out;
  }
}

export function join(scope: string, name: string): string {
  return scope ? `${scope}.${name}` : name;
}

/** The most components `shortestName` tries, by default, before it writes a full name: more than any real name needs. */
const MAX_SHORT_NAME = 16;

/**
 * The shortest name of `fqn` (its last components, at most `max`) that `resolves`, else the full name with a leading
 * dot. Each try looks up a name as long as the ones before: trying every length of a name whose package has thousands
 * of components, shadowed on the way (a nested message named as a component), was quadratic in the fixes.
 */
export function shortestName(fqn: string, resolves: (candidate: string) => boolean, max = MAX_SHORT_NAME): string {
  const parts = fqn.split('.');
  for (let k = 1; k <= Math.min(parts.length, max); k++) {
    const candidate = parts.slice(parts.length - k).join('.');
    if (resolves(candidate)) return candidate;
  }
  return `.${fqn}`;
}
