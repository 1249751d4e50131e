// Documentation and call-sequence rules: new elements must say what they do, new RPCs when the kubelet
// calls them and how an older runtime is detected, and existing docs must not silently change meaning.

import type { Comments, OptionNode, Range } from '../proto/ast';
import { isTrue } from '../proto/aggregate';
import { ModelIndex, indexModel, jsonNameOf, rpcNames, type ApiModel, type EnumValueDef, type FieldDef, type RpcDef } from '../proto/model';
import type { Addition } from '../compat/compare';
import { goCamelCase } from '../proto/goNames';
import type { Finding, FixData } from '../compat/finding';
import { getRule } from '../compat/rules';
import { ALTERNATIVE_WORDS, fingerprintDoc, normalizeDoc, ordersRelativeToRpc, type DocFingerprint } from './fingerprint';
import { SUPPRESSION_MARKER, isPlaceholderReason } from '../compat/suppress';

/** Documentation that says an RPC has no ordering constraint. */
export const NO_ORDER = /\b(no|without( any)?) (ordering|order|sequence) (constraint|requirement|dependenc)|\bat any time\b|\bin any order\b|\bindependent(ly)? of (the )?(other )?(calls|rpcs|requests)\b/i;
/** Within one clause: no sentence or clause punctuation in between. */
const CLAUSE_GAP = String.raw`[^,.;:!?]{0,60}?`;
/** A point of the kubelet's or the node's life: "at startup", "after kubelet startup", "during node boot". */
const LIFE_POINT = String.raw`\b(?:at|on|after|during|upon)\s+(?:the\s+)?(?:kubelet(?:'s)?\s+|node\s+)?(?:startup|start-up|restart|boot)\b`;
/**
 * Words that say the RPC is called: passive ("called", "requested"), or with the kubelet as subject ("the kubelet
 * calls this", "the Kubelet will not re-request …"). A point of life said of something else ("returns the
 * status after restart", "the sandbox created at boot", "static at startup") is not when the RPC is called.
 */
const CALLING = String.raw`(?:\b(?:called|invoked|requested|queried|polled|fetched)\b|\bkubelets?\s+(?:(?:will|would|does|do|only|not|also|first|then|always|never|just)\s+){0,3}(?:re-?)?(?:calls?|invokes?|requests?|quer(?:y|ies)|polls?|fetch(?:es)?)\b|\bcalls\s+(?:it|this)\b)`;
/**
 * Documentation that says when the kubelet calls an RPC without naming another one: relative to an event
 * ("called _after_ the Kubelet reconfigures the cgroups"), or at a point of its life in the same clause as the
 * call ("called at startup", "the Kubelet will not re-request it after startup", "at kubelet startup, the
 * kubelet calls …").
 */
