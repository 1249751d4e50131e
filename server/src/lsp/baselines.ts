// Baseline resolution for the language server: one background resolution per file, workspace folder and setting
// combination, never awaited by validation. Until a resolution finishes, documents are checked with the
// file's last good baseline (or none); when it finishes, the server is told to check them again.
// No LSP types here: the server passes in how to log, report progress and show a message.

import { dirname } from 'node:path';
import { resolveBaseline, settingRevision, type BundledIndex, type ResolveOptions, type ResolveResult } from '../baseline/resolve';
import { commitOf, detectRepo, headPlacement, headState, movingRef, refState, type GitRepo } from '../baseline/gitSource';
import type { Baseline } from '../baseline/types';

/** What a document's baseline depends on. */
export interface BaselineRequest {
  /** The workspace folder of the document (or its directory, or '' for documents that are not files). */
  folderKey: string;
  /** The document's path, to locate a git clone, vendor/ and go.sum from. */
  filePath?: string;
  /** Relative `criCompat.baseline` paths are resolved against this (the workspace folder). */
  baseDir?: string;
  /** `criCompat.baseline`; '' for automatic. */
  explicit: string;
  includePrereleases: boolean;
  networkEnabled: boolean;
  /**
   * The document's text, unsaved edits included: a release's file is compared with the release before it, the
   * same file edited with that release (see `TextCheck`).
   */
  text?: string;
}

export interface BaselineAnswer {
  baseline?: Baseline;
  /** A resolution for this document is still running (the baseline, if any, is the last good one). */
  resolving: boolean;
  /** Identifies the resolution; the server remembers it per document to know whom to check again. */
  key: string;
}

export interface ProgressHandle {
  report(message: string): void;
  done(): void;
}

export interface BaselineHost {
  trusted(): boolean;
  cacheDir(): string | undefined;
  /** The bundled release index; undefined when it cannot be loaded (the host logs why). */
  bundled(): BundledIndex | undefined;
  info(message: string): void;
  error(message: string, e?: unknown): void;
  /** Starts a work-done progress; resolves to a no-op handle when the client has none. */
  progress(title: string): Promise<ProgressHandle>;
  /**
   * Shows a warning to the user. The manager calls it once per folder and bad setting (or message, with none set),
   * again after a baseline was found there.
   */
  warn(message: string): void;
  /** A resolution finished (with or without a baseline): check the documents that use `key` again. */
  resolved(key: string): void;
  /** For tests: the resolver. */
  resolve?: (options: ResolveOptions) => Promise<ResolveResult>;
}

interface Entry {
  key: string;
  folderKey: string;
  /**
   * What the resolution was started with, but the text, which only the running resolution reads (`run` has it):
   * a resolution for the other side of its `textCheck` reuses it with that side's text.
   */
  req: Omit<BaselineRequest, 'text'>;
  running: boolean;
  controller: AbortController;
  result?: ResolveResult;
  /**
   * The git clone holding the file, and its `headState` when the resolution started; with `ref`, the files of the
   * branch the setting names (see `movingRef`) and their `refState` then; with `pin`, the commit git read the
   * setting's baseline at (`ResolveResult.gitCommit`), which alone decides whether a change of those moved it; with
   * `placement`, where git placed HEAD for the automatic baseline (`ResolveResult.gitPlacement`), which alone decides
   * whether a change of `headState` moved it.
   */
  head?: { repo: GitRepo; state: string; ref?: { files: string[]; state: string }; pin?: { rev: string; commit: string }; placement?: string };
  /** Folders the editor reported deleted, renamed or created while it ran ('many': more than MAX_FOLDER_EVENTS). */
  folderEvents?: Set<string> | 'many';
}

/** At most this many folder events are remembered per running resolution; past it, it is resolved again whatever they were. */
const MAX_FOLDER_EVENTS = 256;

function addBounded(events: Set<string> | undefined, p: string): Set<string> | 'many' {
  const out = events ?? new Set<string>();
  out.add(p);
  return out.size > MAX_FOLDER_EVENTS ? 'many' : out;
}

/** Did a resolution read a Go file below one of these folders? */
function readBelow(result: ResolveResult | undefined, folders: ReadonlySet<string> | 'many'): boolean {
  for (const f of result?.goFiles?.keys() ?? []) {
    if (folders === 'many') return true;
    for (let dir = dirname(f), prev = f; dir !== prev; prev = dir, dir = dirname(dir)) if (folders.has(dir)) return true;
  }
  return false;
}

