// Which release the edited api.proto is compared against, from every source we know, offline first:
// explicit setting → git (trusted only) → bundled index → Go module cache / vendor (only if newer) →
// module proxy (trusted and network enabled only). Every step is recorded, so that a miss explains itself.

// fs.promises, read where used: node:fs/promises loaded with the bundle costs every CLI run (test/cli-startup.test.ts).
import { promises as fsp } from 'node:fs';
import { parse as parsePath, dirname, isAbsolute, join, relative, resolve as resolvePath, sep } from 'node:path';
import { homedir } from 'node:os';
import { bind } from '../proto/binder';
import { parse } from '../proto/parser';
import type { ApiModel } from '../proto/model';
import { findGitBaseline, readGitRevision, sameFileText, type AtTag, type GitMiss, type ReleaseLine } from './gitSource';
import { compareTags, minorOf, newestTag, parseAnyTag, parseCriApiTag, parseGoTag, parseKubernetesTag, parsePseudoVersion, parseReleaseLine, releaseOfGoTag } from '../policy/versions';
import { bundledPackagesWithTag, modelEncoding } from './historyIndex';
import { V1_PATH } from './corpus';
import { CRI_API_MODULE, DEFAULT_MAX_FILE_BYTES, findGoSumHashes, findInModuleCache, findInVendor, goFilesOf, goLayout, moduleCacheRoot, readFileWithin, withGoEnvFile, withoutGoWork, type GoLayout, type Skipped } from './goModSource';
import { fetchFromProxy, type ProxyOptions } from './proxySource';
import type { GoSumHashes } from './moduleZip';
import type { GitExecOptions, ProcessLauncher } from './safeExec';
import type { Baseline, BaselineSource, History } from './types';

/** What resolution needs from the bundled release index (`loadBundledHistory()` satisfies it). */
export type BundledIndex = Pick<History, 'releases' | 'modelAt'> & Partial<History>;

export interface ResolveAttempt {
  source: string;
  outcome: string;
}

export interface ResolveResult {
  baseline?: Baseline;
  /** Every source consulted, in order, with what came of it. */
  tried: ResolveAttempt[];
  /** When there is no baseline: one actionable explanation. */
  message?: string;
  /** Set when the baseline depended on whether the text resolved with is a release's file: see `TextCheck`. */
  textCheck?: TextCheck;
  /**
   * The setting was looked up in git as this revision (see `settingRevision`), found or not: a branch may move, or
   * be fetched, while the file is open, and an editor that keeps the baseline watches it (`movingRef`).
   */
  gitRef?: string;
  /**
   * The setting's baseline was read from git: the revision git was asked for and the commit it named. Only another
   * commit there changes the baseline, which an editor asks git before resolving again.
   */
  gitCommit?: { rev: string; commit: string };
  /** With `goFiles` asked for (a trusted resolution of a file): the Go files it depends on, with their metadata (`goFilesOf`). */
  goFiles?: Map<string, string>;
  /**
   * Git was asked where HEAD stands (the automatic baseline, in a clone): its answer (`headPlacement`), which alone
   * decides, when a ref file changes, whether the baseline can be another.
   */
  gitPlacement?: string;
}

/**
 * A release's file is compared with the release before it; the same file edited, with that release. So where
 * the text checked can be a release's file (HEAD at a tag; a release branch the bundled index places), the
 * baseline depends on the text. `same` is what the text resolved with was; `is` answers for another text, without
 * git, so that an editor resolves again only when an edit crosses that line (and back), not on every keystroke.
 */
export interface TextCheck {
  /** The release the text was compared with. */
  release: string;
  same: boolean;
  is(text: string): boolean;
}

export interface ResolveOptions {
  /** Absolute path of the edited api.proto. */
  filePath?: string;
  /**
   * The text being checked (the editor's document with unsaved edits, the CLI's input). Decides whether it is
   * the release its clone or branch stands on (see `TextCheck`); default: the file on disk.
   */
  text?: string;
  /** The baseline setting or `--baseline`: a tag (`v0.33.0`), a git ref, or a file path. */
  explicit?: string;
  /** Relative explicit paths are resolved against this; default the file's directory, else the cwd. */
  baseDir?: string;
  /** Workspace trust. Untrusted: no process is started and the network is not used. */
  trusted: boolean;
  /** Allows the Go module proxy (only when trusted as well). Default false. */
  networkEnabled?: boolean;
  includePrereleases?: boolean;
  /**
   * The release the checked file is, as the user said (the CLI's `--current-tag`), a Go tag. The automatic
   * baseline is then the newest release before it, from any source, and git is not asked to place the file.
   */
  currentTag?: string;
  bundled?: BundledIndex;
  /** Where downloads are cached, e.g. ~/.cache/cri-compat. */
  cacheDir?: string;
  /** GOMODCACHE, GOPATH, GOPROXY; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  git?: Pick<GitExecOptions, 'gitPath' | 'timeoutMs' | 'maxOutputBytes'>;
  proxy?: Pick<ProxyOptions, 'timeoutMs' | 'listMaxBytes' | 'zipMaxBytes' | 'unzipMaxBytes' | 'listTtlMs' | 'now'>;
  /** Process primitives (tests inject ones that throw). */
  launcher?: ProcessLauncher;
  /** HTTP (tests inject one that throws). */
  fetch?: typeof fetch;
  onProgress?: (message: string) => void;
  /** Aborting rejects the returned promise with the signal's reason. */
  signal?: AbortSignal;
  /**
   * The edited file's package, when the caller knows it. A `runtime.*` package the bundled index has no releases
   * of (a would-be new major version, or a typo of the CRI package) is compared with the index's package, and the
   * notes say so rather than that there is no index.
   */
  package?: string;
  /**
   * Names used in the message when nothing is found: an editor's setting, or the CLI's flag as both `setting` and
   * `cliFlag` (the message then says to pass it or leave it out).
   */
  hints?: { setting?: string; cliFlag?: string; networkSetting?: string };
  /** List the Go files the result depends on (`ResolveResult.goFiles`), for an editor that watches them. */
  goFiles?: boolean;
}

