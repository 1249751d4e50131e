// Edition features (`edition = "2023";`), resolved as protoc resolves them, for what the model holds: a field's
// presence (its label), packed encoding and UTF-8 validation of strings, and whether an enum is closed. An editions
// file has no syntax defaults: proto3's implicit presence is `option features.field_presence = IMPLICIT;`, which is
// how protobuf's own migration keeps proto3 behaviour, so reading the features is what keeps such a migration from
// changing every field.

import type { OptionNode, Range } from './ast';
import { aggregateOf, entrySpan, listOf, ownValueEntry, type AggregateElement, type AggregateEntry } from './aggregate';
import { namePartRange } from './optionPath';
import { integer } from './defaults';
import { describe, scalarProblem, type ValueType } from './optionValue';
import { LANGUAGE_FEATURE_SETS, type FeatureSupport, type FeatureTargetName, type LanguageFeature } from './wellKnown';

export interface Features {
  /** UNKNOWN: the feature's _UNKNOWN value or a number of none of its values, see `unknownAs`. */
  readonly fieldPresence: 'EXPLICIT' | 'IMPLICIT' | 'LEGACY_REQUIRED' | 'UNKNOWN';
  readonly repeatedFieldEncoding: 'PACKED' | 'EXPANDED';
  /** UNKNOWN as for fieldPresence. */
  readonly enumType: 'OPEN' | 'CLOSED' | 'UNKNOWN';
  /** NONE: a string field's parsers take any bytes, as proto2's do (protobuf.dev, "Feature Settings for Editions"). */
  readonly utf8Validation: 'VERIFY' | 'NONE';
  /** LEGACY_BEST_EFFORT: field names, and enum value names, that clash in JSON are taken (see the binder). */
  readonly jsonFormat: 'ALLOW' | 'LEGACY_BEST_EFFORT';
}

/** The defaults of editions 2023 and 2024 (they agree on these features). */
export const EDITION_DEFAULTS: Features = { fieldPresence: 'EXPLICIT', repeatedFieldEncoding: 'PACKED', enumType: 'OPEN', utf8Validation: 'VERIFY', jsonFormat: 'ALLOW' };

/** An element whose features protoc checks against their targets (not a service's or a method's, nor does buf). */
export type FeatureTarget = Exclude<FeatureTargetName, 'service'>;

/**
 * Each feature of FeatureSet in descriptor.proto: its key in Features where the model reads it, its values by their
 * numbers (0 its `_UNKNOWN` value, which no element may have), the elements that may set it (its `targets`), and the
 * first edition that takes it (its `feature_support`; none is removed yet): protoc refuses the others ("unsupported
 * option target"), so a message or a oneof never sets a field's features for its fields, no feature of edition 2023 is
 * set on a oneof or an enum value, and `default_symbol_visibility`, which says what other files may import, only on the
 * file. (buf takes them on a service and a method, where they are not checked.)
 */