/**
 * Another resolution's baseline, used while this one runs: which release the text is (`release`) was found for
 * that resolution's text (see `TextCheck`), not this one's. An edit of a release's file is no longer that release.
 * Memoised, so that a document re-checked meanwhile keeps the same baseline object (its analysis stays cached).
 */
const standIns = new WeakMap<Baseline, Baseline>();
function standIn(b: Baseline | undefined): Baseline | undefined {
  if (!b?.release) return b;
  let s = standIns.get(b);
  if (!s) {
    const { release: _theirs, ...rest } = b;
    standIns.set(b, (s = rest));
  }
  return s;
}

/** Whose last good baseline stands in while a resolution runs: the file's own, not another file's of its folder. */
const fileKey = (req: Pick<BaselineRequest, 'folderKey' | 'filePath'>): string => JSON.stringify([req.folderKey, req.filePath ?? '']);

/** The editor's messages name its settings, not the CLI's flags, which cannot be used there. */
export const BASELINE_HINTS = { setting: 'criCompat.baseline', networkSetting: 'criCompat.network.enable' } as const;

export class BaselineManager {
  private readonly entries = new Map<string, Entry>();
  /** Per file (see fileKey): the last baseline a resolution found, used while a new resolution runs. */
  private readonly lastGood = new Map<string, { folderKey: string; baseline: Baseline }>();
  /**
   * Per folder: what the warning shown for it was about, the bad `criCompat.baseline` value (else the message), not
   * said again while it stays the same (another setting changed, which may change the message's suggestions) until
   * a resolution there finds a baseline: the same bad value set again after a good one is said again.
   */
  private readonly shown = new Map<string, string>();

  constructor(private readonly host: BaselineHost) {}

  /** The baseline for a document right now; starts a resolution when none ran for this combination. */
  get(req: BaselineRequest): BaselineAnswer {
    const trusted = this.host.trusted();
    // Per file too: the clone or Go module that holds it (git, vendor/) places two files of one folder apart.
    const key = JSON.stringify([req.folderKey, req.filePath ?? '', req.explicit.trim(), req.includePrereleases, req.networkEnabled, trusted]);
    let e = this.entry(key, req, trusted);
    // The baseline depended on whether the text was a release's file, and this text is on the other side (an
    // edit of the tagged file, or an edit undone): that case is resolved once too, with the same request but
    // this text. So git runs again only when an edit crosses that line, never per keystroke.
    const check = !e.running ? e.result?.textCheck : undefined;
    if (check && req.text !== undefined && check.is(req.text) !== check.same) {
      e = this.entry(`${key}#${check.same ? 'edited' : 'same'}`, { ...e.req, text: req.text }, trusted);
    }
    const answerKey = e.key;
    if (e.running) {
      const last = standIn(this.lastGood.get(fileKey(req))?.baseline);
      return last ? { baseline: last, resolving: true, key: answerKey } : { resolving: true, key: answerKey };
    }
    return e.result?.baseline ? { baseline: e.result.baseline, resolving: false, key: answerKey } : { resolving: false, key: answerKey };
  }

  /** The resolution under `key`, started with `req` if there is none. */
  private entry(key: string, req: BaselineRequest, trusted: boolean): Entry {
    let e = this.entries.get(key);
    if (e && this.headMoved(e)) {
      this.forgetFolder(req.folderKey);
      e = undefined;
    }
    if (!e) {
      const { text: _text, ...kept } = req;
      e = { key, folderKey: req.folderKey, req: kept, running: true, controller: new AbortController() };
      // Read before git runs, so that a move while it runs is seen too. Git runs only in trusted workspaces.
      const repo = trusted && req.filePath ? detectRepo(req.filePath) : undefined;
      if (repo) {
        const rev = settingRevision(req.explicit);
        const files = rev ? movingRef(repo.root, rev) : undefined;
        e.head = { repo, state: headState(repo.root), ...(files ? { ref: { files, state: refState(files) } } : {}) };
      }
      this.entries.set(key, e);
      void this.run(e, req, trusted);
    }
    return e;
  }

  /**
   * HEAD moved (a checkout, a commit, a tag fetched), or the branch the setting names did (a fetch, a commit in
   * another worktree), since git answered this resolution: every resolution of the folder is out of date, also
   * those for the other side of a text check, which an edit or undo would switch to. A setting read from git at a
   * commit (`pin`) is left to `headsMoved`, which asks git whether it names another one now. The automatic baseline
   * is not: a checkout that changes the file comes with the editor's reload of it, which must not be checked against
   * the release HEAD left (a reftable clone's checkout looks like any ref update); `headsMoved` asks git only when it
   * sees the change first, as it does a fetch or `git gc`, which change no file.
   */
  private headMoved(e: Entry): boolean {
    return !!this.headChange(e) && !e.head!.pin;
  }

