// Long fuzz run: every distinct api.proto blob truncated at every 97th byte, all extreme inputs, and
// FUZZ_CASES random multi-mutation cases (default 20000). `npm run fuzz` runs it (build first).
//   FUZZ_SEED     run seed (default: random, printed)         FUZZ_CASES   random cases
//   FUZZ_ONLY     comma-separated case indices to rerun       FUZZ_HEAP_MB worker heap cap (default 2048)
//   FUZZ_MAX_MS   a case slower than this is reported (default 5000); FUZZ_HANG_MS hang watchdog (default 120000)
//   FUZZ_TRUNCATIONS  'all' (default) or a number of sampled offsets;  FUZZ_EXTREMES  all (default) | core | none
//   FUZZ_HOVERS   hover positions per case (default 20);  FUZZ_MAX_RETAINED_MB  heap growth over the run that fails it (default 128)
//   FUZZ_LIST=1   print the extreme cases' indices and names (for FUZZ_ONLY) and exit
// A failure prints the exact command that reruns it (case indices depend on all of these settings).
// Exit code 1 when any case threw, hung, ran out of heap, or was slower than FUZZ_MAX_MS.
import { CORPUS_HELP, findCorpusDir, findRepoRoot } from '../../server/src/baseline/corpus';
import { CaseSource, fuzzWorkerMain, isFuzzWorker, runFuzz, summarize, type FuzzConfig } from './fuzz';

/** The checkout: above this bundle, else above the working directory. */
function repoRoot(): string {
  try {
    return findRepoRoot(__dirname);
  } catch {
    return findRepoRoot(process.cwd());
  }
}

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not "${v}"`);
  return n;
}

function extremesOf(v: string | undefined): FuzzConfig['extremes'] {
  if (v === undefined || v === '') return 'all';
  if (v === 'all' || v === 'core' || v === 'none') return v;
  throw new Error(`FUZZ_EXTREMES must be all, core or none, not "${v}"`);
}

async function main(): Promise<number> {
  const corpusDir = findCorpusDir(repoRoot());
  if (!corpusDir) {
    console.error(CORPUS_HELP);
    return 2;
  }
  const seed = envInt('FUZZ_SEED', Math.floor(Math.random() * 2 ** 31));
  const only = process.env.FUZZ_ONLY?.split(',').filter(Boolean).map(Number);
  const config: FuzzConfig = {
    seed,
    corpusDir,
    randomCases: envInt('FUZZ_CASES', 20_000),
    truncations: !process.env.FUZZ_TRUNCATIONS || process.env.FUZZ_TRUNCATIONS === 'all' ? 'all' : envInt('FUZZ_TRUNCATIONS', 0),
    extremes: extremesOf(process.env.FUZZ_EXTREMES),
    hoversPerCase: envInt('FUZZ_HOVERS', 20),
    maxCaseMs: envInt('FUZZ_MAX_MS', 5_000),
    hangMs: envInt('FUZZ_HANG_MS', 120_000),
    heapLimitMb: envInt('FUZZ_HEAP_MB', 2048),
    progressMs: 30_000,
    ...(only?.length ? { only } : {}),
  };
  if (process.env.FUZZ_LIST) {
    // Extreme cases do not depend on the seed; their indices depend on the corpus and FUZZ_EXTREMES.
    new CaseSource(config).plan.forEach((c, k) => {
      if (c.kind === 'extreme') console.log(`${k}\t${c.name} vs ${c.base}`);
    });
    return 0;
  }
  console.log(`fuzz: seed ${seed}, ${config.randomCases} random cases, truncations: ${config.truncations}, extremes: ${config.extremes} (rerun with FUZZ_SEED=${seed})`);
  const result = await runFuzz(config, { onProgress: (l) => console.log(l) });
  console.log(summarize(result));
  const maxRetained = envInt('FUZZ_MAX_RETAINED_MB', 128);
  const leak = result.retainedHeapMb > maxRetained;
  if (leak) console.log(`FAIL: the heap grew by ${result.retainedHeapMb.toFixed(0)} MB over the run (limit ${maxRetained} MB): something keeps per-case data`);
  return result.failureCount || result.slow.length || leak ? 1 : 0;
}

if (isFuzzWorker()) fuzzWorkerMain();
else if (process.env.NODE_TEST_CONTEXT) {
  // `node --test out/test/` runs every .js file under a `test` directory, this one too: the long run is
  // `npm run fuzz`, not part of `npm test`.
  console.log('fuzz/long.js: skipped under node --test; run it with `npm run fuzz`');
} else main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(2); });
