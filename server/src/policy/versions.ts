// Version arithmetic for the CRI API: cri-api Go module tags (`v0.N.M[-alpha.K|-beta.K|-rc.K]`), Kubernetes
// release tags (`kubernetes-1.N.M…` in cri-api, `v1.N.M…` in kubernetes/kubernetes), the mapping between them,
// ordering, and the kubelet ↔ runtime skew window of the CRI API version skew policy (see links.ts).
// Pure functions only: no I/O, no state.

import type { SemVer } from 'semver';
import type { Release } from '../baseline/types';

// semver is loaded on first use, through its narrow entry points: loading it builds some forty regular
// expressions (its index also loads ranges and caches), and a CLI check against a file needs none of them.
/* eslint-disable @typescript-eslint/no-require-imports */
let semverParse: typeof import('semver/functions/parse') | undefined;
let semverCompare: typeof import('semver/functions/compare') | undefined;
function parseSemver(version: string): SemVer | null {
  return (semverParse ??= require('semver/functions/parse') as typeof import('semver/functions/parse'))(version);
}
function compareSemver(a: SemVer, b: SemVer): -1 | 0 | 1 {
  return (semverCompare ??= require('semver/functions/compare') as typeof import('semver/functions/compare'))(a, b);
}
/* eslint-enable @typescript-eslint/no-require-imports */

export type PrereleaseKind = 'alpha' | 'beta' | 'rc';

export interface ParsedVersion {
  /** The input, unchanged. */
  tag: string;
  /** Which form the input had. `go` = cri-api `v0.N.M`; `kubernetes` = `kubernetes-1.N.M`, `v1.N.M` or `1.N.M`. */
  form: 'go' | 'kubernetes';
  /** The Kubernetes minor N (the same number in both forms). */
  minor: number;
  patch: number;
  /** `alpha` / `beta` / `rc`, absent for a stable release. */
  prerelease?: PrereleaseKind;
  /** K of `-alpha.K`; absent for a stable release. */
  prereleaseNumber?: number;
  /** The Kubernetes version this tag stands for, e.g. `1.36.3` or `1.37.0-beta.0`. */
  kubernetes: string;
  /** The cri-api Go module tag for it, e.g. `v0.36.3`. */
  goTag: string;
  /** semver of the Kubernetes version (comparisons use this, so both forms order together). */
  semver: SemVer;
}

const PRE = '(?:-(alpha|beta|rc)\\.(0|[1-9]\\d*))?';
const GO_TAG = new RegExp(`^v0\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)${PRE}$`);
const KUBE_TAG = new RegExp(`^(?:kubernetes-|v)?1\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)${PRE}$`);

function build(tag: string, form: ParsedVersion['form'], m: RegExpExecArray): ParsedVersion | undefined {
  const minor = Number(m[1]);
  const patch = Number(m[2]);
  const pre = m[3] as PrereleaseKind | undefined;
  const suffix = pre ? `-${pre}.${m[4]}` : '';
  const kubernetes = `1.${minor}.${patch}${suffix}`;
  const sv = parseSemver(kubernetes);
  if (!sv) return undefined;
  const out: ParsedVersion = { tag, form, minor, patch, kubernetes, goTag: `v0.${minor}.${patch}${suffix}`, semver: sv };
  if (pre) {
    out.prerelease = pre;
    out.prereleaseNumber = Number(m[4]);
  }
  return out;
}

/** A cri-api Go module tag `v0.N.M[-alpha.K|-beta.K|-rc.K]`; undefined for anything else. */
export function parseGoTag(tag: string): ParsedVersion | undefined {
  const m = GO_TAG.exec(tag.trim());
  return m ? build(tag, 'go', m) : undefined;
}

/**
 * A Kubernetes release: `kubernetes-1.N.M[-pre]` (cri-api tags), `v1.N.M[-pre]` (kubernetes/kubernetes tags)
 * or a bare `1.N.M[-pre]`; undefined for anything else.
 */
export function parseKubernetesTag(tag: string): ParsedVersion | undefined {
  const m = KUBE_TAG.exec(tag.trim());
  return m ? build(tag, 'kubernetes', m) : undefined;
}

