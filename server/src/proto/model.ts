// The bound model: what the compatibility rules compare. Plain data, so that the same shape comes from a
// parsed file (with syntax nodes and ranges) and from the bundled release index (without them).

import type { DocFingerprint } from '../docs/fingerprint';
import type { Features } from './features';
import type { EnumNode, EnumValueNode, FieldNode, MessageNode, OptionNode, Range, RpcNode, ServiceNode } from './ast';

export const SCALARS = new Set([
  'double', 'float', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64',
  'sfixed32', 'sfixed64', 'bool', 'string', 'bytes',
]);

/**
 * `implicit` is proto3's unlabelled singular field (in an editions file, one whose `field_presence` resolves to
 * IMPLICIT); `optional` there means explicit presence.
 */
export type FieldLabel = 'implicit' | 'optional' | 'repeated' | 'required';

/** protoc's packable types: every scalar but string and bytes, and enums. */
export function isPackable(typeKind: FieldDef['typeKind'], type: string): boolean {
  return typeKind === 'enum' || (typeKind === 'scalar' && type !== 'string' && type !== 'bytes');
}

/** A field that holds strings: a string, or a map with string keys or values (`map<K,V>`, as FieldDef.type writes it). */
export function holdsStrings(f: Pick<FieldDef, 'type' | 'typeKind'>): boolean {
  return f.type === 'string' || (f.typeKind === 'map' && /[<,]string[,>]/.test(f.type));
}

/**
 * Whether the parsers of a field that holds strings reject bytes that are not UTF-8: proto3's do, proto2's never, an
 * editions file's unless `features.utf8_validation` resolves to NONE (FieldDef.utf8Unchecked).
 */
export function utf8Verified(f: Pick<FieldDef, 'utf8Unchecked'>, syntax: ApiModel['syntax']): boolean {
  return syntax !== 'proto2' && !f.utf8Unchecked;
}

/** Whether an enum is closed: all of a proto2 file's are, none of a proto3 file's, an editions file's as EnumDef.closed says. */
export function isClosedEnum(e: Pick<EnumDef, 'closed'>, syntax: ApiModel['syntax']): boolean {
  return syntax === 'proto2' || !!e.closed;
}

export interface FieldDef {
  name: string;
  number: number;
  /** Scalar name, or the fully-qualified name (no leading dot) of a message or enum; for maps, `map<K,V>`. */
  type: string;
  typeKind: 'scalar' | 'message' | 'enum' | 'map' | 'unresolved';
  label: FieldLabel;
  oneof?: string;
  jsonName: string;
  deprecated?: boolean;
  /**
   * A field that holds strings (a string, or a map with string keys or values) in an editions file whose
   * `features.utf8_validation` resolves to NONE: its parsers do not check that they are UTF-8.
   */
  utf8Unchecked?: true;
  /** Explicit `[packed = …]` (in an editions file, `false` where EXPANDED encoding applies); undefined means the syntax default. */
  packed?: boolean;
  doc?: string;
  /** Present in models from the bundled index, which keeps no doc text; computed from `doc` otherwise. */
  docFingerprint?: DocFingerprint;
  node?: FieldNode;
}

export interface MessageDef {
  fqn: string;
  name: string;
  fields: FieldDef[];
  oneofs: string[];
  reservedNumbers: [number, number][];
  reservedNames: string[];
  deprecated?: boolean;
  /**
   * In an editions file, the features its fields inherit (the file's; protoc refuses them on a message, which the
   * binder reports as feature-target but still reads): what a field restored into it must override to keep its
   * released presence, encoding and UTF-8 validation.
   */
  features?: Features;
  doc?: string;
  /** Present in models from the bundled index, which keeps no doc text; computed from `doc` otherwise. */
  docFingerprint?: DocFingerprint;
  node?: MessageNode;
}

export interface EnumValueDef {
  name: string;
  number: number;
  deprecated?: boolean;
  doc?: string;
  /** Present in models from the bundled index, which keeps no doc text; computed from `doc` otherwise. */
  docFingerprint?: DocFingerprint;
  node?: EnumValueNode;
}

export interface EnumDef {
  fqn: string;
  name: string;
  values: EnumValueDef[];
  reservedNumbers: [number, number][];
  reservedNames: string[];
  deprecated?: boolean;
  /**
   * An editions file's enum that `features.enum_type = CLOSED` closes: it need not start at 0; or that a value of
   * none of its values closes for protobuf-go, though it starts at 0 as an open one (see isOpenEnum of fixes.ts). (A
   * proto2 file's enums are all closed, a proto3 file's all open: their syntax says it.)
   */
  closed?: true;
  doc?: string;
  /** Present in models from the bundled index, which keeps no doc text; computed from `doc` otherwise. */
  docFingerprint?: DocFingerprint;
  node?: EnumNode;
}

export interface RpcDef {
  name: string;
  request: string;
  response: string;
  requestStream: boolean;
  responseStream: boolean;
  /** The sides whose type did not resolve: `request`/`response` then hold the type as written. */
  unresolved?: { request?: true; response?: true };
  deprecated?: boolean;
  doc?: string;
  /** Present in models from the bundled index, which keeps no doc text; computed from `doc` otherwise. */
  docFingerprint?: DocFingerprint;
  node?: RpcNode;
}

