// Completion on the newest api.proto of the corpus, with a declaration half typed into a real message or enum:
// after `=` the number the "next free number" quick fix gives, never one that a release used; at a type's place
// the messages and enums in scope (by the name protoc resolves there) and the scalars.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import type { Baseline } from '../server/src/baseline/types';
import { analyze } from '../server/src/service';
import { getCompletions } from '../server/src/features/completion';
import { formatDoc } from '../server/src/features/hover';
import { CompletionItemKind, type CompletionItem } from '../server/src/features/types';
import { TextLines } from '../server/src/fixes/text';
import { NEEDS_CORPUS, corpusText, newestCorpusText, replaceOnce } from './corpusText';
import { V1ALPHA2_PATH } from '../server/src/baseline/corpus';

const TAG = 'v0.36.3';
const STATUSES = '    // Container statuses\n    repeated ContainerStatus containers_statuses = 5;\n';
const SIGRTMAX = '    SIGNAL_SIGRTMAX          = 65;\n';

function bundledBaseline(tag = TAG): Baseline {
  const history = loadBundledHistory();
  const model = history.modelAt(tag);
  assert.ok(model, `${tag} is in the bundled index`);
  return { tag, source: 'bundled', origin: 'test', model, history };
}

/** The cursor in a test's text: a character that no api.proto holds. */
const MARK = '‸';

/** The completions where MARK stands in `marked`, which has exactly one. */
function completeAt(marked: string, baseline: Baseline | null = bundledBaseline(), trigger?: string): CompletionItem[] {
  const at = marked.indexOf(MARK);
  assert.ok(at >= 0 && marked.indexOf(MARK, at + 1) < 0, 'one marker');
  const text = marked.slice(0, at) + marked.slice(at + 1);
  const pos = new TextLines(text).positionAt(at);
  return getCompletions(analyze(text, { uri: 'file:///ws/api.proto', ...(baseline ? { baseline } : {}) }), text, pos, trigger);
}

/** The number the "next free number" fix gives the member `element` in `text`, as the check attaches it. */
function fixNumber(text: string, element: string, baseline = bundledBaseline()): number {
  const findings = analyze(text, { uri: 'file:///ws/api.proto', baseline }).findings.filter((f) => f.element === element);
  const fix = findings.flatMap((f) => f.fixes ?? []).find((x) => x.kind === 'renumber');
  assert.ok(fix?.kind === 'renumber', `a renumber fix on ${element}: ${JSON.stringify(findings.map((f) => [f.rule, f.fixes]))}`);
  return fix.to;
}

/** Every number `fqn`'s fields (or values) had in any release of the bundled index. */
function releasedNumbers(fqn: string, kind: 'field' | 'value'): Set<number> {
  const h = loadBundledHistory();
  return new Set((kind === 'field' ? h.fieldUses(fqn) : h.enumValueUses(fqn)).map((u) => u.number));
}

test('after "=" in a real message: the number the next-free-number fix gives, above a deleted field and a reservation', NEEDS_CORPUS, () => {
  // ContainerEventResponse without its field 5 (which v0.36.3 and later releases have), 7 to 9 reserved.
  const edited = replaceOnce(newestCorpusText(), STATUSES, '    reserved 7 to 9;\n    string foo = ‸\n');
  const items = completeAt(edited);
  // The fix of the same field with a reused number, in the same message.
  const fixed = fixNumber(edited.replace('string foo = ‸', 'string foo = 5;'), 'runtime.v1.ContainerEventResponse.foo');
  assert.equal(fixed, 10);
  const [next, gap] = items;
  assert.equal(next?.label, String(fixed));
  assert.equal(next?.kind, CompletionItemKind.Value);
  assert.equal(next?.preselect, true);
  assert.equal(next?.textEdit.newText, '10;', 'nothing follows on the line: the `;` comes with it');
  assert.ok(!releasedNumbers('runtime.v1.ContainerEventResponse', 'field').has(fixed), 'no release used it');
  const doc = next!.documentation!.value;
  assert.match(doc, /- in this file: 1–4\n/);
  assert.match(doc, /- reserved: 7–9\n/);
  assert.match(doc, /- in the baseline v0\.36\.3, not in this file: 5 `containers_statuses`/);
  // The lowest number nothing takes, apart and said to be so.
  assert.equal(gap?.label, '6');
  assert.match(gap!.detail!, /^lowest unused field number of ContainerEventResponse \(below the next free 10\)$/);
  assert.equal(gap?.preselect, undefined);
  assert.equal(items.length, 2);
});

