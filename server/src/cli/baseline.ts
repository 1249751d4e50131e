// How the CLI's --against becomes a Baseline: a file of any package, or what resolveBaseline finds (a tag of
// the bundled index, git, the Go module cache, the module proxy when --network is given).

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { bind } from '../proto/binder';
import type { ApiModel } from '../proto/model';
import { parse } from '../proto/parser';
import type { Baseline, History, Release } from '../baseline/types';
import { deferredBundledHistory } from '../baseline/historyIndex';
import { EXPECTED_PACKAGE, isPathLike, nearReleases, notInBundled, resolveBaseline, type ResolveAttempt } from '../baseline/resolve';
import { notCriApi } from '../compat/criFile';
import { compareTags, newestTag, parseAnyTag, parseCriApiTag } from '../policy/versions';
import { readInput } from './main';

export interface CliBaselineRequest {
  against: string;
  file: string;
  cwd: string;
  text: string;
  /**
   * The file's model, when the caller has bound it (else it is bound here): whether it is the CRI API, by what it
   * declares, decides whether a release is its baseline.
   */
  model?: Pick<ApiModel, 'package' | 'services'>;
  includePrereleases: boolean;
  network: boolean;
  /** `--current-tag`, either form: the release the file is. */
  currentTag?: string;
  onProgress(message: string): void;
}

export interface CliBaselineResult {
  baseline?: Baseline;
  /** Why no baseline was found (checks without one still run). */
  message?: string;
  /** The requested baseline does not exist or is not usable. */
  error?: string;
  /**
   * An option that this file makes do nothing (--network, --include-prereleases), and why: said, not refused as
   * main.ts refuses those that --against makes do nothing. It depends on what the file declares, not on the command
   * line, which does something for a runtime.v1 file: a CI job that runs one command over several files goes on.
   */
  ignored?: string;
}

/** The bundled release history of a package, for the checks against every earlier release; none for others. */
export function historyFor(pkg: string): History | undefined {
  try {
    return deferredBundledHistory(pkg);
  } catch {
    return undefined;
  }
}

function criHistory(): History | undefined {
  return historyFor(EXPECTED_PACKAGE);
}

export async function resolveCliBaseline(req: CliBaselineRequest): Promise<CliBaselineResult> {
  const release = req.currentTag ? parseAnyTag(req.currentTag)?.goTag : undefined;
  const r = await resolveAgainst(req, release);
  // What the user said the file is wins over what resolution found (the report ships the changes in it too).
  return r.baseline && release ? { ...r, baseline: { ...r.baseline, release } } : r;
}

