// Binder: syntax tree → model. Resolves type references the way protoc does (innermost scope first,
// package prefixes count as scopes), and reports what protoc would reject about names and numbers.

import {
  allowsAliases, comparePositions, rangeContains,
  type EnumNode, type ExtendNode, type ExtensionsNode, type FieldNode, type ImportNode, type Label, type MessageNode, type OptionNode, type ProtoFile, type Range, type ReservedNode, type RpcNode,
  type ServiceNode,
} from './ast';
import {
  SCALARS, holdsStrings, isPackable, jsonNameOf, isReserved, mapEntryName, type ApiModel, type EnumDef, type FieldDef, type FieldLabel, type MessageDef, type ServiceDef,
} from './model';
import {
  EDITION_DEFAULTS, featuresOutsideEdition, languageSetUses, misplacedFeatures, ownFeature, repeatedFeatures, resolveFeatures, unknownFeatures, withoutFeaturesSetAgain,
  type FeatureTarget, type Features,
} from './features';
import { defaultValueProblem } from './defaults';
import { wrongValueRange, type ValueType } from './optionValue';
import { isBool, isTrue, listOf, settingOf } from './aggregate';
import { fieldOptionProblems, optionProblems, optionsMessage, type OptionsOf } from './options';
import { customOptionProblems, type PendingOption } from './aggregateOptions';
import { ENUM_MAX, FIELD_MAX, parse } from './parser';
import { LANGUAGE_FEATURE_SETS, wellKnownTypes, type FeatureSupport, type FeatureTargetName } from './wellKnown';
import { addToIndex, join, lookup, sortIndex, type NameIndex } from './lookup';
import { defaultVisibility, isExported, visibilityProblems } from './visibility';
import { namingStyleProblems } from './namingStyle';
import { partitionPoint } from '../binarySearch';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** The code of a type reference that names nothing declared (or imported). */
export const UNRESOLVED_TYPE = 'unresolved-type';

/** The code of a number used twice in a message, or in an enum without `allow_alias`. */
export const DUPLICATE_NUMBER = 'duplicate-number';

/**
 * The name that a duplicate-number message says holds the number (the first declared with it), read back from a
 * diagnostic, which carries only its message: here, beside the messages it reads.
 */
export function duplicateNumberHolder(message: string): string | undefined {
  return / is already used by "([^"]+)"/.exec(message)?.[1];
}

export interface Problem {
  /** Stable code, e.g. `syntax`, `unresolved-type`, `duplicate-number`. */
  code: string;
  message: string;
  range: Range;
  severity: Severity;
}

export interface Declaration {
  fqn: string;
  kind: 'message' | 'enum' | 'service' | 'package';
  /** Where it is declared; undefined for bundled well-known types. */
  uri?: string;
  nameRange?: Range;
  doc?: string;
  /** A type of an imported file that the file does not export (see visibility.ts): this file may not use it. */
  local?: true;
}

export interface TypeReference {
  readonly range: Range;
  /** Fully-qualified target, when resolved. */
  target?: string;
  readonly written: string;
}

/** A type declared in a parsed file: the range of its name is built only when asked for (see nodes.ts). */
class NodeDeclaration implements Declaration {
  declare doc?: string;
  constructor(readonly fqn: string, readonly kind: Declaration['kind'], readonly uri: string, private readonly node: { nameRange: Range }) {}
  get nameRange(): Range {
    return this.node.nameRange;
  }
}

/**
 * An extension (a field of an `extend` block) of this file or of an import, by its full name: what a custom option
 * (`[(my.opt) = 1]`) names, for Go to Definition, hover, references and completion on it. Only navigation reads it.
 */
export interface ExtensionDeclaration {
  readonly fqn: string;
  /** The message it extends, as written, looked up from `scope`. */
  readonly extendee: string;
  /** Where its `extend` is (the package, or a message): its extendee and its type are looked up from there. */
  readonly scope: string;
  readonly type: string;
  readonly label?: Label;
  readonly number?: number;
  readonly uri: string;
  readonly nameRange: Range;
  readonly doc?: string;
}

/** An extension of the file being bound: its name's range is built when asked for, as NodeDeclaration's. */
class NodeExtension implements ExtensionDeclaration {
  constructor(readonly fqn: string, readonly extendee: string, readonly scope: string, readonly uri: string, private readonly field: FieldNode) {}
  get type(): string { return this.field.type; }
  get label(): Label | undefined { return this.field.label; }
  get number(): number | undefined { return this.field.number; }
  get nameRange(): Range { return this.field.nameRange; }
  get doc(): string | undefined { return this.field.comments.leading?.text ?? this.field.comments.trailing?.text; }
}

/**
 * The type a field refers to, where the field's type is written (for `map<K, V>`, where `V` is). Its range is
 * built on the first read and kept: analyses never read it, while a hover checks every reference of the file.
 */
class FieldTypeReference implements TypeReference {
  declare target?: string;
  private typeRange?: Range;
  constructor(private readonly field: FieldNode) {}
  get written(): string {
    return this.field.type;
  }
  get range(): Range {
    return (this.typeRange ??= this.field.mapValueRange ?? this.field.typeRange);
  }
}

export interface BoundFile {
  uri: string;
  ast: ProtoFile;
  model: ApiModel;
  problems: Problem[];
  references: TypeReference[];
  declarations: Map<string, Declaration>;
  /** Where each name of `declarations` is declared: for lookups (see lookup.ts). */
  names: NameIndex;
  /**
   * The enums that a field of this file needs open, extensions included (the model has no extensions): in proto3
   * every enum field's (and map value's), in an editions file those of implicit presence. Closing one is protoc's error.
   */
  needOpen: ReadonlySet<string>;
  /** The extensions of the file and of the imports it sees, by full name (the file's own where an import declares one too). */
  extensions: ReadonlyMap<string, ExtensionDeclaration>;
  /**
   * The trees of the imports whose types the file sees, where it sets custom options (else none): the messages that
   * the fields of an option's path and aggregate value belong to, for navigation on them. The binder reads them for
   * those options anyway, and the server's import cache keeps the same trees.
   */
  importedTrees: readonly ImportedTree[];
}

/** An imported file's tree, with where its declarations point. */
export interface ImportedTree {
  readonly uri: string;
  readonly ast: ProtoFile;
}

/** An import found by a resolver. */
export interface FoundImport {
  /** Where its declarations point (the editor's spelling for an open file). */
  uri: string;
  /** The file's text; a resolver may give `ast` instead (a tree it kept), or neither when `key` is already in the budget. */
  text?: string;
  /** The parsed file, when the resolver has it already. */
  ast?: ProtoFile;
  /**
   * The file's identity, e.g. its real path: two import paths with one key (symlink aliases, the same file
   * under two roots) are one file, read and declared once. Defaults to `uri`.
   */
  key?: string;
  /** Bytes read for it (counted against the budget); defaults to the length of `text`. */
  size?: number;
}

/** An import not found: the directories tried, or why the path was not looked up (or not read) at all. */
export interface MissedImport {
  tried: string[];
  refused?: string;
}

/** Finds imported files. Implementations decide where to look; the binder only needs text or a miss. */
export interface ImportResolver {
  /**
   * A miss lists the directories tried; `refused` says why the path was not looked up at all. With a budget,
   * a resolver should not read a file whose key the budget has seen, nor one the budget refuses (see
   * ImportBudget.refusal), and say so in `refused`.
   */
  resolve(importPath: string, fromUri: string, budget?: ImportBudget): FoundImport | MissedImport;
  /** The budget for binding `rootUri` (its limits, and the root file's own key); else the binder uses the defaults. */
  newBudget?(rootUri: string): ImportBudget;
}

/**
 * At most this many bytes of imported files are read for one analysis (all files, direct and public imports):
 * far more than an API's imports (descriptor.proto is 40 KB), and what an open document keeps of them (the
 * declarations) stays in the tens of MB however its imports are made up.
 */
export const MAX_IMPORT_TOTAL_SIZE = 4 * 1024 * 1024;
/** At most this many imported files are read for one analysis. */
export const MAX_IMPORT_FILES = 64;

/**
 * What one analysis may read of its imports, and the files it has read (by key). The per-file size limit is the
 * resolver's; this is the total: without it, a file importing one large file under many names (symlink
 * aliases, or many large files) had the server read and parse gigabytes for every edit.
 */
export class ImportBudget {
  private readonly keys = new Set<string>();
  files = 0;
  bytes = 0;
  /** How many imports were refused for the budget. */
  refused = 0;

  constructor(readonly maxBytes: number = MAX_IMPORT_TOTAL_SIZE, readonly maxFiles: number = MAX_IMPORT_FILES) {}

  /** Has a file with this key been loaded (or is it the file being bound)? */
  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** Marks a key as loaded without counting it (the file being bound). */
  add(key: string): void {
    this.keys.add(key);
  }

  /** Why one more file of `size` bytes may not be read, worded to follow "refused: "; undefined when it may. */
  refusal(size: number): string | undefined {
    let why: string | undefined;
    if (this.files >= this.maxFiles) {
      why = `the imports already read for this file number ${this.maxFiles}, the most read for one analysis`;
    } else if (this.bytes + size > this.maxBytes) {
      why = `reading it (${mib(size)}) would take the imports read for this file past ${mib(this.maxBytes)} in total, the most read for one analysis`;
    }
    if (why) this.refused++;
    return why;
  }

  /** Counts a file read. */
  charge(key: string, size: number): void {
    this.keys.add(key);
    this.files++;
    this.bytes += size;
  }
}

/** A size as people read it: bytes, KiB or MiB (one decimal below 10 MiB). */
export function mib(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 0.1 * 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  const m = bytes / 1024 / 1024;
  return `${Number.isInteger(m) || m >= 10 ? Math.round(m) : m.toFixed(1)} MiB`;
}

const MAX_IMPORT_DEPTH = 16;

export function bind(ast: ProtoFile, uri: string, resolver?: ImportResolver): BoundFile {
  return new Binder(ast, uri, resolver).run();
}