test('a number half typed is replaced, not counted as taken; what follows on the line gets no `;`', NEEDS_CORPUS, () => {
  // The model has foo = 9 while it is typed: counted as taken, it would make the next free number 10.
  const items = completeAt(replaceOnce(newestCorpusText(), STATUSES, '    string foo = 9‸ [deprecated = true];\n'));
  assert.equal(items[0]?.label, '6');
  const at = items[0]!.textEdit.range;
  assert.equal(at.end.character - at.start.character, 1, 'the typed "9" is replaced');
  assert.equal(items[0]!.textEdit.newText, '6');
  assert.equal(items.length, 1, 'no gap below 6');
});

test('numbers that the baseline or only later releases used are not offered; a field\'s released name is pointed out', NEEDS_CORPUS, () => {
  // v0.25.0-beta.0…v0.26.0-alpha.3 had pod_sandbox_metadata = 4 here; a file of those days without field 4 and 5.
  const text = replaceOnce(replaceOnce(newestCorpusText(), STATUSES, ''), '    // Sandbox status\n    PodSandboxStatus pod_sandbox_status = 4;\n', '');
  const items = completeAt(replaceOnce(text, '    int64 created_at = 3;\n', '    int64 created_at = 3;\n    PodSandboxMetadata pod_sandbox_metadata = ‸\n'));
  assert.equal(items[0]?.label, '6');
  assert.match(items[0]!.documentation!.value, /in the baseline v0\.36\.3, not in this file: 4 `pod_sandbox_status`, 5 `containers_statuses`/);
  assert.match(items[0]!.documentation!.value, /`pod_sandbox_metadata` had number 4 in v0\.25\.0-beta\.0…v0\.26\.0-alpha\.3/);
  // Against v0.25.0, which had pod_sandbox_metadata = 4, the number 5 that only later releases gave is listed as such.
  const old = completeAt(replaceOnce(text, '    int64 created_at = 3;\n', '    int64 created_at = 3;\n    string foo = ‸\n'), bundledBaseline('v0.25.0'));
  assert.equal(old[0]?.label, '6');
  assert.match(old[0]!.documentation!.value, /- in the baseline v0\.25\.0, not in this file: 4 `pod_sandbox_metadata`\n/);
  assert.match(old[0]!.documentation!.value, /- in releases only: 5 `containers_statuses` \(v0\.26\.0-beta\.0…v0\.37\.0-beta\.0\)/);
});

test('after "=" in a real enum: above a value deleted from it; a new enum starts at 0', NEEDS_CORPUS, () => {
  const items = completeAt(replaceOnce(newestCorpusText(), SIGRTMAX, '    SIGNAL_NEW = ‸\n'));
  assert.ok(releasedNumbers('runtime.v1.Signal', 'value').has(65), 'releases had 65');
  assert.equal(items[0]?.label, '66');
  assert.equal(items[0]?.detail, 'next free value number of Signal');
  assert.ok(!releasedNumbers('runtime.v1.Signal', 'value').has(66));
  assert.match(items[0]!.documentation!.value, /in the baseline v0\.36\.3, not in this file: 65 `SIGRTMAX`/);

  const fresh = completeAt(replaceOnce(newestCorpusText(), 'enum Signal {\n', 'enum Fresh {\n    FRESH_UNSPECIFIED = ‸\n}\n\nenum Signal {\n'));
  assert.deepEqual(fresh.map((i) => i.label), ['0', '1']);
  assert.match(fresh[0]!.documentation!.value, /first value of an open enum must be 0/);
  // Negative values take nothing from the numbers handed out.
  const negative = completeAt(replaceOnce(newestCorpusText(), 'enum Signal {\n', 'enum Fresh {\n    FRESH_UNSPECIFIED = 0;\n    FRESH_LOW = -5;\n    FRESH_NEW = ‸\n}\n\nenum Signal {\n'));
  assert.deepEqual(negative.map((i) => i.label), ['1']);
});