  /** What the resolution watches of its clone as it is now, when that is not what it saw. */
  private headChange(e: Entry): { state: string; ref?: string } | undefined {
    if (!e.head || e.running) return undefined;
    const { repo, state, ref } = e.head;
    const now = { state: headState(repo.root), ...(ref ? { ref: refState(ref.files) } : {}) };
    return now.state !== state || now.ref !== ref?.state ? now : undefined;
  }

  /** Does a resolution depend on where HEAD stands in a clone (see `headsMoved`)? */
  get watchesGit(): boolean {
    for (const e of this.entries.values()) if (e.head) return true;
    return false;
  }

  /**
   * Forgets the resolutions of the folders whose clone's HEAD moved, which `get` notices only when a document is
   * checked again: after a checkout that leaves the file as it was, nothing else asks. A resolution that asked git is
   * forgotten only when git answers otherwise now: a setting read from git when it names another commit, the
   * automatic baseline when HEAD, its branch or a release tag is another (`headPlacement`). The files watched say
   * only that some ref may have changed: in a clone that keeps its refs in reftables, every ref update looks alike,
   * and in any clone a tag that is no release or `git pack-refs` would otherwise resolve again, to the same baseline.
   * True if any resolution was forgotten.
   */
  async headsMoved(): Promise<boolean> {
    const changed: { e: Entry; now: { state: string; ref?: { files: string[]; state: string } } }[] = [];
    const moved = new Set<string>();
    for (const e of this.entries.values()) {
      const now = this.headChange(e);
      if (!now) continue;
      const { repo, pin, placement, ref } = e.head!;
      if (!pin && !placement) {
        moved.add(e.folderKey);
        continue;
      }
      // What the setting depends on can be other files now (`@{u}` after `git branch -u`, `@{1}` after a checkout):
      // found again, and stamped, before git is asked, so that a move while it runs is seen.
      const files = pin && ref && movingRef(repo.root, pin.rev);
      changed.push({ e, now: { state: now.state, ...(files ? { ref: { files, state: refState(files) } } : {}) } });
    }
    for (const folderKey of moved) this.forgetFolder(folderKey);
    const asked = changed.filter(({ e }) => this.entries.get(e.key) === e);
    // Asked once per clone, for the resolutions of both sides of a text check.
    const placements = new Map<string, Promise<string | undefined>>();
    const signal = this.epoch.signal;
    const answers = await Promise.all(asked.map(({ e }) => {
      const { repo, pin } = e.head!;
      if (pin) return commitOf(repo.root, pin.rev, { signal }).catch(() => undefined);
      let p = placements.get(repo.root);
      if (!p) placements.set(repo.root, (p = headPlacement(repo, { signal })));
      return p;
    }));
    let forgotten = moved.size > 0;
    asked.forEach(({ e, now }, k) => {
      const head = e.head!;
      // Forgotten meanwhile (settings, trust, another move): nothing to keep.
      if (this.entries.get(e.key) !== e) return;
      if (answers[k] === (head.pin ? head.pin.commit : head.placement)) {
        head.state = now.state;
        if (now.ref) head.ref = now.ref;
        else delete head.ref;
        return;
      }
      if (head.pin) {
        this.entries.delete(e.key);
        this.lastGood.delete(fileKey(e.req));
      } else this.forgetFolder(e.folderKey);
      forgotten = true;
    });
    return forgotten;
  }

  /**
   * Forgets the resolutions of a folder whose clone's HEAD moved, and its last good baselines: they are known to
   * be wrong now (the tag HEAD was at), and a file checked against one while git is asked again would show
   * what that tag added as deleted.
   */
  private forgetFolder(folderKey: string): void {
    this.forget((e) => e.folderKey === folderKey);
    for (const [k, last] of this.lastGood) if (last.folderKey === folderKey) this.lastGood.delete(k);
  }

  /**
   * Forgets the resolutions made for a file (those that may have read its Go module's or workspace's go.mod, go.sum,
   * go.work, go.work.sum or vendor/modules.txt, one of which changed): Go's copy of the release may be another now.
   * Every file's, not those below the changed file only: a go.work may use modules outside its directory, and `$GOWORK`
   * name one anywhere. The last good baselines stay meanwhile, as for a change of settings. True if there were any.
   */
  goFilesChanged(): boolean {
    let any = false;
    this.forget((e) => (e.req.filePath ? (any = true) : false));
    return any;
  }

