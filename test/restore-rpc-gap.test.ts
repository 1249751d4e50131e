// "Restore the RPC" puts a deleted RPC back under the doc comment left where it was, however far apart the RPCs
// around it are: a service with 1,500 comment and blank lines between two RPCs got a second copy of the comment.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { Baseline } from '../server/src/baseline/types';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { applyEdits, computeFixes } from '../server/src/fixes';
import { analyze } from '../server/src/service';
import { NEEDS_CORPUS, newestCorpusTag, newestCorpusText, replaceOnce } from './corpusText';

const URI = 'file:///work/api.proto';
const STREAM = '    rpc StreamPodSandboxes(StreamPodSandboxesRequest) returns (stream StreamPodSandboxesResponse) {}\n';
const CREATE = '    // CreateContainer creates a new container in specified PodSandbox\n';
/** 1,500 lines: a comment of the service's own and a blank line, 750 times. */
const FILLER = Array.from({ length: 750 }, (_, k) => `    // Note ${k} of the service.\n\n`).join('');

/** The text after the preferred fix of the RPC_NO_DELETE of `text` against `baseline`. */
function restored(text: string, baseline: Baseline): string {
  const a = analyze(text, { uri: URI, baseline });
  const f = a.findings.find((x) => x.rule === 'RPC_NO_DELETE');
  assert.ok(f, 'RPC_NO_DELETE');
  const fix = computeFixes(text, a.bound, f)[0];
  assert.equal(fix?.title, 'Restore the RPC "StreamPodSandboxes"');
  return applyEdits(text, fix.edits);
}

test('an RPC deleted without its comment goes back under it, with 1,500 lines between its neighbours', NEEDS_CORPUS, () => {
  const release = newestCorpusText();
  // Between StreamPodSandboxes (its comment and the blank line below it) and CreateContainer.
  const released = replaceOnce(release, `${STREAM}\n${CREATE}`, `${STREAM}\n${FILLER}${CREATE}`);
  const deleted = replaceOnce(released, STREAM, '');
  const history = loadBundledHistory();
  const tag = newestCorpusTag();
  for (const baseline of [
    { tag: 'v0.0.0-test', source: 'path', origin: 'test', model: bind(parse(released), 'released.proto').model },
    { tag, source: 'bundled', origin: 'test', model: history.modelAt(tag)!, history },
  ] satisfies Baseline[]) {
    assert.equal(restored(deleted, baseline), released, baseline.source);
  }
});
