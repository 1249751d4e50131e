// "Restore message X as released in <tag>" (and enum) for a released message or enum the file deleted
// (MESSAGE_NO_DELETE, ENUM_NO_DELETE, TYPE_NO_DELETE), on real deletions from the v0.36.3 api.proto (the corpus): the
// fix declares it again from the baseline model, with its documentation, options, reserved ranges, nested types,
// oneofs, fields and values, where the release had it. Against the release's file the result is the release, byte
// for byte; against the bundled release index (no comment text, no positions) it parses and the finding is gone.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkCompatibility } from '../server/src/compat/check';
import type { Finding } from '../server/src/compat/finding';
import { applyEdits, computeFixes } from '../server/src/fixes';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import type { Baseline } from '../server/src/baseline/types';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';

const TAG = 'v0.36.3';
const URI = 'file:///work/api.proto';

const SECURITY_PROFILE = /\/\/ A security profile which can be used[^]*?\n}\n\n/;
const PROTOCOL = 'enum Protocol {\n    TCP = 0;\n    UDP = 1;\n    SCTP = 2;\n}\n\n';
const PROFILE_TYPE = /    \/\/ Available profile types\.\n    enum ProfileType \{[^]*?\n    }\n/;

function fileBaseline(released: string): Baseline {
  return { tag: TAG, source: 'path', origin: 'test', model: bind(parse(released), 'old.proto').model };
}

function bundledBaseline(): Baseline {
  const history = loadBundledHistory();
  const model = history.modelAt(TAG);
  assert.ok(model);
  return { tag: TAG, source: 'bundled', origin: 'bundled release index', model, history };
}

/** The findings of `text` against `baseline`, with the file bound. */
function check(text: string, baseline: Baseline): { findings: Finding[]; errors: string[]; bound: ReturnType<typeof bind> } {
  const bound = bind(parse(text), URI);
  const errors = [...bound.ast.errors.map((e) => e.message), ...bound.problems.filter((p) => p.severity === 'error').map((p) => `${p.code}: ${p.message}`)];
  return { findings: checkCompatibility(text, bound, baseline).findings, errors, bound };
}

/** `text` after the fix titled `title` of the finding of `rule` on `element`. */
function restored(text: string, baseline: Baseline, rule: string, element: string, title: string): string {
  const { findings, bound } = check(text, baseline);
  const f = findings.find((x) => x.rule === rule && x.element === element);
  assert.ok(f, `a ${rule} finding on ${element}: ${findings.map((x) => `${x.rule} ${x.element}`).join(', ')}`);
  const fixes = computeFixes(text, bound, f);
  const fix = fixes.find((x) => x.title === title);
  assert.ok(fix, `"${title}" among ${JSON.stringify(fixes.map((x) => x.title))}`);
  assert.equal(fix.isPreferred, true, 'the preferred fix');
  return applyEdits(text, fix.edits);
}

/** `out` is `want`; else the lines around the first difference, not the whole file. */
function assertSameText(out: string, want: string): void {
  if (out === want) return;
  const a = out.split('\n');
  const b = want.split('\n');
  const k = a.findIndex((l, i) => l !== b[i]);
  assert.deepEqual(a.slice(Math.max(0, k - 3), k + 12), b.slice(Math.max(0, k - 3), k + 12), `the release, byte for byte (line ${k + 1})`);
  assert.equal(out, want);
}