class Binder {
  private readonly problems: Problem[] = [];
  private readonly declarations = new Map<string, Declaration>();
  private readonly references: TypeReference[] = [];
  private readonly pkg: string;
  private readonly proto3: boolean;
  /** The file's features in an editions file; undefined in a proto2 or proto3 file, whose syntax decides. */
  private readonly fileFeatures: Features | undefined;
  /**
   * The enums that are closed, by full name: the file's (`features.enum_type = CLOSED`) and its imports' (every
   * enum of a proto2 file, and those an editions file closes).
   */
  private readonly closedEnums = new Set<string>();
  /**
   * Enum fields (and extensions) that protoc refuses for a closed enum, checked once all enums are bound: in an
   * editions file those of implicit presence, in a proto3 file all of them.
   */
  private readonly openEnumFields: { field: FieldNode; enumFqn: string }[] = [];
  /** The defaults of enum fields (identifiers), checked once all enums are bound: each must name a value of its enum. */
  private readonly enumDefaults: { name: string; range: Range; enumFqn: string }[] = [];
  /** Where each name is declared, kept with `declarations` (see `resolveType`). */
  private readonly names: NameIndex = new Map();
  /** The extension fields of this file by extendee, and the extension ranges of its messages, checked once all are bound. */
  private readonly extensionsOf = new Map<string, FieldNode[]>();
  private readonly extensionRangesOf = new Map<string, readonly [number, number][]>();
  /** A message's fields by number, name and JSON name, while its fields are bound (see message). */
  private readonly fieldIndex = { byNumber: new Map<number, FieldNode>(), byName: new Map<string, FieldNode>(), byJson: new Map<string, FieldNode>() };
  /** The extensions imported files declare (their extendee as written, in their scope): numbers, not nodes (see declareFile). */
  private readonly importedExtensions: { extendee: string; scope: string; uri: string; numbers: { number: number; name: string }[] }[] = [];
  /** Every extension the file and its imports declare (see ExtensionDeclaration). */
  private readonly extensions = new Map<string, ExtensionDeclaration>();
  /** This file's message sets, by full name, with their `option message_set_wire_format = true;`: their extensions are messages. */
  private readonly messageSets = new Map<string, OptionNode>();
  /**
   * The names imported files of the file's own package declare in it besides types (name → what and where):
   * values of their top-level enums, which protoc declares next to the enum, not in it (C++ scoping), and
   * top-level extensions. Such a name is taken from every other declaration of the package.
   */
  private readonly importedNames = new Map<string, { kind: 'enum value' | 'extension'; uri: string }>();
  /**
   * Imported files (by URI) as problems name them: the path the import statement wrote, and for a public import
   * behind a direct one, the direct one too. Users know their files by the paths they import, not by URIs.
   */
  private readonly importNames = new Map<string, string>();
  /** Whether an imported file (or a bundled well-known type) declares names in the file's own package. */
  private importsOwnPackage = false;
  /** Whether an import, or a public import of one, was not found or not read: it may declare what the file uses. */
  private importMissing = false;
  /** The languages' feature sets (`pb.cpp`) whose bundled files the file imports, or an import of it imports publicly. */
  private readonly languageSets = new Set<string>();
  /**
   * The trees of the imported files whose types the file sees, kept only while a file that sets custom options is bound:
   * their values are checked against the imports' messages, enums and extensions (see optionTypes.ts).
   */
  private readonly importedFiles: ImportedTree[] = [];
  /** The options of each element with custom options, checked once every extension is bound (see aggregateOptions.ts). */
  private readonly customOptions: PendingOption[] = [];
  /** checkScope's table of names, reused from scope to scope. */
  private readonly scopeNames = new Map<string, object>();
  /** Declarations already reported as duplicates, so that checkScopes does not report them again. */
  private readonly reportedDuplicates = new Set<object>();

  constructor(private readonly ast: ProtoFile, private readonly uri: string, private readonly resolver?: ImportResolver) {
    this.pkg = ast.package?.name.replace(/^\./, '') ?? '';
    this.proto3 = ast.syntax?.value === 'proto3';
    this.fileFeatures = ast.edition ? resolveFeatures(EDITION_DEFAULTS, ast.options) : undefined;
  }

  run(): BoundFile {
    for (const e of this.ast.errors) this.problem('syntax', e.message, e.range, 'error');
    this.declarePackage(this.pkg, this.uri);
    this.loadImports();
    this.declareFile(this.ast, this.uri, true);
    sortIndex(this.names, this.declarations);
    const model: ApiModel = {
      package: this.pkg,
      syntax: this.ast.edition ? 'editions' : this.proto3 ? 'proto3' : 'proto2',
      messages: [],
      enums: [],
      services: [],
    };
    const goPackage = this.ast.options.find((o) => o.name === 'go_package');
    if (goPackage) {
      model.goPackage = stringValue(goPackage.value);
      model.goPackageNode = goPackage;
    }
    if (this.fileFeatures) {
      this.misplacedFeatures(this.ast.options, 'file');
      const required = ownFeature(this.ast.options, 'field_presence');
      // On the value, as buf marks it ("cannot set `LEGACY_REQUIRED` at the file level").
      if (required?.value === 'LEGACY_REQUIRED') this.problem('feature-target', 'features.field_presence = LEGACY_REQUIRED cannot be the file\'s default: set it on the fields that are required', required.valueRange, 'error');
    } else if (this.ast.setsFeatures) {
      forEachOption(this.ast, (o) => {
        if (o.name === 'features' || o.name.startsWith('features.')) this.problem('features-outside-editions', `features are set only in an editions file (edition = "2023"), not in ${this.proto3 ? 'proto3' : 'proto2'}`, o.nameRange, 'error');
      });
    }
    this.checkOptions(this.ast.options, 'file', this.pkg);
    for (const p of visibilityProblems(this.ast)) this.problem('visibility', p.message, p.range, 'error');
    for (const p of namingStyleProblems(this.ast)) this.problem('naming-style', p.message, p.range, 'error');
    // As protoc says: editions validate UTF-8 with a feature (Java's own, (pb.java).utf8_validation).
    const utf8 = this.fileFeatures && this.ast.options.find((o) => o.name === 'java_string_check_utf8');
    if (utf8) this.problem('editions-option', 'the option "java_string_check_utf8" is not allowed in an editions file: use the feature (pb.java).utf8_validation', utf8.nameRange, 'error');
    const scope = this.pkg;
    for (const m of this.ast.messages) this.message(m, scope, model, this.fileFeatures);
    for (const e of this.ast.enums) model.enums.push(this.enumDef(e, scope, this.fileFeatures));
    for (const s of this.ast.services) model.services.push(this.service(s, scope));
    for (const x of this.ast.extends) this.extend(x.extendee, x.extendeeRange, x.fields, scope, model, this.fileFeatures);
    this.checkClosedEnumFields();
    this.checkEnumDefaults(model);
    this.checkExtensionNumbers();
    this.checkCustomOptions();
    this.checkScopes();
    const needOpen = new Set(this.openEnumFields.map((f) => f.enumFqn));
    return {
      uri: this.uri, ast: this.ast, model, problems: this.problems, references: this.references, declarations: this.declarations, names: this.names, needOpen,
      extensions: this.extensions, importedTrees: this.importedFiles,
    };
  }

  /**
   * As protoc says ("unsupported option target"): a feature set where protoc refuses it, such as utf8_validation on a
   * message, or a language's nest_in_file_class on the file. Resolution still reads it, as it reads the option packed
   * in an editions file. Features their feature set lacks, and those the file's edition does not take, are refused
   * everywhere; `target` undefined (a service, a method, whose targets buf does not check) checks only those.
   */
  private misplacedFeatures(all: readonly OptionNode[], target: FeatureTarget | undefined): void {
    if (!all.length) return;
    const options = withoutFeaturesSetAgain(all);
    const edition = Number(this.ast.edition?.value);
    // A language's features whose file is not imported are unknown, which is all protoc and buf say of them; an
    // import not found may import it publicly.
    const hidden = this.importMissing ? [] : languageSetUses(options).filter((u) => !this.languageSets.has(u.set));
    for (const { set, written, range } of hidden) {
      this.problem('unknown-option', `"${written}" is unknown: import "${LANGUAGE_FEATURE_SETS.get(set)!.file}", which declares it`, range, 'error');
    }
    const unseen = (r: Range): boolean => hidden.some((u) => rangeContains(u.span, r.start));
    const repeated = repeatedFeatures(options).filter((d) => !unseen(d.range));
    // Of a feature set again, buf says only that: not its edition, nor its target, nor (set one at a time) its value.
    const again = (r: Range): boolean => unseen(r) || repeated.some((d) => rangeContains(d.range, r.start));
    for (const { feature, range, support } of featuresOutsideEdition(options, edition)) {
      if (again(range)) continue;
      this.problem('feature-edition', `features.${feature} is not supported in edition ${edition}: ${editionsOf(support)}`, range, 'error');
    }
    if (target) {
      for (const { feature, range, targets } of misplacedFeatures(options, target)) {
        if (again(range)) continue;
        this.problem('feature-target', `features.${feature} cannot be set on ${onElement(target)}: protoc takes it on ${targets.map(onElement).join(' or ')}`, range, 'error');
      }
    }
    for (const { range, refusal, feature, of, path } of unknownFeatures(options)) {
      if (unseen(range) || (refusal !== undefined && repeated.some((d) => d.value && rangeContains(d.value, range.start)))) continue;
      if (refusal !== undefined) this.problem('invalid-option-value', refusal, range, 'error');
      else this.problem('unknown-option', path ?? `"${feature}" is not a feature of ${of}`, range, 'error');
    }
    for (const { range, message } of repeated) this.problem('duplicate-option', message, range, 'error');
  }

  /**
   * What protoc refuses in the options of an element (see options.ts), its name looked up from `scope`; most elements
   * have none.
   */
  private checkOptions(options: readonly OptionNode[], kind: OptionsOf, scope: string): void {
    if (!options.length) return;
    for (const p of optionProblems(options, kind)) this.problem(p.code, p.message, p.range, 'error');
    this.keepCustomOptions(options, kind, scope);
  }

  /** An element's options, for checkCustomOptions where one is custom (`(x) = …`). */
  private keepCustomOptions(options: readonly OptionNode[], kind: OptionsOf, scope: string): void {
    if (options.some((o) => o.name.startsWith('('))) this.customOptions.push({ options, scope, extendee: optionsMessage(kind) });
  }

  /**
   * Custom options: each an extension the file or an import declares, the keys of their aggregate values and the
   * parts of their paths each a field or an extension of its message (see aggregateOptions.ts).
   */
  private checkCustomOptions(): void {
    if (!this.customOptions.length) return;
    // An extension the file does not declare may be an import's, or one of an import that is not found.
    let elsewhere: Set<string> | undefined;
    const declaredElsewhere = (fqn: string): boolean => {
      elsewhere ??= new Set(this.importedExtensions.flatMap((x) => x.numbers.map((n) => join(x.scope, n.name))));
      return elsewhere.has(fqn) || this.importMissing;
    };
    const resolveType = (written: string, scope: string): { kind: 'message' | 'enum'; fqn: string } | undefined => {
      const d = SCALARS.has(written) ? undefined : this.resolveType(written, scope);
      return d?.kind === 'message' || d?.kind === 'enum' ? { kind: d.kind, fqn: d.fqn } : undefined;
    };
    const hidden = (fqn: string): string | undefined => {
      const d = this.declarations.get(fqn);
      return d?.local ? this.notExported(d) : undefined;
    };
    const importedFiles = (): readonly ProtoFile[] => this.importedFiles.map((f) => f.ast);
    for (const p of customOptionProblems(this.customOptions, this.ast, { resolveType, declaredElsewhere, hidden, importedFiles })) this.problem(p.code, p.message, p.range, 'error');
  }

