// The compatibility report as markdown: baseline, findings by category, additions, and the skew matrix
// for the release being prepared. Used by the "CRI: Show Compatibility Report" command and `cri-compat report`.
// Everything that comes from the edited file is escaped: a hostile file must not inject markup.

import type { Category, Finding } from '../compat/finding';
import type { Addition } from '../compat/compare';
import type { Baseline } from '../baseline/types';
import type { Problem } from '../proto/binder';
import { comparePositions, type Range } from '../proto/ast';
import { RULES_BY_ID, ruleHelpLink } from '../compat/rules';
import { SKEW, compareTags, firstMinorOfMajor, laterPatches, majorVersion, parseAnyTag, parseGoTag, shipTarget, span, targetMinor, whoLacks } from '../policy/versions';
import { lackingPrereleases, releasedWithout, runtimesBuiltFrom } from '../baseline/historyCommand';
import { CRI_SKEW_POLICY_URL } from '../policy/links';
import { enumSides } from '../policy/lacking';
import { indexModel } from '../proto/model';
import { oneLine } from './formats';
import { counted, plural } from '../plural';

export interface ReportInput {
  file: string;
  /** Link target for a position, e.g. a command URI in the editor or `file#Lnn` in the CLI. */
  linkTo?: (line: number, character: number) => string;
  /** Link target for a rule id, e.g. a command URI that explains it in the editor; default its policy page. */
  ruleLink?: (ruleId: string) => string;
  baseline?: Baseline;
  findings: Finding[];
  additions: Addition[];
  /** Syntax and binding problems of the file (the binder's); a file that does not parse has no findings. */
  problems?: readonly Problem[];
  /** Where the report is shown, for the advice when no baseline is found; default `editor`. */
  host?: 'editor' | 'cli';
  /** The file's package (`bound.model.package`). */
  package?: string;
  /**
   * Why the file is not the CRI API (compat/criFile.ts: notCriApi): without a baseline, the report then says that
   * no compatibility checks apply, instead of asking for a baseline.
   */
  notCriApi?: string;
  /** The editor's criCompat.baseline, when set: without a baseline, it is the setting that could not be used. */
  baselineSetting?: string;
  /**
   * The editor is still looking for the baseline: without one yet, the report says so (and is shown again once it
   * is found), not that none was found nor that the setting could not be used.
   */
  resolving?: boolean;
}

const CATEGORY_TITLES: Record<Category, string> = {
  WIRE: 'Wire (protobuf binary, kubelet ↔ runtime)',
  JSON: 'JSON (crictl and other tools)',
  GO_SOURCE: 'Go source (k8s.io/cri-api users)',
  SEMANTIC: 'Semantics (meaning, value formats, call order)',
  DOCS: 'Documentation and call sequence',
  POLICY: 'Policy',
};

/**
 * A backslash before only what would start markup, so that the text reads as written in a markdown viewer and as
 * plain text (no HTML entities, which markdown shows literally outside HTML): `|` (table cells), `` ` ``, `*`, `~`,
 * brackets, `_` at a word's edge (snake_case stays), `<` that may open a tag or an autolink, `&` that may start an
 * entity, a backslash that would escape what follows, and `#`, `>`, `+` or `-` starting the text (a heading, quote
 * or list where it starts a line or a list item). Any character past ASCII counts as a letter next to `_`: a Unicode
 * property class (`\p{L}`) cost every CLI run, which loads this module, 1 % more instructions. Line ends and other
 * controls become a space: one line per table row (CommonMark also ends a line at a lone CR), and no bidirectional
 * override or isolate to show what follows in another order. One pass: a report of a large broken file escapes
 * hundreds of thousands of messages.
 */
