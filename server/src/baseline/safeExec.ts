// Running git on repositories we do not control. A clone's `.git/config` and attributes can name programs
// (fsmonitor hook, pager, external diff, textconv driver, hooks, GPG); none of them may run. So git is
// started by its absolute path (found in PATH's absolute directories only: never a git.exe in the repository),
// without a shell, with those settings overridden on the command line (which beats repository config), with
// no system or global config, in a scrubbed environment, with a timeout and an output cap.

import type { execFile as nodeExecFile, spawn as nodeSpawn, ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants as fsConstants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix as posixPath, win32 as win32Path } from 'node:path';
import { oneLine } from '../report/formats';

/** The two process primitives used here; injected by tests (and by callers that must never spawn). */
export interface ProcessLauncher {
  execFile: typeof nodeExecFile;
  spawn: typeof nodeSpawn;
}

// child_process (and the net and stream modules it loads) is required on first use: most CLI runs, and every
// untrusted workspace, never start git, and the CLI's start-up is measured in milliseconds.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const childProcess = (): typeof import('node:child_process') => require('node:child_process');
export const nodeLauncher: ProcessLauncher = {
  execFile: ((...args: Parameters<typeof nodeExecFile>) => childProcess().execFile(...args)) as typeof nodeExecFile,
  spawn: ((...args: Parameters<typeof nodeSpawn>) => childProcess().spawn(...args)) as typeof nodeSpawn,
};

export interface GitExecOptions {
  /**
   * The git executable; default: `git` found in an absolute PATH directory (`findGitExecutable`). An absolute
   * path is used as it is; a bare name is looked up the same way; a relative path is refused.
   */
  gitPath?: string;
  /** Per command (for `CatFileBatch`: per object); default 10 s. */
  timeoutMs?: number;
  /**
   * Cap on stdout and on stderr of one command, and on one object read by `CatFileBatch`; default 32 MiB.
   * Readers of api.proto blobs pass the file-size cap instead (see gitSource).
   */
  maxOutputBytes?: number;
  launcher?: ProcessLauncher;
  signal?: AbortSignal;
}

export type GitErrorKind = 'not-installed' | 'timeout' | 'overflow' | 'aborted' | 'failed';

