// The policy facts hovers and the report state, driven through the real hover on real releases of api.proto
// (the corpus) with edits, against the bundled release history: elements removed and added again, old
// baselines, the first minor of runtime.v1, renames that keep the number, imported types, other packages.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Corpus, CORPUS_HELP, V1ALPHA2_PATH, V1_PATH, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { historyReport, newestStableMinor } from '../server/src/baseline/historyCommand';
import { parseAnyTag } from '../server/src/policy/versions';
import type { Baseline } from '../server/src/baseline/types';
import { doHover } from '../server/src/features/hover';
import { elementPolicyHover, findingExplanation } from '../server/src/features/policyHover';
import { bind } from '../server/src/proto/binder';
import { checkCompatibility } from '../server/src/compat/check';
import { parse } from '../server/src/proto/parser';
import { renderReport, skewMatrix } from '../server/src/report/markdown';
import { analyze } from '../server/src/service';

const corpusDir = findCorpusDir(findRepoRoot(__dirname));
const corpus = corpusDir ? new Corpus(corpusDir) : undefined;

function release(tag: string): string {
  const row = corpus!.rows.find((r) => r.tag === tag && r.path === V1_PATH);
  assert.ok(row, `${tag} is in the corpus`);
  return corpus!.text(row.blob);
}

function bundledBaseline(tag: string): Baseline {
  const history = loadBundledHistory();
  const model = history.modelAt(tag);
  assert.ok(model, `${tag} is in the bundled index`);
  return { tag, kubernetes: tag.replace(/^v0\./, '1.'), source: 'bundled', origin: 'test', model, history };
}

/** The policy section of the hover on the first `needle` of `text` (at its `offset`th character). */
function policyHover(text: string, baseline: Baseline | undefined, needle: string, offset = 1): string | undefined {
  const a = analyze(text, { uri: 'file:///ws/api.proto', ...(baseline ? { baseline } : {}) });
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  let extra: string | undefined;
  const hover = doHover(a.bound, { line, character: lines[line]!.indexOf(needle) + offset }, {
    extraHover: (e) => (extra = elementPolicyHover(e, a.baseline, a.bound.model, a.findings)),
  });
  assert.ok(hover, `a hover on ${needle}`);
  return extra;
}

/** The newest file of the corpus with one more line after `after`. */
function withLine(text: string, after: string, line: string): string {
  assert.ok(text.includes(after), after);
  return text.replace(after, `${after}\n${line}`);
}

const CONTAINERS_STATUSES = '    repeated ContainerStatus containers_statuses = 5;';

