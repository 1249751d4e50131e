// Reading a Go module zip (https://go.dev/ref/mod#zip-files) in memory: the central directory, stored and
// deflated entries, CRC-32 and size checks, Go's naming rules, and the `h1:` hash that go.sum records. Nothing
// is extracted to disk. Shared by the module proxy (zips it downloads) and the module cache (zips Go downloaded
// into `cache/download`); it is its own module because the proxy source imports the module cache source.

import { V1_PATH } from './corpus';

export const CRI_API_MODULE = 'k8s.io/cri-api';
/** The cap on an api.proto from any source (the newest is about 90 KB). */
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
/** The cap on a module zip itself (a cri-api zip is a few hundred KB). */
export const DEFAULT_ZIP_MAX_BYTES = 64 * 1024 * 1024;
/** The cap on everything a module zip expands to (every entry is inflated to hash it), or an extracted module holds. */
export const DEFAULT_UNZIP_MAX_BYTES = 128 * 1024 * 1024;
/** The cap on the entries of a module zip, or of an extracted module directory (a cri-api module has about 20). */
export const MAX_MODULE_ENTRIES = 10_000;

// crypto and zlib are required on first use: only module zips need them, and loading them would cost every
// CLI run a few milliseconds of start-up.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto = (): typeof import('node:crypto') => require('node:crypto');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const zlib = (): typeof import('node:zlib') => require('node:zlib');

export class ZipError extends Error {
  override name = 'ZipError';
}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Built on first use: at load it cost every CLI run 2,048 interpreted steps, most of which read no zip. */
let crcTable: Uint32Array | undefined;

function buildCrcTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

export function crc32(buf: Uint8Array): number {
  const table = (crcTable ??= buildCrcTable());
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = table[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The entries of a zip's central directory. Rejects truncated, multi-disk, ZIP64 and encrypted archives. */
export function readZipDirectory(buf: Buffer, maxEntries = MAX_MODULE_ENTRIES): ZipEntry[] {
  if (buf.length < 22) throw new ZipError(`not a zip file (${buf.length} bytes)`);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50 && i + 22 + buf.readUInt16LE(i + 20) === buf.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('not a zip file, or truncated (no end-of-central-directory record)');
  const disk = buf.readUInt16LE(eocd + 4);
  const cdDisk = buf.readUInt16LE(eocd + 6);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (disk !== 0 || cdDisk !== 0 || buf.readUInt16LE(eocd + 8) !== count) throw new ZipError('multi-disk zip files are not supported');
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new ZipError('ZIP64 archives are not supported');
  if (count > maxEntries) throw new ZipError(`zip has ${count} entries, over the cap of ${maxEntries}`);
  if (cdOffset + cdSize > eocd) throw new ZipError('truncated zip (central directory out of bounds)');
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdOffset + cdSize || buf.readUInt32LE(p) !== 0x02014b50) throw new ZipError(`corrupt central directory at entry ${i}`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > cdOffset + cdSize) throw new ZipError(`corrupt central directory at entry ${i}`);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) throw new ZipError('ZIP64 entries are not supported');
    if (flags & 0x1) throw new ZipError(`entry ${JSON.stringify(name)} is encrypted`);
    entries.push({ name, method, flags, crc, compressedSize, size, localOffset });
    p = end;
  }
  return entries;
}

/** The uncompressed bytes of one entry, checked against its recorded size and CRC-32. */
export function zipEntryData(buf: Buffer, e: ZipEntry, maxBytes: number): Buffer {
  const where = JSON.stringify(e.name);
  if (e.size > maxBytes) throw new ZipError(`entry ${where} is ${e.size} bytes uncompressed, over the ${maxBytes}-byte cap`);
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== 0x04034b50) throw new ZipError(`entry ${where}: bad local header (truncated or corrupt zip)`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.compressedSize > buf.length) throw new ZipError(`entry ${where}: data runs past the end (truncated zip)`);
  const raw = buf.subarray(start, start + e.compressedSize);
  let data: Buffer;
  if (e.method === 0) {
    data = raw;
  } else if (e.method === 8) {
    try {
      data = zlib().inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
    } catch (err) {
      throw new ZipError(`entry ${where}: cannot inflate (${(err as Error).message})`);
    }
  } else {
    throw new ZipError(`entry ${where}: compression method ${e.method} is not supported`);
  }
  if (data.length !== e.size) throw new ZipError(`entry ${where}: ${data.length} bytes, but the directory says ${e.size}`);
  if (crc32(data) !== e.crc) throw new ZipError(`entry ${where}: CRC-32 mismatch (corrupt zip)`);
  return data;
}