  /**
   * The Go files and folders finished resolutions depend on (see `ResolveResult.goFiles`), for a poll: each
   * resolution's first before any one's second, so that a poll that can stamp only so many has every file's own
   * module (go.mod, go.sum, vendor/modules.txt, listed first) before the go.sum of the modules a go.work uses.
   */
  goFilesRead(): string[] {
    const lists = [...this.entries.values()].map((e) => [...(e.result?.goFiles?.keys() ?? [])]);
    const out = new Set<string>();
    for (let k = 0; lists.some((l) => k < l.length); k++) for (const l of lists) if (k < l.length) out.add(l[k]!);
    return [...out];
  }

  /**
   * Forgets the resolutions that saw one of these Go files otherwise than `now` (path → `goFileStamp`), as
   * `goFilesChanged` does for a file event. True if there were any.
   */
  goFilesNow(now: ReadonlyMap<string, string>): boolean {
    let any = false;
    this.forget((e) => {
      for (const [f, stamp] of e.result?.goFiles ?? []) if (now.has(f) && now.get(f) !== stamp) return (any = true);
      return false;
    });
    return any;
  }

  /**
   * Forgets the resolutions that read a Go file below one of these paths: a folder deleted, renamed or created (a
   * module's, or the one holding its go.work) is one event for the folder, none for the files in it. A folder above
   * no Go file a resolution read re-resolves nothing; a running one is looked at when it finishes. VS Code sends such
   * an event to a watcher whose glob matches the folder: the server watches deletions of any path, creations only of
   * vendor/; the poll stamps the others (goFilesRead).
   * True if there were any.
   */
  goFoldersChanged(paths: ReadonlySet<string>): boolean {
    if (!paths.size) return false;
    let any = false;
    this.forget((e) => {
      if (e.running) {
        // Which Go files it reads is known once it finishes (`run` looks at these then).
        for (const p of paths) if (e.folderEvents !== 'many') e.folderEvents = addBounded(e.folderEvents, p);
        return false;
      }
      if (!readBelow(e.result, paths)) return false;
      return (any = true);
    });
    return any;
  }

  /** Is any resolution still running? */
  get busy(): boolean {
    for (const e of this.entries.values()) if (e.running) return true;
    return false;
  }

  /**
   * Forgets every resolution (trust or settings changed): the next `get` resolves again. Running ones are
   * aborted. The last good baselines stay, so that documents keep their findings meanwhile.
   */
  invalidate(): void {
    // The git `headsMoved` asked for them is stopped too, and one waiting for its turn in the clone never starts: trust
    // withdrawn must not let a git start after it.
    this.epoch.abort();
    this.epoch = new AbortController();
    this.forget(() => true);
  }

  /** Aborted by `invalidate`: the signal of the git runs `headsMoved` starts. */
  private epoch = new AbortController();

  /**
   * Forgets the resolutions and the last good baselines of the folder keys not `inUse` (the server passes its
   * workspace folders and those of its open documents). Each directory outside the workspace folders has a key of
   * its own, so a long session that opens files from many of them would otherwise keep one of each per directory.
   * Running ones are aborted; a document opened there again is resolved again.
   */
  release(inUse: ReadonlySet<string>): void {
    this.forget((e) => !inUse.has(e.folderKey));
    for (const [k, { folderKey }] of this.lastGood) if (!inUse.has(folderKey)) this.lastGood.delete(k);
    for (const folderKey of this.shown.keys()) if (!inUse.has(folderKey)) this.shown.delete(folderKey);
  }

  private forget(which: (e: Entry) => boolean): void {
    for (const [key, e] of this.entries) {
      if (!which(e)) continue;
      if (e.running) e.controller.abort(new Error('superseded'));
      this.entries.delete(key);
    }
  }

  /**
   * Progress whose creation is not waited for: resolution never depends on the client answering
   * `window/workDoneProgress/create`. Messages before it exists are kept (the last one is shown).
   */
  private startProgress(): ProgressHandle {
    let handle: ProgressHandle | undefined;
    let pending: string | undefined;
    let ended = false;
    this.host.progress('CRI: finding the baseline release').then((h) => {
      if (ended) return h.done();
      handle = h;
      if (pending !== undefined) h.report(pending);
    }, (err: unknown) => this.host.error('starting the baseline progress failed', err));
    return {
      report: (m) => {
        if (ended) return;
        if (handle) handle.report(m);
        else pending = m;
      },
      done: () => {
        if (ended) return;
        ended = true;
        handle?.done();
      },
    };
  }

