// `cri-compat` command line: the same checks as the editor, for CI. Exit status: 0 nothing at or above
// --fail-on, 1 there is, 2 bad usage or unreadable/invalid input.

import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { comparePositions } from '../proto/ast';
import type { Problem, Severity } from '../proto/binder';
import { analyze, analyzeBound, type Analysis } from '../service';
import { parse } from '../proto/parser';
import { bind } from '../proto/binder';
import type { Baseline } from '../baseline/types';
import type { ApiModel } from '../proto/model';
import { compareTags, parseAnyTag, parseCriApiTag, parsePseudoVersion } from '../policy/versions';
import { formatGithub, formatJson, formatSarif, formatSarifGroups, formatText, jsonForLog, jsonReport, oneLine, JSON_SCHEMA_VERSION, SEVERITY_ORDER, VERSION, type JsonReport, type Reportable, type SarifGroup, type SarifInvocation } from '../report/formats';
import { ciDirName, ciLocation } from './location';
import { notFullyChecked, renderReport } from '../report/markdown';
import { describeBaseline } from '../features/policyHover';
import { notCriApi } from '../compat/criFile';
import { RULES } from '../compat/rules';
import { FILE_PROBLEM_SEVERITY, layerSeverities, validateSeverityOverrides, type SeveritySetting } from '../compat/check';
import { historyQuery } from '../baseline/historyCommand';
import { loadBundledHistory } from '../baseline/historyIndex';
import { historyFor, resolveCliBaseline } from './baseline';
import { EXPECTED_PACKAGE, nearReleases } from '../baseline/resolve';
import { loadConfigFile } from '../compat/configFile';
import { readRegularFileSync, tooLargeText } from '../regularFile';
import { FsImportResolver } from '../lsp/importResolver';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { counted } from '../plural';
import { editDistance } from '../editDistance';
import { decodeUtf8, notUtf8Text } from '../utf8Text';
import { PairsTally, type SkipReason } from './pairsSummary';

export interface Io {
  out(s: string): void;
  err(s: string): void;
  cwd: string;
}

/** Larger inputs are refused: the real api.proto is ~100 KB, so this leaves room without risking memory. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

const USAGE = `Usage: cri-compat <command> [options]

Commands:
  check [options] <file.proto>   Compare a CRI api.proto with the last released cri-api tag
    --against <tag|path|auto>    Baseline: a cri-api tag (v0.33.0), a git ref, a file, or auto (default)
    --format text|json|sarif|github   Output format (default text)
    --fail-on error|warning|information|hint|never   Exit 1 when a finding is at or above this (default error)
    --severity RULE_OR_CATEGORY=LEVEL  Override a severity (repeatable, once per rule or category; LEVEL: error, warning, information, hint, off)
    --config <file>              Read severities from a JSON config (default: .cri-compat.json next to the file or in the cwd)
    --include-prereleases        Let "auto" pick alpha/beta/rc tags as the baseline (off unless given; only with auto;
                                 a note says when the file is not the CRI API)
    --network                    Off unless given: ask the Go module proxy ($GOPROXY) for tags newer than the bundled
                                 index; only with auto, a tag or a pseudo-version (not a file or a git ref); a note
                                 says when the file is runtime.v1alpha2 or not the CRI API
    --current-tag <tag>          The release the file is, v0.N.M, kubernetes-1.N.M or 1.N.M (default: what git tags
                                 tell), for the patch-release policy where a clone's git tags do not tell it; "auto"
                                 then picks the newest release before it
    --proto-path <dir>           Also look for imports in <dir> (repeatable; the file's directory is always searched)
  report [options] <file.proto>  Print the compatibility report (markdown); the options of check but --format
  pairs [options] <file.proto> <file.proto>...   Check each file against the one before it of the same
                                 package (e.g. every release, each package's oldest first); TAG=FILE names a
                                 file's release. Options: --format text|json|sarif|github, --fail-on,
                                 --severity, --config, --proto-path. Files that make no pair (each the only
                                 one of its package) exit 2
  history [--element <path>] [--package runtime.v1]   Release history from the bundled index: of the element, or
                                 (default) the package's; --package default: the element's, else runtime.v1
  rules                          List every rule with category, default severity and summary
  parse <file.proto>             Report syntax and binding problems only (exit 1 on an error); --proto-path as check
  help [command], --help         Print this usage
  --version                      Print the version
Boolean options also take =true or =false. An option that the others make do nothing is refused (exit 2).
A checked file with syntax errors exits 2 after its output.`;

const FAIL_ON = ['error', 'warning', 'information', 'hint', 'never'];

class UsageError extends Error {}
/**
 * An input that cannot be used: a file that is missing, unreadable, too large or not UTF-8 text, an import
 * directory (--proto-path) that is not there, or a baseline that does not exist. Exit 2 like bad usage, but without "Run --help": the command line was right, and the
 * message says what to do instead.
 */
