// Quick fixes for compatibility findings: pure text edits, no LSP or VS Code types.

export { computeFixes, fixAll, restorableMessages, suppressionTitle, DEPRECATION_NOTE, SUPPRESSION_REASON_PLACEHOLDER, type Fix, type FixAllResult } from './fixes';
export { applyEdits, checkNonOverlapping, isStale, mergeEditLists, type TextEdit } from './text';
export { undeclaredFindings } from './declare';
