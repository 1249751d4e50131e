// Every rule as data (the vscode-css-languageservice `lintRules` pattern): id, category, default severity,
// one line, and the long explanation shown in hovers and the report. The explanations are written for
// this project; they paraphrase the Kubernetes policy and link to it rather than quoting it.

import type { Severity } from '../proto/binder';
import type { Category } from './finding';

import { CRI_DEV_POLICY_URL, CRI_SKEW_POLICY_URL, PROTOBUF_SPEC_URL } from '../policy/links';
import { editDistance } from '../editDistance';

// Which page says what (kubernetes/contributor-site, content/en/docs/code/): the skew policy has the skew window,
// graceful degradation, patch releases, and its "Designing new CRI APIs" advice (behaviour, expectations and call
// sequence documented in the proto; the simplest design; a field reused only where its meaning allows) with the
// critest advice; the feature development page has the runtimes' implementations, discoverability through explicit
// API and failing fast while a feature is adopted. So the DOC rules and FIELD_MEANING_CHANGED link the skew policy.
const LINKS = {
  skew: CRI_SKEW_POLICY_URL,
  devPolicies: CRI_DEV_POLICY_URL,
  protoUpdating: 'https://protobuf.dev/programming-guides/proto3/#updating',
  protoJson: 'https://protobuf.dev/programming-guides/json/',
  protoPresence: 'https://protobuf.dev/programming-guides/field_presence/',
  // The proto3 guide's #updating says nothing of open and closed enums; this page is about exactly that.
  protoEnum: 'https://protobuf.dev/programming-guides/enum/',
} as const;

export interface Rule {
  id: string;
  category: Category;
  severity: Severity;
  /** Does a finding of this rule break a released client or server? */
  breaking: boolean;
  title: string;
  explanation: string;
  /** The page that explains the policy behind the rule; none where no upstream page does (the suppression rules). */
  link?: string;
  /** For a breaking rule, what breaks (by its category): "Explain Rule…" says it. */
  breaks?: string;
}

/**
 * What a breaking change of each category breaks. Only the wire (and a changed meaning) reaches running kubelets and
 * runtimes; JSON and Go source changes break tools and builds, and the peers keep talking.
 */
const PEERS = 'kubelets and runtimes built from a released cri-api';
const BREAKS: Record<Category, string> = {
  WIRE: PEERS,
  SEMANTIC: PEERS,
  POLICY: PEERS,
  DOCS: PEERS,
  JSON: 'JSON and YAML that tools of a released cri-api write or read (crictl output, saved configs)',
  GO_SOURCE: 'Go code built against a released k8s.io/cri-api',
};

/** Why the rules matter: each explanation that starts with it ends with it (rule()). */
export const SKEW =
  'Kubelets and runtimes on a node are upgraded separately, and a kubelet 1.K must keep working with runtimes ' +
  'built from cri-api v0.(K-3) through v0.(K+3). Inside one API major version (runtime.v1, and runtime.v1alpha2 ' +
  'until Kubernetes 1.26 removed it) every change therefore has to work in both directions: an old kubelet ' +
  'talking to a new runtime, and a new kubelet talking to an old one.';

/** `link`: null for a rule no upstream page explains. */
function rule(id: string, category: Category, severity: Severity, breaking: boolean, title: string, explanation: string, link: string | null = LINKS.skew): Rule {
  // What this rule is about comes first; the skew policy that makes it matter follows as context.
  if (explanation.startsWith(SKEW)) explanation = `${explanation.slice(SKEW.length).trim()}\n\n${SKEW}`;
  return { id, category, severity, breaking, title, explanation, ...(link ? { link } : {}), ...(breaking ? { breaks: BREAKS[category] } : {}) };
}

