// Go to Definition and Find All References for message, enum and service names, from the binder's type
// references and declarations, and for extensions, from the custom options that name them (optionTargets.ts).
// Works from a reference (a custom option's name) and from a declaration's own name.

import { comparePositions, type Position } from '../proto/ast';
import type { BoundFile } from '../proto/binder';
import { optionUses, targetOrOptionAt } from './optionTargets';
import type { Element } from './positions';
import type { Location } from './types';

export interface FileContext {
  bound: BoundFile;
}

export interface DefinitionOptions {
  /** Where an import path leads from this file, for Go to Definition on `import "…"`. */
  resolveImport?: (importPath: string, fromUri: string) => string | undefined;
}

const FILE_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Where the name at the position is declared; null when nothing navigable is there. */
export function findDefinition(bound: BoundFile, pos: Position, options: DefinitionOptions = {}): Location | null {
  const t = targetOrOptionAt(bound, pos);
  if (!t) return null;
  switch (t.kind) {
    case 'reference': {
      const d = t.reference.target !== undefined ? bound.declarations.get(t.reference.target) : undefined;
      return d?.uri && d.nameRange ? { uri: d.uri, range: d.nameRange } : null;
    }
    case 'declaration':
      return { uri: bound.uri, range: t.element.nameRange };
    case 'import': {
      const uri = options.resolveImport?.(t.node.path, bound.uri);
      return uri ? { uri, range: FILE_START } : null;
    }
    case 'custom option':
      return t.extension ? { uri: t.extension.uri, range: t.extension.nameRange } : null;
    case 'option field':
      return { uri: t.field.uri, range: t.field.node.nameRange };
    case 'package':
    case 'option':
      return null;
  }
}

/** The fully-qualified name of the message, enum or service a target is (reference or declaration). */
function typeNameOf(t: ReturnType<typeof targetOrOptionAt>): string | undefined {
  if (t?.kind === 'reference') return t.reference.target;
  if (t?.kind === 'declaration' && (t.element.kind === 'message' || t.element.kind === 'enum' || t.element.kind === 'service')) {
    return t.element.path;
  }
  return undefined;
}

export interface ReferencesOptions {
  includeDeclaration?: boolean;
  /** Other files to search (e.g. the other open documents); the file itself is always searched. */
  others?: FileContext[];
}

/**
 * Every reference to the type at the position, in this file and in `others`, sorted by file and position
 * (the declaration first when `includeDeclaration` is set).
 * For an extension (from its declaration or a custom option that names it), the custom options that name it.
 * For another field, a value, oneof or rpc name there are no type references: the result is its declaration when
 * `includeDeclaration` is set, else empty.
 */
export function findReferences(bound: BoundFile, pos: Position, options: ReferencesOptions = {}): Location[] {
  const t = targetOrOptionAt(bound, pos);
  if (!t || t.kind === 'import' || t.kind === 'package' || t.kind === 'option') return [];
  // A field of an option's message, as a field's own name: no type references, its declaration if asked for.
  if (t.kind === 'option field') return options.includeDeclaration ? [{ uri: t.field.uri, range: t.field.node.nameRange }] : [];
  const files: FileContext[] = [{ bound }];
  for (const o of options.others ?? []) if (o.bound.uri !== bound.uri) files.push(o);
  // An extension: the custom options that name it, from one of them or from its declaration.
  const extension = t.kind === 'custom option' ? t.extension : t.kind === 'declaration' && isExtension(t.element) ? bound.extensions.get(t.element.path) : undefined;
  if (extension || t.kind === 'custom option') {
    if (!extension) return [];
    const uses = optionUses(files.map((f) => f.bound), extension.fqn).sort(compareLocations);
    return unique(options.includeDeclaration ? [{ uri: extension.uri, range: extension.nameRange }, ...uses] : uses);
  }
  const fqn = typeNameOf(t);
  if (fqn === undefined) {
    return t.kind === 'declaration' && options.includeDeclaration ? [{ uri: bound.uri, range: t.element.nameRange }] : [];
  }
  const refs = referencesTo(files, fqn).sort(compareLocations);
  const d = options.includeDeclaration ? bound.declarations.get(fqn) : undefined;
  return unique(d?.uri && d.nameRange ? [{ uri: d.uri, range: d.nameRange }, ...refs] : refs);
}

/** A field of an `extend` block: an extension (a field of a group in the block is its message's field, not one). */
function isExtension(e: Element): boolean {
  return e.kind === 'field' && e.parent?.kind === 'extend';
}

/** The locations without those that start where one before them does. */
function unique(out: Location[]): Location[] {
  const seen = new Set<string>();
  return out.filter((l) => {
    const key = `${l.uri}#${l.range.start.line}:${l.range.start.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** All type references to a fully-qualified name in the given files, in file order then document order. */
export function referencesTo(files: FileContext[], fqn: string): Location[] {
  const out: Location[] = [];
  for (const f of files) {
    for (const ref of f.bound.references) {
      if (ref.target === fqn) out.push({ uri: f.bound.uri, range: ref.range });
    }
  }
  return out;
}

function compareLocations(a: Location, b: Location): number {
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : comparePositions(a.range.start, b.range.start);
}
