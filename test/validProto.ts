// Whether a fix's result is a file protoc would take: our parser and binder, and protobufjs as an independent
// cross-check (it refuses, for example, an enum number used twice without allow_alias).
import { strict as assert } from 'node:assert';
import * as protobuf from 'protobufjs';
import { parse } from '../server/src/proto/parser';
import { bind } from '../server/src/proto/binder';

/** Asserts that `text` has no syntax or binding error, for our parser and for protobufjs. */
export function assertValidProto(text: string, what = 'the result'): void {
  const ast = parse(text);
  assert.deepEqual(ast.errors.map((e) => e.message), [], `${what}: syntax errors`);
  const bound = bind(ast, 'file:///valid.proto');
  assert.deepEqual(bound.problems.filter((p) => p.severity === 'error').map((p) => `${p.code}: ${p.message}`), [], `${what}: binding errors`);
  assert.doesNotThrow(() => protobuf.parse(text, { keepCase: true, alternateCommentMode: true }).root.resolveAll(), `${what}: protobufjs refuses it`);
}