export const RULES: readonly Rule[] = [
  // ---- wire ----------------------------------------------------------------------------------------
  rule('FIELD_NO_DELETE', 'WIRE', 'error', true, 'A field was deleted without reserving its number',
    `${SKEW} A runtime built from an older cri-api still sends and expects this field number. Once the number is free, a later ` +
    'change can give it to a new field, and the old runtime\'s bytes are then read as something else. Reserve the number and the ' +
    'name (`reserved N; reserved "name";`), or better, keep the field and mark it deprecated until no supported kubelet or runtime uses it.',
    LINKS.protoUpdating),
  rule('FIELD_NO_DELETE_UNLESS_NAME_RESERVED', 'JSON', 'warning', true, 'A field was deleted and its number reserved, but not its name',
    'crictl and other tools read and write CRI messages as JSON or YAML, where the field name is the key. If the name is not reserved, ' +
    'a later field may take it with another number and type, and saved JSON from older tools is then read into the wrong field.',
    LINKS.protoJson),
  rule('FIELD_REMOVED_WITHOUT_DEPRECATION', 'POLICY', 'warning', true, 'A field was removed that the baseline had not deprecated',
    `${SKEW} Removing a field, even with its number reserved, silently drops a feature that older kubelets still send or older runtimes ` +
    'still report. The field should first be marked `[deprecated = true]` with a note on what replaces it, and only removed once every ' +
    'kubelet and runtime inside the skew window has stopped relying on it.'),
  rule('FIELD_NUMBER_CHANGED', 'WIRE', 'error', true, 'A field kept its name but changed its number',
    `${SKEW} On the wire only the number identifies a field. A runtime built from the baseline writes the old number, a kubelet built from ` +
    'this file reads the new one, and the value is silently lost in both directions.', LINKS.protoUpdating),
  rule('FIELD_TYPE_INCOMPATIBLE', 'WIRE', 'error', true, 'A field changed to a type with another wire encoding',
    `${SKEW} The old and the new type are encoded differently, so a peer built from the other version either fails to parse the ` +
    'message or reads garbage. Add a new field with a new number instead and deprecate the old one.', LINKS.protoUpdating),
  rule('FIELD_TYPE_CHANGED', 'WIRE', 'error', true, 'A field changed to a wire-compatible type that changes its values',
    `${SKEW} The bytes still parse, but values are truncated, sign-reinterpreted or re-encoded (for example an int64 at or above 2^31 read as int32), ` +
    'JSON output changes (64-bit integers are strings in JSON), and Go code compiled against k8s.io/cri-api no longer builds. The same holds for ' +
    'a message field whose new message type has the same field numbers, with types of the same encodings (UInt64Value → Int64Value: a ' +
    'value at or above 2^63 changes sign). string and bytes share an encoding, but a proto3 parser rejects a string that is not valid ' +
    'UTF-8, so the peer that reads the field as a string fails on a message that carries other bytes: protobuf calls the two compatible ' +
    'only while the bytes are valid UTF-8.', LINKS.protoUpdating),
  rule('FIELD_LABEL_CHANGED', 'WIRE', 'error', true, 'A field changed between singular and repeated (or required)',
    `${SKEW} A reader that expects a repeated field copes with a singular writer: it takes the single value as a list of one, and ` +
    'protobuf parsers accept repeated scalars both packed and unpacked. The reader that expects a single value is the one that loses data ' +
    'when the writer sends a list: for a string or bytes field it keeps only the last element; for a message field it merges all elements ' +
    'into one message, where a scalar set in several elements keeps the last one\'s value; and repeated numeric fields (integers, floats, ' +
    'bools, enums) are packed by default in proto3, which a singular reader cannot take as its value at all. Adding or dropping ' +
    '`required` (proto2) makes one side reject messages that the other sends without the field. The Go type also changes between a value and a slice, and JSON between a value and an array.', LINKS.protoUpdating),
  rule('FIELD_PRESENCE_CHANGED', 'GO_SOURCE', 'error', true, 'A field changed between implicit and explicit presence (`optional`)',
    'The bytes parse on both sides, but generated Go code changes between a value and a pointer, so containerd, CRI-O and crictl stop compiling ' +
    'against the new k8s.io/cri-api, and code that checked for the zero value now has to check for nil. The meaning of a zero value changes ' +
    'too: a peer with implicit presence never sends one, so a peer that checks presence reads "not set" where zero was meant, and JSON ' +
    'writes a zero value that was set only with explicit presence. Keep the presence the baseline had.', LINKS.protoPresence),
  rule('FIELD_ONEOF_CHANGED', 'WIRE', 'error', true, 'A field moved into, out of, or between oneofs',
    `${SKEW} Members of a oneof clear each other when parsed. A peer with the other layout can drop values it did not expect to be ` +
    'exclusive, and the generated Go code changes shape completely.', LINKS.protoUpdating),
  rule('FIELD_ONEOF_GO_CHANGED', 'GO_SOURCE', 'error', true, 'A single released field moved into a new oneof, or a oneof was renamed',
    'On the wire and in JSON a oneof member is an ordinary field, and the oneof\'s name appears in neither: moving a single field into ' +
    'a new oneof is binary compatible, and renaming a oneof changes no bytes. protoc-gen-go, however, generates a oneof as one struct ' +
    'field named after the oneof, holding an interface (isMessage_Oneof) that a wrapper type per member (Message_Field) implements. ' +
    'Code in containerd, CRI-O or crictl that sets or reads the field directly, or names the oneof, stops compiling against the new ' +
    'k8s.io/cri-api. A field without `optional` also gains presence as a oneof member: a zero value that an older peer leaves out reads as ' +
    'unset. Keep the field outside the oneof, or the oneof\'s name.', LINKS.protoUpdating),
  rule('FIELD_PACKED_CHANGED', 'WIRE', 'warning', true, 'A repeated scalar field changed its packed encoding',
    'Current protobuf parsers accept both packed and unpacked encodings, but older or hand-written parsers may not. Keep the encoding the baseline had.',
    LINKS.protoUpdating),
  rule('FIELD_UTF8_VALIDATION_CHANGED', 'WIRE', 'error', true, 'A string field changed between checking UTF-8 (VERIFY) and not (NONE)',
    `${SKEW} A parser that verifies strings fails on the whole message when a string field holds bytes that are not valid UTF-8; ` +
    'one that does not takes them as they are. proto3 verifies, proto2 does not, and an editions file verifies unless ' +
    '`features.utf8_validation = NONE` applies to the field (set on the file or the field). When the two versions ' +
    'disagree, the side that does not verify may send a value, such as a path or a label copied from elsewhere, that the side that ' +
    'verifies rejects, and the RPC fails instead of carrying it. Keep the validation the baseline had.', LINKS.protoUpdating),
  rule('ENUM_OPEN_CLOSED_CHANGED', 'WIRE', 'error', true, 'An enum changed between open and closed',
    `${SKEW} The two kinds treat a number they have no value for differently. An open enum (proto3's, and an editions file's by default) ` +
    'keeps it in the field, where code can see it and pass it on. A closed enum (proto2\'s, and an editions file\'s with ' +
    '`features.enum_type = CLOSED`) moves it into the message\'s unknown fields: the field reads as unset (or its default), and a ' +
    'repeated field loses the element. A value added in a later version is such a number for every peer built before it, so after ' +
    'the change a peer of one version sees an unknown value where a peer of the other sees nothing. Keep the enum as open or closed as the baseline had it.',
    LINKS.protoEnum),
  rule('ENUM_VALUE_NO_DELETE', 'WIRE', 'error', true, 'An enum value was deleted without reserving its number',
    `${SKEW} Peers built from the baseline still send this number. Without a reservation a later value can take it and change what old peers mean.`,
    LINKS.protoUpdating),
  rule('ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED', 'JSON', 'warning', true, 'An enum value was deleted and its number reserved, but not its name',
    'JSON and YAML carry enum values by name. If the name is free, a later value may take it with another number, and saved JSON from older ' +
    'tools then means something else.', LINKS.protoJson),
  rule('ENUM_VALUE_REMOVED_WITHOUT_DEPRECATION', 'POLICY', 'warning', true, 'An enum value was removed that the baseline had not deprecated',
    `${SKEW} Removing an enum value, even with its number and name reserved, removes the Go constant generated for it ` +
    '(NamespaceMode_CONTAINER for CONTAINER of NamespaceMode), so containerd, CRI-O and crictl code that uses it stops compiling against the ' +
    'new k8s.io/cri-api, and silently drops a value that older kubelets still send or older runtimes still report: a peer built from this ' +
    'file receives its number without a name for it. The value should first be marked `[deprecated = true]` with a note on what replaces ' +
    'it, and only removed once every kubelet and runtime inside the skew window has stopped relying on it.'),
  rule('ENUM_VALUE_NUMBER_CHANGED', 'WIRE', 'error', true, 'An enum value kept its name but changed its number',
    `${SKEW} On the wire an enum value is its number; peers built from the other version interpret the value differently.`, LINKS.protoUpdating),
  rule('MESSAGE_NO_DELETE', 'WIRE', 'error', true, 'A message that released RPCs use was deleted',
    `${SKEW} The message is reachable from an RPC of the baseline, so kubelets and runtimes inside the skew window still send it. Deleting ` +
    'it breaks the RPC for them and breaks every Go program that uses the type.'),
  rule('ENUM_NO_DELETE', 'WIRE', 'error', true, 'An enum that released RPCs use was deleted',
    `${SKEW} The enum is reachable from an RPC of the baseline, so its values are still exchanged by peers inside the skew window.`),
  rule('RPC_NO_DELETE', 'WIRE', 'error', true, 'An RPC was deleted or renamed',
    `${SKEW} A kubelet built from the baseline calls this method by its full name; a runtime built from this file answers \`Unimplemented\`, ` +
    'and the kubelet fails where it used to work. Renaming is deleting for gRPC. Deprecate the RPC and keep serving it instead.'),
  rule('SERVICE_NO_DELETE', 'WIRE', 'error', true, 'A service was deleted or renamed',
    `${SKEW} Every RPC of the service is addressed as /package.Service/Method; removing or renaming the service breaks all of them for older peers.`),
  rule('RPC_SIGNATURE_CHANGED', 'WIRE', 'error', true, 'An RPC changed its request or response type',
    `${SKEW} Peers built from the baseline encode the old message; the receiver parses it as the new one and sees unrelated fields or none.`),
  rule('RPC_STREAMING_CHANGED', 'WIRE', 'error', true, 'An RPC changed between unary and streaming',
    `${SKEW} Unary and streaming calls use different gRPC call shapes; a peer built from the other version cannot complete the call.`),
  rule('PACKAGE_CHANGED', 'WIRE', 'error', true, 'The package changed',
    `${SKEW} The package is part of every RPC path and every message's full name. A new package is a new API major version ` +
    '(as runtime.v1 replaced runtime.v1alpha2), which the kubelet must negotiate explicitly.'),
  rule('RESERVED_REMOVED', 'WIRE', 'error', true, 'A reserved number or name is no longer reserved',
    `${SKEW} Reservations record numbers and names that released versions used. Dropping one lets a future change reuse it with another meaning.`,
    LINKS.protoUpdating),
  // ---- JSON and Go source ----------------------------------------------------------------------------
  rule('FIELD_RENAMED', 'JSON', 'error', true, 'A field kept its number but changed its name',
    'The wire encoding is unchanged, but crictl prints and parses CRI messages as JSON/YAML keyed by field name, and Go code that uses the ' +
    'generated field stops compiling. JSON parsers accept the proto field name as a key besides the JSON name, so even a rename that keeps ' +
    'the JSON name (with json_name, or a change of case only such as foo_bar → fooBar, which also keeps the Go name FooBar) breaks documents ' +
    'keyed by the old name. Keep the name; if the meaning changed, add a new field.', LINKS.protoJson),
  rule('FIELD_JSON_NAME_CHANGED', 'JSON', 'error', true, 'A field changed its JSON name',
    'Tools that exchange CRI messages as JSON (crictl output, saved configs) use this key; changing it makes old documents lose the value.',
    LINKS.protoJson),
  rule('ENUM_VALUE_RENAMED', 'JSON', 'error', true, 'An enum value kept its number but changed its name',
    'JSON carries enum values by name, so old JSON no longer parses, and Go constants disappear.', LINKS.protoJson),
  rule('ENUM_VALUE_JSON_NAME_CHANGED', 'JSON', 'error', true, 'Another alias of an enum number is now declared first',
    'Where several names share a number (allow_alias), JSON and the text format write the one declared first. A new alias put ' +
    'ahead of the released name, or aliases swapped, changes what a new kubelet or runtime writes, and a peer built from the ' +
    'baseline does not know the new name, so it rejects the document (crictl output, saved configs). Declare the new alias ' +
    'after the released name.',
    LINKS.protoJson),
  rule('MESSAGE_RENAMED', 'GO_SOURCE', 'error', true, 'A message or enum was renamed or moved to another scope',
    'Fields travel by number, and gRPC method paths (/runtime.v1.RuntimeService/Version) name only the service and the method, so the ' +
    'kubelet and runtimes keep talking. What breaks is everything that names the type: Go code compiled against k8s.io/cri-api uses the ' +
    'generated type, named after its scope (a type nested in a message is Outer_Inner), and, for a top-level enum, constants prefixed with ' +
    'its name (those of an enum nested in a message are prefixed with the message\'s name); a `google.protobuf.Any` type URL carries the ' +
    'full message name, and the JSON form of such an Any names it in "@type". Keep the old name and place.'),
  rule('TYPE_NO_DELETE', 'GO_SOURCE', 'warning', true, 'A message or enum that no released RPC uses was deleted',
    'No RPC of the baseline reaches it, so the wire is unaffected, but Go programs that use the type stop compiling against the new k8s.io/cri-api.'),
  rule('GO_PACKAGE_CHANGED', 'GO_SOURCE', 'error', true, 'The go_package file option changed or was removed',
    'The option decides where the generated Go code lives and what its package is called. containerd, CRI-O and crictl import ' +
    'k8s.io/cri-api/pkg/apis/runtime/v1 by that path and refer to its types through that package name, so a new import path or ' +
    'package name makes their builds fail until every import is rewritten, although nothing changes on the wire. Keep the option ' +
    'as the baseline has it; without it protoc-gen-go does not know the import path at all. (Releases before v0.24 gave only the package name, "v1"; where either side does, only the names are compared.)'),
  // ---- reuse ---------------------------------------------------------------------------------------
  rule('FIELD_NUMBER_REUSED', 'WIRE', 'error', true, 'A field number of the baseline now belongs to a different field',
    `${SKEW} A runtime built from the baseline still sends the old field under this number; a kubelet built from this file reads it as ` +
    'the new field (and the other way round). Use a number that no release has used.', LINKS.protoUpdating),
  rule('FIELD_NUMBER_REUSED_HISTORY', 'WIRE', 'error', true, 'A field number that an earlier release used is used again',
    `${SKEW} Runtimes and tools built from that earlier release may still be deployed (and saved binary payloads may exist). ` +
    'Their bytes for the old field would be read as the new one. The number should have been reserved when the old field was removed.',
    LINKS.protoUpdating),
  rule('FIELD_NAME_REUSED_HISTORY', 'JSON', 'warning', true, 'A field name that an earlier release used with another number is used again',
    'JSON and YAML written by tools of that release carry the old field under this key; it would now be read into the new field.', LINKS.protoJson),
  rule('ENUM_VALUE_NUMBER_REUSED', 'WIRE', 'error', true, 'An enum number that the baseline or an earlier release gave another value now has a new name',
    `${SKEW} Peers built from the release that used the number mean the old value when they send it.`, LINKS.protoUpdating),
  rule('FIELD_MEANING_CHANGED', 'SEMANTIC', 'warning', true, 'A field kept its number and name but its type or label and its documentation changed',
    'The skew policy\'s advice on designing new CRI APIs allows reusing an existing field only where its logical meaning stays the ' +
    'same. A changed type or label together with rewritten documentation usually means the field now means something else, which ' +
    'peers inside the skew window cannot know.',
    LINKS.skew),
  // ---- documentation and call sequence ---------------------------------------------------------------
  rule('DOC_MISSING', 'DOCS', 'warning', false, 'A new element has no documentation of its own',
    'The skew policy\'s advice on designing new CRI APIs asks that they document in the proto itself what they do and what a runtime ' +
    'may expect, because runtime authors implement CRI from this file. Write a comment directly above the element. A comment that is only ' +
    'a placeholder (TODO, TBD) or restates the name, in any order or inflection ("Pauses the pod sandbox." above PodSandboxPause), or an ' +
    'RPC comment copied from another RPC, documents nothing. An RPC\'s request and response messages need none of their own while every ' +
    'RPC that uses them is documented.', LINKS.skew),
  rule('DOC_STUB_UNFINISHED', 'DOCS', 'information', false, 'A documentation stub still has TODO placeholders',
    'The inserted stub lists what the policy wants documented; replace every TODO with the actual behaviour before the change is released.',
    LINKS.skew),
  rule('RPC_CALL_SEQUENCE_UNDOCUMENTED', 'DOCS', 'warning', false, 'A new RPC does not say when the kubelet calls it',
    'Runtimes may rely on the order of the kubelet\'s calls, so the order is part of the contract. Name the RPCs this one is called before ' +
    'or after (for example "called after CreateContainer"), say when it is called ("called after the kubelet reconfigures the cgroups", ' +
    '"once at startup"), or state that it has no ordering constraint.', LINKS.skew),
  rule('RPC_FALLBACK_UNDOCUMENTED', 'DOCS', 'warning', false, 'A new RPC does not say how an older runtime without it is detected',
    // One link, to the feature development page: the advice of the skew policy says where it comes from.
    `${SKEW} Runtimes up to three minor versions older do not implement a new RPC and answer \`Unimplemented\`. From the skew policy: ` +
    'the feature has to degrade gracefully there, so the documentation should say what the kubelet does then, such as fall back to ' +
    'the old behaviour or treat the call as best effort. From the feature development page (linked): if the feature depends on what ' +
    'the runtime can do, say which explicit API (the runtime\'s status or features, surfaced in the Pod or Node API) tells the kubelet ' +
    'in advance whether it is supported; and while the feature is being adopted, a use of it on a runtime without it should fail as ' +
    'early as possible, with a clear error rather than half done.', LINKS.devPolicies),
  rule('FIELD_DEGRADATION_UNDOCUMENTED', 'POLICY', 'hint', false, 'A new request field does not say what happens when a runtime ignores it',
    `${SKEW} Older runtimes drop unknown fields without an error, so a kubelet cannot tell that a new request field was ignored. ` +
    'Document what a runtime that ignores it does, and how the kubelet learns whether the runtime supports it: through explicit API, such as ' +
    'a field of the runtime status or a runtime handler feature, surfaced in the Pod or Node API. Failing fast is a separate matter: while ' +
    'the feature is being adopted, a pod that asks for it on a runtime that lacks it should fail as early as possible instead of running without it.',
    LINKS.devPolicies),
  rule('ENUM_VALUE_DEGRADATION_UNDOCUMENTED', 'POLICY', 'hint', false, 'A value added to a request enum does not say what a runtime that does not know it does',
    `${SKEW} proto3 enums are open: a runtime older than the value receives its number without an error and without a ` +
    'name for it, and does whatever its code does with an unknown value (treat it as the default, reject the request, or ' +
    'ignore the setting). Document what such a runtime does, and how the kubelet learns whether the runtime supports the ' +
    'value: through explicit API, such as a field of the runtime status or a runtime handler feature, surfaced in the Pod or Node API.',
    LINKS.devPolicies),
  rule('DOC_MEANING_CHANGED', 'SEMANTIC', 'warning', true, 'The documentation of an existing element changed words that carry meaning',
    'Changing the expected value format, units, allowed values or call order of an existing element breaks peers even though the bytes ' +
    'still parse, and no wire check can see it. Review whether the change only clarifies, or changes what peers must do.', LINKS.skew),
  // ---- policy --------------------------------------------------------------------------------------
  rule('PATCH_RELEASE_API_CHANGE', 'POLICY', 'warning', false, 'The API changed in a patch release',
    'API changes belong in the first release of a minor line (v0.N.0, with its alpha/beta/rc tags). Patch releases (v0.N.M with M > 0, ' +
    'and their pre-releases such as v0.N.M-rc.0) should not change the API, because users pick them up as bug fixes.',
    LINKS.skew),
  rule('SUPPRESSION_WITHOUT_REASON', 'POLICY', 'warning', false, 'A cri-compat:ignore comment gives no reason',
    'Suppressions stay in the file for every later reviewer; write why the finding does not apply after the rule id.',
    // cri-compat's own comments: no Kubernetes policy page says anything of them.
    null),
  rule('SUPPRESSION_UNUSED', 'POLICY', 'warning', false, 'A cri-compat:ignore comment suppresses nothing',
    'The rule it names does not report anything on the element below it (any more). Remove the comment so it does not hide a future finding.',
    null),
];