  private async run(e: Entry, req: BaselineRequest, trusted: boolean): Promise<void> {
    // The file: two files of one folder may have different baselines.
    const where = req.filePath ?? (req.folderKey || 'documents outside any folder');
    const progress = this.startProgress();
    // Let the validation that asked finish (and publish) before the synchronous part of resolution runs.
    await new Promise<void>((resolve) => setImmediate(resolve));
    let result: ResolveResult;
    try {
      const options: ResolveOptions = {
        trusted,
        networkEnabled: req.networkEnabled,
        includePrereleases: req.includePrereleases,
        signal: e.controller.signal,
        hints: { ...BASELINE_HINTS },
        onProgress: (m) => progress.report(m),
        goFiles: true,
      };
      if (req.filePath) options.filePath = req.filePath;
      if (req.text !== undefined) options.text = req.text;
      if (req.baseDir) options.baseDir = req.baseDir;
      if (req.explicit.trim()) options.explicit = req.explicit.trim();
      const cacheDir = this.host.cacheDir();
      if (cacheDir) options.cacheDir = cacheDir;
      const bundled = this.host.bundled();
      if (bundled) options.bundled = bundled;
      result = await (this.host.resolve ?? resolveBaseline)(options);
    } catch (err) {
      if (e.controller.signal.aborted) {
        progress.done();
        return; // superseded (a newer resolution owns the folder now) or released
      }
      this.host.error(`resolving the baseline for ${where} failed`, err);
      result = { tried: [], message: `Resolving the baseline failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    progress.done();
    if (this.entries.get(e.key) !== e) return; // superseded while running
    // A folder above a Go file it read changed while it ran: what it read may be gone; resolved again when asked.
    if (e.folderEvents && readBelow(result, e.folderEvents)) {
      this.entries.delete(e.key);
      this.host.resolved(e.key);
      return;
    }
    e.result = result;
    e.running = false;
    // Not looked up in git as a ref (a file of that name won, or the setting failed before git): nothing to watch.
    if (!result.gitRef) delete e.head?.ref;
    // A setting found: the clone matters only to one read from git, and only through the commit it named. One found
    // elsewhere (the bundled index, Go's files, a path) is the same whatever HEAD or the refs do.
    if (e.head && req.explicit.trim() && result.baseline) {
      if (result.gitCommit) e.head.pin = result.gitCommit;
      else delete e.head;
    } else if (e.head && result.gitPlacement) e.head.placement = result.gitPlacement;
    const tried = result.tried.map((t) => `  - ${t.source}: ${t.outcome}`).join('\n');
    if (result.baseline) {
      this.lastGood.set(fileKey(e.req), { folderKey: e.folderKey, baseline: result.baseline });
      this.shown.delete(e.folderKey);
      const b = result.baseline;
      this.host.info(`Baseline for ${where}: ${b.tag}${b.kubernetes ? ` (Kubernetes ${b.kubernetes})` : ''} from ${b.origin} [${b.source}]${trusted ? '' : ' (untrusted workspace: no git, no network)'}.${tried ? `\nTried:\n${tried}` : ''}`);
    } else {
      this.host.info(`No baseline for ${where}.${tried ? `\nTried:\n${tried}` : ''}`);
      const message = result.message ?? 'No baseline release to compare api.proto against.';
      const about = e.req.explicit.trim() ? `setting ${e.req.explicit.trim()}` : message;
      if (this.shown.get(e.folderKey) !== about) {
        this.shown.set(e.folderKey, about);
        this.host.warn(`CRI API Compatibility: ${message} Syntax and binding checks still run.`);
      }
    }
    this.host.resolved(e.key);
  }
}

/**
 * Globs of the Go files baseline resolution reads from a module or workspace (`go.work` may be any `*.work`, by
 * `$GOWORK`), and `vendor/` itself: a folder deleted is one event for the folder, none for the modules.txt in it.
 */
export const GO_MODULE_FILES = ['**/go.mod', '**/go.sum', '**/*.work', '**/*.work.sum', '**/vendor/modules.txt', '**/vendor'];

/** Is this one of the GO_MODULE_FILES (see `goFilesChanged`)? */
export function isGoModuleFile(p: string): boolean {
  const name = p.split(/[\\/]/).pop() ?? '';
  return name === 'go.mod' || name === 'go.sum' || name.endsWith('.work') || name.endsWith('.work.sum') || name === 'vendor' || /[\\/]vendor[\\/]modules\.txt$/.test(p);
}
