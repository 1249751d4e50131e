// The nodes a file has most of keep their ranges as UTF-16 offsets and build a Range when one is read: fields
// and enum values (463 and 95 of about 800 nodes in api.proto v0.37), messages (170), and comments (573).
// Built eagerly, the four or five ranges of a field alone were 12 to 15 objects, which every analysis of a
// large file carried through several garbage collections, and which a CLI check allocated while V8 still
// interprets the parser.

import type {
  Comment, Comments, EnumNode, EnumValueNode, ExtendNode, ExtensionsNode, FieldNode, Label, MessageNode, OneofNode, OptionNode, Range,
  ReservedNode, Visibility,
} from './ast';
import type { LineIndex } from './lines';

/** The empty list most nodes have, shared and frozen (see `add` in parser.ts). */
export const NONE: never[] = Object.freeze([]) as unknown as never[];

/** Where a node starts and ends, and where its name does. */
abstract class NamedSyntax {
  constructor(
    protected readonly lines: LineIndex,
    protected start: number,
    protected end: number,
    private readonly nameStart: number,
    private readonly nameEnd: number,
  ) {}

  get range(): Range {
    return this.lines.range(this.start, this.end);
  }
  get nameRange(): Range {
    return this.lines.range(this.nameStart, this.nameEnd);
  }
}

/** Offsets of a field: where it starts and ends, and where its name, type, number and label do. */
export interface FieldOffsets {
  start: number;
  end: number;
  nameStart: number;
  nameEnd: number;
  typeStart: number;
  typeEnd: number;
  numberStart: number;
  numberEnd: number;
  /** -1 without a label. */
  labelStart: number;
  labelEnd: number;
  /** Only for `map<K, V>` fields: where `K` and `V` start and end. */
  keyStart?: number;
  keyEnd?: number;
  valueStart?: number;
  valueEnd?: number;
}

export class FieldSyntax extends NamedSyntax implements FieldNode {
  readonly kind = 'field';
  // Set only when present, as on the other nodes.
  declare label?: Label;
  declare mapKey?: string;
  declare number?: number;
  declare oneof?: string;
  declare group?: MessageNode;
  // Copied out of `at`: one object per field instead of two.
  private readonly typeStart: number;
  private readonly typeEnd: number;
  private readonly numberStart: number;
  private readonly numberEnd: number;
  private readonly labelStart: number;
  private readonly labelEnd: number;
  // Only map fields have them: other fields do not carry the four slots.
  private declare keyStart?: number;
  private declare keyEnd?: number;
  private declare valueStart?: number;
  private declare valueEnd?: number;

  constructor(
    lines: LineIndex,
    readonly name: string,
    readonly type: string,
    readonly options: OptionNode[],
    readonly comments: Comments,
    at: FieldOffsets,
  ) {
    super(lines, at.start, at.end, at.nameStart, at.nameEnd);
    this.typeStart = at.typeStart;
    this.typeEnd = at.typeEnd;
    this.numberStart = at.numberStart;
    this.numberEnd = at.numberEnd;
    this.labelStart = at.labelStart;
    this.labelEnd = at.labelEnd;
    if (at.valueStart !== undefined) {
      this.keyStart = at.keyStart;
      this.keyEnd = at.keyEnd;
      this.valueStart = at.valueStart;
      this.valueEnd = at.valueEnd;
    }
  }

  get typeRange(): Range {
    return this.lines.range(this.typeStart, this.typeEnd);
  }
  get numberRange(): Range {
    return this.lines.range(this.numberStart, this.numberEnd);
  }
  get labelRange(): Range | undefined {
    return this.labelStart < 0 ? undefined : this.lines.range(this.labelStart, this.labelEnd);
  }
  get mapKeyRange(): Range | undefined {
    return this.keyStart === undefined ? undefined : this.lines.range(this.keyStart, this.keyEnd!);
  }
  get mapValueRange(): Range | undefined {
    return this.valueStart === undefined ? undefined : this.lines.range(this.valueStart, this.valueEnd!);
  }
}

export class EnumValueSyntax extends NamedSyntax implements EnumValueNode {
  readonly kind = 'enumValue';
  declare number?: number;

  /** The name is the value's first token: it starts where the value does. */
  constructor(
    lines: LineIndex,
    readonly name: string,
    readonly options: OptionNode[],
    readonly comments: Comments,
    start: number,
    end: number,
    nameEnd: number,
    private readonly numberStart: number,
    private readonly numberEnd: number,
  ) {
    super(lines, start, end, start, nameEnd);
  }

  get numberRange(): Range {
    return this.lines.range(this.numberStart, this.numberEnd);
  }
}

export class MessageSyntax extends NamedSyntax implements MessageNode {
  readonly kind = 'message';
  readonly fields: FieldNode[] = [];
  // Most messages have none of these: they share one frozen empty list until the parser adds to them.
  oneofs: OneofNode[] = NONE;
  messages: MessageNode[] = NONE;
  enums: EnumNode[] = NONE;
  extends: ExtendNode[] = NONE;
  reserved: ReservedNode[] = NONE;
  extensions: ExtensionsNode[] = NONE;
  options: OptionNode[] = NONE;
  declare visibility?: Visibility;
  // Until close(): empty, at the keyword's start.
  private bodyStart: number;
  private bodyEnd: number;

  constructor(lines: LineIndex, readonly name: string, readonly comments: Comments, start: number, nameStart: number, nameEnd: number) {
    super(lines, start, start, nameStart, nameEnd);
    this.bodyStart = this.bodyEnd = start;
  }

  /** Once the body is parsed: where it starts and ends (inside the braces), and where the message ends. */
  close(bodyStart: number, bodyEnd: number, end: number): void {
    this.bodyStart = bodyStart;
    this.bodyEnd = bodyEnd;
    this.end = end;
  }

  get bodyRange(): Range {
    return this.lines.range(this.bodyStart, this.bodyEnd);
  }
}

/** A comment. Attaching comments to declarations needs only their first and last line. */
export class CommentSyntax implements Comment {
  constructor(
    private readonly lines: LineIndex,
    readonly text: string,
    readonly block: boolean,
    private readonly start: number,
    private readonly end: number,
    readonly startLine: number,
    readonly endLine: number,
  ) {}

  get range(): Range {
    return this.lines.range(this.start, this.end);
  }

  /** This `//` comment and the ones after it up to `last`, as one comment with the given text. */
  mergedUpTo(last: CommentSyntax, text: string): CommentSyntax {
    return new CommentSyntax(this.lines, text, false, this.start, last.end, this.startLine, last.endLine);
  }
}
