// What the policy hover and `cri-compat history` say of released elements, on real releases of api.proto (the
// corpus) against the bundled release history: removals, runtimes from releases without a Go module tag.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Corpus, CORPUS_HELP, V1ALPHA2_PATH, V1_PATH, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { historyQuery } from '../server/src/baseline/historyCommand';
import type { Baseline } from '../server/src/baseline/types';
import { analyze } from '../server/src/service';
import { corpusText as release } from './corpusText';
import { policyHover } from './policyHoverText';
import { skewMatrix } from '../server/src/report/markdown';

const corpusDir = findCorpusDir(findRepoRoot(__dirname));
const corpus = corpusDir ? new Corpus(corpusDir) : undefined;

function bundledBaseline(tag: string, pkg = 'runtime.v1'): Baseline {
  const history = loadBundledHistory(pkg);
  const model = history.modelAt(tag);
  assert.ok(model, `${tag} is in the bundled index of ${pkg}`);
  return { tag, kubernetes: tag.replace(/^v0\./, '1.'), source: 'bundled', origin: 'test', model, history };
}

/** The text of one row (`label:`) of `history --element`. */
function historyRow(pkg: string, path: string, label: string): string {
  const r = historyQuery(loadBundledHistory(pkg), path);
  assert.ok(r.ok, r.text);
  const row = r.text.split('\n').find((l) => l.trimStart().startsWith(`${label}:`));
  assert.ok(row, `${path} has a ${label} row:\n${r.text}`);
  return row.slice(row.indexOf(':') + 1).trim();
}

describe('policy wording against the release history', { skip: corpus ? false : CORPUS_HELP }, () => {
  test('the hover of a released element that a later release removed says so, as history does', () => {
    // ContainerEventResponse.pod_sandbox_metadata (field 4) is in v0.25.0-beta.0 … v0.26.0-alpha.3 only.
    const path = 'runtime.v1.ContainerEventResponse.pod_sandbox_metadata';
    const removal = historyRow('runtime.v1', path, 'removal');
    // v0.26.0-alpha.0–alpha.3 still have it: runtimes lack it from v0.26.0-beta.0 on, and the kubelets of those alphas had it too.
    assert.match(removal, /^runtimes built from cri-api v0\.26\.0-beta\.0–v0\.29 lack it but are in the window of kubelets 1\.25 and 1\.26\.0-alpha\.0–1\.26\.0-alpha\.3, which had it/);
    const h = policyHover(release('v0.25.0'), bundledBaseline('v0.25.0'), 'pod_sandbox_metadata = 4');
    assert.ok(h.includes(`- Removed in v0.26.0-beta.0 (Kubernetes 1.26.0-beta.0), after v0.26.0-alpha.3 (Kubernetes 1.26.0-alpha.3): ${removal}`), h);
    // Those 1.26 alphas' kubelets know it too, and can meet runtimes of v0.23–v0.24 without it: hover and history say so.
    const skew = 'kubelets 1.25.0-beta.0–1.26.0-alpha.3 know it and can be paired with runtimes built from cri-api v0.22–v0.24 or v0.25.0-alpha.0–v0.25.0-alpha.3, which do not.';
    assert.equal(historyRow('runtime.v1', path, 'skew'), skew);
    assert.ok(h.includes(`- K${skew.slice(1)}`), h);
    // One still in the newest release says nothing of a removal.
    assert.doesNotMatch(policyHover(release('v0.25.0'), bundledBaseline('v0.25.0'), 'created_at = 3'), /Removed in/);
  });

  test('runtimes of releases without a Go module tag are named as Kubernetes releases, in history and hover alike', () => {
    // NamespaceMode.TARGET came in 1.18; the runtimes without it are those of 1.15–1.17, and cri-api's Go module
    // tags of those minors start at v0.15.7 and v0.16.4: there is no v0.15.0 … v0.15.6 or v0.16.0 … v0.16.3.
    for (const minor of [15, 16, 17]) assert.ok(corpus!.rows.some((r) => r.tag.startsWith(`v0.${minor}.`)), `a v0.${minor} tag`);
    assert.ok(!corpus!.rows.some((r) => /^v0\.15\.[0-6]$|^v0\.16\.[0-3]$/.test(r.tag)));
    // It came in v0.18.0-beta.1: the 1.18 pre-releases before it lack it too, named by their tags (the first has no Go
    // module tag), and kubelet 1.21 can meet them.
    const runtimes = 'runtimes built from cri-api v0.15.7–v0.17 or kubernetes-1.18.0-alpha.0–v0.18.0-beta.0 or from the CRI API of Kubernetes 1.15.0–1.15.6 and 1.16.0–1.16.3 ' +
      '(tagged in cri-api only as kubernetes-1.N.M, with no Go module tag), which do not.';
    const skew = historyRow('runtime.v1alpha2', 'runtime.v1alpha2.NamespaceMode.TARGET', 'skew');
    assert.equal(skew, `kubelets 1.18.0-beta.1–1.21 know it and can be paired with ${runtimes}`);
    const h = policyHover(release('v0.25.0', V1ALPHA2_PATH), bundledBaseline('v0.25.0', 'runtime.v1alpha2'), 'TARGET    = 3');
    assert.ok(h.includes(`- Kubelets 1.18.0-beta.1–1.21 know it and can be paired with ${runtimes}`), h);
    // Minors whose every release has a Go module tag keep the short form.
    assert.match(historyRow('runtime.v1', 'runtime.v1.ContainerEventResponse.pod_sandbox_metadata', 'skew'), /runtimes built from cri-api v0\.22–v0\.24 or v0\.25\.0-alpha\.0–v0\.25\.0-alpha\.3, which do not\./);
  });
});

