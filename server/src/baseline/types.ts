// The contract between baseline resolution (where the last release comes from) and the checks.

import type { ApiModel } from '../proto/model';

export type BaselineSource = 'setting' | 'path' | 'git' | 'bundled' | 'gomodcache' | 'vendor' | 'proxy';

export interface Release {
  /** Go module tag, e.g. `v0.36.3` or `v0.37.0-beta.0`. */
  tag: string;
  /** Kubernetes release it belongs to, e.g. `1.36.3`. */
  kubernetes: string;
  prerelease: boolean;
  /** Commit date, `YYYY-MM-DD`, when known. */
  date?: string;
}

/** One use of a field number or enum value number by a name, across releases. */
export interface NumberUse {
  number: number;
  name: string;
  /** Field type (fully-qualified or scalar), absent for enum values. */
  type?: string;
  firstTag: string;
  lastTag: string;
}

/** Release history of one API package (e.g. `runtime.v1`), answered from the bundled index or built from git. */
export interface History {
  /** Releases in semantic-version order, oldest first. */
  releases: Release[];
  /** Every (number, name[, type]) a message ever had, with the first and last release that had it. */
  fieldUses(messageFqn: string): NumberUse[];
  /** The same for enum values. */
  enumValueUses(enumFqn: string): NumberUse[];
  /**
   * First and last release that has an element, and the release where its shape last changed. Element
   * paths: `runtime.v1.ContainerConfig` (message/enum/service), `runtime.v1.ContainerConfig.cdi_devices`
   * (field), `runtime.v1.Protocol.TCP` (enum value), `runtime.v1.RuntimeService.ListPodSandbox` (rpc).
   */
  element(path: string): HistoryElement | undefined;
  /** The model at a release, without syntax nodes (docs as fingerprints only). */
  modelAt(tag: string): ApiModel | undefined;
  /** The API package, e.g. `runtime.v1` (added with the bundled index). */
  package?: string;
  /** The newest release, stable only unless `includePrereleases`. */
  newestRelease?(options?: { includePrereleases?: boolean }): Release | undefined;
  /** Every element path in the history (for suggestions). */
  elementPaths?(): string[];
}

export type ElementKind = 'message' | 'field' | 'enum' | 'enumValue' | 'service' | 'rpc';

/** What `History.element` answers. Tags are Go module tags; "first"/"last" follow semantic-version order. */
export interface HistoryElement {
  introduced: string;
  lastSeen: string;
  /**
   * First release of the last stretch in which the shape stayed the same: own facts (number, type, label,
   * oneof, JSON name, reserved, signature, declared options such as deprecated or debug_redact) and, for
   * messages, enums and services, the names and facts of their fields, values or RPCs. Doc changes do not
   * count (see `docChanged`).
   */
  lastChanged: string;
  kind?: ElementKind;
  /** The same for the element's own doc comment fingerprint. */
  docChanged?: string;
  /** Present in the newest release of the history (pre-releases included). */
  present?: boolean;
}

export interface Baseline {
  /** The release compared against: a tag, or a label such as the path of a file. */
  tag: string;
  /** Kubernetes release the tag maps to, when it is a tag. */
  kubernetes?: string;
  source: BaselineSource;
  /** Human-readable origin, e.g. "git tag v0.36.3 (ancestor of HEAD)" or "bundled release index". */
  origin: string;
  model: ApiModel;
  history?: History;
  /**
   * The file is on the release line of this minor, past the baseline, a final release of it (a release branch):
   * what it changes against the baseline ships in a patch release, which the patch-release policy checks.
   */
  releaseLine?: number;
  /**
   * The release the checked text is (a Go tag), when that is known: what the user said (`--current-tag`), or
   * what resolution found (HEAD at a tag with the same text; a release branch's newest release, unchanged).
   * Checks use it as they use `CheckOptions.currentTag`, which wins over it. Only for the text resolved with.
   */
  release?: string;
}
