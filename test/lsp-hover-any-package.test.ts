// Hovers in a .proto file that is not the CRI API (compared with no release), over the BUILT language server
// (dist/server.js --stdio): each kind of declaration shows its kind, full name (and type and number for a field)
// and its doc comment; type references (same file, imported) show what they point at; an import shows its path.
// Doc comments and import paths are untrusted text: no image, no HTML, and no bidirectional override or other
// control character reaches the editor raw (it would reorder the hover's text: Trojan Source). Also a CRI file's
// reference hover, for comparison. Run `node scripts/build.mjs` first.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HoverRequest, type Hover } from 'vscode-languageserver-protocol/node';
import { LspEditor, NEEDS_SERVER, ROOT, lineCol } from './lspHarness';

const RLO = '\u202e';
const SHOP = `syntax = "proto3";
package acme.shop.v1;
import "common/money.proto";
import "odd${RLO}name.proto";

// An order ![pixel](https://tracker.invalid/p.png) <img src=x> [run](command:workbench.action.terminal.new) of ${RLO}evil.
message Order {
  // The order's id${RLO}gnp.exe.
  string order_id = 1;
  Status status = 2; // Where it is.
  acme.common.Money total = 3;
}

// Lifecycle of an order.
enum Status {
  // Not set.
  STATUS_UNSPECIFIED = 0;
}

// Places orders.
service Shop {
  // Places one order.
  rpc Place(Order) returns (Order);
}
`;
const MONEY = `syntax = "proto3";
package acme.common;

// An amount of money.
message Money {
  int64 units = 1;
}
`;

const valueOf = (h: Hover | null): string => {
  assert.ok(h, 'a hover');
  const c = h.contents as { kind: string; value: string };
  assert.equal(c.kind, 'markdown');
  return c.value;
};

/** No bidirectional control or other control character but a line break in the hover. */
function assertNoRawControls(v: string): void {
  assert.doesNotMatch(v, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/, JSON.stringify(v));
}

