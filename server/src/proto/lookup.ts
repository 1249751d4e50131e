// protoc's lookup of a relative type name, shared by the binder and the fixes that write or check type names.

/** Where a name is declared: the scope, and the full name (kept so that a lookup hashes a string hashed before). */
export interface Scoped {
  scope: string;
  fqn: string;
}

/** Declared names (last component) → where they are declared. */
export type NameIndex = Map<string, Scoped[]>;

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
 * Only the enclosing scopes that declare the first component can match, innermost first. Probing every enclosing
 * scope builds and hashes a scope-long key per level: quadratic in the length of the package name for every
 * lookup, which hung the binder on long package names, and the fixes too.
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
  const candidates = names.get(first);
  if (!candidates) return undefined;
  // Usually one scope declares the name: no array to build then.
  const scopes = candidates.length === 1
    ? (encloses(candidates[0]!.scope, scope) ? candidates : [])
    : candidates.filter((c) => encloses(c.scope, scope)).sort((a, b) => b.scope.length - a.scope.length);
  for (const { scope: s, fqn } of scopes) {
    const d = declarations.get(fqn);
    if (!d) continue;
    if (dot < 0) {
      if (d.kind !== 'package') return d;
    } else {
      const full = declarations.get(join(s, written));
      if (full) return full;
      // protoc stops at the first scope that has the first component, unless it is not a container.
      if (d.kind === 'message' || d.kind === 'package') return undefined;
    }
  }
  return undefined;
}

/** Adds where `fqn` is declared (its scope and name are its parts). */
export function addToIndex(index: NameIndex, scope: string, name: string, fqn: string): void {
  const list = index.get(name);
  if (list) list.push({ scope, fqn });
  else index.set(name, [{ scope, fqn }]);
}

export function join(scope: string, name: string): string {
  return scope ? `${scope}.${name}` : name;
}

/** `outer` is `inner` or a scope around it ('' encloses everything). */
function encloses(outer: string, inner: string): boolean {
  return outer === '' || outer === inner || (inner.length > outer.length && inner.charCodeAt(outer.length) === 46 && inner.startsWith(outer));
}
