// Runs every rule family against the baseline, then applies suppressions and severity settings.

import type { BoundFile, Severity } from '../proto/binder';
import { comparePositions, type ProtoFile, type Range } from '../proto/ast';
import type { Baseline } from '../baseline/types';
import type { Category, Finding, FixData } from './finding';
import { compareModels, type Addition, type DuplicateNumber } from './compare';
import { checkHistoryReuse, ENUM_NUMBERS, FIELD_NUMBERS, formerNumbers, formerNumberTitle, FreeNumbers, labelsIn, takenNumbers } from './reuse';
import { checkDocs } from '../docs/docRules';
import type { ModelIndex } from '../proto/model';
import { applySuppressions, findSuppressions } from './suppress';
import { getRule, meantRuleId, RULES, RULES_BY_ID } from './rules';
import { isPatchRelease, parseAnyTag } from '../policy/versions';
import { counted } from '../plural';

export type SeveritySetting = Severity | 'off';

export interface CheckOptions {
  /** Severity overrides keyed by rule id or category; a rule id wins over its category. */
  severity?: Record<string, SeveritySetting>;
  /**
   * The release the current file is, when the caller knows it (`--current-tag`, `pairs TAG=FILE`): enables the
   * patch-release policy and bounds the history. Wins over the baseline's own `release`.
   */
  currentTag?: string;
}

export interface CheckResult {
  findings: Finding[];
  /** Non-breaking additions since the baseline: shown in the report, not as diagnostics. */
  additions: Addition[];
  /** New fields on the number of a released field still there, with the fix of the binder's duplicate-number. */
  duplicates: DuplicateNumber[];
}

export function checkCompatibility(text: string, bound: BoundFile, baseline: Baseline, options: CheckOptions = {}): CheckResult {
  const current = bound.model;
  const base = Object.assign({}, baseline.model, { tag: baseline.tag });
  const compared = compareModels(current, base, baseline.tag);
  const { additions, newOnReleasedNumbers, duplicates, renamed, currentIndex } = compared;
  const findings = bound.ast.errors.length ? withoutUnsettledDeletions(compared.findings, bound.ast, currentIndex) : compared.findings;
  // The model has no syntax node for the package statement; the file does. A file without one is about the
  // whole file: its head, not the first message, which the comparison would name. A deletion from a file with no
  // top-level declaration left has nothing of its own to point at (the comparison gives the point 0:0, the `/*`
  // of api.proto's licence comment): it goes there too, so that the squiggle and the CLI's line are on code.
  const pkg = bound.ast.package?.nameRange ?? fileHead(bound.ast);
  for (const f of findings) {
    if (f.rule === 'PACKAGE_CHANGED' || (f.rule === 'GO_PACKAGE_CHANGED' && !current.goPackageNode) || isOrigin(f.range)) f.range = pkg;
  }
  // What the patch policy counts: structural changes and changed documented meaning, each once (DOCS findings
  // and history reuse restate additions and must not inflate the count).
  const changed = changedElements(findings, additions);
  const currentTag = options.currentTag ?? baseline.release;
  if (current.package === baseline.model.package) {
    // Without a known release for the file, the releases after the baseline count too: newer pre-releases
    // of the line being edited, or the releases after the one a maintenance line started from, whose numbers
    // are on nodes already (see checkHistoryReuse for the one exception).
    if (baseline.history) append(findings, checkHistoryReuse(current, base, baseline.history, currentTag, baseline.tag));
    const docs = checkDocs(current, base, [...additions, ...newOnReleasedNumbers], renamed, currentIndex);
    // Counted apart, so that a patch that only changed documentation is not said to change the API's shape.
    const meaning = new Set(docs.filter((f) => f.rule === 'DOC_MEANING_CHANGED' && !changed.has(f.element)).map((f) => f.element));
    append(findings, docs);
    attachNextFreeNumber(findings.filter((f) => RENUMBERED.has(f.rule) || f.rule === 'FIELD_NAME_REUSED_HISTORY'), duplicates, findings, bound, baseline);
    append(findings, patchPolicy(bound, baseline, currentTag, changed.size, meaning.size));
  }
  const kept = applySuppressions(findings, findSuppressions(text));
  return { findings: applySeverities(kept, options.severity), additions, duplicates };
}

/** A released field, enum value or rpc gone from its message, enum or service. */
const MEMBER_DELETIONS = new Set([
  'FIELD_NO_DELETE', 'FIELD_NO_DELETE_UNLESS_NAME_RESERVED', 'FIELD_REMOVED_WITHOUT_DEPRECATION',
  'ENUM_VALUE_NO_DELETE', 'ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED', 'ENUM_VALUE_REMOVED_WITHOUT_DEPRECATION', 'RPC_NO_DELETE',
]);

