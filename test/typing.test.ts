// The changes between consecutive cri-api releases, typed into the older file keystroke by keystroke (sampled:
// scripts/replay-typing.ts replays every one): nothing may show away from the lines being typed that neither the
// file before nor the file after the change shows, such as a released rpc reported deleted because the rpc being
// typed took it in. The same holds at every keystroke of a few declarations typed into the newest release
// (TYPED_DECLARATIONS). See test/typingReplay.ts for how a change is typed.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { NEEDS_CORPUS, corpusText, newestCorpusText, replaceOnce } from './corpusText';
import { TYPED_DECLARATIONS, TYPED_RELEASES, replay, sampled, typedLabel } from './typingReplay';

test('typing each release\'s changes into the release before shows nothing transient away from the cursor', NEEDS_CORPUS, () => {
  let hunks = 0;
  let keystrokes = 0;
  const transients: string[] = [];
  for (const [from, to] of TYPED_RELEASES) {
    const r = replay(corpusText(from), corpusText(to), (k, n) => sampled(k, n, 50));
    hunks += r.hunks;
    keystrokes += r.keystrokes;
    for (const t of r.transients) transients.push(`${from} → ${to} hunk ${t.hunk} keystroke ${t.keystroke} (editing lines ${t.editing}): line ${t.line}: ${t.key}`);
  }
  assert.ok(hunks >= 60 && keystrokes >= 1000, `${hunks} hunks, ${keystrokes} keystrokes replayed`);
  assert.deepEqual(transients, []);
});

test('typing declarations into the newest release shows nothing transient away from the cursor', NEEDS_CORPUS, () => {
  const released = newestCorpusText();
  const transients: string[] = [];
  for (const d of TYPED_DECLARATIONS) {
    const r = replay(released, replaceOnce(released, d[0], d[0] + d[1]));
    for (const t of r.transients) transients.push(`${typedLabel(d)}: keystroke ${t.keystroke} (editing lines ${t.editing}): line ${t.line}: ${t.key}`);
  }
  assert.deepEqual(transients, []);
});
