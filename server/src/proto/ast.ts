// Syntax tree of one .proto file. Positions are LSP-style: zero-based line and UTF-16 character, which
// is what JavaScript string indices count, so no conversion is needed anywhere downstream.
// The parser builds fields, enum values, messages and comments as classes that keep offsets (nodes.ts): each
// read of one of their ranges returns a new Range, so ranges are neither compared by identity nor changed.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Comment {
  /** Text without the comment markers, lines joined with "\n". */
  text: string;
  range: Range;
  block: boolean;
}

/** Comments attached the way protoc attaches them (see `collectComments` in parser.ts for the rules). */
export interface Comments {
  leading?: Comment;
  trailing?: Comment;
  detached: Comment[];
}

export interface SyntaxError {
  message: string;
  range: Range;
}

export interface Named {
  name: string;
  nameRange: Range;
}

export interface OptionNode {
  kind: 'option';
  /** As written, e.g. `deprecated`, `(gogoproto.marshaler_all)`, `(foo.bar).baz`. */
  name: string;
  nameRange: Range;
  /** Source text of the value; aggregate values keep their braces. */
  value: string;
  valueRange: Range;
  range: Range;
  /**
   * The value is a string the parser reported (unterminated while being typed, a bad escape): its text is no
   * value to compare with a baseline's.
   */
  unsettled?: true;
}

export interface ReservedNode {
  kind: 'reserved';
  /** Inclusive ranges; `max` is stored as Infinity and resolved by the binder (fields vs enums). */
  ranges: { start: number; end: number; range: Range }[];
  names: { name: string; range: Range }[];
  range: Range;
  comments: Comments;
  /** A name is a string the parser reported (see OptionNode.unsettled): what the statement reserves is not known yet. */
  unsettled?: true;
}

export interface ExtensionsNode {
  kind: 'extensions';
  ranges: { start: number; end: number; range: Range }[];
  options: OptionNode[];
  range: Range;
}

export type Label = 'optional' | 'repeated' | 'required';

export interface FieldNode extends Named {
  kind: 'field';
  label?: Label;
  labelRange?: Range;
  /** Type as written (`string`, `.runtime.v1.Foo`, `Foo.Bar`); for maps the value type. */
  type: string;
  typeRange: Range;
  /** Set for `map<K, V>` fields. */
  mapKey?: string;
  /** Set for `map<K, V>` fields: the range of `K` as written, where buf marks a key type maps do not take. */
  mapKeyRange?: Range;
  /** Set for `map<K, V>` fields: the range of `V` as written (`typeRange` is the whole `map<K, V>`). */
  mapValueRange?: Range;
  /** Number as written; undefined when missing or not a number. */
  number?: number;
  numberRange: Range;
  options: OptionNode[];
  /** Name of the enclosing oneof. */
  oneof?: string;
  /** `group` fields carry their body as a nested message of the same name. */
  group?: MessageNode;
  range: Range;
  comments: Comments;
}

export interface OneofNode extends Named {
  kind: 'oneof';
  fields: FieldNode[];
  options: OptionNode[];
  range: Range;
  comments: Comments;
}

/** Edition 2024's `export` or `local` before a message or an enum: whether another file may use it (see visibility.ts). */
export interface Visibility {
  keyword: 'export' | 'local';
  range: Range;
}

export interface MessageNode extends Named {
  kind: 'message';
  /** All fields in declaration order, including those inside oneofs. */
  fields: FieldNode[];
  oneofs: OneofNode[];
  messages: MessageNode[];
  enums: EnumNode[];
  extends: ExtendNode[];
  reserved: ReservedNode[];
  extensions: ExtensionsNode[];
  options: OptionNode[];
  range: Range;
  /** Position right after `{` and right before `}` (for edits that insert into the body). */
  bodyRange: Range;
  comments: Comments;
  visibility?: Visibility;
}

export interface EnumValueNode extends Named {
  kind: 'enumValue';
  number?: number;
  numberRange: Range;
  options: OptionNode[];
  range: Range;
  comments: Comments;
}

export interface EnumNode extends Named {
  kind: 'enum';
  values: EnumValueNode[];
  reserved: ReservedNode[];
  options: OptionNode[];
  range: Range;
  bodyRange: Range;
  comments: Comments;
  visibility?: Visibility;
}

export interface RpcNode extends Named {
  kind: 'rpc';
  requestType: string;
  requestTypeRange: Range;
  requestStream: boolean;
  responseType: string;
  responseTypeRange: Range;
  responseStream: boolean;
  options: OptionNode[];
  range: Range;
  comments: Comments;
}

export interface ServiceNode extends Named {
  kind: 'service';
  rpcs: RpcNode[];
  options: OptionNode[];
  range: Range;
  bodyRange: Range;
  comments: Comments;
}

export interface ExtendNode {
  kind: 'extend';
  extendee: string;
  extendeeRange: Range;
  fields: FieldNode[];
  range: Range;
  comments: Comments;
}

export interface ImportNode {
  kind: 'import';
  path: string;
  pathRange: Range;
  modifier?: 'public' | 'weak';
  range: Range;
}

export interface ProtoFile {
  kind: 'file';
  syntax?: { value: string; range: Range };
  edition?: { value: string; range: Range };
  package?: { name: string; nameRange: Range; range: Range };
  imports: ImportNode[];
  options: OptionNode[];
  messages: MessageNode[];
  enums: EnumNode[];
  services: ServiceNode[];
  extends: ExtendNode[];
  errors: SyntaxError[];
  /** Whether an option anywhere in the file sets features (`features.x = …`, `features = {…}`): so that a proto2 or proto3 file, which may not, is not searched for one. */
  setsFeatures?: true;
  /** Whether the file sets a custom option (`(my.opt) = …`): the binder keeps its imports' trees only for such a file, whose options it checks against them. */
  setsCustomOptions?: true;
  /** Range of the whole text. */
  range: Range;
}

export function rangeContains(r: Range, p: Position): boolean {
  if (p.line < r.start.line || p.line > r.end.line) return false;
  if (p.line === r.start.line && p.character < r.start.character) return false;
  if (p.line === r.end.line && p.character > r.end.character) return false;
  return true;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/**
 * What is declared directly in a message, each with its own line or lines: fields outside oneofs, oneofs, nested
 * messages and enums (a oneof's fields are declared inside it). Not in source order.
 */
export function declaredInMessage(m: MessageNode): (FieldNode | OneofNode | MessageNode | EnumNode)[] {
  return [...m.fields.filter((f) => f.oneof === undefined), ...m.oneofs, ...m.messages, ...m.enums];
}

/** Whether an enum may give one number several names (`option allow_alias = true;`); protoc refuses it otherwise. */
export function allowsAliases(e: EnumNode): boolean {
  return e.options.some((o) => o.name === 'allow_alias' && o.value === 'true');
}