const MARKDOWN_ESCAPES = /^[ \t]*[#>+-]|\r\n|[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[`*|~[\]]|(?<![A-Za-z0-9\u0080-\uffff])_|_(?![A-Za-z0-9\u0080-\uffff])|<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;)|\\(?=[!-/:-@[-`{-~]|$)/g;

/** Escapes text for markdown: what it shows is the text. */
export function escapeMarkdown(s: string): string {
  return s.replace(MARKDOWN_ESCAPES, (m) => {
    if (m === '\r\n' || (m.length === 1 && !(m > ' ' && m < '\x7f'))) return ' ';
    return `${m.slice(0, -1).replace(/\t/g, ' ')}\\${m.at(-1)}`;
  });
}

/** Tables list rows in the order of the file, as `check` does. */
function byPosition<T extends { range: Range }>(xs: readonly T[]): T[] {
  return [...xs].sort((a, b) => comparePositions(a.range.start, b.range.start));
}

/** What the CLI and the report say of a file with syntax errors. */
export function notFullyChecked(file: string, syntaxErrors: number): string {
  return `${file} has ${counted(syntaxErrors, 'syntax error')}, so its compatibility was not fully checked`;
}

export function renderReport(input: ReportInput): string {
  const out: string[] = [];
  const esc = escapeMarkdown;
  const where = (r: Range): string => {
    const line = r.start.line + 1;
    return input.linkTo ? `[${line}](${input.linkTo(r.start.line, r.start.character)})` : `${line}`;
  };
  out.push(`# CRI compatibility report`, '');
  // A file name may hold anything, line breaks included, which would end the code span and start markup.
  out.push(`File: \`${oneLine(input.file).replace(/`/g, "'")}\``, '');
  if (input.baseline) {
    const b = input.baseline;
    out.push(`Baseline: **${esc(b.tag)}**${b.kubernetes ? ` (Kubernetes ${esc(b.kubernetes)})` : ''}, from ${esc(b.origin)}.`, '');
  }
  const pkg = input.package?.replace(/^\./, '');
  // Without a baseline nothing but parsing and binding runs (service.ts: analyze); a file that is not the CRI
  // API has no release to be compared with at all.
  const notCri = !input.baseline && input.notCriApi !== undefined;
  if (notCri) {
    out.push(`Not a CRI API file: ${input.notCriApi}. No baseline applies and no compatibility checks apply; only syntax and binding were checked.`, '');
  } else if (!input.baseline) {
    const advice = input.host === 'cli' ? 'Pass `--against <tag|path>`.' : 'Set `criCompat.baseline` or run "CRI: Select Baseline…".';
    // The editor compares only current API versions; `cri-compat check` takes runtime.v1alpha2's releases too.
    const removed = input.host !== 'cli' && pkg === 'runtime.v1alpha2'
      ? 'Baseline: none. The editor does not compare `runtime.v1alpha2`, which Kubernetes 1.26 removed, with releases, so only syntax and binding checks ran; `cri-compat check --against <tag>` compares it with its releases.'
      : undefined;
    // As a file name is written: a code span that the value cannot end.
    const set = input.baselineSetting?.trim() && oneLine(input.baselineSetting.trim()).replace(/`/g, "'");
    const unusable = set
      ? `Baseline: criCompat.baseline is \`${set}\`, which could not be used (the "CRI API Compatibility" output says why), so only syntax and binding checks ran: the compatibility, documentation and policy checks all need one. Change it, clear it for the automatic baseline, or run "CRI: Select Baseline…".`
      : undefined;
    const looking = input.resolving
      ? 'Baseline: still being looked for, so only syntax and binding checks have run so far: the compatibility, documentation and policy checks follow once it is found, and this report with them.'
      : undefined;
    out.push(removed ?? looking ?? unusable ?? `Baseline: none found, so only syntax and binding checks ran: the compatibility, documentation and policy checks all need one. ${advice}`, '');
  }
  const problems = byPosition(input.problems ?? []);
  const breaking = input.findings.filter((f) => RULES_BY_ID.get(f.rule)?.breaking);
  // Nothing compared (no baseline, so no findings or additions): counts, "No findings" and "None" would claim a clean
  // file.
  if (!input.baseline && !input.findings.length && !input.additions.length) {
    out.push(problems.length ? `**${problems.length}** syntax or binding ${plural(problems.length, 'problem')}.` : 'No syntax or binding problems.', '');
    if (problems.length) problemTable(out, problems, where);
    return out.join('\n');
  }
  // Problems are counted first and only when there are any, so a clean file's report reads as before.
  const problemCount = problems.length ? `**${problems.length}** syntax or binding ${plural(problems.length, 'problem')}, ` : '';
  out.push(`${problemCount}**${breaking.length}** breaking ${plural(breaking.length, 'finding')}, **${input.findings.length}** ${plural(input.findings.length, 'finding')} in all, **${input.additions.length}** ${plural(input.additions.length, 'addition')}.`, '');
  // What the parser skipped to recover is missing from the comparison, as `cri-compat check` says too.
  const syntax = problems.filter((p) => p.code === 'syntax').length;
  if (syntax && input.baseline) out.push(`> ${notFullyChecked('The file', syntax)}: what the parser had to skip is missing from the comparison, and may show as deleted. Fix them first.`, '');

  if (problems.length) problemTable(out, problems, where);

  // The editor shows the first rows of each table, as many as it shows diagnostics: a hostile or broken file
  // can have hundreds of thousands, tens of MB of markup that the view renders for seconds and says no more.
  const rows = input.host === 'cli' ? Infinity : MAX_TABLE_ROWS;
  const notListed = (total: number): void => {
    if (total > rows) out.push('', `… and ${total - rows} more, not listed here (\`cri-compat report\` lists them all).`);
  };
  out.push('## Findings', '');
  if (!input.findings.length) out.push('No findings.', '');
  for (const cat of Object.keys(CATEGORY_TITLES) as Category[]) {
    const fs = input.findings.filter((f) => f.category === cat);
    if (!fs.length) continue;
    out.push(`### ${CATEGORY_TITLES[cat]}`, '');
    out.push('| Line | Severity | Rule | Finding |', '|---|---|---|---|');
    for (const f of byPosition(fs).slice(0, rows)) {
      const rule = RULES_BY_ID.get(f.rule);
      // Breaking is the rule's, not the severity's (a removal without deprecation breaks as a warning): the rows say
      // which findings the summary counts as breaking.
      // The editor's explanation of a rule links its page; else the page every other output links (ruleHelpLink).
      const link = (rule && input.ruleLink?.(rule.id)) ?? ruleHelpLink(f.rule);
      out.push(`| ${where(f.range)} | ${f.severity}${rule?.breaking ? ', breaking' : ''} | ${link ? `[${f.rule}](${link})` : f.rule} | ${esc(f.message)} |`);
    }
    notListed(fs.length);
    out.push('');
  }

  out.push('## Additions since the baseline', '');
  // With an old baseline, later releases may have some of them already: those are not the release's to ship.
  const releasedIn = (a: Addition): string | undefined => releasedAfter(input.baseline, a.element);
  if (!input.additions.length) out.push('None.', '');
  else {
    const anyReleased = input.additions.some((a) => releasedIn(a) !== undefined);
    out.push(anyReleased ? '| Line | Kind | Element | Released in |' : '| Line | Kind | Element |', anyReleased ? '|---|---|---|---|' : '|---|---|---|');
    for (const a of byPosition(input.additions).slice(0, rows)) {
      out.push(`| ${where(a.range)} | ${a.kind} | ${esc(a.element)} |${anyReleased ? ` ${releasedIn(a) ?? 'not yet'} |` : ''}`);
    }
    notListed(input.additions.length);
    out.push('');
  }

  const unreleased = input.additions.filter((a) => releasedIn(a) === undefined);
  out.push(...skewMatrix(input.baseline, unreleased.length > 0, sentToOlderKubelets(input.baseline, unreleased)));
  return out.join('\n');
}