/** Module zip rules (a subset of Go's): every name under `<module>@<version>/`, no `.`/`..`/empty segments, no backslashes, no duplicates. */
export function checkModuleZipNames(entries: ZipEntry[], module: string, version: string): void {
  const prefix = `${module}@${version}/`;
  const seen = new Set<string>();
  for (const e of entries) {
    const bad = (why: string) => new ZipError(`unsafe entry ${JSON.stringify(e.name)}: ${why}; the whole zip is rejected`);
    if (/[\0-\x1f\x7f\\]/.test(e.name)) throw bad('control character or backslash');
    if (!e.name.startsWith(prefix)) throw bad(`outside the module prefix ${prefix}`);
    const segs = e.name.slice(prefix.length).split('/');
    if (segs.some((s) => s === '' || s === '.' || s === '..')) throw bad('empty, "." or ".." path segment');
    const key = e.name.toLowerCase();
    if (seen.has(key)) throw bad('duplicate name');
    seen.add(key);
  }
}

export function sha256Hex(data: Uint8Array): string {
  return crypto().createHash('sha256').update(data).digest('hex');
}

/**
 * Go's dirhash Hash1 from each file's SHA-256 (hex): `h1:` + base64(sha256 of "sha256hex  name\n" lines sorted by
 * name). Taking digests, not contents, lets a directory be hashed one file at a time.
 */
export function hash1OfDigests(files: { name: string; sha256: string }[]): string {
  const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.name, 'utf8'), Buffer.from(b.name, 'utf8')));
  const summary = crypto().createHash('sha256');
  for (const f of sorted) {
    if (f.name.includes('\n')) throw new ZipError('file names with newlines cannot be hashed');
    summary.update(`${f.sha256}  ${f.name}\n`);
  }
  return `h1:${summary.digest('base64')}`;
}

/** Go's dirhash Hash1 over named file contents. */
export function hash1(files: { name: string; data: Uint8Array }[]): string {
  return hash1OfDigests(files.map((f) => ({ name: f.name, sha256: sha256Hex(f.data) })));
}

/**
 * api.proto of a cri-api module zip, with the zip's `h1:` hash. Throws `ZipError` on anything unexpected.
 * The whole zip may expand to `maxUnzipBytes` (every file is hashed), but api.proto itself is held to
 * `maxFileBytes`, the cap on an api.proto from any source.
 */
export function readModuleZip(
  buf: Buffer,
  version: string,
  maxUnzipBytes = DEFAULT_UNZIP_MAX_BYTES,
  maxFileBytes = DEFAULT_MAX_FILE_BYTES,
): { text: string; h1: string } {
  const entries = readZipDirectory(buf);
  checkModuleZipNames(entries, CRI_API_MODULE, version);
  const total = entries.reduce((n, e) => n + e.size, 0);
  if (total > maxUnzipBytes) throw new ZipError(`zip expands to ${total} bytes, over the ${maxUnzipBytes}-byte cap`);
  const want = `${CRI_API_MODULE}@${version}/${V1_PATH}`;
  const proto = entries.find((e) => e.name === want);
  if (proto && proto.size > maxFileBytes) throw new ZipError(`${V1_PATH} is ${proto.size} bytes uncompressed, over the ${maxFileBytes}-byte cap`);
  let text: string | undefined;
  const files = entries.map((e) => {
    const data = zipEntryData(buf, e, maxUnzipBytes);
    if (e.name === want) text = data.toString('utf8');
    return { name: e.name, data };
  });
  if (text === undefined) throw new ZipError(`zip has no ${V1_PATH}`);
  return { text, h1: hash1(files) };
}

/**
 * `k8s.io/cri-api` zip hashes by version, from the go.sum files Go reads (see `findGoSumHashes`); where two of them
 * disagree on a version, why no hash of it can be trusted: Go stops with a checksum mismatch then, whichever one the
 * download matches.
 */
export type GoSumHashes = Map<string, string | { conflict: string }>;

/**
 * Why a zip whose hash is `h1` may not be used as `version` given go.sum's hashes, or undefined when it may
 * (go.sum agrees, or has no line for the version: nothing to check against).
 */
export function goSumMismatch(version: string, h1: string, goSum: GoSumHashes | undefined): string | undefined {
  const expected = goSum?.get(version);
  if (typeof expected === 'object') return expected.conflict;
  // The hashes are go.sum's, or for a version it lacks, those of the workspace's other modules or go.work.sum (findGoSumHashes).
  return expected && h1 !== expected ? `its hash ${h1} does not match the workspace's go.sum or go.work.sum (${expected})` : undefined;
}
