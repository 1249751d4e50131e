// Hovers that explain the version skew policy: for an element, when it came and who can meet a peer
// without it; for a finding, the rule's explanation, who breaks, and the link to the policy.

import { elementLineage, elementPatchChanges, kubelets, lackingPrereleases, releasedWithout, runtimesBuiltFrom, newestStableMinor, notReleased } from '../baseline/historyCommand';
import type { Baseline, History, HistoryElement } from '../baseline/types';
import type { Finding } from '../compat/finding';
import { getRule, ruleHelpLink, SKEW as SKEW_PARAGRAPH } from '../compat/rules';
import { renameEffects } from '../compat/compare';
import { goCamelCase } from '../proto/goNames';
import { releasedEnumNumbers, releasedFieldHolding } from '../compat/onReleasedNumber';
import { compareTags, firstMinorOfMajor, knowingKubelets, majorVersion, parseAnyTag, shipTarget, span, targetMinor, whoLacks, type LackingSkew } from '../policy/versions';
import { enumSides, lackingConsequence, parentLackingConsequence, releasedLackingConsequence, type ElementKindName } from '../policy/lacking';
import { CRI_API_PROTO_PATHS, CRI_DEV_POLICY_URL, CRI_SKEW_POLICY_URL, CRITEST_VALIDATION_URL, criApiFileUrl } from '../policy/links';
import { indexModel, localName, type ApiModel } from '../proto/model';
import { onlyNamesAlternative, statesCallOrder } from '../docs/docRules';
import { docInlineMarkdown } from './hover';
import { escapeMarkdown } from '../report/markdown';
import { plural } from '../plural';