export const EXPECTED_PACKAGE = 'runtime.v1';

/** A setting that is a path by its form (absolute, `./`, `../`, `~/`, a `.proto` file) is never looked up in git. */
export const isPathLike = (s: string): boolean => isAbsolute(s) || /^(\.{1,2}|~)([\\/]|$)/.test(s) || s.endsWith('.proto');

/**
 * The git revision a baseline setting names when it is neither a release (`v0.35.0`, `kubernetes-1.35.0`), a Go
 * pseudo-version nor a path by its form: a branch, a tag or a commit of the clone, read from git when no file has its
 * name (a path wins).
 */
export function settingRevision(explicit: string): string | undefined {
  const s = explicit.trim();
  return s && !parseCriApiTag(s) && !parsePseudoVersion(s) && !isPathLike(s) ? s : undefined;
}

const DEFAULT_HINTS = { setting: 'criCompat.baseline', networkSetting: 'criCompat.network.enable' };

interface Candidate {
  source: BaselineSource;
  tag: string;
  origin: string;
  /** The model, or why there is none. */
  model: () => ApiModel | string;
}

function modelOf(text: string, uri: string): ApiModel | string {
  let model: ApiModel;
  try {
    model = bind(parse(text), uri).model;
  } catch (err) {
    return `${uri} could not be read as a proto file (${(err as Error).message})`;
  }
  if (model.package !== EXPECTED_PACKAGE) return `${uri} declares package "${model.package || '(none)'}", not ${EXPECTED_PACKAGE}`;
  return model;
}

function isFullHistory(b: BundledIndex | undefined): b is History {
  return !!b && typeof b.fieldUses === 'function' && typeof b.enumValueUses === 'function' && typeof b.element === 'function';
}

function makeBaseline(c: Pick<Candidate, 'source' | 'tag' | 'origin'>, model: ApiModel, bundled: BundledIndex | undefined): Baseline {
  const release = releaseOfGoTag(c.tag);
  return {
    tag: c.tag,
    ...(release ? { kubernetes: release.kubernetes } : {}),
    source: c.source,
    origin: c.origin,
    model,
    ...(isFullHistory(bundled) ? { history: bundled } : {}),
  };
}

/**
 * Where a pseudo-version that no source has can be read from, and the release it follows, if that is meant.
 * `cli`: the command line has no workspace trust, so the editor's condition on reading git is not said there.
 */
function notARelease(given: string, pseudo: { commit: string; date: string; base?: string }, networkSetting: string | undefined, cli: boolean): string {
  const base = pseudo.base ? `; the release it follows is ${pseudo.base}, which lacks what the commits after it changed` : '';
  return `"${given}" is a Go pseudo-version: commit ${pseudo.commit} of ${pseudo.date}, not a release${base}. ` +
    `To compare with the commit, check api.proto in a kubernetes/cri-api clone that has it${cli ? '' : ' (in a trusted workspace)'}, ` +
    `or run \`go mod download ${CRI_API_MODULE}@${given}\` to put it in the Go module cache` +
    `${networkSetting ? `, or enable ${networkSetting} to fetch it from the Go module proxy` : ''}.`;
}

/**
 * For a release line given where a release is meant (`v0.36`, `kubernetes-1.36`), a sentence naming the releases
 * of the bundled index it may have meant: its first and its newest (pre-releases only when the line has nothing
 * else), in the form given. Only suggested: a baseline is one release, and which one is the user's to say.
 */
export function nearReleases(given: string, bundled: BundledIndex | undefined): string | undefined {
  const line = parseReleaseLine(given);
  if (!line || !bundled) return undefined;
  const ofLine = bundled.releases.filter((r) => minorOf(r.tag) === line.minor).sort((a, b) => compareTags(a.tag, b.tag));
  const pick = ofLine.some((r) => !r.prerelease) ? ofLine.filter((r) => !r.prerelease) : ofLine;
  const what = `"${given}" names a release line, not a release`;
  if (!pick.length) {
    const newest = newestTag(bundled.releases.map((r) => r.tag));
    return `${what}, and the bundled release index has no release of 1.${line.minor}${newest ? ` (its newest is ${newest})` : ''}.`;
  }
  // As indexed (the oldest releases have only their `kubernetes-1.N.M` tag), or in the form given.
  const named = [...new Set([pick[0]!.tag, pick.at(-1)!.tag])].map((t) => (line.kubernetesForm ? `kubernetes-${parseAnyTag(t)!.kubernetes}` : t));
  return `${what}: did you mean ${named.join(' or ')}${pick[0]!.prerelease ? ' (it has only pre-releases)' : ''}?`;
}

