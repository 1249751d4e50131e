// Compares the bound current file with the baseline and its history. Placeholder until the rules land.
import type { BoundFile } from '../proto/binder';
import type { Baseline } from '../baseline/types';
import type { Finding } from './finding';

export interface CheckOptions {
  /** Severity overrides by rule id or category. */
  severity?: Record<string, string>;
}

export function checkCompatibility(bound: BoundFile, baseline: Baseline, options: CheckOptions): Finding[] {
  void bound; void baseline; void options;
  return [];
}