/** `shownDoc`: the element's doc comment, where the hover already shows it above this (not repeated here). */
export function elementPolicyHover(
  element: string, baseline: Baseline | undefined, current: ApiModel, findings: readonly Finding[] = [], shownDoc?: string,
): string | undefined {
  const history = baseline?.history;
  const pkg = current.package;
  const h = history?.element(element);
  const gone = h && baseline && goneBefore(h, baseline, element) ? h : undefined;
  if (h && history && baseline && !gone) {
    // One the baseline lacks (an older baseline than its release) is an addition the DOC rules check.
    const added = !inModel(baseline.model, element);
    return [...changedSince(element, baseline, findings), ...historySection(element, history, pkg, current, undefined, kindOf(current, element), shownDoc, added)].join('\n');
  }
  if (!baseline) return undefined;
  // Imported and well-known types are not part of this API: nothing of theirs is released or new here.
  const kind = kindOf(current, element);
  if (!kind) return undefined;
  if (pkg !== baseline.model.package) {
    return [
      `**Package \`${pkg || '(none)'}\`**: no cri-api release has it (the baseline ${escapeMarkdown(baseline.tag)} is \`${baseline.model.package}\`), so this is a new API major version, not a change of one.`,
      'Kubelets and runtimes only use it once both support it; the version skew window applies within one major version, so the releases of the baseline\'s API do not say who has its elements.',
      '', `[Version skew policy](${CRI_SKEW_POLICY_URL})`,
    ].join('\n');
  }
  // Not in any release under this path. It is new only if the baseline has no element it continues: a field or
  // enum value whose number the baseline already had, or an element whose type was renamed, is not (the
  // report's additions leave them out too).
  const old = continuedFrom(element, baseline.model, current, findings);
  if (old) {
    const lines = [old.note];
    const oh = old.sameElement !== false ? history?.element(old.path) : undefined;
    if (oh && history) lines.push('', ...historySection(old.path, history, pkg, current, old.asName ?? old.path.slice(old.path.lastIndexOf('.') + 1), kindOf(current, element)));
    else lines.push('', `[Version skew policy](${CRI_SKEW_POLICY_URL})`);
    return lines.join('\n');
  }
  if (inModel(baseline.model, element)) return undefined; // in the baseline, which has no release history
  const reAdded = gone
    ? [`**Removed before, added again**: \`${element.slice(element.lastIndexOf('.') + 1)}\` was in ${span(gone.introduced, gone.lastSeen)} and is not in ${escapeMarkdown(baseline.tag)}, so to peers it is new again: the history of that name is not this element's.`, '']
    : [];
  const renamedRpc = renamedOnTheWire(element, current, findings);
  const target = shipTarget({ ...baseline, ...(history ? { history } : {}) });
  if (target === undefined) return [...reAdded, ...renamedRpc, `**New since the baseline** ${escapeMarkdown(baseline.tag)}: it is not in any release yet.`].join('\n');
  const { minor: next, exact } = target;
  const removedIn = majorVersion(pkg)?.removedInMinor;
  if (removedIn !== undefined && next >= removedIn) {
    // As the report says it (skewMatrix): runtime.v1alpha2 has no release to ship in from its removal on.
    return [...reAdded, ...renamedRpc,
      `**New since ${escapeMarkdown(baseline.tag)}**: Kubernetes 1.${removedIn} removed ${pkg}, so no minor release can ship it; ` +
      `only a patch release of 1.${removedIn - 1} or earlier could, and patch releases should not change the API.`,
      '', `[Version skew policy](${CRI_SKEW_POLICY_URL})`].join('\n');
  }
  // An old baseline picked on purpose: the minors after it that are already out cannot get the change.
  const planned = targetMinor(baseline.tag)!;
  const released = !exact && planned < next ? ` at the earliest: ${span(`1.${planned}`, `1.${next - 1}`)} ${planned === next - 1 ? 'is' : 'are'} already released` : '';
  // A patch release (the file's own, or the next of its release line): the earlier patches of its minor lack it too;
  // and every pre-release of the history cut before it or of a minor not released yet, as the report's matrix says;
  // for a patch of an older line, the minors after it already released (without it: it is in no release).
  const ship = exact?.goTag ?? `v0.${next}.0`;
  const lacks = whoLacks(ship, firstMinorOfMajor(pkg) ?? 0, removedIn, lackingPrereleases(history, ship, true), releasedWithout(history, ship));
  const lines = [
    ...reAdded,
    ...renamedRpc,
    `**New since ${escapeMarkdown(baseline.tag)}**: would ship in Kubernetes ${exact ? `${exact.kubernetes} (cri-api ${exact.goTag})` : `1.${next} (cri-api v0.${next}.0)${released}`}.`, '',
    !lacks.runtimes || !lacks.kubelets
      ? `- Kubernetes 1.${next} is the first minor version of ${pkg}, so every stable runtime that speaks ${pkg} will have it.`
      : `- Runtimes built from ${runtimesBuiltFrom(history, lacks.runtimes)} will not have it, and ${kubelets(lacks.kubelets)} can meet them. ${newParentConsequence(element, current, baseline) ?? consequence(kind, current, element)}`,
    ...sentToOlderKubelets(element, kind, current, baseline, lacks),
    '- The feature has to degrade gracefully on such runtimes. If it depends on what the runtime can do, the kubelet should learn that through explicit API (what the runtime reports in its status or features, surfaced in the Pod or Node API), not by trial; and while the feature is being adopted, using it against a runtime that lacks it should fail as early as possible.',
    `- Document in the proto what it does, what runtimes may expect, and when the kubelet uses it; add a critest ([cri-tools validation](${CRITEST_VALIDATION_URL})).`,
    ...rpcSequence(element, current, shownDoc, true),
    // The advice above comes from both pages: degrading gracefully from the skew policy, discovery and failing early from the dev policy.
    '', `[Version skew policy](${CRI_SKEW_POLICY_URL}) · [Feature development and container runtimes](${CRI_DEV_POLICY_URL})`,
  ];
  return lines.join('\n');
}

/**
 * The released element that one missing from the release history continues under another path (a field renamed
 * in the file, keeping its number; a renamed or moved type), with the hover's sentence saying so: its history is
 * the released element's. None where only a number is shared (a reuse) or the history lacks it.
 */
export function releasedCounterpart(
  element: string, baseline: Baseline, history: History, current: ApiModel, findings: readonly Finding[],
): { path: string; note: string } | undefined {
  const old = continuedFrom(element, baseline.model, current, findings);
  return old && old.sameElement !== false && history.element(old.path) ? { path: old.path, note: old.note } : undefined;
}

