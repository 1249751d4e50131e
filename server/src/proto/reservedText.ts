// How a `reserved` statement writes a range of numbers: the reserve fix adds them to a message or enum, the
// restore of a deleted one writes its released ranges back, and the printer writes a model's.

import { ENUM_MAX, FIELD_MAX } from './parser';

/** `5`, `10 to 20`, `1000 to max`, as a reserved statement writes them. */
export function spanText([a, b]: readonly [number, number], isEnum: boolean): string {
  return a === b ? String(a) : `${a} to ${b >= (isEnum ? ENUM_MAX : FIELD_MAX) ? 'max' : b}`;
}
