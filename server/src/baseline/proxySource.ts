// The baseline from a Go module proxy (https://go.dev/ref/mod#goproxy-protocol): `@v/list`, then the
// module zip of the newest release, of which only `pkg/apis/runtime/v1/api.proto` is read. Responses are
// size-capped and time-limited, the zip is read in memory by `moduleZip` (no extraction to disk), its
// `h1:` hash is checked against go.sum when one is at hand, and the result is cached on disk.

// fs.promises, not node:fs/promises: Node loads that module (and what it needs) on first use, not at start-up.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { compareTags, newestTag, parsePseudoVersion, releaseOfGoTag } from '../policy/versions';
import { CRI_API_MODULE, DEFAULT_MAX_FILE_BYTES, DEFAULT_UNZIP_MAX_BYTES, DEFAULT_ZIP_MAX_BYTES, goSumMismatch, readModuleZip, ZipError, type GoSumHashes } from './moduleZip';
import { counted } from '../plural';

// The zip reader lives in moduleZip.ts, which the module cache source shares; it is re-exported here for
// the callers that know it as the proxy's.
export { checkModuleZipNames, crc32, DEFAULT_UNZIP_MAX_BYTES, DEFAULT_ZIP_MAX_BYTES, hash1, readModuleZip, readZipDirectory, ZipError, zipEntryData, type ZipEntry } from './moduleZip';

// crypto is required on first use: only the module proxy, which is off by default, needs it here, and loading
// it would cost every CLI run a few milliseconds of start-up.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto = (): typeof import('node:crypto') => require('node:crypto');

export const DEFAULT_PROXY = 'https://proxy.golang.org';
export const DEFAULT_PROXY_TIMEOUT_MS = 15_000;
export const DEFAULT_LIST_MAX_BYTES = 1024 * 1024;
export const DEFAULT_LIST_TTL_MS = 6 * 60 * 60 * 1000;
const MAX_REDIRECTS = 3;
const MAX_CACHE_ENTRY_BYTES = 8 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------
// HTTP.