/**
 * A released element that the file changes: the release history below says "unchanged" of the releases only,
 * and a finding's squiggle (a type, a label) may not be where the mouse is, so the hover names the findings too.
 */
function changedSince(element: string, baseline: Baseline, findings: readonly Finding[]): string[] {
  const own = findings.filter((f) => f.element === element);
  if (own.length === 0) return [];
  return [
    `**Changed since ${escapeMarkdown(baseline.tag)}** (not in a release yet):`, '',
    ...own.map((f) => `- ${escapeMarkdown(f.message)} (\`${f.rule}\`)`), '',
  ];
}

/**
 * Whether the history's element under this path was gone before the baseline (a release) and is not in it:
 * added again, it is new to peers, whatever releases once had that name.
 */
function goneBefore(h: HistoryElement, baseline: Baseline, element: string): boolean {
  return parseAnyTag(baseline.tag) !== undefined && compareTags(h.lastSeen, baseline.tag) < 0 && !inModel(baseline.model, element);
}

/** The release history of an element: when it came, when it last changed, and who can meet a peer without it. */
function historySection(element: string, history: History, pkg: string, current: ApiModel, asName?: string, kind?: ElementKindName, shownDoc?: string, added = false): string[] {
  const h = history.element(element)!;
  const changed = h.introduced === h.lastChanged ? 'unchanged since introduced' : `last changed in ${release(history, h.lastChanged)}`;
  const lines = [`**Release history**${asName ? ` of \`${asName}\`` : ''} (${changed})`, ''];
  lines.push(`- Introduced in ${release(history, h.introduced, pkg)}.`);
  // On the wire, as `history --element` counts it: since the first name it had (a same-number rename is not
  // new), and known only to kubelets of minors that released it (an element removed later is not known to
  // the kubelets after it).
  const lineage = elementLineage(history, element);
  // "Last changed" follows version order, which mixes release lines: a backport to older minors is not in it.
  const patches = elementPatchChanges(history, element);
  if (patches.length) {
    lines.push(`- Changed in ${plural(patches.length, 'patch release')} ${patches.map((c) => `${c.tag} (${c.what})`).join(', ')}: the policy wants API changes in v0.N.0 releases only.`);
  }
  const introduced = lineage?.wireIntroduced ?? h.introduced;
  if (introduced !== h.introduced) {
    // Else the skew below, counted from the number's first release, contradicts "introduced" just above.
    const name = element.slice(element.lastIndexOf('.') + 1);
    const r = lineage?.renames.find((x) => x.to === name);
    const from = r ? ` (renamed from \`${r.from}\` in ${r.tags[0]}, keeping number ${r.number})` : '';
    // Crictl's JSON and Go code see the new name, though: as `history --element` says it.
    const source = r?.sourceBreak ? ` ${escapeMarkdown(r.sourceBreak)}` : '';
    lines.push(`- On the wire it is older${from}: peers exchange it by number since ${release(history, introduced)}, and the skew counts from there.${source}`);
  }
  // Elements of the oldest indexed release may be older still: no skew statement can be made about them,
  // unless that release is the first of the major version.
  const oldest = history.releases[0]?.tag;
  const start = firstMinorOfMajor(pkg);
  const inOldest = introduced === oldest;
  // The pre-releases of its minor cut before it lack it too (v0.29.0-alpha.0–alpha.2 of one that came in alpha.3).
  const lacks: LackingSkew | undefined = inOldest ? undefined : whoLacks(introduced, start ?? 0, undefined, lackingPrereleases(history, introduced));
  if (lacks?.kubelets && lacks.runtimes) {
    const stillReleased = (h.present ?? false) && majorVersion(pkg)?.removedInMinor === undefined;
    const k = lineage ? knowingKubelets(lacks.kubelets, lineage.stableMinors, newestStableMinor(history), stillReleased, lineage.prereleasesWithIt) : lacks.kubelets;
    const who = kubelets(k, ['knows', 'know']);
    const knowers = `${who[0]!.toUpperCase()}${who.slice(1)} it${notReleased(k, history)} and can be paired`;
    const why = releasedLackingConsequence(history, kind, element, introduced, () => current, (c) => `\`${c}\``);
    lines.push(`- ${knowers} with runtimes built from ${runtimesBuiltFrom(history, lacks.runtimes)}, which do not. ${why}`);
  } else if (inOldest && (start === undefined || parseAnyTag(oldest ?? '')?.minor !== start)) {
    lines.push(`- It is already in ${oldest}, the oldest release in this history, and may be older: which runtimes lack it is not known from this history.`);
  } else {
    // Runtimes built from the major version's pre-releases before the element have it only if it is in the first.
    const every = introduced === majorVersion(pkg)?.firstTag ? 'every' : 'every stable';
    lines.push(`- It came with the first minor version of ${pkg}${start !== undefined ? ` (1.${start})` : ''}, so ${every} runtime that speaks ${pkg} has it.`);
  }
  // Gone from later releases: kubelets that had it can meet runtimes built after it, as `history --element` says.
  const removal = lineage?.removal;
  if (removal) lines.push(`- Removed in ${release(history, removal.goneIn)}, after ${release(history, removal.lastSeen)}: ${removal.skew}`);
  // Another field or value with its number, which peers within the skew window misread, and a type between string and
  // bytes, whose string side rejects what is not UTF-8: as `history --element` says them.
  for (const text of [...lineage?.numberReuse ?? [], ...lineage?.typeChanges ?? []]) lines.push(`- ${escapeMarkdown(`${text[0]!.toUpperCase()}${text.slice(1)}`)}`);
  lines.push(...rpcSequence(element, current, shownDoc, added));
  lines.push('', `[Version skew policy](${CRI_SKEW_POLICY_URL})`);
  return lines;
}