describe('the newest release checked against itself: what the hover says of renames and reused numbers', { skip: corpus ? false : CORPUS_HELP }, () => {
  const hoverOn = (needle: string, offset: number): string => policyHover(release('v0.37.0-beta.0'), bundledBaseline('v0.37.0-beta.0'), needle, offset);

  test('a field on a number another field had with another type: the hover gives the number reuse, as history does', () => {
    // ContainerEventResponse.pod_sandbox_status took number 4 from pod_sandbox_metadata (a PodSandboxMetadata) in
    // v0.26.0-beta.0: runtimes of 1.25 fill field 4 with the other type, which is worse than leaving it unset.
    const reuse = historyRow('runtime.v1', 'runtime.v1.ContainerEventResponse.pod_sandbox_status', 'number reuse');
    assert.match(reuse, /^field 4 was runtime\.v1\.PodSandboxMetadata pod_sandbox_metadata before \(v0\.25\.0-beta\.0–v0\.26\.0-alpha\.3\); this is a reuse with another type\./);
    const h = hoverOn('pod_sandbox_status = 4', 2);
    assert.ok(h.includes(`- F${reuse.slice(1)}`), h);
    // The 1.26 alphas had pod_sandbox_metadata too, so kubelets and runtimes of 1.29 can meet the other meaning.
    assert.match(h, /Releases 1\.26–1\.29 \(pod_sandbox_status\) and 1\.25, 1\.26\.0-alpha\.0–1\.26\.0-alpha\.3 \(pod_sandbox_metadata\)/);
    // And the other way round, on the field that had the number first (in the v0.25.0 file, against its release).
    const before = historyRow('runtime.v1', 'runtime.v1.ContainerEventResponse.pod_sandbox_metadata', 'number reuse');
    const h25 = policyHover(release('v0.25.0'), bundledBaseline('v0.25.0'), 'pod_sandbox_metadata = 4');
    assert.ok(h25.includes(`- F${before.slice(1)}`), h25);
    assert.doesNotMatch(hoverOn('created_at = 3', 2), /reuse/);
  });

  test('a field whose type went string → bytes (KeyValue.value): history and the hover say that peers reading a string reject bytes that are not UTF-8, as check does', () => {
    // The corpus: the type is bytes from v0.34.9, v0.35.6, v0.36.2 and v0.37.0-alpha.1 on, string before on each line.
    const history = loadBundledHistory();
    const typeAt = (tag: string): string | undefined => history.modelAt(tag)!.messages.find((m) => m.fqn === 'runtime.v1.KeyValue')!.fields.find((f) => f.name === 'value')?.type;
    for (const [before, after] of [['v0.34.8', 'v0.34.9'], ['v0.35.5', 'v0.35.6'], ['v0.36.1', 'v0.36.2'], ['v0.37.0-alpha.0', 'v0.37.0-alpha.1']]) {
      assert.deepEqual([typeAt(before!), typeAt(after!)], ['string', 'bytes'], `${before} → ${after}`);
    }
    const row = historyRow('runtime.v1', 'runtime.v1.KeyValue.value', 'type change');
    assert.equal(row, 'string → bytes in v0.34.9, v0.35.6, v0.36.2 and v0.37.0-alpha.1: the encoding is the same, but a peer built from a release where it is a string ' +
      '(1.31–1.33, 1.34.0–1.34.8, 1.35.0–1.35.5, 1.36.0–1.36.1, 1.37.0-alpha.0) rejects a message in which value holds bytes that are not valid UTF-8 (proto3 checks a string when parsing it); ' +
      'kubelets and runtimes of releases where it is bytes (1.34.9 and later 1.34 patches, 1.35.6 and later 1.35 patches, 1.36.2 and later 1.36 patches, 1.37.0-alpha.1–1.37.0-beta.0) ' +
      'are in the skew window of such peers and may send them any bytes. JSON and Go types change too.');
    // check's FIELD_TYPE_CHANGED on the same change (v0.36.2 against v0.36.1) words the rejection the same way.
    const finding = analyze(release('v0.36.2'), { uri: 'file:///ws/api.proto', baseline: bundledBaseline('v0.36.1') }).findings.find((f) => f.rule === 'FIELD_TYPE_CHANGED' && f.element === 'runtime.v1.KeyValue.value');
    assert.ok(finding);
    assert.ok(finding.message.includes('rejects a message in which value holds bytes that are not valid UTF-8 (proto3 checks a string when parsing it)'), finding.message);
    const h = hoverOn('bytes value = 2', 'bytes '.length + 1);
    assert.ok(h.includes(`- S${row.slice(1)}`), h);
    // A field that kept its type has no such row.
    assert.doesNotMatch(historyQuery(history, 'runtime.v1.KeyValue.key').text, /type change/);
  });

  test('an enum value renamed in v0.37.0-alpha.1 (SIGTERM → SIGNAL_SIGTERM): the wire keeps number 23, JSON and Go source break', () => {
    const report = historyQuery(loadBundledHistory(), 'runtime.v1.Signal.SIGNAL_SIGTERM');
    const effects = report.text.split('\n').find((l) => l.includes('The rename is'))!;
    const source = effects.slice(effects.indexOf('The rename is')).trim();
    assert.equal(source, 'The rename is a JSON and Go source break: the JSON/YAML form (crictl) spells the value "SIGTERM" before and "SIGNAL_SIGTERM" after, and Go code that uses Signal_SIGTERM no longer builds (now Signal_SIGNAL_SIGTERM).');
    const h = hoverOn('SIGNAL_SIGTERM', 2);
    assert.ok(h.includes(`peers exchange it by number since v0.33.0-rc.0 (Kubernetes 1.33.0-rc.0), and the skew counts from there. ${source}`), h);
  });
});

