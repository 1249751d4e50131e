// Small seeded fuzz run (about 15 s) of parse → bind → analyze → fixes → hover → report over mutations of
// every real api.proto blob and the extreme inputs; see test/fuzz/fuzz.ts. The long run is `npm run fuzz`.
// FUZZ_SEED overrides the seed (the default is fixed, so `npm test` is reproducible).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CORPUS_HELP, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { fuzzWorkerMain, isFuzzWorker, runFuzz, summarize } from './fuzz/fuzz';

/** The checkout: above this bundle, else above the working directory. */
function repoRoot(): string {
  try {
    return findRepoRoot(__dirname);
  } catch {
    return findRepoRoot(process.cwd());
  }
}

if (isFuzzWorker()) {
  fuzzWorkerMain();
} else {
  const corpusDir = findCorpusDir(repoRoot());
  test('fuzz: no input crashes, hangs or blows up the language service (small seeded run)', { skip: corpusDir ? false : CORPUS_HELP, timeout: 120_000 }, async () => {
    const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20240611;
    // maxCaseMs is a guard against a blow-up on hostile input (a case 100 times its usual time), not a speed goal.
    const maxCaseMs = 10_000;
    const result = await runFuzz({
      seed,
      corpusDir: corpusDir!,
      randomCases: 252,
      truncations: 126,
      extremes: 'core',
      hoversPerCase: 12,
      maxCaseMs, // the worst case (10,000 nested messages) takes ~3 s here; room for a loaded 2-core CI machine
      hangMs: 30_000,
      heapLimitMb: 2048,
    }, { maxFatals: 2 });
    const summary = summarize(result);
    console.log(summary);
    assert.deepEqual(result.fatals.map((f) => `${f.kind} #${f.index} ${f.name}`), [], `cases killed the fuzz worker:\n${summary}`);
    assert.equal(result.failureCount, 0, `failing cases:\n${summary}`);
    assert.deepEqual(result.slow, [], `cases over the ${maxCaseMs / 1000} s guard against a blow-up:\n${summary}`);
    assert.ok(result.retainedHeapMb < 64, `heap grew by ${result.retainedHeapMb.toFixed(1)} MB over the run`);
    assert.equal(result.cases, result.planned);
  });
}