export const CALLED_WHEN = new RegExp([
  String.raw`\b(?:called|invoked|calls\s+(?:it|this))\s+(?:only\s+)?[_*]*(?:after|before|once|when|whenever|until|during|upon|prior\s+to)(?![A-Za-z])`,
  String.raw`${CALLING}${CLAUSE_GAP}${LIFE_POINT}`,
  String.raw`${LIFE_POINT}\s*,?${CLAUSE_GAP}${CALLING}`,
].join('|'), 'i');
/** Documentation that says how an older runtime without an RPC is detected, or that the call may fail harmlessly. */
export const FALLBACK = /\bunimplemented\b|\bnot\s+implemented\b|\bfails?\s+fast\b|\bolder\s+runtimes?\b|\bruntimes?\s+(that|which)\s+(do(es)?\s+not|don't)\s+(support|implement)|\bunsupported\b|\bfalls?\s+back\b|\bfallback\b|\bbest[-\s]effort\b/i;
// What a field's documentation must say for FIELD_DEGRADATION_UNDOCUMENTED, in two parts that the field stub
// (fixes.ts) asks separately. Words like "empty", "default" or "nil" alone say nothing of it ("the default
// container", "an empty list of mounts", "host_path should be unset"): they count only in a statement about the
// field being left out or ignored. For proto3's implicit presence, 0 and false are what an unset field reads as.
/** Words that say the field is left out; `not empty`, `non-nil` and the like say the opposite. */
const ABSENT = String.raw`(?:not\s+(?:set|specified|provided|present|given|populated|configured|supplied)|(?<!\bnot\s|\bnon-)(?:unset|unspecified|empty|nil|null|omitted|missing|absent|zero|blank))`;
/** 0 and false as a field's value ("is 0", "set to false"), not any 0 ("exits with code 0"). */
const ABSENT_VALUE = String.raw`(?:is|are|be|to|equals?)\s+(?:0|false)`;
/**
 * A condition on something left out ("if unset", "when the list is empty", "if UID is not set"); group 1 is
 * what stands between, whose subject says which field the condition is about (see isAboutField).
 */
const ABSENT_CONDITION = new RegExp(String.raw`\b(?:if|when|whenever|where|unless)\b(${CLAUSE_GAP})\b(?:${ABSENT}|${ABSENT_VALUE})(?![\w-])`, 'gi');
/**
 * What else says what the field left out means: "unless it is set", the absent value as a subject ("nil is
 * treated as false", "an empty string would select …", "0 means no limit"), a default ("Default: 0", "defaults
 * to Merge", "Merge is the default", "by default"), or the stub's "Unset:" answer.
 */
const UNSET_MEANING = new RegExp([
  String.raw`\bunless\s+(?:it\s+is\s+|this\s+is\s+)?(?:set|specified|provided|given)\b`,
  String.raw`(?<![\w-])(?:${ABSENT}|0|false)(?:\s+(?:value|values|string|list|map|field|struct|array|set))?(?:\s+\([^()]{0,40}\))?\s+` +
    String.raw`(?:(?:is|are|would|will|shall|should|must|can|may)\s+)?(?:(?:just|simply|always|then|also|be)\s+)*` +
    String.raw`(?:means?|treated|interpreted|handled|taken|select(?:s|ed)?|impl(?:y|ies)|disables?|defaults?|uses?|equivalent|behaves?|indicates?|signals?|denotes?|represents?|stands\s+for)\b`,
  String.raw`\bdefaults?\s*(?::|=|\bto\b|\bis\b|\bare\b|\bvalue\s+is\b)`,
  String.raw`(?:^|[.;!?]\s+)defaults?\s*(?:\(|\d|"|nil\b|null\b|false\b|true\b|none\b|empty\b)`,
  String.raw`\b(?:is|are|as)\s+the\s+default(?=\s*(?:[.,;:)]|$))`,
  String.raw`\bby\s+default\b`,
  String.raw`(?:^|\n)\s*(?:unset|empty|default)\s*:`,
].join('|'), 'i');
/** Words between a condition's "if" and its "unset" that are no subject: "is explicitly set to 0", "is left empty". */
const CONDITION_VERBS = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'gets', 'get', 'left', 'kept', 'set', 'explicitly', 'also', 'still', 'either', 'remains', 'stays', 'below', 'above']);
const ARTICLES = new Set(['the', 'this', 'that', 'its']);
/** Subjects that are the field whatever its name: "if it is unset", "when this field is empty", "if the list is empty". */
const SELF_SUBJECTS = new Set(['', 'it', 'this', 'field', 'value', 'values', 'list', 'map', 'string', 'struct', 'array', 'slice', 'entry', 'entries', 'number', 'option', 'setting']);

/**
 * The names a condition may use for field `name`, in lower case: as in the proto, its JSON and Go names, and
 * its last word, the noun it is named for ("If the CIDR is empty" above pod_cidr).
 */
function fieldSubjects(name: string): ReadonlySet<string> {
  return new Set([name, jsonNameOf(name), goCamelCase(name), name.slice(name.lastIndexOf('_') + 1)].map((n) => n.toLowerCase()));
}

/**
 * Whether the words between a condition's keyword and its word of absence make it a condition on this field: no
 * subject ("If unset"), the field in other words ("it", "this field", "the list"), or its name ("If
 * `host_path` is empty" above host_path; above another field, that field's emptiness says nothing of this one).
 */