describe('runtimes of releases without a Go module tag, in the new-element hover and the skew matrix', { skip: corpus ? false : CORPUS_HELP }, () => {
  // A change on top of kubernetes-1.15.6 that ships in v0.15.7, the first Go module tag of 1.15: the runtimes that
  // lack it are those of 1.12–1.14 (older than the history, with no tag at all) and of 1.15.0–1.15.6, which
  // cri-api tagged only as kubernetes-1.15.N: there is no v0.12 … v0.14 and no v0.15.0 … v0.15.6 to build from.
  const history = loadBundledHistory('runtime.v1alpha2');
  const baseline = (): Baseline => {
    const model = history.modelAt('kubernetes-1.15.6');
    assert.ok(model, 'kubernetes-1.15.6 is in the bundled index of runtime.v1alpha2');
    return { tag: 'kubernetes-1.15.6', kubernetes: '1.15.6', source: 'bundled', origin: 'test', model, history, release: 'v0.15.7' };
  };
  const lacking = 'the CRI API of Kubernetes 1.12–1.14 (older than kubernetes-1.15.0-alpha.1, the first release in this history) and 1.15.0–1.15.6 ' +
    '(tagged in cri-api only as kubernetes-1.N.M, with no Go module tag)';

  test('the hover of a new element names them as history does, not as cri-api tags', () => {
    assert.ok(!corpus!.rows.some((r) => /^v0\.1[2-4]\.|^v0\.15\.[0-6]$/.test(r.tag)), 'no such Go module tags');
    const text = release('kubernetes-1.15.6', V1ALPHA2_PATH).replace('message VersionRequest {', 'message VersionRequest {\n    // A new flag.\n    bool fresh_flag = 2;');
    const h = policyHover(text, baseline(), 'fresh_flag');
    assert.ok(h.includes('**New since kubernetes-1.15.6**: would ship in Kubernetes 1.15.7 (cri-api v0.15.7).'), h);
    // And its own pre-release kubernetes-1.15.7-beta.0, cut before the change; and 1.16–1.18, already released
    // without it (a patch of an older line), named by their tags from the first Go module tag v0.16.4 on. Every
    // later minor of runtime.v1alpha2 is released: no kubelet to come knows it.
    const later = 'cri-api v0.16.4–v0.18 or from the CRI API of Kubernetes 1.16.0–1.16.3 (tagged in cri-api only as kubernetes-1.N.M, with no Go module tag)';
    assert.ok(h.includes(`- Runtimes built from ${lacking} or from cri-api kubernetes-1.15.7-beta.0 or from ${later} will not have it, and kubelets 1.15.7 and later 1.15 patches can meet them.`), h);
    assert.doesNotMatch(h, /v0\.12|v0\.15\.[0-6]\b/, h);
  });

  test('the skew matrix names the runtimes of each column as the hover does', () => {
    const rows = skewMatrix(baseline(), true).join('\n');
    const untagged = '(tagged in cri-api only as kubernetes-1.N.M, with no Go module tag)';
    const older = (m: number): string => `the CRI API of Kubernetes 1.${m} (older than kubernetes-1.15.0-alpha.1, the first release in this history)`;
    const before = `the CRI API of Kubernetes 1.15.0–1.15.6 ${untagged} or from cri-api kubernetes-1.15.7-beta.0`;
    assert.ok(rows.includes(`| kubelet \\ runtime | ${older(12)} | ${older(13)} | ${older(14)} | ${before} | cri-api v0.15.7 and later v0.15 patches | ` +
      `cri-api v0.16.4 and later v0.16 patches or from the CRI API of Kubernetes 1.16.0–1.16.3 ${untagged} | cri-api v0.17 | cri-api v0.18 |`), rows);
    assert.ok(rows.includes(`1.15.0–1.15.7-beta.0 (${before}), which lack them,`), rows);
    assert.ok(rows.includes('columns are runtimes, named by what they are built from: a cri-api version, or the CRI API of a Kubernetes release that has no cri-api Go module tag.'), rows);
    assert.doesNotMatch(rows, /cri-api v0\.1[2-4]\b|v0\.15\.[0-6]\b|\| cri-api v0\.16 \|/, rows);
  });
});