/**
 * `findings` without the deletions of members whose message, enum or service has a syntax error: the member is
 * likely the line being typed (`string` retyped as `bytes` is ` value = 2;` for a moment), which the parser could
 * not read, not a member deleted. Its deletion shows once the block parses; the syntax error shows meanwhile.
 */
function withoutUnsettledDeletions(findings: Finding[], ast: ProtoFile, index: ModelIndex): Finding[] {
  const broken = new Map<string, boolean>();
  const unsettled = (container: string): boolean => {
    let b = broken.get(container);
    if (b === undefined) {
      const range = (index.messages.get(container) ?? index.enums.get(container) ?? index.services.get(container))?.node?.range;
      b = !!range && ast.errors.some((e) => comparePositions(e.range.start, range.start) >= 0 && comparePositions(e.range.start, range.end) <= 0);
      broken.set(container, b);
    }
    return b;
  };
  return findings.filter((f) => !MEMBER_DELETIONS.has(f.rule) || !unsettled(f.element.slice(0, f.element.lastIndexOf('.'))));
}

/** Whether a range is the point 0:0, where the comparison puts what it has no place in the file for. */
function isOrigin(r: Range): boolean {
  return r.start.line === 0 && r.start.character === 0 && r.end.line === 0 && r.end.character === 0;
}

/** The `syntax` (or `edition`) statement, else the first declaration, else the start of the file. */
function fileHead(ast: ProtoFile): Range {
  const head = ast.syntax ?? ast.edition;
  if (head) return head.range;
  let first: Range | undefined;
  for (const list of [ast.imports, ast.options, ast.messages, ast.enums, ast.services, ast.extends]) {
    const r = list[0]?.range;
    if (r && (!first || comparePositions(r.start, first.start) < 0)) first = r;
  }
  return first ?? { start: ast.range.start, end: ast.range.start };
}

/**
 * The elements that changed. Per element, not per finding: one change can break several contracts (a deleted
 * field is both FIELD_NO_DELETE and FIELD_REMOVED_WITHOUT_DEPRECATION), and it is still one change.
 */
function changedElements(findings: readonly Finding[], additions: readonly Addition[]): Set<string> {
  const out = new Set<string>();
  for (const x of findings) out.add(x.element);
  for (const x of additions) out.add(x.element);
  return out;
}

/** `push(...xs)` passes every element as an argument and overflows the stack for huge files. */
function append<T>(to: T[], xs: readonly T[]): void {
  for (const x of xs) to.push(x);
}

/** The title of the "next free number" fix: `Give "frob_mode" the next free number 16`. */
function nextFreeNumberTitle(name: string, n: number): string {
  return `Give "${name}" the next free number ${n}`;
}

/** The findings that get the "next free number" fix: a number the baseline or an earlier release used. */
const RENUMBERED = new Set(['FIELD_NUMBER_REUSED', 'FIELD_NUMBER_REUSED_HISTORY', 'ENUM_VALUE_NUMBER_REUSED']);

/**
 * A reused number (`reused`: findings of RENUMBERED rules; `duplicates`: new fields on the number of a released field
 * still there, whose fix names the field it moves) gets the "next free number" fix: free in the current message
 * (enum), in the baseline's (its fields or values and reservations) and, with a history, in every release's. Several reuses in one message get successive numbers, one
 * sequence for all its rules, handed out in declaration order (each fix stays right when the others are applied
 * too). A field whose name the releases gave a number of its own gets that number instead, where it is free
 * (`formerNumbers`): any other would leave the name reused. So does a FIELD_NAME_REUSED_HISTORY finding (also in
 * `reused`), where the field's number reuses nothing: completion offers the same number (features/completion.ts).
 */