export const RULES_BY_ID = new Map(RULES.map((r) => [r.id, r]));

/**
 * The rule id (or one of `others`, e.g. the categories) that a name which is none most likely meant, for a typo's
 * message: the same name in another case, else the nearest within a third of its length (at least 2 edits).
 */
export function meantRuleId(name: string, others: readonly string[] = []): string | undefined {
  const upper = name.toUpperCase();
  const names = [...others, ...RULES_BY_ID.keys()];
  if (names.includes(upper)) return upper;
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: { id: string; d: number } | undefined;
  for (const id of names) {
    const d = editDistance(upper, id, limit);
    if (d <= limit && (!best || d < best.d)) best = { id, d };
  }
  return best?.id;
}

/**
 * The page a finding or problem with this id links to, wherever it is shown (hover, diagnostic, report, SARIF,
 * JSON), so that they never send a reader to different pages: its rule's page (none for the suppression rules,
 * which no upstream page covers), and for an id that is no rule (a syntax or binding problem, which protoc
 * reports too) the protobuf language specification.
 */
export function ruleHelpLink(id: string): string | undefined {
  const r = RULES_BY_ID.get(id);
  return r ? r.link : PROTOBUF_SPEC_URL;
}

export function getRule(id: string): Rule {
  const r = RULES_BY_ID.get(id);
  if (!r) throw new Error(`unknown rule ${id}`);
  return r;
}
