// FNV-1a, 32 bits: tiny, stable across runs and versions, and enough to tell "unchanged" from "changed". The bundled
// release index stores such hashes (of documentation, of aggregate option values), so every hash of the project is
// this one function.

export const FNV_OFFSET = 0x811c9dc5;

/** The FNV-1a state `h` continued over `s`: a hash built a piece at a time. */
export function fnv1aFrom(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** A hash state as eight hex digits. */
export function hexOf(h: number): string {
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The hash of `s` as eight hex digits. */
export function fnv1a(s: string): string {
  return hexOf(fnv1aFrom(FNV_OFFSET, s));
}
