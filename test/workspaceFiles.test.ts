// The workspace's .proto listing (workspace symbols): which file events make it list the folders again. The server
// hears of every deletion in the workspace (it watches them for the folders), most of them of files that are no
// .proto and hold none, such as git's index.lock.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspaceProtoFiles } from '../server/src/lsp/workspaceFiles';

test('a deletion that held no listed .proto keeps the listing; one that did, or a creation, lists again', async (t) => {
  const ws = mkdtempSync(path.join(os.tmpdir(), 'cri-wsfiles-'));
  t.after(() => rmSync(ws, { recursive: true, force: true }));
  const proto = (rel: string): string => {
    const p = path.join(ws, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, 'syntax = "proto3";\npackage ws;\nmessage M {}\n');
    return p;
  };
  const a = proto('a/x.proto');
  mkdirSync(path.join(ws, 'build'));
  writeFileSync(path.join(ws, 'build', 'out.txt'), 'x');
  const files = new WorkspaceProtoFiles();
  files.setFolders([ws]);
  assert.deepEqual(await files.files(), [a]);

  // Written without an event yet: a listing made again would show it.
  const b = proto('b.proto');
  files.invalidate(path.join(ws, '.git', 'index.lock'), true);
  rmSync(path.join(ws, 'build'), { recursive: true });
  files.invalidate(path.join(ws, 'build'), true);
  assert.deepEqual(await files.files(), [a], 'deleting what held no listed .proto lists nothing again');

  rmSync(path.join(ws, 'a'), { recursive: true });
  files.invalidate(path.join(ws, 'a'), true);
  assert.deepEqual(await files.files(), [b], 'the folder of a listed .proto deleted');

  const v = proto('vendor/k8s.io/v.proto');
  files.invalidate(path.join(ws, 'vendor'));
  assert.deepEqual((await files.files()).sort(), [b, v].sort(), 'a folder created (one event, for the folder)');
});