/**
 * Why the bundled index gives no `tag` for the file's package: a tag of the other major API version
 * (v0.19.0 has only runtime.v1alpha2) is in the index, just not for this package. Names the newest release
 * of the package, and its newest pre-release when that is newer.
 */
export function notInBundled(tag: string, bundled: BundledIndex | undefined): string {
  if (!bundled) return `${tag}: no bundled release index available`;
  const pkg = bundled.package ?? EXPECTED_PACKAGE;
  let others: string[] = [];
  try {
    others = bundledPackagesWithTag(tag).filter((p) => p !== pkg);
  } catch {
    // No bundled index in this build: nothing more to say.
  }
  const tags = bundled.releases.map((r) => r.tag);
  const release = newestTag(tags);
  const pre = newestTag(tags, true);
  const newest = [release && `newest ${pkg} release there: ${release}`, pre && pre !== release && `newest ${pkg} pre-release: ${pre}`].filter(Boolean).join('; ');
  const what = others.length ? `${tag} has no ${pkg} api.proto in the bundled release index, only ${others.join(' and ')}` : `${tag} is not in the bundled release index`;
  return newest ? `${what} (${newest})` : what;
}

export async function resolveBaseline(opts: ResolveOptions): Promise<ResolveResult> {
  try {
    // Read synchronously: a small file, and every CLI run that resolves a baseline would otherwise load fs.promises
    // (test/cli-startup.test.ts).
    const env = withGoEnvFile(opts.env ?? process.env, opts.homeDir ?? homedir());
    // Worked out when first needed (only a trusted resolution of a file reads the workspace's Go files), then shared
    // by every step of this resolution; the next one works it out again, and so sees the Go files changed since.
    let layout: Promise<GoLayout> | undefined;
    const goLayoutOnce = () => (layout ??= goLayout(dirname(opts.filePath!), env));
    // Before resolution reads them, so that a change while it runs differs from what is listed. Untrusted, none is read.
    const goFiles = opts.goFiles && opts.trusted && opts.filePath ? await goFilesOf(await goLayoutOnce()) : undefined;
    const seen: { gitPlacement?: string } = {};
    const result = await resolveInner(opts, env, goLayoutOnce, seen);
    return { ...result, ...(goFiles ? { goFiles } : {}), ...(seen.gitPlacement ? { gitPlacement: seen.gitPlacement } : {}) };
  } catch (err) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? err;
    throw err;
  }
}

/**
 * `env` with the user's go env file (`withGoEnvFile`); `layout`, the file's (`goLayout`), the same for every call;
 * `seen.gitPlacement`, set when git was asked where HEAD stands (`ResolveResult.gitPlacement`).
 */