describe('the call sequence the hover quotes', { skip: corpus ? false : CORPUS_HELP }, () => {
  const newest = corpus ? corpus.rows.filter((r) => r.path === V1_PATH).at(-1)!.tag : '';
  test('a sentence that only names an RPC this one is an alternative to is not quoted as the call sequence', () => {
    // StreamImages and StreamPodSandboxes came in 1.36; their documentation calls them an alternative to ListImages
    // and ListPodSandbox, and says nothing of when the kubelet calls them.
    for (const [rpc, other] of [['StreamImages', 'ListImages'], ['StreamPodSandboxes', 'ListPodSandbox']] as const) {
      const text = release(newest);
      assert.ok(text.includes(`This is an alternative to ${other}`), `${newest}: ${rpc}`);
      for (const base of ['v0.36.3', 'v0.35.0']) {
        const h = policyHover(text, bundledBaseline(base), `rpc ${rpc}(`.slice(4));
        assert.doesNotMatch(h, /\*\*Call sequence\*\*/, `${rpc} against ${base}:\n${h}`);
        // The DOC rule still takes the sentence as placing the call: the hover does not say it is undocumented.
        const findings = analyze(text, { uri: 'file:///ws/api.proto', baseline: bundledBaseline(base) }).findings;
        assert.ok(!findings.some((f) => f.rule === 'RPC_CALL_SEQUENCE_UNDOCUMENTED' && f.element.endsWith(`.${rpc}`)), rpc);
        assert.match(h, new RegExp(`\\*\\*Alternative to another RPC\\*\\* \\(from its documentation; it does not say when the kubelet calls it\\): This is an alternative to ${other}\\b`), h);
      }
    }
  });
});
