// The restore and deprecate fixes name the member they bring back (`Restore the field "x"`, `Deprecate "x" instead
// of deleting`). Tests that pick such a fix by what it does, whatever the member, compare its title without the name.

export function withoutMemberName(title: string): string {
  return title
    .replace(/^(Restore the (?:field|enum value|alias|RPC)) "[^"]*"$/, '$1')
    .replace(/^Deprecate "[^"]*" instead of deleting$/, 'Deprecate instead of deleting');
}