export class ProxyError extends Error {
  override name = 'ProxyError';
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Why a URL may not be used (undefined when it may): https only, except http to a loopback address. */
export function checkProxyUrl(u: URL): string | undefined {
  if (u.username || u.password) return 'proxy URLs with credentials are not supported';
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:' && isLoopback(u.hostname)) return undefined;
  return `${u.protocol}//${u.host} is not used: only https, or http to a loopback address`;
}

/** The first `$GOPROXY` entry (default proxy.golang.org), or why there is none to use. */
export function proxyFromEnv(env: NodeJS.ProcessEnv = process.env): { url: URL } | { reason: string } {
  const first = (env.GOPROXY ?? '').split(/[,|]/)[0]?.trim() || DEFAULT_PROXY;
  if (first === 'off') return { reason: 'GOPROXY=off' };
  if (first === 'direct') return { reason: 'GOPROXY starts with "direct"; only the module proxy protocol is supported' };
  let url: URL;
  try {
    url = new URL(first);
  } catch {
    return { reason: `GOPROXY entry "${first}" is not a URL` };
  }
  const bad = checkProxyUrl(url);
  if (bad) return { reason: bad };
  url.search = '';
  url.hash = '';
  return { url };
}

function display(u: URL): string {
  return `${u.protocol}//${u.host}${u.pathname}`;
}

const NETWORK_ERRORS: Record<string, string> = {
  UND_ERR_SOCKET: 'connection closed before the response was complete',
  ECONNRESET: 'connection reset',
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate in chain',
};

/** GET with redirects re-checked, a whole-request timeout, and a byte cap (by Content-Length and while streaming). */
async function fetchCapped(
  fetchFn: typeof fetch,
  url: URL,
  maxBytes: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ status: number; body: Buffer }> {
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort();
  }, timeoutMs);
  const onAbort = () => ctl.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let current = url;
    for (let hop = 0; ; hop++) {
      const res = await fetchFn(current.href, { signal: ctl.signal, redirect: 'manual', headers: { 'user-agent': 'cri-compat' } });
      if ([301, 302, 303, 307, 308].includes(res.status)) {
        await res.body?.cancel().catch(() => undefined);
        const loc = res.headers.get('location');
        if (!loc) throw new ProxyError(`${display(current)}: redirect without a location`);
        if (hop >= MAX_REDIRECTS) throw new ProxyError(`${display(url)}: more than ${MAX_REDIRECTS} redirects`);
        const next = new URL(loc, current);
        const bad = checkProxyUrl(next);
        if (bad) throw new ProxyError(`${display(current)} redirects to ${display(next)}: ${bad}`);
        current = next;
        continue;
      }
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => undefined);
        return { status: res.status, body: Buffer.alloc(0) };
      }
      const declared = res.headers.get('content-length');
      if (declared !== null && Number(declared) > maxBytes) {
        await res.body?.cancel().catch(() => undefined);
        throw new ProxyError(`${display(current)}: response of ${declared} bytes is over the ${maxBytes}-byte cap; not downloaded`);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      if (res.body) {
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          total += value.byteLength;
          if (total > maxBytes) {
            ctl.abort();
            throw new ProxyError(`${display(current)}: response exceeded the ${maxBytes}-byte cap; download stopped`);
          }
          chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        }
      }
      return { status: 200, body: Buffer.concat(chunks) };
    }
  } catch (err) {
    if (err instanceof ProxyError) throw err;
    if (timedOut) throw new ProxyError(`${display(url)}: no complete answer within ${timeoutMs} ms`);
    if (signal?.aborted) throw signal.reason ?? err;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code ?? (err as NodeJS.ErrnoException).code;
    const what = (code && NETWORK_ERRORS[code]) ?? cause?.message ?? (err as Error).message;
    throw new ProxyError(`${display(url)}: request failed: ${what}${code ? ` (${code})` : ''}`);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Disk cache: one JSON file per proxy for the version list, one per version for api.proto.

async function atomicWrite(file: string, data: string): Promise<void> {
  await fsp.mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${crypto().randomBytes(6).toString('hex')}.tmp`;
  try {
    await fsp.writeFile(tmp, data, { flag: 'wx', mode: 0o600 });
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** A cache file's JSON, or undefined when absent, oversized or unreadable (a corrupt file is a miss). */
async function readCache(file: string): Promise<unknown> {
  try {
    const st = await fsp.stat(file);
    // Not a FIFO or device, which readFile would wait on.
    if (!st.isFile() || st.size > MAX_CACHE_ENTRY_BYTES) return undefined;
    return JSON.parse(await fsp.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

interface CachedList {
  v: 1;
  fetchedAt: number;
  versions: string[];
}

interface CachedFile {
  v: 1;
  module: string;
  version: string;
  h1: string;
  sha256: string;
  text: string;
}

function sha256(text: string): string {
  return crypto().createHash('sha256').update(text, 'utf8').digest('hex');
}

function validList(x: unknown): x is CachedList {
  const l = x as CachedList;
  return !!l && l.v === 1 && typeof l.fetchedAt === 'number' && Array.isArray(l.versions) && l.versions.every((v) => typeof v === 'string' && !!releaseOfGoTag(v));
}

function validFile(x: unknown, version: string, maxFileBytes: number): x is CachedFile {
  const f = x as CachedFile;
  return (
    !!f && f.v === 1 && f.module === CRI_API_MODULE && f.version === version && typeof f.text === 'string' &&
    Buffer.byteLength(f.text, 'utf8') <= maxFileBytes &&
    typeof f.h1 === 'string' && f.h1.startsWith('h1:') && f.sha256 === sha256(f.text)
  );
}

// ---------------------------------------------------------------------------------------------------------
// The source.

export interface ProxyOptions {
  /** For GOPROXY; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  /** Cache directory (e.g. ~/.cache/cri-compat); no caching when absent. */
  cacheDir?: string;
  /** Per request, including the body; default 15 s. */
  timeoutMs?: number;
  listMaxBytes?: number;
  zipMaxBytes?: number;
  unzipMaxBytes?: number;
  /** Cap on api.proto itself, uncompressed; default `DEFAULT_MAX_FILE_BYTES`. */
  maxFileBytes?: number;
  /** How long a cached version list is used before asking again; default 6 h. */
  listTtlMs?: number;
  includePrereleases?: boolean;
  /** Fetch exactly this version instead of the newest. */
  version?: string;
  /** Only a version newer than this one is of interest. */
  newerThan?: string;
  /** Only versions before this one (the release the checked file is): the newest of them, not the newest. */
  before?: string;
  /** `k8s.io/cri-api` zip hashes by version, from go.sum. */
  goSum?: GoSumHashes;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  now?: () => number;
}

export interface ProxyFound {
  ok: true;
  version: string;
  text: string;
  /** The module zip's hash. */
  h1: string;
  /** Whether `h1` matched a go.sum line. */
  verified: boolean;
  fromCache: boolean;
  origin: string;
}

export interface ProxyMiss {
  ok: false;
  reason: string;
}

export async function fetchFromProxy(options: ProxyOptions = {}): Promise<ProxyFound | ProxyMiss> {
  const proxy = proxyFromEnv(options.env);
  if ('reason' in proxy) return { ok: false, reason: proxy.reason };
  const base = proxy.url;
  const fetchFn = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROXY_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const modUrl = (suffix: string) => new URL(`${display(base).replace(/\/+$/, '')}/${CRI_API_MODULE}/@v/${suffix}`);
  const cacheRoot = options.cacheDir
    ? join(options.cacheDir, 'goproxy', sha256(display(base)).slice(0, 16), ...CRI_API_MODULE.split('/'))
    : undefined;
  const notes: string[] = [];
  const fail = (reason: string): ProxyMiss => ({ ok: false, reason: [reason, ...notes].join('; ') });

  try {
    // 1. Which version.
    let version = options.version;
    // A pseudo-version (a commit) is served as a release is, and only ever asked for by name.
    if (version !== undefined && !releaseOfGoTag(version) && !parsePseudoVersion(version)) return fail(`"${version}" is neither a v0.N.M version nor a pseudo-version`);
    if (version === undefined) {
      const listFile = cacheRoot && join(cacheRoot, 'list.json');
      const cached = listFile ? await readCache(listFile) : undefined;
      let versions: string[] | undefined;
      if (validList(cached) && now() - cached.fetchedAt < (options.listTtlMs ?? DEFAULT_LIST_TTL_MS)) versions = cached.versions;
      if (!versions) {
        options.onProgress?.(`Asking ${display(base)} for ${CRI_API_MODULE} versions…`);
        try {
          const res = await fetchCapped(fetchFn, modUrl('list'), options.listMaxBytes ?? DEFAULT_LIST_MAX_BYTES, timeoutMs, options.signal);
          if (res.status === 404 || res.status === 410) return fail(`${display(base)} does not serve ${CRI_API_MODULE} (HTTP ${res.status})`);
          if (res.status !== 200) throw new ProxyError(`${display(modUrl('list'))}: HTTP ${res.status}`);
          const lines = res.body.toString('utf8').split('\n').map((l) => l.trim()).filter(Boolean);
          versions = lines.filter((l) => releaseOfGoTag(l));
          if (lines.length > versions.length) notes.push(`${counted(lines.length - versions.length, 'unusable line')} in the version list ignored`);
          if (versions.length === 0) return fail(`${display(modUrl('list'))} lists no v0.N.M versions`);
          if (listFile) await atomicWrite(listFile, JSON.stringify({ v: 1, fetchedAt: now(), versions } satisfies CachedList)).catch(() => notes.push('could not write the cache'));
        } catch (err) {
          if (!(err instanceof ProxyError) || !validList(cached)) throw err;
          versions = cached.versions;
          notes.push(`${err.message}; used the cached version list from ${new Date(cached.fetchedAt).toISOString()}`);
        }
      }
      const before = options.before;
      version = newestTag(before ? versions.filter((v) => compareTags(v, before) < 0) : versions, options.includePrereleases);
      if (!version) return fail(`${display(base)} lists no released ${CRI_API_MODULE} version${before ? ` before ${before}` : ''}`);
    }
    if (options.newerThan && compareTags(version, options.newerThan) <= 0) {
      return fail(`${display(base)} has nothing newer than ${options.newerThan} (newest: ${version})`);
    }
    const expected = options.goSum?.get(version);
    // Nothing downloaded could be used: the workspace's go.sum files disagree on the version.
    if (typeof expected === 'object') return fail(`${CRI_API_MODULE}@${version} not downloaded: ${expected.conflict}`);

    // 2. The cached file, if intact and consistent with go.sum.
    const entryFile = cacheRoot && join(cacheRoot, `${version}.json`);
    if (entryFile) {
      const cached = await readCache(entryFile);
      if (validFile(cached, version, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES) && (!expected || cached.h1 === expected)) {
        return {
          ok: true, version, text: cached.text, h1: cached.h1, verified: expected === cached.h1, fromCache: true,
          origin: `${CRI_API_MODULE}@${version} from ${display(base)} (cached)`,
        };
      }
      if (cached !== undefined) notes.push('cache entry was corrupt or did not match go.sum; downloaded again');
    }

    // 3. The zip.
    options.onProgress?.(`Downloading ${CRI_API_MODULE}@${version} from ${display(base)}…`);
    const zipUrl = modUrl(`${version}.zip`);
    const res = await fetchCapped(fetchFn, zipUrl, options.zipMaxBytes ?? DEFAULT_ZIP_MAX_BYTES, timeoutMs, options.signal);
    if (res.status !== 200) return fail(`${display(zipUrl)}: HTTP ${res.status}`);
    let got: { text: string; h1: string };
    try {
      got = readModuleZip(res.body, version, options.unzipMaxBytes ?? DEFAULT_UNZIP_MAX_BYTES, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    } catch (err) {
      if (err instanceof ZipError) return fail(`${display(zipUrl)} rejected: ${err.message}`);
      throw err;
    }
    const mismatch = goSumMismatch(version, got.h1, options.goSum);
    if (mismatch) return fail(`${display(zipUrl)} rejected: ${mismatch}`);
    if (entryFile) {
      const entry: CachedFile = { v: 1, module: CRI_API_MODULE, version, h1: got.h1, sha256: sha256(got.text), text: got.text };
      await atomicWrite(entryFile, JSON.stringify(entry)).catch(() => notes.push('could not write the cache'));
    }
    return {
      ok: true, version, text: got.text, h1: got.h1, verified: !!expected, fromCache: false,
      origin: `${CRI_API_MODULE}@${version} from ${display(base)}${expected ? ' (h1 verified against go.sum)' : ''}`,
    };
  } catch (err) {
    if (err instanceof ProxyError) return fail(err.message);
    if (options.signal?.aborted) throw err;
    return fail(`unexpected error: ${(err as Error).message}`);
  }
}