test('the fix and the completion agree in a oneof and without a history', NEEDS_CORPUS, () => {
  const oneof = replaceOnce(newestCorpusText(), STATUSES, '    oneof choice {\n        string foo = ‸\n    }\n');
  const fixed = fixNumber(oneof.replace('string foo = ‸', 'string foo = 5;'), 'runtime.v1.ContainerEventResponse.foo');
  assert.equal(completeAt(oneof)[0]?.label, String(fixed));
  // No baseline (not a CRI file, or none found yet): the file's own numbers only.
  assert.equal(completeAt(oneof, null)[0]?.label, '5');
  // Field numbers step over 19000–19999, which protobuf keeps for itself.
  assert.equal(completeAt(replaceOnce(newestCorpusText(), STATUSES, '    bool big = 18999;\n    string foo = ‸\n'), null)[0]?.label, '20000');
  // Past the highest field number there is none: the lowest free one, said to be so.
  const last = completeAt(replaceOnce(newestCorpusText(), STATUSES, '    bool big = 536870911;\n    string foo = ‸\n'), null);
  assert.deepEqual(last.map((i) => i.label), ['5']);
  assert.match(last[0]!.documentation!.value, /the lowest number apart from every number/);
});

const RESTATUSES = '    repeated ContainerStatus containers_statuses = ‸\n';
const CONTAINER_EVENT = 'runtime.v1.ContainerEventResponse';

test('a released field that comes back: its released number first, the one the restore fix gives', NEEDS_CORPUS, () => {
  // containers_statuses = 5 deleted from ContainerEventResponse and typed again: v0.36.3 has it, as every release since v0.26.0-beta.0.
  const edited = replaceOnce(newestCorpusText(), STATUSES, RESTATUSES);
  const items = completeAt(edited);
  const [former, next] = items;
  assert.equal(former?.label, '5');
  assert.equal(former?.preselect, true);
  assert.equal(former?.sortText, '0');
  assert.equal(former?.textEdit.newText, '5;');
  assert.equal(former?.detail, 'number of containers_statuses in the baseline v0.36.3');
  assert.match(former!.documentation!.value, /^\*\*5\*\* is the number `containers_statuses` had in the baseline v0\.36\.3 \(in v0\.26\.0-beta\.0…v0\.37\.0-beta\.0\)/);
  assert.match(former!.documentation!.value, /\*Restore the original number 5\*/);
  // Typed under another number, the field gets the fix that gives it 5 back.
  assert.equal(fixNumber(edited.replace('containers_statuses = ‸', 'containers_statuses = 6;'), `${CONTAINER_EVENT}.containers_statuses`), 5);
  // The next free number still follows, not preselected, with the note on the name.
  assert.equal(next?.label, '6');
  assert.equal(next?.preselect, undefined);
  assert.match(next!.documentation!.value, /Note: `containers_statuses` had number 5 in v0\.26\.0-beta\.0…v0\.37\.0-beta\.0/);
  // Lines end as the lexer and LSP count them, a lone `\r` too: the same items on the same line.
  for (const eol of ['\r\n', '\r']) assert.deepEqual(completeAt(edited.replace(/\n/g, eol)).map((i) => i.label), items.map((i) => i.label), JSON.stringify(eol));
});

test('a released field whose number is taken or reserved in the file: the next free number first, with the note', NEEDS_CORPUS, () => {
  for (const taking of ['    string foo = 5;\n', '    reserved 5;\n']) {
    const items = completeAt(replaceOnce(newestCorpusText(), STATUSES, taking + RESTATUSES));
    assert.equal(items[0]?.label, '6', taking);
    assert.equal(items[0]?.preselect, true, taking);
    assert.ok(!items.some((i) => i.label === '5'), taking);
    assert.match(items[0]!.documentation!.value, /Note: `containers_statuses` had number 5 in v0\.26\.0-beta\.0…v0\.37\.0-beta\.0/, taking);
  }
});

