// Reservations looked up through an index (binder: many reserved ranges or names; fixes: per container) must
// say what a scan of them says; a range that ends before it starts reserves nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../server/src/proto/parser';
import { bind, NumberSpans } from '../server/src/proto/binder';
import { isReserved } from '../server/src/proto/model';
import { analyze } from '../server/src/service';
import type { Baseline } from '../server/src/baseline/types';
import { applyEdits, computeFixes } from '../server/src/fixes';
import { withoutMemberName } from './fixTitles';

const HEADER = 'syntax = "proto3";\npackage p;\n';
const URI = 'file:///test.proto';

function baselineOf(text: string): Baseline {
  return { tag: 'base.proto', source: 'path', origin: 'test', model: bind(parse(text), 'file:///base.proto').model };
}

describe('reserved numbers and names, indexed', () => {
  test('the binder reports the members that use a reservation as a scan does, with many ranges and names', () => {
    // Overlapping, adjacent and backwards ranges, `to max`, and members on every edge of them.
    const ranges = ['1 to 3', '3 to 5', '7', '8 to 9', '20 to 10', '15 to 16', '40 to 30', '100 to 200', '150 to 160', '300', '301', '303',
      '400 to 399', '500 to 510', '511', '600 to 600', '700 to 701', '536870000 to max'];
    const names = Array.from({ length: 20 }, (_, k) => `"r${k * 2}"`);
    const numbers = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16, 17, 30, 35, 40, 99, 100, 155, 200, 201, 299, 300, 301, 302, 303, 304,
      399, 400, 499, 500, 511, 512, 600, 601, 700, 701, 702, 536869999, 536870000, 536870911];
    const text = `${HEADER}message M {\n  reserved ${ranges.join(', ')};\n  reserved ${names.join(', ')};\n` +
      numbers.map((n, k) => `  int32 r${k} = ${n};\n`).join('') + '}\n' +
      `enum E {\n  reserved ${ranges.map((r) => r.replace('536870000', '2147483000')).join(', ')};\n  reserved ${names.join(', ').replace(/"r/g, '"R')};\n  R0 = 0;\n` +
      numbers.map((n, k) => `  R${k + 1} = ${n === 536870911 ? 2147483647 : n};\n`).join('') + '}\n';
    const b = bind(parse(text), URI);
    const m = b.model.messages[0]!;
    const e = b.model.enums[0]!;
    assert.ok(m.reservedNumbers.length > 16 && m.reservedNames.length > 16, 'the index path is taken');
    const expected = [
      ...m.fields.flatMap((f) => [
        ...(isReserved(m.reservedNumbers, f.number) ? [`field "${f.name}" uses reserved number ${f.number}`] : []),
        ...(m.reservedNames.includes(f.name) ? [`field name "${f.name}" is reserved`] : []),
      ]),
      ...e.values.flatMap((v) => [
        ...(isReserved(e.reservedNumbers, v.number) ? [`enum value "${v.name}" uses reserved number ${v.number}`] : []),
        ...(e.reservedNames.includes(v.name) ? [`enum value name "${v.name}" is reserved`] : []),
      ]),
    ];
    assert.ok(expected.length > 40);
    assert.deepEqual(b.problems.filter((p) => p.code === 'uses-reserved').map((p) => p.message), expected);
  });

  test('NumberSpans: membership and the parts of a range left uncovered', () => {
    const spans = new NumberSpans([[10, 20], [15, 30], [31, 31], [50, 40], [60, Infinity], [-5, -1]]);
    for (const [n, has] of [[9, false], [10, true], [25, true], [31, true], [32, false], [45, false], [50, false], [59, false], [60, true], [1e12, true], [-3, true], [0, false]] as const) {
      assert.equal(spans.has(n), has, `${n}`);
    }
    assert.deepEqual(spans.outside(0, 100), [[0, 9], [32, 59]]);
    assert.deepEqual(spans.outside(12, 14), []);
    assert.deepEqual(spans.outside(33, 45), [[33, 45]]);
    assert.deepEqual(spans.outside(-10, 11), [[-10, -6], [0, 9]]);
  });

  test('restoring a field takes back its reservations from a message with many, statement by statement', () => {
    const others = Array.from({ length: 40 }, (_, k) => `${k * 2 + 100}`).join(', ');
    const otherNames = Array.from({ length: 40 }, (_, k) => `"n${k}"`).join(', ');
    const base = `${HEADER}message M {\n  int32 a = 1;\n  int32 keep = 2;\n}\n`;
    const text = `${HEADER}message M {\n  reserved ${others}, 1;\n  reserved ${otherNames}, "a";\n  int32 keep = 2;\n  reserved 3 to 5;\n  reserved "b", "a";\n}\n`;
    const a = analyze(text, { uri: URI, baseline: baselineOf(base) });
    const f = a.findings.find((x) => x.rule === 'FIELD_REMOVED_WITHOUT_DEPRECATION');
    assert.ok(f, 'FIELD_REMOVED_WITHOUT_DEPRECATION');
    const restore = computeFixes(text, a.bound, f).find((x) => withoutMemberName(x.title) === 'Restore the field');
    assert.ok(restore, 'restore offered');
    assert.equal(applyEdits(text, restore.edits),
      `${HEADER}message M {\n  reserved ${others};\n  reserved ${otherNames};\n  int32 a = 1;\n  int32 keep = 2;\n  reserved 3 to 5;\n  reserved "b";\n}\n`);
    // A number inside a wider range cannot be taken back alone: nothing is offered.
    const wide = text.replace(', 1;', ', 0 to 1;').replace('"a";\n  int32 keep', '"x";\n  int32 keep');
    const w = analyze(wide, { uri: URI, baseline: baselineOf(base) });
    const g = w.findings.find((x) => x.rule === 'FIELD_REMOVED_WITHOUT_DEPRECATION');
    assert.ok(g);
    assert.equal(computeFixes(wide, w.bound, g).find((x) => withoutMemberName(x.title) === 'Restore the field'), undefined);
  });

  test('a number that a wider range of its own statement reserves too is not taken back alone', () => {
    // `5` comes first in its statement, but `3 to 7` still reserves 5: the restored field would use a reserved number.
    const base = `${HEADER}message M {\n  int32 a = 5;\n}\n`;
    const text = `${HEADER}message M {\n  reserved 5, 3 to 7;\n}\n`;
    const a = analyze(text, { uri: URI, baseline: baselineOf(base) });
    const f = a.findings.find((x) => x.rule === 'FIELD_REMOVED_WITHOUT_DEPRECATION');
    assert.ok(f, 'FIELD_REMOVED_WITHOUT_DEPRECATION');
    assert.equal(computeFixes(text, a.bound, f).find((x) => withoutMemberName(x.title) === 'Restore the field'), undefined);
  });
});
