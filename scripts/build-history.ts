// Builds server/data/history.json, the bundled release index, from the cri-api tag corpus.
//
//   npx esbuild scripts/build-history.ts --bundle --platform=node --outfile=out/build-history.js --loader:.json=text && node out/build-history.js
//
// Corpus: CRI_API_CORPUS or ../shared/cri-api (see server/src/baseline/corpus.ts). `--check` compares
// instead of writing and exits 1 when the committed file is stale. The index holds facts only (names,
// numbers, types, tag intervals, doc fingerprints, the values of declared options): no comment text and no
// declarations.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CORPUS_HELP, Corpus, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { IndexedHistory, historyFileFromCorpus, serializeHistoryFile } from '../server/src/baseline/historyIndex';

const repoRoot = (): string => findRepoRoot(__dirname);

const root = repoRoot();
const corpusDir = findCorpusDir(root);
if (!corpusDir) {
  console.error(CORPUS_HELP);
  process.exit(2);
}
const out = join(root, 'server', 'data', 'history.json');
const t0 = performance.now();
const file = historyFileFromCorpus(new Corpus(corpusDir));
const text = serializeHistoryFile(file);
const built = performance.now() - t0;

if (process.argv.includes('--check')) {
  const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
  if (current !== text) {
    console.error(`${out} is out of date with ${corpusDir}; rebuild it with scripts/build-history.ts`);
    process.exit(1);
  }
  console.log(`${out} is up to date`);
} else {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  console.log(`wrote ${out}: ${Buffer.byteLength(text)} bytes (${built.toFixed(0)} ms from ${corpusDir})`);
}

for (const [pkg, data] of Object.entries(file.packages)) {
  const t1 = performance.now();
  const h = new IndexedHistory(JSON.parse(JSON.stringify(data)));
  const ms = performance.now() - t1;
  const versions = data.elements.reduce((n, e) => n + e.length - 3, 0);
  console.log(
    `  ${pkg}: ${data.tags.length} releases (${data.tags[0]} .. ${data.tags[data.tags.length - 1]}), ${data.elements.length} elements, ` +
    `${versions} element versions, ${data.strings.length} strings, ${data.docs.length} doc fingerprints; decode ${ms.toFixed(1)} ms; ` +
    `newest stable ${h.newestRelease()?.tag}`,
  );
}