  private problem(code: string, message: string, range: Range, severity: Severity): void {
    this.problems.push({ code, message, range, severity });
  }

  // ---- declarations --------------------------------------------------------------------------------

  /** Adds or replaces a declaration; `scope` and `name` are the parts of its `fqn`. */
  private setDeclaration(scope: string, name: string, d: Declaration): void {
    if (!this.declarations.has(d.fqn)) addToIndex(this.names, scope, name, d.fqn);
    this.declarations.set(d.fqn, d);
  }

  private declarePackage(pkg: string, uri?: string): void {
    let prefix = '';
    for (const part of pkg ? pkg.split('.') : []) {
      const scope = prefix;
      prefix = prefix ? `${prefix}.${part}` : part;
      if (!this.declarations.has(prefix)) this.setDeclaration(scope, part, uri ? { fqn: prefix, kind: 'package', uri } : { fqn: prefix, kind: 'package' });
    }
  }

  /** Declares every type of a file; only the file being bound reports duplicates. */
  private declareFile(ast: ProtoFile, uri: string, report: boolean): void {
    const pkg = ast.package?.name.replace(/^\./, '') ?? '';
    const byDefault = report ? undefined : defaultVisibility(ast);
    const declare = (scope: string, name: string, kind: Declaration['kind'], node: { nameRange: Range }, doc?: string, local?: boolean): void => {
      const fqn = join(scope, name);
      const prev = this.declarations.get(fqn);
      if (prev && prev.kind !== 'package' && report) {
        const where = prev.uri === this.uri ? '' : ` (also declared in ${this.fileName(prev.uri)})`;
        this.problem('duplicate-name', `"${fqn}" is already defined${where}`, node.nameRange, 'error');
        this.reportedDuplicates.add(node);
        return;
      }
      // An imported file's declaration keeps its range, not its node: the analysis would otherwise keep the
      // whole syntax tree of every import alive (about 30 times its text) for as long as the document is open.
      const d: Declaration = report ? new NodeDeclaration(fqn, kind, uri, node) : { fqn, kind, uri, nameRange: node.nameRange };
      if (doc !== undefined) d.doc = doc;
      if (local) d.local = true;
      this.setDeclaration(scope, name, d);
    };
    const local = (node: MessageNode | EnumNode, nested: boolean): boolean => byDefault !== undefined && !isExported(node, nested, byDefault);
    const walkMessage = (m: MessageNode, scope: string, nested = false): void => {
      if (!m.name) return;
      const fqn = join(scope, m.name);
      declare(scope, m.name, 'message', m, m.comments.leading?.text, local(m, nested));
      const messageSet = report ? messageSetOption(m) : undefined;
      if (messageSet) this.messageSets.set(fqn, messageSet);
      // An imported message's extension ranges, for the numbers of this file's extensions of it (its own: see message).
      if (!report && m.extensions.length) this.extensionRangesOf.set(fqn, extensionRanges(m));
      for (const n of m.messages) walkMessage(n, fqn, true);
      for (const f of m.fields) if (f.group) walkMessage(f.group, fqn, true);
      extensionGroups(m.extends, fqn);
      for (const e of m.enums) if (e.name) declare(fqn, e.name, 'enum', e, e.comments.leading?.text, local(e, true));
    };
    // A group in an `extend` declares its message where the `extend` is, not in the extended message.
    const extensionGroups = (extendBlocks: readonly ExtendNode[], scope: string): void => {
      for (const x of extendBlocks) {
        for (const f of x.fields) if (f.group) walkMessage(f.group, scope);
        for (const f of x.fields) if (f.name) this.declareExtension(x.extendee, scope, uri, f, report);
        if (!report) {
          const numbers = x.fields.flatMap((f) => (f.number === undefined ? [] : [{ number: f.number, name: f.name }]));
          if (numbers.length) this.importedExtensions.push({ extendee: x.extendee, scope, uri, numbers });
        }
      }
    };
    for (const m of ast.messages) walkMessage(m, pkg);
    extensionGroups(ast.extends, pkg);
    for (const e of ast.enums) if (e.name) declare(pkg, e.name, 'enum', e, e.comments.leading?.text, local(e, false));
    for (const s of ast.services) if (s.name) declare(pkg, s.name, 'service', s, s.comments.leading?.text);
    if (!report && pkg === this.pkg) {
      // An imported file of the same package: its names in the package scope (the file being bound checks its
      // own in checkScopes; the scopes of messages are one file's).
      this.importsOwnPackage = true;
      const name = (n: string, kind: 'enum value' | 'extension'): void => {
        if (n && !this.importedNames.has(n)) this.importedNames.set(n, { kind, uri });
      };
      for (const e of ast.enums) if (e.name) for (const v of e.values) name(v.name, 'enum value');
      for (const x of ast.extends) for (const f of x.fields) name(f.name, 'extension');
    }
  }

  /**
   * An extension, for navigation: the file's own keeps its node (its tree is kept anyway); an import's keeps what
   * navigation shows of it, not the node, as an import's type declarations do. The first import's of a name stays;
   * the file's own replaces it (it is declared after its imports).
   */
  private declareExtension(extendee: string, scope: string, uri: string, f: FieldNode, own: boolean): void {
    const fqn = join(scope, f.name);
    if (own) {
      this.extensions.set(fqn, new NodeExtension(fqn, extendee, scope, uri, f));
      return;
    }
    if (this.extensions.has(fqn)) return;
    const doc = f.comments.leading?.text ?? f.comments.trailing?.text;
    this.extensions.set(fqn, {
      fqn, extendee, scope, type: f.type, uri, nameRange: f.nameRange,
      ...(f.label ? { label: f.label } : {}), ...(f.number !== undefined ? { number: f.number } : {}), ...(doc !== undefined ? { doc } : {}),
    });
  }

  /**
   * Declares the types of the file's imports and their public imports. Each file is read and declared once,
   * however many import paths lead to it (by the resolver's key: its real path), and all of them within one
   * ImportBudget: beyond it, imports are reported as refused.
   */
  private loadImports(): void {
    const budget = this.resolver?.newBudget?.(this.uri) ?? new ImportBudget();
    budget.add(this.uri);
    /** Direct imports already told that a public import behind them was refused for the budget. */
    const toldBudget = new Set<ImportNode>();
    const visit = (ast: ProtoFile, fromUri: string, depth: number, root: ImportNode | undefined): void => {
      const direct = root === undefined;
      for (const imp of ast.imports) {
        // Only the file's own imports and public imports of those are visible, as in protoc.
        if (!direct && imp.modifier !== 'public') continue;
        const wkt = wellKnownTypes(imp.path);
        if (wkt) {
          for (const [set, { file }] of LANGUAGE_FEATURE_SETS) if (file === imp.path) this.languageSets.add(set);
          if (this.pkg === wkt.pkg) this.importsOwnPackage = true;
          this.declarePackage(wkt.pkg);
          for (const t of wkt.types) {
            const k = t.fqn.lastIndexOf('.');
            if (!this.declarations.has(t.fqn)) this.setDeclaration(t.fqn.slice(0, k), t.fqn.slice(k + 1), { fqn: t.fqn, kind: t.kind });
          }
          continue;
        }
        if (depth >= MAX_IMPORT_DEPTH) continue;
        const refusedBefore = budget.refused;
        let found = this.resolver?.resolve(imp.path, fromUri, budget);
        let key: string | undefined;
        if (found && !('tried' in found)) {
          key = found.key ?? found.uri;
          if (budget.has(key) || budget.has(found.uri)) continue; // read already: another path to the same file
          // Counted here whatever the resolver does: it checked the same budget before reading.
          const size = found.size ?? found.text?.length ?? 0;
          const why = budget.refusal(size);
          if (why) found = { tried: [], refused: why };
          else if (!found.ast && found.text === undefined) found = undefined;
        }
        if (!found || 'tried' in found) {
          this.importMissing = true;
          if (direct) {
            const tried = found && 'tried' in found && found.tried.length ? ` (looked in ${found.tried.join(', ')})` : ' (no import paths are configured)';
            const why = found?.refused ? `was refused: ${found.refused}` : `was not found${tried}`;
            this.problem('unresolved-import', `import "${imp.path}" ${why}; types from it are not checked`, imp.pathRange, 'warning');
          } else if (found?.refused && budget.refused > refusedBefore && !toldBudget.has(root)) {
            // A public import behind a direct one: said on the direct import, once.
            toldBudget.add(root);
            this.problem('unresolved-import', `import "${root.path}": "${imp.path}", which it imports publicly, was refused: ${found.refused}; types from it are not checked`, root.pathRange, 'warning');
          }
          continue;
        }
        budget.charge(key!, found.size ?? found.text?.length ?? 0);
        budget.add(found.uri);
        this.importNames.set(found.uri, root ? `"${imp.path}", which "${root.path}" imports publicly` : `"${imp.path}"`);
        const sub = found.ast ?? parse(found.text!);
        if (sub.errors.length) this.brokenImport(sub, imp, root);
        if (this.ast.setsCustomOptions) this.importedFiles.push({ uri: found.uri, ast: sub });
        this.declarePackage(sub.package?.name.replace(/^\./, '') ?? '', found.uri);
        this.declareFile(sub, found.uri, false);
        this.declareClosedEnums(sub);
        visit(sub, found.uri, depth + 1, root ?? imp);
      }
    };
    visit(this.ast, this.uri, 0, undefined);
  }

  /**
   * An imported file with syntax errors, or bytes that are not UTF-8 text (the resolver puts that first in its
   * errors): protoc and buf refuse it, while the binder uses what declarations it parsed. Said at the import the
   * file wrote (for a public import, at the direct one), with the first error, so that findings computed without
   * the types after it are not trusted silently; and like a missing import, it may have declared what is unknown.
   */
  private brokenImport(sub: ProtoFile, imp: ImportNode, root: ImportNode | undefined): void {
    this.importMissing = true;
    const first = sub.errors[0]!;
    // As a compiler names an error: path:line:column (1-based), the path as the import wrote it.
    const where = `${imp.path}:${first.range.start.line + 1}:${first.range.start.character + 1}`;
    const which = root ? `import "${root.path}": "${imp.path}", which it imports publicly, is broken` : `import "${imp.path}" is broken`;
    this.problem('broken-import', `${which}: ${where}: ${first.message}; protoc and buf refuse the file, and types from it may be missing`, (root ?? imp).pathRange, 'warning');
  }