/**
 * The rows of a table: of problems, the first ones, as many as the editor shows as diagnostics (a text that does
 * not parse can have hundreds of thousands, which say no more than the first ones; `cri-compat parse` lists
 * them all); of findings and additions, the same in the editor's report only.
 */
export const MAX_TABLE_ROWS = 1000;

/** Appends the table to `out` (pushed row by row: more rows than a spread's arguments may be). */
function problemTable(out: string[], problems: readonly Problem[], where: (r: Range) => string): void {
  out.push('## Syntax and binding problems', '');
  out.push('| Line | Severity | Code | Problem |', '|---|---|---|---|');
  for (const p of problems.slice(0, MAX_TABLE_ROWS)) out.push(`| ${where(p.range)} | ${p.severity} | ${escapeMarkdown(p.code)} | ${escapeMarkdown(p.message)} |`);
  const more = problems.length - MAX_TABLE_ROWS;
  if (more > 0) out.push('', `… and ${more} more, not listed here (\`cri-compat parse\` lists them all).`);
  out.push('');
}

/**
 * New values of released enums that replies carry: a runtime that has them can send them to an older kubelet, which
 * reads them as unknown numbers (the hover says so of each).
 */
function sentToOlderKubelets(baseline: Baseline | undefined, additions: readonly Addition[]): string[] {
  if (!baseline) return [];
  const enums = indexModel(baseline.model).enums;
  return additions
    .filter((a) => a.kind === 'enumValue' && enums.has(a.element.slice(0, a.element.lastIndexOf('.'))) && enumSides(baseline.model, a.element).response)
    .map((a) => a.element);
}

