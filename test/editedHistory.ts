// The bundled runtime.v1 release history with one field kept only in some releases: for the skew wording of
// histories the real one does not have (yet), such as a field added in a patch or removed in a pre-release.
import * as assert from 'node:assert/strict';
import { historyReport } from '../server/src/baseline/historyCommand';
import { buildHistoryFromModels, loadBundledHistory } from '../server/src/baseline/historyIndex';
import type { History } from '../server/src/baseline/types';

/** The bundled runtime.v1 history, with `message.field` only in the releases whose tag `keep` accepts. */
export function historyWithField(message: string, field: string, keep: (tag: string) => boolean): History {
  const bundled = loadBundledHistory();
  return buildHistoryFromModels(bundled.releases.map((release) => {
    // A copy: the index shares models between releases.
    const model = structuredClone(bundled.modelAt(release.tag)!);
    if (!keep(release.tag)) {
      // Releases older than the message have nothing to drop.
      const m = model.messages.find((x) => x.fqn === message);
      if (m) m.fields = m.fields.filter((f) => f.name !== field);
    }
    return { release, model };
  }));
}

/** The text of one row (`label:`) of `history --element path` over `history`. */
export function historyRow(history: History, path: string, label: string): string {
  const report = historyReport(history, path);
  const row = report.split('\n').find((l) => l.trimStart().startsWith(`${label}:`));
  assert.ok(row, `${path} has a ${label} row:\n${report}`);
  return row.slice(row.indexOf(':') + 1).trim();
}
