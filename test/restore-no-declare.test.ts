// A reference to a deleted message whose "Restore message X as released in <tag>" is offered gets no "Declare message
// X" beside it (an empty stub that would drop the released fields), as a reference to a deleted enum gets none;
// where the restore cannot be made (a field of the message has a type that is deleted too), Declare stays. On real
// deletions from the v0.36.3 api.proto (the corpus), through the editor's code actions and fix-all's findings.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { analyze } from '../server/src/service';
import type { Baseline } from '../server/src/baseline/types';
import { codeActions } from '../server/src/lsp/codeActions';
import { problemToDiagnostic } from '../server/src/lsp/convert';
import { fixableFindings } from '../server/src/lsp/fixChoice';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import { NEEDS_CORPUS, corpusText } from './corpusText';

const TAG = 'v0.36.3';
const URI = 'file:///work/api.proto';
const ID_MAPPING = /\/\/ IDMapping describes[^]*?\n}\n\n/;
const USER_NAMESPACE = /\/\/ UserNamespace describes[^]*?\n}\n\n/;

/** The titles of the quick fixes offered on each unresolved-type diagnostic of `text`, and fix-all's declarations. */
function offered(text: string, released: string): { titles: string[]; declared: string[] } {
  const baseline: Baseline = { tag: TAG, source: 'path', origin: 'test', model: bind(parse(released), 'old.proto').model };
  const reanalyze = (t: string) => analyze(t, { uri: URI, baseline });
  const analysis = reanalyze(text);
  const diagnostics: Diagnostic[] = analysis.bound.problems.filter((p) => p.code === 'unresolved-type').map((p) => problemToDiagnostic(p));
  assert.ok(diagnostics.length > 0, 'the deletion leaves an unresolved reference');
  const titles = diagnostics.flatMap((d) => codeActions({ uri: URI, version: 1, text, analysis }, { diagnostics: [d], only: ['quickfix'], documentChanges: true, reanalyze }).map((a) => a.title));
  const declared = fixableFindings(analysis).flatMap((f) => (f.fixes ?? []).filter((x) => x.kind === 'declareMessage').map((x) => (x as { name: string }).name));
  return { titles, declared };
}

test('a deleted message that the restore brings back gets no Declare message on its references', NEEDS_CORPUS, () => {
  const released = corpusText(TAG);
  const text = released.replace(ID_MAPPING, () => '');
  assert.notEqual(text, released);
  const { titles, declared } = offered(text, released);
  assert.deepEqual(titles.filter((t) => t.startsWith('Declare message')), [], JSON.stringify(titles));
  assert.deepEqual(declared, []);
  // The restore itself is offered for the deletion.
  const a = analyze(text, { uri: URI, baseline: { tag: TAG, source: 'path', origin: 'test', model: bind(parse(released), 'old.proto').model } });
  assert.ok(a.findings.some((f) => f.element === 'runtime.v1.IDMapping' && f.fixes?.some((x) => x.kind === 'restoreType')));
});

test('where the restore cannot be made (its field\'s type is deleted too), Declare message stays', NEEDS_CORPUS, () => {
  const released = corpusText(TAG);
  // UserNamespace's `repeated IDMapping uids`: with IDMapping gone as well, UserNamespace cannot be restored first.
  const text = released.replace(ID_MAPPING, () => '').replace(USER_NAMESPACE, () => '');
  assert.ok(!/message (IDMapping|UserNamespace) /.test(text));
  const { titles, declared } = offered(text, released);
  assert.ok(titles.some((t) => t.startsWith('Declare message "UserNamespace"')), JSON.stringify(titles));
  assert.deepEqual(declared, ['UserNamespace']);
});