  /** An imported file as problems name it (see importNames). */
  private fileName(uri: string | undefined): string {
    return (uri && this.importNames.get(uri)) ?? uri ?? 'a bundled file';
  }

  // ---- names in a scope ----------------------------------------------------------------------------

  /**
   * What protoc reports as "already defined" beyond the duplicates reported with the declarations (types),
   * the fields of one message and the values of one enum: protoc keeps one table of names per scope, where a
   * message's fields, oneofs, nested types, extensions and the values of its nested enums all take a name, and
   * an enum value takes its name in the scope around its enum (C++ scoping: `enum E { A = 0; }` declares `A`
   * next to `E`, not `E.A`). So a field and a nested type of one message, or two enum values of different
   * enums of one scope, may not share a name. Reported on the later declaration, as the other duplicates.
   */
  private checkScopes(): void {
    const pkg = this.pkg;
    // Types and services clash only with one another (see declareFile): the package needs a check when it
    // has enum values or extensions, or an imported file declares names in it.
    if (this.ast.enums.length > 0 || this.ast.extends.length > 0 || this.importsOwnPackage) {
      this.checkScope(pkg, (add) => {
        for (const m of this.ast.messages) if (m.name) add(m.name, 'message', m, undefined);
        for (const e of this.ast.enums) if (e.name) addEnum(e, add);
        for (const s of this.ast.services) if (s.name) add(s.name, 'service', s, undefined);
        for (const x of this.ast.extends) for (const f of x.fields) if (f.name && f.number !== undefined) add(f.name, 'extension', f, undefined);
      });
    }
    const walk = (m: MessageNode, scope: string): void => {
      if (!m.name) return;
      const groups = m.fields.some((f) => f.group);
      // A message of fields only, the most common, has no names but its fields', which `message` checks.
      if (m.messages.length === 0 && m.enums.length === 0 && m.oneofs.length === 0 && m.extends.length === 0 && !groups) return;
      const fqn = join(scope, m.name);
      this.checkScope(fqn, (add) => {
        for (const n of m.messages) if (n.name) add(n.name, 'message', n, undefined);
        for (const e of m.enums) if (e.name) addEnum(e, add);
        for (const f of m.fields) {
          if (f.name && f.number !== undefined) add(f.name, 'field', f, m);
          // A group's message has the group's name; its field, the name in lower case.
          if (f.group?.name) add(f.group.name, 'message', f.group, f);
        }
        for (const o of m.oneofs) if (o.name) add(o.name, 'oneof', o, undefined);
        for (const x of m.extends) for (const f of x.fields) if (f.name && f.number !== undefined) add(f.name, 'extension', f, undefined);
      });
      for (const n of m.messages) walk(n, fqn);
      if (groups) for (const f of m.fields) if (f.group) walk(f.group, fqn);
    };
    for (const m of this.ast.messages) walk(m, pkg);
  }

  /**
   * Checks the names one scope declares (`each` lists them; `owner` is a field's message, an enum value's enum,
   * a group message's field). Nothing is built for a scope whose names are all distinct.
   */
  private checkScope(scope: string, each: (add: AddSymbol) => void): void {
    const seen = this.scopeNames;
    let clashing: Set<string> | undefined;
    each((name, _kind, node) => {
      if (seen.has(name)) (clashing ??= new Set()).add(name);
      else seen.set(name, node);
    });
    seen.clear();
    // The file's package scope also holds what imported files of the same package declare.
    const imports = scope === this.pkg && this.importsOwnPackage;
    if (!clashing && !imports) return;
    const byName = new Map<string, ScopeSymbol[]>();
    each((name, kind, node, owner) => {
      if (clashing?.has(name)) {
        const list = byName.get(name);
        const s: ScopeSymbol = { name, kind, node, owner };
        if (list) list.push(s);
        else byName.set(name, [s]);
      }
      if (imports && !this.reportedDuplicates.has(node)) this.importClash(scope, name, kind, node);
    });
    for (const list of byName.values()) {
      const at = list.map((s) => s.node.nameRange.start);
      const order = list.map((_, k) => k).sort((a, b) => comparePositions(at[a]!, at[b]!));
      for (let k = 1; k < order.length; k++) {
        const s = list[order[k]!]!;
        if (this.reportedDuplicates.has(s.node)) continue;
        let first: ScopeSymbol | undefined;
        for (let j = 0; j < k && !first; j++) if (!reportedElsewhere(list[order[j]!]!, s)) first = list[order[j]!]!;
        if (!first) continue;
        const note = s.kind === 'enum value' || first.kind === 'enum value' ? enumValueNote(scope) : '';
        this.problem('duplicate-name', `"${join(scope, s.name)}" is already defined by ${describe(first)}${note}`, s.node.nameRange, 'error');
        this.reportedDuplicates.add(s.node);
      }
    }
  }

  /** A name of the file's package scope that an imported file declares too (types vs types: see declareFile). */
  private importClash(scope: string, name: string, kind: ScopeSymbol['kind'], node: { nameRange: Range }): void {
    const type = kind === 'message' || kind === 'enum' || kind === 'service';
    const fqn = join(scope, name);
    let other: string;
    let uri: string | undefined;
    const imported = this.importedNames.get(name);
    if (imported) {
      other = `an ${imported.kind}`;
      uri = imported.uri;
    } else if (!type) {
      const d = this.declarations.get(fqn);
      if (!d || d.kind === 'package' || d.uri === this.uri) return;
      other = `the ${d.kind} "${d.fqn}"`;
      uri = d.uri;
    } else return;
    const note = kind === 'enum value' || imported?.kind === 'enum value' ? enumValueNote(scope) : '';
    this.problem('duplicate-name', `"${fqn}" is already defined by ${other} in ${this.fileName(uri)}${note}`, node.nameRange, 'error');
    this.reportedDuplicates.add(node);
  }

  // ---- resolution ----------------------------------------------------------------------------------

  /** protoc's lookup (see lookup.ts). */
  resolveType(written: string, scope: string): Declaration | undefined {
    return lookup(written, scope, this.names, this.declarations);
  }

  private typeRef(ref: TypeReference, scope: string): Declaration | undefined {
    if (!ref.written) return undefined;
    const d = this.resolveType(ref.written, scope);
    if (d) ref.target = d.fqn;
    this.references.push(ref);
    if (!d) this.problem(UNRESOLVED_TYPE, `unknown type "${ref.written}"`, ref.range, 'error');
    else if (d.local) this.problem('not-exported', this.notExported(d), ref.range, 'error');
    return d;
  }

  private notExported(d: Declaration): string {
    return `${d.kind} "${d.fqn}" is not exported by ${this.fileName(d.uri)}: another file cannot use it`;
  }

  // ---- elements ------------------------------------------------------------------------------------

  /** `parentFeatures`: the file's or the enclosing message's, in an editions file. */
  private message(m: MessageNode, scope: string, model: ApiModel, parentFeatures: Features | undefined): void {
    if (!m.name) return;
    const features = parentFeatures && resolveFeatures(parentFeatures, m.options);
    if (features) {
      this.misplacedFeatures(m.options, 'message');
      for (const o of m.oneofs) this.misplacedFeatures(o.options, 'oneof');
      // buf checks no target on an extension range: features.field_presence is taken there, as any other.
      for (const e of m.extensions) this.misplacedFeatures(e.options, undefined);
    }
    const fqn = join(scope, m.name);
    const def: MessageDef = { fqn, name: m.name, fields: [], oneofs: m.oneofs.map((o) => o.name), reservedNumbers: [], reservedNames: [], node: m };
    if (m.comments.leading) def.doc = m.comments.leading.text;
    if (isDeprecated(m.options)) def.deprecated = true;
    if (features) def.features = features;
    this.checkOptions(m.options, 'message', fqn);
    for (const o of m.oneofs) this.checkOptions(o.options, 'oneof', fqn);
    for (const e of m.extensions) this.checkOptions(e.options, 'extension range', fqn);
    model.messages.push(def);
    // protoc: "Extension ranges are not allowed in proto3" (extensions there declare options only); buf marks each range.
    if (this.proto3) {
      for (const e of m.extensions) for (const r of e.ranges) this.problem('proto3-extensions', 'extension ranges are not allowed in proto3', r.range, 'error');
    }
    // A message set's extensions take any positive int32 (protoc's kint32max), its fields and reservations do not.
    // The option found when the message was declared (another message declared with its name has its own options).
    const found = this.messageSets.get(fqn);
    const messageSet = found && m.options.includes(found) ? found : undefined;
    // protoc: "MessageSet is not supported in proto3", and "MessageSets cannot have fields, only extensions"; buf
    // refuses one without extension ranges, which could hold nothing. Marked where buf marks them: the option, each field.
    if (messageSet && this.proto3) this.problem('message-set', 'a message set (message_set_wire_format) is not allowed in proto3', messageSet.nameRange, 'error');
    else if (messageSet) {
      for (const f of m.fields) this.problem('message-set', `message set "${m.name}" cannot have fields, only extensions: "${f.name}"`, f.range, 'error');
      if (!m.extensions.length) this.problem('message-set', `message set "${m.name}" declares no extension ranges: it holds extensions only`, messageSet.nameRange, 'error');
    }
    this.reserved(m.reserved, def, 1, FIELD_MAX, m.extensions, messageSet ? ENUM_MAX : FIELD_MAX);
    const ranges = extensionRanges(m);
    if (ranges.length) this.extensionRangesOf.set(fqn, ranges);

    // A message of one field has no duplicates to find. The maps are the binder's, emptied for each message: its
    // fields are done before a nested message is bound (a file of 100,000 messages made 300,000 of them).
    const many = m.fields.length > 1;
    const { byNumber, byName, byJson } = many ? this.fieldIndex : NO_FIELD_INDEX;
    if (many) {
      byNumber!.clear();
      byName!.clear();
      byJson!.clear();
    }
    // An index only for many reservations (see RESERVED_SCAN_MAX).
    const spans = def.reservedNumbers.length > RESERVED_SCAN_MAX ? new NumberSpans(def.reservedNumbers) : undefined;
    const reservedNames = def.reservedNames.length > RESERVED_SCAN_MAX ? new Set(def.reservedNames) : undefined;
    for (const f of m.fields) {
      const field = this.field(f, fqn, features);
      if (!field) continue;
      def.fields.push(field);
      // protoc declares a message for a map's entries (`m` → `MEntry`) next to it: a type of that name clashes, where
      // buf marks the map's type ("`MEntry` declared multiple times").
      if (f.mapKey !== undefined && this.declarations.has(join(fqn, mapEntryName(f.name)))) {
        this.problem('duplicate-name', `"${join(fqn, mapEntryName(f.name))}" is already defined: the map field "${f.name}" declares it for its entries`, f.typeRange, 'error');
      }
      const n = f.number!;
      const dupe = byNumber?.get(n);
      if (dupe) this.problem(DUPLICATE_NUMBER, `field number ${n} is already used by "${dupe.name}"`, f.numberRange, 'error');
      else byNumber?.set(n, f);
      const same = byName?.get(f.name);
      if (same) {
        this.problem('duplicate-name', `field "${f.name}" is already defined in "${m.name}"`, f.nameRange, 'error');
        this.reportedDuplicates.add(f);
      } else byName?.set(f.name, f);
      // A json_name still being typed (`"fooB`, OptionNode.unsettled) names nothing yet: the field takes no part in
      // the clash check until it is settled, as the other checks ignore such a value.
      const json = f.options.find((o) => o.name === 'json_name');
      if (!same && !json?.unsettled) {
        const j = byJson?.get(field.jsonName);
        // proto3 and editions (unless json_format = LEGACY_BEST_EFFORT) refuse any clash; proto2 one with a json_name.
        const refused = j && (this.proto3 || (features && features.jsonFormat !== 'LEGACY_BEST_EFFORT') || hasJsonName(f) || hasJsonName(j));
        if (refused) {
          // Marked where buf marks it: the field's json_name, else its name.
          this.problem('duplicate-json-name', `JSON name "${field.jsonName}" of "${f.name}" conflicts with field "${j.name}"`, json ? json.valueRange : f.nameRange, 'error');
        } else if (!j) byJson?.set(field.jsonName, f);
      }
      if (n < 1 || n > FIELD_MAX) this.problem('number-out-of-range', `field number ${n} is out of range (1 to ${FIELD_MAX})`, f.numberRange, 'error');
      else if (n >= 19000 && n <= 19999) this.problem('number-reserved-by-protobuf', `field numbers 19000 to 19999 are reserved for the protobuf implementation`, f.numberRange, 'error');
      if (spans ? spans.has(n) : isReserved(def.reservedNumbers, n)) this.problem('uses-reserved', `field "${f.name}" uses reserved number ${n}`, f.numberRange, 'error');
      if (ranges.length > 0 && isReserved(ranges, n)) this.problem('uses-reserved', `field "${f.name}" uses number ${n}, which an extension range holds`, f.numberRange, 'error');
      if (reservedNames ? reservedNames.has(f.name) : def.reservedNames.includes(f.name)) this.problem('uses-reserved', `field name "${f.name}" is reserved`, f.nameRange, 'error');
    }
    for (const o of m.oneofs) {
      // Marked whole, as buf marks it.
      if (o.fields.length === 0) this.problem('oneof-empty', `oneof "${o.name}" must have at least one field`, o.range, 'error');
      for (const f of o.fields) if (f.mapKey !== undefined) this.problem('map-in-oneof', `map field "${f.name}" is not allowed in a oneof`, f.typeRange, 'error');
    }
    for (const n of m.messages) this.message(n, fqn, model, features);
    for (const f of m.fields) if (f.group) this.message(f.group, fqn, model, features);
    for (const e of m.enums) model.enums.push(this.enumDef(e, fqn, features));
    for (const x of m.extends) this.extend(x.extendee, x.extendeeRange, x.fields, fqn, model, features);
  }

