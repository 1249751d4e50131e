// Which files are the CRI API, the ones compared with cri-api releases: the editor and the CLI decide alike.

import type { ApiModel } from '../proto/model';

/** The services only the CRI API declares. */
const CRI_SERVICES = new Set(['RuntimeService', 'ImageService']);

/**
 * Why a file is not the CRI API, as the end of "Not a CRI API file: …" (markdown); undefined when it is.
 * Compared with a release, any other file of a `runtime.*` package (a message kept beside api.proto) would have
 * every released element reported deleted. A file that declares RuntimeService or ImageService is the API,
 * whatever its name and with no package statement (PACKAGE_CHANGED says it lost it); so is a `runtime.*` file
 * named api.proto, cri-api's name, whose services are deleted: that breaks every peer, and must be reported.
 * `fileName`: the file's path or name; only its last part counts.
 */
export function notCriApi(model: Pick<ApiModel, 'package' | 'services'>, fileName: string): string | undefined {
  const pkg = model.package.replace(/^\./, '');
  if (pkg && !pkg.startsWith('runtime.')) return `its package is \`${pkg.replace(/`/g, "'")}\`, not \`runtime.v1\``;
  if (model.services.some((s) => CRI_SERVICES.has(s.name))) return undefined;
  if (pkg && /(^|[/\\])api\.proto$/.test(fileName)) return undefined;
  return pkg ? 'it declares neither `RuntimeService` nor `ImageService` and is not named `api.proto`'
    : 'it declares no package, and neither `RuntimeService` nor `ImageService`';
}