describe('policy hover: facts against the release history', { skip: corpus ? false : CORPUS_HELP }, () => {
  test('a field removed in 1.26 and added again is new, not the 1.25 field of that name', () => {
    // ContainerEventResponse.pod_sandbox_metadata was field 4 in v0.25.0-beta.0 … v0.26.0-alpha.3.
    const text = withLine(release('v0.37.0-beta.0'), CONTAINERS_STATUSES, '    // The sandbox metadata, again.\n    PodSandboxMetadata pod_sandbox_metadata = 6;');
    const h = policyHover(text, bundledBaseline('v0.36.3'), 'pod_sandbox_metadata = 6')!;
    assert.match(h, /^\*\*Removed before, added again\*\*: `pod_sandbox_metadata` was in v0\.25\.0-beta\.0–v0\.26\.0-alpha\.3 and is not in v0\.36\.3/);
    assert.match(h, /\*\*New since v0\.36\.3\*\*: would ship in Kubernetes 1\.37 \(cri-api v0\.37\.0\)\./);
    assert.match(h, /- Runtimes built from cri-api v0\.34–v0\.36 or v0\.37\.0-alpha\.0–v0\.37\.0-beta\.0 will not have it, and kubelets 1\.37\.0–1\.40 can meet them\./);
    assert.doesNotMatch(h, /Kubelet 1\.25 knows it|Release history/);
  });

  test('an old baseline: the change ships in the first minor not yet released, whose runtimes have the released messages', () => {
    const text = withLine(release('v0.37.0-beta.0'), CONTAINERS_STATUSES, '    // A new flag.\n    bool fresh_flag = 6;');
    const at349 = policyHover(text, bundledBaseline('v0.34.9'), 'fresh_flag')!;
    assert.match(at349, /^\*\*New since v0\.34\.9\*\*: would ship in Kubernetes 1\.37 \(cri-api v0\.37\.0\) at the earliest: 1\.35–1\.36 are already released\./);
    assert.match(at349, /- Runtimes built from cri-api v0\.34–v0\.36 or v0\.37\.0-alpha\.0–v0\.37\.0-beta\.0 will not have it, and kubelets 1\.37\.0–1\.40 can meet them\. Such a runtime never fills it in its replies/);
    assert.match(policyHover(text, bundledBaseline('v0.35.0'), 'fresh_flag')!, /at the earliest: 1\.36 is already released\./);
    assert.doesNotMatch(policyHover(text, bundledBaseline('v0.36.3'), 'fresh_flag')!, /at the earliest/);
    // ContainerEventResponse is not in v0.20.0, but every runtime that lacks the new field (v0.34–v0.36) has it.
    const at20 = policyHover(text, bundledBaseline('v0.20.0'), 'fresh_flag')!;
    assert.match(at20, /would ship in Kubernetes 1\.37 \(cri-api v0\.37\.0\) at the earliest: 1\.21–1\.36 are already released/);
    assert.doesNotMatch(at20, /Its message is new too/);
    // ContainerEventResponse only travels in replies (GetContainerEvents): the kubelet never sets the field.
    assert.match(at20, /Such a runtime never fills it in its replies, so the kubelet has to cope with it being unset\./);
    assert.doesNotMatch(at20, /when the kubelet sets it/);
  });

  test('an old baseline: the report\'s skew matrix is about the minor that can still get the change', () => {
    const text = withLine(release('v0.37.0-beta.0'), CONTAINERS_STATUSES, '    // A new flag.\n    bool fresh_flag = 6;');
    const baseline = bundledBaseline('v0.34.9');
    const a = analyze(text, { uri: 'file:///ws/api.proto', baseline });
    const md = renderReport({ file: 'api.proto', baseline, findings: a.findings, additions: a.additions, package: a.bound.model.package });
    assert.match(md, /The changes would ship in Kubernetes 1\.37 \(cri-api v0\.37\.0\) at the earliest \(Kubernetes 1\.35–1\.36 are already released\)\./);
    // The 1.37 pre-releases of the history lack the change: a column of their own, which kubelets of 1.37.0 on can meet.
    assert.match(md, /\| \*\*1\.37\.0 and later 1\.37 patches\*\* \| ◐ \| ◐ \| ◐ \| ◐ \| ✓ \| ✓ \| ✓ \| ✓ \|/);
    assert.doesNotMatch(md, /would ship in Kubernetes 1\.35/);
  });

  test('an RPC of the newest release: the kubelets to come that will know it are counted, and said to be unreleased', () => {
    const h = policyHover(release('v0.37.0-beta.0'), bundledBaseline('v0.36.3'), 'rpc StreamImages', 'rpc '.length + 1)!;
    // Which of them are not released yet depends on the bundled index's newest stable minor.
    const newest = newestStableMinor(loadBundledHistory())!;
    // It came in v0.36.0-beta.0: kubelet 1.39 can meet runtimes of v0.36.0-alpha.0–alpha.2, which lack it.
    // A minor with pre-releases in the history (1.37.0-alpha.0 …) is out in part: not said to be unreleased.
    const pre = loadBundledHistory().releases.some((r) => r.prerelease && parseAnyTag(r.tag)?.minor === newest + 1);
    const unreleased = pre ? newest + 2 : newest + 1;
    const parts = [...(pre && newest < 39 ? [`1\\.${newest + 1} only in pre-releases so far`] : []), ...(unreleased <= 39 ? [`${unreleased === 39 ? '1\\.39' : `1\\.${unreleased}–1\\.39`} not released yet`] : [])];
    const toCome = parts.length ? ` \\(${parts.join(', ')}\\)` : '';
    if (newest === 36) assert.equal(toCome, ' \\(1\\.37 only in pre-releases so far, 1\\.38–1\\.39 not released yet\\)');
    assert.match(h, new RegExp(`Kubelets 1\\.36\\.0-beta\\.0–1\\.39 know it${toCome} and can be paired with runtimes built from cri-api v0\\.33–v0\\.35 or v0\\.36\\.0-alpha\\.0–v0\\.36\\.0-alpha\\.2`));
  });

  test('an enum value renamed in 1.37 says why its skew counts from 1.33', () => {
    const h = policyHover(release('v0.37.0-beta.0'), bundledBaseline('v0.36.3'), 'SIGNAL_SIGKILL')!;
    assert.match(h, /- Introduced in \[v0\.37\.0-alpha\.1\]\(https:\/\/github\.com\/kubernetes\/cri-api\/blob\/v0\.37\.0-alpha\.1\/pkg\/apis\/runtime\/v1\/api\.proto\) \(Kubernetes 1\.37\.0-alpha\.1\)\.\n- On the wire it is older \(renamed from `SIGKILL` in v0\.37\.0-alpha\.1, keeping number 13\): peers exchange it by number since v0\.33\.0-rc\.0 \(Kubernetes 1\.33\.0-rc\.0\)/);
    assert.match(h, /Kubelets 1\.33\.0-rc\.0–1\.36 know it and can be paired with runtimes built from cri-api v0\.30–v0\.32 or v0\.33\.0-alpha\.0–v0\.33\.0-beta\.0,/);
    // An element that kept its name has no such line.
    assert.doesNotMatch(policyHover(release('v0.37.0-beta.0'), bundledBaseline('v0.36.3'), 'bool pinned', 'bool '.length + 1)!, /On the wire it is older/);
  });

  test('a type changed in patch releases of three minors says so, not only "last changed" in 1.37', () => {
    // KeyValue.value: string → bytes in v0.34.9, v0.35.6 and v0.36.2 (backports), then in v0.37.0-alpha.1.
    const h = policyHover(release('v0.37.0-beta.0'), bundledBaseline('v0.36.3'), 'bytes value = 2', 'bytes '.length + 1)!;
    assert.match(h, /\(last changed in v0\.37\.0-alpha\.1 \(Kubernetes 1\.37\.0-alpha\.1\)\)/);
    assert.match(h, /- Changed in patch releases v0\.34\.9 \(type string → bytes\), v0\.35\.6 \(type string → bytes\), v0\.36\.2 \(type string → bytes\): the policy wants API changes in v0\.N\.0 releases only\./);
    assert.doesNotMatch(policyHover(release('v0.37.0-beta.0'), bundledBaseline('v0.36.3'), 'bool pinned', 'bool '.length + 1)!, /patch release/);
  });
  test('a value or field that came with its enum or message: older runtimes lack the container, not only the element', () => {
    // Signal came in v0.33.0-rc.0 with its values and the stop_signal fields; CDIDevice in v0.27.0-alpha.3 with name.
    // A v0.30–v0.32 runtime drops stop_signal whole: the number never reaches it as an unknown enum value.
    const history = loadBundledHistory();
    // A trailing space makes CDIDevice's `name` the only line of its text (other messages have a `string name = 1;`).
    const text = release('v0.36.3').replace('SPEC.md\n    string name = 1;', 'SPEC.md\n    string name = 1; ');
    const value = policyHover(text, bundledBaseline('v0.36.3'), 'SIGKILL ')!;
    const field = policyHover(text, bundledBaseline('v0.36.3'), 'string name = 1; ', 'string '.length + 1)!;
    for (const [h, report] of [[value, historyReport(history, 'runtime.v1.Signal.SIGKILL')], [field, historyReport(history, 'runtime.v1.CDIDevice.name')]] as const) {
      assert.doesNotMatch(h, /arrives there as an unknown enum value|handles the request as if the field were unset/, h);
      assert.doesNotMatch(report, /arrives there as an unknown enum value|handles the request as if the field were unset/, report);
    }
    assert.match(value, /Kubelets 1\.33\.0-rc\.0–1\.36 know it and can be paired with runtimes built from cri-api v0\.30–v0\.32 or v0\.33\.0-alpha\.0–v0\.33\.0-beta\.0, which do not\. Its enum came in Kubernetes 1\.33 too, so such a runtime knows neither: it neither reads nor sends fields of that enum\./);
    assert.match(historyReport(history, 'runtime.v1.Signal.SIGKILL'), /\n {16}Its enum came in Kubernetes 1\.33 too, so such a runtime knows neither: it neither reads nor sends fields of that enum\./);
    assert.match(field, /v0\.24–v0\.26 or v0\.27\.0-alpha\.0–v0\.27\.0-alpha\.2, which do not\. Its message came in Kubernetes 1\.27 too, so such a runtime knows neither: it neither reads nor sends fields that carry the message, and RPCs that take or return it answer gRPC `Unimplemented`\./);
    assert.match(historyReport(history, 'runtime.v1.CDIDevice.name'), /\n {16}Its message came in Kubernetes 1\.27 too, so such a runtime knows neither: it neither reads nor sends fields that carry the message, and RPCs that take or return it answer gRPC Unimplemented\./);
    // credential_spec came in kubernetes-1.15.0-beta.1; its message is in kubernetes-1.15.0-alpha.1, the oldest release
    // of runtime.v1alpha2's history, and may be older: the field alone is what such a runtime lacks, as far as is known.
    const spec = historyReport(loadBundledHistory('runtime.v1alpha2'), 'runtime.v1alpha2.WindowsContainerSecurityContext.credential_spec');
    assert.match(spec, /Such a runtime drops the field when the kubelet sets it/, spec);
    assert.doesNotMatch(spec, /Its message came/);
    // A value added later to an older enum still reaches older runtimes as an unknown number (NamespaceMode.TARGET of 1.18).
    assert.match(historyReport(loadBundledHistory('runtime.v1alpha2'), 'runtime.v1alpha2.NamespaceMode.TARGET'), /arrives there as an unknown enum value/);
    // A field added later to an older message is dropped alone (ImageSpec.runtime_handler of 1.29).
    assert.match(historyReport(history, 'runtime.v1.ImageSpec.runtime_handler'), /drops the field when the kubelet sets it/);
  });
  test('the report of a runtime.v1alpha2 change: no release from 1.26 on has that API, so nothing ships there', () => {
    const row = corpus!.rows.find((r) => r.tag === 'v0.25.16' && r.path === V1ALPHA2_PATH)!;
    const text = withLine(corpus!.text(row.blob), 'message VersionRequest {', '    // A new flag.\n    bool fresh_flag = 2;');
    const history = loadBundledHistory('runtime.v1alpha2');
    const baseline: Baseline = { tag: 'v0.25.16', kubernetes: '1.25.16', source: 'bundled', origin: 'test', model: history.modelAt('v0.25.16')!, history };
    const a = analyze(text, { uri: 'file:///ws/api.proto', baseline });
    assert.equal(a.additions.length, 1);
    const md = renderReport({ file: 'api.proto', baseline, findings: a.findings, additions: a.additions, package: a.bound.model.package, host: 'cli' });
    assert.doesNotMatch(md, /would ship in Kubernetes 1\.26|\| \*\*1\.26\*\* \| [·◐○✓]/, md);
    // Pre-releases count as releases: the first ones of 1.26 still had runtime.v1alpha2, as the corpus shows.
    assert.ok(corpus!.rows.some((r) => r.tag === 'v0.26.0-alpha.3' && r.path === V1ALPHA2_PATH) && !corpus!.rows.some((r) => r.tag === 'v0.26.0-beta.0' && r.path === V1ALPHA2_PATH));
    assert.match(md, /Kubernetes 1\.26 removed runtime\.v1alpha2: no kubelet or runtime of a 1\.26 release or later speaks it \(of 1\.26, only the pre-releases v0\.26\.0-alpha\.0–v0\.26\.0-alpha\.3 had it\), so the changes cannot ship in a minor release; only a patch release of 1\.25 or earlier could carry them/, md);
    // As a patch of 1.25 (--current-tag v0.25.17): kubelets and runtimes of 1.26 and later are no pair of this API.
    const rows = skewMatrix({ ...baseline, release: 'v0.25.17' }, true);
    assert.ok(rows.some((r) => r.includes('× not a pair of this API: Kubernetes 1.26 removed runtime.v1alpha2, so one side does not speak it;')), rows.join('\n'));
    // Except the 1.26 alphas, which still had it (without the patch): a row and a column of their own.
    assert.ok(rows.includes('| **1.25.17 and later 1.25 patches** | ◐ | ◐ | ◐ | ◐ | ✓ | ◐ | × | × | × |'), rows.join('\n'));
    assert.ok(rows.includes('| **1.26.0-alpha.0–1.26.0-alpha.3** | — | · | · | · | ○ | · | × | × | × |'), rows.join('\n'));
    assert.ok(rows.includes('| **1.26 after 1.26.0-alpha.3** | — | × | × | × | × | × | × | × | × |'), rows.join('\n'));
  });
  test('the patch-release policy names what changed: v0.23.4 only changed documented meaning, v0.34.9 a type', () => {
    const patchMessage = (from: string, to: string): string | undefined => {
      const baseline: Baseline = { tag: from, source: 'path', origin: 'test', model: bind(parse(release(from)), 'file:///old.proto').model };
      const text = release(to);
      return checkCompatibility(text, bind(parse(text), 'file:///api.proto'), baseline, { currentTag: to }).findings.find((f) => f.rule === 'PATCH_RELEASE_API_CHANGE')?.message;
    };
    // v0.23.4 added a sentence to PodSandboxNetworkStatus's comment; `history` counts it under "docs", not as an API change.
    assert.match(historyReport(loadBundledHistory()), /\n {2}v0\.23\.4 +1\.23\.4 +0 +0 +0 +0 +1\n/);
    assert.equal(patchMessage('v0.23.3', 'v0.23.4'), '1 change of documented meaning between v0.23.3 and the patch release v0.23.4; patch releases should not change the API, its documented meaning included');
    assert.equal(patchMessage('v0.34.8', 'v0.34.9'), '1 API change between v0.34.8 and the patch release v0.34.9; patch releases should not change the API');
  });
  test('an element of the oldest release in a history: its age is not known, so nothing says it predates that release', () => {
    // runtime.v1alpha2's history starts at kubernetes-1.15.0-alpha.1; Version is in it, and may or may not be older.
    const report = historyReport(loadBundledHistory('runtime.v1alpha2'), 'runtime.v1alpha2.RuntimeService.Version');
    assert.match(report, /introduced: {3}kubernetes-1\.15\.0-alpha\.1 \(no v0\.15\.0-alpha\.1 Go module tag\) \(the oldest release in this history; it may be older\)/);
    assert.match(report, /skew: {9}not known: it is already in kubernetes-1\.15\.0-alpha\.1, the oldest release in this history, and may be older\./);
    assert.doesNotMatch(report, /predates/);
  });
  test('runtimes older than the first release of a history are named by their Kubernetes minors, in the hover as in history', () => {
    // WindowsContainerSecurityContext.credential_spec came in kubernetes-1.15.0-beta.1; runtimes of 1.12–1.14 lack it,
    // and no cri-api tag of theirs is in the history (nor v0.12–v0.14 Go module tags at all).
    const row = corpus!.rows.find((r) => r.tag === 'v0.25.16' && r.path === V1ALPHA2_PATH)!;
    const history = loadBundledHistory('runtime.v1alpha2');
    const baseline: Baseline = { tag: 'v0.25.16', kubernetes: '1.25.16', source: 'bundled', origin: 'test', model: history.modelAt('v0.25.16')!, history };
    // A trailing space tells its line from WindowsSandboxSecurityContext's (of 1.22), which comes first.
    const text = corpus!.text(row.blob);
    const at = text.lastIndexOf('string credential_spec = 2;');
    const edited = `${text.slice(0, at)}string credential_spec = 2; ${text.slice(at + 'string credential_spec = 2;'.length)}`;
    const h = policyHover(edited, baseline, 'string credential_spec = 2; ', 'string '.length + 1)!;
    const older = 'runtimes built from the CRI API of Kubernetes 1.12–1.14 (older than kubernetes-1.15.0-alpha.1, the first release in this history), which do not.';
    // It came in kubernetes-1.15.0-beta.1: the 1.15 pre-releases before it lack it too, and kubelet 1.18 can meet them.
    const lacking = `${older.slice(0, -', which do not.'.length)} or from cri-api kubernetes-1.15.0-alpha.1–kubernetes-1.15.0-beta.0, which do not.`;
    assert.ok(h.includes(`- Kubelets 1.15.0-beta.1–1.18 know it and can be paired with ${lacking}`), h);
    assert.doesNotMatch(h, /cri-api v0\.12/);
    assert.ok(historyReport(history, 'runtime.v1alpha2.WindowsContainerSecurityContext.credential_spec').includes(`kubelets 1.15.0-beta.1–1.18 know it and can be paired with ${lacking}`));
  });
  test('history: a .0-line tag cut before the release it is compared with removed nothing', () => {
    // v0.19.0-alpha.0 was tagged on 2020-01-30, before v0.18.0-beta.1 (2020-02-25) added NamespaceMode.TARGET and
    // NamespaceOption.target_id; v0.18.0 has them, alpha.0 does not, and alpha.1 has them again.
    const text = historyReport(loadBundledHistory('runtime.v1alpha2'));
    assert.match(text, /\n {2}v0\.19\.0-alpha\.0 +1\.19\.0-alpha\.0 +0 +2 +0 +0 +\d+ {2}\(tagged 2020-01-30, before v0\.18\.0 of 2020-02-25 that it is compared with: it did not remove what it lacks\)\n/);
    assert.match(text, /\n {2}kubernetes-1\.16\.0-alpha\.0 +1\.16\.0-alpha\.0 +0 +1 +0 +0 +\d+ {2}\(tagged 2019-05-13, before kubernetes-1\.15\.0 of 2019-05-31 that it is compared with: it did not remove what it lacks\)\n/);
    // A release cut after the one it is compared with has no such note.
    assert.doesNotMatch(historyReport(loadBundledHistory()), /tagged \d/);
  });
  test('a breaking change to runtime.v1alpha2 is explained by the skew inside its own major version', () => {
    const row = corpus!.rows.find((r) => r.tag === 'v0.25.16' && r.path === V1ALPHA2_PATH)!;
    const text = corpus!.text(row.blob).replace(/\n *string version = 1;/, '');
    const history = loadBundledHistory('runtime.v1alpha2');
    const baseline: Baseline = { tag: 'v0.25.16', kubernetes: '1.25.16', source: 'bundled', origin: 'test', model: history.modelAt('v0.25.16')!, history };
    const deleted = analyze(text, { uri: 'file:///ws/api.proto', baseline }).findings.find((f) => f.rule === 'FIELD_NO_DELETE')!;
    assert.equal(deleted.element, 'runtime.v1alpha2.VersionRequest.version');
    const md = findingExplanation(deleted, baseline);
    assert.doesNotMatch(md, /Inside the runtime\.v1 major version/, md);
    assert.match(md, /Inside one API major version \(runtime\.v1, and runtime\.v1alpha2 until Kubernetes 1\.26 removed it\) every change therefore has to work in both directions/);
  });
  test('the report, as the hover, says that older kubelets can receive a new value of an enum that runtimes send', () => {
    // ContainerState reaches the kubelet in ContainerStatus replies: a runtime of 1.37 can send CONTAINER_PAUSED to a 1.36 kubelet.
    const text = withLine(release('v0.36.3'), '    CONTAINER_UNKNOWN = 3;', '    // The container is paused. Older kubelets read it as an unknown state.\n    CONTAINER_PAUSED = 4;');
    const baseline = bundledBaseline('v0.36.3');
    const report = (t: string): string => {
      const a = analyze(t, { uri: 'file:///ws/api.proto', baseline });
      return renderReport({ file: 'api.proto', baseline, findings: a.findings, additions: a.additions, package: a.bound.model.package });
    };
    assert.match(policyHover(text, baseline, 'CONTAINER_PAUSED')!, /- Kubelets 1\.34–1\.36 and 1\.37\.0-alpha\.0–1\.37\.0-beta\.0 will not have it either, and can meet runtimes that do/);
    const md = report(text);
    assert.doesNotMatch(md, /○ supported, the runtime has them but the kubelet does not use them;/, md);
    assert.match(md, /○ supported, the runtime has them and the kubelet does not: it ignores what is new, except new values of enums that replies carry \(runtime\.v1\.ContainerState\.CONTAINER_PAUSED\), which it receives as unknown numbers;/);
    // A new field of a reply is only ignored by an older kubelet.
    assert.match(report(withLine(release('v0.36.3'), CONTAINERS_STATUSES, '    // A new flag.\n    bool fresh_flag = 6;')), /○ supported, the runtime has them but the kubelet does not use them;/);
  });
});

