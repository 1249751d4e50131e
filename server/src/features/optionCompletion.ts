// Completion of options while they are typed: after `option ` and after `[` or `,` in a field's or an enum value's
// brackets, descriptor.proto's option names for that element and the custom options (`(my.opt)`) that the file and
// its imports declare for it (extensions of that element's *Options message); after `=` the values of a built-in
// option that takes one of a few names (an enum's values, true or false). A custom option's values are offered as its
// type takes them (customValueCompletions): after `(my.opt) = ` or `(my.opt).level = ` an enum's values or true and
// false, and inside its aggregate value `{ … }` the fields of the message there, and the values of one after its `:`.
// `features.…` values are left out; `features` is offered in an editions file only, since protoc refuses it in
// proto2 and proto3.

import type { Range } from '../proto/ast';
import type { BoundFile } from '../proto/binder';
import { lookup, shortestName } from '../proto/lookup';
import { optionsMessage, settableOptions, type OptionsOf } from '../proto/options';
import { resolveExtension } from './optionTargets';
import { extensionType, fieldOf, fieldType, messageFields, valueNames } from './optionFields';
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
  return valueItemsOf(settableOptions(kind).find(([n]) => n === name)?.[1], name, range);
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
    // By the fewest components that find it from here, of any number, as type names are completed (completedName).
    const name = `(${shortestName(x.fqn, (c) => resolveExtension(bound, c, scope)?.fqn === x.fqn, Infinity)})`;
    items.push({
      label: name, kind: CompletionItemKind.Property, detail: `custom ${kind} option: ${x.label ? `${x.label} ` : ''}${x.type}`,
      // After the built-in options, the file's own before its imports'.
      sortText: `~${x.uri === bound.uri ? 0 : 1}${name}`, textEdit: { range: replaced, newText: name },
    });
  }
  return items;
}

/** A custom option's name, an optional path of fields, and `=`: the last one before the cursor on its line. */
const CUSTOM_VALUE = /\((\.?[\w.]+)\)((?:\s*\.\s*\w+)*)\s*=\s*/g;
/** The tokens of a text-format value: strings, words and numbers, single characters. */
const AGGREGATE_TOKEN = /"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|[\w.+-]+|\S/g;

/**
 * The values of the custom option being written at the end of `before` (the line up to the cursor, its comments
 * blanked), whose name is looked up from `scope`; undefined where no custom option's value is being typed there. After
 * `(my.opt) = ` or `(my.opt).level = `: the values of its type where they are a few names (an enum's, a bool's).
 * Inside its aggregate value (`= { level: 1, inner { ` on the same line): the fields of the message the cursor is in,
 * and after a field's `:` its values. `typed` gives the range of the word typed so far.
 */
export function customValueCompletions(bound: BoundFile, before: string, scope: string, typed: (word: string) => Range): CompletionItem[] | undefined {
  if (!before.includes('(')) return undefined;
  let last: RegExpExecArray | undefined;
  for (const m of before.matchAll(CUSTOM_VALUE)) last = m;
  if (!last) return undefined;
  const rest = before.slice(last.index + last[0].length);
  const word = /\w*$/.exec(rest)![0];
  const bare = rest.length === word.length;
  // Past the option's value (`(a) = 1, deprecated = `): another option's, completed as before.
  if (!bare && !rest.startsWith('{')) return undefined;
  const extension = resolveExtension(bound, last[1]!, scope);
  if (!extension) return [];
  // Along the path: each part a field of the message before it.
  let written = extension.type;
  let from = extension.scope;
  let into = extensionType(bound, extension);
  const name = `(${last[1]})${last[2]!.replace(/\s/g, '')}`;
  for (const part of last[2]!.split('.').map((p) => p.trim()).filter(Boolean)) {
    const f = fieldOf(bound, into, part);
    if (!f) return [];
    written = f.node.type;
    from = f.owner;
    into = fieldType(bound, f);
  }
  if (bare) return valueItemsOf(valueNames(bound, written, from), name, typed(word));
  return rest.startsWith('{') ? aggregateItems(bound, into, rest.slice(1, rest.length - word.length), typed(word)) : undefined;
}

/**
 * Inside an aggregate value whose message is `type`, after `text`: the fields of the message the cursor is in where a
 * key is typed, the values of a field after its `:`; undefined once the value is closed (the cursor is after it).
 */
function aggregateItems(bound: BoundFile, type: string | undefined, text: string, range: Range): CompletionItem[] | undefined {
  const messages: (string | undefined)[] = [type];
  let key: string | undefined;
  /** What comes next: a key, its `:` or `{`, or its value. */
  let next: 'key' | 'separator' | 'value' = 'key';
  for (const [token] of text.matchAll(AGGREGATE_TOKEN)) {
    if (token === '}' || token === '>') {
      messages.pop();
      if (!messages.length) return undefined;
      next = 'key';
    } else if ((token === '{' || token === '<') && next !== 'key') {
      const f = key === undefined ? undefined : fieldOf(bound, messages[messages.length - 1], key);
      messages.push(f && fieldType(bound, f));
      next = 'key';
    } else if (token === ':' && next === 'separator') next = 'value';
    // A list's values (`key: [A, B]`): not followed.
    else if (token === '[' && next === 'value') return [];
    else if (token === ',' || token === ';') next = 'key';
    else if (next === 'key') {
      key = token;
      next = 'separator';
    } else next = 'key';
  }
  const message = messages[messages.length - 1];
  if (next === 'key') return message === undefined ? [] : fieldItems(bound, message, range);
  if (next !== 'value' || key === undefined) return [];
  const f = fieldOf(bound, message, key);
  return f ? valueItemsOf(valueNames(bound, f.node.type, f.owner), f.node.name, range) : [];
}

/** The fields of message `type`, as keys of an aggregate value. */
function fieldItems(bound: BoundFile, type: string, range: Range): CompletionItem[] {
  return messageFields(bound, type).map((f, k) => ({
    label: f.name, kind: CompletionItemKind.Field, detail: `${f.label ? `${f.label} ` : ''}${f.mapKey !== undefined ? `map<${f.mapKey}, ${f.type}>` : f.type} (${type})`,
    sortText: String(k).padStart(4, '0'), textEdit: { range, newText: f.name },
  }));
}

/** Items for `values`, the values of `name` (an option, a field of its message). */
function valueItemsOf(values: readonly string[] | undefined, name: string, range: Range): CompletionItem[] {
  return (values ?? []).map((v, k) => ({
    label: v, kind: v === 'true' || v === 'false' ? CompletionItemKind.Keyword : CompletionItemKind.EnumMember,
    detail: `value of ${name}`, sortText: String(k).padStart(2, '0'), textEdit: { range, newText: v },
  }));
}