describe('language server: hovers in a .proto file of another package', { ...NEEDS_SERVER, timeout: 60_000 }, () => {
  let editor: LspEditor;
  let tmp: string;
  let uri: string;
  const hover = async (needle: string, offset: number): Promise<string> =>
    valueOf((await editor.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: lineCol(SHOP, needle, offset) })) as Hover | null);

  before(async () => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-hover-')));
    const ws = path.join(tmp, 'ws');
    mkdirSync(path.join(ws, 'common'), { recursive: true });
    writeFileSync(path.join(ws, 'shop.proto'), SHOP);
    writeFileSync(path.join(ws, 'common', 'money.proto'), MONEY);
    uri = pathToFileURL(path.join(ws, 'shop.proto')).href;
    editor = LspEditor.start();
    await editor.initialize(ws, { trusted: true, cacheDir: path.join(tmp, 'cache') });
    await editor.open(uri, SHOP, 1);
    const status = await editor.status((s) => s.uri === uri && !s.resolving);
    assert.equal(status.checked, false, 'the file is compared with no release');
  });

  after(async () => {
    await editor?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('a message: its kind and full name, and its doc comment with no image, HTML or raw bidi override', async () => {
    const v = await hover('message Order', 'message '.length + 1);
    assert.ok(v.startsWith('```proto\nmessage acme.shop.v1.Order\n```'), v);
    assert.match(v, /An order !\\\[pixel\]/);
    assert.match(v, /\\<img src=x>/);
    assert.match(v, /of \\u202eevil\./);
    assertNoRawControls(v);
  });

  test('a field: full name, type and number, and its doc comment', async () => {
    const v = await hover('string order_id', 'string '.length + 1);
    assert.ok(v.startsWith('```proto\nfield acme.shop.v1.Order.order_id\nstring order_id = 1\n```'), v);
    assert.match(v, /The order's id\\u202egnp\.exe\./);
    assertNoRawControls(v);
  });

  test('a field with a trailing comment, an enum, an enum value, a service and an RPC', async () => {
    assert.match(await hover('status = 2', 1), /^```proto\nfield acme\.shop\.v1\.Order\.status\nacme\.shop\.v1\.Status status = 2\n```\n\n---\n\nWhere it is\.$/);
    assert.match(await hover('enum Status', 'enum '.length + 1), /^```proto\nenum acme\.shop\.v1\.Status\n```\n\n---\n\nLifecycle of an order\.$/);
    assert.match(await hover('STATUS_UNSPECIFIED', 1), /^```proto\nenum value acme\.shop\.v1\.Status\.STATUS_UNSPECIFIED\nSTATUS_UNSPECIFIED = 0\n```\n\n---\n\nNot set\.$/);
    assert.match(await hover('service Shop', 'service '.length + 1), /^```proto\nservice acme\.shop\.v1\.Shop\n```\n\n---\n\nPlaces orders\.$/);
    assert.match(await hover('rpc Place', 'rpc '.length + 1),
      /^```proto\nrpc acme\.shop\.v1\.Shop\.Place\nrpc Place\(acme\.shop\.v1\.Order\) returns \(acme\.shop\.v1\.Order\)\n```\n\n---\n\nPlaces one order\.$/);
  });

  test('type references: to a message of the same file (with its doc) and to one of an imported file', async () => {
    const line = (needle: string): number => lineCol(SHOP, needle).line + 1;
    assert.equal(await hover('Status status', 1), `\`\`\`proto\nenum acme.shop.v1.Status\n\`\`\`\n\nDeclared on line ${line('enum Status')}.\n\n---\n\nLifecycle of an order.`);
    assert.match(await hover('acme.common.Money', 13), /^```proto\nmessage acme\.common\.Money\n```\n\nDeclared in `money\.proto` on line 5\.\n\n---\n\nAn amount of money\.$/);
    const v = await hover('rpc Place(Order', 'rpc Place('.length + 1);
    assert.ok(v.startsWith(`\`\`\`proto\nmessage acme.shop.v1.Order\n\`\`\`\n\nDeclared on line ${line('message Order')}.`), v);
  });

  test('an import: its path, a control character in it as a visible escape', async () => {
    assert.equal(await hover('"common/money.proto"', 2), 'Import of `common/money.proto`: resolves to `common/money.proto` in the workspace.');
    const odd = await hover('"odd', 2);
    assert.equal(odd, 'Import of `odd\\u202ename.proto`: not resolved, so types from it are not checked.');
  });
});

describe('language server: where an import resolves to', { ...NEEDS_SERVER, timeout: 60_000 }, () => {
  let editor: LspEditor;
  let tmp: string;
  let uri: string;
  // In a folder of the workspace: a file beside it, a bundled well-known type, one from criCompat.protoPaths outside
  // the workspace, one that is nowhere, and one whose folder name has a bidirectional override.
  const SVC = `syntax = "proto3";\npackage acme.svc.v1;\nimport "common/money.proto";\nimport "google/protobuf/timestamp.proto";\n` +
    `import "secret/ext.proto";\nimport "gone.proto";\nimport "odd${RLO}dir/x.proto";\nmessage M {}\n`;
  const hover = async (needle: string): Promise<string> =>
    valueOf((await editor.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: lineCol(SVC, needle, 2) })) as Hover | null);

  before(async () => {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-hover-imports-')));
    const ws = path.join(tmp, 'ws');
    const outside = path.join(tmp, 'outside-the-workspace');
    mkdirSync(path.join(ws, 'api', 'common'), { recursive: true });
    mkdirSync(path.join(ws, 'api', `odd${RLO}dir`), { recursive: true });
    mkdirSync(path.join(outside, 'secret'), { recursive: true });
    writeFileSync(path.join(ws, 'api', 'svc.proto'), SVC);
    writeFileSync(path.join(ws, 'api', 'common', 'money.proto'), MONEY);
    writeFileSync(path.join(ws, 'api', `odd${RLO}dir`, 'x.proto'), 'syntax = "proto3";\npackage odd;\n');
    writeFileSync(path.join(outside, 'secret', 'ext.proto'), 'syntax = "proto3";\npackage ext;\n');
    uri = pathToFileURL(path.join(ws, 'api', 'svc.proto')).href;
    editor = LspEditor.start();
    editor.settings = { ...editor.settings, protoPaths: [outside] };
    await editor.initialize(ws, { trusted: true, cacheDir: path.join(tmp, 'cache') });
    await editor.open(uri, SVC, 1);
    await editor.status((s) => s.uri === uri && !s.resolving);
  });

  after(async () => {
    await editor?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('a workspace file by its path in the workspace, escaped as the import path is', async () => {
    assert.equal(await hover('"common/money.proto"'), 'Import of `common/money.proto`: resolves to `api/common/money.proto` in the workspace.');
    const odd = await hover('"odd');
    assert.equal(odd, 'Import of `odd\\u202edir/x.proto`: resolves to `api/odd\\u202edir/x.proto` in the workspace.');
    assertNoRawControls(odd);
  });

  test('a bundled well-known type, a file outside the workspace (no path shown) and a missing one', async () => {
    assert.equal(await hover('"google/protobuf/timestamp.proto"'),
      "Import of `google/protobuf/timestamp.proto`: resolves to a file of protobuf's that cri-compat bundles (package `google.protobuf`); nothing is read from disk.");
    const ext = await hover('"secret/ext.proto"');
    assert.equal(ext, 'Import of `secret/ext.proto`: resolves to a file outside the workspace folders.');
    assert.ok(!ext.includes(tmp) && !ext.includes('outside-the-workspace'), ext);
    assert.equal(await hover('"gone.proto"'), 'Import of `gone.proto`: not resolved, so types from it are not checked.');
  });
});

describe('language server: a type reference in a CRI file', { ...NEEDS_SERVER, timeout: 60_000 }, () => {
  let editor: LspEditor;
  let tmp: string;

  after(async () => {
    await editor?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('shows the message it points at, where it is declared and its doc comment', async () => {
    const text = readFileSync(path.join(ROOT, 'examples', 'api.proto'), 'utf8');
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'cri-compat-hover-cri-')));
    writeFileSync(path.join(tmp, 'api.proto'), text);
    const uri = pathToFileURL(path.join(tmp, 'api.proto')).href;
    editor = LspEditor.start({ GOMODCACHE: path.join(tmp, 'gomodcache'), GOPATH: path.join(tmp, 'gopath') });
    await editor.initialize(tmp, { trusted: false, cacheDir: path.join(tmp, 'cache') });
    await editor.open(uri, text, 1);
    await editor.checked(uri);
    const at = lineCol(text, 'VersionResponse) {}', 2);
    const v = valueOf((await editor.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: at })) as Hover | null);
    const declared = lineCol(text, 'message VersionResponse {').line + 1;
    assert.ok(v.startsWith(`\`\`\`proto\nmessage runtime.v1.VersionResponse\n\`\`\`\n\nDeclared on line ${declared}.\n\n---\n\n`), v.slice(0, 300));
  });
});
