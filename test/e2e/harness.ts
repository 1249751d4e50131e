// Real-editor end-to-end harness: VS Code 1.100.3 (served by code-server@4.100.3, installed under
// <repo>/.e2e/ by scripts/e2e-setup.sh) driven in Debian's Chromium by playwright-core.
// The extension under test is <repo>/cri-compat.vsix (built by `npm run package`).
// Recipe and rationale: shared/design/E2E.md.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { CORPUS_HELP, findCorpusDir } from '../../server/src/baseline/corpus';

// Code passed to page.evaluate / waitForFunction runs in the browser. The project's tsconfig has no
// "dom" lib, so the few DOM members used there are declared here (module-local, not global).
interface PageTextNode {
  textContent: string | null;
}
declare const document: {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  createTreeWalker(root: unknown, whatToShow: number): { nextNode(): PageTextNode | null };
  createRange(): {
    setStart(node: PageTextNode, offset: number): void;
    setEnd(node: PageTextNode, offset: number): void;
    getBoundingClientRect(): { x: number; y: number; width: number; height: number };
  };
};

export const CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Default bounded waits (ms). */
export const TIMEOUTS = {
  install: 90_000,
  listen: 30_000,
  workbench: 60_000,
  ui: 15_000,
  close: 10_000,
};

/** Settings written to every fresh user-data-dir; `startEditor({ settings })` overrides them. */
const BASE_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'editor.hover.delay': 100,
};

let cachedRoot: string | undefined;

