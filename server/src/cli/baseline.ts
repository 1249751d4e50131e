// How the CLI's --against becomes a Baseline: a file, a tag of the bundled index, or automatic resolution.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { bind } from '../proto/binder';
import { parse } from '../proto/parser';
import type { Baseline, History } from '../baseline/types';
import { loadBundledHistory } from '../baseline/historyIndex';
import { readInput } from './main';

export interface CliBaselineRequest {
  against: string;
  file: string;
  cwd: string;
  text: string;
  includePrereleases: boolean;
  onProgress(message: string): void;
}

export interface CliBaselineResult {
  baseline?: Baseline;
  /** Why no baseline was found (checks without one still run). */
  message?: string;
  /** A usage error: the requested baseline does not exist. */
  error?: string;
}

export function historyFor(pkg: string): History | undefined {
  try {
    return loadBundledHistory(pkg);
  } catch {
    return undefined;
  }
}

export async function resolveCliBaseline(req: CliBaselineRequest): Promise<CliBaselineResult> {
  const pkg = parse(req.text).package?.name ?? 'runtime.v1';
  const history = historyFor(pkg);
  const path = resolve(req.cwd, req.against);
  if (req.against !== 'auto' && existsSync(path)) {
    const ast = parse(readInput(path));
    if (ast.errors.length) return { error: `baseline ${req.against} has ${ast.errors.length} syntax error(s); the first: line ${ast.errors[0]!.range.start.line + 1}: ${ast.errors[0]!.message}` };
    const model = bind(ast, path).model;
    return { baseline: { tag: req.against, source: 'path', origin: `file ${req.against}`, model, ...(history && model.package === pkg ? { history } : {}) } };
  }
  if (!history) return { message: `no bundled release history for package "${pkg}"; pass --against <file>` };
  if (req.against === 'auto') {
    const rel = (history as ReturnType<typeof loadBundledHistory>).newestRelease({ includePrereleases: req.includePrereleases });
    const model = rel && history.modelAt(rel.tag);
    if (!rel || !model) return { message: 'the bundled release index is empty; pass --against <file>' };
    return { baseline: { tag: rel.tag, kubernetes: rel.kubernetes, source: 'bundled', origin: 'bundled release index (newest release)', model, history } };
  }
  const rel = history.releases.find((r) => r.tag === req.against || `kubernetes-${r.kubernetes}` === req.against || `v${r.kubernetes}` === req.against);
  const model = rel && history.modelAt(rel.tag);
  if (!rel || !model) {
    const newest = history.releases[history.releases.length - 1]?.tag;
    return { error: `--against ${req.against}: not a file and not a cri-api tag in the bundled index (${history.releases[0]?.tag} … ${newest})` };
  }
  return { baseline: { tag: rel.tag, kubernetes: rel.kubernetes, source: 'bundled', origin: 'bundled release index', model, history } };
}