export interface ServiceDef {
  fqn: string;
  name: string;
  rpcs: RpcDef[];
  doc?: string;
  /** Present in models from the bundled index, which keeps no doc text; computed from `doc` otherwise. */
  docFingerprint?: DocFingerprint;
  node?: ServiceNode;
}

export interface ApiModel {
  package: string;
  syntax: 'proto2' | 'proto3' | 'editions';
  /** The file option `go_package` (string value, quotes removed); undefined when the file has none. */
  goPackage?: string;
  /** The `option go_package = "…";` statement of a parsed file; models from the bundled index have none. */
  goPackageNode?: OptionNode;
  messages: MessageDef[];
  enums: EnumDef[];
  services: ServiceDef[];
}

export type ElementDef = MessageDef | EnumDef | ServiceDef;

/** Lookups over a model by fully-qualified name. */
export class ModelIndex {
  readonly messages = new Map<string, MessageDef>();
  readonly enums = new Map<string, EnumDef>();
  readonly services = new Map<string, ServiceDef>();
  /** Messages and enums that an RPC reaches through fields, transitively; computed on first use. */
  private reachable?: Set<string>;
  /** The same from the RPCs' requests, and from their responses, of every service declared; computed on first use. */
  private readonly reachableBySide: { request?: ReadonlySet<string>; response?: ReadonlySet<string> } = {};
  private rpcNameSet?: ReadonlySet<string>;

  /** A name declared twice (the binder's duplicate-name) is looked up as its first declaration, as protoc reads it. */
  constructor(private readonly model: ApiModel) {
    for (const m of model.messages) if (!this.messages.has(m.fqn)) this.messages.set(m.fqn, m);
    for (const e of model.enums) if (!this.enums.has(e.fqn)) this.enums.set(e.fqn, e);
    for (const s of model.services) if (!this.services.has(s.fqn)) this.services.set(s.fqn, s);
  }

  /** Every RPC name of the file (see rpcNames), as a set built on first use: a hover asks for it every time. */
  rpcNames(): ReadonlySet<string> {
    this.rpcNameSet ??= new Set([...this.services.values()].flatMap((s) => s.rpcs.map((r) => r.name)));
    return this.rpcNameSet;
  }

  reachableTypes(): Set<string> {
    if (!this.reachable) {
      const roots: string[] = [];
      for (const s of this.services.values()) for (const r of s.rpcs) roots.push(r.request, r.response);
      this.reachable = this.reachableFrom(roots);
    }
    return this.reachable;
  }

  /** What the RPCs' requests (the kubelet sends them) or responses (runtimes send them) reach through fields. */
  reachableFromSide(side: 'request' | 'response'): ReadonlySet<string> {
    return (this.reachableBySide[side] ??= this.reachableFrom(this.model.services.flatMap((s) => s.rpcs.map((r) => r[side]))));
  }

  /** The given types and the messages and enums they reach through fields, transitively. */
  reachableFrom(roots: readonly string[]): Set<string> {
    const seen = new Set<string>();
    const stack = [...roots];
    while (stack.length) {
      const t = stack.pop()!;
      if (seen.has(t)) continue;
      seen.add(t);
      for (const f of this.messages.get(t)?.fields ?? []) {
        if (f.typeKind === 'map') stack.push(f.type.slice(f.type.indexOf(',') + 1, -1));
        else if (f.typeKind === 'message' || f.typeKind === 'enum') stack.push(f.type);
      }
    }
    return seen;
  }
}

// A baseline model is compared with every version of the edited file: index it once. Keyed by the
// messages array, which copies of a model made to attach a tag (`{ ...model, tag }`) share. Only for
// long-lived models: a weak map entry per keystroke would cost the garbage collector more than it saves.
const indexes = new WeakMap<MessageDef[], ModelIndex>();

export function indexModel(model: ApiModel): ModelIndex {
  let i = indexes.get(model.messages);
  if (!i) indexes.set(model.messages, (i = new ModelIndex(model)));
  return i;
}

/** The names of every RPC of every service: what a documented call order may name. */
export function rpcNames(model: ApiModel): string[] {
  return model.services.flatMap((s) => s.rpcs.map((r) => r.name));
}

/** A full name without its package (`runtime.v1.Outer.Inner` → `Outer.Inner`): how the file and Go name it. */
export function localName(fqn: string, pkg: string): string {
  return pkg && fqn.startsWith(`${pkg}.`) ? fqn.slice(pkg.length + 1) : fqn;
}

/** protoc's default JSON name: lowerCamelCase of the field name. */
export function jsonNameOf(name: string): string {
  let i = name.indexOf('_');
  if (i < 0) return name;
  let out = name.slice(0, i);
  let upper = true;
  for (i++; i < name.length; i++) {
    const ch = name[i]!;
    if (ch === '_') upper = true;
    else if (upper) {
      out += ch.toUpperCase();
      upper = false;
    } else out += ch;
  }
  return out;
}

/** The message protoc generates for map field `name`'s entries: `labels` → `LabelsEntry` (its JSON name, capitalized). */
export function mapEntryName(name: string): string {
  const json = jsonNameOf(name);
  return `${json.charAt(0).toUpperCase()}${json.slice(1)}Entry`;
}

/** The element a range-carrying definition points at, for diagnostics on the current file. */
export function rangeOf(def: { node?: { nameRange: Range } }): Range | undefined {
  return def.node?.nameRange;
}

export function isReserved(ranges: readonly [number, number][], n: number): boolean {
  return ranges.some(([a, b]) => n >= a && n <= b);
}