describe('policy hover: elements outside the API and baselines without history', () => {
  const OLD = 'syntax = "proto3";\npackage runtime.v1;\nmessage Req { string a = 1; }\n';
  const fileBaseline = (tag: string): Baseline => ({ tag, source: 'path', origin: 'test', model: bind(parse(OLD), 'file:///ws/old.proto').model });

  test('a well-known type is neither released nor new', () => {
    const text = 'syntax = "proto3";\npackage runtime.v1;\nimport "google/protobuf/empty.proto";\nmessage Req { string a = 1; google.protobuf.Empty e = 2; }\n';
    assert.equal(policyHover(text, fileBaseline('v0.36.3'), 'Empty e'), undefined);
    assert.match(policyHover(text, fileBaseline('v0.36.3'), 'Empty e = 2', 'Empty '.length)!, /^\*\*New since v0\.36\.3\*\*/);
  });

  test('a file of another package is a new major version: no runtime.v1 skew window', () => {
    const text = 'syntax = "proto3";\npackage runtime.v2;\nmessage Req { string a = 1; bool b = 2; }\n';
    const h = policyHover(text, fileBaseline('v0.36.3'), 'Req')!;
    assert.match(h, /^\*\*Package `runtime\.v2`\*\*: no cri-api release has it \(the baseline v0\.36\.3 is `runtime\.v1`\), so this is a new API major version/);
    assert.doesNotMatch(h, /would ship|cri-api v0\.34/);
  });

  test('a baseline in the first minor of runtime.v1: no runtime.v1 runtime lacks the change', () => {
    const text = 'syntax = "proto3";\npackage runtime.v1;\nmessage Req { string a = 1; bool b = 2; }\n';
    for (const tag of ['v0.20.0-beta.2', 'v0.20.0-rc.0']) {
      const h = policyHover(text, fileBaseline(tag), 'bool b', 'bool '.length + 1)!;
      assert.match(h, /would ship in Kubernetes 1\.20 \(cri-api v0\.20\.0\)\.\n\n- Kubernetes 1\.20 is the first minor version of runtime\.v1, so every stable runtime that speaks runtime\.v1 will have it\./, tag);
      assert.doesNotMatch(h, /v0\.20–v0\.19/, tag);
    }
    assert.match(policyHover(text, fileBaseline('v0.20.0'), 'bool b', 'bool '.length + 1)!, /- Runtimes built from cri-api v0\.20 will not have it, and kubelets 1\.21–1\.23 can meet them\./);
  });

  test('the skew matrix of an old baseline marks the minors before runtime.v1', () => {
    const rows = skewMatrix(fileBaseline('v0.21.0'), true);
    assert.ok(rows.some((r) => r.includes('× not a pair of this API: runtime.v1 came in Kubernetes 1.20')), rows.join('\n'));
    // Kubelet 1.22 with runtimes v0.19 (no runtime.v1) to v0.25.
    assert.ok(rows.includes('| **1.22** | × | ◐ | ◐ | ✓ | ✓ | ✓ | ✓ |'), rows.join('\n'));
    assert.ok(!skewMatrix(fileBaseline('v0.36.3'), true).some((r) => r.includes('×')));
  });
});