test('a field of a later release backported to an older baseline: the number the releases gave it, where its type is theirs', NEEDS_CORPUS, () => {
  // v0.25.0 has no containers_statuses; releases from v0.26.0-beta.0 on gave it 5, which no other field ever had.
  const old = bundledBaseline('v0.25.0');
  const edited = replaceOnce(newestCorpusText(), STATUSES, RESTATUSES);
  const [former] = completeAt(edited, old);
  assert.equal(former?.label, '5');
  assert.equal(former?.preselect, true);
  assert.equal(former?.detail, 'number of containers_statuses in v0.26.0-beta.0…v0.37.0-beta.0');
  assert.match(former!.documentation!.value, /\*Use number 5, the number of "containers_statuses" in v0\.26\.0-beta\.0…v0\.37\.0-beta\.0\*/);
  // The fix of the same field on a reused number (4, pod_sandbox_metadata's in v0.25.0) gives it 5 too.
  const onFour = replaceOnce(edited, '    // Sandbox status\n    PodSandboxStatus pod_sandbox_status = 4;\n', '').replace('containers_statuses = ‸', 'containers_statuses = 4;');
  assert.equal(fixNumber(onFour, `${CONTAINER_EVENT}.containers_statuses`, old), 5);
  // Of another type (or not repeated), 5 would reuse the number: neither the fix nor completion gives it.
  for (const typed of ['    ContainerStatus containers_statuses = ‸\n', '    repeated string containers_statuses = ‸\n']) {
    const items = completeAt(replaceOnce(newestCorpusText(), STATUSES, typed), old);
    assert.equal(items[0]?.label, '6', typed);
    assert.ok(!items.some((i) => i.label === '5'), typed);
  }
});

test('a released enum value that comes back: its released number first, the one the restore fix gives', NEEDS_CORPUS, () => {
  // v0.36.3 has SIGRTMAX = 65, which the newest release renamed SIGNAL_SIGRTMAX.
  const edited = replaceOnce(newestCorpusText(), SIGRTMAX, '    SIGRTMAX = ‸\n');
  const items = completeAt(edited);
  assert.deepEqual(items.slice(0, 2).map((i) => i.label), ['65', '66']);
  assert.equal(items[0]?.preselect, true);
  assert.equal(items[0]?.detail, 'number of SIGRTMAX in the baseline v0.36.3');
  assert.equal(fixNumber(edited.replace('SIGRTMAX = ‸', 'SIGRTMAX = 66;'), 'runtime.v1.Signal.SIGRTMAX'), 65);
  // 65 taken by another value: the next free number.
  assert.equal(completeAt(replaceOnce(newestCorpusText(), SIGRTMAX, '    SIGNAL_NEW = 65;\n    SIGRTMAX = ‸\n'))[0]?.label, '66');
});