/** No error in `text` (syntax, binder, compatibility), and no deletion finding on `elements`. */
function assertRestored(text: string, baseline: Baseline, elements: string[]): void {
  const { findings, errors } = check(text, baseline);
  assert.deepEqual(errors, [], 'it parses and binds without errors');
  assert.deepEqual(findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.element}`), []);
  assert.deepEqual(findings.filter((f) => elements.includes(f.element)).map((f) => `${f.rule} ${f.element}`), []);
}

test('a deleted message comes back as released: its comment, nested enum and fields, where it was', NEEDS_CORPUS, () => {
  const released = corpusText(TAG);
  const text = replaceOnce(released, SECURITY_PROFILE.exec(released)![0], '');
  const out = restored(text, fileBaseline(released), 'MESSAGE_NO_DELETE', 'runtime.v1.SecurityProfile', `Restore message "SecurityProfile" as released in ${TAG}`);
  assertSameText(out, released);
  assertRestored(out, fileBaseline(released), ['runtime.v1.SecurityProfile', 'runtime.v1.SecurityProfile.ProfileType']);
});

test('a deleted enum comes back as released, where it was', NEEDS_CORPUS, () => {
  const released = corpusText(TAG);
  const text = replaceOnce(released, PROTOCOL, '');
  const out = restored(text, fileBaseline(released), 'ENUM_NO_DELETE', 'runtime.v1.Protocol', `Restore enum "Protocol" as released in ${TAG}`);
  assertSameText(out, released);
  assertRestored(out, fileBaseline(released), ['runtime.v1.Protocol']);
});

test('a deleted nested enum comes back into its message, above the field it was above', NEEDS_CORPUS, () => {
  const released = corpusText(TAG);
  const text = replaceOnce(released, PROFILE_TYPE.exec(released)![0], '');
  const out = restored(text, fileBaseline(released), 'ENUM_NO_DELETE', 'runtime.v1.SecurityProfile.ProfileType', `Restore enum "ProfileType" as released in ${TAG}`);
  assertSameText(out, released);
  assertRestored(out, fileBaseline(released), ['runtime.v1.SecurityProfile.ProfileType']);
});

test('a type nested in a deleted message has no restore of its own: the message\'s brings it back', NEEDS_CORPUS, () => {
  const released = corpusText(TAG);
  const text = replaceOnce(released, SECURITY_PROFILE.exec(released)![0], '');
  const { findings, bound } = check(text, fileBaseline(released));
  const nested = findings.find((f) => f.element === 'runtime.v1.SecurityProfile.ProfileType');
  assert.ok(nested);
  assert.deepEqual(computeFixes(text, bound, nested).filter((x) => x.title.startsWith('Restore')).map((x) => x.title), []);
});

test('against the bundled release index: the message and the enum come back, documented by a reminder, and parse', NEEDS_CORPUS, () => {
  const released = corpusText(TAG);
  const baseline = bundledBaseline();
  const message = restored(replaceOnce(released, SECURITY_PROFILE.exec(released)![0], ''), baseline, 'MESSAGE_NO_DELETE', 'runtime.v1.SecurityProfile',
    `Restore message "SecurityProfile" as released in ${TAG}`);
  assertRestored(message, baseline, ['runtime.v1.SecurityProfile', 'runtime.v1.SecurityProfile.ProfileType']);
  // Between the messages the release had around it; the enum before the fields, with the values in order.
  assert.match(message, /\n    string seccomp_profile_path = 7 \[deprecated=true\];\n}\n\nmessage SecurityProfile \{\n    enum ProfileType \{\n[^]*?        RuntimeDefault = 0;\n[^]*?    \/\/ TODO: document it again; the release said, in the words that carry meaning: ProfileType, should\.\n    ProfileType profile_type = 1;\n[^]*?    string localhost_ref = 2;\n}\n\n\/\/ LinuxPodSandboxConfig holds/);
  const e = restored(replaceOnce(released, PROTOCOL, ''), baseline, 'ENUM_NO_DELETE', 'runtime.v1.Protocol', `Restore enum "Protocol" as released in ${TAG}`);
  assertRestored(e, baseline, ['runtime.v1.Protocol']);
  assert.ok(e.includes('enum Protocol {\n    TCP = 0;\n    UDP = 1;\n    SCTP = 2;\n}\n'), e.slice(e.indexOf('enum Protocol') - 200, e.indexOf('enum Protocol') + 100));
});

// A release as it could have been: SecurityProfile deprecated, with reserved numbers and a name, an enum with
// aliases and a oneof; each comes back as released.
const RICH = `// A security profile which can be used for sandboxes and containers.
message SecurityProfile {
    option deprecated = true;
    reserved 3, 10 to max;
    reserved "old_ref";
    // Available profile types.
    enum ProfileType {
        option allow_alias = true;
        reserved 5 to 7;
        // The container runtime default profile should be used.
        RuntimeDefault = 0;
        // The same, by another name.
        Default = 0 [deprecated = true];
        // Disable the feature for the sandbox or the container.
        Unconfined = 1;
        // A pre-defined profile on the node should be used.
        Localhost = 2;
    }
    // Indicator which \`ProfileType\` should be applied.
    ProfileType profile_type = 1;
    // Where the profile is.
    oneof source {
        // The path of a pre-defined profile on the node.
        string localhost_ref = 2;
        // The profile itself.
        bytes inline = 4 [deprecated = true];
    }
    // Labels of the profile.
    map<string, Int64Value> weights = 5;
}

`;

test('a deleted message with options, reserved ranges and names, aliases and a oneof comes back as released', NEEDS_CORPUS, () => {
  const released = replaceOnce(corpusText(TAG), SECURITY_PROFILE.exec(corpusText(TAG))![0], RICH);
  assert.deepEqual(check(released, fileBaseline(released)).errors, [], 'the release as it could have been is valid');
  const text = replaceOnce(released, RICH, '');
  const out = restored(text, fileBaseline(released), 'MESSAGE_NO_DELETE', 'runtime.v1.SecurityProfile', `Restore message "SecurityProfile" as released in ${TAG}`);
  assertSameText(out, released);
  assertRestored(out, fileBaseline(released), ['runtime.v1.SecurityProfile']);
});