/** Either form. */
export function parseAnyTag(tag: string): ParsedVersion | undefined {
  return parseGoTag(tag) ?? parseKubernetesTag(tag);
}

/**
 * A release tag of the kubernetes/cri-api repository: the Go module tag `v0.N.M[-pre]` or its
 * `kubernetes-1.N.M[-pre]` twin on the same commit (so with the same files). Not `v1.N.M`: that is a ref
 * of a kubernetes/kubernetes clone, which git resolves as given.
 */
export function parseCriApiTag(tag: string): ParsedVersion | undefined {
  return parseGoTag(tag) ?? (tag.trim().startsWith('kubernetes-') ? parseKubernetesTag(tag) : undefined);
}

/**
 * A release line written where a release is meant: `v0.36`, `0.36`, `1.36`, `v1.36` or `kubernetes-1.36` (also
 * with `.x`). `kubernetes` when written as cri-api's `kubernetes-` tags are, so that suggestions keep that form.
 */
export function parseReleaseLine(text: string): { minor: number; kubernetesForm: boolean } | undefined {
  const m = /^(kubernetes-1|v?[01])\.(0|[1-9]\d*)(?:\.x)?$/.exec(text.trim());
  return m ? { minor: Number(m[2]), kubernetesForm: m[1] === 'kubernetes-1' } : undefined;
}

/**
 * A Go pseudo-version of k8s.io/cri-api, as go.mod holds it after `go get k8s.io/cri-api@<commit>`: a commit, not a
 * release. `commit` is the hash prefix it names, `date` its commit date, and `base` the release Go found before it
 * (`v0.36.1-0.…` follows v0.36.0, `v0.37.0-alpha.0.0.…` follows v0.37.0-alpha.0; `v0.0.0-…` none).
 */
export function parsePseudoVersion(version: string): { commit: string; date: string; base?: string } | undefined {
  const m = /^v0\.(0|[1-9]\d*)\.(0|[1-9]\d*)-(?:(?:([0-9A-Za-z.-]+)\.)?(0\.))?(\d{14})-([0-9a-f]{12})$/.exec(version);
  if (!m) return undefined;
  const [, minor, patch, pre, zero, time, commit] = m;
  let base: string | undefined;
  if (pre) base = parseGoTag(`v0.${minor}.${patch}-${pre}`)?.goTag;
  else if (zero) base = Number(patch) > 0 ? `v0.${minor}.${Number(patch) - 1}` : undefined;
  else if (minor !== '0' || patch !== '0') return undefined;
  return { commit: commit!, date: `${time!.slice(0, 4)}-${time!.slice(4, 6)}-${time!.slice(6, 8)}`, ...(base ? { base } : {}) };
}

/** `v0.36.3` → `1.36.3`; also accepts Kubernetes forms (normalised). Undefined when not a version tag. */
export function goTagToKubernetes(tag: string): string | undefined {
  return parseAnyTag(tag)?.kubernetes;
}

/** `1.36.3`, `v1.36.3` or `kubernetes-1.36.3` → `v0.36.3`; a Go tag is returned as is. */
export function kubernetesToGoTag(version: string): string | undefined {
  return parseAnyTag(version)?.goTag;
}

/** The kubernetes/kubernetes tag for a cri-api tag: `v0.36.3` → `v1.36.3`. */
export function kubernetesRepoTag(tag: string): string | undefined {
  const v = parseAnyTag(tag);
  return v && `v${v.kubernetes}`;
}

/** The Kubernetes minor of either form: `v0.31.2` → 31. */
export function minorOf(tag: string): number | undefined {
  return parseAnyTag(tag)?.minor;
}

/**
 * Orders tags of either form by the Kubernetes version they stand for (`v0.31.0` and `kubernetes-1.31.0` are
 * equal). Tags that are not versions sort after all versions, by string.
 */