/** What a runtime that lacks the element does (policy/lacking.ts), with protocol names as code. */
function consequence(kind: ElementKindName | undefined, current: ApiModel, element: string): string {
  return lackingConsequence(kind, kind === 'enumValue' || kind === 'field' ? enumSides(current, element) : undefined, (c) => `\`${c}\``);
}

/**
 * A value added to a released enum that runtimes send (one an RPC's response reaches): the other side of the skew.
 * Kubelets older than it meet runtimes that have it, and such a runtime's reply can carry it to them.
 */
function sentToOlderKubelets(element: string, kind: ElementKindName | undefined, current: ApiModel, baseline: Baseline, lacks: LackingSkew): string[] {
  const parent = element.slice(0, element.lastIndexOf('.'));
  if (kind !== 'enumValue' || !lacks.runtimes || !inModel(baseline.model, parent) || !enumSides(current, element).response) return [];
  // The kubelets that lack it are those of the runtimes that lack it; every one of them can meet a runtime that has it.
  const { min, max, maxPatch, later, prereleases = [] } = lacks.runtimes;
  const kube = (tag: string): string => parseAnyTag(tag)!.kubernetes;
  const minors = min > max ? [] : [`${span(`1.${min}`, `1.${max}`)}${maxPatch === undefined ? '' : ` (up to 1.${max}.${maxPatch})`}`];
  const older = [...minors, ...(later ? [span(`1.${later.min}`, `1.${later.max}`)] : []), ...prereleases.map((p) => span(kube(p.first), kube(p.last)))].join(' and ');
  return [
    `- ${min === max && maxPatch === undefined && !later && !prereleases.length ? 'Kubelet' : 'Kubelets'} ${older} will not have it either, and can meet runtimes that do: the enum reaches the kubelet in replies, ` +
      'so such a runtime can send it to a kubelet that reads it as an unknown enum value. Document what the runtime sends to a kubelet that does not know the value.',
  ];
}

/**
 * For a field or enum value whose message or enum is new as well: such a runtime lacks the container, which is
 * what the kubelet meets (a new request message is only sent through a new RPC, which answers Unimplemented).
 */
function newParentConsequence(element: string, current: ApiModel, baseline: Baseline): string | undefined {
  const kind = kindOf(current, element);
  if (kind !== 'field' && kind !== 'enumValue') return undefined;
  const parent = element.slice(0, element.lastIndexOf('.'));
  if (inModel(baseline.model, parent)) return undefined;
  // Released after an old baseline: the runtimes that lack the new element have its container.
  const h = baseline.history?.element(parent);
  if (h && !goneBefore(h, baseline, parent)) return undefined;
  return parentLackingConsequence(kind, 'is new too', (c) => `\`${c}\``);
}

