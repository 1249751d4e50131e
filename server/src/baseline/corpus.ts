// Reads a directory laid out like shared/cri-api: `tags.tsv` (tag, path, blob, commit_date, prerelease)
// and `blobs/<sha>.proto`. Used to build the bundled release index, by tests and by benchmarks.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface CorpusRow {
  tag: string;
  path: string;
  blob: string;
  date: string;
  prerelease: boolean;
}

export const V1_PATH = 'pkg/apis/runtime/v1/api.proto';
export const V1ALPHA2_PATH = 'pkg/apis/runtime/v1alpha2/api.proto';

export class Corpus {
  readonly rows: CorpusRow[];
  private readonly cache = new Map<string, string>();

  constructor(readonly dir: string) {
    const lines = readFileSync(join(dir, 'tags.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
    this.rows = lines.map((l) => {
      const [tag, path, blob, date, pre] = l.split('\t');
      if (!tag || !path || !blob || !/^[0-9a-f]{40}$/.test(blob)) throw new Error(`${join(dir, 'tags.tsv')}: malformed row "${l}"`);
      return { tag, path, blob, date: date ?? '', prerelease: pre === 'yes' };
    });
  }

  /** The `v0.*` tags that have the given path, in semantic-version order (the file's order). */
  goTags(path = V1_PATH): CorpusRow[] {
    return this.rows.filter((r) => r.tag.startsWith('v0.') && r.path === path);
  }

  blobs(): string[] {
    return [...new Set(this.rows.map((r) => r.blob))];
  }

  text(blob: string): string {
    let t = this.cache.get(blob);
    if (t === undefined) {
      t = readFileSync(join(this.dir, 'blobs', `${blob}.proto`), 'utf8');
      this.cache.set(blob, t);
    }
    return t;
  }

  textOf(tag: string, path = V1_PATH): string | undefined {
    const row = this.rows.find((r) => r.tag === tag && r.path === path);
    return row && this.text(row.blob);
  }
}

/** The checkout of this project: the nearest directory above `from` whose package.json is named "cri-compat". */
export function findRepoRoot(from: string): string {
  for (let d = resolve(from); ; d = dirname(d)) {
    const pkg = join(d, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'cri-compat') return d;
    if (dirname(d) === d) throw new Error(`no package.json named "cri-compat" above ${from}`);
  }
}

/** `CRI_API_CORPUS`, else `../shared/cri-api` next to the repository; undefined when neither exists. */
export function findCorpusDir(repoRoot: string): string | undefined {
  const candidates = [process.env.CRI_API_CORPUS, join(repoRoot, '..', 'shared', 'cri-api')].filter((d): d is string => !!d);
  return candidates.map((d) => resolve(d)).find((d) => existsSync(join(d, 'tags.tsv')));
}

export const CORPUS_HELP =
  'CRI api.proto corpus not found: set CRI_API_CORPUS to a directory with tags.tsv and blobs/<sha>.proto ' +
  '(the layout of shared/cri-api, one api.proto per kubernetes/cri-api tag), or place it at ../shared/cri-api.';
