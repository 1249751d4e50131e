// The Go names protoc-gen-go gives to what a .proto declares: what Go code built against k8s.io/cri-api spells,
// which the comparison, the hovers, the documentation rules and the release history name. In proto/, beside
// jsonNameOf, so that the baseline's history needs nothing of the comparison.

import { localName } from './model';

/**
 * protoc-gen-go's Go name for a field (`localhost_ref` → `LocalhostRef`), or for a message or enum given by its
 * path inside the package (`Outer.Inner` → `Outer_Inner`): strs.GoCamelCase of google.golang.org/protobuf.
 */
export function goCamelCase(s: string): string {
  let out = '';
  const lower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if ((c === '.' || c === '_') && lower(s[i + 1]) && !(c === '_' && (i === 0 || s[i - 1] === '.'))) continue;
    if (c === '.') out += '_';
    else if (c === '_') out += i === 0 || s[i - 1] === '.' ? 'X' : '_';
    else if (c >= '0' && c <= '9') out += c;
    else {
      out += lower(c) ? c.toUpperCase() : c;
      while (lower(s[i + 1])) out += s[++i];
    }
  }
  return out;
}

/** The Go constant protoc-gen-go makes for an enum value: `Signal_SIGKILL`; nested enums take the message's name. */
export function goEnumConstant(pkg: string, enumFqn: string, value: string): string {
  const parts = localName(enumFqn, pkg).split('.');
  return `${goCamelCase((parts.length > 1 ? parts.slice(0, -1) : parts).join('.'))}_${value}`;
}