/** The release after `baseline` that first had `element`, when the history has it and it was there since. */
function releasedAfter(baseline: Baseline | undefined, element: string): string | undefined {
  const h = baseline?.history?.element(element);
  return h && compareTags(h.introduced, baseline!.tag) > 0 ? h.introduced : undefined;
}

/**
 * A row or column of the skew matrix: a minor, or part of one where its parts differ: when the changes ship in a
 * patch release of it, the part before that patch (`has` false) and the part from it on; when pre-releases of it
 * lack them (cut before them, or of a minor not released yet) or speak the API where its releases do not
 * (runtime.v1alpha2's 1.26 alphas), those pre-releases and the rest.
 */
interface SkewSide {
  minor: number;
  /** The side has the new elements. */
  has: boolean;
  /** The side speaks the baseline's API major version. */
  speaks: boolean;
  /** The kubelet's row header and the runtime's column header (what the runtimes are built from: `cri-api v0.N`). */
  kubelet: string;
  runtime: string;
}

/**
 * Kubelet × runtime minors around the release being prepared (`shipTarget`: the file's own release, the next
 * patch of its release line, else the next minor without a release).
 * Rows are kubelets 1.K, columns runtimes built from cri-api v0.N. Cells say whether the pair must work and,
 * when there are additions, which side has them; minors before the first of the baseline's API major version
 * do not speak it at all. The runtimes that lack the changes are those the hover names (`whoLacks`, with the
 * history's `lackingPrereleases`): when the changes ship in a patch v0.N.M (M > 0), the earlier patches of minor N,
 * and the pre-releases cut before the release or of a minor not released yet; a minor gets a row and a column
 * for each part only where its parts differ.
 */
