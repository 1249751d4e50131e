// Elements that come in a patch release v0.N.M (M > 0): the earlier patches of minor N lack them, kubelets
// included, so the hovers, `history` and the report's skew matrix name 1.N.M, never all of 1.N. No released
// element came in a patch (every patch addition is also in a later .0 line first in version order), so the
// release history here is the bundled one with one element's introduction moved to a patch tag.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Corpus, CORPUS_HELP, V1ALPHA2_PATH, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { historyReport } from '../server/src/baseline/historyCommand';
import type { Baseline, History } from '../server/src/baseline/types';
import { compareTags } from '../server/src/policy/versions';
import { skewMatrix } from '../server/src/report/markdown';
import { corpusText as text } from './corpusText';
import { historyWithField } from './editedHistory';
import { policyHover } from './policyHoverText';

const corpusDir = findCorpusDir(findRepoRoot(__dirname));
const corpus = corpusDir ? new Corpus(corpusDir) : undefined;

/** The bundled runtime.v1 history, with `message.field` missing from every release before `tag`. */
function introducedIn(message: string, field: string, tag: string): History {
  return historyWithField(message, field, (t) => compareTags(t, tag) >= 0);
}

describe('an element of a patch release: the kubelets of the earlier patches of its minor lack it', { skip: corpus ? false : CORPUS_HELP }, () => {
  test('released in v0.33.2: hover and history say kubelets 1.33.2–1.36 know it, not all of 1.33', () => {
    // Mount.image_sub_path came in v0.33.0-rc.0; here it came in v0.33.2.
    const history = introducedIn('runtime.v1.Mount', 'image_sub_path', 'v0.33.2');
    assert.equal(history.element('runtime.v1.Mount.image_sub_path')!.introduced, 'v0.33.2');
    const baseline: Baseline = { tag: 'v0.36.3', kubernetes: '1.36.3', source: 'bundled', origin: 'test', model: history.modelAt('v0.36.3')!, history };
    const h = policyHover(text('v0.36.3'), baseline, 'string image_sub_path', 'string '.length + 1);
    assert.match(h, /- Kubelets 1\.33\.2–1\.36 know it and can be paired with runtimes built from cri-api v0\.30–v0\.33\.1, which do not\./, h);
    const report = historyReport(history, 'runtime.v1.Mount.image_sub_path');
    assert.match(report, /skew: +kubelets 1\.33\.2–1\.36 know it and can be paired with runtimes built from cri-api v0\.30–v0\.33\.1, which do not\./, report);
  });

  test('in the first minor of runtime.v1 but not its first tag: the pre-releases of runtime.v1 before it lack it', () => {
    // Mount.selinux_relabel is in v0.20.0-beta.2, the first tag of runtime.v1; here it came in v0.20.0-rc.0.
    const history = introducedIn('runtime.v1.Mount', 'selinux_relabel', 'v0.20.0-rc.0');
    const baseline: Baseline = { tag: 'v0.36.3', kubernetes: '1.36.3', source: 'bundled', origin: 'test', model: history.modelAt('v0.36.3')!, history };
    // Every stable runtime of runtime.v1 has it, but pre-releases are releases: v0.20.0-beta.2 speaks runtime.v1
    // without it, and kubelets from 1.20.0-rc.0 to 1.23 can meet a runtime built from it.
    const h = policyHover(text('v0.36.3'), baseline, 'bool selinux_relabel', 'bool '.length + 1);
    assert.match(h, /- Kubelets 1\.20\.0-rc\.0–1\.23 know it and can be paired with runtimes built from cri-api v0\.20\.0-beta\.2, which do not\./, h);
    assert.doesNotMatch(h, /every stable runtime/, h);
    assert.match(historyReport(history, 'runtime.v1.Mount.selinux_relabel'), /skew: +kubelets 1\.20\.0-rc\.0–1\.23 know it and can be paired with runtimes built from cri-api v0\.20\.0-beta\.2, which do not\./);
    // In the first tag, it is in every runtime that speaks runtime.v1, pre-releases included.
    const real = loadBundledHistory();
    assert.match(policyHover(text('v0.36.3'), { ...baseline, model: real.modelAt('v0.36.3')!, history: real }, 'bool selinux_relabel', 'bool '.length + 1), /so every runtime that speaks runtime\.v1 has it\./);
    assert.match(historyReport(real, 'runtime.v1.Mount.selinux_relabel'), /skew: +part of runtime\.v1 since its first release v0\.20\.0-beta\.2: every runtime that speaks runtime\.v1 has it\./);
  });

  test('new, shipping in v0.36.4: the hover names kubelets 1.36.4–1.39, and the matrix row is that patch on', () => {
    const history = loadBundledHistory();
    const baseline: Baseline = { tag: 'v0.36.3', kubernetes: '1.36.3', source: 'bundled', origin: 'test', model: history.modelAt('v0.36.3')!, history, release: 'v0.36.4' };
    const source = text('v0.36.3').replace('    repeated ContainerStatus containers_statuses = 5;', '    repeated ContainerStatus containers_statuses = 5;\n    // A new flag.\n    bool fresh_flag = 6;');
    const h = policyHover(source, baseline, 'bool fresh_flag', 'bool '.length + 1);
    // The 1.37 pre-releases of the bundled history lack it too (it is in no release), and kubelet 1.40 can meet them.
    assert.match(h, /- Runtimes built from cri-api v0\.33–v0\.36\.3 or v0\.37\.0-alpha\.0–v0\.37\.0-beta\.0 will not have it, and kubelets 1\.36\.4–1\.40 can meet them\./, h);
    const rows = skewMatrix(baseline, true);
    assert.ok(rows.includes('| **1.36.4 and later 1.36 patches** | ◐ | ◐ | ◐ | ◐ | ✓ | ◐ | ✓ | ✓ | ✓ | — |'), rows.join('\n'));
  });

  test('new, shipping in v0.33.5 (an older release line): v0.34–v0.36 came out without it, so hover and matrix count them as lacking it', () => {
    const history = loadBundledHistory();
    const baseline: Baseline = { tag: 'v0.33.4', kubernetes: '1.33.4', source: 'bundled', origin: 'test', model: history.modelAt('v0.33.4')!, history, release: 'v0.33.5' };
    const source = text('v0.33.4').replace('    repeated ContainerStatus containers_statuses = 5;', '    repeated ContainerStatus containers_statuses = 5;\n    // A new flag.\n    bool fresh_flag = 6;');
    const h = policyHover(source, baseline, 'bool fresh_flag', 'bool '.length + 1);
    // It is in no release: the stable releases of 1.34–1.36 lack it, and their kubelets do not know it. Kubelets of
    // the minors to come will know it, as for any change, and can meet those (and the 1.37 pre-releases, cut already).
    assert.match(h, /- Runtimes built from cri-api v0\.30–v0\.33\.4 or v0\.34–v0\.36 or v0\.37\.0-alpha\.0–v0\.37\.0-beta\.0 will not have it, and kubelets 1\.33\.5 and later 1\.33 patches and 1\.37–1\.40 can meet them\./, h);
    const rows = skewMatrix(baseline, true);
    const header = rows.find((r) => r.startsWith('| kubelet \\ runtime |'))!;
    assert.ok(header.endsWith('| cri-api v0.33.0–v0.33.4 | cri-api v0.33.5 and later v0.33 patches | cri-api v0.34 | cri-api v0.35 | cri-api v0.36 | ' +
      'cri-api v0.37.0-alpha.0–v0.37.0-beta.0 | cri-api v0.37 after v0.37.0-beta.0 | cri-api v0.38 | cri-api v0.39 | cri-api v0.40 |'), header);
    // The kubelet that has it meets v0.34–v0.36 without it (◐); kubelets 1.34–1.36 lack it (○ only against those that have it).
    assert.ok(rows.includes('| **1.33.5 and later 1.33 patches** | ◐ | ◐ | ◐ | ◐ | ✓ | ◐ | ◐ | ◐ | — | — | — | — | — |'), rows.join('\n'));
    assert.ok(rows.includes('| **1.34** | — | · | · | · | ○ | · | · | · | · | ○ | — | — | — |'), rows.join('\n'));
    assert.ok(rows.includes('| **1.37 after 1.37.0-beta.0** | — | — | — | — | — | ◐ | ◐ | ◐ | ◐ | ✓ | ✓ | ✓ | ✓ |'), rows.join('\n'));
    assert.ok(rows.some((r) => r.includes('neither side has them (both are older than 1.33.5, or of 1.34–1.36, released before them, or pre-releases cut before them)')), rows.join('\n'));
  });

  test('a runtime.v1alpha2 patch of 1.25: the column of v0.25.17 on does not claim 1.26 and later, which dropped v1alpha2', () => {
    const history = loadBundledHistory('runtime.v1alpha2');
    const baseline: Baseline = { tag: 'v0.25.16', kubernetes: '1.25.16', source: 'bundled', origin: 'test', model: history.modelAt('v0.25.16')!, history, release: 'v0.25.17' };
    const rows = skewMatrix(baseline, true);
    const header = rows.find((r) => r.startsWith('| kubelet \\ runtime |'))!;
    // v0.26.0-alpha.0–alpha.3 still have runtime.v1alpha2, without the patch: a column of their own, which 1.25.17 can meet.
    assert.ok(header.includes('| cri-api v0.25.0–v0.25.16 | cri-api v0.25.17 and later v0.25 patches | cri-api v0.26.0-alpha.0–v0.26.0-alpha.3 | cri-api v0.26 after v0.26.0-alpha.3 |'), header);
    assert.ok(!/v0\.25\.17 and later \|/.test(header), header);
    assert.ok(rows.includes('| **1.25.17 and later 1.25 patches** | ◐ | ◐ | ◐ | ◐ | ✓ | ◐ | × | × | × |'), rows.join('\n'));
    assert.ok(rows.some((r) => r.includes('1.25.0–1.25.16 (cri-api v0.25.0–v0.25.16), which lack them, and 1.25.17 (cri-api v0.25.17) and later patches of 1.25.')), rows.join('\n'));
  });

  test('a new runtime.v1alpha2 element: no minor from 1.26 on ships it or speaks it, in the hover as in the report', () => {
    const history = loadBundledHistory('runtime.v1alpha2');
    const baseline: Baseline = { tag: 'v0.25.16', kubernetes: '1.25.16', source: 'bundled', origin: 'test', model: history.modelAt('v0.25.16')!, history };
    const source = text('v0.25.16', V1ALPHA2_PATH).replace('message VersionRequest {', 'message VersionRequest {\n    // A new flag.\n    bool fresh_flag = 2;');
    const next = policyHover(source, baseline, 'bool fresh_flag', 'bool '.length + 1);
    assert.doesNotMatch(next, /would ship in Kubernetes 1\.26|kubelets 1\.26/, next);
    assert.match(next, /^\*\*New since v0\.25\.16\*\*: Kubernetes 1\.26 removed runtime\.v1alpha2, so no minor release can ship it; only a patch release of 1\.25 or earlier could, and patch releases should not change the API\./, next);
    // As a patch of 1.25: the kubelets that have it and can meet runtimes without it are those of 1.25 from that patch on.
    const patch = policyHover(source, { ...baseline, release: 'v0.25.17' }, 'bool fresh_flag', 'bool '.length + 1);
    assert.match(patch, /- Runtimes built from cri-api v0\.22–v0\.25\.16 or v0\.26\.0-alpha\.0–v0\.26\.0-alpha\.3 will not have it, and kubelets 1\.25\.17 and later 1\.25 patches can meet them\./, patch);
  });
});
