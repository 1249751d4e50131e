// Where the CLI's text goes (see Output).

import { fstatSync, writeSync } from 'node:fs';

/**
 * One of the CLI's outputs. A pipe, a socket (what Node's child_process gives a child) or a file is written
 * to directly: creating `process.stdout` for them loads Node's socket modules, 2-3 ms of a 60 ms check. A
 * terminal or anything else, and a descriptor that would block (non-blocking and full), get Node's stream
 * instead, from then on, so that order is kept. A reader that went away (`| head`) ends the output, not the
 * run.
 */
export class Output {
  private stream: NodeJS.WriteStream | undefined;
  private closed = false;

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
    if (!direct) this.stream = openStream();
  }

  write(s: string): void {
    const text = s.endsWith('\n') ? s : `${s}\n`;
    if (this.stream) {
      this.stream.write(text);
      return;
    }
    if (this.closed) return;
    const buf = Buffer.from(text);
    let done = 0;
    try {
      while (done < buf.length) done += writeSync(this.fd, buf, done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') this.closed = true;
      else if (code === 'EAGAIN') (this.stream = this.openStream()).write(buf.subarray(done));
      else throw e;
    }
  }

  /** Resolves once everything written has been handed to the system. */
  flushed(): Promise<void> {
    const stream = this.stream;
    return stream ? new Promise((done) => stream.write('', () => done())) : Promise.resolve();
  }
}