export function compareTags(a: string, b: string): number {
  const va = parseAnyTag(a);
  const vb = parseAnyTag(b);
  if (va && vb) return compareSemver(va.semver, vb.semver);
  if (va) return -1;
  if (vb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A cri-api Go module tag `v0.N.M[-pre]` as a `Release`; undefined for anything else. */
export function releaseOfGoTag(tag: string): Release | undefined {
  const v = parseGoTag(tag);
  return v ? { tag, kubernetes: v.kubernetes, prerelease: v.prerelease !== undefined } : undefined;
}

/** The newest of the given `v0.N.M` tags, pre-releases only when allowed. */
export function newestTag(tags: Iterable<string>, includePrereleases = false): string | undefined {
  let best: string | undefined;
  for (const t of tags) {
    const r = releaseOfGoTag(t);
    if (!r || (r.prerelease && !includePrereleases)) continue;
    if (!best || compareTags(t, best) > 0) best = t;
  }
  return best;
}

/** A sorted copy, oldest first. */
export function sortTags<T extends string>(tags: readonly T[]): T[] {
  return [...tags].sort(compareTags);
}

export function isPrerelease(tag: string): boolean {
  return parseAnyTag(tag)?.prerelease !== undefined;
}

/** M > 0 in `v0.N.M` (pre-releases of a patch, `v0.N.M-rc.K`, count too): API changes there are discouraged. */
export function isPatchRelease(tag: string): boolean {
  const v = parseAnyTag(tag);
  return !!v && v.patch > 0;
}

/**
 * The Kubernetes minor that API changes made on top of `tag` would first ship in (the release being prepared):
 * N while the `.0` line of minor N is still in pre-release (`v0.N.0-alpha.K`, `-beta.K`, `-rc.K`), and N+1
 * after a release `v0.N.M` or a pre-release of a patch (`v0.N.M-rc.K`, M > 0): minor N has shipped, and API
 * changes belong in the next `.0` release, not in patches. Undefined when `tag` is not a version.
 */
export function targetMinor(tag: string | ParsedVersion): number | undefined {
  const v = typeof tag === 'string' ? parseAnyTag(tag) : tag;
  if (!v) return undefined;
  return v.prerelease !== undefined && v.patch === 0 ? v.minor : v.minor + 1;
}

/**
 * The Kubernetes minor that a change on top of `baselineTag` can still ship in, given the releases known: the
 * `targetMinor` of the baseline, unless later minors already have a stable release (an old baseline picked
 * on purpose): a change that no release has can only ship in the first minor without one. Undefined when
 * `baselineTag` is not a version.
 */
export function shipMinor(baselineTag: string, releases: readonly { tag: string; prerelease: boolean }[] = []): number | undefined {
  let next = targetMinor(baselineTag);
  if (next === undefined) return undefined;
  for (const r of releases) {
    const m = r.prerelease ? undefined : parseAnyTag(r.tag)?.minor;
    if (m !== undefined && m >= next) next = m + 1;
  }
  return next;
}

/**
 * The release changes made against a baseline ship in: the file's own release when that is known (`release`:
 * `--current-tag`, HEAD at its tag), the next patch of the line when the file is on a release line past the
 * baseline (`releaseLine`: after `v0.N.M`, `v0.N.(M+1)`; after a patch's pre-release, that patch), both `exact`;
 * else the minor `shipMinor` says, whose `.0` release is the first that can have them.
 */
export function shipTarget(b: { tag: string; release?: string; releaseLine?: number; history?: { releases: readonly { tag: string; prerelease: boolean }[] } }): { minor: number; exact?: ParsedVersion } | undefined {
  const own = b.release ? parseAnyTag(b.release) : undefined;
  if (own) return { minor: own.minor, exact: own };
  const base = parseGoTag(b.tag);
  if (b.releaseLine !== undefined && base?.minor === b.releaseLine) {
    const exact = parseGoTag(`v0.${base.minor}.${base.prerelease !== undefined && base.patch > 0 ? base.patch : base.patch + 1}`)!;
    return { minor: base.minor, exact };
  }
  const minor = shipMinor(b.tag, b.history?.releases);
  return minor === undefined ? undefined : { minor };
}

/**
 * The release a tag was cut after on its own release line, given all tags sorted oldest first:
 * a patch release (`v0.N.M`, M > 0, or its pre-releases) follows the previous tag of minor N; the
 * `.0` line (`v0.N.0-alpha.K` … `v0.N.0`) follows the previous `.0`-line tag. Comparing with this instead
 * of the semver neighbour keeps backports to older minors from showing up as removals in the next minor.
 * When the line has no earlier tag in the list (history starts mid-line), the semver neighbour is used.
 */
export function releaseLinePredecessor(sortedTags: readonly string[], index: number): number | undefined {
  const v = parseAnyTag(sortedTags[index] ?? '');
  if (!v) return index > 0 ? index - 1 : undefined;
  for (let i = index - 1; i >= 0; i--) {
    const p = parseAnyTag(sortedTags[i]!);
    if (!p) continue;
    if (v.patch > 0 ? p.minor === v.minor : p.patch === 0) return i;
  }
  return index > 0 ? index - 1 : undefined;
}

// ---- API major versions ----------------------------------------------------------------------------

/**
 * What is known of each CRI API major version (POLICY.md): the first cri-api tag with its `api.proto`
 * (`runtime.v1` came in v0.20.0-beta.2, next to `runtime.v1alpha2`), and the Kubernetes minor that removed it.
 * The skew window applies within one major version: a runtime older than the first minor does not speak it.
 */
const MAJOR_VERSIONS: Readonly<Record<string, MajorVersion>> = {
  'runtime.v1': { firstTag: 'v0.20.0-beta.2' },
  'runtime.v1alpha2': { removedInMinor: 26 },
};

export interface MajorVersion {
  firstTag?: string;
  removedInMinor?: number;
}

/** What is known of a package's major version; undefined for packages that are not CRI API versions. */
export function majorVersion(pkg: string): MajorVersion | undefined {
  return Object.hasOwn(MAJOR_VERSIONS, pkg) ? MAJOR_VERSIONS[pkg] : undefined;
}

/** The first Kubernetes minor of a major version (20 for `runtime.v1`), where known. */
export function firstMinorOfMajor(pkg: string): number | undefined {
  const first = majorVersion(pkg)?.firstTag;
  return first === undefined ? undefined : parseAnyTag(first)?.minor;
}

// ---- skew window -----------------------------------------------------------------------------------

/** Inclusive range of Kubernetes minors (N of `1.N` / `v0.N`). */
export interface MinorRange {
  min: number;
  max: number;
}

/** Minors a kubelet and a runtime may be apart (policy: kubelet 1.K works with runtimes v0.(K-3) … v0.(K+3)). */
export const SKEW = 3;

/** The runtimes (cri-api minors, same major API) a kubelet 1.K must work with: v0.(K-3) … v0.(K+3). */
export function runtimeWindowForKubelet(kubeletMinor: number): MinorRange {
  return { min: Math.max(0, kubeletMinor - SKEW), max: kubeletMinor + SKEW };
}

/** The kubelets that must work with a runtime built on cri-api v0.N: 1.(N-3) … 1.(N+3). */
export function kubeletWindowForRuntime(runtimeMinor: number): MinorRange {
  return { min: Math.max(0, runtimeMinor - SKEW), max: runtimeMinor + SKEW };
}

/** Does the policy require kubelet 1.K and a runtime at v0.N to work together? */
export function inSkewWindow(kubeletMinor: number, runtimeMinor: number): boolean {
  return Math.abs(kubeletMinor - runtimeMinor) <= SKEW;
}

/**
 * Kubelet minors `min` … `max`; with `minPatch`, of minor `min` only `1.min.minPatch` and later patches; with `from`
 * (a Kubernetes version of minor `min`, `1.37.0`, `1.29.0-alpha.3` or a patch's pre-release `1.36.4-rc.0`), only that
 * release and later ones: the releases of minor `min` before it lack what they are counted for; with `resume`, of the minors after `min` only
 * those from `resume` on (a patch of an older line: the minors in between were released without it); with `to` (a
 * pre-release of minor `max`, `1.37.0-alpha.3`), of minor `max` only the releases up to it (`knowingKubelets`).
 */
export type KubeletRange = MinorRange & { minPatch?: number; from?: string; resume?: number; to?: string };

/**
 * Pre-releases of one minor that lack an element although the releases of that minor from the one that brought it
 * on have it: cri-api tags `first` … `last` (in version order). See `lackingPrereleases` (historyCommand.ts), which
 * finds them in a release history.
 */
export interface PrereleaseRun {
  minor: number;
  first: string;
  last: string;
}

export interface LackingSkew {
  /** Minor (and patch, when it came in a patch release) where the element first appeared. */
  introduced: { minor: number; patch: number };
  /**
   * Kubelet minors that know the element and can still be paired with a runtime that lacks it, or undefined
   * when there is no such pairing (e.g. the element is as old as the major version). When `minPatch` is set
   * (element added in a patch), only `1.min.minPatch` and later patches of the first minor know it.
   */
  kubelets?: KubeletRange;
  /**
   * Runtime (cri-api) versions inside those kubelets' windows that lack the element: minors `min` … `max`;
   * when `maxPatch` is set, only `v0.max.0` … `v0.max.maxPatch` of the last minor (element added in a patch);
   * `prereleases`, pre-releases of that minor or later ones that lack it too (`whoLacks`).
   */
  runtimes?: RuntimeRange;
}

/**
 * Runtimes (cri-api versions) that lack an element: see `LackingSkew.runtimes`. `later`: for a change that ships in
 * a patch of an older release line, the minors after it that are already released without it (`whoLacks`).
 */
export type RuntimeRange = MinorRange & { maxPatch?: number; later?: MinorRange; prereleases?: readonly PrereleaseRun[] };

/**
 * Who can meet a runtime that lacks an element introduced in Kubernetes 1.N (cri-api v0.N):
 * runtimes v0.(N-3) … v0.(N-1) lack it, and they are inside the window of kubelets 1.N … 1.(N+2)
 * (kubelet 1.(N+3) only pairs with v0.N and newer). When the element came in a patch release `v0.N.M`
 * (M > 0), runtimes `v0.N.0` … `v0.N.(M-1)` lack it too, so kubelet 1.(N+3) is also affected.
 *
 * `introduced` is the minor N, or a tag (either form) to take minor and patch from. `firstMinorOfMajor`
 * clamps to runtimes of the same major API version (e.g. 20 for `runtime.v1`, whose first tag is
 * v0.20.0-beta.2): older runtimes speak another major version and are not counted. `removedInMinor` clamps the
 * kubelets the same way (26 for `runtime.v1alpha2`): those of that minor on do not speak the major version.
 *
 * `prereleases`: pre-releases that lack the element although they are of minor N or later (those of the release
 * that brought it, cut before it; for an element in no release yet, those of later minors too). Pre-releases are
 * releases: runtimes built from them lack it as well, so the kubelets that know it and can meet them reach up to
 * 1.(P+3) for the newest such minor P, and, when minor N's own pre-releases lack it, those kubelets of 1.N are the
 * ones `from` the introducing release on. That holds in the first minor of the major version too: an element that
 * came after its first tag (runtime.v1 in v0.20.0-beta.2) is missing from the pre-releases before it, which speak
 * the major version, so kubelets 1.20.0-rc.0–1.23 can meet runtimes without it although every stable one has it.
 * `runtimes` then has no minor (`min` > `max`), only `prereleases`.
 *
 * `releasedWithout`: for an element in no release yet that ships in a patch `v0.N.M` of an older release line, the
 * minors after N that are already released (without it, since it is in no release). Their runtimes lack it
 * (`runtimes.later`) and their kubelets do not know it, so the kubelets that know it and can meet a runtime
 * without it are those of 1.N from that patch on and, as for any new element, those of the minors not released yet
 * (`kubelets.resume`), whose window reaches those released without it. That holds where more than SKEW minors came
 * out since 1.N too (a patch of 1.32 with 1.33–1.36 out: kubelets 1.37–1.40 can meet runtimes v0.34–v0.36 and the
 * 1.37 pre-releases, all without it), as long as the runtimes the two sets of kubelets can meet make one run of
 * minors (`reachesPastWindow`); past that, only the window of 1.N is counted (runtimes up to v0.(N+3), kubelets of
 * 1.N): the hover and the report's matrix say the same; what the kubelets to come meet is not said then.
 */
export function whoLacks(introduced: number | string, firstMinorOfMajor = 0, removedInMinor = Infinity, prereleases: readonly PrereleaseRun[] = [], releasedWithout?: MinorRange): LackingSkew {
  let minor: number;
  let patch = 0;
  let kubernetes: string;
  let prerelease = false;
  if (typeof introduced === 'number') {
    minor = introduced;
    kubernetes = `1.${minor}.0`;
  } else {
    const v = parseAnyTag(introduced);
    if (!v) throw new Error(`not a cri-api or Kubernetes version: "${introduced}"`);
    minor = v.minor;
    patch = v.patch;
    kubernetes = v.kubernetes;
    prerelease = v.prerelease !== undefined;
  }
  const result: LackingSkew = { introduced: { minor, patch } };
  // Newest runtime without it: the previous patch of the same minor, or the previous minor.
  const lastLackingMinor = patch > 0 ? minor : minor - 1;
  const minRuntime = Math.max(minor - SKEW, firstMinorOfMajor, 0);
  const runs = prereleases.filter((p) => p.minor >= minor);
  if (lastLackingMinor < minRuntime && !runs.length) return result;
  result.runtimes = { min: minRuntime, max: lastLackingMinor };
  // Kubelets that know it (≥ N, and of minor N only those of the patch that added it on) and whose window
  // reaches down to a lacking runtime (K - 3 ≤ last lacking minor).
  const released = patch > 0 && releasedWithout && releasedWithout.min === minor + 1 && releasedWithout.max >= releasedWithout.min ? releasedWithout : undefined;
  const later = released ? { min: released.min, max: reachesPastWindow(minor, released) ? released.max : Math.min(released.max, minor + SKEW) } : undefined;
  const newestLacking = Math.max(lastLackingMinor, later?.max ?? 0, ...runs.map((p) => p.minor));
  result.kubelets = { min: minor, max: Math.min(newestLacking + SKEW, removedInMinor - 1) };
  if (patch > 0) {
    result.runtimes.maxPatch = patch - 1;
    result.kubelets.minPatch = patch;
    // A pre-release of the patch (v0.36.4-rc.0) has it, as do the kubelets built from it: they are the first.
    if (prerelease) result.kubelets.from = kubernetes;
    if (later) {
      result.runtimes.later = later;
      // The kubelets of the minors released without it do not know it; those of the minors to come will.
      if (released?.max === later.max && later.max + 1 <= result.kubelets.max) result.kubelets.resume = later.max + 1;
      else result.kubelets.max = minor;
    }
  } else if (runs.some((p) => p.minor === minor)) result.kubelets.from = kubernetes;
  if (runs.length) result.runtimes.prereleases = runs;
  return result;
}

/**
 * For a patch of release line N shipping something that the minors `released` after it came out without: whether the
 * runtimes without it that the kubelets of 1.N can meet (up to v0.(N+3)) and those that the kubelets of the minors to
 * come can meet (from v0.(released.max+1-3)) make one run of minors, so that all of `released` is counted (`whoLacks`).
 * They do up to a gap of 2 × SKEW + 1 minors: for a patch of 1.32 with 1.33–1.36 out, kubelets 1.37–1.40 can meet the
 * runtimes of v0.34–v0.36, the kubelets of 1.32 those of v0.33–v0.35. Further apart, some minors in between are in no
 * such kubelet's window, and only the window of 1.N is counted.
 */
export function reachesPastWindow(minor: number, released: MinorRange): boolean {
  return released.max > minor + SKEW && released.max + 1 - SKEW <= minor + SKEW + 1;
}

/** `a`, or `a–b` when they differ: a range of releases or versions as the hovers and `history` write it. */
export function span(a: string, b: string): string {
  return a === b ? a : `${a}–${b}`;
}

/**
 * Runtimes that lack an element (`whoLacks().runtimes`), as the hovers, `history` and the report's skew matrix
 * name them: `v0.33–v0.35`, or with the patches of the last minor that lack it too: `v0.33–v0.35.7`,
 * `v0.35.0–v0.35.7`, `v0.35.0`.
 */
export function runtimeSpan(r: RuntimeRange): string {
  // No minor lacks it, only pre-releases (an element of the major version's first minor, after its first tag).
  if (r.min > r.max) return prereleaseSpans(r).slice(' or '.length);
  const minors = r.maxPatch === undefined
    ? span(`v0.${r.min}`, `v0.${r.max}`)
    : r.min === r.max ? span(`v0.${r.max}.0`, `v0.${r.max}.${r.maxPatch}`) : `v0.${r.min}–v0.${r.max}.${r.maxPatch}`;
  return `${minors}${laterSpan(r)}${prereleaseSpans(r)}`;
}

/** ` or v0.34–v0.36`: the minors released after a patch target's line without the element (`whoLacks`). */
export function laterSpan(r: RuntimeRange): string {
  return r.later ? ` or ${span(`v0.${r.later.min}`, `v0.${r.later.max}`)}` : '';
}

/** ` or v0.37.0-alpha.0–v0.37.0-beta.0`: the pre-releases that lack an element too (`whoLacks`), after its other runtimes. */
export function prereleaseSpans(r: RuntimeRange): string {
  return (r.prereleases ?? []).map((p) => ` or ${span(p.first, p.last)}`).join('');
}

/**
 * Kubelets that know an element (`whoLacks().kubelets`), as the hovers and `history` name them: `1.33–1.36`, or
 * from the patch that added it: `1.33.2–1.36`, `1.33.2 and later 1.33 patches`; from the release that added it when
 * the pre-releases of its minor before it lack it: `1.37.0–1.40`, `1.29.0-alpha.3–1.32`.
 */
export function kubeletSpan(k: KubeletRange): string {
  const from = k.from ?? (k.minPatch !== undefined ? `1.${k.min}.${k.minPatch}` : undefined);
  if (k.resume !== undefined && from !== undefined) return `${laterPatches(from, `1.${k.min}`)} and ${span(`1.${k.resume}`, `1.${k.max}`)}`;
  const upTo = k.to ?? `1.${k.max}`;
  if (from === undefined) return span(`1.${k.min}`, upTo);
  return k.min === k.max && k.to === undefined ? laterPatches(from, `1.${k.min}`) : `${from}–${upTo}`;
}

/** `1.25.17 and later 1.25 patches` (or `v0.25…`): a patch and the rest of its release line, not the minors after it. */
export function laterPatches(version: string, line: string): string {
  return `${version} and later ${line} patches`;
}

/**
 * The kubelets of `k` (from `whoLacks`) that know an element: those of minors with a stable release that has
 * it (`withIt`), in a row from `k.min`, so that one removed again is not said to be known after that. While the
 * newest release still has it (`stillPresent`), the minors after the newest stable one (`newestStable`) count
 * too: they are not released yet (`unreleasedFrom`), and their kubelets will know it unless it goes first.
 * After those, the first releases of the next minor may have it although none of its stable ones does: pre-releases of
 * the minor that removed it (v0.26.0-alpha.0–alpha.3 of ContainerEventResponse.pod_sandbox_metadata), or of one with
 * no stable release yet. Pre-releases are releases, and their kubelets know it too: `prereleasesWithIt(minor)` gives
 * the Kubernetes version of the last of them (`1.26.0-alpha.3`), which ends the range (`to`).
 */
export function knowingKubelets(
  k: KubeletRange, withIt: readonly number[], newestStable: number | undefined, stillPresent: boolean, prereleasesWithIt?: (minor: number) => string | undefined,
): KubeletRange & { unreleasedFrom?: number } {
  const future = (m: number): boolean => stillPresent && newestStable !== undefined && m > newestStable;
  let max = k.min;
  while (max < k.max && (withIt.includes(max + 1) || future(max + 1))) max++;
  if (future(max)) return { ...k, max, unreleasedFrom: Math.max(k.min, newestStable! + 1) };
  const to = max < k.max ? prereleasesWithIt?.(max + 1) : undefined;
  return to === undefined ? { ...k, max } : { ...k, max: max + 1, to };
}

export interface RemovalSkew {
  /** Kubelet minors that still know the element and can be paired with a runtime that no longer has it. */
  kubelets: MinorRange;
  /** Runtime minors without it inside those kubelets' windows. */
  runtimes: MinorRange;
}

/**
 * The mirror image of `whoLacks` for an element removed in Kubernetes 1.R (last present in 1.(R-1)):
 * runtimes v0.R … v0.(R+2) no longer have it, and kubelets 1.(R-3) … 1.(R-1) that still use it can meet them.
 */
export function removalSkew(removedMinor: number): RemovalSkew {
  return {
    kubelets: { min: Math.max(0, removedMinor - SKEW), max: removedMinor - 1 },
    runtimes: { min: removedMinor, max: removedMinor + SKEW - 1 },
  };
}