async function resolveAgainst(req: CliBaselineRequest, release: string | undefined): Promise<CliBaselineResult> {
  // The package statement, as the parser reads it (a comment in it or above it is no package), picks the release
  // history.
  const current = req.model ?? bind(parse(req.text), req.file).model;
  const pkg = current.package || 'runtime.v1';
  const history = historyFor(pkg);
  const path = resolve(req.cwd, req.against);
  // A path by its form (`old.proto`, `./main`) is never a tag or a git ref: missing, it is named as given, as the
  // checked file is (`~/…`, which a shell would have expanded, is left to resolveBaseline).
  if (req.against !== 'auto' && (existsSync(path) || (isPathLike(req.against) && !req.against.startsWith('~')))) {
    // A file works for any package (e.g. runtime.v1alpha2), unlike the automatic sources.
    let baselineText: string;
    try {
      baselineText = readInput(path, req.against);
    } catch (e) {
      // Said as the baseline's: the checked file may have the same name (`--against base/api.proto api.proto`).
      return { error: `--against ${(e as Error).message}` };
    }
    const ast = parse(baselineText);
    if (ast.errors.length) {
      // Where a compiler puts it, file:line:col (1-based, UTF-16 columns as the findings'), for an editor to open.
      const { message, range: { start } } = ast.errors[0]!;
      const more = ast.errors.length > 1 ? ` (the first of ${ast.errors.length} syntax errors)` : '';
      return { error: `--against ${req.against}:${start.line + 1}:${start.character + 1}: ${message}${more}; a baseline file must parse` };
    }
    const model = bind(ast, path).model;
    return { baseline: { tag: req.against, source: 'path', origin: `file ${req.against}`, model, ...(history && model.package === pkg ? { history } : {}) } };
  }
  const notCri = notCriApi(current, req.file);
  if (notCri) {
    // Another API, or another file beside it: no cri-api release is a baseline of it, and comparing would report
    // the change of package or every released element deleted.
    const why = `${basename(req.file)} is not the CRI API: ${notCri.replace(/`/g, '')}, so it is not compared with cri-api releases`;
    if (req.against !== 'auto') return { error: `--against ${req.against}: ${why}; only a file can be its baseline` };
    // Both, when both are given: a note that names one would leave the other looking taken.
    const idle = ineffective(req, ['--include-prereleases', '--network']);
    const verb = idle.length > 1 ? 'have' : 'has';
    return { message: `${why}; pass --against <file> to compare it with another proto file`, ...(idle.length ? { ignored: `${idle.join(' and ')} ${verb} no effect on ${basename(req.file)}, which is compared with no release` } : {}) };
  }
  if (pkg !== 'runtime.v1' && history) {
    // Older major versions exist only in the bundled index, under Go tags (`kubernetes-1.N.M` is v0.N.M's twin).
    // cri-api released none after it removed the package, so the module proxy is not asked for newer ones.
    const ignored = ineffective(req, ['--network']).length
      ? { ignored: `--network has no effect on ${basename(req.file)}, a ${pkg} file: its releases (the last was ${history.releases.at(-1)?.tag ?? 'none'}) come from the bundled release index only, never from the Go module proxy` }
      : {};
    const tag = parseCriApiTag(req.against)?.goTag;
    // The 48 releases cri-api tagged only `kubernetes-1.N.M` (1.16 and older) are indexed under that name.
    const rel = req.against === 'auto'
      ? newestBefore(history, release, req.includePrereleases)
      : history.releases.find((r) => r.tag === (tag ?? req.against)) ?? history.releases.find((r) => r.tag === req.against);
    const model = rel && history.modelAt(rel.tag);
    if (!rel || !model) {
      const near = tag ? undefined : nearReleases(req.against, history);
      return { error: `--against ${req.against}: ${tag ? notInBundled(tag, history) : `no such release of ${pkg} in the bundled index${near ? `. ${near}` : ''}`}`, ...ignored };
    }
    // A tag given is `setting` and `as set`, as resolveBaseline says of runtime.v1's: JSON's `baseline.source`
    // and the Baseline: line tell a release asked for from one picked, whatever the package.
    const why = req.against === 'auto' ? `newest ${pkg} release${release ? ` before ${release}, the release the file is` : ''}`
      : `as set${rel.tag !== req.against ? `: ${req.against}` : ''}`;
    const origin = `the bundled release index (${why})`;
    const source = req.against === 'auto' ? 'bundled' : 'setting';
    return { baseline: { tag: rel.tag, kubernetes: rel.kubernetes, source, origin, model, history }, ...ignored };
  }
  // The user ran the command, so the workspace is trusted; the network stays off unless asked for.
  const result = await resolveBaseline({
    filePath: req.file,
    // The text checked (as read once, by main.ts), not the file on disk again, decides whether it is a tagged release's file.
    text: req.text,
    ...(req.against !== 'auto' ? { explicit: req.against, baseDir: req.cwd } : {}),
    trusted: true,
    networkEnabled: req.network,
    includePrereleases: req.includePrereleases,
    ...(release ? { currentTag: release } : {}),
    // A runtime.* package without releases of its own (a would-be runtime.v2, or a typo of runtime.v1) is compared
    // with the current CRI package, so that the change of package is reported (PACKAGE_CHANGED).
    ...(history ? { bundled: history } : criHistory() ? { bundled: criHistory()!, package: pkg } : {}),
    cacheDir: cacheDir(process.env),
    onProgress: req.onProgress,
    hints: { setting: '--against', cliFlag: '--against', networkSetting: '--network' },
  });
  if (result.baseline) {
    const b = req.network ? withProxyMiss(result.baseline, result.tried) : result.baseline;
    if (!history) {
      // runtime.v1's history says nothing about the file's own package (a would-be runtime.v2).
      const { history: _other, ...own } = b;
      return { baseline: own };
    }
    return { baseline: !b.history && b.model.package === pkg ? { ...b, history } : b };
  }
  const message = result.message ?? `no baseline found (${result.tried.map((t) => `${t.source}: ${t.outcome}`).join('; ')})`;
  return req.against === 'auto' ? { message } : { error: message };
}

/** Those of `options` that the request turns on, in the order given. */
function ineffective(req: CliBaselineRequest, options: ('--include-prereleases' | '--network')[]): string[] {
  return options.filter((o) => (o === '--network' ? req.network : req.includePrereleases));
}

/**
 * Where the CLI keeps what it downloads: `$XDG_CACHE_HOME/cri-compat`, else `~/.cache/cri-compat`. A relative
 * XDG_CACHE_HOME is ignored, as the XDG specification says (Go's os.UserCacheDir refuses it): it would name a folder
 * of the working directory, often a checkout, whose files would then be taken for what the module proxy sent.
 */
function cacheDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'cri-compat');
}

/**
 * With --network, a baseline that did not come from the Go module proxy says why (not reachable, nothing newer):
 * a CI job that asked for the newest release must not be compared with an older one without a word.
 */
function withProxyMiss(b: Baseline, tried: ResolveAttempt[]): Baseline {
  const proxy = b.source === 'proxy' ? undefined : tried.find((t) => t.source === 'proxy');
  return proxy ? { ...b, origin: `${b.origin}; not from the Go module proxy: ${proxy.outcome}` } : b;
}

/** The newest release of the history, or the newest before the file's own release when that is known. */
function newestBefore(history: History, release: string | undefined, includePrereleases: boolean): Release | undefined {
  if (!release) return history.newestRelease?.({ includePrereleases });
  const tag = newestTag(history.releases.map((r) => r.tag).filter((t) => compareTags(t, release) < 0), includePrereleases);
  return history.releases.find((r) => r.tag === tag);
}