test('at a type\'s place: the messages and enums in scope by their shortest name, and the scalars', NEEDS_CORPUS, () => {
  const text = newestCorpusText();
  const labels = (items: CompletionItem[]): Map<string, CompletionItem> => new Map(items.map((i) => [i.label, i]));
  for (const typed of ['    ‸', '    repeated ‸', '    optional Con‸', '    map<string, ‸']) {
    const items = labels(completeAt(replaceOnce(text, 'message VersionRequest {\n', `message VersionRequest {\n${typed}\n`)));
    assert.equal(items.get('ContainerConfig')?.kind, CompletionItemKind.Struct, typed);
    assert.equal(items.get('Protocol')?.kind, CompletionItemKind.Enum, typed);
    assert.equal(items.get('string')?.kind, CompletionItemKind.Keyword, typed);
    assert.equal(items.get('SecurityProfile.ProfileType')?.detail, 'enum runtime.v1.SecurityProfile.ProfileType', typed);
  }
  // Inside the message that declares it, a nested enum is named as protoc finds it there, and comes first.
  const nested = completeAt(replaceOnce(text, 'message SecurityProfile {\n', 'message SecurityProfile {\n    ‸\n'));
  const profile = nested.find((i) => i.detail === 'enum runtime.v1.SecurityProfile.ProfileType');
  assert.equal(profile?.label, 'ProfileType');
  assert.ok(nested.every((i) => i === profile || i.sortText! > profile!.sortText!), 'the nested enum first');
  // What is typed is replaced: the textEdit covers "Con".
  const partial = completeAt(replaceOnce(text, 'message VersionRequest {\n', 'message VersionRequest {\n    optional Con‸\n'))[0]!;
  assert.equal(partial.textEdit.range.end.character - partial.textEdit.range.start.character, 3);
  // An RPC's request and response: messages only.
  for (const typed of ['    rpc Foo(‸', '    rpc Foo(stream Pod‸', '    rpc Foo(FooRequest) returns (‸']) {
    const rpc = completeAt(replaceOnce(text, '    rpc Version(VersionRequest) returns (VersionResponse) {}\n', `    rpc Version(VersionRequest) returns (VersionResponse) {}\n${typed}\n`));
    assert.ok(rpc.some((i) => i.label === 'VersionRequest'), typed);
    assert.ok(rpc.every((i) => i.kind === CompletionItemKind.Struct), typed);
  }
});

