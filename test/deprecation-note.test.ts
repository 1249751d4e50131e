// The note the "Deprecate … instead of deleting" fix writes above the member it restores fits in 80 columns at the
// member's indentation, as the doc stubs the fixes insert do: a released api.proto nests enum values 8 spaces
// deep, and a file indented by 8 puts its RPCs there too.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { Baseline } from '../server/src/baseline/types';
import { applyEdits, computeFixes, DEPRECATION_NOTE } from '../server/src/fixes';
import { analyze } from '../server/src/service';
import { NEEDS_CORPUS, newestCorpusText, replaceOnce } from './corpusText';

const URI = 'file:///work/api.proto';
const UNCONFINED = '        // Disable the feature for the sandbox or the container.\n        Unconfined = 1;\n';
const VERSION_RPC = '    rpc Version(VersionRequest) returns (VersionResponse) {}\n';

/** `text` indented by twice as much: 8 spaces a level. */
const doubled = (text: string): string => text.replace(/^ +/gm, (s) => s + s);

/** The text after the deprecate fix of `element`'s deletion from `release` (`deleted` taken out of it). */
function deprecated(release: string, deleted: string, rule: string, element: string): string {
  const baseline: Baseline = { tag: 'v0.0.0-test', source: 'path', origin: 'test', model: bind(parse(release), 'released.proto').model };
  const text = replaceOnce(release, deleted, '');
  const a = analyze(text, { uri: URI, baseline });
  const f = a.findings.find((x) => x.rule === rule && x.element === element);
  assert.ok(f, `${rule} ${element}`);
  const fix = computeFixes(text, a.bound, f).find((x) => /^Deprecate /.test(x.title));
  assert.ok(fix, `a deprecate fix for ${element}`);
  return applyEdits(text, fix.edits);
}

test('the deprecation note is wrapped to 80 columns at the restored member\'s indentation', NEEDS_CORPUS, () => {
  const release = newestCorpusText();
  const cases: [release: string, deleted: string, rule: string, element: string][] = [
    [release, UNCONFINED, 'ENUM_VALUE_NO_DELETE', 'runtime.v1.SecurityProfile.ProfileType.Unconfined'],
    [doubled(release), doubled(UNCONFINED), 'ENUM_VALUE_NO_DELETE', 'runtime.v1.SecurityProfile.ProfileType.Unconfined'],
    [doubled(release), doubled(VERSION_RPC), 'RPC_NO_DELETE', 'runtime.v1.RuntimeService.Version'],
  ];
  for (const [text, deleted, rule, element] of cases) {
    const after = deprecated(text, deleted, rule, element);
    const added = after.split('\n').filter((l) => !text.split('\n').includes(l));
    const note = added.filter((l) => /^\s*\/\/ /.test(l));
    assert.equal(note.map((l) => l.replace(/^\s*\/\/ /, '')).join(' '), DEPRECATION_NOTE, `${element}: the note, whole`);
    const indent = /^ */.exec(deleted.split('\n').at(-2)!)![0];
    for (const l of note) assert.ok(l.startsWith(`${indent}// `), `${element}: at the member's indentation: ${JSON.stringify(l)}`);
    assert.deepEqual(added.filter((l) => l.length > 80), [], `${element}: lines past 80 columns`);
  }
});
