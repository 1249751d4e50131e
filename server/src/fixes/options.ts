// Options edited in place for the fixes that give a field its released encoding or UTF-8 validation back, and an
// enum its released type: a value turned, an option added (to a field's list, or in a list of its own after its
// number), or an option taken out with its separator. The rest of the declaration stays as written.

import type { FieldNode, OptionNode } from '../proto/ast';
import { featureValue, ownFeature, type Features } from '../proto/features';
import { insertAt, type TextEdit, type TextLines } from './text';

/** The features these fixes write, by option name (`features.` left out). */
export type FixedFeature = 'utf8_validation' | 'repeated_field_encoding' | 'enum_type';

/**
 * Edits that make an element whose options are `options` resolve `feature` to `value`, inheriting `inherited`:
 * its own setting dropped where what it inherits is that value (by `drop`), else turned, else added (by `add`).
 * A setting in an aggregate (`features = { … }`) is turned there, where its value is written. Undefined where an
 * aggregate sets other features only: protoc refuses a second `features` option before it, and the aggregate's text
 * is not rewritten.
 */
export function featureEdits(
  options: readonly OptionNode[], inherited: Features, feature: FixedFeature, value: string,
  drop: (own: OptionNode) => TextEdit[] | undefined, add: (option: string) => TextEdit[] | undefined,
): TextEdit[] | undefined {
  const own = ownFeature(options, feature);
  if (!own) return options.some((o) => o.name === 'features') ? undefined : add(`features.${feature} = ${value}`);
  const turn: TextEdit[] = [{ range: own.valueRange, newText: value }];
  if (own.option.name === 'features') return turn;
  return featureValue(inherited, feature) === value ? drop(own.option) ?? turn : turn;
}

/** Edits that give field `f` the option `name = value`: the value of its own turned, else the option added. */
export function setFieldOption(f: FieldNode, name: string, value: string): TextEdit[] {
  const own = f.options.find((o) => o.name === name);
  return own ? [{ range: own.valueRange, newText: value }] : addFieldOption(f, `${name} = ${value}`);
}

/** `option` (`name = value`) after the field's last option, or in a list of its own after its number. */
export function addFieldOption(f: FieldNode, option: string): TextEdit[] {
  const lastOption = f.options[f.options.length - 1];
  return [lastOption ? insertAt(lastOption.range.end, `, ${option}`) : insertAt(f.numberRange.end, ` [${option}]`)];
}

/**
 * The field's option `o` taken out: with the comma before it (after it, for the first of several), and with the
 * brackets when it is the only one. Undefined when anything but blanks is around it (a comment): nothing is guessed.
 */
export function dropFieldOption(L: TextLines, f: FieldNode, o: OptionNode): TextEdit[] | undefined {
  const k = f.options.indexOf(o);
  const start = L.offsetAt(o.range.start);
  const end = L.offsetAt(o.range.end);
  const blank = (from: number, to: number, around: RegExp): boolean => around.test(L.text.slice(from, to));
  const cut = (from: number, to: number): TextEdit[] => [{ range: { start: L.positionAt(from), end: L.positionAt(to) }, newText: '' }];
  if (f.options.length === 1) {
    const open = L.offsetAt(f.numberRange.end);
    const close = L.text.indexOf(']', end);
    return close >= 0 && blank(open, start, /^\s*\[\s*$/) && blank(end, close, /^\s*$/) ? cut(open, close + 1) : undefined;
  }
  if (k > 0) {
    const before = L.offsetAt(f.options[k - 1]!.range.end);
    return blank(before, start, /^\s*,\s*$/) ? cut(before, end) : undefined;
  }
  const next = L.offsetAt(f.options[1]!.range.start);
  return blank(end, next, /^\s*,\s*$/) ? cut(start, next) : undefined;
}