export class GitError extends Error {
  constructor(
    message: string,
    readonly kind: GitErrorKind,
    readonly stderr = '',
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitResult {
  /** Exit code; commands such as `symbolic-ref -q` or `merge-base --is-ancestor` answer with 1. */
  code: number;
  stdout: Buffer;
  stderr: string;
}

export const DEFAULT_GIT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/**
 * Settings a repository could use to run a program, overridden on the command line. An empty
 * `diff.external` makes git fail to run "" rather than run the configured program.
 */
export const HARDENING_CONFIG: readonly string[] = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  'core.askPass=',
  'core.sshCommand=',
  'core.gitProxy=',
  'core.untrackedCache=false',
  'credential.helper=',
  'diff.external=',
  'log.showSignature=false',
  'protocol.allow=never',
  // A repository's `protocol.<name>.allow` beats `protocol.allow` above; the same keys given here beat the
  // repository's. (Helpers `<name>::…` have unbounded names: GIT_ALLOW_PROTOCOL in gitEnvironment covers them.)
  ...['ext', 'file', 'git', 'ssh', 'http', 'https'].map((p) => `protocol.${p}.allow=never`),
  'submodule.recurse=false',
  'gc.auto=0',
  'maintenance.auto=false',
];

/** Options that turn off textconv/external diff drivers, for the subcommands that accept them. */
const PER_COMMAND: Record<string, readonly string[]> = {
  show: ['--no-textconv', '--no-ext-diff'],
  log: ['--no-textconv', '--no-ext-diff'],
  diff: ['--no-textconv', '--no-ext-diff'],
  grep: ['--no-textconv'],
};

let gitHome: string | undefined;

/**
 * HOME and XDG_CONFIG_HOME for git. On POSIX, /dev/null: nothing can be created below it, git takes ENOTDIR
 * for a missing file without a warning, and no directory is made that a killed process would leave behind.
 * Windows has no /dev/null: there, an empty directory, made on first use and removed at exit.
 */
function emptyHome(): string {
  if (process.platform !== 'win32') return '/dev/null';
  if (!gitHome) {
    const dir = mkdtempSync(join(tmpdir(), 'cri-compat-git-home-'));
    gitHome = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return gitHome;
}

// ---- Which git runs. ----
//
// A bare program name is looked up by the operating system, and on Windows that lookup tries the child's working
// directory (here: the repository root) before PATH, and `git.com` before `git.exe`: a git.exe committed at a
// clone's root would run. So git is resolved once to an absolute path, as VS Code's git extension does, by
// searching only the absolute directories of PATH (with PATHEXT's executable extensions on Windows), never the
// working directory nor a relative or empty PATH entry (which means the working directory on POSIX), and every
// process is started with that path.

/** What `findGitExecutable` looks at; everything defaults to this process's. */
export interface GitLookup {
  /** Default `process.env.PATH` (on Windows, environment names are case-insensitive). */
  path?: string;
  /** Default `process.env.PATHEXT`; Windows only. */
  pathExt?: string;
  /** Default `process.platform`: which PATH syntax, absolute-path rules and file names apply. */
  platform?: NodeJS.Platform;
  /** Whether `file` is an executable regular file; injected by tests (e.g. to try Windows rules elsewhere). */
  isExecutable?: (file: string) => boolean;
}

/** Extensions a program can be started with without a shell (Node refuses .bat and .cmd without one). */
const SPAWNABLE_EXTENSIONS = new Set(['.com', '.exe']);

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (process.platform !== 'win32') accessSync(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `p` names the same place from any working directory. Windows: a drive and a root (`C:\x`) or a UNC
 * path (`\\server\share`); not `\x` (relative to the current drive) nor `C:x` (relative to that drive's
 * current directory).
 */
function isFullyAbsolute(p: string, platform: NodeJS.Platform): boolean {
  return platform === 'win32' ? /^(?:[A-Za-z]:[\\/]|[\\/]{2}[^\\/])/.test(p) : posixPath.isAbsolute(p);
}

/** The absolute PATH directories, in order: relative, empty and drive-relative entries are dropped. */
export function absolutePathEntries(path: string, platform: NodeJS.Platform = process.platform): string[] {
  const win = platform === 'win32';
  const out: string[] = [];
  for (let entry of path.split(win ? ';' : ':')) {
    // Windows allows quoted entries ("C:\Program Files\Git\cmd").
    if (win && entry.length >= 2 && entry.startsWith('"') && entry.endsWith('"')) entry = entry.slice(1, -1);
    if (entry && isFullyAbsolute(entry, platform)) out.push(entry);
  }
  return out;
}

/**
 * The absolute path of the first git in an absolute PATH directory (on Windows `git` with each executable
 * PATHEXT extension, in PATHEXT's order), or undefined when there is none. The working directory is never
 * searched.
 */
export function findGitExecutable(lookup: GitLookup = {}): string | undefined {
  const platform = lookup.platform ?? process.platform;
  const win = platform === 'win32';
  const path = lookup.path ?? process.env.PATH ?? '';
  const isExecutable = lookup.isExecutable ?? isExecutableFile;
  const names = win
    ? (lookup.pathExt ?? process.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD')
        .split(';')
        .map((e) => e.trim().toLowerCase())
        .filter((e) => SPAWNABLE_EXTENSIONS.has(e))
        .map((e) => `git${e}`)
    : ['git'];
  if (win && names.length === 0) names.push('git.exe');
  const joinPath = win ? win32Path.join : posixPath.join;
  for (const dir of absolutePathEntries(path, platform)) {
    for (const name of names) {
      const file = joinPath(dir, name);
      if (isExecutable(file)) return file;
    }
  }
  return undefined;
}

/** `findGitExecutable()` of this process, found once per PATH (and PATHEXT). */
let defaultGit: { key: string; file: string | undefined } | undefined;

/** The git to start: `gitPath` when absolute, else a bare name resolved as `findGitExecutable` does; or a GitError. */
export function resolveGitPath(gitPath?: string): string | GitError {
  if (gitPath !== undefined && gitPath !== 'git') {
    if (isFullyAbsolute(gitPath, process.platform)) return gitPath;
    return new GitError(`git path "${gitPath}" is not absolute; not started`, 'not-installed');
  }
  const key = `${process.env.PATH ?? ''}\0${process.env.PATHEXT ?? ''}`;
  if (!defaultGit || defaultGit.key !== key) defaultGit = { key, file: findGitExecutable() };
  return defaultGit.file ?? new GitError('git is not installed or not on PATH (no git in an absolute PATH directory)', 'not-installed');
}

/** The environment git runs in: nothing inherited but PATH (and on Windows what process creation needs). */
export function gitEnvironment(): NodeJS.ProcessEnv {
  const home = emptyHome();
  const inherited = process.env.PATH;
  const env: NodeJS.ProcessEnv = {
    // Only PATH's absolute directories: git's own lookups must not find programs in the repository either.
    PATH: inherited === undefined ? '/usr/bin:/bin' : absolutePathEntries(inherited).join(process.platform === 'win32' ? ';' : ':'),
    HOME: home,
    XDG_CONFIG_HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ATTR_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_NO_REPLACE_OBJECTS: '1',
    // No transport at all, whatever the repository's config says. `protocol.allow=never` on the command line
    // is not enough: a repository's own `protocol.<name>.allow always` is more specific and wins, and a partial
    // clone's lazy fetch of a missing object (cat-file, for-each-ref --merged, …) then runs `git fetch` from
    // its promisor remote, e.g. `ext::sh -c …`, which runs a command. GIT_ALLOW_PROTOCOL overrides every
    // protocol setting: only the listed protocols are allowed. An empty value would be a list of one empty name,
    // which a remote-helper URL `::<address>` has; `_` cannot occur in a URL scheme or helper name, so this
    // name matches no transport.
    GIT_ALLOW_PROTOCOL: '_none_',
    // Git 2.45 (and security releases back to 2.39.4): missing objects of a partial clone are never fetched.
    // Older versions ignore it; GIT_ALLOW_PROTOCOL stops their fetch. (`--no-lazy-fetch` is not used: a git
    // that lacks it refuses to start.)
    GIT_NO_LAZY_FETCH: '1',
    // URLs given by anyone but the user (here: the repository) are refused too.
    GIT_PROTOCOL_FROM_USER: '0',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    LC_ALL: 'C',
  };
  if (process.platform === 'win32') {
    for (const k of ['SystemRoot', 'ComSpec', 'PATHEXT', 'TEMP', 'TMP']) if (process.env[k]) env[k] = process.env[k];
  }
  return env;
}

/** The full argument vector for `git <args>` in `cwd`: global hardening first, then the subcommand. */
export function gitArgv(cwd: string, args: readonly string[]): string[] {
  const [sub, ...rest] = args;
  const config = HARDENING_CONFIG.flatMap((c) => ['-c', c]);
  const extra = (sub && PER_COMMAND[sub]) ?? [];
  return ['--no-pager', '-C', cwd, ...config, ...(sub === undefined ? [] : [sub]), ...extra, ...rest];
}

function describeSpawnError(err: NodeJS.ErrnoException, gitPath: string): GitError {
  if (err.code === 'ENOENT') return new GitError(`git is not installed or not on PATH ("${gitPath}" not found)`, 'not-installed');
  if (err.code === 'EACCES') return new GitError(`git at "${gitPath}" cannot be executed`, 'not-installed');
  return new GitError(`git could not be started: ${err.message}`, 'failed');
}

/** `git <args>` for a message: one line (a revision comes from a setting), at most 200 characters. */
function commandLine(args: readonly string[]): string {
  const s = oneLine(['git', ...args].join(' '));
  return s.length > 200 ? `${s.slice(0, 199)}…` : s;
}

/**
 * A timeout, for the user: what is known, no guess at the cause. The files git is known to wait on (the config and
 * its includes, HEAD, the refs, packed-refs, the pack indexes and commit-graphs: gitSource's `gitRefused`) were checked
 * before it ran, so a FIFO there
 * is said beforehand, not here. The caller says what is used instead (the bundled release index, in a resolution).
 */
function timeoutMessage(cwd: string, args: readonly string[], timeoutMs: number): string {
  return `${commandLine(args)} in ${oneLine(cwd)} did not finish within ${timeoutMs / 1000} s and was stopped; ` +
    'git is run there again when the baseline is next looked for (HEAD, a ref or a setting changes, Restart Language ' +
    'Server, the next `cri-compat` run). Check that `git status` answers there first';
}

/**
 * The git processes of each clone (by `cwd`), run one at a time: a git that hangs (until its timeout) must not have
 * the next check, poll or resolution start another beside it. A `CatFileBatch` takes its turn too, while reads it sent
 * are unanswered. `waiting`: those whose turn has not come, in order; each leaves at once when its caller cancels it
 * (nothing is started for it), and all are refused at once when the one running times out, rather than each
 * waiting it out in turn. A lane is forgotten once nothing runs or waits there.
 */
interface Lane {
  waiting: Waiter[];
}
interface Waiter {
  args: readonly string[];
  go: (leave: Leave) => void;
  refuse: (e: GitError) => void;
}
/** Ends a turn; `hung`: the timeout message of what ran, which those waiting are refused with. Idempotent. */
type Leave = (hung?: string) => void;
const lanes = new Map<string, Lane>();

const cancelled = (): GitError => new GitError('cancelled', 'aborted');

/** The turn in `cwd` when none runs or waits there (taken now, synchronously), else undefined. */
function turnNow(cwd: string): Leave | undefined {
  if (lanes.has(cwd)) return undefined;
  const lane: Lane = { waiting: [] };
  lanes.set(cwd, lane);
  return leaveOf(cwd, lane);
}

function leaveOf(cwd: string, lane: Lane): Leave {
  let left = false;
  return (hung) => {
    if (left) return;
    left = true;
    if (hung) for (const w of lane.waiting.splice(0)) w.refuse(new GitError(`${commandLine(w.args)} was not started: ${hung}`, 'timeout'));
    const next = lane.waiting.shift();
    if (next) next.go(leaveOf(cwd, lane));
    else if (lanes.get(cwd) === lane) lanes.delete(cwd);
  };
}

/**
 * The turn in `cwd` of `git <args>`, once every one before it there has left; rejects with a `GitError`: 'aborted'
 * as soon as `signal` aborts while it waits, 'timeout' when the one running times out.
 */
function turn(cwd: string, args: readonly string[], signal?: AbortSignal): Promise<Leave> {
  if (signal?.aborted) return Promise.reject(cancelled());
  const now = turnNow(cwd);
  if (now) return Promise.resolve(now);
  const lane = lanes.get(cwd)!;
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      const k = lane.waiting.indexOf(w);
      if (k >= 0) lane.waiting.splice(k, 1);
      reject(cancelled());
    };
    const w: Waiter = {
      args,
      go: (leave) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(leave);
      },
      refuse: (e) => {
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      },
    };
    lane.waiting.push(w);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `git <args>` in `cwd`, after any other git running or waiting there (see Lane). Resolves with the exit code for
 * any exit; rejects with a `GitError` when git is missing, times out (or one before it in `cwd` did), writes more than
 * the cap or is aborted (also while it waits for its turn: it then leaves at once and is never started).
 */
export async function runGit(cwd: string, args: readonly string[], options: GitExecOptions = {}): Promise<GitResult> {
  const leave = await turn(cwd, args, options.signal);
  let hung: string | undefined;
  try {
    return await runGitNow(cwd, args, options);
  } catch (e) {
    if (e instanceof GitError && e.kind === 'timeout') hung = e.message;
    throw e;
  } finally {
    leave(hung);
  }
}

function runGitNow(cwd: string, args: readonly string[], options: GitExecOptions): Promise<GitResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
  const maxBuffer = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const launcher = options.launcher ?? nodeLauncher;
  if (options.signal?.aborted) return Promise.reject(cancelled());
  const gitPath = resolveGitPath(options.gitPath);
  if (gitPath instanceof GitError) return Promise.reject(gitPath);
  return new Promise((resolvePromise, reject) => {
    const child = launcher.execFile(
      gitPath,
      gitArgv(cwd, args),
      {
        cwd,
        env: gitEnvironment(),
        encoding: 'buffer',
        maxBuffer,
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        shell: false,
        windowsHide: true,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, stdout, stderr) => {
        const errText = Buffer.isBuffer(stderr) ? stderr.toString('utf8') : String(stderr ?? '');
        if (!error) return resolvePromise({ code: 0, stdout, stderr: errText });
        const e = error as NodeJS.ErrnoException & { code?: string | number; killed?: boolean; signal?: string };
        if (options.signal?.aborted || e.name === 'AbortError') return reject(new GitError('cancelled', 'aborted', errText));
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return reject(new GitError(`git ${args[0] ?? ''} wrote more than ${maxBuffer} bytes; stopped`, 'overflow', errText));
        }
        if (typeof e.code === 'string') return reject(describeSpawnError(e, gitPath));
        if (e.killed) return reject(new GitError(timeoutMessage(cwd, args, timeoutMs), 'timeout', errText));
        if (e.signal) return reject(new GitError(`git ${args[0] ?? ''} was killed by ${e.signal}`, 'failed', errText));
        resolvePromise({ code: typeof e.code === 'number' ? e.code : 1, stdout, stderr: errText });
      },
    );
    // Nothing is ever written to git's stdin: close it so that no command waits for input.
    child.stdin?.end();
  });
}

/** `runGit`, rejecting on a non-zero exit with git's first stderr line. */
export async function gitOk(cwd: string, args: readonly string[], options?: GitExecOptions): Promise<string> {
  const r = await runGit(cwd, args, options);
  if (r.code !== 0) {
    const first = r.stderr.split('\n').find((l) => l.trim()) ?? `exit code ${r.code}`;
    throw new GitError(`git ${args[0] ?? ''} failed: ${first.trim()}`, 'failed', r.stderr);
  }
  return r.stdout.toString('utf8');
}

export interface GitObject {
  oid: string;
  type: string;
  content: Buffer;
}

interface Pending {
  name: string;
  resolve: (o: GitObject | undefined) => void;
  reject: (e: Error) => void;
}

/**
 * A long-lived `git cat-file --batch` for reading many objects (`<rev>:<path>` or ids) with one process.
 * Requests are answered in order. A missing object resolves to undefined; an object over the cap rejects
 * that request only. A timeout, git exiting or `close()` rejects everything outstanding.
 *
 * It is one of its clone's git processes (see Lane): it takes the clone's turn for each run of reads, from the first
 * read sent until the last one is answered (started at its first read, not before: git reads the config, where it may
 * hang, as it starts), and leaves it in between, when the process only waits for its next request on stdin and does
 * nothing. Holding the turn while idle would make a caller that keeps the batch open and runs another git in the clone
 * (or opens a second batch there) wait for itself. Reads asked while another git runs there are sent when the turn
 * comes; the timeout counts from then; a timeout refuses those waiting behind it, with its message, as a command's does.
 */
export class CatFileBatch {
  /** Undefined until the first read is sent. */
  private child: ChildProcessWithoutNullStreams | undefined;
  /** Sent, in the order git answers them. */
  private readonly queue: Pending[] = [];
  /** Asked while waiting for the clone's turn. */
  private readonly unsent: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  /** The object being received: its header, and how many bytes are still to come. */
  private current: { oid: string; type: string; size: number; skip: boolean; chunks: Buffer[]; received: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Set when git could not be found: every read rejects with that reason. */
  private failure: GitError | undefined;
  private readonly timeoutMs: number;
  private readonly maxObjectBytes: number;
  private readonly gitPath: string;
  private readonly launcher: ProcessLauncher;
  private stderr = '';
  /** Ends the turn in the clone, while this holds it. */
  private leave: Leave | undefined;
  /** Aborted when this fails or is closed: a wait for the turn is withdrawn. */
  private readonly stop = new AbortController();
  private asking = false;

  constructor(
    private readonly cwd: string,
    options: GitExecOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
    this.maxObjectBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    this.launcher = options.launcher ?? nodeLauncher;
    const gitPath = resolveGitPath(options.gitPath);
    this.gitPath = gitPath instanceof GitError ? '' : gitPath;
    if (gitPath instanceof GitError) this.failure = gitPath;
    else if (options.signal) {
      const onAbort = () => this.fail(cancelled());
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener('abort', onAbort, { once: true });
    }
  }

  read(name: string): Promise<GitObject | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    if (!name || /[\n\r\0]/.test(name)) return Promise.reject(new GitError(`invalid object name ${JSON.stringify(name)}`, 'failed'));
    return new Promise((resolve, reject) => {
      this.unsent.push({ name, resolve, reject });
      if (this.leave) return this.send();
      if (this.asking) return;
      // Taken at once when nothing runs or waits in the clone.
      const now = turnNow(this.cwd);
      if (now) return this.take(now);
      this.asking = true;
      turn(this.cwd, ['cat-file', '--batch'], this.stop.signal).then(
        (leave) => {
          this.asking = false;
          if (this.failure) leave();
          else this.take(leave);
        },
        (e: GitError) => this.fail(e),
      );
    });
  }

