// Who can still use an element that a release removed, and who knew it, when the removal is not at a minor's
// first release: in a pre-release of a minor that has no stable release yet, or in a patch release. No released
// element of runtime.v1 went that way, so the history here is the bundled one with one real field kept only in the
// releases before such a removal (RuntimeFeatures.user_namespaces_host_network, in v0.36.0-rc.0 and later).
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Corpus, CORPUS_HELP, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import type { Baseline, History } from '../server/src/baseline/types';
import { compareTags } from '../server/src/policy/versions';
import { corpusText as text } from './corpusText';
import { historyRow, historyWithField } from './editedHistory';
import { policyHover } from './policyHoverText';

const corpusDir = findCorpusDir(findRepoRoot(__dirname));
const corpus = corpusDir ? new Corpus(corpusDir) : undefined;

const PATH = 'runtime.v1.RuntimeFeatures.user_namespaces_host_network';

/** The bundled history with the field gone from `tag` on (in version order). */
function removedIn(tag: string): History {
  return historyWithField('runtime.v1.RuntimeFeatures', 'user_namespaces_host_network', (t) => compareTags(t, tag) < 0);
}

/** The policy hover on the field in the file of `tag` (one that has it), against `tag` with `history`. */
function hover(history: History, tag: string): string {
  const baseline: Baseline = { tag, kubernetes: tag.replace(/^v0\./, '1.'), source: 'bundled', origin: 'test', model: history.modelAt(tag)!, history };
  return policyHover(text(tag), baseline, 'bool user_namespaces_host_network', 'bool '.length + 1);
}

describe('removals inside a minor: hover and history', { skip: corpus ? false : CORPUS_HELP }, () => {
  test('removed in a pre-release of a minor with no stable release: the kubelets of its earlier pre-releases knew it', () => {
    // In v0.36.0-rc.0 … v0.37.0-alpha.3, gone from v0.37.0-beta.0: kubelets 1.37.0-alpha.0–alpha.3 know it, and can
    // meet runtimes of v0.34–v0.35 that lack it.
    const history = removedIn('v0.37.0-beta.0');
    const skew = 'kubelets 1.36.0-rc.0–1.37.0-alpha.3 know it and can be paired with runtimes built from cri-api v0.33–v0.35 or v0.36.0-alpha.0–v0.36.0-beta.0, which do not.';
    assert.equal(historyRow(history, PATH, 'skew'), skew);
    const removal = historyRow(history, PATH, 'removal');
    // 1.37 has pre-releases only, 1.38–1.40 none: the runtimes of those minors are said to be out in part or not yet.
    assert.match(removal, /^runtimes built from cri-api v0\.37\.0-beta\.0–v0\.40 \(v0\.37 only in pre-releases so far, v0\.38–v0\.40 not released yet\) lack it but are in the window of kubelets 1\.36 and 1\.37\.0-alpha\.0–1\.37\.0-alpha\.3, which had it/);
    const h = hover(history, 'v0.36.3');
    assert.ok(h.includes(`- K${skew.slice(1)}`), h);
    assert.ok(h.includes(`- Removed in v0.37.0-beta.0 (Kubernetes 1.37.0-beta.0), after v0.37.0-alpha.3 (Kubernetes 1.37.0-alpha.3): ${removal}`), h);
  });

  test('removed in a patch release: the earlier releases of that minor had it, and the runtimes without it start at the patch', () => {
    // In v0.36.0-rc.0 … v0.36.1, gone from v0.36.2: kubelets 1.36.0-rc.0–1.36.1 had it, and runtimes of v0.36.2 on
    // are in their window; the minor's releases before the patch are not among the runtimes without it.
    const history = removedIn('v0.36.2');
    const removal = historyRow(history, PATH, 'removal');
    assert.equal(removal, 'runtimes built from cri-api v0.36.2–v0.39 (v0.37 only in pre-releases so far, v0.38–v0.39 not released yet) lack it but are in the window of kubelets 1.36.0-rc.0–1.36.1, which had it and may still use it; within one major version that is a breaking change.');
    const h = hover(history, 'v0.36.1');
    assert.ok(h.includes(`- Removed in v0.36.2 (Kubernetes 1.36.2), after v0.36.1 (Kubernetes 1.36.1): ${removal}`), h);
  });
});