export function skewMatrix(baseline: Baseline | undefined, hasAdditions: boolean, sentBack: readonly string[] = []): string[] {
  const target = baseline && shipTarget(baseline);
  if (!target || !baseline) return [];
  const { minor: next, exact: own } = target;
  const pkg = baseline.model.package;
  const first = firstMinorOfMajor(pkg);
  const removed = majorVersion(pkg)?.removedInMinor;
  const speaks = (m: number): boolean => (first === undefined || m >= first) && (removed === undefined || m < removed);
  if (removed !== undefined && next >= removed) {
    // runtime.v1alpha2: no minor release after its removal has it, so there is no release for the changes and no matrix.
    // Pre-releases count as releases: runtime.v1alpha2 is still in v0.26.0-alpha.0 … alpha.3, which the history shows.
    const early = baseline.history?.releases.filter((r) => r.prerelease && parseAnyTag(r.tag)?.minor === removed) ?? [];
    const hadIt = early.length ? ` (of 1.${removed}, only the pre-releases ${span(early[0]!.tag, early.at(-1)!.tag)} had it)` : '';
    return ['## Version skew', '',
      `Kubernetes 1.${removed} removed ${escapeMarkdown(pkg)}: no kubelet or runtime of a 1.${removed} release or later speaks it${hadIt}, so the changes cannot ship in a minor release; ` +
      `only a patch release of 1.${removed - 1} or earlier could carry them, and patch releases should not change the API ([policy](${CRI_SKEW_POLICY_URL})).`, ''];
  }
  // The release the changes ship in, and the pre-releases of the history that lack them, as the hover finds them.
  const ship = own ?? parseGoTag(`v0.${next}.0`)!;
  const runs = lackingPrereleases(baseline.history, ship.goTag, true);
  const lacks = whoLacks(ship.goTag, first ?? 0, removed, runs, releasedWithout(baseline.history, ship.goTag));
  const lacking = lacks.runtimes;
  // A patch of an older release line: the minors after it are released already, without the changes (`whoLacks`);
  // the minors to come have them, as for any change.
  const later = hasAdditions ? lacking?.later : undefined;
  const releasedBefore = (m: number): boolean => later !== undefined && m >= later.min && m <= later.max;
  // Kubelets that have the changes meet pre-releases that lack them up to 3 minors after those: the matrix reaches
  // as far as the hover's kubelets (1.40 for pre-releases of 1.37 that lack changes shipping in 1.36.4).
  const upper = Math.max(next + SKEW, hasAdditions ? lacks.kubelets?.max ?? 0 : 0);
  const kube = (tag: string): string => parseAnyTag(tag)!.kubernetes;
  const sides: SkewSide[] = [];
  const parts: string[] = [];
  for (let m = next - SKEW; m <= upper; m++) {
    const run = runs.find((r) => r.minor === m);
    // Without additions no pair differs in what it has: only a difference in the API spoken splits a minor.
    const lackingPatch = hasAdditions && m === next && lacking?.max === next ? lacking.maxPatch : undefined;
    // The rest of the minor: from the release the changes ship in when they ship in this minor, else every release
    // after its pre-releases. Only the rest of its own release line: the minors after it are sides of their own.
    const rest = (has: boolean): SkewSide => (m === ship.minor
      ? { minor: m, has, speaks: speaks(m), kubelet: laterPatches(ship.kubernetes, `1.${m}`), runtime: `cri-api ${laterPatches(ship.goTag, `v0.${m}`)}` }
      : { minor: m, has, speaks: speaks(m), kubelet: `1.${m} after ${kube(run!.last)}`, runtime: `cri-api v0.${m} after ${run!.last}` });
    if (lackingPatch !== undefined || (run && m === ship.minor && hasAdditions)) {
      // Shipped in a patch v0.N.M, or in v0.N.0 after pre-releases of it: the part of minor N before it lacks them.
      const kubelet = span(lackingPatch !== undefined ? `1.${m}.0` : kube(run!.first), run ? kube(run.last) : `1.${m}.${lackingPatch}`);
      const runtime = lackingPatch !== undefined
        ? runtimesBuiltFrom(baseline.history, { min: m, max: m, maxPatch: lackingPatch, ...(run ? { prereleases: [run] } : {}) })
        : `cri-api ${span(run!.first, run!.last)}`;
      sides.push({ minor: m, has: false, speaks: speaks(m), kubelet, runtime }, rest(true));
      const lead = lackingPatch !== undefined ? 'The changes ship in a patch release' : `The pre-releases of 1.${m} in the history came before the changes`;
      parts.push(`${lead}, so Kubernetes 1.${m} has two rows and two columns: ${kubelet} (${runtime}), which lack them, and ${ship.kubernetes} (cri-api ${ship.goTag}) and later patches of 1.${m}.`);
    } else if (run && ((hasAdditions && m >= next) || !speaks(m))) {
      // Pre-releases of a later minor: they lack the changes its releases will have, or still speak the API it removed.
      const pre: SkewSide = { minor: m, has: false, speaks: true, kubelet: span(kube(run.first), kube(run.last)), runtime: `cri-api ${span(run.first, run.last)}` };
      const why = [...(hasAdditions ? ['lack them'] : []), ...(!speaks(m) ? [`still speak ${escapeMarkdown(pkg)}`] : [])].join(' and ');
      sides.push(pre, rest(m >= next));
      parts.push(`Kubernetes 1.${m} has two rows and two columns: its pre-releases ${pre.kubelet} (${pre.runtime}), which ${why}, and the rest of 1.${m}.`);
    } else sides.push({ minor: m, has: m >= next && !releasedBefore(m), speaks: speaks(m), kubelet: `1.${m}`, runtime: runtimesBuiltFrom(baseline.history, { min: m, max: m }) });
  }
  const out = ['## Version skew', ''];
  const planned = targetMinor(baseline.tag)!;
  const released = planned < next ? ` at the earliest (Kubernetes ${planned === next - 1 ? `1.${planned} is` : `1.${planned}–1.${next - 1} are`} already released)` : '';
  const ships = own ? `Kubernetes ${own.kubernetes} (cri-api ${own.goTag})` : `Kubernetes 1.${next} (cri-api v0.${next}.0)${released}`;
  out.push(`The changes would ship in ${ships}. A kubelet must work with runtimes of the same API major version up to ${SKEW} minor versions older or newer ([policy](${CRI_SKEW_POLICY_URL})).`, '');
  const twoParts = parts.map((x) => ` ${x}`).join('');
  // Releases with no Go module tag (1.15.0–1.15.6, 1.16.0–1.16.3, minors before the history) are named otherwise.
  const untagged = sides.some((s) => s.runtime.includes('the CRI API of Kubernetes'));
  const named = untagged ? 'named by what they are built from: a cri-api version, or the CRI API of a Kubernetes release that has no cri-api Go module tag' : 'named by the cri-api version they are built from';
  out.push(`Rows are kubelets (Kubernetes 1.K); columns are runtimes, ${named}.${twoParts}`, '');
  const before = sides.some((s) => !s.speaks)
    ? ` × not a pair of this API: ${sides.some((s) => first !== undefined && s.minor < first) ? `${escapeMarkdown(pkg)} came in Kubernetes 1.${first}` : `Kubernetes 1.${removed} removed ${escapeMarkdown(pkg)}`}, so one side does not speak it;`
    : '';
  // Pre-releases of a later minor lack the changes too, though not older than the release that ships them.
  const splitShip = sides.filter((x) => x.minor === ship.minor).length > 1;
  const oldest = `${splitShip ? ship.kubernetes : `1.${next}`}${later ? `, or of ${span(`1.${later.min}`, `1.${later.max}`)}, released before them` : ''}${sides.some((x) => !x.has && x.minor > ship.minor && !releasedBefore(x.minor)) ? ', or pre-releases cut before them' : ''}`;
  out.push(hasAdditions
    ? `Legend: ✓ supported, both sides have the new elements; ◐ supported, the runtime lacks them, so the kubelet must degrade gracefully; ${sentBack.length ? `○ supported, the runtime has them and the kubelet does not: it ignores what is new, except new values of enums that replies carry (${sentBack.map(escapeMarkdown).join(', ')}), which it receives as unknown numbers` : '○ supported, the runtime has them but the kubelet does not use them'}; · supported, neither side has them (both are older than ${oldest}), so nothing changes for the pair;${before} — outside the skew window.`
    : `Legend: ✓ supported (no additions since the baseline, so no pair has to degrade);${before} — outside the skew window.`, '');
  out.push(`| kubelet \\ runtime | ${sides.map((r) => r.runtime).join(' | ')} |`);
  out.push(`|---|${sides.map(() => '---').join('|')}|`);
  for (const k of sides) {
    const cells = sides.map((r) => {
      if (Math.abs(k.minor - r.minor) > SKEW) return '—';
      if (!k.speaks || !r.speaks) return '×';
      if (!hasAdditions) return '✓';
      if (k.has && r.has) return '✓';
      if (k.has) return '◐';
      if (r.has) return '○';
      return '·';
    });
    out.push(`| **${k.kubelet}** | ${cells.join(' | ')} |`);
  }
  out.push('');
  return out;
}
