// Writes examples/api.proto: the newest release in the bundled index, printed from facts (names, numbers,
// types, and each doc comment's words that carry meaning; no upstream text), with the kind of edits an author
// might make by mistake. `npm run demo` checks it.
// Regenerate with: npx esbuild scripts/make-example.ts --bundle --platform=node --outfile=out/make-example.js --loader:.json=text && node out/make-example.js

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { printModel } from '../server/src/proto/printer';
import type { ApiModel, MessageDef } from '../server/src/proto/model';

const history = loadBundledHistory('runtime.v1');
const rel = history.newestRelease({ includePrereleases: false })!;
const model: ApiModel = structuredClone(history.modelAt(rel.tag)!);
const msg = (name: string): MessageDef => model.messages.find((m) => m.fqn === `runtime.v1.${name}`)!;

// The index keeps no upstream text, only the words of each doc comment that carry meaning (units, obligations,
// order, names): those go in a comment, so that the example keeps what the checks compare, and a deleted comment
// (DOC_MEANING_CHANGED) is not reported on every element.
const words = (d: { doc?: string; docFingerprint?: { terms: string[] } }): void => {
  const terms = d.docFingerprint?.terms ?? [];
  if (terms.length) d.doc = `Upstream documents this; the words of it that carry meaning: ${terms.join(', ')}.`;
};
for (const m of model.messages) [m, ...m.fields].forEach(words);
for (const e of model.enums) [e, ...e.values].forEach(words);
for (const s of model.services) [s, ...s.rpcs].forEach(words);

// 1. A field deleted without reserving its number (and reused by a new field).
const cc = msg('ContainerConfig');
const removed = cc.fields.find((f) => f.name === 'working_dir')!;
cc.fields = cc.fields.filter((f) => f !== removed);
cc.fields.push({ name: 'workdir_policy', number: removed.number, type: 'int32', typeKind: 'scalar', label: 'implicit', jsonName: 'workdirPolicy' });
// 2. A wire-compatible type change that truncates values.
msg('LinuxContainerResources').fields.find((f) => f.name === 'cpu_period')!.type = 'int32';
// 3. A rename: same number, new name (JSON and Go break).
const host = msg('PodSandboxConfig').fields.find((f) => f.name === 'hostname')!;
host.name = 'host_name';
host.jsonName = 'hostName';
// 4. A new RPC and messages without documentation.
model.messages.push(
  { fqn: 'runtime.v1.PauseContainerRequest', name: 'PauseContainerRequest', oneofs: [], reservedNumbers: [], reservedNames: [],
    fields: [{ name: 'container_id', number: 1, type: 'string', typeKind: 'scalar', label: 'implicit', jsonName: 'containerId' }] },
  { fqn: 'runtime.v1.PauseContainerResponse', name: 'PauseContainerResponse', oneofs: [], reservedNumbers: [], reservedNames: [], fields: [] },
);
model.services.find((s) => s.name === 'RuntimeService')!.rpcs.push({
  name: 'PauseContainer', request: 'runtime.v1.PauseContainerRequest', response: 'runtime.v1.PauseContainerResponse', requestStream: false, responseStream: false,
});

const header = [
  `Example for cri-compat: the runtime.v1 API of cri-api ${rel.tag}, printed from the bundled release index:`,
  'names, numbers, types, and the words of each doc comment that carry meaning (all the index keeps).',
  'Deliberate mistakes: a deleted and reused field number in ContainerConfig, cpu_period narrowed to int32,',
  'PodSandboxConfig.hostname renamed, and an undocumented PauseContainer RPC. Run `npm run demo`, or open',
  'this file in VS Code with the extension installed.',
].join('\n');
const root = join(__dirname, '..');
writeFileSync(join(root, 'examples', 'api.proto'), printModel(model, header));
console.log(`examples/api.proto written from ${rel.tag}`);