function attachNextFreeNumber(
  reused: { rule: string; element: string; fixes?: FixData[] }[], duplicates: DuplicateNumber[], findings: readonly Finding[], bound: BoundFile, baseline: Baseline,
): void {
  const byContainer = new Map<string, { rule?: string; element: string; fixes?: FixData[] }[]>();
  for (const f of [...reused, ...duplicates]) {
    const fqn = f.element.slice(0, f.element.lastIndexOf('.'));
    const list = byContainer.get(fqn);
    if (list) list.push(f);
    else byContainer.set(fqn, [f]);
  }
  if (!byContainer.size) return;
  // Two released fields that swapped numbers go back to their own (FIELD_NUMBER_CHANGED's swap): a free number
  // would move one of them a second time, a break of its own.
  const swapped = new Set(findings.filter((f) => f.rule === 'FIELD_NUMBER_CHANGED' && f.fixes?.some((x) => x.kind === 'renumber' && x.swap !== undefined)).map((f) => f.element));
  const messages = new Map(bound.model.messages.map((m) => [m.fqn, m]));
  const baseMessages = new Map(baseline.model.messages.map((m) => [m.fqn, m]));
  const enums = new Map(bound.model.enums.map((e) => [e.fqn, e]));
  const baseEnums = new Map(baseline.model.enums.map((e) => [e.fqn, e]));
  const history = baseline.history;
  for (const [fqn, list] of byContainer) {
    // A reuse finding's element is a field of a message or a value of an enum, never both (one name per scope).
    const msg = messages.get(fqn);
    const en = msg ? undefined : enums.get(fqn);
    if (!msg && !en) continue;
    const uses = (msg ? history?.fieldUses(fqn) : history?.enumValueUses(fqn)) ?? [];
    const { inFiles, all } = takenNumbers(msg ?? en!, msg ? baseMessages.get(fqn) : baseEnums.get(fqn), uses);
    const free = new FreeNumbers(all, msg ? FIELD_NUMBERS : ENUM_NUMBERS);
    const members: readonly { name: string }[] = msg ? msg.fields : en!.values;
    const position = new Map(members.map((x, i) => [`${fqn}.${x.name}`, i]));
    const at = (f: { element: string }): number => position.get(f.element) ?? members.length;
    // One fix per field or value, whatever the number of its findings.
    const given = new Map<string, { to: number; label: string } | undefined>();
    const formerOf = msg && history && formerNumbers(uses, inFiles, labelsIn(history, fqn));
    const formerFor = (f: { element: string }): { to: number; label: string } | undefined => {
      const field = msg?.fields[at(f)];
      const former = field && formerOf?.(field);
      return former && { to: former.number, label: formerNumberTitle(field.name, former) };
    };
    const numberFor = (f: { element: string }): { to: number; label: string } | undefined => {
      const former = formerFor(f);
      if (former) return former;
      const next = free.next();
      if (next === undefined) return undefined;
      // The title names what moves, for every rule alike: the binder's duplicate-number may be on the released
      // field's line, declared after this one, and a reuse finding's fix may be offered with others for the line.
      return { to: next, label: nextFreeNumberTitle(f.element.slice(f.element.lastIndexOf('.') + 1), next) };
    };
    // An enum's value 0 is its default, and in proto3 its first value must be 0: no number to move it to.
    const isZero = (f: { element: string }): boolean => !!en && en.values[at(f)]?.number === 0;
    for (const f of [...list].sort((a, b) => at(a) - at(b))) {
      if (swapped.has(f.element) || isZero(f)) continue;
      // A name reused on a number no release used: only the name's own number mends it, and it takes no free one.
      if (f.rule === 'FIELD_NAME_REUSED_HISTORY') {
        const to = formerFor(f);
        if (to) f.fixes = [...(f.fixes ?? []), { kind: 'renumber', ...to }];
        continue;
      }
      if (!given.has(f.element)) given.set(f.element, numberFor(f));
      const to = given.get(f.element);
      if (to) f.fixes = [...(f.fixes ?? []), { kind: 'renumber', ...to }];
    }
  }
}

/**
 * Patch releases should not change the API: when the file is a patch release of the baseline's minor (`currentTag`,
 * `pairs`, HEAD at the tag), or is on a release line past the baseline (a release branch), whose changes ship in
 * the next patch.
 */
function patchPolicy(bound: BoundFile, baseline: Baseline, currentTag: string | undefined, shapeChanges: number, meaningChanges: number): Finding[] {
  if (!shapeChanges && !meaningChanges) return [];
  const changes = [
    ...(shapeChanges ? [counted(shapeChanges, 'API change')] : []),
    ...(meaningChanges ? [counted(meaningChanges, 'change of documented meaning', 'changes of documented meaning')] : []),
  ].join(' and ');
  const should = `patch releases should not change the API${meaningChanges ? ', its documented meaning included' : ''}`;
  const range = bound.ast.package?.range ?? bound.ast.range;
  const rule = getRule('PATCH_RELEASE_API_CHANGE');
  const make = (message: string): Finding => ({ rule: rule.id, category: rule.category, severity: rule.severity, range, element: bound.model.package, message });
  // Either form: `pairs kubernetes-1.36.3=a.proto kubernetes-1.36.4=b.proto` and `--current-tag` take both.
  const cur = currentTag ? parseAnyTag(currentTag) : undefined;
  const old = parseAnyTag(baseline.tag);
  if (cur) {
    // A pre-release of a patch (`v0.N.M-rc.K`, M > 0) is a patch release too, as `isPatchRelease` and the history summary count it.
    if (!old || cur.minor !== old.minor || !isPatchRelease(cur.tag)) return [];
    const what = cur.prerelease ? 'the patch pre-release' : 'the patch release';
    return [make(`${changes} between ${baseline.tag} and ${what} ${currentTag}; ${should}`)];
  }
  if (baseline.releaseLine !== undefined) {
    return [make(`${changes} since ${baseline.tag} on the 1.${baseline.releaseLine} release line, which ${shapeChanges + meaningChanges === 1 ? 'ships' : 'ship'} in a patch release; ${should}`)];
  }
  return [];
}