const FEATURES = new Map<string, FeatureSupport & {
  key?: keyof Features; values: readonly (string | undefined)[]; targets: readonly FeatureTargetName[];
  /**
   * What an element set to the _UNKNOWN value, or to a number of none of the values, is read as: none of the values
   * that buf 1.75's checks ask for (IMPLICIT, CLOSED, ALLOW) and protobuf-go asks for of buf's descriptors (PACKED,
   * VERIFY), not the parent's value. Presence and enum type are UNKNOWN: buf's checks take it for neither IMPLICIT nor
   * CLOSED, but protobuf-go, and so buf breaking, for no presence and a closed enum, and so does the model.
   */
  unknownAs?: string;
}>([
  ['field_presence', { key: 'fieldPresence', values: ['FIELD_PRESENCE_UNKNOWN', 'EXPLICIT', 'IMPLICIT', 'LEGACY_REQUIRED'], targets: ['file', 'field'], introduced: 2023, unknownAs: 'UNKNOWN' }],
  ['repeated_field_encoding', { key: 'repeatedFieldEncoding', values: ['REPEATED_FIELD_ENCODING_UNKNOWN', 'PACKED', 'EXPANDED'], targets: ['file', 'field'], introduced: 2023, unknownAs: 'EXPANDED' }],
  ['enum_type', { key: 'enumType', values: ['ENUM_TYPE_UNKNOWN', 'OPEN', 'CLOSED'], targets: ['file', 'enum'], introduced: 2023, unknownAs: 'UNKNOWN' }],
  // Its number 1 is reserved (a value protobuf removed).
  ['utf8_validation', { key: 'utf8Validation', values: ['UTF8_VALIDATION_UNKNOWN', undefined, 'VERIFY', 'NONE'], targets: ['file', 'field'], introduced: 2023, unknownAs: 'NONE' }],
  ['message_encoding', { values: ['MESSAGE_ENCODING_UNKNOWN', 'LENGTH_PREFIXED', 'DELIMITED'], targets: ['file', 'field'], introduced: 2023 }],
  ['json_format', { key: 'jsonFormat', values: ['JSON_FORMAT_UNKNOWN', 'ALLOW', 'LEGACY_BEST_EFFORT'], targets: ['file', 'message', 'enum'], introduced: 2023, unknownAs: 'LEGACY_BEST_EFFORT' }],
  ['default_symbol_visibility', { values: ['DEFAULT_SYMBOL_VISIBILITY_UNKNOWN', 'EXPORT_ALL', 'EXPORT_TOP_LEVEL', 'LOCAL_ALL', 'STRICT'], targets: ['file'], introduced: 2024 }],
  // STYLE2026, edition 2026's default, buf 1.75 takes in edition 2024 too.
  ['enforce_naming_style', { values: ['ENFORCE_NAMING_STYLE_UNKNOWN', 'STYLE2024', 'STYLE_LEGACY', 'STYLE2026'], targets: ['file', 'message', 'field', 'oneof', 'enum', 'enum value'], introduced: 2024 }],
  // Edition 2026's, which the parser does not take yet: in any edition it has, the feature is refused for its edition.
  ['enforce_proto_limits', { values: ['PROTO_LIMITS_UNKNOWN', 'LEGACY_NO_EXPLICIT_LIMITS', 'PROTO_LIMITS2026'], targets: ['message', 'field', 'oneof', 'enum'], introduced: 2026 }],
]);

/**
 * The value of FeatureSet's `feature` that `written` names, by its name or its number (`2` for IMPLICIT), its
 * `_UNKNOWN` value included, or the number itself (`7`) where it names none; undefined for a name it lacks, a number
 * outside int32, and a feature FeatureSet lacks. protoc refuses a number ("Value must be identifier for enum-valued
 * option"); buf takes any int32 and keeps it, and the README checks option values as buf does.
 */
function valueOf(feature: string, written: string): string | undefined {
  const values = FEATURES.get(feature)?.values;
  if (!values) return undefined;
  const n = integer(written);
  if (n === undefined) return values.includes(written) ? written : undefined;
  if (n < -2147483648n || n > 2147483647n) return undefined;
  return (n >= 0n && n < values.length ? values[Number(n)] : undefined) ?? String(n);
}

/** Whether `value` is one of `feature`'s values but its _UNKNOWN one. */
function isNamedValue(feature: string, value: string): boolean {
  return (FEATURES.get(feature)?.values.indexOf(value) ?? -1) > 0;
}

/** Whether `value` is `feature`'s `_UNKNOWN` value, which buf says no element may have ("must resolve to a known value"). */
function isUnknownValue(feature: string, value: string | undefined): boolean {
  return value !== undefined && FEATURES.get(feature)?.values[0] === value;
}

/** A feature set where protoc refuses it (`feature` as after `features.`: `(pb.java).utf8_validation`), with the elements that take it. */
export interface MisplacedFeature {
  feature: string;
  /** The feature's own name, its last part (`utf8_validation` of `features.(pb.java).utf8_validation`), as buf marks it. */
  range: Range;
  targets: readonly FeatureTargetName[];
}

/**
 * The features of FeatureSet, and of the languages' feature sets (see wellKnown.ts), that `options` of a `target` set
 * although protoc refuses them there.
 */
export function misplacedFeatures(options: readonly OptionNode[], target: FeatureTarget): MisplacedFeature[] {
  const out: MisplacedFeature[] = [];
  forEachFeature(options, (feature, value, option, range, valueRange) => {
    // An option's name ends with the feature's name (an aggregate's key is that name already): tokens do not span lines.
    const name = feature.slice(feature.lastIndexOf('.') + 1);
    const at = range === option.nameRange ? { start: { line: range.end.line, character: range.end.character - name.length }, end: range.end } : range;
    const known = FEATURES.get(feature);
    if (known) {
      // A value the feature lacks is all buf says of it.
      if (!known.targets.includes(target) && valueOf(feature, value) !== undefined) out.push({ feature, range: at, targets: known.targets });
      return;
    }
    const targets = languageFeature(feature)?.targets;
    if (targets && !targets.includes(target) && !languageValueProblem(feature, value, valueRange, option)) out.push({ feature, range: at, targets });
  });
  return out;
}

