// What a runtime that lacks an element does when it meets a kubelet that has it, per kind of element: one
// statement each, which the policy hover and `cri-compat history` both give, so the two cannot disagree.

import type { History } from '../baseline/types';
import { indexModel, type ApiModel } from '../proto/model';
import { parseAnyTag } from './versions';

export type ElementKindName = 'message' | 'enum' | 'service' | 'field' | 'enumValue' | 'rpc';

/** Which way an enum travels between kubelet and runtime: in requests, in responses, or both. */
export interface EnumSides {
  request: boolean;
  response: boolean;
}

/** Which way the enum of the enum value `value` (its full path) travels in `model`'s RPCs. */
export function enumSides(model: ApiModel, value: string): EnumSides {
  const ix = indexModel(model);
  const parent = value.slice(0, value.lastIndexOf('.'));
  return { request: ix.reachableFromSide('request').has(parent), response: ix.reachableFromSide('response').has(parent) };
}

/**
 * Unknown fields are dropped, unknown RPCs and services answer gRPC Unimplemented, unknown enum numbers arrive
 * unrecognised. `sides`, for an enum value: an enum that travels only in responses is never sent by the kubelet,
 * so only the value's absence from the runtime's replies matters; one that no RPC carries meets no runtime yet.
 * For a field, its message's (enumSides of the field's path): a field of a request is never in a reply, and the
 * other way round.
 * `code` formats a name of the protocol (`Unimplemented`) as the output shows code.
 */
export function lackingConsequence(kind: string | undefined, sides?: EnumSides, code: (s: string) => string = (s) => s): string {
  if (kind === 'enumValue' && sides?.response && !sides.request) {
    return 'Such a runtime never sends the value in its replies, so the kubelet has to cope without it.';
  }
  if (kind === 'enumValue' && sides && !sides.request && !sides.response) {
    return 'No RPC\'s request or reply reaches the enum, so the value travels in no call today. If one ever carries it, such a runtime will take the number for an unknown enum value when the kubelet sends it, and will never send it back.';
  }
  switch (kind) {
    case 'field':
      if (sides?.request && !sides.response) return 'Such a runtime drops the field when the kubelet sets it, so it handles the request as if the field were unset.';
      if (sides?.response && !sides.request) return 'Such a runtime never fills it in its replies, so the kubelet has to cope with it being unset.';
      return 'Such a runtime drops the field when the kubelet sets it and never fills it in its replies, so the kubelet has to cope with it being unset.';
    case 'rpc': return `Such a runtime answers the call with gRPC ${code('Unimplemented')}, which the kubelet has to take as "feature not available".`;
    case 'service': return `Such a runtime does not serve it: every call to it is answered with gRPC ${code('Unimplemented')}.`;
    case 'enumValue': return 'Such a runtime does not recognise the number: it arrives there as an unknown enum value when the kubelet sends it, and the runtime never sends it back.';
    case 'enum': return 'Such a runtime does not know the enum: fields of this type are dropped there.';
    case 'message': return `Such a runtime has no use for the message: fields that carry it are dropped there, and RPCs that take it answer gRPC ${code('Unimplemented')}.`;
    default: return 'Such a runtime does not know it, so the feature has to degrade gracefully.';
  }
}

/**
 * The Kubernetes release (`1.33`, or `1.33.5` for a patch) in which both `path` (a field or enum value, first
 * released in `introduced`) and its message or enum came, or undefined when the container is older. Then every
 * runtime that lacks the element lacks its container too, which is what the kubelet meets (the fields that carry it
 * are missing whole), not an unset field or an unknown enum number. A container already in the oldest release of the
 * history may be older still: nothing is said of it.
 */
export function cameWithParent(history: History, path: string, introduced: string): string | undefined {
  const parent = history.element(path.slice(0, path.lastIndexOf('.')));
  if (!parent || parent.introduced === history.releases[0]?.tag) return undefined;
  const a = parseAnyTag(parent.introduced);
  const b = parseAnyTag(introduced);
  if (!a || !b || a.minor !== b.minor || a.patch !== b.patch) return undefined;
  return `1.${b.minor}${b.patch ? `.${b.patch}` : ''}`;
}

/** What a runtime without a field's message or an enum value's enum does; `when` says when the container came. */
export function parentLackingConsequence(kind: 'field' | 'enumValue', when: string, code: (s: string) => string = (s) => s): string {
  return kind === 'field'
    ? `Its message ${when}, so such a runtime knows neither: it neither reads nor sends fields that carry the message, and RPCs that take or return it answer gRPC ${code('Unimplemented')}.`
    : `Its enum ${when}, so such a runtime knows neither: it neither reads nor sends fields of that enum.`;
}

/**
 * What a runtime without a released element does, as the hover and `cri-compat history` say it: for a field or an
 * enum value that came with its message or enum (cameWithParent), that it lacks both; else lackingConsequence, with
 * the enum's sides read from `model()` (asked only for a field or an enum value).
 */
export function releasedLackingConsequence(
  history: History, kind: string | undefined, path: string, introduced: string, model: () => ApiModel | undefined, code?: (s: string) => string,
): string {
  const member = kind === 'field' || kind === 'enumValue' ? kind : undefined;
  const together = member && cameWithParent(history, path, introduced);
  if (member && together) return parentLackingConsequence(member, `came in Kubernetes ${together} too`, code);
  const m = member ? model() : undefined;
  return lackingConsequence(kind, m ? enumSides(m, path) : undefined, code);
}
