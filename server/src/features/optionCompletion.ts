// Completion of options while they are typed: after `option ` and after `[` or `,` in a field's or an enum value's
// brackets, descriptor.proto's option names for that element and the custom options (`(my.opt)`) that the file and
// its imports declare for it (extensions of that element's *Options message); after `=` the values of a built-in
// option that takes one of a few names (an enum's values, true or false). A custom option's values, and `features.…`,
// are left out: their types are the imports' messages, which the line being typed does not give; `features` is
// offered in an editions file only, since protoc refuses it in proto2 and proto3.

import type { Range } from '../proto/ast';
import type { BoundFile } from '../proto/binder';
import { lookup } from '../proto/lookup';
import { optionsMessage, settableOptions, type OptionsOf } from '../proto/options';
import { resolveExtension } from './optionTargets';
import { CompletionItemKind, type CompletionItem } from './types';

/** A name being typed: a built-in one, or a custom one from its `(` on (`(my.op`). */
const STATEMENT_NAME = /^\s*option\s+(\(?\.?[\w.]*)$/;
const STATEMENT_VALUE = /^\s*option\s+(\w+)\s*=\s*(\w*)$/;
/** Inside `[…]` after `[` or the last `,`: a name being typed, or a name, `=` and a value being typed. */
const BRACKET_NAME = /\[(?:[^\]]*,)?\s*(\(?\.?[\w.]*)$/;
const BRACKET_VALUE = /\[(?:[^\]]*,)?\s*(\w+)\s*=\s*(\w*)$/;

/**
 * The option names or values for `statement`, the text of the statement before the cursor: `statementKind` is what
 * an `option` statement there sets (the file's, a message's, an RPC's options), `bracketKind` what the brackets of a
 * declaration there set (a field's, an enum value's), if any. Undefined where no option is being typed; `typed`
 * gives the range of what is typed of the word so far, which an item replaces.
 */
export function optionCompletions(
  statement: string, statementKind: OptionsOf, bracketKind: OptionsOf | undefined, typed: (word: string) => Range, editions: boolean,
  custom: (kind: OptionsOf, range: Range) => CompletionItem[],
): CompletionItem[] | undefined {
  const nameItems = (kind: OptionsOf, range: Range): CompletionItem[] => [
    ...optionNameItems(kind, range).filter((i) => editions || i.label !== 'features'), ...custom(kind, range),
  ];
  const statementValue = STATEMENT_VALUE.exec(statement);
  if (statementValue) return valueItems(statementKind, statementValue[1]!, typed(statementValue[2]!));
  const statementName = STATEMENT_NAME.exec(statement);
  if (statementName) return nameItems(statementKind, typed(statementName[1]!));
  if (!bracketKind) return undefined;
  const bracketValue = BRACKET_VALUE.exec(statement);
  if (bracketValue) return valueItems(bracketKind, bracketValue[1]!, typed(bracketValue[2]!));
  const bracketName = BRACKET_NAME.exec(statement);
  return bracketName ? nameItems(bracketKind, typed(bracketName[1]!)) : undefined;
}

function optionNameItems(kind: OptionsOf, range: Range): CompletionItem[] {
  return settableOptions(kind).map(([name, values]) => ({
    label: name, kind: CompletionItemKind.Property, detail: `${kind} option${values ? `: ${values.join(' | ')}` : ''}`,
    sortText: name, textEdit: { range, newText: name },
  }));
}

/** The values of option `name` where they are a few names; none for another option (a string, a number, a message). */
function valueItems(kind: OptionsOf, name: string, range: Range): CompletionItem[] {
  const values = settableOptions(kind).find(([n]) => n === name)?.[1] ?? [];
  return values.map((v, k) => ({
    label: v, kind: v === 'true' || v === 'false' ? CompletionItemKind.Keyword : CompletionItemKind.EnumMember,
    detail: `value of ${name}`, sortText: String(k).padStart(2, '0'), textEdit: { range, newText: v },
  }));
}

/**
 * The custom options an element of kind `kind` may set: the extensions of its *Options message that `bound` and its
 * imports declare, each by the shortest name that finds it from `scope` (where the option is written), in
 * parentheses. `range` is what is typed of the name; `closing` is a `)` right after it (the editor closes a `(`
 * as it is typed), which the name replaces too.
 */
export function customOptionItems(bound: BoundFile, kind: OptionsOf, scope: string, range: Range, closing: boolean): CompletionItem[] {
  const extendee = optionsMessage(kind);
  const replaced = closing ? { start: range.start, end: { line: range.end.line, character: range.end.character + 1 } } : range;
  const items: CompletionItem[] = [];
  for (const x of bound.extensions.values()) {
    // The extendee as its `extend` wrote it, looked up from there (descriptor.proto's types are bundled).
    const resolved = lookup(x.extendee, x.scope, bound.names, bound.declarations)?.fqn ?? x.extendee.replace(/^\./, '');
    if (resolved !== extendee) continue;
    const name = `(${shortestExtensionName(bound, x.fqn, scope)})`;
    items.push({
      label: name, kind: CompletionItemKind.Property, detail: `custom ${kind} option: ${x.label ? `${x.label} ` : ''}${x.type}`,
      // After the built-in options, the file's own before its imports'.
      sortText: `~${x.uri === bound.uri ? 0 : 1}${name}`, textEdit: { range: replaced, newText: name },
    });
  }
  return items;
}

/** The fewest trailing components of extension `fqn` that protoc resolves to it from `scope`; else the absolute name. */
function shortestExtensionName(bound: BoundFile, fqn: string, scope: string): string {
  const parts = fqn.split('.');
  for (let k = 1; k <= parts.length; k++) {
    const written = parts.slice(-k).join('.');
    if (resolveExtension(bound, written, scope)?.fqn === fqn) return written;
  }
  return `.${fqn}`;
}