/** The repository root: walk up from this file until a package.json named "cri-compat". */
export function repoRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if (JSON.parse(readFileSync(pj, 'utf8')).name === 'cri-compat') return (cachedRoot = dir);
      } catch {
        /* not ours; keep walking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json named "cri-compat" above ${__dirname}`);
    dir = up;
  }
}

function codeServerEntry(root = repoRoot()): string {
  return path.join(root, '.e2e', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

export function vsixPath(root = repoRoot()): string {
  return path.join(root, 'cri-compat.vsix');
}

/** undefined when the real-editor tests can run, otherwise why not (the test skips with it). */
export function e2eAvailable(): string | undefined {
  let root: string;
  try {
    root = repoRoot();
  } catch (e) {
    return String(e);
  }
  const missing: string[] = [];
  if (!existsSync(codeServerEntry(root))) missing.push('.e2e/code-server');
  if (!existsSync(CHROMIUM)) missing.push(CHROMIUM);
  if (!existsSync(vsixPath(root))) missing.push('cri-compat.vsix');
  if (missing.length === 0) return undefined;
  return `missing ${missing.join(', ')}: run scripts/e2e-setup.sh and npm run package`;
}

/** The corpus folder of a test that needs the api.proto corpus too, and why it skips: what e2eAvailable says, or no corpus. */
export function e2eWithCorpus(): { skip: string | false; corpusDir: string | undefined } {
  const missing = e2eAvailable();
  const corpusDir = missing ? undefined : findCorpusDir(repoRoot());
  return { skip: missing ?? (corpusDir ? false : CORPUS_HELP), corpusDir };
}

export interface StartOptions {
  /** Absolute path of the folder to open, or of a `.code-workspace` file (a multi-root window). */
  workspace: string;
  /** true: pass --disable-workspace-trust. Default false: the trust prompt / restricted mode applies. */
  trusted?: boolean;
  /** User settings, merged over BASE_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Port for code-server; default a free one. */
  port?: number;
  /**
   * Called with the installed extension's folder before VS Code starts: lets a test break the install (a
   * language server that cannot start) to see what the user is told.
   */
  prepareExtension?: (extensionDir: string) => void;
}

export interface Editor {
  page: Page;
  browser: Browser;
  url: string;
  /** The temp dir holding user-data-dir, extensions-dir and XDG dirs (removed by close()). */
  tmpDir: string;
  /** Opens a workspace-relative file (F1 > Go to File; Explorer double click as fallback) and waits until it is the active editor. */
  openFile(relPath: string): Promise<void>;
  /** Runs a command by its palette title (F1, type ">title", pick the row labelled exactly so). */
  runCommand(title: string): Promise<void>;
  screenshot(file: string): Promise<void>;
  /** code-server's stdout and stderr so far (including the --install-extension run). */
  serverLog(): string;
  /** Moves the cursor to a 1-based line (quick open ":N"), which also scrolls it into view. */
  gotoLine(line: number, column?: number): Promise<void>;
  /**
   * Hovers the mouse over the topmost occurrence of `text` among the editor lines now rendered
   * (only the visible viewport is in the DOM: gotoLine first), waits for the hover widget and returns
   * its text. On a squiggle the widget shows the diagnostic (message, source, "(code)") first and
   * provider hovers (e.g. the language server's) a moment later: pass `expected` to wait for them.
   */
  hover(text: string, expected?: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Texts of the visible status bar items. */
  statusBarTexts(): Promise<string[]>;
  /** Waits (bounded) until a status bar item's text matches; returns that text. */
  waitForStatusBarItem(match: string | RegExp, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // If the test process dies without close(), do not leave code-server behind.
  process.on('exit', () => {
    for (const c of live) killGroup(c, 'SIGKILL');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Saves a screenshot of `editor` as .e2e/screenshots/<name>-failure.png and names it in the test's output. */
export async function failureShot(t: { diagnostic(message: string): void }, editor: Editor | undefined, name: string): Promise<void> {
  if (!editor) return;
  const file = path.join(repoRoot(), '.e2e', 'screenshots', `${name}-failure.png`);
  await editor.screenshot(file).catch(() => undefined);
  t.diagnostic(`screenshot: ${file}`);
}

/** Runs a test body; on failure saves a screenshot (`failureShot`) and the tail of code-server's log. */
export async function guarded(t: { diagnostic(message: string): void }, editor: () => Editor | undefined, name: string, body: () => Promise<void>): Promise<void> {
  const t0 = Date.now();
  try {
    await body();
    t.diagnostic(`${name}: ${Date.now() - t0} ms`);
  } catch (e) {
    await failureShot(t, editor(), name);
    const log = editor()?.serverLog();
    if (log) t.diagnostic(`code-server log (tail):\n${log.slice(-4000)}`);
    throw e;
  }
}

/** Polls `probe` until it returns a value other than undefined; bounded. `last` says what was seen, for the error. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = TIMEOUTS.ui, last?: () => Promise<string>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) {
      const extra = last ? `; last seen: ${await last().catch((e: unknown) => String(e))}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${extra}`);
    }
    await sleep(200);
  }
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 500);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}

/** Runs code-server once to completion (e.g. --install-extension); bounded. */
function runCodeServer(args: string[], env: NodeJS.ProcessEnv, log: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [codeServerEntry(), ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    live.add(child);
    child.stdout?.on('data', (d) => log.push(String(d)));
    child.stderr?.on('data', (d) => log.push(String(d)));
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`code-server ${args.join(' ')} timed out after ${timeoutMs} ms\n${log.join('')}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      live.delete(child);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      if (code === 0) resolve();
      else reject(new Error(`code-server ${args.join(' ')} exited ${code ?? signal}\n${log.join('')}`));
    });
  });
}

export async function startEditor(opts: StartOptions): Promise<Editor> {
  const reason = e2eAvailable();
  if (reason) throw new Error(reason);
  installExitHook();
  const root = repoRoot();
  const workspace = path.resolve(opts.workspace);
  const workspaceFile = workspace.endsWith('.code-workspace');
  // openFile's paths are relative to the folder, or to the directory of the .code-workspace file.
  const fileRoot = workspaceFile ? path.dirname(workspace) : workspace;
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-e2e-'));
  const dataDir = path.join(tmpDir, 'data');
  const extDir = path.join(tmpDir, 'ext');
  mkdirSync(path.join(dataDir, 'User'), { recursive: true });
  mkdirSync(extDir, { recursive: true });
  writeFileSync(
    path.join(dataDir, 'User', 'settings.json'),
    JSON.stringify({ ...BASE_SETTINGS, ...(opts.settings ?? {}) }, null, 2),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(tmpDir, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(tmpDir, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(tmpDir, 'xdg', 'cache'),
  };
  // Variables that would make code-server try to talk to a parent VS Code or change auth.
  for (const k of ['VSCODE_IPC_HOOK_CLI', 'VSCODE_PROXY_URI', 'PASSWORD', 'HASHED_PASSWORD', 'ELECTRON_RUN_AS_NODE']) {
    delete env[k];
  }
  const log: string[] = [];
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;

  const cleanup = async (): Promise<void> => {
    if (browser) {
      const b = browser;
      browser = undefined;
      await withTimeout(b.close(), TIMEOUTS.close, 'browser.close()').catch(() => undefined);
    }
    if (server) {
      const s = server;
      server = undefined;
      if (s.exitCode === null && s.signalCode === null) {
        const exited = new Promise<void>((r) => s.once('exit', () => r()));
        killGroup(s, 'SIGTERM');
        const ok = await withTimeout(exited, 5000, 'code-server exit').then(
          () => true,
          () => false,
        );
        if (!ok) {
          killGroup(s, 'SIGKILL');
          await withTimeout(exited, 5000, 'code-server exit after SIGKILL').catch(() => undefined);
        }
      }
      // Also reap leftovers of the group (extension host, language server) if any survived.
      killGroup(s, 'SIGKILL');
      live.delete(s);
    }
    rmSync(tmpDir, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    const common = ['--extensions-dir', extDir, '--user-data-dir', dataDir];
    await runCodeServer([...common, '--install-extension', vsixPath(root)], env, log, TIMEOUTS.install);
    if (opts.prepareExtension) {
      const installed = readdirSync(extDir).find((d) => d.startsWith('cri-compat.cri-compat-'));
      if (!installed) throw new Error(`the extension is not in ${extDir} after --install-extension`);
      opts.prepareExtension(path.join(extDir, installed));
    }

    // A free port can be taken between probing and binding: retry (bounded) unless the caller chose it.
    let base = '';
    for (let attempt = 1; ; attempt++) {
      const port = opts.port ?? (await freePort());
      const args = [
        '--bind-addr', `127.0.0.1:${port}`,
        '--auth', 'none',
        '--disable-telemetry',
        '--disable-update-check',
        ...(opts.trusted ? ['--disable-workspace-trust'] : []),
        ...common,
        workspace,
      ];
      const s = spawn(process.execPath, [codeServerEntry(root), ...args], {
        env,
        cwd: fileRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // own process group, so close() can kill it with its children
      });
      server = s;
      live.add(s);
      s.stdout?.on('data', (d) => log.push(String(d)));
      s.stderr?.on('data', (d) => log.push(String(d)));
      s.on('error', (e) => log.push(`spawn error: ${e}\n`));

      base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + TIMEOUTS.listen;
      let exited = false;
      for (;;) {
        if (s.exitCode !== null || s.signalCode !== null) {
          exited = true;
          break;
        }
        if (await httpOk(`${base}/healthz`)) break;
        if (Date.now() > deadline) {
          throw new Error(`code-server not listening on ${base} after ${TIMEOUTS.listen} ms\n${log.join('')}`);
        }
        await sleep(100);
      }
      if (!exited) break;
      live.delete(s);
      server = undefined;
      if (opts.port === undefined && attempt < 3 && log.join('').includes('EADDRINUSE')) continue;
      throw new Error(`code-server exited early (${s.exitCode ?? s.signalCode})\n${log.join('')}`);
    }

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: TIMEOUTS.listen,
    });
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUTS.ui);
    const url = `${base}/?${workspaceFile ? 'workspace' : 'folder'}=${encodeURIComponent(workspace)}`;
    await page.goto(url, { timeout: TIMEOUTS.workbench });
    await page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: TIMEOUTS.workbench });

    const quickInput = page.locator('.quick-input-widget');
    const quickInputBox = page.locator('.quick-input-widget .quick-input-box input');

    /**
     * Opens the command palette with F1 (Ctrl+P / Ctrl+Shift+P are unreliable in headless Chromium) and
     * types `text` into it (">..." commands, a path for Go to File, ":N" for Go to Line). An open quick
     * input, hover or Quick Fix menu (.action-widget) can swallow F1: Escape and retry, bounded.
     */
    const typeInPalette = async (text: string): Promise<void> => {
      for (let attempt = 1; ; attempt++) {
        const last = attempt >= 4;
        try {
          if (await quickInput.isVisible()) {
            await page.keyboard.press('Escape');
            await quickInput.waitFor({ state: 'hidden', timeout: 2000 });
          }
          await page.keyboard.press('F1');
          await quickInputBox.waitFor({ state: 'visible', timeout: last ? TIMEOUTS.ui : 3000 });
          await quickInputBox.fill(text, { timeout: last ? TIMEOUTS.ui : 3000 });
          return;
        } catch (e) {
          if (last) throw e;
          await page.keyboard.press('Escape');
          await page.keyboard.press('Escape');
          await sleep(300);
        }
      }
    };

    const activeTab = (name: string) =>
      page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: name });

    const editor: Editor = {
      page,
      browser,
      url,
      tmpDir,
      async openFile(relPath: string): Promise<void> {
        const rel = relPath.split(path.sep).join('/').replace(/^\.\//, '');
        const name = path.posix.basename(rel);
        const dir = path.posix.dirname(rel);
        const wanted = path.posix.join(fileRoot.split(path.sep).join('/'), rel);
        // The palette opens with ">"; replacing it by the path turns it into "Go to File".
        await typeInPalette(rel);
        // Rows show the file name (.label-name) and, for files below the root, the folder
        // (.label-description); pick the row whose both match. Results come in asynchronously.
        const rows = page.locator('.quick-input-list .monaco-list-row');
        const end = Date.now() + TIMEOUTS.ui;
        let index = -1;
        while (index < 0 && Date.now() < end) {
          const found = await rows.evaluateAll(
            (els, want) =>
              els.findIndex((el) => {
                const n = el.querySelector('.label-name')?.textContent?.trim() ?? '';
                const d = el.querySelector('.label-description')?.textContent?.trim() ?? '';
                return n === want.name && (want.dir === '.' ? d === '' : d === want.dir || d.endsWith('/' + want.dir));
              }),
            { name, dir },
          );
          if (found >= 0) index = found;
          else await sleep(150);
        }
        if (index >= 0) {
          await rows.nth(index).click();
        } else {
          // Fallback: a top-level entry in the Explorer.
          await page.keyboard.press('Escape');
          if (dir !== '.') throw new Error(`Go to File found no row for ${rel}`);
          await page
            .locator('.explorer-folders-view .monaco-list-row')
            .filter({ has: page.locator('.label-name', { hasText: name }) })
            .first()
            .dblclick();
        }
        // The active editor's data-uri is vscode-remote://HOST/<abs path>.
        await page.waitForFunction(
          (want) => {
            const ed = document.querySelector('.editor-group-container.active .monaco-editor[data-uri]');
            const uri = ed?.getAttribute('data-uri');
            if (!uri) return false;
            try {
              return decodeURIComponent(new URL(uri).pathname) === want;
            } catch {
              return false;
            }
          },
          wanted,
          { timeout: TIMEOUTS.ui },
        );
        await activeTab(name).waitFor({ state: 'visible' });
        await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
      },
      async runCommand(title: string): Promise<void> {
        await typeInPalette(`>${title}`);
        const rows = page
          .locator('.quick-input-list .monaco-list-row')
          .filter({ has: page.locator('.label-name', { hasText: title }) });
        await rows.first().waitFor({ state: 'visible' });
        // Prefer the row whose label is exactly the title ("Foo" must not run "Foo Bar").
        const labels = (await rows.locator('.label-name').allInnerTexts()).map((t) => t.trim());
        const exact = labels.indexOf(title);
        await rows.nth(exact >= 0 ? exact : 0).click();
        await quickInput.waitFor({ state: 'hidden' }).catch(() => undefined);
      },
      async screenshot(file: string): Promise<void> {
        mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
        await page.screenshot({ path: file });
      },
      serverLog(): string {
        return log.join('');
      },
      async gotoLine(line: number, column?: number): Promise<void> {
        await typeInPalette(column ? `:${line}:${column}` : `:${line}`);
        // Give the "Go to Line" picker a moment to take the input, then accept it.
        await page.locator('.quick-input-widget .quick-input-list, .quick-input-widget .quick-input-message').first()
          .waitFor({ state: 'attached', timeout: 2000 }).catch(() => undefined);
        await page.waitForTimeout(150);
        await page.keyboard.press('Enter');
        await quickInput.waitFor({ state: 'hidden' });
        await page
          .locator('#status\\.editor\\.selection', { hasText: `Ln ${line},` })
          .waitFor({ state: 'visible' })
          .catch(() => undefined);
      },
      async hover(text: string, expected?: string | RegExp, timeoutMs = TIMEOUTS.ui): Promise<string> {
        const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
        await lines.waitFor({ state: 'visible', timeout: timeoutMs });
        // Monaco recycles line elements, so DOM order is not line order: take the topmost match.
        const find = () => lines.evaluate((root, needle) => {
          let best: { x: number; y: number } | undefined;
          for (const line of Array.from(root.querySelectorAll('.view-line'))) {
            const walker = document.createTreeWalker(line, 4 /* NodeFilter.SHOW_TEXT */);
            // Monaco renders spaces as U+00A0.
            let full = '';
            const nodes: { node: PageTextNode; start: number }[] = [];
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              nodes.push({ node: n, start: full.length });
              full += (n.textContent ?? '').replace(/\u00a0/g, ' ');
            }
            const at = full.indexOf(needle);
            if (at < 0) continue;
            const mid = at + Math.floor(needle.length / 2);
            const hit = nodes.filter((x) => x.start <= mid).pop();
            if (!hit) continue;
            const range = document.createRange();
            const off = Math.min(mid - hit.start, (hit.node.textContent ?? '').length - 1);
            range.setStart(hit.node, off);
            range.setEnd(hit.node, off + 1);
            const r = range.getBoundingClientRect();
            if (r.width > 0 && (!best || r.y + r.height / 2 < best.y)) best = { x: r.x + r.width / 2, y: r.y + r.height / 2 };
          }
          return best;
        }, text);
        const end = Date.now() + timeoutMs;
        let box = await find();
        while (!box && Date.now() < end) {
          await sleep(200);
          box = await find();
        }
        if (!box) throw new Error(`"${text}" is not among the rendered editor lines after ${timeoutMs} ms`);
        // Move away first so a hover already open elsewhere goes and a fresh one comes.
        await page.mouse.move(1, 1);
        await page.mouse.move(box.x, box.y, { steps: 2 });
        const widget = page.locator('.monaco-hover:not(.hidden)').first();
        await widget.waitFor({ state: 'visible', timeout: timeoutMs });
        let shown = await widget.innerText();
        if (expected === undefined) return shown;
        const ok = (t: string) => (typeof expected === 'string' ? t.includes(expected) : expected.test(t));
        while (!ok(shown)) {
          if (Date.now() > end) throw new Error(`hover over "${text}" shows ${JSON.stringify(shown)}, not ${expected}`);
          await sleep(150);
          shown = await widget.innerText().catch(() => '');
        }
        return shown;
      },
      async statusBarTexts(): Promise<string[]> {
        const texts = await page.locator('.statusbar-item').allInnerTexts();
        return texts.map((t) => t.trim()).filter((t) => t.length > 0);
      },
      async waitForStatusBarItem(match: string | RegExp, timeoutMs = TIMEOUTS.ui): Promise<string> {
        const test = (t: string) => (typeof match === 'string' ? t.includes(match) : match.test(t));
        const end = Date.now() + timeoutMs;
        let seen: string[] = [];
        for (;;) {
          seen = await editor.statusBarTexts();
          const hit = seen.find(test);
          if (hit !== undefined) return hit;
          if (Date.now() > end) {
            throw new Error(`no status bar item matching ${match} after ${timeoutMs} ms; seen: ${JSON.stringify(seen)}`);
          }
          await sleep(200);
        }
      },
      close: cleanup,
    };
    return editor;
  } catch (e) {
    await cleanup().catch(() => undefined);
    throw e;
  }
}

// ---- what the CLI says, and what the window shows, for tests to compare -------------------------------------

export interface CliFinding {
  rule: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
  range: { start: { line: number; character: number } };
}

/** What the built CLI says about the file against `tag` (findings and binder problems alike); `extra`: more options. */
export function cliCheck(file: string, tag: string, ...extra: string[]): { baseline: { tag: string }; findings: CliFinding[] } {
  const cli = path.join(repoRoot(), 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '--fail-on', 'never', '--against', tag, ...extra, file], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, `cri-compat check failed (${r.status ?? r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout) as { baseline: { tag: string }; findings: CliFinding[] };
}

/** `#status.problems` aria-label ("Errors: N, Warnings: M[, Infos: K]") as numbers. */
export async function problemCounts(page: Page): Promise<{ errors: number; warnings: number; infos: number; label: string }> {
  const label = (await page.locator('#status\\.problems').first().getAttribute('aria-label', { timeout: 2000 })) ?? '';
  const num = (re: RegExp) => Number(re.exec(label)?.[1] ?? 0);
  return { errors: num(/Errors: (\d+)/), warnings: num(/Warnings: (\d+)/), infos: num(/Infos: (\d+)/), label };
}

/**
 * The webview frame whose body text contains `needle` (webviews nest two iframes; content is in the inner one)
 * and that text; bounded.
 */
export async function webviewWith(page: Page, needle: string, timeoutMs = TIMEOUTS.ui): Promise<{ frame: Frame; text: string }> {
  return until(`a webview showing ${JSON.stringify(needle)}`, async () => {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const text = await frame.locator('body').innerText({ timeout: 500 }).catch(() => '');
      if (text.includes(needle)) return { frame, text };
    }
    return undefined;
  }, timeoutMs);
}
