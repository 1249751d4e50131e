// Completion from the BUILT language server over stdio, on the newest api.proto of the corpus with a field half
// typed into a real message: the number offered after `=` is the one the "next free number" quick fix then gives
// for the same field with a reused number; a released field typed again gets its released number, the one the
// restore fix gives; and a client that shows only plain text gets plain documentation.
// Untrusted and with an empty Go module cache, so that the bundled release index is the baseline.
// Run `node scripts/build.mjs` first; skips with CORPUS_HELP when the corpus is absent.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeActionRequest, CompletionRequest, type CodeAction, type CompletionItem, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { CORPUS_HELP, findCorpusDir } from '../server/src/baseline/corpus';
import { BUILD_HELP, CLIENT_CAPABILITIES, LspEditor, ROOT, SERVER, lineCol } from './lspHarness';
import { newestCorpusText, replaceOnce } from './corpusText';

const STATUSES = '    // Container statuses\n    repeated ContainerStatus containers_statuses = 5;\n';
const TYPED = '    string foo = ';

describe('language server completion (untrusted, bundled index)', {
  skip: !existsSync(SERVER) ? BUILD_HELP : findCorpusDir(ROOT) ? false : CORPUS_HELP, timeout: 120_000,
}, () => {
  let tmp: string;
  let ws: string;
  let uri: string;
  let text: string;
  const sessions: LspEditor[] = [];

  /** A server for `ws`, initialized untrusted with the client capabilities given. */
  async function start(capabilities = CLIENT_CAPABILITIES): Promise<LspEditor> {
    const editor = LspEditor.start({ GOMODCACHE: path.join(tmp, 'gomodcache'), GOPATH: path.join(tmp, 'gopath') });
    sessions.push(editor);
    const init = await editor.initialize(ws, { trusted: false, cacheDir: path.join(tmp, 'cache') }, capabilities);
    assert.deepEqual(init.capabilities.completionProvider, { triggerCharacters: ['=', ' ', '(', ',', '['] });
    return editor;
  }

  /** Completion at `at`: as the space typed after `=` asks for it, or (`invoked`) as Ctrl+Space does. */
  const complete = async (editor: LspEditor, at = lineCol(text, TYPED, TYPED.length), invoked = false): Promise<CompletionItem[]> =>
    (await editor.conn.sendRequest(CompletionRequest.type, {
      textDocument: { uri }, position: at, context: invoked ? { triggerKind: 1 } : { triggerKind: 2, triggerCharacter: ' ' },
    })) as CompletionItem[];

  before(() => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-completion-')));
    ws = path.join(tmp, 'ws');
    mkdirSync(ws);
    mkdirSync(path.join(tmp, 'gomodcache'));
    uri = pathToFileURL(path.join(ws, 'api.proto')).href;
    // ContainerEventResponse without its field 5, which the releases have, and a field typed up to its number.
    text = replaceOnce(newestCorpusText(), STATUSES, `${TYPED}\n`);
  });

  after(async () => {
    for (const s of sessions) await s.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('advertises completion; after "=" the number that the quick fix gives the field on a reused number', async () => {
    const editor = await start();
    await editor.open(uri, text, 1);
    const status = await editor.checked(uri);
    assert.ok(status.baselineTag, 'compared with a release');
    const items = await complete(editor);
    assert.equal(items[0]?.kind, 12);
    assert.equal(items[0]?.preselect, true);
    const offered = Number(items[0]!.label);
    assert.ok(offered > 5, `${offered}: above the number the releases gave containers_statuses`);
    assert.match((items[0]!.documentation as MarkupContent).value, /5 `containers_statuses`/);
    assert.deepEqual(items[0]!.textEdit, { range: { start: lineCol(text, TYPED, TYPED.length), end: lineCol(text, TYPED, TYPED.length) }, newText: `${offered};` });

    // The field on the released number 5 instead: the preferred fix moves it to the number completion offered.
    const reused = text.replace(TYPED, `${TYPED}5;`);
    const mark = editor.mark();
    await editor.change(uri, 2, [{ text: reused }]);
    const published = await editor.diagnostics(uri, (p) => p.version === 2 && p.diagnostics.some((d) => d.code === 'FIELD_NUMBER_REUSED'), mark);
    const diagnostic = published.diagnostics.find((d) => d.code === 'FIELD_NUMBER_REUSED')!;
    const actions = (await editor.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    assert.ok(titles.some((t) => new RegExp(`^Give "foo" the next free number ${offered}\\b`).test(t)), titles.join('\n'));
    await editor.change(uri, 3, [{ text }]);
  });

  test('a type at the start of a field line (Ctrl+Space): messages, enums and scalars with their kinds', async () => {
    const editor = sessions[0]!;
    const at = lineCol(text, TYPED, 4);
    const items = await complete(editor, at, true);
    const kinds = new Map(items.map((i) => [i.label, i.kind]));
    assert.equal(kinds.get('ContainerStatus'), 22);
    assert.equal(kinds.get('ContainerEventType'), 13);
    assert.equal(kinds.get('string'), 14);
  });

  test('a released field typed again: its released number first, the one the restore fix gives under another number', async () => {
    // PodSandboxStatusResponse has a field of the same type and name: the line break makes this line the one.
    const RETYPED = '    repeated ContainerStatus containers_statuses = \n';
    const back = replaceOnce(newestCorpusText(), STATUSES, RETYPED);
    const editor = await start();
    await editor.open(uri, back, 1);
    const status = await editor.checked(uri);
    const at = { line: back.slice(0, back.indexOf(RETYPED)).split('\n').length - 1, character: RETYPED.length - 1 };
    const [former, next] = await complete(editor, at);
    assert.equal(former?.label, '5');
    assert.equal(former?.preselect, true);
    assert.equal(former?.detail, `number of containers_statuses in the baseline ${status.baselineTag}`);
    assert.deepEqual(former!.textEdit, { range: { start: at, end: at }, newText: '5;' });
    assert.equal(next?.preselect, undefined);

    // Typed under the next free number instead: the fix gives it 5 back.
    const moved = replaceOnce(back, RETYPED, RETYPED.replace('\n', `${next!.label};\n`));
    const mark = editor.mark();
    await editor.change(uri, 2, [{ text: moved }]);
    const published = await editor.diagnostics(uri, (p) => p.version === 2 && p.diagnostics.some((d) => d.code === 'FIELD_NUMBER_CHANGED'), mark);
    const diagnostic = published.diagnostics.find((d) => d.code === 'FIELD_NUMBER_CHANGED')!;
    const actions = (await editor.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as CodeAction[];
    assert.ok(actions.some((a) => a.title.startsWith('Restore the original number 5')), actions.map((a) => a.title).join('\n'));
  });

  test('a client that shows only plain text gets the documentation without markup', async () => {
    const plain = await start({ ...CLIENT_CAPABILITIES, textDocument: { ...CLIENT_CAPABILITIES.textDocument, completion: { completionItem: { documentationFormat: ['plaintext'] } } } });
    await plain.open(uri, text, 1);
    await plain.checked(uri);
    const doc = (await complete(plain))[0]!.documentation as MarkupContent;
    assert.equal(doc.kind, 'plaintext');
    assert.match(doc.value, /is the next free field number of ContainerEventResponse/);
    assert.doesNotMatch(doc.value, /[`*]/);
  });
});
