// Completion of descriptor.proto's options while they are typed: their names after `option ` and after `[` or `,` in
// a field's or an enum value's brackets, and after `=` the values of an option that takes one of a few names (an
// enum's values, true or false). Custom options (`(my.option)`) and `features.…` are left out: their names and
// values are the imports' types, which the line being typed does not give; `features` is offered in an editions file
// only, since protoc refuses it in proto2 and proto3.

import type { Range } from '../proto/ast';
import { settableOptions, type OptionsOf } from '../proto/options';
import { CompletionItemKind, type CompletionItem } from './types';

const STATEMENT_NAME = /^\s*option\s+(\w*)$/;
const STATEMENT_VALUE = /^\s*option\s+(\w+)\s*=\s*(\w*)$/;
/** Inside `[…]` after `[` or the last `,`: a name being typed, or a name, `=` and a value being typed. */
const BRACKET_NAME = /\[(?:[^\]]*,)?\s*(\w*)$/;
const BRACKET_VALUE = /\[(?:[^\]]*,)?\s*(\w+)\s*=\s*(\w*)$/;

/**
 * The option names or values for `statement`, the text of the statement before the cursor: `statementKind` is what
 * an `option` statement there sets (the file's, a message's, an RPC's options), `bracketKind` what the brackets of a
 * declaration there set (a field's, an enum value's), if any. Undefined where no option is being typed; `typed`
 * gives the range of what is typed of the word so far, which an item replaces.
 */
export function optionCompletions(
  statement: string, statementKind: OptionsOf, bracketKind: OptionsOf | undefined, typed: (word: string) => Range, editions: boolean,
): CompletionItem[] | undefined {
  const nameItems = (kind: OptionsOf, range: Range): CompletionItem[] => optionNameItems(kind, range).filter((i) => editions || i.label !== 'features');
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
