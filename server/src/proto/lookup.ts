// protoc's lookup of a relative type name, shared by the binder and the fixes that write or check type names.

/** Where a name is declared: the scope, and the full name (kept so that a lookup hashes a string hashed before). */
export interface Scoped {
  scope: string;
  fqn: string;
}

/**
 * Declared names (last component) → where they are declared, innermost first: by the length of the scope, longest
 * first (see `sortIndex`), so that a lookup stops at the first scope around it that declares the name. A package's
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
  // Both innermost first: merged, innermost first.
  for (let i = 0, j = 0; i < types.length || j < packages.length;) {
    const { scope: s, fqn } = j === packages.length || (i < types.length && types[i]!.scope.length >= packages[j]!.scope.length) ? types[i++]! : packages[j++]!;
    // A scope longer than this one cannot enclose it: no string compared.
    if (s.length > scope.length) continue;
    const d = declarations.get(fqn);
    if (!d || !encloses(s, scope)) continue;
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

/** The order of a name's places (Array.prototype.sort). */
export function innermostFirst(a: Scoped, b: Scoped): number {
  return b.scope.length - a.scope.length;
}

export function join(scope: string, name: string): string {
  return scope ? `${scope}.${name}` : name;
}

/** `outer` is `inner` or a scope around it ('' encloses everything). */
function encloses(outer: string, inner: string): boolean {
  return outer === '' || outer === inner || (inner.length > outer.length && inner.charCodeAt(outer.length) === 46 && inner.startsWith(outer));
}