/** A feature that the file's edition does not take, with the editions that do. */
export interface FeatureOutsideEdition {
  feature: string;
  /** The option's name, or in an aggregate the feature's key. */
  range: Range;
  support: FeatureSupport;
}

/**
 * The features of FeatureSet, and of the languages' feature sets, that `options` set although `edition` (2023) does
 * not take them: introduced in a later edition, or removed (protoc and buf: "is not supported in Edition 2023").
 */
export function featuresOutsideEdition(options: readonly OptionNode[], edition: number): FeatureOutsideEdition[] {
  const out: FeatureOutsideEdition[] = [];
  forEachFeature(options, (feature, value, option, range, valueRange) => {
    const language = languageFeature(feature);
    // buf says only what is wrong with a value the feature lacks, or FeatureSet's _UNKNOWN value, not the edition.
    if (language ? languageValueProblem(feature, value, valueRange, option) : refusedValue(feature, value)) return;
    const support = language ?? FEATURES.get(feature);
    if (support && (edition < support.introduced || edition >= (support.removed ?? Infinity))) out.push({ feature, range, support });
  });
  return out;
}

/** The language's feature that `feature` (`(pb.java).utf8_validation`) names, of the sets buf bundles; undefined for another. */
function languageFeature(feature: string): LanguageFeature | undefined {
  const language = languageFeatureName(feature);
  return language && LANGUAGE_FEATURE_SETS.get(language.set)?.features.get(language.name);
}

/**
 * Why buf refuses `written` (at `range`) as the value of a language's `feature` (`(pb.cpp).string_type`), by the
 * feature's type (see optionValue.ts): a name its enum lacks, a value of another type, a number outside int32; outside
 * an aggregate a bool is only `true` or `false` (buf: "non-canonical `bool` literal outside of message expression").
 * Undefined where buf takes it (an enum's _UNKNOWN value and any int32 too), and for another feature.
 */