async function resolveInner(opts: ResolveOptions, env: NodeJS.ProcessEnv, layout: () => Promise<GoLayout>, seen: { gitPlacement?: string }): Promise<ResolveResult> {
  const tried: ResolveAttempt[] = [];
  const note = (source: string, outcome: string) => tried.push({ source, outcome });
  const progress = (m: string) => opts.onProgress?.(m);
  const checkAbort = () => opts.signal?.throwIfAborted();
  const includePrereleases = opts.includePrereleases ?? false;
  const homeDir = opts.homeDir ?? homedir();
  const gitOptions = {
    ...opts.git,
    includePrereleases,
    ciEnv: env,
    ...(opts.text !== undefined ? { text: opts.text } : {}),
    ...(opts.launcher ? { launcher: opts.launcher } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  const network = opts.trusted && !!opts.networkEnabled;
  const proxyOptions = async (extra: Partial<ProxyOptions>): Promise<ProxyOptions> => ({
    ...opts.proxy,
    env,
    includePrereleases,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    goSum: opts.filePath ? (await findGoSumHashes(await layout())).hashes : new Map(),
    ...extra,
  });
  // The project's go.sum holds module cache zips to their recorded hashes, in a trusted workspace only: go.sum is
  // the workspace's content, and could otherwise steer the baseline to an older release by failing the newest.
  const moduleCacheGoSum = async (): Promise<{ goSum?: GoSumHashes }> =>
    opts.trusted && opts.filePath ? { goSum: (await findGoSumHashes(await layout())).hashes } : {};
  const bundledNewest = opts.bundled ? newestTag(opts.bundled.releases.map((r) => r.tag), includePrereleases) : undefined;
  const bundledHas = (tag: string) => !!opts.bundled?.releases.some((r) => r.tag === tag);
  const bundledCandidate = (tag: string, source: BaselineSource, origin: string): Candidate => ({
    source,
    tag,
    origin,
    model: () => {
      try {
        return opts.bundled?.modelAt(tag) ?? `the bundled index lists ${tag} but has no model for it`;
      } catch (err) {
        return `the bundled index failed to give the model of ${tag} (${(err as Error).message})`;
      }
    },
  });
  const textCandidate = (source: BaselineSource, tag: string, origin: string, text: string, uri: string): Candidate => ({
    source, tag, origin, model: () => modelOf(text, uri),
  });

  /** The first candidate whose model can be built; failures are noted against the source. */
  const settle = (candidates: Candidate[]): Baseline | undefined => {
    for (const c of candidates) {
      const m = c.model();
      if (typeof m !== 'string') return makeBaseline(c, m, opts.bundled);
      note(c.source, m);
    }
    return undefined;
  };

  checkAbort();

  // 1. Explicit setting: used as given, or reported; never silently replaced by another source.
  const explicit = opts.explicit?.trim();
  if (explicit) {
    const found: Candidate[] = [];
    let gitRef: string | undefined;
    let gitCommit: ResolveResult['gitCommit'];
    // `kubernetes-1.N.M` is the same cri-api commit as `v0.N.M`: every source is asked for the Go tag.
    const tag = parseCriApiTag(explicit)?.goTag;
    // Said where the baseline is described, so that the Go tag shown is recognisably the one asked for.
    const aka = tag && tag !== explicit ? `: ${explicit}` : '';
    const asSet = (origin: string): string => origin + (aka && ` (as set${aka})`);
    const pathLike = isPathLike(explicit);
    // A commit, as go.mod names one after `go get k8s.io/cri-api@<commit>`: Go's copy of it under that name, else
    // git, by its hash. Never the release it follows, which lacks what the commit changed.
    const pseudo = tag ? undefined : parsePseudoVersion(explicit);
    const version = tag ?? (pseudo && explicit);
    if (version) {
      if (tag && bundledHas(tag)) {
        found.push(bundledCandidate(tag, 'setting', `the bundled release index (as set${aka})`));
        const other = otherPackage(opts);
        if (other) note('setting', `the bundled release index has no releases of package ${other}; using ${tag} of ${opts.bundled!.package}`);
      } else if (tag) note('setting', notInBundled(tag, opts.bundled));
      if (!found.length) {
        const mc = await findInModuleCache({ env, homeDir, version, ...(await moduleCacheGoSum()) });
        if (mc.ok) found.push(textCandidate('setting', version, asSet(mc.origin), mc.text, mc.file));
        else note('setting', mc.reason);
      }
      // The workspace's own vendor/ (trusted only, as for the automatic baseline): with -mod=vendor and no module
      // cache, the release it vendors is nowhere else on disk.
      if (!found.length && opts.trusted && opts.filePath) {
        const vd = await findInVendor(await layout(), { version });
        if (vd.ok) found.push(textCandidate('setting', version, asSet(vd.origin), vd.text, vd.file));
        else note('setting', vd.reason);
      }
    } else {
      const p = resolvePath(opts.baseDir ?? (opts.filePath ? dirname(opts.filePath) : process.cwd()), explicit.replace(/^~(?=$|[\\/])/, homeDir));
      const r = await readFileWithin(parsePath(p).root, p, DEFAULT_MAX_FILE_BYTES);
      if ('text' in r) found.push(textCandidate('path', p, `file ${p}`, r.text, p));
      else if (pathLike) note('setting', r.reason);
    }
    if (!found.length && !pathLike) {
      const notFile = version ? '' : 'is not a file and ';
      if (!opts.filePath) note('setting', `"${explicit}" ${notFile}was not looked up in git: no file to locate a clone from`);
      else if (!opts.trusted) note('setting', `"${explicit}" ${notFile}was not looked up in git: the workspace is not trusted`);
      else {
        checkAbort();
        progress(`Reading ${explicit} from git…`);
        const g = await readGitRevision(opts.filePath, pseudo?.commit ?? tag ?? explicit, gitOptions);
        // Also when git has no such ref yet: a fetch may bring the branch.
        gitRef = settingRevision(explicit);
        if (g.ok) {
          found.push(textCandidate('setting', g.goTag ?? explicit, pseudo ? `${g.origin}, the commit of ${explicit}` : asSet(g.origin), g.text, `git:${g.gitTag}`));
          gitCommit = { rev: g.gitTag, commit: g.commit };
        } else note('setting', tag ? g.reason : pseudo ? `its commit ${pseudo.commit}, in git: ${g.reason}` : `"${explicit}" is not a file; in git: ${g.reason}`);
      }
    }
    if (!found.length && version && network) {
      checkAbort();
      const px = await fetchFromProxy(await proxyOptions({ version }));
      if (px.ok) found.push(textCandidate('setting', version, asSet(px.origin), px.text, px.origin));
      else note('setting', px.reason);
    }
    const baseline = settle(found);
    const ref = gitRef ? { gitRef } : {};
    if (baseline) return { baseline, tried, ...ref, ...(gitCommit ? { gitCommit } : {}) };
    const h = { ...DEFAULT_HINTS, ...opts.hints };
    // `v1.N.M` is a ref only in a kubernetes/kubernetes clone; elsewhere it was most likely meant as a release.
    const kube = !tag && /^v?1\./.test(explicit) ? parseKubernetesTag(explicit)?.goTag : undefined;
    if (kube) note('setting', `${explicit} is a ${explicit.startsWith('v') ? 'kubernetes/kubernetes tag' : 'Kubernetes version'}: the cri-api release of Kubernetes ${explicit} is ${kube}`);
    // The CLI names its flag in both hints: a flag is passed or left out, a setting is set or cleared.
    const cli = h.setting === h.cliFlag;
    const near = tag ? undefined : pseudo ? notARelease(explicit, pseudo, opts.networkEnabled ? undefined : h.networkSetting, cli) : nearReleases(explicit, opts.bundled);
    return {
      tried,
      ...ref,
      message:
        `The baseline "${explicit}" (${h.setting}) could not be used: ${tried.map((t) => t.outcome).join('; ')}. ` +
        (near ? `${near} ` : '') +
        `${cli ? `Pass ${h.cliFlag}` : 'Set it to'} a cri-api release tag such as ${bundledNewest ?? 'v0.36.3'}, a git ref of the clone holding api.proto, ` +
        `or the path of an api.proto file; or ${cli ? `leave ${h.cliFlag} out` : 'clear it'} to pick the last release automatically.`,
    };
  }

  /**
   * A checkout on release branch 1.N that no tag places (a shallow CI clone): the newest release of that line
   * in the bundled index, not the newest overall, which is a later line. When the text is that release's file
   * (as far as the index can tell, see `modelEncoding`), the release before it, as for HEAD at an unchanged tag.
   * A line without a release yet (only pre-releases, or pre-releases not included) gets the newest release
   * before it; a line newer than the index, the later sources.
   */
  const lineBaseline = async (g: GitMiss, line: ReleaseLine, bundled: BundledIndex): Promise<ResolveResult | undefined> => {
    const eligible = bundled.releases.filter((r) => includePrereleases || !r.prerelease).map((r) => r.tag);
    const placed = `${line.why}, and git could not place the file: ${g.reason}`;
    const newestOfLine = newestTag(eligible.filter((t) => minorOf(t) === line.minor), includePrereleases);
    const knownLine = bundled.releases.some((r) => (minorOf(r.tag) ?? -1) >= line.minor);
    if (!newestOfLine && !knownLine) {
      note('bundled', `the bundled release index has no release of the 1.${line.minor} line (${line.why}); newer sources are asked`);
      return undefined;
    }
    let tag: string | undefined;
    let why: string;
    let textCheck: TextCheck | undefined;
    if (newestOfLine) {
      const before = newestTag(eligible.filter((t) => compareTags(t, newestOfLine) < 0), includePrereleases);
      let same = false;
      if (before) {
        const is = sameAsBundled(bundled, newestOfLine);
        const current = opts.text ?? (opts.filePath ? await readChecked(opts.filePath) : undefined);
        same = current !== undefined && is(current);
        textCheck = { release: newestOfLine, same, is };
      }
      tag = same ? before! : newestOfLine;
      why = same ? `the release before ${newestOfLine}, the newest of the 1.${line.minor} line, whose file this is: ${placed}` : `newest release of the 1.${line.minor} line: ${placed}`;
    } else {
      tag = newestTag(eligible.filter((t) => (minorOf(t) ?? -1) < line.minor), includePrereleases);
      why = `newest release before the 1.${line.minor} line, which has no release${includePrereleases ? '' : ' (pre-releases not included)'} in the index: ${placed}`;
    }
    if (!tag) return undefined;
    const baseline = settle([bundledCandidate(tag, 'bundled', `the bundled release index (${why})`)]);
    if (!baseline) return undefined;
    if (textCheck?.same) baseline.release = newestOfLine;
    // On the release line, as git does with tags: what the file changes ships in a patch release.
    const v = parseGoTag(tag);
    if (v && v.minor === line.minor && (v.prerelease === undefined || v.patch > 0)) baseline.releaseLine = line.minor;
    note('bundled', `${tag}, as placed by the release branch`);
    return { baseline, tried, ...(textCheck ? { textCheck } : {}) };
  };

  // 2. Git: the clone the file lives in knows which release it descends from.
  let gitInClone: string | undefined;
  const currentTag = opts.currentTag;
  if (currentTag) note('git', `skipped: the file is ${currentTag}, as given, so git need not place it`);
  else if (!opts.trusted) note('git', 'skipped: the workspace is not trusted, so git is not run');
  else if (!opts.filePath) note('git', 'skipped: no file to locate a clone from');
  else {
    progress('Looking for cri-api release tags in git…');
    const g = await findGitBaseline(opts.filePath, gitOptions);
    if (g.placement) seen.gitPlacement = g.placement;
    if (!g.ok && g.inClone) gitInClone = g.reason;
    const textCheck = g.atTag && tagTextCheck(g.atTag);
    const withCheck = (r: ResolveResult): ResolveResult => (textCheck ? { ...r, textCheck } : r);
    if (g.ok) {
      const model = modelOf(g.baseline.text, `git:${g.baseline.gitTag}`);
      if (typeof model === 'string') note('git', model);
      else {
        note('git', `found ${g.baseline.gitTag}`);
        const baseline = makeBaseline({ source: 'git', tag: g.baseline.goTag, origin: g.origin }, model, opts.bundled);
        // HEAD at a tag with the tag's text: the file is that release (TextCheck resolves again once it is edited).
        if (g.atTag?.same) baseline.release = g.atTag.goTag;
        if (g.releaseLine !== undefined) baseline.releaseLine = g.releaseLine;
        return withCheck({ baseline, tried });
      }
    } else {
      note('git', g.reason);
      // Git knows which release the file is at, only not the text: the index has it. The newest release overall
      // would compare a release branch with later lines, so neither it nor Go's files are used here.
      const pos = g.position;
      const fits = pos && opts.bundled?.releases.filter((r) => (includePrereleases || !r.prerelease) && (pos.inclusive ? compareTags(r.tag, pos.goTag) <= 0 : compareTags(r.tag, pos.goTag) < 0));
      const tag = fits && newestTag(fits.map((r) => r.tag), includePrereleases);
      if (pos && tag) {
        const baseline = settle([bundledCandidate(tag, 'bundled', `the bundled release index (newest release ${pos.inclusive ? 'up to' : 'before'} ${pos.goTag}: ${pos.why})`)]);
        if (baseline) {
          if (g.atTag?.same) baseline.release = g.atTag.goTag;
          note('bundled', `${tag}, as placed by git`);
          return withCheck({ baseline, tried });
        }
      }
      if (!pos && g.line && opts.bundled) {
        const byLine = await lineBaseline(g, g.line, opts.bundled);
        if (byLine) return byLine;
      }
    }
  }
  checkAbort();

  // 2b. Go's own copy of a release: the vendored file of a Go module (a container runtime's
  // `vendor/k8s.io/cri-api/…/api.proto`, in a trusted workspace) or the file in the Go module cache
  // (`k8s.io/cri-api@v0.35.1/…`). It is the release its module says, which nobody edits there. Compared with a later
  // release, every later addition would be reported deleted; so, as a clone's file at its tag: with the release
  // before it while it is that release's file, with that release once edited.
  if (!currentTag && opts.filePath && opts.bundled) {
    const own = await goCopyRelease(opts.filePath, opts.bundled, opts.trusted, env, homeDir, includePrereleases, layout);
    if (own?.commit) {
      // A commit (a pseudo-version) is no release's file, edited or not: compared with the release it follows. Go
      // gives `v0.0.0-…` to a commit no release tag precedes: what was released by its date is what it can break,
      // and a later release would show what that one added as deleted.
      const untagged = own.untagged && `a commit of ${own.untagged.date} that no release tag precedes`;
      if (!own.version) {
        const first = opts.bundled.releases.filter((r) => r.date).sort((a, b) => a.date!.localeCompare(b.date!))[0]!;
        note(own.source, `the file is ${CRI_API_MODULE} ${own.commit}, ${untagged}, before every release`);
        return {
          tried,
          message: `${CRI_API_MODULE} ${own.commit} is ${untagged}, older than every release of the bundled index (the first, ${first.tag}, ` +
            `was made on ${first.date}): nothing released to compare it with (${own.says}). Set ${opts.hints?.setting ?? DEFAULT_HINTS.setting} to compare it with a release.`,
        };
      }
      const follows = own.untagged ? `the newest release made by ${own.untagged.date}, the date of ${own.commit}, a commit no release tag precedes` : `the release ${own.commit} follows`;
      const baseline = settle([bundledCandidate(own.version, 'bundled', `the bundled release index (${follows}: ${own.says})`)]);
      if (baseline) {
        note(own.source, `the file is ${CRI_API_MODULE} ${own.commit}, ${untagged ?? `a commit after ${own.version}`}`);
        return { baseline, tried };
      }
    } else if (own?.version) {
      const { version, says } = own;
      const is = sameAsBundled(opts.bundled, version);
      const current = opts.text ?? await readChecked(opts.filePath);
      const same = current !== undefined && is(current);
      // newestTag leaves pre-releases out unless they are included.
      const tag = same ? newestTag(opts.bundled.releases.map((r) => r.tag).filter((t) => compareTags(t, version) < 0), includePrereleases) : version;
      const baseline = tag && settle([bundledCandidate(tag, 'bundled', same ? `the bundled release index (the release before ${version}: ${says})` : `the bundled release index (${says}; it has been edited since)`)]);
      if (baseline) {
        if (same) baseline.release = version;
        note(own.source, `the file is ${CRI_API_MODULE} ${version}`);
        return { baseline, tried, textCheck: { release: version, same, is } };
      }
    }
  }
  checkAbort();

  // 3. Bundled index, then anything newer from Go's files on disk, then from the proxy. A file that is a given
  // release is compared with the newest release before it: a later one would show its additions as deletions.
  const before = (tag: string) => !currentTag || compareTags(tag, currentTag) < 0;
  const beforeWhat = currentTag ? ` before ${currentTag}, the release the file is` : '';
  const candidates: Candidate[] = [];
  const autoTags = opts.bundled?.releases.map((r) => r.tag).filter(before) ?? [];
  const autoNewest = currentTag ? newestTag(autoTags, includePrereleases) : bundledNewest;
  if (!opts.bundled) note('bundled', 'no bundled release index available');
  else if (!autoNewest) note('bundled', `the bundled release index has no ${includePrereleases ? '' : 'non-pre-release '}tag${beforeWhat}`);
  else {
    const other = otherPackage(opts);
    note('bundled', other ? `the bundled release index has no releases of package ${other}; newest ${opts.bundled.package} release ${autoNewest}${beforeWhat}` : `newest release ${autoNewest}${beforeWhat}`);
    // Said where the baseline is shown: on a release branch the newest release is the wrong one, and only the
    // list of what was tried would tell that the clone could not say which release the file is at.
    const why = gitInClone ? `; git could not place the file: ${gitInClone}` : '';
    candidates.push(bundledCandidate(autoNewest, 'bundled', `the bundled release index (newest release${beforeWhat}${skippedPre(autoTags, autoNewest)}${why})`));
  }
  const newest = () => candidates.map((c) => c.tag).sort((a, b) => compareTags(b, a))[0];
  const consider = (source: BaselineSource, version: string, origin: string, text: string, uri: string) => {
    if (!before(version)) {
      note(source, `found ${version}, passed over: not before ${currentTag}, the release the file is`);
      return;
    }
    const best = newest();
    if (best && compareTags(version, best) <= 0) {
      note(source, `found ${version}, not newer than ${best}`);
      return;
    }
    note(source, `found ${version}${best ? `, newer than ${best}` : ''}`);
    candidates.push(textCandidate(source, version, origin, text, uri));
  };

  // Releases found newer than the baseline may not be usable: said where the baseline is shown (see below).
  const unusable: Skipped[] = [];
  // Settings the go command would refuse to run with (`$GOWORK`, a relative GOMODCACHE): said where the baseline is
  // shown, which would differ if they were fixed.
  const refusedSettings: string[] = [];
  progress('Looking for k8s.io/cri-api in the Go module cache…');
  const mc = await findInModuleCache({ env, homeDir, includePrereleases, ...(currentTag ? { before: currentTag } : {}), ...(await moduleCacheGoSum()) });
  if (mc.ok) {
    // A newer release passed over (a zip that failed its checks) is said, not silently replaced by an older one.
    for (const s of mc.skipped ?? []) note('gomodcache', `passed over: ${s.why}`);
    consider('gomodcache', mc.version, mc.origin, mc.text, mc.file);
  } else {
    note('gomodcache', mc.reason);
    if (mc.settingRefused) refusedSettings.push(mc.reason);
  }
  unusable.push(...(mc.skipped ?? []));
  // vendor/ is the workspace's own content, found by walking up from the file, possibly past the workspace
  // folder: an untrusted workspace must not choose the release it is compared with. The Go module cache is
  // the user's, outside any workspace.
  if (!opts.trusted) note('vendor', 'skipped: the workspace is not trusted, so its vendor/ tree is not read');
  else if (opts.filePath) {
    const vd = await findInVendor(await layout(), { includePrereleases });
    if (vd.ok) {
      for (const s of vd.skipped ?? []) note('vendor', `passed over: ${s.why}`);
      consider('vendor', vd.version, vd.origin, vd.text, vd.file);
    } else {
      note('vendor', vd.reason);
      if (vd.settingRefused) refusedSettings.push(vd.reason);
    }
    unusable.push(...(vd.skipped ?? []));
  }
  checkAbort();

  if (!opts.trusted) note('proxy', 'skipped: the workspace is not trusted, so the network is not used');
  else if (!opts.networkEnabled) note('proxy', 'skipped: network use is disabled');
  else {
    const best = newest();
    const px = await fetchFromProxy(await proxyOptions({ ...(best ? { newerThan: best } : {}), ...(currentTag ? { before: currentTag } : {}) }));
    if (px.ok) consider('proxy', px.version, px.origin, px.text, px.origin);
    else note('proxy', px.reason);
  }
  checkAbort();

  const baseline = settle(candidates.sort((a, b) => compareTags(b.tag, a.tag)));
  if (!baseline) return { tried, message: nothingFound(tried, opts) };
  // Said where the baseline is shown, not only in the list of what was tried: a CI log that names an older
  // release than the module cache or vendor/ holds must say why (a download cut short leaves a truncated or empty zip).
  const newer = unusable.filter((s) => s.version && compareTags(s.version, baseline.tag) > 0);
  if (newer.length) baseline.origin += `; a newer release found was not usable: ${newer.map((s) => s.why).join('; ')}`;
  for (const why of refusedSettings) baseline.origin += `; ${why}`;
  return { baseline, tried };
}

/** `, pre-releases not included: v0.37.0-beta.0 is newer` when a newer pre-release was passed over, else ''. */
function skippedPre(tags: string[], chosen: string): string {
  const pre = newestTag(tags, true);
  return pre && compareTags(pre, chosen) > 0 ? `; pre-releases not included: ${pre} is newer` : '';
}

/** The file's package when the bundled index is known to be of another package, else undefined. */
function otherPackage(opts: ResolveOptions): string | undefined {
  const mine = opts.package?.replace(/^\./, '');
  const theirs = opts.bundled?.package;
  return mine !== undefined && theirs && mine !== theirs ? mine || '(none)' : undefined;
}

function nothingFound(tried: ResolveAttempt[], opts: ResolveOptions): string {
  const h = { ...DEFAULT_HINTS, ...opts.hints };
  const steps = [
    `set ${h.setting} to a cri-api release tag such as v0.36.3, a git ref, or the path of a released api.proto`,
    opts.trusted ? 'open api.proto inside a kubernetes/cri-api or kubernetes/kubernetes clone that has its release tags' : 'trust the workspace so that its git history can be read',
    'run `go mod download k8s.io/cri-api@latest` to put a release in the Go module cache',
  ];
  if (!opts.networkEnabled) steps.push(`enable ${h.networkSetting} to fetch the last release from the Go module proxy`);
  return (
    `No baseline release to compare api.proto against. Tried: ${tried.map((t) => `${t.source}: ${t.outcome}`).join('; ')}. ` +
    `To fix: ${steps.join('; or ')}.`
  );
}


/**
 * The release of the bundled index that the file is, when it is Go's copy of it: the vendored file of its Go module
 * (`vendor/k8s.io/cri-api/…/api.proto` beside the go.mod whose `vendor/modules.txt` lists that version; the
 * workspace's own content, so in a trusted workspace only), or the file in the Go module cache, which is the user's.
 */
async function goCopyRelease(filePath: string, bundled: BundledIndex, trusted: boolean, env: NodeJS.ProcessEnv, homeDir: string, includePrereleases: boolean, layout: () => Promise<GoLayout>):
  Promise<{ version?: string; says: string; source: BaselineSource; commit?: string; untagged?: { date: string } } | undefined> {
  const real = await fsp.realpath(filePath).catch(() => undefined);
  if (!real) return undefined;
  const root = moduleCacheRoot(env, homeDir);
  const cache = typeof root === 'string' ? await fsp.realpath(root).catch(() => undefined) : undefined;
  // <cache>/k8s.io/cri-api@v0.35.1/pkg/apis/runtime/v1/api.proto
  const [host, module, ...rest] = cache ? relative(cache, real).split(sep) : [];
  // A release of the index, or a commit (pseudo-version) after one: the file is compared with that release. A
  // `v0.0.0-…` commit, which no release tag precedes, with the newest release made by its date (none: before them all).
  const placed = (v: string): { version?: string; commit?: string; untagged?: { date: string } } | undefined => {
    if (bundled.releases.some((r) => r.tag === v)) return { version: v };
    const pseudo = parsePseudoVersion(v);
    if (pseudo?.base) return bundled.releases.some((r) => r.tag === pseudo.base) ? { version: pseudo.base, commit: v } : undefined;
    const dated = bundled.releases.filter((r) => r.date && (includePrereleases || !r.prerelease));
    if (!pseudo || !dated.length) return undefined;
    const version = newestTag(dated.filter((r) => r.date! <= pseudo.date).map((r) => r.tag), includePrereleases);
    return { ...(version ? { version } : {}), commit: v, untagged: { date: pseudo.date } };
  };
  const cached = host === 'k8s.io' && module?.startsWith('cri-api@') && rest.join('/') === V1_PATH ? module.slice('cri-api@'.length) : undefined;
  const inCache = cached && placed(cached);
  if (inCache) return { ...inCache, says: `the Go module cache ${cache} holds this file as ${CRI_API_MODULE} ${cached}`, source: 'gomodcache' };
  if (!trusted) return undefined;
  // A module's own vendored file is the release its modules.txt names also in workspace mode, where Go reads
  // another vendor/ (GOWORK=off: the module's).
  const inWorkspace = await layout();
  for (const l of [inWorkspace, withoutGoWork(inWorkspace)]) {
    const vd = await findInVendor(l, { includePrereleases: true, commits: true });
    const vendored = vd.ok && real === vd.file ? placed(vd.version) : undefined;
    if (!vd.ok || !vendored) continue;
    // vd.file is vendor/k8s.io/cri-api/pkg/apis/runtime/v1/api.proto.
    const modulesTxt = join(vd.file.slice(0, -join(CRI_API_MODULE, V1_PATH).length), 'modules.txt');
    return { ...vendored, says: `${modulesTxt} says this vendored file is ${vd.version}`, source: 'vendor' };
  }
  return undefined;
}

/** The checked file from disk, for callers that pass no text; never through a symlink out of its directory. */
async function readChecked(filePath: string): Promise<string | undefined> {
  const r = await readFileWithin(dirname(filePath), filePath, DEFAULT_MAX_FILE_BYTES);
  return 'text' in r ? r.text : undefined;
}

/** `TextCheck.is` for HEAD at a tag: the tag's own file, byte for byte (line endings aside). */
function tagTextCheck(atTag: AtTag): TextCheck {
  return { release: atTag.goTag, same: atTag.same, is: (text) => sameFileText(text, atTag.text) };
}

/**
 * `TextCheck.is` for a release of the bundled index, which keeps no text: the text's model compared with the
 * release's (`modelEncoding`). The last answer is kept: an editor asks again with the same text on every check.
 */
function sameAsBundled(bundled: BundledIndex, tag: string): (text: string) => boolean {
  let last: { text: string; same: boolean } | undefined;
  // The release's side once: the text's side is encoded again on each edit of a release branch's file.
  let release: string | null | undefined;
  return (text) => {
    if (last?.text !== text) {
      if (release === undefined) {
        const model = bundled.modelAt(tag);
        release = model ? modelEncoding(model) : null;
      }
      const model = modelOf(text, 'checked file');
      last = { text, same: release !== null && typeof model !== 'string' && modelEncoding(model) === release };
    }
    return last.same;
  };
}
