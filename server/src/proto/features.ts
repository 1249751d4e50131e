// Edition features (`edition = "2023";`), resolved as protoc resolves them, for what the model holds: a field's
// presence (its label), packed encoding and UTF-8 validation of strings, and whether an enum is closed. An editions
// file has no syntax defaults: proto3's implicit presence is `option features.field_presence = IMPLICIT;`, which is
// how protobuf's own migration keeps proto3 behaviour, so reading the features is what keeps such a migration from
// changing every field.

import type { OptionNode } from './ast';

export interface Features {
  readonly fieldPresence: 'EXPLICIT' | 'IMPLICIT' | 'LEGACY_REQUIRED';
  readonly repeatedFieldEncoding: 'PACKED' | 'EXPANDED';
  readonly enumType: 'OPEN' | 'CLOSED';
  /** NONE: a string field's parsers take any bytes, as proto2's do (protobuf.dev, "Feature Settings for Editions"). */
  readonly utf8Validation: 'VERIFY' | 'NONE';
}

/** The defaults of editions 2023 and 2024 (they agree on these features). */
export const EDITION_DEFAULTS: Features = { fieldPresence: 'EXPLICIT', repeatedFieldEncoding: 'PACKED', enumType: 'OPEN', utf8Validation: 'VERIFY' };

/** An element other than the file that may carry options with features. */
export type FeatureTarget = 'message' | 'oneof' | 'field' | 'enum';

/**
 * Each feature's option name, the values protoc knows for it, and the one element besides the file that may set it
 * (its `targets` in descriptor.proto): protoc refuses the others ("unsupported option target"), so a message or a
 * oneof never sets any of these for its fields, nor for its enums.
 */
const FEATURES = new Map<string, { key: keyof Features; values: readonly string[]; target: FeatureTarget }>([
  ['field_presence', { key: 'fieldPresence', values: ['EXPLICIT', 'IMPLICIT', 'LEGACY_REQUIRED'], target: 'field' }],
  ['repeated_field_encoding', { key: 'repeatedFieldEncoding', values: ['PACKED', 'EXPANDED'], target: 'field' }],
  ['enum_type', { key: 'enumType', values: ['OPEN', 'CLOSED'], target: 'enum' }],
  ['utf8_validation', { key: 'utf8Validation', values: ['VERIFY', 'NONE'], target: 'field' }],
]);

/** The features of FEATURES that `options` of a `target` set although protoc refuses them there, with the option. */
export function misplacedFeatures(options: readonly OptionNode[], target: FeatureTarget): { feature: string; option: OptionNode }[] {
  const out: { feature: string; option: OptionNode }[] = [];
  forEachFeature(options, (feature, _value, option) => {
    const known = FEATURES.get(feature);
    if (known && known.target !== target) out.push({ feature, option });
  });
  return out;
}

/** Whether `options` set `feature` (`utf8_validation`), one at a time or in an aggregate. */
export function setsFeature(options: readonly OptionNode[], feature: string): boolean {
  return ownFeature(options, feature) !== undefined;
}

/** The value `features` resolve `feature` (its option name, `utf8_validation`) to; undefined for a feature not modelled. */
export function featureValue(features: Features, feature: string): string | undefined {
  const known = FEATURES.get(feature);
  return known && features[known.key];
}

/** The option by which `options` set `feature` themselves, with the value it gives; undefined where they do not. */
export function ownFeature(options: readonly OptionNode[], feature: string): { value: string; option: OptionNode } | undefined {
  let found: { value: string; option: OptionNode } | undefined;
  forEachFeature(options, (f, value, option) => { if (f === feature) found = { value, option }; });
  return found;
}

/**
 * Calls `each` for every feature `options` set, one at a time (`features.field_presence = IMPLICIT`) or in one
 * aggregate (`features = { field_presence: IMPLICIT }`); a callback, as most elements set none and are many.
 */
function forEachFeature(options: readonly OptionNode[], each: (feature: string, value: string, option: OptionNode) => void): void {
  for (const o of options) {
    if (o.name.startsWith('features.')) each(o.name.slice('features.'.length), o.value, o);
    else if (o.name === 'features') for (const m of o.value.matchAll(/\b(\w+)\s*:\s*(\w+)/g)) each(m[1]!, m[2]!, o);
  }
}

/**
 * The features of an element: its parent's (the file's, the enclosing message's), overridden by what its own
 * options set. Returns `parent` itself when the options set none of them: most
 * elements set nothing, and one object per field would be garbage.
 */
export function resolveFeatures(parent: Features, options: readonly OptionNode[]): Features {
  let out: { -readonly [K in keyof Features]: Features[K] } | undefined;
  const set = (option: string, value: string): void => {
    const feature = FEATURES.get(option);
    // An unknown value is protoc's error, not a change of presence or encoding: it is ignored here.
    if (feature?.values.includes(value)) (out ??= { ...parent })[feature.key] = value as never;
  };
  forEachFeature(options, set);
  return out ?? parent;
}