function isAboutField(between: string, names: ReadonlySet<string>): boolean {
  const words = between.toLowerCase().replace(/`/g, ' ').split(/\s+/).filter(Boolean);
  while (words.length && CONDITION_VERBS.has(words[words.length - 1]!)) words.pop();
  if (words.length > 1 && ARTICLES.has(words[0]!)) words.shift();
  if (words.length > 1 && words[words.length - 1] === 'field') words.pop();
  if (words.length > 1) return false;
  const subject = words[0] ?? '';
  return SELF_SUBJECTS.has(subject) || names.has(subject);
}

/** Whether joined lines say what field `name` left out means (see statesUnsetMeaning). */
function unsetMeaningIn(flat: string, name: string): boolean {
  if (UNSET_MEANING.test(flat)) return true;
  let names: ReadonlySet<string> | undefined;
  for (const m of flat.matchAll(ABSENT_CONDITION)) if (isAboutField(m[1]!, (names ??= fieldSubjects(name)))) return true;
  return false;
}
/**
 * What a runtime that does not know or support the field does: older runtimes or kubelets named, a runtime
 * that does not support it, a condition on support, a fallback or degradation, "ignored" said of a runtime or
 * of support (not "ignored on Windows" or "ignored if privileged"), or the stub's "Older runtimes:" answer.
 */
const IGNORED_BEHAVIOUR = new RegExp([
  String.raw`\bolder\s+(?:cri\s+)?(?:runtimes?|kubelets?|versions?|releases?|implementations?)\b`,
  String.raw`\b(?:backwards?|forwards?)[\s-]+compatib`,
  String.raw`\bpredat(?:e|es|ed|ing)\b`,
  String.raw`\b(?:runtimes?|implementations?)\s+(?:that|which)\s+(?:do(?:es)?\s+not|don't|doesn't|cannot|can't)\s+(?:support|implement|know|recogni[sz]e|understand|handle)`,
  String.raw`\b(?:if|when|where)\b${CLAUSE_GAP}\b(?:not\s+supported|unsupported|(?:does\s+not|doesn't|do\s+not|don't|cannot|can't)\s+support)\b`,
  String.raw`\b(?:runtimes?(?!\s+(?:handlers?|class))|kubelets?)\b[^.;!?]{0,40}\b(?:ignor(?:e|es|ed|ing)|not\s+supported|unsupported)\b`,
  String.raw`\b(?:ignor(?:e|es|ed|ing)|not\s+supported|unsupported)\b[^.;!?]{0,40}\b(?:runtimes?|kubelets?|support(?:s|ed)?)\b`,
  String.raw`\bfalls?\s+back\b|\bfallback\b|\bdegrad`,
  String.raw`(?:^|\n)\s*older\s+runtimes?\s*:`,
].join('|'), 'i');

/** The stub's answers that the rules above look for at the start of a line (`(?:^|\n)\s*unset\s*:`). */
const LINE_ANSWERS = String.raw`unset|empty|default|older\s+runtimes?`;
const STUB_LABEL = new RegExp(String.raw`^(?:${LINE_ANSWERS})\s*:`, 'i');

/**
 * The labels that start a line of a documentation stub (the docStub fix), each line answering one rule: the
 * hover shows each on a line of its own, as the stub and its author wrote them.
 */
export const STUB_LINE_LABEL = new RegExp(String.raw`^(?:call\s+order|runtime\s+contract|tested\s+by|${LINE_ANSWERS})\s*:`, 'i');

/**
 * A comment's lines joined, so that a statement broken over two lines reads as one; a stub's answer ("Unset:
 * …", "Older runtimes: …") keeps its own line.
 */
function joinLines(doc: string): string {
  return doc.split('\n').map((l, i) => (i === 0 ? '' : STUB_LABEL.test(l.trim()) ? '\n' : ' ') + l.trim()).join('');
}

/** Whether the documentation of field `name` says what the field left out means (what a runtime that ignores it sees). */
export function statesUnsetMeaning(doc: string, name: string): boolean {
  return unsetMeaningIn(joinLines(doc), name);
}

/** Whether a field's or an enum value's documentation says what a runtime that does not know or support it does. */
export function statesIgnoredBehaviour(doc: string): boolean {
  return IGNORED_BEHAVIOUR.test(joinLines(doc));
}

/** Whether the documentation of field `name` says how the feature degrades on a runtime without it: either of the above. */
export function statesDegradation(doc: string, name: string): boolean {
  const flat = joinLines(doc);
  return unsetMeaningIn(flat, name) || IGNORED_BEHAVIOUR.test(flat);
}

/** Whether an RPC's documentation says when the kubelet calls it; `rpcNames`: every RPC of the file. */
export function statesCallOrder(doc: string, rpcNames: Iterable<string>, name: string): boolean {
  // Joined: "no ordering constraint" may be wrapped after any word, as the documentation stub wraps it.
  const flat = joinLines(doc);
  return NO_ORDER.test(flat) || CALLED_WHEN.test(flat) || ordersRelativeToRpc(flat, rpcNames, name);
}

/**
 * Whether a sentence states the call order (statesCallOrder) only by naming an RPC this one is an alternative to
 * ("an alternative to ListImages", "instead of ListContainers"): the DOC rule takes that as enough, but it does
 * not say when the kubelet makes the call, so the hover does not quote it as the call sequence.
 */
export function onlyNamesAlternative(sentence: string, rpcNames: Iterable<string>, name: string): boolean {
  return statesCallOrder(sentence, rpcNames, name) && !statesCallOrder(sentence.replace(ALTERNATIVE_WORDS, ' '), rpcNames, name);
}

/** A node's documentation as written: its leading comment, else its trailing one. */
function writtenDoc(node: { comments: Comments }): string | undefined {
  return node.comments.leading?.text ?? node.comments.trailing?.text;
}

/** A doc comment without suppression lines; leading comment, or trailing where there is none (as protoc documents). */
export function docOf(node: { comments: Comments } | undefined, fallback?: string): string | undefined {
  const raw = node ? writtenDoc(node) : fallback;
  if (raw === undefined) return undefined;
  const kept = raw.includes(SUPPRESSION_MARKER) ? raw.split('\n').filter((l) => !l.includes(SUPPRESSION_MARKER)).join('\n') : raw;
  return kept.trim() || undefined;
}

/**
 * What a new element's comment documents: nothing when it is only a placeholder (`TODO`, `FIXME`, `TBD`,
 * `XXX`, punctuation) or only restates the element's name (`// Stop signal.` above `stop_signal`, `// Pauses the
 * pod sandbox.` above `PodSandboxPause`), which say nothing a reader of the declaration does not already see.
 */
export function ownDoc(node: { comments: Comments } | undefined, name: string): string | undefined {
  const doc = docOf(node);
  if (doc === undefined) return undefined;
  return isPlaceholderReason(doc) || restatesName(doc, name) ? undefined : doc;
}

/**
 * Words a restated name may come with that add nothing to it: "Pauses the pod sandbox." says no more than
 * `PodSandboxPause`, "ID of the container." no more than `container_id`.
 */
const FILLER_WORDS = new Set(['the', 'a', 'an', 'this', 'of', 'for', 'to']);

/**
 * Whether a comment says nothing but element `name`: its letters (`// PodSandboxPause.`), or its words in any
 * order and inflection, with articles and the like around them (`// Pauses the pod sandbox.`). A comment with
 * one word more than the name says something the name does not ("Version of the kubelet runtime API.").
 */
export function restatesName(doc: string, name: string): boolean {
  const letters = (s: string): string => s.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase();
  if (letters(doc) === letters(name)) return true;
  const named = wordsOf(name);
  return named.length > 0 && named.join(' ') === wordsOf(doc).join(' ');
}

/**
 * The words of a name or a comment as a sorted multiset: split at punctuation, `_` and camel humps
 * (`PodSandboxID` is pod, sandbox, id), in lower case, without inflection and without FILLER_WORDS.
 */
function wordsOf(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+|_/u)
    .flatMap((w) => w.split(/(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u))
    .map((w) => w.toLowerCase())
    .filter((w) => w && !FILLER_WORDS.has(w))
    .map(stem)
    .sort();
}

/**
 * A word without a plural or verb ending and a final "e", so that "pauses", "paused", "pausing" and "pause" are
 * one word, as are "statuses" and "status", "entries" and "entry", "stopped" and "stop". Only ever compared with
 * words stemmed the same way: a stem need not be a word.
 */
function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (/(?:s|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 4 && /(?:ing|ed)$/.test(w)) w = w.replace(/(?:ing|ed)$/, '').replace(/([^aeioulsz])\1$/, '$1');
  return w.endsWith('e') ? w.slice(0, -1) : w;
}

/**
 * `renamed`: baseline type → new name (MESSAGE_RENAMED); a field whose type was only renamed kept its type.
 * `cur`: lookups over `current`, when the comparison has already built them.
 */
export function checkDocs(current: ApiModel, baseline: ApiModel, additions: Addition[], renamed?: ReadonlyMap<string, string>, cur = new ModelIndex(current)): Finding[] {
  const out: Finding[] = [];
  const base = indexModel(baseline);
  const add = (rule: string, range: Range, element: string, message: string, fixes?: FixData[]): void => {
    const r = getRule(rule);
    const f: Finding = { rule, category: r.category, severity: r.severity, range, element, message };
    if (fixes) f.fixes = fixes;
    out.push(f);
  };
  // One set of every RPC name, asked by each new RPC (a copy per RPC was quadratic in a file of many RPCs).
  const rpcNamesHere: ReadonlySet<string> = new Set(rpcNames(current));
  // RPCs by name per service, built on first use: a scan of the service per added RPC would be quadratic.
  const rpcsByName = new Map<string, Map<string, RpcDef>>();
  const rpcOf = (svcFqn: string, name: string): RpcDef | undefined => {
    let byName = rpcsByName.get(svcFqn);
    if (!byName) rpcsByName.set(svcFqn, (byName = firstByKey(cur.services.get(svcFqn)?.rpcs ?? [], (r) => r.name)));
    return byName.get(name);
  };
  // Fields by name per message, built on first use: a scan per added field would be quadratic.
  const fieldsByName = new Map<string, Map<string, FieldDef>>();
  const fieldOf = (msgFqn: string, name: string): FieldDef | undefined => {
    let byName = fieldsByName.get(msgFqn);
    if (!byName) fieldsByName.set(msgFqn, (byName = new Map((cur.messages.get(msgFqn)?.fields ?? []).map((x) => [x.name, x]))));
    return byName.get(name);
  };
  // Values by name per enum, built on first use, as fields above.
  const valuesByName = new Map<string, Map<string, EnumValueDef>>();
  const enumValueOf = (enumFqn: string, name: string): EnumValueDef | undefined => {
    let byName = valuesByName.get(enumFqn);
    if (!byName) valuesByName.set(enumFqn, (byName = firstByKey(cur.enums.get(enumFqn)?.values ?? [], (v) => v.name)));
    return byName.get(name);
  };
  // Types reachable from RPC requests: fields and enum values added there are sent by the kubelet to runtimes that
  // may not know them.
  const requestSide = cur.reachableFromSide('request');

  // An RPC's request and response messages are documented by the RPC's comment (upstream documents none of
  // its own), so only those of an RPC without documentation need a comment of their own. Built on first use.
  let documentedByRpcs: Map<string, boolean> | undefined;
  const isDocumentedByRpcs = (fqn: string): boolean => {
    if (!documentedByRpcs) {
      const byType = new Map<string, boolean>();
      for (const s of current.services) {
        for (const r of s.rpcs) {
          const documented = ownDoc(r.node, r.name) !== undefined;
          for (const t of [r.request, r.response]) byType.set(t, (byType.get(t) ?? true) && documented);
        }
      }
      documentedByRpcs = byType;
    }
    return documentedByRpcs.get(fqn) ?? false;
  };

  // RPC names by their documentation, built on first use.
  let rpcsByDoc: Map<string, string[]> | undefined;
  const rpcDocumentedAs = (doc: string, except: string): string | undefined => {
    if (!rpcsByDoc) {
      rpcsByDoc = new Map();
      for (const s of current.services) {
        for (const r of s.rpcs) {
          const d = docOf(r.node);
          if (d === undefined) continue;
          const key = normalizeDoc(d);
          const names = rpcsByDoc.get(key);
          if (names) names.push(r.name);
          else rpcsByDoc.set(key, [r.name]);
        }
      }
    }
    return rpcsByDoc.get(normalizeDoc(doc))?.find((n) => n !== except);
  };

  // The stub fix of an element; `reachesOlderRuntimes`: its degradation rule applies (see FixData).
  const stubFix = (kind: Extract<FixData, { kind: 'docStub' }>['element'], name: string, reachesOlderRuntimes: boolean): FixData[] =>
    [reachesOlderRuntimes ? { kind: 'docStub', element: kind, name, reachesOlderRuntimes } : { kind: 'docStub', element: kind, name }];
  const requireDoc = (kind: Addition['kind'], element: string, name: string, range: Range, node: { comments: Comments } | undefined,
    documentedElsewhere = false, reachesOlderRuntimes = false): string | undefined => {
    const doc = ownDoc(node, name);
    const label = kind === 'rpc' ? 'RPC' : kind === 'enumValue' ? 'enum value' : kind;
    if (doc && /\bTODO:/.test(doc)) add('DOC_STUB_UNFINISHED', range, element, `the documentation of new ${label} "${name}" still has TODO placeholders`);
    const what = `${label} "${name}"`;
    if (!doc && !documentedElsewhere) {
      const lacks = docOf(node) === undefined ? 'has no documentation comment' : 'has no documentation: its comment only restates its name or is a placeholder';
      add('DOC_MISSING', range, element, `new ${what} (not in ${baselineName(baseline)}) ${lacks}`, stubFix(kind, name, reachesOlderRuntimes));
    }
    return doc;
  };

  for (const a of additions) {
    const name = a.element.slice(a.element.lastIndexOf('.') + 1);
    switch (a.kind) {
      case 'message': {
        const m = cur.messages.get(a.element);
        requireDoc('message', a.element, name, a.range, m?.node, isDocumentedByRpcs(a.element));
        for (const f of m?.fields ?? []) requireDoc('field', `${a.element}.${f.name}`, f.name, f.node?.nameRange ?? a.range, f.node);
        break;
      }
      case 'field': {
        const msgFqn = a.element.slice(0, a.element.lastIndexOf('.'));
        const f = fieldOf(msgFqn, name);
        // On a released number an older runtime misreads the field rather than ignoring it: FIELD_NUMBER_REUSED says so.
        const degrades = !!f && !a.onReleasedNumber && requestSide.has(msgFqn);
        const doc = requireDoc('field', a.element, name, a.range, f?.node, false, degrades);
        if (degrades && (!doc || !statesDegradation(doc, name))) {
          add('FIELD_DEGRADATION_UNDOCUMENTED', a.range, a.element,
            `new request field "${name}" does not say what a runtime that ignores it does (runtimes older than this release drop it silently)`,
            stubFix('field', name, true));
        }
        break;
      }
      case 'enum':
        requireDoc('enum', a.element, name, a.range, cur.enums.get(a.element)?.node);
        break;
      case 'enumValue': {
        // A value added to a released enum: the enum's comment was written before it and cannot say what it
        // means, and a runtime has to know what to do when the kubelet sends it. (The values of a new enum
        // are no additions of their own: the enum's comment, written with them, documents them.)
        const enumFqn = a.element.slice(0, a.element.lastIndexOf('.'));
        // proto3 enums are open: a runtime older than the value reads the number the kubelet sends as one it has
        // no name for, and does whatever its code does with an unknown value. Nothing is left out, so only what
        // such a runtime does (and how the kubelet copes) answers it, not what "unset" means. On a released number
        // it reads the released value instead: ENUM_VALUE_NUMBER_REUSED says so, as for fields.
        const degrades = !a.onReleasedNumber && requestSide.has(enumFqn);
        const doc = requireDoc('enumValue', a.element, name, a.range, enumValueOf(enumFqn, name)?.node, false, degrades);
        if (degrades && (!doc || !statesIgnoredBehaviour(doc))) {
          add('ENUM_VALUE_DEGRADATION_UNDOCUMENTED', a.range, a.element,
            `new value "${name}" of a request enum does not say what a runtime that does not know it does (runtimes older than this release read it as an unnamed number)`,
            stubFix('enumValue', name, true));
        }
        break;
      }
      case 'service':
        requireDoc('service', a.element, name, a.range, cur.services.get(a.element)?.node);
        break;
      case 'rpc': {
        const rpc = rpcOf(a.element.slice(0, a.element.lastIndexOf('.')), name);
        const doc = requireDoc('rpc', a.element, name, a.range, rpc?.node);
        if (!doc) break;
        // A comment copied from another RPC documents that one, and its name would pass for a call order.
        const copiedFrom = rpcDocumentedAs(doc, name);
        if (copiedFrom) {
          add('DOC_MISSING', a.range, a.element, `new RPC "${name}" (not in ${baselineName(baseline)}) has no documentation of its own: its comment is the one of RPC "${copiedFrom}"`,
            [{ kind: 'docStub', element: 'rpc', name, documentsNothing: true }]);
          break;
        }
        if (!statesCallOrder(doc, rpcNamesHere, name)) {
          add('RPC_CALL_SEQUENCE_UNDOCUMENTED', a.range, a.element,
            `new RPC "${name}" does not say when the kubelet calls it relative to other RPCs (name one, or say it has no ordering constraint)`,
            [{ kind: 'docStub', element: 'rpc', name }]);
        }
        if (!FALLBACK.test(doc)) {
          add('RPC_FALLBACK_UNDOCUMENTED', a.range, a.element,
            `new RPC "${name}" does not say how a kubelet detects an older runtime without it (e.g. it answers Unimplemented)`,
            [{ kind: 'docStub', element: 'rpc', name }]);
        }
        break;
      }
      default:
        break;
    }
  }

  // Existing elements: documentation whose meaning-bearing words changed.
  // `parent` and `name` make the element's full name, and the node's name its range: built only for a finding.
  const compareDocs = (parent: string | undefined, name: string, oldDef: { doc?: string; docFingerprint?: DocFingerprint }, node: { comments: Comments; nameRange: Range } | undefined): DocFingerprint | undefined => {
    // Most docs are unchanged between releases: equal text needs no fingerprint (a file baseline has the text),
    // and the same comment as written needs no normalizing either.
    if (oldDef.doc !== undefined && node && oldDef.doc === writtenDoc(node)) return undefined;
    const beforeText = oldDef.doc === undefined ? undefined : docOf(undefined, oldDef.doc);
    const afterText = docOf(node);
    if (beforeText !== undefined && beforeText === afterText) return undefined;
    const before = oldDef.docFingerprint ?? fingerprintDoc(beforeText);
    // A "Deprecated:" note added together with [deprecated = true] is what deprecating asks for, not a change of meaning.
    const deprecatedNow = !!node && 'options' in node && (node as { options: OptionNode[] }).options.some((o) => o.name === 'deprecated' && isTrue(o));
    // A comment deleted altogether takes all its meaning-bearing words with it, as deleting one of them does.
    const after = fingerprintDoc(deprecatedNow ? afterText?.split('\n').filter((l) => !/^\s*Deprecated:/.test(l)).join('\n') : afterText) ?? NO_DOC;
    if (!before || !node || before.hash === after.hash) return undefined;
    // Sets: a long comment can hold many terms.
    const beforeTerms = new Set(before.terms);
    const afterTerms = new Set(after.terms);
    const removed = before.terms.filter((t) => !afterTerms.has(t));
    const added = after.terms.filter((t) => !beforeTerms.has(t));
    if (!removed.length && !added.length) return undefined;
    const parts = [removed.length ? `removed ${quoteList(removed)}` : '', added.length ? `added ${quoteList(added)}` : ''].filter(Boolean);
    // Deprecated, with only the "Deprecated:" note left: the note replaced what the comment said.
    const what = after !== NO_DOC ? 'changed meaning-bearing words' : afterText === undefined ? 'was deleted' : 'was replaced by its deprecation note';
    add('DOC_MEANING_CHANGED', node.nameRange, parent === undefined ? name : `${parent}.${name}`, `the documentation of "${name.slice(name.lastIndexOf('.') + 1)}" ${what} since ${baselineName(baseline)}: ${parts.join('; ')}`);
    return after;
  };
  // The baseline's members are looked up by key only where one is not at the same position as before: a
  // scan per member would be quadratic in a large message (one field inserted at the top shifts them all).
  // One definition per name (`cur`: the one the comparison took for the released one): a duplicate is the binder's.
  for (const m of cur.messages.values()) {
    const om = base.messages.get(m.fqn);
    if (!om) continue;
    compareDocs(undefined, m.fqn, om, m.node);
    let oldByKey: Map<string, FieldDef> | undefined;
    m.fields.forEach((f, i) => {
      // The baseline field at the same position, usually; else the (first) one with the same number and name.
      const at = om.fields[i];
      const of = at && at.number === f.number && at.name === f.name ? at
        : (oldByKey ??= firstByKey(om.fields, (x) => `${x.number} ${x.name}`)).get(`${f.number} ${f.name}`);
      if (!of) return;
      const changed = compareDocs(m.fqn, f.name, of, f.node);
      if (changed && shapeChanged(of, f, renamed)) {
        add('FIELD_MEANING_CHANGED', f.node?.nameRange ?? m.node!.nameRange, `${m.fqn}.${f.name}`,
          `field "${f.name}" = ${f.number} changed its ${of.type !== f.type ? 'type' : 'label'} and its documentation since ${baselineName(baseline)}; reuse a field only if its meaning is unchanged`);
      }
    });
  }
  for (const e of cur.enums.values()) {
    const oe = base.enums.get(e.fqn);
    if (!oe) continue;
    compareDocs(undefined, e.fqn, oe, e.node);
    let oldByName: Map<string, (typeof oe.values)[number]> | undefined;
    e.values.forEach((v, i) => {
      const ov = oe.values[i]?.name === v.name ? oe.values[i] : (oldByName ??= firstByKey(oe.values, (x) => x.name)).get(v.name);
      if (ov) compareDocs(e.fqn, v.name, ov, v.node);
    });
  }
  for (const s of cur.services.values()) {
    const os = base.services.get(s.fqn);
    if (!os) continue;
    compareDocs(undefined, s.fqn, os, s.node);
    let oldByName: Map<string, RpcDef> | undefined;
    s.rpcs.forEach((r, i) => {
      const or = os.rpcs[i]?.name === r.name ? os.rpcs[i] : (oldByName ??= firstByKey(os.rpcs, (x) => x.name)).get(r.name);
      if (or) compareDocs(s.fqn, r.name, or, r.node);
    });
  }
  return out;
}

/** The fingerprint of no documentation: no terms. */
const NO_DOC: DocFingerprint = { hash: '', terms: [] };

/** Each key's first element, as `find` would answer it. */
function firstByKey<T>(xs: readonly T[], key: (x: T) => string): Map<string, T> {
  const m = new Map<string, T>();
  for (const x of xs) {
    const k = key(x);
    if (!m.has(k)) m.set(k, x);
  }
  return m;
}

function shapeChanged(a: FieldDef, b: FieldDef, renamed?: ReadonlyMap<string, string>): boolean {
  const m = /^map<([^,]+),(.+)>$/.exec(a.type);
  const aType = m ? `map<${m[1]},${renamed?.get(m[2]!) ?? m[2]}>` : renamed?.get(a.type) ?? a.type;
  return aType !== b.type || a.label !== b.label;
}

function quoteList(xs: string[]): string {
  const shown = xs.slice(0, 6).map((x) => `"${x}"`).join(', ');
  return xs.length > 6 ? `${shown} and ${xs.length - 6} more` : shown;
}

function baselineName(m: ApiModel): string {
  return (m as ApiModel & { tag?: string }).tag ?? 'the baseline';
}