/** The kind of an element of the model, found by its path. */
function kindOf(model: ApiModel, path: string): ElementKindName | undefined {
  // Through the model's index: a hover on a file of 100,000 messages asks this several times.
  const ix = indexModel(model);
  if (ix.messages.has(path)) return 'message';
  if (ix.enums.has(path)) return 'enum';
  if (ix.services.has(path)) return 'service';
  const k = path.lastIndexOf('.');
  if (k < 0) return undefined;
  const parent = path.slice(0, k);
  const name = path.slice(k + 1);
  if (ix.messages.get(parent)?.fields.some((f) => f.name === name)) return 'field';
  if (ix.enums.get(parent)?.values.some((v) => v.name === name)) return 'enumValue';
  if (ix.services.get(parent)?.rpcs.some((r) => r.name === name)) return 'rpc';
  return undefined;
}

function inModel(model: ApiModel, path: string): boolean {
  return kindOf(model, path) !== undefined;
}

/** Baseline message/enum fqn of a current one that MESSAGE_RENAMED reports as renamed or moved. */
function typeRenamedFrom(fqn: string, findings: readonly Finding[]): string | undefined {
  for (const f of findings) {
    if (f.rule !== 'MESSAGE_RENAMED' || f.element !== fqn) continue;
    for (const x of f.fixes ?? []) {
      if (x.kind === 'rename') return `${fqn.slice(0, fqn.lastIndexOf('.') + 1)}${x.to}`;
      if (x.kind === 'moveBack') return x.from;
    }
  }
  return undefined;
}

/** The baseline fqn of a current message or enum that MESSAGE_RENAMED reports as moved to another scope. */
function typeMovedFrom(fqn: string, findings: readonly Finding[]): string | undefined {
  for (const f of findings) {
    if (f.rule !== 'MESSAGE_RENAMED' || f.element !== fqn) continue;
    const x = f.fixes?.find((d) => d.kind === 'moveBack');
    if (x?.kind === 'moveBack') return x.from;
  }
  return undefined;
}

/** The baseline path of a message or enum, following renames of it and of the messages around it. */
function baselineTypePath(fqn: string, baseline: ApiModel, findings: readonly Finding[]): string | undefined {
  const ix = indexModel(baseline);
  if (ix.messages.has(fqn) || ix.enums.has(fqn)) return fqn;
  const renamed = typeRenamedFrom(fqn, findings);
  // Renamed inside a message that was renamed too: the old name is under the parent's baseline path.
  if (renamed) return ix.messages.has(renamed) || ix.enums.has(renamed) ? renamed : `${baselineTypePath(fqn.slice(0, fqn.lastIndexOf('.')), baseline, findings) ?? ''}${renamed.slice(renamed.lastIndexOf('.'))}`;
  const k = fqn.lastIndexOf('.');
  if (k < 0) return undefined;
  const parent = baselineTypePath(fqn.slice(0, k), baseline, findings);
  if (!parent || parent === fqn.slice(0, k)) return undefined;
  const moved = `${parent}${fqn.slice(k)}`;
  return ix.messages.has(moved) || ix.enums.has(moved) ? moved : undefined;
}

function aroundRenamed(path: string): string {
  return `**Not new**: it is \`${path}\` of the baseline; only the name or the place of a message or enum around it changed.`;
}

interface Continued {
  /** The baseline's element. */
  path: string;
  /** Markdown saying how the element relates to it. */
  note: string;
  /** False when only the number is the same (a reuse): then the baseline element's history is not this one's. */
  sameElement?: boolean;
  /** The name its release history is shown under, when not the last part of `path`. */
  asName?: string;
}

/**
 * The baseline element that `element` continues under another name, with a sentence saying so: a field or
 * enum value whose number the baseline's message or enum already had, or a message, enum, field or value
 * inside a renamed type. Undefined for elements that are new (or unknown).
 */
