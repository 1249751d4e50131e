// Pre-releases are releases: runtimes built from v0.N.0-alpha.K lack what came after them, and they speak the API
// their tag has. The hovers, `history` and the report's skew matrix count them, on the bundled history: the 1.37
// pre-releases (v0.37.0-alpha.0 … beta.0) lack an element that ships in v0.37.0, those of 1.29 before alpha.3 lack
// ImageSpec.runtime_handler, and those of 1.26 (alpha.0 … alpha.3) still speak runtime.v1alpha2.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Corpus, CORPUS_HELP, V1ALPHA2_PATH, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { historyReport } from '../server/src/baseline/historyCommand';
import type { Baseline } from '../server/src/baseline/types';
import { compareTags } from '../server/src/policy/versions';
import { skewMatrix } from '../server/src/report/markdown';
import { corpusText as text } from './corpusText';
import { historyRow, historyWithField } from './editedHistory';
import { policyHover } from './policyHoverText';

const corpusDir = findCorpusDir(findRepoRoot(__dirname));
const corpus = corpusDir ? new Corpus(corpusDir) : undefined;

/** The matrix's cell of a kubelet row and a runtime column, by their headers. */
function cell(rows: string[], kubelet: string, runtime: string): string | undefined {
  const table = rows.filter((r) => r.startsWith('|'));
  const header = table[0]!.split('|').slice(2, -1).map((c) => c.trim());
  const row = table.find((r) => r.startsWith(`| **${kubelet}** |`));
  return row?.split('|').slice(2, -1).map((c) => c.trim())[header.indexOf(runtime)];
}

