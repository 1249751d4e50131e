// Replays every change between consecutive cri-api releases keystroke by keystroke (test/typingReplay.ts), then the
// declarations of TYPED_DECLARATIONS typed into the newest release, and prints the diagnostics shown away from the
// cursor that neither end of the change shows. The test samples the releases' keystrokes; this runs them all:
// `npm run replay-typing [-- OLD=NEW ... --every K]` (with releases named, only those). With `--trees`, it compares
// instead the tree that reparse() makes at every keystroke with a whole parse's (test/reparseCheck.ts; about ten
// minutes for all releases).
import { CORPUS_HELP, Corpus, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { newestTag } from '../server/src/policy/versions';
import { TYPED_DECLARATIONS, TYPED_RELEASES, replay, sampled, typedHunks, typedLabel } from '../test/typingReplay';
import { checkReparses, type ReparseTally } from '../test/reparseCheck';

const dir = findCorpusDir(findRepoRoot(process.cwd()));
if (!dir) throw new Error(CORPUS_HELP);
const corpus = new Corpus(dir);
const args = process.argv.slice(2);
const everyAt = args.indexOf('--every');
const every = everyAt >= 0 ? Number(args.splice(everyAt, 2)[1]) : 1;
const treesAt = args.indexOf('--trees');
const trees = treesAt >= 0 && args.splice(treesAt, 1).length > 0;
const pairs = args.length ? args.map((a) => a.split('=') as [string, string]) : TYPED_RELEASES;
const changes: [label: string, old: string, next: string][] = pairs.map(([from, to]) => [`${from} → ${to}`, corpus.textOf(from)!, corpus.textOf(to)!]);
if (!args.length) {
  const newest = newestTag(corpus.goTags().map((r) => r.tag), true)!;
  const text = corpus.textOf(newest)!;
  for (const d of TYPED_DECLARATIONS) changes.push([`${newest} + ${typedLabel(d)}`, text, text.replace(d[0], d[0] + d[1])]);
}
if (trees) {
  const tally: ReparseTally = { texts: 0, reused: 0, compared: 0 };
  for (const [label, old, next] of changes) {
    typedHunks(old, next).forEach((texts, h) => checkReparses([old, ...texts], tally, every, `${label} hunk ${h}`));
    console.log(`${label}: ${JSON.stringify(tally)}`);
  }
  console.log(`total: ${tally.texts} texts, ${tally.reused} reparsed reusing declarations, ${tally.compared} compared with a whole parse: all alike`);
  process.exit(0);
}
let hunks = 0;
let keystrokes = 0;
let transients = 0;
let documented = 0;
for (const [label, old, next] of changes) {
  const r = replay(old, next, every > 1 ? (k, n) => sampled(k, n, every) : undefined);
  hunks += r.hunks;
  keystrokes += r.keystrokes;
  transients += r.transients.length;
  documented += r.documented.length;
  console.log(`${label}: ${r.hunks} hunks, ${r.keystrokes} keystrokes, ${r.transients.length} transient far-away diagnostics`
    + ` (and ${r.documented.length} on the declaration a comment being typed documents)`);
  // One line per hunk and diagnostic: the first keystroke that shows it, and at how many it is shown.
  const seen = new Map<string, { first: (typeof r.transients)[number]; count: number }>();
  for (const t of r.transients) {
    const k = `${t.hunk} ${t.key}`;
    const s = seen.get(k);
    if (s) s.count++;
    else seen.set(k, { first: t, count: 1 });
  }
  for (const { first: t, count } of seen.values()) {
    console.log(`  hunk ${t.hunk} keystroke ${t.keystroke} (editing lines ${t.editing}) ×${count}: line ${t.line}: ${t.key}`);
  }
}
console.log(`total: ${hunks} hunks, ${keystrokes} keystrokes, ${transients} transient far-away diagnostics (and ${documented} on the declaration a comment being typed documents)`);
