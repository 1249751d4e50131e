/** `word` for one of it, `plural` (by default `word` + "s") for any other count: output reads "1 finding", "2 findings". */
export function plural(n: number, word: string, pluralForm = `${word}s`): string {
  return n === 1 ? word : pluralForm;
}

/** `n` and its noun: "1 finding", "0 findings". */
export function counted(n: number, word: string, pluralForm?: string): string {
  return `${n} ${plural(n, word, pluralForm)}`;
}