function continuedFrom(element: string, baseline: ApiModel, current: ApiModel, findings: readonly Finding[]): Continued | undefined {
  const kind = kindOf(current, element);
  const short = (p: string): string => p.slice(p.lastIndexOf('.') + 1);
  if (kind === 'message' || kind === 'enum') {
    const old = baselineTypePath(element, baseline, findings);
    if (!old || old === element) return undefined;
    if (typeMovedFrom(element, findings) === old) {
      const local = (p: string): string => localName(p, current.package);
      return {
        path: old,
        asName: local(old),
        note: `**Moved from \`${local(old)}\`**: the baseline's \`${old}\` in another scope, so it is not new. ` +
          `Its ${kind === 'message' ? 'fields' : 'values'} travel as before on the wire and in JSON; Go code that names the type has to change ` +
          `(\`${goCamelCase(local(old))}\` is now \`${goCamelCase(local(element))}\`).`,
      };
    }
    if (short(old) === short(element)) return { path: old, note: aroundRenamed(old) };
    return {
      path: old,
      note: `**Renamed from \`${short(old)}\`**: the baseline's \`${old}\` under a new name, so it is not new. ` +
        `Its ${kind === 'message' ? 'fields' : 'values'} travel as before on the wire; Go code that names the type has to change.`,
    };
  }
  if (kind !== 'field' && kind !== 'enumValue') return undefined;
  const k = element.lastIndexOf('.');
  const parent = element.slice(0, k);
  const name = element.slice(k + 1);
  const oldParent = baselineTypePath(parent, baseline, findings);
  if (!oldParent) return undefined;
  const notNew = (path: string): Continued => ({ path, note: aroundRenamed(path) });
  if (kind === 'field') {
    const nm = indexModel(current).messages.get(parent);
    const nf = nm?.fields.find((f) => f.name === name);
    const om = indexModel(baseline).messages.get(oldParent);
    if (!nm || !nf || !om) return undefined;
    const fields = nm.fields;
    if (om.fields.some((f) => f.name === name)) return oldParent === parent ? undefined : notNew(`${oldParent}.${name}`);
    const of = om.fields.find((f) => f.number === nf.number);
    if (!of) return undefined; // a new number and a new name: new
    const path = `${oldParent}.${of.name}`;
    // As the comparison decides it: the released field still holds the number, so nothing changed hands.
    const held = releasedFieldHolding(om, nm)(nf);
    if (held) return { path, sameElement: false, note: duplicateNumberNote(held, 'field') };
    // The released field still declared (renumbered) was not renamed: this one took its number.
    const renamed = !fields.some((f) => f.name === of.name)
      && (findings.some((f) => f.rule === 'FIELD_RENAMED' && f.element === element) || (of.type === nf.type && of.label === nf.label));
    if (!renamed) {
      return {
        path,
        sameElement: false,
        note: `**Number ${of.number} reused**: it was \`${of.label === 'repeated' ? 'repeated ' : ''}${of.type} ${of.name}\` in the baseline, so the field is not new on the wire: ` +
          `peers built from earlier releases read its values as \`${of.name}\`.`,
      };
    }
    return {
      path,
      note: `**Renamed from \`${of.name}\`**: field ${of.number} was \`${of.name}\` in the baseline. Only the name changed, so it is not new: ` +
        `peers built from earlier releases still exchange it by its number. For crictl and Go: ${escapeMarkdown(renameEffects(of, nf))}.`,
    };
  }
  const ne = indexModel(current).enums.get(parent);
  const nv = ne?.values.find((v) => v.name === name);
  const oe = indexModel(baseline).enums.get(oldParent);
  if (!ne || !nv || !oe) return undefined;
  if (oe.values.some((v) => v.name === name)) return oldParent === parent ? undefined : notNew(`${oldParent}.${name}`);
  // As the comparison decides it (ENUM_VALUE_RENAMED, ENUM_VALUE_NUMBER_REUSED, or neither for an alias).
  const use = releasedEnumNumbers(oe, ne).valueOn(nv);
  if (!use) return undefined;
  if (use.kind === 'alias' && use.renamedTo) {
    return {
      path: `${oldParent}.${use.of.name}`,
      note: `**Alias of \`${use.renamedTo.name}\`**: one more name of enum value ${use.of.number}, which was \`${use.of.name}\` in the baseline and is \`${use.renamedTo.name}\` now, so it is not new: ` +
        `peers built from earlier releases exchange it by its number, under the name \`${use.of.name}\`.`,
    };
  }
  if (use.kind === 'alias') {
    return {
      path: `${oldParent}.${use.of.name}`,
      note: `**Alias of \`${use.of.name}\`**: a second name of enum value ${use.of.number}, which keeps its released name \`${use.of.name}\`, so it is not new: ` +
        'peers built from earlier releases exchange it by its number, under that name.',
    };
  }
  if (use.kind === 'duplicate') return { path: `${oldParent}.${use.of.name}`, sameElement: false, note: duplicateNumberNote(use.of, 'value') };
  if (use.kind === 'reused') {
    return {
      path: `${oldParent}.${use.of.name}`,
      sameElement: false,
      note: `**Number ${use.of.number} reused**: it was \`${use.of.name}\` in the baseline, which is now ${use.movedTo}, so the value is not new on the wire: ` +
        `peers built from earlier releases read it as \`${use.of.name}\`.`,
    };
  }
  return {
    path: `${oldParent}.${use.from.name}`,
    note: `**Renamed from \`${use.from.name}\`**: enum value ${use.from.number} was \`${use.from.name}\` in the baseline. Only the name changed, so it is not new: ` +
      'peers built from earlier releases still exchange it by its number. Its JSON and Go names change.',
  };
}