/**
 * `upper` over `lower` (settings or flags over .cri-compat.json). Within one source a rule id beats its
 * category; across sources the upper one wins, so its category also replaces the lower one's entries for that
 * category's rules (or `DOC_MISSING: error` in the file would outlive `DOCS: off` in the settings).
 */
export function layerSeverities(lower: Record<string, SeveritySetting>, upper: Record<string, SeveritySetting>): Record<string, SeveritySetting> {
  // No prototype: every key is an own entry (a `__proto__` key stays one, it does not set a prototype).
  const out: Record<string, SeveritySetting> = Object.assign(Object.create(null), lower);
  for (const r of RULES) if (upper[r.category] !== undefined) delete out[r.id];
  return Object.assign(out, upper);
}

/** The severity `overrides` give a rule of `category`: its own entry, else its category's; undefined for neither. */
export function overriddenSeverity(overrides: Record<string, SeveritySetting>, rule: string, category: string): SeveritySetting | undefined {
  return overrides[rule] ?? overrides[category];
}

export function applySeverities(findings: Finding[], overrides: Record<string, SeveritySetting> | undefined): Finding[] {
  if (!overrides || !Object.keys(overrides).length) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const s = overriddenSeverity(overrides, f.rule, f.category);
    if (s === 'off') continue;
    out.push(s ? { ...f, severity: s } : f);
  }
  return out;
}

/** How the binder's problem ids look (`syntax`, `unresolved-import`, `duplicate-number`); rule ids are UPPER_SNAKE. */
const PROBLEM_ID = /^(?:syntax|visibility|[a-z]+(?:-[a-z0-9]+)+)$/;

/** Why a problem's id takes no severity: the same words in the CLI, the config file and the editor's settings. */
export const FILE_PROBLEM_SEVERITY = 'a syntax or binding problem (syntax, unresolved-import, …) keeps its own severity; only rules and categories take one';

/**
 * Validates a severity map from settings, a flag or a config file; returns the problems found, at most
 * MAX_PROBLEMS and then how many more. Keys are quoted as JSON, cut short: a config file may be hostile, and its
 * line breaks or terminal controls must not reach an output or a log as they are.
 */
export function validateSeverityOverrides(o: Record<string, unknown>): string[] {
  const categories: Category[] = ['WIRE', 'JSON', 'GO_SOURCE', 'SEMANTIC', 'DOCS', 'POLICY'];
  const levels = ['error', 'warning', 'information', 'hint', 'off'];
  const problems: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (!RULES_BY_ID.has(k) && !categories.includes(k as Category)) {
      const guess = meantRuleId(k, categories);
      // The id of a syntax or binding problem (what protoc reports too): said so, rather than only "unknown". Their
      // severities are the file's validity, not a judgment of a change: an error is what protoc refuses.
      const problem = !guess && PROBLEM_ID.test(k) ? `: ${FILE_PROBLEM_SEVERITY}` : '';
      problems.push(`unknown rule or category ${quoteKey(k)}${guess ? ` (did you mean ${guess}?)` : problem}`);
    }
    if (typeof v !== 'string' || !levels.includes(v)) problems.push(`${quoteKey(k)}: severity must be one of ${levels.join(', ')}`);
  }
  return capped(problems);
}

/** The first ten of a list of problems, then how many more: a hostile config file may have thousands. */
export function capped(xs: string[]): string[] {
  return xs.length > 10 ? [...xs.slice(0, 10), `and ${xs.length - 10} more`] : xs;
}

/** A key as JSON (control characters escaped), at most 80 characters of it. */
export function quoteKey(k: string): string {
  return JSON.stringify(k.length > 80 ? `${k.slice(0, 80)}…` : k);
}
