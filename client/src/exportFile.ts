// Where "Export Compatibility Report as Markdown" suggests saving the report, and how it writes it, with no VS Code
// API (so that tests run them under plain node). commands.ts asks where with the save dialog.

import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/**
 * The suggested file: `<name>-cri-report.md` (`api.proto` → `api-cri-report.md`) next to the document when it is
 * a file, else in its workspace folder, else in the home directory (an untitled or virtual document).
 */
export function defaultReportPath(doc: { file?: string; name: string }, folder: string | undefined, home: string): string {
  const base = path.basename(doc.name).replace(/\.proto$/i, '') || 'api';
  const dir = doc.file !== undefined ? path.dirname(doc.file) : folder ?? home;
  return path.join(dir, `${base}-cri-report.md`);
}

/**
 * Writes `text` to a new file beside `file`, then renames it over `file`: a reader (or a crash) never sees half a
 * report, and a failed write leaves what was there.
 */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fsp.writeFile(tmp, text, { flag: 'wx' });
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.unlink(tmp).catch(() => undefined);
    throw e;
  }
}