/**
 * A new field (enum value, in an enum without aliases) on the number a released one still has: not a reuse, which
 * peers would misread, but the binder's duplicate-number, which protoc refuses too.
 */
function duplicateNumberNote(held: { name: string; number: number }, what: 'field' | 'value'): string {
  const noAlias = what === 'value' ? ', and the enum does not allow aliases' : '';
  return `**Duplicate number**: \`${held.name}\` still has ${held.number}${noAlias}, so the file does not compile (protoc refuses it too); ` +
    `give this ${what} a free number.`;
}

/** For an RPC or service renamed since the baseline: to gRPC, a new name is a new method. */
function renamedOnTheWire(element: string, current: ApiModel, findings: readonly Finding[]): string[] {
  const kind = kindOf(current, element);
  if (kind !== 'rpc' && kind !== 'service') return [];
  const k = element.lastIndexOf('.');
  const services = indexModel(current).services;
  const node = kind === 'service'
    ? services.get(element)?.node
    : services.get(element.slice(0, k))?.rpcs.find((r) => r.name === element.slice(k + 1))?.node;
  const at = node?.nameRange.start;
  if (!at) return [];
  for (const f of findings) {
    if (f.rule !== (kind === 'rpc' ? 'RPC_NO_DELETE' : 'SERVICE_NO_DELETE')) continue;
    const to = f.fixes?.find((x) => x.kind === 'rename');
    if (to?.kind !== 'rename' || f.range.start.line !== at.line || f.range.start.character !== at.character) continue;
    return [`**Renamed from \`${to.to}\`**: gRPC calls ${kind === 'rpc' ? 'a method' : 'methods'} by name, so to peers built from earlier releases this is new, and calls to \`${to.to}\` get Unimplemented.`, ''];
  }
  return [];
}

/**
 * For an RPC: the sentences of its documentation that state the call order, as RPC_CALL_SEQUENCE_UNDOCUMENTED
 * reads them (statesCallOrder), so that the hover and the diagnostic never disagree; the whole documentation
 * where only sentences together state it. Not those the hover shows already (`shownDoc`, above): quoted again,
 * they read as a second statement ("Call sequence: Call order: …"). Only for an RPC the DOC rules check (`added`:
 * not in the baseline) does a missing order call for documenting it; of a released one the policy asks nothing.
 * Sentences that only name an RPC this one is an alternative to (onlyNamesAlternative) say no time of the call:
 * quoted as what they are, and only where no other sentence states the order.
 */