describe('pre-releases in the skew: hover, history and matrix', { skip: corpus ? false : CORPUS_HELP }, () => {
  const history = corpus ? loadBundledHistory() : undefined;
  const baseline = (): Baseline => ({ tag: 'v0.36.3', kubernetes: '1.36.3', source: 'bundled', origin: 'test', model: history!.modelAt('v0.36.3')!, history: history! });

  test('an element from a pre-release: the earlier pre-releases of its minor lack it, and kubelet 1.(N+3) can meet them', () => {
    // ImageSpec.runtime_handler came in v0.29.0-alpha.3: v0.29.0-alpha.0–alpha.2 do not have it, and kubelet 1.32 meets them.
    const h = policyHover(text('v0.36.3'), baseline(), 'string runtime_handler = 19;', 'string '.length + 1);
    const said = '1\\.29\\.0-alpha\\.3–1\\.32 know it and can be paired with runtimes built from cri-api v0\\.26–v0\\.28 or v0\\.29\\.0-alpha\\.0–v0\\.29\\.0-alpha\\.2, which do not\\.';
    assert.match(h, new RegExp(`- Kubelets ${said}`), h);
    const report = historyReport(history!, 'runtime.v1.ImageSpec.runtime_handler');
    assert.match(report, new RegExp(`skew: +kubelets ${said}`), report);
  });

  test('an element first in a pre-release of a minor with no stable release yet: that minor is out in part, not "not released yet"', () => {
    // RuntimeFeatures.user_namespaces_host_network came in v0.36.0-rc.0; here it came in v0.37.0-alpha.1.
    const path = 'runtime.v1.RuntimeFeatures.user_namespaces_host_network';
    const edited = historyWithField('runtime.v1.RuntimeFeatures', 'user_namespaces_host_network', (t) => compareTags(t, 'v0.37.0-alpha.1') >= 0);
    const said = 'kubelets 1.37.0-alpha.1–1.40 know it (1.37 only in pre-releases so far, 1.38–1.40 not released yet) and can be paired with runtimes built from cri-api v0.34–v0.36 or v0.37.0-alpha.0, which do not.';
    assert.equal(historyRow(edited, path, 'skew'), said);
    const b: Baseline = { tag: 'v0.37.0-beta.0', kubernetes: '1.37.0-beta.0', source: 'bundled', origin: 'test', model: edited.modelAt('v0.37.0-beta.0')!, history: edited };
    const h = policyHover(text('v0.37.0-beta.0'), b, 'bool user_namespaces_host_network', 'bool '.length + 1);
    assert.ok(h.includes(`- K${said.slice(1)}`), h);
    // The real history: 1.36.0-rc.0 on know it, and of the minors after 1.36 only 1.37 has releases, pre-releases.
    assert.match(historyRow(history!, path, 'skew'), /^kubelets 1\.36\.0-rc\.0–1\.39 know it \(1\.37 only in pre-releases so far, 1\.38–1\.39 not released yet\) and/);
  });

  test('a new element shipping in v0.37.0: the 1.37 pre-releases lack it, in the hover as in the matrix', () => {
    const source = text('v0.36.3').replace('    CONTAINER_UNKNOWN = 3;', '    CONTAINER_UNKNOWN = 3;\n    // A new state.\n    CONTAINER_PAUSED = 4;');
    const h = policyHover(source, baseline(), 'CONTAINER_PAUSED', 1);
    assert.match(h, /- Runtimes built from cri-api v0\.34–v0\.36 or v0\.37\.0-alpha\.0–v0\.37\.0-beta\.0 will not have it, and kubelets 1\.37\.0–1\.40 can meet them\./, h);
    // Replies carry the enum: the kubelets of those pre-releases do not know the value either.
    assert.match(h, /- Kubelets 1\.34–1\.36 and 1\.37\.0-alpha\.0–1\.37\.0-beta\.0 will not have it either/, h);
    const rows = skewMatrix(baseline(), true);
    const header = rows.find((r) => r.startsWith('| kubelet \\ runtime |'))!;
    assert.ok(header.includes('| cri-api v0.36 | cri-api v0.37.0-alpha.0–v0.37.0-beta.0 | cri-api v0.37.0 and later v0.37 patches | cri-api v0.38 |'), header);
    assert.equal(cell(rows, '1.40', 'cri-api v0.37.0-alpha.0–v0.37.0-beta.0'), '◐', rows.join('\n'));
    assert.equal(cell(rows, '1.37.0 and later 1.37 patches', 'cri-api v0.37.0-alpha.0–v0.37.0-beta.0'), '◐');
    assert.equal(cell(rows, '1.37.0-alpha.0–1.37.0-beta.0', 'cri-api v0.37.0 and later v0.37 patches'), '○');
    assert.equal(cell(rows, '1.37.0-alpha.0–1.37.0-beta.0', 'cri-api v0.34'), '·');
    assert.ok(rows.some((r) => r.includes('The pre-releases of 1.37 in the history came before the changes, so Kubernetes 1.37 has two rows and two columns: 1.37.0-alpha.0–1.37.0-beta.0 (cri-api v0.37.0-alpha.0–v0.37.0-beta.0), which lack them, and 1.37.0 (cri-api v0.37.0) and later patches of 1.37.')), rows.join('\n'));
    // Without additions, no pair differs and the minor is not split.
    assert.ok(!skewMatrix(baseline(), false).some((r) => r.includes('v0.37.0-alpha.0')));
  });

  test('runtime.v1alpha2: the 1.26 alphas still speak it, so their pairs with 1.23–1.25 are supported, not ×', () => {
    const v1alpha2 = loadBundledHistory('runtime.v1alpha2');
    const b: Baseline = { tag: 'v0.25.16', kubernetes: '1.25.16', source: 'bundled', origin: 'test', model: v1alpha2.modelAt('v0.25.16')!, history: v1alpha2, release: 'v0.25.17' };
    const plain = skewMatrix(b, false);
    const alphas = 'cri-api v0.26.0-alpha.0–v0.26.0-alpha.3';
    assert.equal(cell(plain, '1.25', alphas), '✓', plain.join('\n'));
    assert.equal(cell(plain, '1.23', alphas), '✓');
    assert.equal(cell(plain, '1.26.0-alpha.0–1.26.0-alpha.3', 'cri-api v0.24'), '✓');
    assert.equal(cell(plain, '1.26 after 1.26.0-alpha.3', alphas), '×');
    assert.equal(cell(plain, '1.25', 'cri-api v0.26 after v0.26.0-alpha.3'), '×');
    assert.ok(plain.some((r) => r.includes('its pre-releases 1.26.0-alpha.0–1.26.0-alpha.3 (cri-api v0.26.0-alpha.0–v0.26.0-alpha.3), which still speak runtime.v1alpha2, and the rest of 1.26.')), plain.join('\n'));
    // With a change shipping in v0.25.17, those alpha runtimes lack it, as the hover says.
    const changed = skewMatrix(b, true);
    assert.equal(cell(changed, '1.25.17 and later 1.25 patches', alphas), '◐', changed.join('\n'));
    assert.equal(cell(changed, '1.26.0-alpha.0–1.26.0-alpha.3', 'cri-api v0.25.17 and later v0.25 patches'), '○');
    const source = text('v0.25.16', V1ALPHA2_PATH).replace('message VersionRequest {', 'message VersionRequest {\n    // A new flag.\n    bool fresh_flag = 2;');
    assert.match(policyHover(source, b, 'bool fresh_flag', 'bool '.length + 1), /Runtimes built from cri-api v0\.22–v0\.25\.16 or v0\.26\.0-alpha\.0–v0\.26\.0-alpha\.3 will not have it/);
  });
});