test('a type\'s doc comment in the list loads nothing, as in its hover: images and HTML escaped', NEEDS_CORPUS, () => {
  // The editor shows the documentation as markdown beside the list: an image there is fetched as soon as the item
  // is selected, so a comment (in the file or one it imports) could make it contact any server.
  const comment = 'Tracks you ![pixel](https://tracker.invalid/p.png) and <img src="https://tracker.invalid/q.png">.';
  const text = replaceOnce(newestCorpusText(), 'message VersionRequest {\n', `// ${comment}\n//\n// Second paragraph.\nmessage Hostile {}\n\nmessage VersionRequest {\n    ‸\n`);
  const item = completeAt(text).find((i) => i.label === 'Hostile');
  const doc = item?.documentation?.value ?? '';
  assert.equal(doc, formatDoc(comment), doc);
  assert.doesNotMatch(doc, /(?<!\\)!\[|(?<!\\)<img/, doc);
});

test('a baseline file\'s path in a number\'s documentation is text, as in hovers: no image from its folder names', NEEDS_CORPUS, () => {
  // A baseline read from a file is named by its path, and folder names may hold markup: `https:/host/p.png` is
  // an absolute URL to a browser, so the editor would fetch this image when the item is selected.
  const released = bundledBaseline();
  const tag = '/ws/![pixel](https:/tracker.invalid/p.png)/api.proto';
  const baseline: Baseline = { tag, source: 'path', origin: `file ${tag}`, model: released.model };
  const edited = replaceOnce(newestCorpusText(), STATUSES, '    repeated ContainerStatus containers_statuses = ‸\n');
  const items = completeAt(edited, baseline);
  assert.deepEqual(items.map((i) => i.detail), [`number of containers_statuses in the baseline ${tag}`, 'next free field number of ContainerEventResponse']);
  for (const item of items) {
    const doc = item.documentation?.value ?? '';
    assert.doesNotMatch(doc, /(?<!\\)!\[pixel/, doc);
  }
  assert.ok(items.some((i) => i.documentation?.value.includes('!\\[pixel\\](https:/tracker.invalid/p.png)')), 'the path is shown, escaped');
});

test('nothing where neither a number nor a type is typed', NEEDS_CORPUS, () => {
  const text = newestCorpusText();
  for (const typed of ['    string foo ‸', '    option (my.opt) = ‸', '    reserved ‸', '    // string foo = ‸', '    string foo = 1; // ‸', '    message ‸']) {
    assert.deepEqual(completeAt(replaceOnce(text, 'message VersionRequest {\n', `message VersionRequest {\n${typed}\n`)), [], typed);
  }
  assert.deepEqual(completeAt(replaceOnce(text, 'enum Signal {\n', 'enum Signal {\n    option (my.opt) = ‸\n')), []);
  assert.deepEqual(completeAt(`${text}\n‸`), [], 'at the top level');
  // A space typed as indentation: the list would open at every one; after a label it does.
  const typedSpace = (typed: string): CompletionItem[] => completeAt(replaceOnce(text, 'message VersionRequest {\n', `message VersionRequest {\n${typed}\n`), undefined, ' ');
  assert.deepEqual(typedSpace('    ‸'), []);
  assert.ok(typedSpace('    repeated ‸').some((i) => i.label === 'ContainerConfig'));
  assert.ok(typedSpace('    string foo = ‸').some((i) => i.preselect));
});

test('a qualified name being typed: each type by a name with that qualifier, which the editor can match; no scalars', NEEDS_CORPUS, () => {
  const text = newestCorpusText();
  const inMessage = (typed: string): CompletionItem[] => completeAt(replaceOnce(text, 'message VersionRequest {\n', `message VersionRequest {\n${typed}\n`));
  const check = (items: CompletionItem[], qualifier: string, expected: string, what: string): void => {
    assert.ok(items.some((i) => i.label === expected && i.textEdit.newText === expected), `${what}: ${expected} in ${items.slice(0, 5).map((i) => i.label).join(', ')}`);
    // The editor keeps only the items whose label matches what is typed: before, "ContainerConfig" for "runtime.v1.Con".
    assert.ok(items.every((i) => i.label.startsWith(qualifier)), `${what}: ${items.find((i) => !i.label.startsWith(qualifier))?.label}`);
    assert.ok(items.every((i) => i.kind !== CompletionItemKind.Keyword), `${what}: no scalar after a qualifier`);
  };
  check(inMessage('    runtime.v1.Con‸'), 'runtime.v1.', 'runtime.v1.ContainerConfig', 'package-qualified');
  check(inMessage('    repeated .runtime.v1.‸'), '.runtime.v1.', '.runtime.v1.SecurityProfile.ProfileType', 'fully qualified');
  check(inMessage('    SecurityProfile.‸'), 'SecurityProfile.', 'SecurityProfile.ProfileType', 'nested');
  check(inMessage('    map<string, v1.Pod‸'), 'v1.', 'v1.PodSandboxConfig', 'a map value');
  const rpc = completeAt(replaceOnce(text, '    rpc Version(VersionRequest) returns (VersionResponse) {}\n',
    '    rpc Version(VersionRequest) returns (VersionResponse) {}\n    rpc Foo(stream runtime.v1.Ver‸\n'));
  check(rpc, 'runtime.v1.', 'runtime.v1.VersionRequest', 'an RPC request');
  // An old v1alpha2 file: its own package.
  const alpha = corpusText('v0.25.0', V1ALPHA2_PATH);
  check(completeAt(replaceOnce(alpha, 'message VersionRequest {\n', 'message VersionRequest {\n    runtime.v1alpha2.Con‸\n')), 'runtime.v1alpha2.', 'runtime.v1alpha2.ContainerConfig', 'v1alpha2');
});

test('nothing inside a block comment over several lines, nor inside a string', NEEDS_CORPUS, () => {
  const text = newestCorpusText();
  const inMessage = (typed: string): CompletionItem[] => completeAt(replaceOnce(text, 'message VersionRequest {\n', `message VersionRequest {\n${typed}\n`));
  // Lines of a block comment read like declarations; before, they got the types and the next free number.
  assert.deepEqual(inMessage('    /* The container\n    Container‸\n    */'), []);
  assert.deepEqual(inMessage('    /*\n    string foo = ‸\n    */'), []);
  assert.deepEqual(completeAt(replaceOnce(text, 'enum Signal {\n', 'enum Signal {\n    /* retired:\n    SIGNAL_FOO = ‸ */\n')), []);
  // A string that holds `map<…, ` or `returns (`.
  assert.deepEqual(inMessage('    string foo = 1 [json_name = "map<string, ‸"];'), []);
  assert.deepEqual(completeAt(replaceOnce(text, '    rpc Version(VersionRequest) returns (VersionResponse) {}\n',
    '    rpc Version(VersionRequest) returns (VersionResponse) {}\n    option (x) = "returns (‸\n')), []);
  // After the comment or string, completion is back.
  assert.ok(inMessage('    /* The container */\n    Container‸').some((i) => i.label === 'ContainerConfig'));
  // A block comment closed before the cursor on its line: completion as without it (before, nothing).
  assert.ok(inMessage('    /* é 😀 */ Container‸').some((i) => i.label === 'ContainerConfig'));
  assert.ok(inMessage('    /* é 😀 */ string foo = ‸').some((i) => i.preselect));
  assert.ok(inMessage('    string foo = 1 [json_name = "map<string, "];\n    string bar = ‸').some((i) => i.preselect));
});

test('options of descriptor.proto: their names after `option ` and in brackets, and the values of those that take a few names', NEEDS_CORPUS, () => {
  const text = newestCorpusText();
  const labels = (items: CompletionItem[]): string[] => items.map((i) => i.label);
  const inMessage = (typed: string): CompletionItem[] => completeAt(replaceOnce(text, 'message VersionRequest {\n', `message VersionRequest {\n${typed}\n`));
  // A file's options at the top level, where nothing was offered before.
  const file = completeAt(replaceOnce(text, 'package runtime.v1;\n', 'package runtime.v1;\noption go_‸\n'));
  assert.ok(labels(file).includes('go_package') && labels(file).includes('optimize_for'), labels(file).join());
  assert.deepEqual(file.find((i) => i.label === 'go_package')?.textEdit.range, { start: { line: 20, character: 7 }, end: { line: 20, character: 10 } });
  assert.deepEqual(labels(completeAt(replaceOnce(text, 'package runtime.v1;\n', 'package runtime.v1;\noption optimize_for = ‸\n'))), ['SPEED', 'CODE_SIZE', 'LITE_RUNTIME']);
  // A message's: no map_entry (protoc refuses it in a file), no features outside an editions file.
  assert.deepEqual(labels(inMessage('    option ‸')), ['message_set_wire_format', 'no_standard_descriptor_accessor', 'deprecated', 'deprecated_legacy_json_field_conflicts']);
  assert.deepEqual(labels(inMessage('    option deprecated = ‸')), ['true', 'false']);
  // A field's, in its brackets, after `[` and after `,`; an enum's values after `=`.
  assert.ok(labels(inMessage('    int64 foo = 2 [‸')).includes('json_name'));
  assert.ok(labels(inMessage('    int64 foo = 2 [deprecated = true, js‸')).includes('jstype'));
  assert.deepEqual(labels(inMessage('    int64 foo = 2 [deprecated = true, jstype = ‸')), ['JS_NORMAL', 'JS_STRING', 'JS_NUMBER']);
  // An enum's and an enum value's; a service's and an RPC's.
  assert.ok(labels(completeAt(replaceOnce(text, 'enum Signal {\n', 'enum Signal {\n    option ‸\n'))).includes('allow_alias'));
  assert.deepEqual(labels(completeAt(replaceOnce(text, 'enum Signal {\n', 'enum Signal {\n    SIGNAL_FOO = 99 [‸\n'))), ['deprecated', 'debug_redact', 'feature_support']);
  const rpc = '    rpc Version(VersionRequest) returns (VersionResponse) {}\n';
  assert.deepEqual(labels(completeAt(replaceOnce(text, rpc, '    option ‸\n' + rpc))), ['deprecated']);
  assert.deepEqual(labels(completeAt(replaceOnce(text, rpc, '    rpc Version(VersionRequest) returns (VersionResponse) {\n        option idempotency_level = ‸\n    }\n'))),
    ['IDEMPOTENCY_UNKNOWN', 'NO_SIDE_EFFECTS', 'IDEMPOTENT']);
  // An option whose value is a string or a custom option: nothing; a field's number is still offered.
  assert.deepEqual(inMessage('    int64 foo = 2 [json_name = ‸'), []);
  assert.ok(inMessage('    int64 foo = ‸').some((i) => i.preselect));
  // An editions file: features too.
  const editions = 'edition = "2023";\npackage p;\nmessage M {\n  option ‸\n}\n';
  assert.ok(labels(completeAt(editions, null)).includes('features'));
});
