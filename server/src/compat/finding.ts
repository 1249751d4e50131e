// What every check produces. Findings are plain data: the server maps them to diagnostics and code
// actions, the CLI to text/JSON/SARIF/GitHub annotations, the report to markdown.

import type { Range } from '../proto/ast';
import type { Severity } from '../proto/binder';

export type Category = 'WIRE' | 'JSON' | 'GO_SOURCE' | 'SEMANTIC' | 'DOCS' | 'POLICY';

/** Where an element lives, as a path of names: `runtime.v1.ContainerConfig.cdi_devices`. */
export type ElementPath = string;

/** Data a quick fix needs; one variant per fix family, keyed by `kind`. */
export type FixData =
  /** Numbers as inclusive ranges ([n, n] for one; an end at the maximum is written `max`), names without quotes. */
  | { kind: 'reserve'; message: ElementPath; isEnum: boolean; numbers: [number, number][]; names: string[] }
  | {
      kind: 'restore'; container: ElementPath; isEnum: boolean; declaration: string; doc?: string; number: number; name: string;
      /** The fingerprint hash of the released documentation (see docs/fingerprint.ts): from the bundled index too, which keeps no text. */
      docHash?: string;
      /** The oneof the field belongs to: it is restored into it (and not at all when the oneof is gone). */
      oneof?: string;
      /** An enum value removed from an alias pair: the name that remains, and whether the baseline declared this one first. */
      alias?: { name: string; first: boolean };
      /**
       * The names the baseline declared before and after it in its body, the nearest that the file still declares: for
       * a field, a field, oneof or nested type (in its oneof, a member of it); for an enum value, a value. It goes back
       * above the second, else below the first: released fields and values need not be in number order.
       */
      after?: string;
      before?: string;
    }
  /**
   * A released RPC deleted (or renamed away) from a service that remains goes back as released: `declaration` is
   * `rpc Name(Req) returns (stream Resp)` with full type names (renamed types under their current names), `options`
   * its options (`deprecated = true` among them), `doc`/`docHash` as for `restore`. It goes after `after`, else
   * before `before`, the RPCs declared next to it in the baseline that the service still has, else at its end.
   */
  | {
      kind: 'restoreRpc'; service: ElementPath; name: string; declaration: string; options: string[];
      doc?: string; docHash?: string; after?: string; before?: string;
    }
  /**
   * A released message or enum that the file deleted goes back as released in `tag`, as `name` in `scope` (the
   * package, or the message it was nested in, under that message's name now): `lines`, its declaration rebuilt from
   * the baseline model (documentation, options, reserved ranges, nested types, oneofs, fields, enum values), each
   * `depth` indentation units into it; `doc` lines are a comment's text, `typed` ones a field whose types are written
   * in full (the fix writes them as short as they resolve from the field's message, `typed`). `types`: the full
   * names of it and of the types nested in it, as restored. It goes after `after`, else before `before`, the
   * declarations next to it in the baseline that the scope still has, else at the end of the scope (the file).
   */
  | {
      kind: 'restoreType'; scope: ElementPath; name: string; isEnum: boolean; tag: string;
      lines: RestoredLine[]; types: string[]; after?: string; before?: string;
    }
  /** `swap`: the field now on `to`, which goes to this field's number (two released fields swapped numbers). */
  | { kind: 'renumber'; to: number; label: string; swap?: string }
  /** A message, enum, field, enum value, service, RPC or oneof gets its baseline name back, in place. */
  | { kind: 'rename'; to: string }
  /**
   * A message or enum moved to another scope goes back to where the baseline had it (`from`, its full name there):
   * after `after`, else before `before`, the names declared next to it in that scope in the baseline, where the
   * scope still has them.
   */
  | { kind: 'moveBack'; from: ElementPath; after?: string; before?: string }
  /**
   * A field gets its baseline scalar type back, written in place of its type; `packed`: the released encoding of a
   * repeated field, written too where the field would not have it with the type alone.
   */
  | { kind: 'retype'; to: string; packed?: boolean }
  /**
   * An editions file's field or enum gets the released value of a feature back: its own setting dropped where what it
   * inherits is that value, else the feature set on it. (proto2 and proto3 cannot say these otherwise than they do.)
   */
  | { kind: 'feature'; feature: 'utf8_validation' | 'enum_type'; value: 'VERIFY' | 'NONE' | 'OPEN' | 'CLOSED' }
  /** A field gets its baseline presence back: `optional` added (explicit) or dropped (implicit). */
  | { kind: 'presence'; optional: boolean }
  /** A released field moved into a oneof leaves it again. */
  | { kind: 'leaveOneof' }
  /** A released field moved out of a oneof the message still has, or from it into another, goes back into it. */
  | { kind: 'enterOneof'; oneof: string }
  | { kind: 'declareAfter'; container: ElementPath; name: string; after: string }
  /**
   * A type reference that names nothing (the binder's unresolved-type) gets an empty message: `name` is its path in
   * the package, `Foo` at the top level or `Outer.Inner` in a message of the file (fixes/declare.ts).
   */
  | { kind: 'declareMessage'; name: string }
  | {
      kind: 'docStub'; element: 'rpc' | 'message' | 'field' | 'enum' | 'enumValue' | 'service'; name: string;
      /**
       * The element's comment documents something else (another RPC's, copied): the stub asks all it asks, as of an
       * element without a comment (which stays, as the author wrote it).
       */
      documentsNothing?: true;
      /**
       * A runtime older than the element meets it, so the degradation rule applies (FIELD_DEGRADATION_UNDOCUMENTED,
       * ENUM_VALUE_DEGRADATION_UNDOCUMENTED) and the stub asks what such a runtime does: a field added to a released
       * message, or a value added to a released enum, that the kubelet sends, not on a released number. A field of a
       * new message never reaches one (the kubelet's call of a new RPC is answered Unimplemented).
       */
      reachesOlderRuntimes?: true;
    };

/** A line of a restored message or enum (FixData `restoreType`): `typed`, the full name of the message of a field. */
export interface RestoredLine {
  depth: number;
  text: string;
  doc?: true;
  typed?: string;
}

export interface Finding {
  rule: string;
  category: Category;
  severity: Severity;
  /** One line naming the element and the baseline tag. */
  message: string;
  /** Where in the current file; for deletions the enclosing element. */
  range: Range;
  /** Fully-qualified element the finding is about. */
  element: ElementPath;
  /** Data for quick fixes; absent where no automatic fix exists. */
  fixes?: FixData[];
  /** Extra facts for hovers and the report (e.g. which release used a number last). */
  related?: { message: string; range?: Range }[];
}
