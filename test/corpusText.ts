// A released api.proto from the corpus, for the tests that check single edits of a real file. Where this clone
// has no corpus (neither CRI_API_CORPUS nor ../shared/cri-api), those tests skip, saying how to get it.
import * as assert from 'node:assert/strict';
import { CORPUS_HELP, Corpus, V1_PATH, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { newestTag } from '../server/src/policy/versions';

const corpusDir = findCorpusDir(findRepoRoot(__dirname));
const corpus = corpusDir ? new Corpus(corpusDir) : undefined;

/** Test options of a test that reads the corpus: skipped, with how to get it, where there is none. */
export const NEEDS_CORPUS: { skip?: string } = corpus ? {} : { skip: CORPUS_HELP };

/** The api.proto of `tag` at `path` (runtime.v1's unless given). */
export function corpusText(tag: string, path = V1_PATH): string {
  assert.ok(corpus, CORPUS_HELP);
  const t = corpus.textOf(tag, path);
  assert.ok(t, `the corpus has no ${tag} ${path}`);
  return t;
}

/** One exact, unique replacement. */
export function replaceOnce(text: string, from: string, to: string): string {
  assert.equal(text.split(from).length, 2, `expected exactly one ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/**
 * The runtime.v1 api.proto of the newest `v0.*` tag, pre-releases included: the newest by version, whatever
 * order the corpus's tags.tsv lists them in.
 */
export function newestCorpusText(): string {
  return corpusText(newestCorpusTag());
}

/** The tag newestCorpusText reads. */
export function newestCorpusTag(): string {
  assert.ok(corpus, CORPUS_HELP);
  const newest = newestTag(corpus.goTags().map((r) => r.tag), true);
  assert.ok(newest, 'the corpus has no v0.* tag');
  return newest;
}

/** `text` with every line's indentation removed: to protoc, the same file. */
export function atColumn0(text: string): string {
  return text.replace(/^[ \t]+/gm, '');
}
