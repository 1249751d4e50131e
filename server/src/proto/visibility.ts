// Edition 2024's symbol visibility: `export` or `local` before a message or an enum, and the file's
// `features.default_symbol_visibility`, say which of its types another file may use. protoc and buf refuse a type
// that its file does not export, either word before edition 2024, and under STRICT an exported nested type, but for
// an enum in a top-level message that reserves every field number (a message that only names its enums).

import type { EnumNode, MessageNode, ProtoFile, Range } from './ast';
import { ownKnownValue } from './features';
import { FIELD_MAX } from './parser';

const VISIBILITIES = ['EXPORT_ALL', 'EXPORT_TOP_LEVEL', 'LOCAL_ALL', 'STRICT'] as const;
type DefaultVisibility = typeof VISIBILITIES[number];

/** The file's own default_symbol_visibility, else its edition's: EXPORT_TOP_LEVEL from 2024 on, before it every type is exported. */
export function defaultVisibility(ast: ProtoFile): DefaultVisibility {
  if (!(Number(ast.edition?.value) >= 2024)) return 'EXPORT_ALL';
  const own = ownKnownValue(ast.options, 'default_symbol_visibility');
  if (own === undefined) return 'EXPORT_TOP_LEVEL';
  // Its _UNKNOWN value (that file's error), and a number of none of its values, hide no type from buf.
  return VISIBILITIES.includes(own as DefaultVisibility) ? own as DefaultVisibility : 'EXPORT_ALL';
}

/** Whether another file may use `node`, a type declared at the top level or in a message of a file whose default is `byDefault`. */
export function isExported(node: MessageNode | EnumNode, nested: boolean, byDefault: DefaultVisibility): boolean {
  if (node.visibility) return node.visibility.keyword === 'export';
  return byDefault === 'EXPORT_ALL' || (byDefault === 'EXPORT_TOP_LEVEL' && !nested);
}

/** What protoc and buf refuse in how `ast` says the visibility of its types, on the `export` or `local` that says it. */
export function visibilityProblems(ast: ProtoFile): { message: string; range: Range }[] {
  const out: { message: string; range: Range }[] = [];
  const edition = Number(ast.edition?.value);
  const strict = defaultVisibility(ast) === 'STRICT';
  const check = (node: MessageNode | EnumNode, parent: MessageNode | undefined, parentNested: boolean): void => {
    const v = node.visibility;
    if (!v) return;
    const kind = node.kind === 'message' ? 'message' : 'enum';
    if (!(edition >= 2024)) {
      const file = ast.edition ? `edition ${ast.edition.value}` : ast.syntax?.value ?? 'proto2';
      out.push({ message: `"${v.keyword}" is allowed from edition 2024 on, not in ${file}`, range: v.range });
    } else if (strict && parent && v.keyword === 'export') {
      const why = node.kind === 'message' || parentNested ? 'only an enum of a top-level message can be' : namespaceProblem(parent);
      if (why) out.push({ message: `nested ${kind} "${node.name}" cannot be exported under default_symbol_visibility = STRICT: ${why}`, range: v.range });
    }
  };
  const walk = (m: MessageNode, nested: boolean): void => {
    for (const n of m.messages) {
      check(n, m, nested);
      walk(n, true);
    }
    for (const e of m.enums) check(e, m, nested);
  };
  for (const m of ast.messages) {
    check(m, undefined, false);
    walk(m, false);
  }
  for (const e of ast.enums) check(e, undefined, false);
  return out;
}

/** Why `m` may not export its enums under STRICT: it must reserve every field number, in one range. */
function namespaceProblem(m: MessageNode): string | undefined {
  const ranges = m.reserved.flatMap((r) => r.ranges);
  if (ranges.length > 1) return `"${m.name}" must reserve its field numbers in one range (reserved 1 to max)`;
  // The parser keeps a written `max` as Infinity.
  if (ranges[0]?.start !== 1 || ranges[0].end < FIELD_MAX) return `"${m.name}" does not reserve every field number (reserved 1 to max)`;
  return undefined;
}