function languageValueProblem(feature: string, written: string, range: Range, option: OptionNode): { message: string; range: Range } | undefined {
  const known = languageFeature(feature);
  if (!known) return undefined;
  const name = `features.${feature}`;
  const type: ValueType = known.enum ? { kind: 'enum', ...known.enum } : { kind: 'scalar', type: 'bool' };
  if (/^[{<]/.test(written)) return { message: `"${name}" takes ${describe(type)}, not a message`, range };
  return scalarProblem(name, type, written, range, !option.value.startsWith('{'));
}

/**
 * Why buf refuses `written` (at `range`) as the value of `feature` (`utf8_validation`, `(pb.cpp).string_type`) in
 * `option` for its type: FeatureSet's takes one of its values, by name or number, a language's see
 * languageValueProblem. A message value is written `{`; undefined where buf takes it (FeatureSet's _UNKNOWN value too,
 * which it refuses only where the feature ends with it: see entryProblems).
 */
function valueProblem(feature: string, written: string, range: Range, option: OptionNode): { message: string; range: Range } | undefined {
  if (languageFeature(feature)) return languageValueProblem(feature, written, range, option);
  if (/^[{<]/.test(written)) return { message: `features.${feature} takes no message`, range };
  return valueOf(feature, written) === undefined ? { message: `features.${feature} takes no value ${written}`, range } : undefined;
}

/**
 * The problems of the value of `feature` in an aggregate: a list (no feature is repeated), each value of it not of
 * the feature's type, and FeatureSet's _UNKNOWN value where the feature is set to it: a list's first value of its type,
 * which buf keeps, and only where no key before set the feature (`again`; buf keeps the first), over the whole value,
 * where buf says "must resolve to a known value".
 */
function entryProblems(feature: string, entry: AggregateEntry, option: OptionNode, again = false): { message: string; range: Range }[] {
  const out: { message: string; range: Range }[] = [];
  if (entry.list) out.push({ message: `features.${feature} takes one value, not a list`, range: entry.valueRange });
  for (const v of entry.list ?? [{ scalar: entry.scalar, range: entry.valueRange }]) {
    const problem = valueProblem(feature, v.scalar ?? '{', v.range, option);
    if (problem) out.push(problem);
  }
  const kept = again ? undefined : keptValue(feature, entry, option)?.scalar;
  if (kept !== undefined && isUnknownValue(feature, valueOf(feature, kept))) out.push({ message: `features.${feature} takes no value ${kept}`, range: entry.valueRange });
  return out;
}

/** The value buf sets `feature` to with `entry` of an aggregate: a list's first value of the feature's type (buf refuses the list, but sets it); undefined where it sets nothing. */
function keptValue(feature: string, entry: AggregateEntry, option: OptionNode): AggregateElement | undefined {
  const values = entry.list ?? [{ scalar: entry.scalar, range: entry.valueRange }];
  return values.find((v) => v.scalar !== undefined && sets(feature, v.scalar, v.range, option));
}

/** `(pb.java).utf8_validation` as the extension and the feature; undefined for a feature of FeatureSet. */
function languageFeatureName(feature: string): { set: string; name: string } | undefined {
  const m = /^\(\.?([\w.]+)\)\.(\w+)$/.exec(feature);
  return m ? { set: m[1]!, name: m[2]! } : undefined;
}

const FEATURE_SET = 'google.protobuf.FeatureSet';

/** A feature that its feature set lacks, or a value the feature does not take: protoc's and buf's error. */
export interface UnknownFeature {
  /** The option's name, or in an aggregate the key and its value; the value for a value refused. */
  range: Range;
  /** Why the value is refused. */
  refusal?: string;
  /** As written after `features.`, or the key in an aggregate. */
  feature: string;
  /** The feature set's message: google.protobuf.FeatureSet, pb.JavaFeatures, … */
  of: string;
  /** What is wrong with a name that goes on past the feature (`x` of `features.json_format.x`), where that is the problem. */
  path?: string;
}

/**
 * Features that their feature set lacks, set one at a time (`features.foo = X`, `features.(pb.java).foo = X`) or in an
 * aggregate (`features = { foo: X, [pb.java] { foo: X } }`), and values FeatureSet's features do not know: protoc's
 * errors. Only the languages' feature sets that buf bundles are known, of the extensions of FeatureSet.
 */
export function unknownFeatures(options: readonly OptionNode[]): UnknownFeature[] {
  const out: UnknownFeature[] = [];
  for (const o of options) {
    if (o.name === 'features') {
      // The features a key before set, which buf keeps.
      const setBefore = new Set<string>();
      for (const e of aggregateOf(o) ?? []) {
        if (!e.extension) {
          if (!FEATURES.has(e.name)) out.push({ range: entrySpan(e), feature: e.name, of: FEATURE_SET });
          else for (const p of entryProblems(e.name, e, o, setBefore.has(e.name))) out.push({ range: p.range, refusal: p.message, feature: e.name, of: FEATURE_SET });
          if (keptValue(e.name, e, o) !== undefined) setBefore.add(e.name);
          continue;
        }
        // Another extension of FeatureSet may be declared by a file of features of its own; only `pb`'s are bundled.
        if (LANGUAGE_FEATURE_SETS.has(e.name)) for (const m of e.messages) out.push(...languageSetProblems(e.name, m, o));
        else if (e.name.startsWith('pb.')) out.push({ range: entrySpan(e), feature: `[${e.name}]`, of: FEATURE_SET });
      }
      continue;
    }
    if (!o.name.startsWith('features.')) continue;
    const feature = o.name.slice('features.'.length);
    const whole = wholeLanguageSet(o);
    if (whole !== undefined) {
      const entries = aggregateOf(o);
      if (entries) out.push(...languageSetProblems(whole, entries, o));
      // Not an aggregate the parser reads (its error), nor a message at all.
      else if (!o.value.startsWith('{')) {
        out.push({ range: o.valueRange, refusal: `"${o.name}" takes a message (${LANGUAGE_FEATURE_SETS.get(whole)!.message}), not ${o.value}`, feature, of: FEATURE_SET });
      }
      continue;
    }
    // A language's features (`features.(pb.cpp).legacy_closed_enum`) are extensions of FeatureSet.
    const ext = /^\(\.?([\w.]+)\)\./.exec(feature);
    const set = ext && LANGUAGE_FEATURE_SETS.get(ext[1]!);
    if (feature.startsWith('(') && !set) continue;
    // Where the feature's name starts in the option's: buf marks a name its set lacks from the `.` before it, and the
    // part after a feature, which is no message to go into, alone.
    const from = 'features.'.length + (ext ? ext[0].length : 0);
    const [name, next] = o.name.slice(from).split('.', 2) as [string, string?];
    const known = set ? set.features.get(name) : FEATURES.get(name);
    const of = set ? set.message : FEATURE_SET;
    const list = listEntry(o);
    if (!known) out.push({ range: namePartRange(o, from - 1, name.length + 1), feature: name, of });
    else if (next !== undefined) {
      // FeatureSet's features are enums; a language's an enum of its file, or a bool.
      const enumName = set?.features.get(name)!.enum?.fqn;
      const what = set && !enumName ? 'a scalar (bool)' : `an enum${enumName ? ` (${enumName})` : ''}`;
      const path = `"${o.name.slice(0, from + name.length)}" is ${what}, not a singular message: "${next}" cannot follow it`;
      out.push({ range: namePartRange(o, from + name.length + 1, next.length), feature: name, of, path });
    } else if (list) {
      for (const p of entryProblems(feature, list, o)) out.push({ range: p.range, refusal: p.message, feature: name, of });
    } else if (set) {
      const problem = languageValueProblem(feature, o.value, o.valueRange, o);
      if (problem) out.push({ range: problem.range, refusal: problem.message, feature: name, of });
    } else if (refusedValue(feature, o.value)) out.push({ range: o.valueRange, refusal: `features.${feature} takes no value ${o.value}`, feature, of });
  }
  return out;
}

/**
 * `features.x = [A, B]` as buf reads it, the aggregate's `x: [A, B]`: refused (the parser's error too), but setting the
 * feature to its first value of the feature's type. Undefined for another value.
 */
function listEntry(o: OptionNode): AggregateEntry | undefined {
  return listOf(o) ? ownValueEntry(o) : undefined;
}

/** The features that `entries` of a language's feature set (`pb.java`) set although it lacks them, and the values they refuse. */
function languageSetProblems(set: string, entries: readonly AggregateEntry[], o: OptionNode): UnknownFeature[] {
  const { message, features } = LANGUAGE_FEATURE_SETS.get(set)!;
  return entries.filter((f) => !f.extension).flatMap((f) => (features.has(f.name)
    ? entryProblems(`(${set}).${f.name}`, f, o).map((p) => ({ range: p.range, refusal: p.message, feature: f.name, of: message }))
    : [{ range: entrySpan(f), feature: f.name, of: message }]));
}

/** The language's feature set (`pb.cpp`, one buf bundles) that `o` sets whole, `features.(pb.cpp) = { … }`; undefined for another option. */
function wholeLanguageSet(o: OptionNode): string | undefined {
  const set = /^features\.\(\.?([\w.]+)\)$/.exec(o.name)?.[1];
  return set !== undefined && LANGUAGE_FEATURE_SETS.has(set) ? set : undefined;
}

/** A language's feature set (`pb.cpp`) that options name: `features.(pb.cpp)…`, or `[pb.cpp] { … }` in `features = { … }`. */
export interface LanguageSetUse {
  set: string;
  /** As it is written: `(pb.cpp)` in an option's name, `[pb.cpp]` in an aggregate. */
  written: string;
  /** The name in parentheses, or the block, where buf marks the set where it is not imported. */
  range: Range;
  /** What of the options names it: the option, or the block. */
  span: Range;
}

/** Where `options` name a language's feature set of those buf bundles, which protoc and buf know only where its file is imported. */
export function languageSetUses(options: readonly OptionNode[]): LanguageSetUse[] {
  const out: LanguageSetUse[] = [];
  for (const o of options) {
    if (o.name === 'features') {
      for (const e of aggregateOf(o) ?? []) {
        if (e.extension && LANGUAGE_FEATURE_SETS.has(e.name)) out.push({ set: e.name, written: `[${e.name}]`, range: entrySpan(e), span: entrySpan(e) });
      }
      continue;
    }
    const m = /^features\.\((\.?([\w.]+))\)/.exec(o.name);
    if (!m || !LANGUAGE_FEATURE_SETS.has(m[2]!)) continue;
    // The name inside `(…)`.
    out.push({ set: m[2]!, written: `(${m[2]})`, range: namePartRange(o, 'features.('.length, m[1]!.length), span: o.range });
  }
  return out;
}

/**
 * `options` but a `features = { … }` after another setting of features, which buf refuses as set again (options.ts
 * says so) and reads no further: nothing else is said of it.
 */
export function withoutFeaturesSetAgain(options: readonly OptionNode[]): readonly OptionNode[] {
  const first = options.findIndex((o) => o.name === 'features' || o.name.startsWith('features.'));
  if (first < 0 || !options.some((o, k) => k > first && o.name === 'features')) return options;
  return options.filter((o, k) => k <= first || o.name !== 'features');
}

/** A feature, or a language's feature set, that `options` set a second time: buf's "set multiple times". */
export interface RepeatedFeature {
  /** The second setting: its option's name, or in an aggregate its key. */
  range: Range;
  message: string;
  /** The value of a second setting one at a time, of which buf says nothing more. */
  value?: Range;
}

/**
 * What buf 1.75 refuses as set twice on one element: a feature (`utf8_validation`,
 * `(pb.cpp).string_type`) set again, one at a time or as a key of an aggregate, whatever the value, and a language's
 * set written whole (`features.(pb.cpp) = { … }`) after anything set it. A value buf refuses sets nothing, an
 * `_UNKNOWN` one does, a list does where one of its values does; two `[pb.cpp] { … }` blocks of one aggregate are
 * merged, even where they set the same feature. `features = { … }` after any other setting of features is
 * options.ts's to report.
 */
export function repeatedFeatures(options: readonly OptionNode[]): RepeatedFeature[] {
  const out: RepeatedFeature[] = [];
  // The features set so far (`(pb.cpp).string_type` for a language's), and the language sets named so far.
  const features = new Set<string>();
  const languages = new Set<string>();
  const twice = (feature: string, range: Range, value?: Range): void => {
    const language = languageFeatureName(feature);
    const message = language ? `the feature "${language.name}" of ${LANGUAGE_FEATURE_SETS.get(language.set)!.message}` : `the feature "${feature}"`;
    out.push({ range, message: `${message} is set twice`, value });
  };
  // Notes what `entries` (one message of an aggregate) set, and reports a key set twice in them; `prefix` names a language's.
  const setIn = (entries: readonly AggregateEntry[], prefix: string, o: OptionNode): void => {
    const here = new Set<string>();
    for (const f of entries) {
      const feature = prefix + f.name;
      if (f.extension) continue;
      if (here.has(feature)) twice(feature, f.range);
      else if ((f.list ?? [{ scalar: f.scalar, range: f.valueRange }]).some((v) => v.scalar !== undefined && sets(feature, v.scalar, v.range, o))) {
        here.add(feature);
        features.add(feature);
      }
    }
  };
  let featuresBefore = false;
  for (const o of options) {
    const whole = wholeLanguageSet(o);
    const first = !featuresBefore;
    if (o.name === 'features' || o.name.startsWith('features.')) featuresBefore = true;
    if (whole !== undefined) {
      if (languages.has(whole)) out.push({ range: o.nameRange, message: `the feature set "(${whole})" is set twice: whole here, set before` });
      else setIn(aggregateOf(o) ?? [], `(${whole}).`, o);
      languages.add(whole);
    } else if (o.name === 'features') {
      // After any other setting of features this option is one too many, all buf says of it (see options.ts).
      if (!first) continue;
      const entries = aggregateOf(o) ?? [];
      setIn(entries, '', o);
      // Each `[pb.cpp] { … }` block on its own: buf merges the blocks without a word, even where two set one feature.
      for (const e of entries) {
        if (!e.extension || !LANGUAGE_FEATURE_SETS.has(e.name)) continue;
        languages.add(e.name);
        for (const m of e.messages) setIn(m, `(${e.name}).`, o);
      }
    } else if (o.name.startsWith('features.')) {
      const feature = o.name.slice('features.'.length);
      const language = languageFeatureName(feature);
      if (language) languages.add(language.set);
      const list = listEntry(o);
      if (features.has(feature)) twice(feature, o.nameRange, o.valueRange);
      else if (list ? keptValue(feature, list, o) !== undefined : sets(feature, o.value, o.valueRange, o)) features.add(feature);
    }
  }
  return out;
}

/** Whether buf takes `written` as a value of `feature` (FeatureSet's _UNKNOWN values too): a value it refuses sets nothing. */
function sets(feature: string, written: string, range: Range, option: OptionNode): boolean {
  if (languageFeature(feature)) return !languageValueProblem(feature, written, range, option);
  return valueOf(feature, written) !== undefined;
}

/** Whether `written` is no value of `feature`, or its _UNKNOWN value. */
function refusedValue(feature: string, written: string): boolean {
  const value = valueOf(feature, written);
  return value === undefined || isUnknownValue(feature, value);
}

/** Whether `options` set `feature` (`utf8_validation`), one at a time or in an aggregate. */
export function setsFeature(options: readonly OptionNode[], feature: string): boolean {
  return ownFeature(options, feature) !== undefined;
}

/** The value `features` resolve `feature` (its option name, `utf8_validation`) to; undefined for a feature not modelled. */
export function featureValue(features: Features, feature: string): string | undefined {
  const key = FEATURES.get(feature)?.key;
  return key && features[key];
}

/**
 * The value `options` themselves set `feature` to (by name, also where written as its number; a number of none of its
 * values as that number), its _UNKNOWN value included: a name it lacks is an error, and sets nothing.
 */
export function ownKnownValue(options: readonly OptionNode[], feature: string): string | undefined {
  const written = ownFeature(options, feature)?.value;
  return written === undefined ? undefined : valueOf(feature, written);
}

/**
 * The option by which `options` set `feature` themselves, with the value it gives (by name where written as the number
 * of one of FeatureSet's values, else as written) and where that value is written (in an aggregate, the feature's own);
 * undefined where they do not.
 */
export function ownFeature(options: readonly OptionNode[], feature: string): { value: string; option: OptionNode; valueRange: Range } | undefined {
  let found: { value: string; option: OptionNode; valueRange: Range } | undefined;
  forEachFeature(options, (f, value, option, _range, valueRange) => { if (f === feature) found = { value: valueOf(f, value) ?? value, option, valueRange }; });
  return found;
}

/**
 * Calls `each` for every feature `options` set, one at a time (`features.field_presence = IMPLICIT`) or in one
 * aggregate (`features = { field_presence: IMPLICIT }`), with where it is set (the option's name, an aggregate's key);
 * a callback, as most elements set none and are many. A language's are named as one at a time
 * (`(pb.java).utf8_validation`): in an aggregate, `[pb.java] { utf8_validation: DEFAULT }` is pb.JavaFeatures'.
 */
function forEachFeature(options: readonly OptionNode[], each: (feature: string, value: string, option: OptionNode, range: Range, valueRange: Range) => void): void {
  // buf refuses a list for a feature, but sets the feature where it takes a value of it: see entryProblems.
  const entry = (feature: string, f: AggregateEntry, o: OptionNode): void => {
    const value = f.list ? keptValue(feature, f, o) : f.scalar !== undefined && { scalar: f.scalar, range: f.valueRange };
    if (value) each(feature, value.scalar!, o, f.range, value.range);
  };
  for (const o of options) {
    const whole = wholeLanguageSet(o);
    if (whole !== undefined) {
      for (const f of aggregateOf(o) ?? []) if (!f.extension) entry(`(${whole}).${f.name}`, f, o);
    } else if (o.name.startsWith('features.')) {
      const list = listEntry(o);
      if (list) entry(o.name.slice('features.'.length), list, o);
      else each(o.name.slice('features.'.length), o.value, o, o.nameRange, o.valueRange);
    }
    else if (o.name === 'features') {
      for (const e of aggregateOf(o) ?? []) {
        if (!e.extension) entry(e.name, e, o);
        else for (const m of e.messages) for (const f of m) if (!f.extension) entry(`(${e.name}).${f.name}`, f, o);
      }
    }
  }
}

/**
 * The features of an element: its parent's (the file's, the enclosing message's), overridden by what its own
 * options set. Returns `parent` itself when the options set none of them: most
 * elements set nothing, and one object per field would be garbage.
 */
export function resolveFeatures(parent: Features, options: readonly OptionNode[]): Features {
  let out: { -readonly [K in keyof Features]: Features[K] } | undefined;
  const set = (option: string, written: string): void => {
    const feature = FEATURES.get(option);
    let value = valueOf(option, written);
    // A name the feature lacks is an error, not a change of presence or encoding: it is ignored here.
    if (value !== undefined && !isNamedValue(option, value)) value = feature?.unknownAs;
    if (feature?.key && value !== undefined) (out ??= { ...parent })[feature.key] = value as never;
  };
  forEachFeature(options, set);
  return out ?? parent;
}