  /**
   * `scopeFeatures`: the enclosing message's (or, for an extension declared at the top level, the file's), in an
   * editions file. A oneof's own features are not read: its fields always have presence and are never repeated,
   * so no feature resolved here applies to them.
   */
  private field(f: FieldNode, scope: string, scopeFeatures: Features | undefined, extension = false): FieldDef | undefined {
    if (f.number === undefined || !f.name) return undefined;
    let type: string;
    let typeKind: FieldDef['typeKind'];
    if (f.mapKey !== undefined) {
      // Without a key type (`map<, V>`) only the syntax error is said: buf checks no key that is not there. A key that
      // names nothing is unknown, as protoc and buf say, not a message or an enum, which no map takes.
      const keyRange = f.mapKeyRange ?? f.typeRange;
      if (f.mapKey && !SCALARS.has(f.mapKey) && !this.resolveType(f.mapKey, scope)) this.problem(UNRESOLVED_TYPE, `unknown type "${f.mapKey}"`, keyRange, 'error');
      else if (f.mapKey && (!SCALARS.has(f.mapKey) || f.mapKey === 'double' || f.mapKey === 'float' || f.mapKey === 'bytes')) {
        this.problem('invalid-map-key', `map key type must be an integer type, bool or string, not "${f.mapKey}"`, keyRange, 'error');
      }
      const value = SCALARS.has(f.type) ? undefined : this.typeRef(new FieldTypeReference(f), scope);
      // A map's entry message is of the file's syntax: in proto3, its value may not be a closed enum either.
      if (value?.kind === 'enum' && this.proto3) this.openEnumFields.push({ field: f, enumFqn: value.fqn });
      type = `map<${f.mapKey},${value?.fqn ?? f.type}>`;
      typeKind = 'map';
    } else if (SCALARS.has(f.type)) {
      type = f.type;
      typeKind = 'scalar';
    } else {
      const d = this.typeRef(new FieldTypeReference(f), scope);
      if (d && d.kind !== 'message' && d.kind !== 'enum') {
        this.problem('not-a-type', `"${f.type}" is a ${d.kind}, not a message or enum`, f.typeRange, 'error');
      }
      type = d ? d.fqn : f.type;
      typeKind = d?.kind === 'message' || d?.kind === 'enum' ? d.kind : 'unresolved';
    }
    const features = scopeFeatures && resolveFeatures(scopeFeatures, f.options);
    if (features) {
      this.misplacedFeatures(f.options, 'field');
      this.checkFieldFeatures(f, typeKind, type);
    }
    let label: FieldLabel = f.label ?? (features ? editionLabel(f, typeKind, features) : this.proto3 || f.oneof ? 'implicit' : 'optional');
    if (f.mapKey !== undefined) label = 'repeated';
    if (f.group && (this.proto3 || features)) {
      this.problem('group-not-allowed', `groups are not allowed in ${features ? 'an editions file: declare a message and a field of it with features.message_encoding = DELIMITED' : 'proto3: declare a message and a field of it'}`, groupKeyword(f.group), 'error');
    } else if (f.group && !/^[A-Z]/.test(f.type)) this.problem('group-name', `the name of group "${f.type}" must start with a capital letter`, f.typeRange, 'error');
    if (typeKind === 'enum' && (this.proto3 || (label === 'implicit' && !f.oneof && features?.fieldPresence === 'IMPLICIT'))) this.openEnumFields.push({ field: f, enumFqn: type });
    if (f.label === 'required' && this.proto3) this.problem('proto3-required', 'required fields are not allowed in proto3', f.labelRange!, 'error');
    // Editions say presence with a feature, as protoc insists.
    if (features && (f.label === 'optional' || f.label === 'required')) {
      this.problem('editions-label', `the label "${f.label}" is not allowed in an editions file: use features.field_presence (${f.label === 'optional' ? 'EXPLICIT' : 'LEGACY_REQUIRED'})`, f.labelRange!, 'error');
    }
    // A file without a syntax statement is proto2, as protoc and buf read it: its unlabelled fields are refused too,
    // and the message says why proto2's rule applies.
    if (!f.label && !this.proto3 && !this.ast.edition && !f.oneof && f.mapKey === undefined) {
      // At its type, where buf marks it ("unexpected type name").
      const proto2 = this.ast.syntax ? ' in proto2' : ': a file without a syntax statement is proto2';
      this.problem('proto2-label', `field "${f.name}" needs a label (optional, required or repeated)${proto2}`, f.typeRange, 'error');
    }
    const def: FieldDef = { name: f.name, number: f.number, type, typeKind, label, jsonName: jsonNameOf(f.name), node: f };
    if (f.oneof) def.oneof = f.oneof;
    const json = f.options.find((o) => o.name === 'json_name');
    // An unsettled json_name is no name yet (see the clash check): the field keeps the one protoc derives.
    const jsonName = json && !json.unsettled ? settingOf(json, (v) => /^["']/.test(v)) : undefined;
    if (jsonName !== undefined) def.jsonName = stringValue(jsonName);
    if (isDeprecated(f.options)) def.deprecated = true;
    if (features?.utf8Validation === 'NONE' && holdsStrings(def)) def.utf8Unchecked = true;
    const packed = f.options.find((o) => o.name === 'packed');
    // As protoc says ("Field option packed is not allowed in edition 2023"); the encoding is still read from it.
    if (packed && features) this.problem('editions-packed', 'the option "packed" is not allowed in an editions file: use features.repeated_field_encoding (EXPANDED or PACKED)', packed.nameRange, 'error');
    // Most fields have no options (they share one empty list): nothing to check then, on every keystroke.
    if (f.options.length) {
      this.checkDefault(f, def, features, extension);
      for (const p of fieldOptionProblems(f, typeKind, type)) this.problem(p.code, p.message, p.range, 'error');
      this.keepCustomOptions(f.options, 'field', scope);
      if (typeKind !== 'unresolved') this.checkPacking(f, label === 'repeated' && isPackable(typeKind, type), packed, features);
    }
    // A list, which buf refuses, packs as its first bool does. Editions pack by default, as proto3 does (compare's
    // `packed`); EXPANDED is what `[packed = false]` was.
    const packing = packed && settingOf(packed, isBool);
    if (packing !== undefined) def.packed = packing === 'true';
    else if (!packed && features?.repeatedFieldEncoding === 'EXPANDED' && label === 'repeated' && isPackable(typeKind, type)) def.packed = false;
    if (f.comments.leading) def.doc = f.comments.leading.text;
    return def;
  }

  /**
   * The field features protoc refuses on a field that they cannot apply to: presence on a oneof's field or a repeated
   * one, implicit presence on a message field, UTF-8 validation on a field that holds no strings, and a message
   * encoding on a field that is not a message (a map included). Marked where buf 1.75 marks them: the field, its
   * label and type, or its type, not the option.
   */
  private checkFieldFeatures(f: FieldNode, typeKind: FieldDef['typeKind'], type: string): void {
    const refuse = (range: Range, message: string): void => this.problem('feature-target', message, range, 'error');
    const presence = ownFeature(f.options, 'field_presence');
    if (presence) {
      if (f.oneof) refuse(f.range, 'a oneof\'s field cannot set features.field_presence: it always has presence');
      else if (f.label === 'repeated' || f.mapKey !== undefined) refuse(labelAndType(f), 'a repeated field cannot set features.field_presence');
      else if (typeKind === 'message' && presence.value === 'IMPLICIT') refuse(f.typeRange, 'a message field cannot have implicit presence');
    }
    if (typeKind === 'unresolved') return;
    const utf8 = ownFeature(f.options, 'utf8_validation');
    if (utf8 && !holdsStrings({ type, typeKind })) refuse(f.typeRange, `only a string field (or a map with strings) can set features.utf8_validation, not ${withArticle(typeKind === 'scalar' ? type : typeKind)} field`);
    const encoding = ownFeature(f.options, 'message_encoding');
    if (encoding && typeKind !== 'message') refuse(f.typeRange, `only a message field can set features.message_encoding, not ${withArticle(typeKind === 'scalar' ? type : typeKind)} field`);
  }

  /**
   * protoc takes a default only on a singular scalar or enum field that has presence, and only of the field's type.
   * Marked where buf marks it: a value not of the field's type at the value (buf checks it first), a default in proto3
   * over `default = …`, one on a repeated or message field at the field's type (a group's name).
   */
  private checkDefault(f: FieldNode, def: FieldDef, features: Features | undefined, extension: boolean): void {
    const option = f.options.find((o) => o.name === 'default');
    if (!option) return;
    const refused = this.proto3 ? 'a proto3 file'
      : def.label === 'repeated' ? 'a repeated field'
      : def.typeKind === 'message' ? 'a message field'
      // An extension has presence whatever the file's default (protoc's has_presence(); buf takes its default too).
      : features?.fieldPresence === 'IMPLICIT' && def.label === 'implicit' && !f.oneof && !extension ? 'a field of implicit presence'
      : undefined;
    const type: ValueType | undefined = def.typeKind === 'scalar' ? { kind: 'scalar', type: def.type } : def.typeKind === 'enum' ? { kind: 'enum', fqn: def.type, values: undefined } : undefined;
    if (refused) {
      const message = `a default value is not allowed on ${refused}: ${this.proto3 ? 'proto3 fields default to zero' : 'protoc refuses it'}`;
      const notAMessage = (def.typeKind === 'message' || def.typeKind === 'map') && !option.value.startsWith('{');
      const wrong = type && !listOf(option) ? defaultValueProblem(def.type, def.typeKind, option.value) : undefined;
      if (wrong || notAMessage) this.problem('invalid-default', wrong ?? message, wrongValueRange(type ?? MESSAGE_VALUE, option.value, option.valueRange), 'error');
      else if (this.proto3) this.problem('invalid-default', message, { start: option.nameRange.start, end: option.valueRange.end }, 'error');
      // buf 1.75 takes a default on an implicit-presence field, which protoc refuses: marked at `default`.
      else this.problem('invalid-default', message, refused === 'a field of implicit presence' ? option.nameRange : f.group ? f.nameRange : f.typeRange, 'error');
      return;
    }
    const list = listOf(option);
    // buf refuses a list, and checks each of its values as the default.
    if (list) this.problem('invalid-option-value', '"default" is not repeated: it takes one value, not a list', option.valueRange, 'error');
    for (const { scalar, range } of list ?? [{ scalar: option.value, range: option.valueRange }]) {
      const wrong = defaultValueProblem(def.type, def.typeKind, scalar ?? '{…}');
      if (wrong) this.problem('invalid-default', wrong, type && scalar !== undefined ? wrongValueRange(type, scalar, range) : range, 'error');
      else if (def.typeKind === 'enum') this.enumDefaults.push({ name: scalar!.trim(), range, enumFqn: def.type });
    }
  }

  /**
   * protoc packs only repeated fields of scalar numbers, bools and enums: it refuses `[packed = true]` elsewhere
   * (false changes nothing), and a field's own repeated_field_encoding on a field that is not repeated, or PACKED on
   * one that cannot be packed. buf 1.75 marks a field that is not repeated (a map too) by its label and type, another
   * by its type.
   */
  private checkPacking(f: FieldNode, packable: boolean, packed: OptionNode | undefined, features: Features | undefined): void {
    const what = (): string => (f.mapKey !== undefined ? 'a map' : f.label === 'repeated' ? `a repeated ${f.type}` : 'a field that is not repeated');
    const at = f.label === 'repeated' ? f.typeRange : labelAndType(f);
    if (packed && isTrue(packed) && !features && !packable) {
      this.problem('not-packable', `[packed = true] is not allowed on ${what()}: only repeated fields of numbers, bools and enums are packed`, at, 'error');
    }
    const own = features && ownFeature(f.options, 'repeated_field_encoding');
    if (!own) return;
    if (f.label !== 'repeated' && f.mapKey === undefined) {
      this.problem('not-packable', `features.repeated_field_encoding is not allowed on ${what()}: only a repeated field has an encoding`, at, 'error');
    } else if (own.value === 'PACKED' && !packable) {
      this.problem('not-packable', `features.repeated_field_encoding = PACKED is not allowed on ${what()}: only repeated fields of numbers, bools and enums are packed`, at, 'error');
    }
  }

  /**
   * protoc's rules for extensions: of a message (in proto3 an options message only), no map, no json_name, never
   * required, and (editions) no presence of their own.
   */
  private extend(extendee: string, range: Range, fields: FieldNode[], scope: string, model: ApiModel, scopeFeatures: Features | undefined): void {
    const d = this.typeRef({ written: extendee, range }, scope);
    // protoc reads an extension first in the block; buf: "must declare at least one message extension".
    if (!fields.length) this.problem('invalid-extension', `the extend block of "${extendee}" declares no extension`, range, 'error');
    if (d && d.kind !== 'message') this.problem('not-a-message', `"${extendee}" is a ${d.kind}: only a message can be extended`, range, 'error');
    // protoc: "Extensions in proto3 are only allowed for defining options."
    else if (d && this.proto3 && !DESCRIPTOR_OPTIONS.test(d.fqn)) this.problem('invalid-extension', `a proto3 file extends only the options messages of descriptor.proto, not "${d.fqn}"`, range, 'error');
    else if (d) {
      const known = this.extensionsOf.get(d.fqn);
      if (known) known.push(...fields);
      else this.extensionsOf.set(d.fqn, [...fields]);
    }
    for (const f of fields) {
      const def = this.field(f, scope, scopeFeatures, true);
      // protoc: "Extensions of MessageSets must be optional messages" (a group is not a message field).
      if (def && d && this.messageSets.has(d.fqn) && (def.typeKind !== 'message' || def.label === 'repeated' || f.group)) {
        this.problem('message-set', `an extension of message set "${d.fqn}" must be a singular message field`, f.typeRange, 'error');
      }
      if (f.group) this.message(f.group, scope, model, scopeFeatures);
      if (f.mapKey !== undefined) this.problem('invalid-extension', `extension "${f.name}" cannot be a map`, f.typeRange, 'error');
      if (f.label === 'required') this.problem('invalid-extension', `extension "${f.name}" cannot be required`, f.labelRange!, 'error');
      const json = f.options.find((o) => o.name === 'json_name');
      if (json) this.problem('invalid-extension', `extension "${f.name}" cannot set json_name`, json.nameRange, 'error');
      // A repeated one's is refused as any repeated field's (checkFieldFeatures), which is all buf says of it; buf marks
      // the whole extension.
      const presence = scopeFeatures && f.label !== 'repeated' && ownFeature(f.options, 'field_presence');
      if (presence) this.problem('invalid-extension', `extension "${f.name}" cannot set features.field_presence: an extension always has presence, and cannot be required`, f.range, 'error');
    }
  }

  /**
   * protoc's rule: a field without presence cannot hold a closed enum's unknown values, nor tell its default from
   * unset; a proto3 file takes no closed enum at all (only an imported one can be: its own are open).
   */
  private checkClosedEnumFields(): void {
    for (const { field, enumFqn } of this.openEnumFields) {
      if (!this.closedEnums.has(enumFqn)) continue;
      const d = this.declarations.get(enumFqn);
      const from = d?.uri && d.uri !== this.uri ? ` (declared in ${this.fileName(d.uri)})` : '';
      if (this.proto3) this.problem('closed-enum-in-proto3', `closed enum "${enumFqn}"${from} cannot be used in a proto3 file: only open enums can`, field.typeRange, 'error');
      else this.problem('closed-enum-implicit-presence', `closed enum "${enumFqn}"${from} cannot be used in an implicit-presence field`, field.typeRange, 'error');
    }
  }

  /** protoc: "Enum type X has no value named Y", for an enum of this file (an imported one's values are not kept). */
  private checkEnumDefaults(model: ApiModel): void {
    if (!this.enumDefaults.length) return;
    const enums = new Map(model.enums.map((e) => [e.fqn, e]));
    for (const { name, range, enumFqn } of this.enumDefaults) {
      const e = enums.get(enumFqn);
      if (e && !e.values.some((v) => v.name === name)) this.problem('invalid-default', `enum "${enumFqn}" has no value named ${name}`, range, 'error');
    }
  }

  /**
   * An extension's number is one the extendee sets aside for extensions (protoc: "does not declare N as an extension
   * number"), and this file gives it to one extension of that message. (protoc only warns of a number an imported file
   * gives to another extension of it.)
   */
  private checkExtensionNumbers(): void {
    const imported = this.importedExtensionNumbers();
    for (const [extendee, fields] of this.extensionsOf) {
      // Known for a message of a parsed file, this one or an import (one without extension ranges takes no extension),
      // and for descriptor.proto's options, which are bundled; not for another bundled message.
      const parsed = this.declarations.get(extendee)?.uri !== undefined;
      const ranges = this.extensionRangesOf.get(extendee) ?? (parsed ? NO_RANGES : DESCRIPTOR_OPTIONS.test(extendee) ? OPTIONS_RANGES : undefined);
      const byNumber = new Map<number, string>();
      for (const f of fields) {
        if (f.number === undefined) continue;
        // Above the maximum, a message set's extension ranges may hold it.
        if (f.number < 1) this.problem('number-out-of-range', `field number ${f.number} is out of range (1 to ${FIELD_MAX})`, f.numberRange, 'error');
        else if (ranges && !isReserved(ranges, f.number)) this.problem('invalid-extension', `extension number ${f.number} is not in an extension range of "${extendee}"`, f.numberRange, 'error');
        const holder = byNumber.get(f.number);
        if (holder) this.problem(DUPLICATE_NUMBER, `extension number ${f.number} of "${extendee}" is already used by "${holder}"`, f.numberRange, 'error');
        else byNumber.set(f.number, f.name);
        const other = imported?.get(extendee)?.get(f.number);
        // protoc warns (and buf refuses): two extensions of one number cannot be loaded together.
        if (other) this.problem(DUPLICATE_NUMBER, `extension number ${f.number} of "${extendee}" is already used by "${other.name}" in ${this.fileName(other.uri)}`, f.numberRange, 'warning');
      }
    }
  }

  /** The numbers imported files give to extensions, by extendee; undefined when this file extends nothing or they declare none. */
  private importedExtensionNumbers(): Map<string, Map<number, { name: string; uri: string }>> | undefined {
    if (!this.importedExtensions.length || !this.extensionsOf.size) return undefined;
    const out = new Map<string, Map<number, { name: string; uri: string }>>();
    for (const { extendee, scope, uri, numbers } of this.importedExtensions) {
      const d = this.resolveType(extendee, scope);
      if (!d || !this.extensionsOf.has(d.fqn)) continue;
      let byNumber = out.get(d.fqn);
      if (!byNumber) out.set(d.fqn, (byNumber = new Map()));
      for (const { number, name } of numbers) if (!byNumber.has(number)) byNumber.set(number, { name, uri });
    }
    return out;
  }

  /** The closed enums of an imported file: all of a proto2 file's, an editions file's that resolve to CLOSED. */
  private declareClosedEnums(ast: ProtoFile): void {
    if (ast.syntax?.value === 'proto3') return;
    const editions = ast.edition ? resolveFeatures(EDITION_DEFAULTS, ast.options) : undefined;
    const walk = (enums: EnumNode[], messages: MessageNode[], scope: string, features: Features | undefined): void => {
      for (const e of enums) if (e.name && (!features || resolveFeatures(features, e.options).enumType === 'CLOSED')) this.closedEnums.add(join(scope, e.name));
      for (const m of messages) {
        if (!m.name) continue;
        const inner = features && resolveFeatures(features, m.options);
        walk(m.enums, [...m.messages, ...m.fields.flatMap((f) => (f.group ? [f.group] : []))], join(scope, m.name), inner);
      }
    };
    walk(ast.enums, ast.messages, ast.package?.name.replace(/^\./, '') ?? '', editions);
  }

  private enumDef(e: EnumNode, scope: string, parentFeatures: Features | undefined): EnumDef {
    const def: EnumDef = { fqn: join(scope, e.name), name: e.name, values: [], reservedNumbers: [], reservedNames: [], node: e };
    const features = parentFeatures && resolveFeatures(parentFeatures, e.options);
    // buf's checks read an enum type of none of its values as open; protobuf-go, and the model, as closed.
    const closed = features?.enumType === 'CLOSED';
    if (parentFeatures) this.misplacedFeatures(e.options, 'enum');
    if (closed) this.closedEnums.add(def.fqn);
    if (closed || features?.enumType === 'UNKNOWN') def.closed = true;
    if (e.comments.leading) def.doc = e.comments.leading.text;
    if (isDeprecated(e.options)) def.deprecated = true;
    this.checkOptions(e.options, 'enum', def.fqn);
    this.reserved(e.reserved, def, -2147483648, ENUM_MAX);
    const allowAlias = allowsAliases(e);
    const byNumber = new Map<number, string>();
    const names = new Set<string>();
    // An index only for many reservations (see RESERVED_SCAN_MAX).
    const spans = def.reservedNumbers.length > RESERVED_SCAN_MAX ? new NumberSpans(def.reservedNumbers) : undefined;
    const reservedNames = def.reservedNames.length > RESERVED_SCAN_MAX ? new Set(def.reservedNames) : undefined;
    for (const v of e.values) {
      if (v.number === undefined) continue;
      this.checkOptions(v.options, 'enum value', def.fqn);
      if (parentFeatures) this.misplacedFeatures(v.options, 'enum value');
      def.values.push({ name: v.name, number: v.number, node: v, ...(v.comments.leading ? { doc: v.comments.leading.text } : {}), ...(isDeprecated(v.options) ? { deprecated: true } : {}) });
      const prev = byNumber.get(v.number);
      if (prev !== undefined && !allowAlias) {
        this.problem(DUPLICATE_NUMBER, `enum value number ${v.number} is already used by "${prev}" (set option allow_alias = true to allow aliases)`, v.numberRange, 'error');
      } else if (prev === undefined) byNumber.set(v.number, v.name);
      if (names.has(v.name)) {
        this.problem('duplicate-name', `enum value "${v.name}" is already defined`, v.nameRange, 'error');
        this.reportedDuplicates.add(v);
      }
      names.add(v.name);
      if (v.number < -2147483648 || v.number > ENUM_MAX) this.problem('number-out-of-range', `enum value ${v.number} is out of the int32 range`, v.numberRange, 'error');
      if (spans ? spans.has(v.number) : isReserved(def.reservedNumbers, v.number)) this.problem('uses-reserved', `enum value "${v.name}" uses reserved number ${v.number}`, v.numberRange, 'error');
      if (reservedNames ? reservedNames.has(v.name) : def.reservedNames.includes(v.name)) this.problem('uses-reserved', `enum value name "${v.name}" is reserved`, v.nameRange, 'error');
    }
    // Where the enum's json_format is ALLOW, as buf says (proto2's is LEGACY_BEST_EFFORT); see checkStrippedNames.
    if ((this.proto3 || features?.jsonFormat === 'ALLOW') && e.values.length > 1) this.checkStrippedNames(e);
    // protoc: "declares 'option allow_alias = true;', but does not use any aliases".
    const allowing = allowAlias && byNumber.size === e.values.filter((v) => v.number !== undefined).length ? e.options.find((o) => o.name === 'allow_alias') : undefined;
    if (allowing) this.problem('unused-allow-alias', `enum "${e.name}" allows aliases but has none: remove option allow_alias`, allowing.nameRange, 'error');
    const first = e.values[0];
    // An open enum (proto3's, and an editions file's unless `enum_type = CLOSED`) defaults to its first value.
    if ((this.proto3 || (parentFeatures && !closed)) && first && first.number !== undefined && first.number !== 0) {
      this.problem('enum-first-not-zero', `the first value of ${this.proto3 ? 'a proto3' : 'an open'} enum must be 0, so that it can be the default`, first.numberRange, 'error');
    }
    if (e.values.length === 0 && e.name) this.problem('enum-empty', `enum "${e.name}" must have at least one value`, e.range, 'error');
    return def;
  }

  /**
   * protoc's rule that an enum's value names stay distinct with the enum's name stripped from their front and case
   * ignored (`PROTOCOL_TCP` and `TCP` of `Protocol` are both `Tcp`), so that generators may name values so; aliases
   * (the same number) may clash. Reported where buf refuses it: proto3, and editions unless the enum's json_format is
   * LEGACY_BEST_EFFORT. (protoc's descriptor.cc refuses it there too, and in proto2 unless the enum sets
   * deprecated_legacy_json_field_conflicts: buf builds those files, so they get nothing.)
   */
  private checkStrippedNames(e: EnumNode): void {
    const prefix = e.name.replace(/_/g, '').toLowerCase();
    const seen = new Map<string, EnumNode['values'][number]>();
    for (const v of e.values) {
      if (v.number === undefined || !v.name) continue;
      const key = pascalCase(stripPrefix(v.name, prefix));
      const first = seen.get(key);
      if (!first) seen.set(key, v);
      else if (first.name !== v.name && first.number !== v.number) {
        this.problem('enum-value-clash', `enum value "${v.name}" clashes with "${first.name}": both are ${key} with the enum's name "${e.name}" stripped and case ignored, as generated code names them (an alias would take the same number)`, v.nameRange, 'error');
      }
    }
  }

  private service(s: ServiceNode, scope: string): ServiceDef {
    const def: ServiceDef = { fqn: join(scope, s.name), name: s.name, rpcs: [], node: s };
    if (s.comments.leading) def.doc = s.comments.leading.text;
    this.checkOptions(s.options, 'service', def.fqn);
    if (this.fileFeatures) this.misplacedFeatures(s.options, undefined);
    const names = new Set<string>();
    for (const r of s.rpcs) {
      def.rpcs.push(this.rpc(r, scope));
      if (names.has(r.name)) this.problem('duplicate-name', `rpc "${r.name}" is already defined in "${s.name}"`, r.nameRange, 'error');
      names.add(r.name);
    }
    return def;
  }

  private rpc(r: RpcNode, scope: string): RpcDef {
    const unresolved: NonNullable<RpcDef['unresolved']> = {};
    const side = (written: string, range: Range, which: 'request' | 'response'): string => {
      const d = this.typeRef({ written, range }, scope);
      if (d && d.kind !== 'message') this.problem('not-a-message', `rpc ${r.name} needs a message type, but "${written}" is a ${d.kind}`, range, 'error');
      if (!d && written) unresolved[which] = true;
      return d?.fqn ?? written;
    };
    const def: RpcDef = {
      name: r.name, request: side(r.requestType, r.requestTypeRange, 'request'), response: side(r.responseType, r.responseTypeRange, 'response'),
      requestStream: r.requestStream, responseStream: r.responseStream, node: r,
    };
    if (unresolved.request || unresolved.response) def.unresolved = unresolved;
    if (r.comments.leading) def.doc = r.comments.leading.text;
    if (isDeprecated(r.options)) def.deprecated = true;
    this.checkOptions(r.options, 'method', scope);
    if (this.fileFeatures) this.misplacedFeatures(r.options, undefined);
    return def;
  }

  /**
   * A message's or enum's reservations, and a message's extension ranges (`extensions`), as protoc takes them: each
   * range in bounds and starting before it ends, no number in two of them, no name reserved twice.
   */
  private reserved(
    nodes: ReservedNode[], def: { reservedNumbers: [number, number][]; reservedNames: string[] }, min: number, reservedMax: number,
    extensions: ExtensionsNode[] = [], extensionMax = reservedMax,
  ): void {
    if (!nodes.length && !extensions.length) return;
    const spans: Span[] = [];
    const names = new Set<string>();
    const add = (what: Span['what'], x: NumberRange): void => {
      const max = what === 'extension range' ? extensionMax : reservedMax;
      const end = Math.min(x.end, max);
      if (x.end < x.start) this.problem('invalid-range', `${what} ${x.start} to ${x.end} ends before it starts`, x.range, 'error');
      else if (x.start < min || (x.end > max && x.end !== Infinity)) this.problem('number-out-of-range', `${what} ${x.start} to ${x.end} is out of range (${min} to ${max})`, x.range, 'error');
      else spans.push({ start: x.start, end, range: x.range, what });
      if (what === 'reserved range') def.reservedNumbers.push([x.start, end]);
    };
    for (const r of nodes) {
      for (const x of r.ranges) add('reserved range', x);
      for (const n of r.names) {
        // An identifier's range is its name; a string's has its quotes too. protoc takes one form per syntax.
        const quoted = n.range.end.character - n.range.start.character !== n.name.length;
        if (this.fileFeatures ? quoted : !quoted) {
          this.problem('reserved-name-form', this.fileFeatures ? `a reserved name is an identifier in an editions file: ${n.name}, not "${n.name}"` : `a reserved name is a string in ${this.proto3 ? 'proto3' : 'proto2'}: "${n.name}"`, n.range, 'error');
        }
        if (names.has(n.name)) this.problem('duplicate-name', `the name "${n.name}" is reserved twice`, n.range, 'error');
        names.add(n.name);
        def.reservedNames.push(n.name);
      }
    }
    for (const e of extensions) for (const x of e.ranges) add('extension range', x);
    spans.sort((a, b) => a.start - b.start);
    let last: Span | undefined;
    for (const x of spans) {
      if (last && x.start <= last.end) this.problem('overlapping-ranges', `${x.what} ${x.start} to ${x.end} overlaps ${last.what} ${last.start} to ${last.end}`, x.range, 'error');
      if (!last || x.end > last.end) last = x;
    }
  }
}

type RpcDef = ServiceDef['rpcs'][number];

/** protoc's PrefixRemover: `name` without `prefix` (lower case, no underscores) at its front, underscores and case ignored. */
function stripPrefix(name: string, prefix: string): string {
  let i = 0;
  let j = 0;
  for (; i < name.length && j < prefix.length; i++) {
    if (name[i] === '_') continue;
    if (name[i]!.toLowerCase() !== prefix[j++]) return name;
  }
  if (j < prefix.length) return name;
  while (i < name.length && name[i] === '_') i++;
  // Never the empty name: the value is the enum's name itself.
  return i === name.length ? name : name.slice(i);
}

/** protoc's EnumValueToPascalCase: `FOO_BAR` and `foo_bar` are `FooBar`. */
function pascalCase(name: string): string {
  return name.toLowerCase().replace(/(?:^|_+)([a-z0-9]?)/g, (_m, c: string) => c.toUpperCase());
}

/** Which editions take a feature, for one that the file's edition does not take. */
function editionsOf(support: FeatureSupport): string {
  if (support.removed !== undefined && support.removed <= support.introduced) return `no edition takes it (edition ${support.removed} introduced and removed it)`;
  if (support.introduced === Infinity) return 'no edition takes it yet (only the unstable one)';
  return support.removed === undefined ? `edition ${support.introduced} introduced it` : `edition ${support.removed} removed it`;
}

/** An element a feature is set on, as a sentence names it: "the file", "a message", "an enum value". */
function onElement(target: FeatureTargetName): string {
  return target === 'file' ? 'the file' : withArticle(target);
}

/** A word as a sentence names it: "an enum", "an int32", "a field", "a oneof", "a uint32" (said with a consonant). */
function withArticle(word: string): string {
  return `${/^[aei]/.test(word) ? 'an' : 'a'} ${word}`;
}

type NumberRange = ReservedNode['ranges'][number];

/** A message of one field has no index of its fields. */
const NO_FIELD_INDEX: { byNumber?: Map<number, FieldNode>; byName?: Map<string, FieldNode>; byJson?: Map<string, FieldNode> } = {};

/** What most messages have of extension ranges: none, shared. */
const NO_RANGES: readonly [number, number][] = Object.freeze([]) as readonly [number, number][];
/** The value type of a default on a message field, for where its value is marked. */
const MESSAGE_VALUE: ValueType = { kind: 'message', fqn: '' };

/** descriptor.proto's options messages (FileOptions, …), and their extension range (`extensions 1000 to max;`). */
const DESCRIPTOR_OPTIONS = /^google\.protobuf\.\w+Options$/;
const OPTIONS_RANGES: readonly [number, number][] = [[1000, FIELD_MAX]];

/** The `group` keyword of a group field, where buf marks a group where none is allowed: its message starts there. */
function groupKeyword(group: MessageNode): Range {
  const { start } = group.range;
  return { start, end: { line: start.line, character: start.character + 'group'.length } };
}

/** A message's extension ranges, inclusive (`max` is Infinity). */
function extensionRanges(m: MessageNode): readonly [number, number][] {
  return m.extensions.length ? m.extensions.flatMap((e) => e.ranges.map((x): [number, number] => [x.start, x.end])) : NO_RANGES;
}

/** A reserved or extension range, for the check that no two overlap. */
interface Span extends NumberRange {
  what: 'reserved range' | 'extension range';
}

/** A name declared in a scope (see Binder.checkScopes). */
interface ScopeSymbol {
  name: string;
  kind: 'message' | 'enum' | 'service' | 'field' | 'oneof' | 'extension' | 'enum value';
  node: { nameRange: Range; name: string };
  /** A field's message, an enum value's enum, a group message's field. */
  owner: object | undefined;
}

type AddSymbol = (name: string, kind: ScopeSymbol['kind'], node: ScopeSymbol['node'], owner: object | undefined) => void;

/** An enum, and its values: they are declared in the enum's scope. */
function addEnum(e: EnumNode, add: AddSymbol): void {
  add(e.name, 'enum', e, undefined);
  for (const v of e.values) if (v.name && v.number !== undefined) add(v.name, 'enum value', v, e);
}

/**
 * Two names of a scope whose clash another check reports: two types (declareFile), two fields of a message
 * (message), two values of an enum (enumDef). Nor does a group's field clash with the group's message: the
 * field's name is the message's in lower case (the same only for a group named in lower case, which protoc's
 * parser rejects as such).
 */
function reportedElsewhere(a: ScopeSymbol, b: ScopeSymbol): boolean {
  const type = (s: ScopeSymbol): boolean => s.kind === 'message' || s.kind === 'enum' || s.kind === 'service';
  if (type(a) && type(b)) return true;
  if (a.kind === b.kind && (a.kind === 'field' || a.kind === 'enum value') && a.owner === b.owner) return true;
  const group = (field: ScopeSymbol, message: ScopeSymbol): boolean => field.kind === 'field' && message.kind === 'message' && message.owner === field.node;
  return group(a, b) || group(b, a);
}

function describe(s: ScopeSymbol): string {
  const of = s.kind === 'enum value' || s.kind === 'field' ? ` of "${(s.owner as { name: string }).name}"` : '';
  return `the ${s.kind} "${s.node.name}"${of}`;
}

function enumValueNote(scope: string): string {
  return `; enum values are siblings of their enum (C++ scoping), so their names must be unique ${scope ? `in "${scope}"` : 'at the top level'}`;
}

/**
 * Beyond this many reserved ranges (names) of one message or enum, its members are checked against an index
 * of them, not a scan: a scan per member was quadratic on a hostile file (20,000 fields against 20,000
 * ranges: 2 s to bind), while an index of the few ranges real files have costs more than their scans.
 */
const RESERVED_SCAN_MAX = 16;

/**
 * The numbers some ranges cover (inclusive; a range that ends before it starts covers none), as the sorted,
 * disjoint spans of their union: a number is looked up by binary search, not by a scan of the ranges.
 */
export class NumberSpans {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(ranges: readonly (readonly [number, number])[]) {
    const sorted = ranges.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
    for (const [a, b] of sorted) {
      const k = this.ends.length - 1;
      if (k >= 0 && a <= this.ends[k]! + 1) this.ends[k] = Math.max(this.ends[k]!, b);
      else {
        this.starts.push(a);
        this.ends.push(b);
      }
    }
  }

  /** Index of the last span that starts at or below n (-1 if none). */
  private lastFrom(n: number): number {
    return partitionPoint(this.starts.length, (i) => this.starts[i]! <= n) - 1;
  }

  has(n: number): boolean {
    const k = this.lastFrom(n);
    return k >= 0 && n <= this.ends[k]!;
  }

  /** The parts of `[a, b]` no span covers, in order. */
  outside(a: number, b: number): [number, number][] {
    const out: [number, number][] = [];
    let from = a;
    let k = this.lastFrom(a);
    if (k < 0 || this.ends[k]! < a) k++;
    for (; k < this.starts.length && this.starts[k]! <= b && from <= b; k++) {
      if (this.starts[k]! > from) out.push([from, this.starts[k]! - 1]);
      from = Math.max(from, this.ends[k]! + 1);
    }
    if (from <= b) out.push([from, b]);
    return out;
  }
}

/** A field's label and type (`repeated int32`), or its type where it has no label; a group's name, which is its type. */
function labelAndType(f: FieldNode): Range {
  return f.labelRange && !f.group ? { start: f.labelRange.start, end: f.typeRange.end } : f.typeRange;
}

/**
 * The label of a field written without one in an editions file, from its resolved `field_presence` (a value of none
 * of its values is no presence, as protobuf-go reads it). A oneof's field and a message field always have presence,
 * whatever the feature says; the model gives them the label proto3 gives them unlabelled ('implicit'), which the
 * comparison does not read as a lack of presence.
 */
function editionLabel(f: FieldNode, typeKind: FieldDef['typeKind'], features: Features): FieldLabel {
  if (f.oneof) return 'implicit';
  if (features.fieldPresence === 'LEGACY_REQUIRED') return 'required';
  if (typeKind === 'message') return 'implicit';
  return features.fieldPresence === 'IMPLICIT' || features.fieldPresence === 'UNKNOWN' ? 'implicit' : 'optional';
}

/** Calls `each` for every option of the file and of what it declares; a callback, as a file has many of them. */
function forEachOption(ast: ProtoFile, each: (o: OptionNode) => void): void {
  // A loop, not forEach: most lists are the shared empty one, and this runs on every keystroke.
  const all = (options: readonly OptionNode[]): void => {
    for (let i = 0; i < options.length; i++) each(options[i]!);
  };
  const fields = (fs: readonly FieldNode[]): void => {
    for (const f of fs) {
      all(f.options);
      if (f.group) message(f.group);
    }
  };
  const enums = (es: readonly EnumNode[]): void => {
    for (const e of es) {
      all(e.options);
      for (const v of e.values) all(v.options);
    }
  };
  const message = (m: MessageNode): void => {
    all(m.options);
    fields(m.fields);
    for (const o of m.oneofs) all(o.options);
    for (const e of m.extensions) all(e.options);
    enums(m.enums);
    for (const x of m.extends) fields(x.fields);
    for (const n of m.messages) message(n);
  };
  all(ast.options);
  for (const m of ast.messages) message(m);
  enums(ast.enums);
  for (const x of ast.extends) fields(x.fields);
  for (const sv of ast.services) {
    all(sv.options);
    for (const r of sv.rpcs) all(r.options);
  }
}

/** The option that makes `m` a message set; undefined for any other message. */
function messageSetOption(m: MessageNode): OptionNode | undefined {
  return m.options.length > 0 ? m.options.find((o) => o.name === 'message_set_wire_format' && o.value === 'true') : undefined;
}

function hasJsonName(f: FieldNode): boolean {
  return f.options.some((o) => o.name === 'json_name');
}

function isDeprecated(options: OptionNode[]): boolean {
  return options.some((o) => o.name === 'deprecated' && isTrue(o));
}

/** The value of a string option as written: adjacent literals concatenated, quotes removed (escapes kept). */
function stringValue(v: string): string {
  const parts = v.match(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g);
  return parts ? parts.map((p) => p.slice(1, -1)).join('') : v;
}