function rpcSequence(element: string, current: ApiModel, shownDoc: string | undefined, added: boolean): string[] {
  const k = element.lastIndexOf('.');
  const ix = indexModel(current);
  const rpc = ix.services.get(element.slice(0, k))?.rpcs.find((r) => r.name === element.slice(k + 1));
  if (!rpc) return [];
  const doc = (rpc.doc ?? '').replace(/\s+/g, ' ').trim();
  const states = (text: string): boolean => statesCallOrder(text, ix.rpcNames(), rpc.name);
  const stating = doc.split(/(?<=[.!?])\s+/).filter(states);
  const alternatives = stating.filter((x) => onlyNamesAlternative(x, ix.rpcNames(), rpc.name));
  const sentences = stating.filter((x) => !alternatives.includes(x));
  const order = sentences.length ? sentences.join(' ') : !alternatives.length && states(doc) ? doc : '';
  const shown = shownDoc === undefined ? '' : shownDoc.replace(/\s+/g, ' ');
  if (!order && alternatives.length) {
    // Enough for the DOC rule, which the hover does not contradict, but no call sequence: say what it is.
    const unshown = alternatives.filter((x) => !shown.includes(x));
    return ['', unshown.length
      ? `**Alternative to another RPC** (from its documentation; it does not say when the kubelet calls it): ${docInlineMarkdown(unshown.join(' '))}`
      : '**Alternative to another RPC**: its documentation, above, names one; it does not say when the kubelet calls it.'];
  }
  if (!order) return added ? ['', '**Call sequence**: not documented. Say when the kubelet calls it relative to other RPCs.'] : [];
  const unshown = (sentences.length ? sentences : [order]).filter((x) => !shown.includes(x));
  if (!unshown.length) return ['', '**Call sequence**: stated in its documentation, above.'];
  return ['', `**Call sequence** (from its documentation): ${docInlineMarkdown(unshown.join(' '))}`];
}

/**
 * "v0.26.0 (Kubernetes 1.26.0)"; with the package, the tag links to that release's api.proto on GitHub, so the
 * element can be read as it was released (the bundled index keeps no upstream text).
 */
function release(history: History, tag: string, pkg?: string): string {
  const r = history.releases.find((x) => x.tag === tag);
  if (!r) return tag;
  const path = pkg ? CRI_API_PROTO_PATHS[pkg as keyof typeof CRI_API_PROTO_PATHS] : undefined;
  return `${path ? `[${r.tag}](${criApiFileUrl(r.tag, path)})` : r.tag} (Kubernetes ${r.kubernetes})`;
}

/** "v0.36.3, from the bundled release index (newest release)". */
export function describeBaseline(b: Baseline): string {
  return `${b.tag}, from ${b.origin}`;
}

/** The markdown shown when hovering a diagnostic's finding. */
export function findingExplanation(f: Finding, baseline: Baseline | undefined): string {
  return findingsExplanation([f], baseline)[0]!;
}

/**
 * The hover sections of the findings at one place, one per finding. What several share, the skew policy that their
 * rules explain themselves with and the baseline, follows them once, in a section of its own.
 */
export function findingsExplanation(findings: readonly Finding[], baseline: Baseline | undefined): string[] {
  const shared = findings.length > 1;
  // The origin names paths (a vendor/ tree, a clone), whose directory names could be markdown: escaped.
  const compared = baseline ? `Compared with ${escapeMarkdown(describeBaseline(baseline))}.` : undefined;
  let skew = false;
  const sections = findings.map((f) => {
    const rule = getRule(f.rule);
    const own = shared && rule.explanation.endsWith(SKEW_PARAGRAPH) ? rule.explanation.slice(0, -SKEW_PARAGRAPH.length).trimEnd() : rule.explanation;
    skew ||= own !== rule.explanation;
    const lines = [`**${rule.id}** · ${rule.category} · ${f.severity}`, '', rule.title + '.', '', own];
    // Related messages name the baseline, whose tag is a file's path for a file baseline: text, not markup.
    for (const r of f.related ?? []) lines.push('', `- ${escapeMarkdown(r.message)}`);
    if (compared && !shared) lines.push('', compared);
    const suppress = `\`// cri-compat:ignore ${rule.id} <reason>\``;
    const link = ruleHelpLink(rule.id);
    lines.push('', link ? `[Why this matters](${link}) · suppress with ${suppress}` : `Suppress with ${suppress}`);
    return lines.join('\n');
  });
  const context = shared ? [...(skew ? [SKEW_PARAGRAPH] : []), ...(compared ? [compared] : [])] : [];
  return context.length ? [...sections, context.join('\n\n')] : sections;
}
