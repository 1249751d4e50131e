// Where the CLI's text goes (see Output).

import { fstatSync, writeSync } from 'node:fs';

/**
 * One of the CLI's outputs. A pipe, a socket (what Node's child_process gives a child) or a file is written
 * to directly: creating `process.stdout` for them loads Node's socket modules, 2-3 ms of a 60 ms check. A
 * terminal or anything else, and a descriptor that would block (non-blocking and full), get Node's stream
 * instead, from then on, so that order is kept. A reader that went away (`| head`) ends the output, not the
 * run. Any other write error (a full disk, /dev/full) ends the output too and is kept in `error`, for the
 * caller to report: a stream would otherwise throw it as an uncaught 'error' event.
 */
export class Output {
  private stream: NodeJS.WriteStream | undefined;
  private closed = false;
  /** The first write error other than EPIPE; nothing is written after it. */
  error: Error | undefined;

  constructor(private readonly fd: number, private readonly openStream: () => NodeJS.WriteStream) {
    let direct = false;
    // Not on Windows, whose pipes may be open for overlapped I/O, which a synchronous write cannot use.
    if (process.platform !== 'win32') {
      try {
        const st = fstatSync(fd);
        direct = st.isFIFO() || st.isSocket() || st.isFile();
      } catch {
        // Not open: the stream decides what that means.
      }
    }
    if (!direct) this.useStream();
  }

  private useStream(): NodeJS.WriteStream {
    const stream = (this.stream = this.openStream());
    stream.on('error', (e: NodeJS.ErrnoException) => this.failed(e));
    return stream;
  }

  private failed(e: NodeJS.ErrnoException): void {
    if (e.code === 'EPIPE') this.closed = true;
    else this.error ??= e;
  }

  write(s: string): void {
    if (this.closed || this.error) return;
    const text = s.endsWith('\n') ? s : `${s}\n`;
    if (this.stream) {
      this.stream.write(text);
      return;
    }
    const buf = Buffer.from(text);
    let done = 0;
    try {
      while (done < buf.length) done += writeSync(this.fd, buf, done);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') this.useStream().write(buf.subarray(done));
      else this.failed(e as NodeJS.ErrnoException);
    }
  }

  /** Resolves once everything written has been handed to the system, or has failed (see `error`). */
  flushed(): Promise<void> {
    const stream = this.stream;
    if (!stream || this.closed || this.error) return Promise.resolve();
    // setImmediate: a failed write's 'error' event comes on a later tick than the callbacks.
    return new Promise((done) => stream.write('', () => setImmediate(done)));
  }
}
