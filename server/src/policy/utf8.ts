// A field whose type went between string and bytes: one wire encoding, but the side that reads a string checks that
// it is valid UTF-8 (proto3; editions unless features.utf8_validation = NONE) and rejects the whole message where it
// is not, which the side that has bytes may send. The comparison's FIELD_TYPE_CHANGED and `history --element` (so the
// policy hover too) say it in these words, so that the two cannot drift apart.

/**
 * string ↔ bytes: one encoding, but a proto3 parser rejects a string that is not valid UTF-8 (protobuf.dev: compatible
 * only "as long as the bytes are valid UTF-8"), so the side that reads a string fails where the other sent any bytes.
 */
export function utf8Checked(a: string, b: string): boolean {
  return (a === 'string' && b === 'bytes') || (a === 'bytes' && b === 'string');
}

/** `a peer built from v0.36.1 rejects a message in which value holds bytes that are not valid UTF-8`. */
export function utf8Rejection(reader: string, fields: readonly string[]): string {
  return `${reader} rejects a message in which ${fields.join(' or ')} holds bytes that are not valid UTF-8`;
}

/** Why the reading side checks, from the syntaxes of the files it was built from: `proto3 checks a string when parsing it`. */
export function utf8CheckReason(syntaxes: ReadonlySet<string>): string {
  return syntaxes.has('editions')
    ? `${syntaxes.has('proto3') ? 'proto3 and editions check' : 'an editions file checks'} a string when parsing it, unless features.utf8_validation = NONE`
    : 'proto3 checks a string when parsing it';
}
