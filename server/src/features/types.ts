// Plain result shapes for the editor features. They are structurally identical to the LSP types of the same
// names, so the server returns them as they are, while this folder imports nothing from LSP packages.

import type { Position, Range } from '../proto/ast';

export type { Position, Range };

export interface Location {
  uri: string;
  range: Range;
}

/** LSP `SymbolKind` values (only the numbers; the LSP type is a union of the same literals). */
export const SymbolKind = {
  File: 1, Module: 2, Namespace: 3, Package: 4, Class: 5, Method: 6, Property: 7, Field: 8, Constructor: 9, Enum: 10,
  Interface: 11, Function: 12, Variable: 13, Constant: 14, String: 15, Number: 16, Boolean: 17, Array: 18, Object: 19,
  Key: 20, Null: 21, EnumMember: 22, Struct: 23, Event: 24, Operator: 25, TypeParameter: 26,
} as const;
export type SymbolKind = (typeof SymbolKind)[keyof typeof SymbolKind];

export const SymbolTag = { Deprecated: 1 } as const;
export type SymbolTag = (typeof SymbolTag)[keyof typeof SymbolTag];

export interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: SymbolKind;
  tags?: SymbolTag[];
  range: Range;
  selectionRange: Range;
  children?: DocumentSymbol[];
}

export interface SymbolInformation {
  name: string;
  kind: SymbolKind;
  tags?: SymbolTag[];
  location: Location;
  containerName?: string;
}

export interface MarkupContent {
  kind: 'markdown' | 'plaintext';
  value: string;
}

export interface Hover {
  contents: MarkupContent;
  range?: Range;
}

export type FoldingRangeKind = 'comment' | 'imports' | 'region';

export interface FoldingRange {
  startLine: number;
  endLine: number;
  startCharacter?: number;
  endCharacter?: number;
  kind?: FoldingRangeKind;
}

/** LSP `CompletionItemKind` values (only those completion uses). */
export const CompletionItemKind = { Field: 5, Property: 10, Value: 12, Enum: 13, Keyword: 14, EnumMember: 20, Struct: 22 } as const;
export type CompletionItemKind = (typeof CompletionItemKind)[keyof typeof CompletionItemKind];

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface CompletionItem {
  label: string;
  kind: CompletionItemKind;
  detail?: string;
  documentation?: MarkupContent;
  /** Orders the list as given (the client sorts by it, then by label). */
  sortText?: string;
  preselect?: boolean;
  /** Replaces what is typed of the number or the type name so far. */
  textEdit: TextEdit;
}
