// The options declared on a definition that the model has no property for (`[debug_redact = true]`): the history
// reports a change of them, and a restore fix writes them back. Kept aside for definitions without a syntax node
// (models rebuilt from the release index), so both kinds of model answer alike.

/** Options other facts already hold: `deprecated` everywhere, `json_name` and `packed` on fields. */
const MODELLED_OPTIONS = new Set(['deprecated', 'json_name', 'packed']);

type OptionCarrier = { node?: { options?: readonly { name: string; value: string }[] } };

/** Options of definitions that have no syntax node: models rebuilt from an index, and detached ones. */
const optionsWithoutNode = new WeakMap<object, string[]>();

/**
 * The options declared on a definition that the model has no property for, as sorted `name=value` strings
 * (`debug_redact=true`), each value as the parser read it (its tokens one space apart), aggregates (`{ a: 1 }`)
 * included: a restore from the index writes them back, and they are few (no release has one but `debug_redact`).
 * Works for parsed models (from the syntax node) and for models from a history (`modelAt`), so both encode the same.
 */
export function declaredOptions(def: object): string[] {
  const known = optionsWithoutNode.get(def);
  if (known) return known;
  const opts = (def as OptionCarrier).node?.options;
  if (!opts?.length) return [];
  const out: string[] = [];
  for (const o of opts) {
    if (MODELLED_OPTIONS.has(o.name)) continue;
    out.push(`${o.name}=${o.value.trim()}`);
  }
  return out.sort();
}

/**
 * The options of `declaredOptions` as a restore writes them back (`debug_redact = true`), with the released text of
 * each value, features left out (the restore says them as the file it goes into accepts them): in the release's
 * order where the definition has its syntax node, sorted from the index.
 */
export function restorableOptions(def: object): string[] {
  const opts = (def as OptionCarrier).node?.options;
  const all = opts ? opts.filter((o) => !MODELLED_OPTIONS.has(o.name)).map((o) => `${o.name} = ${o.value.trim()}`)
    : declaredOptions(def).map(formatOption);
  return all.filter((o) => !/^features\b/.test(o));
}

/** `debug_redact=true` → `debug_redact = true`, for reports. */
export function formatOption(option: string): string {
  const k = option.indexOf('=');
  return k < 0 ? option : `${option.slice(0, k)} = ${option.slice(k + 1)}`;
}

export function keepOptions(def: object, options: string[]): void {
  if (options.length) optionsWithoutNode.set(def, options);
}
