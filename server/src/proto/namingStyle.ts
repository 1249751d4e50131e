// Edition 2024's naming style, `features.enforce_naming_style = STYLE2024` (the edition's default), as buf 1.75
// enforces it: a package's parts, fields, oneofs and extensions in snake_case, messages, enums, services and RPCs in
// PascalCase, enum values in SCREAMING_SNAKE_CASE. Each name is checked by the style its own element resolves to: its
// own feature, else its parent's (file, message, oneof for its fields, enum for its values, service for its RPCs).
// buf 1.75 checks STYLE2026, and a number of none of the feature's values (`= 7`), as STYLE2024; STYLE_LEGACY checks
// no name, nor does the feature's _UNKNOWN value (an error). Edition 2023's default is the legacy style, but buf checks
// what an element there sets to STYLE2024 (also an error: the feature is 2024's).

import type { EnumNode, FieldNode, MessageNode, OptionNode, ProtoFile, Range } from './ast';
import { ownKnownValue } from './features';

type Case = 'snake_case' | 'PascalCase' | 'SCREAMING_SNAKE_CASE';
/** A style that checks names: STYLE2024, STYLE2026 or a number of none of the feature's values. */
type Style = string;

/** Words of lower-case letters and digits, each starting with a letter, joined by single underscores (`a1_b`, not `a_1b`, `a__b`, `_a`). */
const SNAKE = /^[a-z][a-z0-9]*(?:_[a-z][a-z0-9]*)*$/;
const CASES: Record<Case, RegExp> = { snake_case: SNAKE, PascalCase: /^[A-Z][A-Za-z0-9]*$/, SCREAMING_SNAKE_CASE: /^[A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)*$/ };

/** The names of `ast` that its naming style refuses, where buf reports them (the name; a package's whole name). */
export function namingStyleProblems(ast: ProtoFile): { message: string; range: Range }[] {
  const out: { message: string; range: Range }[] = [];
  // Not in an edition the parser does not know (a syntax error), whose defaults are not known either.
  const edition = ast.edition?.value;
  if (edition !== '2023' && edition !== '2024') return out;
  const refuse = (what: string, name: string, range: Range, wanted: Case, style: Style): void => {
    const whose = style === 'STYLE2024' && edition === '2024' ? 'edition 2024\'s naming style' : 'its naming style';
    out.push({ message: `${what} "${name}" is not ${wanted}, as ${whose} (features.enforce_naming_style = ${style}) requires`, range });
  };
  const check = (style: Style | undefined, what: string, name: string, range: Range, wanted: Case): void => {
    if (style && name && !CASES[wanted].test(name)) refuse(what, name, range, wanted, style);
  };
  const file = styleOf(edition === '2024' ? 'STYLE2024' : undefined, ast.options);
  if (file && ast.package && !ast.package.name.replace(/^\./, '').split('.').every((part) => SNAKE.test(part))) {
    refuse('package', ast.package.name, ast.package.nameRange, 'snake_case', file);
  }
  const field = (f: FieldNode, parent: Style | undefined, what = 'field'): void => check(styleOf(parent, f.options), what, f.name, f.nameRange, 'snake_case');
  const enumDecl = (e: EnumNode, parent: Style | undefined): void => {
    const own = styleOf(parent, e.options);
    check(own, 'enum', e.name, e.nameRange, 'PascalCase');
    for (const v of e.values) check(styleOf(own, v.options), 'enum value', v.name, v.nameRange, 'SCREAMING_SNAKE_CASE');
  };
  const message = (m: MessageNode, parent: Style | undefined): void => {
    const own = styleOf(parent, m.options);
    check(own, 'message', m.name, m.nameRange, 'PascalCase');
    for (const f of m.fields) if (f.oneof === undefined) field(f, own);
    for (const o of m.oneofs) {
      const oneof = styleOf(own, o.options);
      check(oneof, 'oneof', o.name, o.nameRange, 'snake_case');
      for (const f of o.fields) field(f, oneof);
    }
    for (const n of m.messages) message(n, own);
    for (const e of m.enums) enumDecl(e, own);
    for (const x of m.extends) for (const f of x.fields) field(f, own, 'extension');
  };
  for (const m of ast.messages) message(m, file);
  for (const e of ast.enums) enumDecl(e, file);
  for (const x of ast.extends) for (const f of x.fields) field(f, file, 'extension');
  for (const s of ast.services) {
    const own = styleOf(file, s.options);
    check(own, 'service', s.name, s.nameRange, 'PascalCase');
    for (const r of s.rpcs) check(styleOf(own, r.options), 'RPC', r.name, r.nameRange, 'PascalCase');
  }
  return out;
}

/** The style that checks an element's name (STYLE2024, STYLE2026), by what its `options` set and its parent's; undefined for none. */
function styleOf(parent: Style | undefined, options: readonly OptionNode[]): Style | undefined {
  const value = options.length ? ownKnownValue(options, 'enforce_naming_style') : undefined;
  if (value === undefined) return parent;
  return value === 'STYLE_LEGACY' || value === 'ENFORCE_NAMING_STYLE_UNKNOWN' ? undefined : value;
}