class InputError extends Error {}

interface Parsed {
  positional: string[];
  flags: Map<string, string[]>;
}

const VALUE_FLAGS = new Set(['--proto-path', '--against', '--format', '--fail-on', '--severity', '--config', '--element', '--package', '--current-tag']);
const BOOL_FLAGS = new Set(['--include-prereleases', '--network', '--help', '--version']);

/** The options each command uses (besides --help and --version): any other is refused, not silently ignored. */
const COMMAND_FLAGS: Record<string, readonly string[]> = {
  check: ['--against', '--format', '--fail-on', '--severity', '--config', '--include-prereleases', '--network', '--current-tag', '--proto-path'],
  report: ['--against', '--fail-on', '--severity', '--config', '--include-prereleases', '--network', '--current-tag', '--proto-path'],
  pairs: ['--format', '--fail-on', '--severity', '--config', '--proto-path'],
  history: ['--element', '--package'],
  rules: [],
  parse: ['--proto-path'],
};

function parseArgs(args: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { positional.push(...args.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (BOOL_FLAGS.has(name)) {
        // The last one wins, so that a script can turn off what an earlier argument turned on.
        const value = eq > 0 ? a.slice(eq + 1) : 'true';
        if (value !== 'true' && value !== 'false') throw new UsageError(`${name} takes no value, =true or =false, not "${value}"`);
        flags.set(name, [value]);
        continue;
      }
      if (!VALUE_FLAGS.has(name)) throw new UsageError(`unknown option ${name}`);
      const value = eq > 0 ? a.slice(eq + 1) : args[++i];
      // `--format --fail-on never`: the value is missing, not "--fail-on" (`--x=--y` still passes one).
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${name} needs a value`);
      // What an unset CI variable gives (`--config "$CONFIG"`): not the default config, nor the current directory.
      if (value === '') throw new UsageError(`${name} needs a value, not an empty string`);
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else if (a.length > 1 && a.startsWith('-')) {
      // `-f json` would otherwise be two file names; a file whose name starts with `-` goes after `--`.
      throw new UsageError(`unknown option ${a}`);
    } else positional.push(a);
  }
  return { positional, flags };
}

function on(p: Parsed, name: string): boolean {
  return p.flags.get(name)?.[0] === 'true';
}

function one(p: Parsed, name: string, allowed?: string[]): string | undefined {
  const v = p.flags.get(name);
  if (!v) return undefined;
  if (v.length > 1) throw new UsageError(`${name} given more than once`);
  if (allowed && !allowed.includes(v[0]!)) throw new UsageError(`${name} must be one of ${allowed.join(', ')}, not "${v[0]}"`);
  return v[0];
}

/**
 * `-`, which many tools read as standard input, when no file has that name: said so, rather than "cannot read
 * (ENOENT)" or a git lookup of a ref named `-`. Standard input is not read, as a pipe is not (checkInput).
 */
function refuseStdin(value: string, name: string, cwd: string): void {
  if (value === '-' && !existsSync(resolve(cwd, value))) throw stdinNotRead(name);
}

function stdinNotRead(name: string): InputError {
  return new InputError(`${name}: standard input is not read; save the text to a file and pass that (a file named - is ./-)`);
}

/** Refuses what is not a readable regular file within the size limit, before anything is read. */
function checkInput(path: string, name: string): void {
  let size: number;
  try {
    const st = statSync(path);
    // A pipe is not read (it could wait forever); `git show ref:api.proto | … /dev/stdin` and `<(…)` give one.
    if (st.isFIFO() || st.isSocket()) throw new InputError(`${name}: not a regular file but a pipe; save its text to a file and pass that`);
    if (!st.isFile()) throw new InputError(`${name}: not a regular file`);
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (name === '-' && (e as NodeJS.ErrnoException).code === 'ENOENT') throw stdinNotRead(name);
    throw new InputError(`${name}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (size > MAX_INPUT_BYTES) throw new InputError(`${name}: ${tooLargeText(size, MAX_INPUT_BYTES)}`);
}

/** The bytes of a regular file within the size limit; the file may have changed since `checkInput` (readRegularFileSync). */
function readBytes(path: string, name: string): Buffer {
  const r = readRegularFileSync(path, { max: MAX_INPUT_BYTES });
  if (r.ok) return r.bytes;
  switch (r.why) {
    case 'not-regular': throw new InputError(`${name}: not a regular file`);
    case 'too-large': throw new InputError(`${name}: ${tooLargeText(r.size, MAX_INPUT_BYTES)}`);
    default: throw new InputError(`${name}: cannot read (${r.code})`);
  }
}

/**
 * The text of a .proto file. `name` is what messages call it: the path as the command line gave it (relative to the
 * cwd when given so), as the findings do, not the absolute path.
 */
export function readInput(path: string, name: string): string {
  checkInput(path, name);
  const d = decodeUtf8(readBytes(path, name), '.proto');
  if ('text' in d) return d.text;
  throw new InputError(notUtf8Text(name, d.error));
}

export async function main(argv: string[], rawIo: Io): Promise<number> {
  // Every message on stderr is one line: file names, baseline origins and config contents may be hostile, and a
  // line break or terminal control in them could forge CI workflow commands (`::error …`) or rewrite the screen.
  // Only the texts written here, usage and history, have lines of their own.
  const io: Io = { ...rawIo, err: (s) => rawIo.err(oneLine(s)) };
  try {
    const p = parseArgs(argv);
    const [command, ...rest] = p.positional;
    if (on(p, '--version')) { io.out(`cri-compat ${VERSION}`); return 0; }
    // `help` too, as git and npm take it: the usage, for any command it knows (there is one usage for all).
    if (command === 'help' && rest[0] !== undefined && !Object.hasOwn(COMMAND_FLAGS, rest[0]) && rest[0] !== 'help') throw unknownCommand(rest[0]);
    if (command === 'help' && rest.length > 1) throw new UsageError(`help takes one command at most, not also "${rest[1]}"`);
    if (on(p, '--help') || command === 'help') { io.out(USAGE); return 0; }
    if (!command) { rawIo.err(USAGE); return 2; }
    const allowed = Object.hasOwn(COMMAND_FLAGS, command) ? COMMAND_FLAGS[command]! : undefined;
    if (!allowed) throw unknownCommand(command);
    for (const flag of p.flags.keys()) {
      if (flag !== '--help' && flag !== '--version' && !allowed.includes(flag)) throw new UsageError(`${command} does not take ${flag}`);
    }
    if ((command === 'rules' || command === 'history') && rest.length) throw new UsageError(`${command} takes no arguments, not "${rest[0]}"`);
    switch (command) {
      case 'rules':
        const width = Math.max(...RULES.map((r) => r.id.length));
        for (const r of RULES) io.out(`${r.id.padEnd(width)} ${r.category.padEnd(9)} ${r.severity.padEnd(11)} ${r.title}`);
        return 0;
      case 'history': {
        const element = one(p, '--element');
        // Blank, as an unset CI variable with a space around it gives: refused as an empty value is, not taken for
        // no --element (the whole package's history, exit 0, where one element's was asked for).
        if (element !== undefined && element.trim() === '') throw new UsageError('--element needs a value, not a blank string');
        // An element of the removed API names its package: its own history, as --package runtime.v1alpha2 gives.
        const pkg = one(p, '--package') ?? (/^\.?runtime\.v1alpha2\./.test(element ?? '') ? 'runtime.v1alpha2' : 'runtime.v1');
        const result = historyQuery(loadBundledHistory(pkg), element);
        if (result.ok) io.out(result.text);
        // One line, as every other message: it quotes --element, which may hold a line break that would
        // otherwise start a line of its own (a forged workflow command, `::error::…`, in a CI log).
        else io.err(`cri-compat: ${result.text}`);
        return result.ok ? 0 : 2;
      }
      case 'parse': {
        const file = single(rest, 'parse');
        const abs = resolve(io.cwd, file);
        const items = reportables(analyze(readInput(abs, file), { uri: pathToFileURL(abs).href, imports: importsFor(p, io) }));
        if (items.length) io.out(formatText(file, items));
        return items.some((x) => x.severity === 'error') ? 1 : 0;
      }
      case 'check':
      case 'report':
        return await check(command, rest, p, io);
      case 'pairs':
        return pairs(rest, p, io);
      default:
        throw unknownCommand(command);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`cri-compat: ${e.message}`);
      io.err('Run "cri-compat --help" for usage.');
      return 2;
    }
    io.err(`cri-compat: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}

/** With the command it most likely meant: the nearest within a third of its length (at least 2 edits). */
function unknownCommand(command: string): UsageError {
  const limit = Math.max(2, Math.floor(command.length / 3));
  const [meant] = [...Object.keys(COMMAND_FLAGS), 'help']
    .map((c) => ({ c, d: editDistance(command.toLowerCase(), c, limit) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d);
  return new UsageError(`unknown command "${command}"${meant ? `; did you mean "${meant.c}"?` : ''}`);
}

function importsFor(p: Parsed, io: Io): FsImportResolver {
  const roots = (p.flags.get('--proto-path') ?? []).map((d) => {
    const dir = resolve(io.cwd, d);
    // A mistyped path would otherwise only show up as unresolved imports, or not at all.
    let isDir: boolean;
    try { isDir = statSync(dir).isDirectory(); } catch (e) { throw new InputError(`--proto-path ${d}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`); }
    if (!isDir) throw new InputError(`--proto-path ${d}: not a directory`);
    return dir;
  });
  // Only for a missing import: finding the root looks for a `.git` in every directory above the file.
  const rootOf = new Map<string, string | undefined>();
  const dirName = (dir: string, fromUri: string): string => {
    if (!rootOf.has(fromUri)) rootOf.set(fromUri, ciLocation(fileURLToPath(fromUri), io.cwd).root);
    return ciDirName(dir, rootOf.get(fromUri));
  };
  return new FsImportResolver({ roots, dirName });
}

function single(rest: string[], command: string): string {
  if (rest.length !== 1) throw new UsageError(`${command} takes exactly one .proto file`);
  return rest[0]!;
}

async function check(command: 'check' | 'report', rest: string[], p: Parsed, io: Io): Promise<number> {
  const file = single(rest, command);
  const abs = resolve(io.cwd, file);
  const format = one(p, '--format', ['text', 'json', 'sarif', 'github']) ?? 'text';
  const failOn = one(p, '--fail-on', FAIL_ON) ?? 'error';
  const currentTag = one(p, '--current-tag');
  if (currentTag !== undefined && !parseAnyTag(currentTag)) {
    const near = nearReleases(currentTag, historyFor(EXPECTED_PACKAGE));
    throw new UsageError(`--current-tag must be a release tag such as v0.36.3 or kubernetes-1.36.3, not "${currentTag}"${near ? `. ${near}` : ''}`);
  }
  const against = one(p, '--against') ?? 'auto';
  const againstTag = currentTag !== undefined ? parseCriApiTag(against)?.goTag : undefined;
  // A later release as the baseline reports all that came after the file's release as deleted from it.
  if (againstTag && compareTags(againstTag, parseAnyTag(currentTag!)!.goTag) > 0) {
    throw new UsageError(`--against ${against} is not before --current-tag ${currentTag}: a baseline is an earlier release (or the same one)`);
  }
  refuseStdin(against, '--against -', io.cwd);
  refuseIneffective(against, p, io.cwd);
  const imports = importsFor(p, io);
  const text = readInput(abs, file);
  const severity = severityOverrides(p, abs, io);

  // Bound once, before the baseline is chosen: what the file declares decides whether a release is its baseline.
  const bound = bind(parse(text), pathToFileURL(abs).href, imports);
  const resolved = await resolveCliBaseline({
    against, file: abs, cwd: io.cwd, text, model: bound.model,
    includePrereleases: on(p, '--include-prereleases'), network: on(p, '--network'),
    ...(currentTag ? { currentTag } : {}),
    onProgress: (m) => { if (format === 'text') io.err(m); },
  });
  if (resolved.ignored) io.err(`cri-compat: note: ${resolved.ignored}`);
  if (resolved.error) throw new InputError(resolved.error);
  const baseline: Baseline | undefined = resolved.baseline;
  // In every format: a CI log must say what the file was compared with, and why (a shallow clone without tags
  // falls back to the newest bundled release, which makes a maintenance branch's file look broken).
  if (baseline) io.err(`Baseline: ${describeBaseline(baseline)}`);
  else if (resolved.message) io.err(`cri-compat: ${resolved.message}`);

  const analysis = analyzeBound(text, bound, { severity, ...(baseline ? { baseline } : {}), ...(currentTag ? { currentTag } : {}) });
  const items = reportables(analysis);
  const syntaxErrors = analysis.bound.ast.errors.length;
  // Invalid input, whatever --fail-on says: what the parser skipped was compared with nothing.
  const exitCode = syntaxErrors ? 2 : fails(items, failOn) ? 1 : 0;

  // The count text's stderr ends with, most severe first: also in GitHub's log and in SARIF's notifications, as
  // `pairs` gives its count in those (JSON lists every finding, and its reader counts them).
  const count = `${counted(items.length, 'finding')}: ${countBy(items)}`;
  if (command === 'report') {
    const notCri = notCriApi(analysis.bound.model, abs);
    io.out(renderReport({ file, package: analysis.bound.model.package, ...(notCri ? { notCriApi: notCri } : {}), findings: analysis.findings, additions: analysis.additions, problems: analysis.bound.problems, host: 'cli', ...(baseline ? { baseline } : {}) }));
  } else if (format === 'json') io.out(formatJson(file, baseline, items));
  else if (format === 'sarif') {
    const notifications: SarifInvocation['notifications'] = [baseline ? { level: 'note', text: `Baseline: ${describeBaseline(baseline)}` } : { level: 'warning', text: resolved.message ?? 'no baseline' }, { level: 'note', text: count }];
    if (syntaxErrors) notifications.push({ level: 'error', text: notFullyChecked(file, syntaxErrors) });
    io.out(formatSarif(ciLocation(abs, io.cwd), items, { exitCode, executionSuccessful: !syntaxErrors, notifications }));
  } else if (format === 'github') { if (items.length) io.out(formatGithub([{ file: githubPath(abs, io.cwd), items }])); }
  else if (items.length) io.out(formatText(file, items));
  // GitHub's log shows stderr beside the annotations, of which GitHub makes only ten of a kind: the count is there too.
  if (command === 'check' && (format === 'text' || format === 'github')) io.err(count);
  if (syntaxErrors) io.err(`cri-compat: ${notFullyChecked(file, syntaxErrors)}`);
  return exitCode;
}

/**
 * Options that the given --against makes do nothing are refused, as other conflicting options are: a CI job that
 * asks for pre-releases or the module proxy must not believe it got them. Only `auto` picks a release, so only it
 * can pick a pre-release; the proxy is asked only for a release or a pseudo-version, never for a file or a git ref.
 */
function refuseIneffective(against: string, p: Parsed, cwd: string): void {
  if (against === 'auto') return;
  if (on(p, '--include-prereleases')) throw new UsageError(`--include-prereleases has no effect with --against ${against}: it lets --against auto pick a pre-release, and a baseline given is used as given`);
  if (!on(p, '--network')) return;
  // As resolveAgainst decides: a path that exists wins over a tag or ref of the same name.
  const what = existsSync(resolve(cwd, against)) ? 'a file' : parseCriApiTag(against) || parsePseudoVersion(against) ? undefined : 'not a release tag';
  if (what) throw new UsageError(`--network has no effect with --against ${against}, ${what}: the Go module proxy is asked only for a release tag, a pseudo-version or --against auto`);
}

/** An annotation's `file`: relative to the repository root, or absolute (the runner then tries the workspace). */
function githubPath(abs: string, cwd: string): string {
  const l = ciLocation(abs, cwd);
  return l.relative ?? l.absolute;
}

/** Severities from .cri-compat.json (or --config), with the --severity flags over them (layerSeverities). */
function severityOverrides(p: Parsed, file: string, io: Io): Record<string, SeveritySetting> {
  // No prototype: `__proto__=…` is an entry like any other, and validated (refused) like one.
  const flags: Record<string, SeveritySetting> = Object.create(null);
  for (const s of p.flags.get('--severity') ?? []) {
    // A `-` too: a problem's id (`unresolved-import=off`) is then refused as such (validateSeverityOverrides),
    // not as a malformed argument.
    const m = /^([A-Za-z_][\w-]*)=(\w+)$/.exec(s);
    if (!m) throw new UsageError(`--severity takes RULE_OR_CATEGORY=LEVEL, not "${s}"`);
    // Refused like any other option given twice: which of the two wins would otherwise be the order of the arguments.
    if (m[1]! in flags) throw new UsageError(`--severity ${m[1]} given more than once (${flags[m[1]!]}, then ${m[2]})`);
    flags[m[1]!] = m[2] as SeveritySetting;
  }
  const bad = validateSeverityOverrides(flags);
  // What a CI job can do about a file problem instead: --fail-on decides whether its severity fails the run.
  const instead = bad.some((b) => b.includes(FILE_PROBLEM_SEVERITY)) ? ' (--fail-on chooses the severities that fail the run; a file with syntax errors always exits 2)' : '';
  if (bad.length) throw new UsageError(`--severity: ${bad.join('; ')}${instead}`);
  const config = one(p, '--config');
  if (config !== undefined) refuseStdin(config, '--config -', io.cwd);
  return layerSeverities(loadConfigFile(config, file, io.cwd), flags);
}

/** Syntax and binding problems, then findings, in the order of the file. */
function reportables(analysis: Analysis): Reportable[] {
  return [...analysis.bound.problems.map(reportable), ...analysis.findings].sort((a, b) => comparePositions(a.range.start, b.range.start));
}

function reportable(x: Problem): Reportable {
  return { rule: x.code, severity: x.severity, message: x.message, range: x.range };
}

function fails(items: Reportable[], failOn: string): boolean {
  if (failOn === 'never') return false;
  const threshold = SEVERITY_ORDER[failOn as Severity];
  return items.some((x) => SEVERITY_ORDER[x.severity] >= threshold);
}

/** How many files `pairs` checks between two progress lines (about a second of a run over every release). */
const PAIRS_PROGRESS_EVERY = 100;

interface PairsInput {
  /** As given on the command line, without the TAG= prefix: what the output calls the file. */
  name: string;
  path: string;
  tag?: string;
}

/** `TAG=FILE` when TAG is a release tag and the argument is not itself a file; otherwise a plain path. */
function pairsInput(arg: string, cwd: string): PairsInput {
  const eq = arg.indexOf('=');
  if (eq > 0 && !existsSync(resolve(cwd, arg))) {
    const [tag, name] = [arg.slice(0, eq), arg.slice(eq + 1)];
    // `v0.36.0=$FILE` with FILE unset: said, rather than ": not a regular file" (the empty name is the directory).
    if (parseAnyTag(tag) && !name) throw new UsageError(`"${arg}" names no file: TAG=FILE takes a file after the =`);
    if (parseAnyTag(tag)) return { name, path: resolve(cwd, name), tag };
    // A branch name as a label (`main=old.proto`): said, rather than "main=old.proto: cannot read".
    if (existsSync(resolve(cwd, name))) {
      const near = nearReleases(tag, historyFor(EXPECTED_PACKAGE));
      throw new UsageError(`"${tag}" in "${arg}" is not a release tag: TAG=FILE takes v0.N.M, kubernetes-1.N.M or 1.N.M${near ? `. ${near}` : ''}`);
    }
  }
  return { name: arg, path: resolve(cwd, arg) };
}

/**
 * `pairs`: every file against the one before it *of the same package*, as `check --against` would, in one
 * process. Each file is parsed and bound once: its model is the baseline of the next file of its package. Each
 * package is a series of its own (runtime.v1alpha2 and runtime.v1 are two APIs, and cri-api's tags v0.20–v0.25
 * carry both, so a release series in tag order interleaves them); the first file of a package starts its series
 * and is compared with nothing; files that make no pair at all exit 2. A file that declares no package is
 * compared with the file just before it (PACKAGE_CHANGED), not taken for another API, and continues that file's
 * series.
 * Every file's syntax errors are reported, also where no pair shows them (the first file of a series, the new
 * file of a skipped pair), and make the run exit 2 at the end.
 */
function pairs(rest: string[], p: Parsed, io: Io): number {
  if (rest.length < 2) throw new UsageError('pairs takes two or more .proto files');
  const format = one(p, '--format', ['text', 'json', 'sarif', 'github']) ?? 'text';
  const failOn = one(p, '--fail-on', FAIL_ON) ?? 'error';
  const files = rest.map((a) => pairsInput(a, io.cwd));
  // A file that is missing or not UTF-8 text is reported before any pair is: not after half of the output.
  // Each is read again below, so that a run over every release holds one text at a time, not all of them.
  for (const f of files) readInput(f.path, f.name);
  const severity = severityOverrides(p, files[0]!.path, io);
  const imports = importsFor(p, io);
  const label = (f: PairsInput): string => f.tag ?? f.name;

  // `skipped` says why in words, `skipReason` for a script (added later: `skipped` keeps its meaning).
  const json: { old: string; new: string; skipped?: string; skipReason?: SkipReason; report?: JsonReport }[] = [];
  const invalid: { file: string; findings: JsonReport['findings'] }[] = [];
  // Printed at the end: GitHub's limit of annotations is the step's, over every pair (formatGithub).
  const annotations: { file: string; items: Reportable[] }[] = [];
  // One SARIF run for the whole series: each new file's findings, with the pair; skipped pairs as notifications.
  const sarifGroups: SarifGroup[] = [];
  const sarifSkipped: SarifInvocation['notifications'] = [];
  const notChecked: string[] = [];
  let failed = false;
  // Pairs compared or skipped (the first file of each package is in none), and what they found.
  const tally = new PairsTally();
  // The first file of each series and its package: what to say when no file made a pair.
  const starts: string[] = [];
  interface Previous { input: PairsInput; model: ApiModel; syntaxErrors: number; series: string }
  // The file just before, and the latest file of each series (keyed by package; see `pairs` above).
  let before: Previous | undefined;
  const latest = new Map<string, Previous>();
  // A long run (every release: hundreds of pairs, seconds) says how far it got on stderr, as check's baseline
  // lookup does: in text only, whose stdout may be redirected; JSON and GitHub's log carry only their own output.
  // It counts files of the files given, and the pairs made so far: how many pairs the run makes is known only at
  // the end, as only parsing a file tells its package (files are read, not parsed, before the run).
  let done = 0;
  const progress = (): void => {
    if (format === 'text' && done % PAIRS_PROGRESS_EVERY === 0 && done < files.length) {
      io.err(`Checked ${done} of ${files.length} files, ${counted(tally.summary.pairs, 'pair')} (up to ${label(files[done - 1]!)})…`);
    }
  };
  for (const input of files) {
    const text = readInput(input.path, input.name);
    const uri = pathToFileURL(input.path).href;
    let baseline: Baseline | undefined;
    let skipped: string | undefined;
    let skipReason: SkipReason | undefined;
    // A skipped pair that makes the run exit 2 is said once, with the other exit-2 reasons at the end.
    let fatal = false;
    // Bound before the pair is compared: its package, as the parser reads it, says whether the pair is one API.
    const bound = bind(parse(text), uri, imports);
    const pkg = bound.model.package;
    // Only two packages declared make two APIs. A file that declares none (empty, or cut before its `package`
    // line) is compared with the file just before it, as `check --against` compares it: PACKAGE_CHANGED names
    // it, and a release series with a truncated file fails instead of passing with the pair skipped. The next
    // file of its package, or one after it that declares a package not seen yet, is compared with it in turn.
    const series = pkg || (before?.series ?? '');
    const prev = pkg ? latest.get(pkg) ?? (before && !before.model.package ? before : undefined) : before;
    if (prev) {
      const history = historyFor(pkg);
      if (prev.syntaxErrors) {
        skipped = `${label(prev.input)} has ${counted(prev.syntaxErrors, 'syntax error')}`;
        skipReason = 'syntax-errors';
      }
      // An earlier release after a later one of the same package would report all that came between them as
      // deleted (`check` refuses such an --against for the same reason). Said here, not before the run: only
      // the files' packages tell which files are one series.
      else if (input.tag && prev.input.tag && compareTags(input.tag, prev.input.tag) < 0) {
        skipped = `${input.tag} is an earlier release than ${prev.input.tag}: give each package's files oldest first`;
        skipReason = 'out-of-order';
        notChecked.push(`${label(prev.input)} → ${label(input)}: not compared, ${skipped}`);
        fatal = true;
      }
      else baseline = { tag: label(prev.input), source: 'path', origin: `file ${prev.input.name}`, model: prev.model, ...(history ? { history } : {}) };
    } else starts.push(`${label(input)} is ${pkg || 'of no package'}`);
    const analysis = analyzeBound(text, bound, { severity, ...(baseline ? { baseline } : {}), ...(input.tag ? { currentTag: input.tag } : {}) });
    let shown = false;
    if (prev) {
      const pair = { old: label(prev.input), new: label(input) };
      if (skipped) {
        tally.skipped();
        json.push({ ...pair, skipped, ...(skipReason ? { skipReason } : {}) });
        // JSON says it in `skipped` and SARIF in a notification; annotations alone would not show that a pair
        // was not compared. One out of order is said as an error at the end (notChecked), not also here.
        if (!fatal && format === 'sarif') sarifSkipped.push({ level: 'warning', text: `${pair.old} → ${pair.new}: skipped (${skipped})` });
        else if (!fatal && format !== 'json') io.err(`${pair.old} → ${pair.new}: skipped (${skipped})`);
      } else {
        const items = reportables(analysis);
        failed ||= fails(items, failOn);
        tally.compared(analysis);
        shown = true;
        if (format === 'json') json.push({ ...pair, report: jsonReport(input.name, baseline, items) });
        else if (format === 'github') { if (items.length) annotations.push({ file: githubPath(input.path, io.cwd), items }); }
        else if (format === 'sarif') { if (items.length) sarifGroups.push({ location: ciLocation(input.path, io.cwd), items, properties: pair }); }
        else if (items.length) io.out(`${oneLine(`== ${pair.old} → ${pair.new}: ${counted(items.length, 'finding')}`)}\n${formatText(input.name, items)}`);
      }
    }
    const syntax = analysis.bound.problems.filter((x) => x.code === 'syntax').map(reportable);
    if (syntax.length) {
      notChecked.push(notFullyChecked(input.name, syntax.length));
      // JSON lists every file's, in one place; text, github and sarif add those that no pair above showed.
      if (format === 'json') invalid.push({ file: input.name, findings: jsonReport(input.name, undefined, syntax).findings });
      else if (!shown && format === 'github') annotations.push({ file: githubPath(input.path, io.cwd), items: syntax });
      else if (!shown && format === 'sarif') sarifGroups.push({ location: ciLocation(input.path, io.cwd), items: syntax });
      else if (!shown) io.out(`${oneLine(`== ${label(input)}: ${counted(syntax.length, 'syntax error')}`)}\n${formatText(input.name, syntax)}`);
    }
    before = { input, model: analysis.bound.model, syntaxErrors: syntax.length, series };
    latest.set(series, before);
    done++;
    progress();
  }
  // Files given, none compared: a CI job that passed files of two packages by mistake must not pass as if it
  // checked them. Exit 2 as for an input that cannot be used (pairs of one file is bad usage), after the output.
  if (!tally.summary.pairs) notChecked.push(`no pair compared: ${starts.join(', ')}, each the only file of its package; give two or more files of one package`);
  const exitCode = notChecked.length ? 2 : failed ? 1 : 0;
  // Skipped pairs are counted apart: a run whose pairs were mostly skipped must not read as a run that compared
  // them all and found nothing. Compatibility findings are counted apart from the files' own problems (see
  // PairsTally), with a note on imports not found: the same count and note in every format.
  const summary = tally.text();
  const importNote = tally.importNote();
  if (format === 'json') io.out(jsonForLog({ schemaVersion: JSON_SCHEMA_VERSION, pairs: json, syntaxErrors: invalid, summary: tally.summary }));
  if (format === 'sarif') {
    const notifications: SarifInvocation['notifications'] = [
      { level: 'note', text: summary }, ...(importNote ? [{ level: 'note' as const, text: importNote }] : []),
      ...sarifSkipped, ...notChecked.map((text) => ({ level: 'error' as const, text })),
    ];
    io.out(formatSarifGroups(sarifGroups, { exitCode, executionSuccessful: !notChecked.length, notifications }));
  }
  if (annotations.length) io.out(formatGithub(annotations));
  // GitHub's log shows stderr beside the annotations: the count is said there as in text (JSON and SARIF carry it).
  if (format === 'text' || format === 'github') {
    io.err(summary);
    if (importNote) io.err(`cri-compat: note: ${importNote}`);
  }
  for (const m of notChecked) io.err(`cri-compat: ${m}`);
  return exitCode;
}

/** "1 error, 24 warnings, 5 hints": most severe first, as a reader looks for errors first. */
function countBy(items: Reportable[]): string {
  const c: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const i of items) c[i.severity]++;
  // "information" has no plural.
  return (Object.entries(c) as [Severity, number][]).filter(([, v]) => v).map(([k, v]) => counted(v, k, k === 'information' ? k : undefined)).join(', ') || 'none';
}

