// Reading a file a workspace may have planted: only a regular file, only up to a size, and without waiting.
// The open does not block (O_NONBLOCK: a FIFO would wait for a writer forever), optionally does not follow a
// link (O_NOFOLLOW), and the type, size and identity are checked on the open descriptor, so a file swapped
// between an earlier stat and the open is judged as what was opened. At most `max + 1` bytes are read, so a
// file that grows while it is read is noticed. Callers word the refusals their own way.

import { closeSync, constants, fstatSync, openSync, promises as fsp, readSync, type Stats } from 'node:fs';

export interface RegularFileOptions {
  /** Largest size accepted, in bytes. */
  max: number;
  /** Default true; false refuses a link in the last component (`why: 'symlink'`). */
  followSymlinks?: boolean;
  /** The file must still be this one (from an earlier stat): else `why: 'other-file'`. */
  expect?: { dev: number; ino: number };
}

export type RegularFileRead =
  | { ok: true; bytes: Buffer; stats: Stats }
  /** `size`: what fstat said, for 'too-large' before reading; absent when the file grew while it was read. */
  | { ok: false; why: 'symlink' | 'not-regular' | 'too-large' | 'other-file' | 'unreadable'; size?: number; code?: string };

/**
 * How a file past its limit is said, the same for a .proto file and a config file: with its size when fstat gave
 * it (`size` of a 'too-large' refusal).
 */
export function tooLargeText(size: number | undefined, max: number): string {
  return `${size !== undefined ? `${size} bytes is ` : ''}larger than the ${max}-byte limit`;
}

const flags = (follow: boolean): number =>
  constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (follow ? 0 : constants.O_NOFOLLOW ?? 0);

type Refusal = Extract<RegularFileRead, { ok: false }>;

function openFailure(e: unknown, follow: boolean): Refusal {
  const code = (e as NodeJS.ErrnoException).code;
  return { ok: false, why: !follow && code === 'ELOOP' ? 'symlink' : 'unreadable', code: code ?? String(e) };
}

function refusal(st: Stats, o: RegularFileOptions): RegularFileRead | undefined {
  if (!st.isFile()) return { ok: false, why: 'not-regular' };
  if (o.expect && (st.dev !== o.expect.dev || st.ino !== o.expect.ino)) return { ok: false, why: 'other-file' };
  if (st.size > o.max) return { ok: false, why: 'too-large', size: st.size };
  return undefined;
}

/** A full buffer replaced by one twice as large, at most `max + 1` bytes: the file grew since its fstat. */
function grown(buf: Buffer, max: number): Buffer {
  const more = Buffer.allocUnsafe(Math.min(buf.length * 2, max + 1));
  buf.copy(more);
  return more;
}

/** `read` of the file opened (not through a link unless `follow`), closed after it; its failures as a refusal. */
function readOpenedSync<T>(path: string, follow: boolean, read: (fd: number) => T | Refusal): T | Refusal {
  let fd: number;
  try {
    fd = openSync(path, flags(follow));
  } catch (e) {
    return openFailure(e, follow);
  }
  try {
    return read(fd);
  } catch (e) {
    return { ok: false, why: 'unreadable', code: (e as NodeJS.ErrnoException).code ?? String(e) };
  } finally {
    closeSync(fd);
  }
}

export function readRegularFileSync(path: string, o: RegularFileOptions): RegularFileRead {
  return readOpenedSync(path, o.followSymlinks ?? true, (fd) => {
    const st = fstatSync(fd);
    const no = refusal(st, o);
    if (no) return no;
    let buf: Buffer = Buffer.allocUnsafe(Math.min(st.size, o.max) + 1);
    let n = 0;
    for (let k; n <= o.max && (k = readSync(fd, buf, n, buf.length - n, n)) > 0; ) {
      n += k;
      if (n === buf.length && n <= o.max) buf = grown(buf, o.max);
    }
    return n > o.max ? { ok: false, why: 'too-large' } : { ok: true, bytes: buf.subarray(0, n), stats: st };
  });
}

/** What `readLinesBackwardSync` found: `found` when `visit` asked to stop, `whole` when the file's start was reached. */
export type BackwardRead = { ok: true; found: boolean; whole: boolean } | Refusal;

/**
 * The lines of a regular file from its last to its first, under the same rules as `readRegularFileSync` but of any
 * size, read `chunk` bytes at a time from the end until `visit` returns true or `max` bytes were read: for a log
 * whose newest entries are at its end (a git reflog), which may be larger than is worth reading whole, read only as
 * far back as the entry looked for. A line cut at `max` is not visited. Lines are split as bytes and decoded whole,
 * so a character across two chunks stays one.
 */
export function readLinesBackwardSync(path: string, o: { chunk: number; max: number; followSymlinks?: boolean }, visit: (line: string) => boolean): BackwardRead {
  return readOpenedSync(path, o.followSymlinks ?? true, (fd) => {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, why: 'not-regular' };
    const floor = Math.max(0, st.size - o.max);
    // The start of the line the last chunk read began inside, which goes on in the chunk before it.
    let rest = Buffer.alloc(0);
    for (let end = st.size; end > floor; ) {
      const start = Math.max(floor, end - o.chunk);
      const buf = Buffer.allocUnsafe(end - start);
      let n = 0;
      for (let k; n < buf.length && (k = readSync(fd, buf, n, buf.length - n, start + n)) > 0; ) n += k;
      // Shorter than its fstat said: truncated meanwhile (git rewrites it whole on `reflog expire`).
      if (n < buf.length) return { ok: true, found: false, whole: false };
      const text = Buffer.concat([buf, rest]);
      const cut = start === 0 ? -1 : text.indexOf(0x0a);
      if (start > 0 && cut < 0) {
        rest = text;
      } else {
        const lines = text.subarray(cut + 1).toString('utf8').split('\n');
        for (let k = lines.length - 1; k >= 0; k--) if (visit(lines[k]!)) return { ok: true, found: true, whole: false };
        rest = text.subarray(0, Math.max(cut, 0));
      }
      end = start;
    }
    return { ok: true, found: false, whole: floor === 0 };
  });
}

export async function readRegularFile(path: string, o: RegularFileOptions): Promise<RegularFileRead> {
  const follow = o.followSymlinks ?? true;
  let h: fsp.FileHandle;
  try {
    h = await fsp.open(path, flags(follow));
  } catch (e) {
    return openFailure(e, follow);
  }
  try {
    const st = await h.stat();
    const no = refusal(st, o);
    if (no) return no;
    let buf: Buffer = Buffer.allocUnsafe(Math.min(st.size, o.max) + 1);
    let n = 0;
    for (let k; n <= o.max && (k = (await h.read(buf, n, buf.length - n, n)).bytesRead) > 0; ) {
      n += k;
      if (n === buf.length && n <= o.max) buf = grown(buf, o.max);
    }
    return n > o.max ? { ok: false, why: 'too-large' } : { ok: true, bytes: buf.subarray(0, n), stats: st };
  } catch (e) {
    return { ok: false, why: 'unreadable', code: (e as NodeJS.ErrnoException).code ?? String(e) };
  } finally {
    await h.close().catch(() => undefined);
  }
}

/**
 * What is at a path, as a string that changes when the file is edited, replaced, created or deleted (or
 * becomes a link or a directory): `-` for nothing there. From lstat: a link is stamped, not what it leads to.
 */
export function fileStamp(st: Stats | undefined): string {
  return st ? `${st.mode}:${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}` : '-';
}