  close(): void {
    this.fail(new GitError('closed', 'aborted'));
  }

  private take(leave: Leave): void {
    this.leave = leave;
    if (!this.child) this.start();
    this.send();
  }

  private start(): void {
    const child = this.launcher.spawn(this.gitPath, gitArgv(this.cwd, ['cat-file', '--batch']), {
      cwd: this.cwd,
      env: gitEnvironment(),
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    }) as ChildProcessWithoutNullStreams;
    this.child = child;
    child.on('error', (err) => this.fail(describeSpawnError(err, this.gitPath)));
    child.stdin.on('error', () => undefined); // EPIPE after git exits; reported through 'exit'.
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += chunk.toString('utf8');
    });
    // 'close', not 'exit': by then everything git wrote has been delivered.
    child.on('close', (code, signal) => {
      const why = this.stderr.split('\n').find((l) => l.trim());
      this.fail(new GitError(`git cat-file exited (${signal ?? `code ${code}`})${why ? `: ${why.trim()}` : ''}`, 'failed', this.stderr));
    });
  }

  /** Sends what waited for the turn (held now). */
  private send(): void {
    if (this.failure) return;
    for (const p of this.unsent.splice(0)) {
      this.queue.push(p);
      this.child!.stdin.write(`${p.name}\n`);
    }
    this.armTimer();
  }

  /** Every read sent is answered: git waits on stdin, and other gits may run in the clone until the next read. */
  private answered(): void {
    this.armTimer();
    if (this.queue.length === 0 && this.unsent.length === 0 && this.leave) {
      const leave = this.leave;
      this.leave = undefined;
      leave();
    }
  }

  private armTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    this.timer = setTimeout(
      () => this.fail(new GitError(timeoutMessage(this.cwd, ['cat-file', '--batch'], this.timeoutMs), 'timeout', this.stderr)),
      this.timeoutMs,
    );
  }

  /**
   * Stops for good: a process still running is killed, and the clone's turn (when held) is given up and the reads
   * outstanding rejected only once it has exited, as `runGit` does for a command it kills: a SIGKILL is delivered
   * asynchronously, and a git started on a turn given up at once could run beside the one still dying (or one stuck in
   * the kernel, on a network file system, until it gets out).
   */
  private fail(err: GitError): void {
    if (this.failure) return;
    this.failure = err;
    if (this.timer) clearTimeout(this.timer);
    this.stop.abort();
    const settle = (): void => {
      this.leave?.(err.kind === 'timeout' ? err.message : undefined);
      this.leave = undefined;
      for (const p of [...this.queue.splice(0), ...this.unsent.splice(0)]) p.reject(err);
    };
    const child = this.child;
    // No pid: it was never started (the 'error' of a failed spawn), so nothing runs.
    if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return settle();
    child.once('exit', settle);
    child.stdin.end();
    child.kill('SIGKILL');
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (this.failure) return;
      if (!this.current) {
        const nl = this.buffer.indexOf(0x0a);
        if (nl < 0) {
          if (this.buffer.length > 4096) this.fail(new GitError('git cat-file sent an overlong header', 'failed'));
          return;
        }
        const header = this.buffer.subarray(0, nl).toString('utf8');
        this.buffer = this.buffer.subarray(nl + 1);
        const head = this.queue[0];
        if (!head) return this.fail(new GitError(`git cat-file sent an unexpected answer: ${header}`, 'failed'));
        if (/ (missing|ambiguous)$/.test(header)) {
          this.queue.shift();
          this.answered();
          if (header.endsWith('ambiguous')) head.reject(new GitError(`object name ${head.name} is ambiguous`, 'failed'));
          else head.resolve(undefined);
          continue;
        }
        const m = /^([0-9a-f]{40,64}) (\S+) (\d+)$/.exec(header);
        if (!m) return this.fail(new GitError(`git cat-file sent an unexpected header: ${header}`, 'failed'));
        const size = Number(m[3]);
        this.current = { oid: m[1]!, type: m[2]!, size, skip: size > this.maxObjectBytes, chunks: [], received: 0 };
      }
      const cur = this.current;
      // The content is followed by one newline.
      const want = cur.size + 1 - cur.received;
      const take = Math.min(want, this.buffer.length);
      if (take > 0) {
        if (!cur.skip) cur.chunks.push(this.buffer.subarray(0, take));
        cur.received += take;
        this.buffer = this.buffer.subarray(take);
      }
      if (cur.received < cur.size + 1) return;
      this.current = undefined;
      const p = this.queue.shift()!;
      this.answered();
      if (cur.skip) {
        p.reject(new GitError(`object ${p.name} is ${cur.size} bytes, over the ${this.maxObjectBytes}-byte cap`, 'overflow'));
      } else {
        const all = Buffer.concat(cur.chunks);
        p.resolve({ oid: cur.oid, type: cur.type, content: all.subarray(0, cur.size) });
      }
    }
  }
}
