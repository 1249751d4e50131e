// protoc's name lookup (server/src/proto/lookup.ts), shared by the binder and the fixes that write type names
// (restore shortens a type, rename and move requalify references, declare checks what a name would name).
//
// 1. Hostile files: the fixes once probed every enclosing scope, building and hashing a scope-long key at each,
//    which is quadratic in the length of the package name: restoring one deleted field in a file with a package
//    of thousands of components hung. The keys the lookups hash are counted (characters handed to
//    `declarations.get`), not timed: they must stay linear in the file. The binder looked only at the scopes
//    that declare a name, but at all of them, sorted, for each reference: a name that each component of a long
//    package declares hung it. The places of a name a lookup reads are counted: a few, however long the package.
//    A rename looked each reference up as the file will be, copying the places of its name for each: counted too.
//    And the binder read, for each reference, every place of its name as long as its scope or shorter: thousands
//    of messages that each declare and use a nested `Inner` made binding quadratic.
// 2. Equivalence: on every corpus api.proto, the shared lookup resolves each type reference as the binder did,
//    and as probing every enclosing scope does, and so does each shorter name that shortenTypes tries; on a file
//    made of shadowed names, every name from every scope as probing every scope does.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parse } from '../server/src/proto/parser';
import { bind, type BoundFile, type Declaration } from '../server/src/proto/binder';
import { analyze } from '../server/src/service';
import { applyEdits, computeFixes } from '../server/src/fixes';
import { undeclaredFindings } from '../server/src/fixes/declare';
import { lookup, type NameIndex, type Scoped } from '../server/src/proto/lookup';
import { SCALARS } from '../server/src/proto/model';
import { CORPUS_HELP, Corpus, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { withoutMemberName } from './fixTitles';

const URI = 'file:///work/hostile.proto';

/**
 * Runs `run` with the characters of every key `bound.declarations.get` is asked for counted: the work of a lookup,
 * which a key built per enclosing scope makes quadratic in the depth of the scope.
 */
function countingKeys<T>(bound: BoundFile, run: () => T): { result: T; chars: number } {
  const decls = bound.declarations;
  const get = decls.get.bind(decls);
  let chars = 0;
  decls.get = (fqn: string): Declaration | undefined => {
    chars += fqn.length;
    return get(fqn);
  };
  try {
    return { result: run(), chars };
  } finally {
    delete (decls as { get?: unknown }).get;
  }
}

/** Runs `run` with the places of a name that `names` hands out counted as they are read. */
function countingPlaces<T>(names: NameIndex, run: () => T): { result: T; read: number } {
  const get = names.get.bind(names);
  let read = 0;
  names.get = (name: string): Scoped[] | undefined => {
    const list = get(name);
    return list && new Proxy(list, {
      get: (target, key, receiver) => {
        if (typeof key === 'string' && /^\d+$/.test(key)) read++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  };
  try {
    return { result: run(), read };
  } finally {
    delete (names as { get?: unknown }).get;
  }
}

/**
 * Some keys as long as the package (restore and deprecate shorten the type, each name tried is looked up), not
 * one per enclosing scope or per component: the file's length times a constant, where 4000 components made it
 * thousands of times the file's length.
 */
function linear(chars: number, text: string): void {
  assert.ok(chars <= 100 * text.length, `the lookups hashed ${chars} characters for a file of ${text.length}`);
}

/** What the fix titled `title` of the `rule` finding of `now` (against `before`) makes of it, and the characters hashed computing the fixes. */
function fixed(before: string, now: string, rule: string, title: string): { text: string; chars: number } {
  const baseline = { tag: 'old', source: 'path' as const, origin: 'test', model: bind(parse(before), 'old').model };
  const a = analyze(now, { uri: URI, baseline });
  const finding = a.findings.find((f) => f.rule === rule);
  assert.ok(finding, `${rule} is reported`);
  const { result: fixes, chars } = countingKeys(a.bound, () => computeFixes(now, a.bound, finding));
  const fix = fixes.find((f) => withoutMemberName(f.title) === title);
  assert.ok(fix, `"${title}" is offered`);
  return { text: applyEdits(now, fix.edits), chars };
}

describe('hostile files: lookups stay linear in the file', () => {
  // A package of 4000 components and a field of a type from outside it: each shorter name tried ("Empty",
  // "protobuf.Empty") is declared in no scope around the field.
  const pkg = `${'a.'.repeat(4000)}v1`;
  const file = (field: string): string =>
    `syntax = "proto3";\npackage ${pkg};\nimport "google/protobuf/empty.proto";\nmessage M {\n${field}  string s = 2;\n}\n`;

  test('restoring a deleted field whose type is a message from outside the package', () => {
    const field = '  google.protobuf.Empty e = 1;\n';
    const before = file(field);
    const now = file('');
    const { text, chars } = fixed(before, now, 'FIELD_NO_DELETE', 'Restore the field');
    assert.equal(text, before);
    linear(chars, now);
  });

  test('restoring the name of a renamed message, which a reference must then be requalified around', () => {
    // Once named `google`, the message would shadow the package google for `google.protobuf.Empty` in M: the
    // reference is requalified, after trying each shorter name.
    const field = '  google.protobuf.Empty e = 1;\n';
    const before = `${file(field)}message google { string x = 1; }\n`;
    const now = `${file(field)}message Goog { string x = 1; }\n`;
    const { text, chars } = fixed(before, now, 'MESSAGE_RENAMED', 'Restore the original name "google"');
    assert.equal(text, before.replace(' google.protobuf.Empty', ' .google.protobuf.Empty'));
    linear(chars, now);
  });

  test('restoring a field of a type that every shorter name misses', () => {
    // In M, `T`, `v1` and `a` are M's own messages: no name of T short of the full one reaches it, and each
    // longer one tried was looked up again in M's scope.
    const field = `  .${pkg}.T t = 1;\n`;
    const shadowed = (f: string): string => `syntax = "proto3";\npackage ${pkg};\nmessage T {}\nmessage M {\n  message T {}\n  message v1 {}\n  message a {}\n${f}}\n`;
    const before = shadowed(field);
    const now = shadowed('');
    const { text, chars } = fixed(before, now, 'FIELD_NO_DELETE', 'Restore the field');
    assert.equal(text, before);
    linear(chars, now);
  });
});

/** `M00000` … : the k-th of thousands of numbered messages. */
const numbered = (k: number): string => `M${String(k).padStart(5, '0')}`;

/** `n` messages that each declare a nested `Inner` and use it: `n` places of the name `Inner`, all of one length. */
function nestedInners(n: number): string {
  return Array.from({ length: n }, (_, k) => `message ${numbered(k)} {\n  message Inner {}\n  Inner x = 1;\n}\n`).join('');
}

describe('hostile files: the fixes read each name\'s places once', () => {
  test('restoring a message\'s name that thousands of nested messages declare, each referenced where it is', () => {
    // Renamed back to `Inner`, the message is one more place of a name that each Mk declares for its field: each
    // reference is looked up as the file will be, and the places of `Inner` were copied (and sorted) for each.
    const n = 1500;
    const nested = nestedInners(n);
    const file = (name: string): string => `syntax = "proto3";\npackage demo.v1;\nmessage ${name} { int32 a = 1; }\nservice S { rpc Get(${name}) returns (${name}); }\n${nested}`;
    const before = file('Inner');
    const now = file('Outer');
    const baseline = { tag: 'old', source: 'path' as const, origin: 'test', model: bind(parse(before), 'old').model };
    const a = analyze(now, { uri: URI, baseline });
    const finding = a.findings.find((f) => f.rule === 'MESSAGE_RENAMED');
    assert.ok(finding, 'MESSAGE_RENAMED is reported');
    const { result: fixes, read } = countingPlaces(a.bound.names, () => computeFixes(now, a.bound, finding));
    const fix = fixes.find((f) => f.title === 'Restore the original name "Inner"');
    assert.ok(fix, 'the rename is offered');
    // Each Mk's `Inner x` still names its own nested message: no reference is rewritten.
    assert.equal(applyEdits(now, fix.edits), before);
    assert.ok(read <= 10 * n, `${read} places read for ${n} references`);
  });

  test('declaring a message that thousands of references lack, of a name that thousands of messages declare', () => {
    // Each Nk refers to an `X` that only the Mk declare: *Declare message "X"* is offered for each reference, and
    // each was looked up as if X were declared, with the places of `X` copied (and sorted) for each.
    const n = 1500;
    const name = (k: number): string => String(k).padStart(5, '0');
    const text = `syntax = "proto3";\npackage demo.v1;\n${Array.from({ length: n }, (_, k) => `message M${name(k)} { message X {} }\nmessage N${name(k)} { X x = 1; }\n`).join('')}`;
    const bound = bind(parse(text), URI);
    const { result, read } = countingPlaces(bound.names, () => undeclaredFindings(bound));
    assert.equal(result.length, n);
    assert.ok(result.every((f) => f.element === 'demo.v1.X'));
    assert.ok(read <= 10 * n, `${read} places read for ${n} references`);
  });
});

describe('hostile files: the binder looks at the innermost places of a name only', () => {
  test('a name that each component of a long package declares', () => {
    // `a` is declared in 4000 scopes (a, a.a, a.a.a…): a reference `a.Missing` looked through all of them, and
    // sorted them, for each reference, and so did a reference `a`, which no package can answer.
    const pkg = `${'a.'.repeat(4000)}v1`;
    const fields = ['a.Missing', 'a', 'v1.M', 'M', `.${pkg}.M`];
    const text = `syntax = "proto3";\npackage ${pkg};\nmessage M {\n${fields.map((t, k) => `  ${t} f${k} = ${k + 1};\n`).join('')}}\n`;
    const bound = bind(parse(text), URI);
    assert.deepEqual(bound.problems.map((p) => p.message), ['unknown type "a.Missing"', 'unknown type "a"']);
    assert.deepEqual(bound.references.map((r) => r.target), [undefined, undefined, `${pkg}.M`, `${pkg}.M`, `${pkg}.M`]);
    // The binder's lookups again, from its index, with the places they read counted.
    for (const [k, written] of fields.entries()) {
      const { result, read } = countingPlaces(bound.names, () => lookup(written, `${pkg}.M`, bound.names, bound.declarations));
      assert.equal(result?.fqn, bound.references[k]!.target, written);
      assert.ok(read <= 10, `"${written}": ${read} places read`);
    }
  });

  test('a name that thousands of messages declare, each referring to its own', () => {
    // Each Mk's `Inner` is one place of the name `Inner`, all of one length: each reference looked at the places
    // before its own, half of them on average.
    const n = 3000;
    const text = `syntax = "proto3";\npackage demo.v1;\n${nestedInners(n)}`;
    const bound = bind(parse(text), URI);
    assert.deepEqual(bound.problems, []);
    const { result, read } = countingPlaces(bound.names, () => Array.from({ length: n }, (_, k) => lookup('Inner', `demo.v1.${numbered(k)}`, bound.names, bound.declarations)?.fqn));
    assert.deepEqual(result, bound.references.map((r) => r.target));
    assert.deepEqual(result.slice(0, 2), ['demo.v1.M00000.Inner', 'demo.v1.M00001.Inner']);
    assert.ok(read <= 8 * n * Math.log2(n), `${read} places read for ${n} references`);
  });
});

/** protoc's lookup as the fixes did it: every enclosing scope probed, innermost first (the reference here). */
function probeEveryScope(written: string, scope: string, bound: BoundFile): Declaration | undefined {
  if (written.startsWith('.')) return bound.declarations.get(written.slice(1));
  const dot = written.indexOf('.');
  const first = dot < 0 ? written : written.slice(0, dot);
  for (let s: string | undefined = scope; s !== undefined; s = s ? s.slice(0, Math.max(s.lastIndexOf('.'), 0)) : undefined) {
    const d = bound.declarations.get(s ? `${s}.${first}` : first);
    if (!d) continue;
    if (dot < 0) {
      if (d.kind !== 'package') return d;
      continue;
    }
    const full = bound.declarations.get(s ? `${s}.${written}` : written);
    if (full) return full;
    if (d.kind === 'message' || d.kind === 'package') return undefined;
  }
  return undefined;
}

const corpusDir = findCorpusDir(findRepoRoot(__dirname));

describe('the shared lookup on every corpus api.proto', { skip: corpusDir ? false : CORPUS_HELP }, () => {
  test('each type reference as the binder resolved it; each shorter name as probing every scope', () => {
    const corpus = new Corpus(corpusDir!);
    let references = 0;
    for (const blob of corpus.blobs()) {
      const bound = bind(parse(corpus.text(blob)), blob);
      const shared = (written: string, scope: string): string | undefined =>
        lookup(written, scope, bound.names, bound.declarations)?.fqn;
      /** `written` from `scope` resolved to `target` by the binder (undefined: it resolved to nothing). */
      const check = (written: string, scope: string, target: string | undefined): void => {
        references++;
        assert.equal(shared(written, scope), target, `${blob}: "${written}" from ${scope}`);
        // The names shortenTypes tries: each suffix of the target.
        const parts = target?.split('.') ?? [];
        for (let k = 1; k <= parts.length; k++) {
          const suffix = parts.slice(-k).join('.');
          assert.equal(shared(suffix, scope), probeEveryScope(suffix, scope, bound)?.fqn, `${blob}: "${suffix}" from ${scope}`);
        }
      };
      const { model } = bound;
      for (const m of model.messages) {
        for (const f of m.fields) {
          const written = f.node!.type;
          if (SCALARS.has(written)) continue;
          const target = f.typeKind === 'map' ? /^map<[^,]*,(.*)>$/.exec(f.type)![1] : f.typeKind === 'unresolved' ? undefined : f.type;
          check(written, m.fqn, target);
        }
      }
      for (const s of model.services) {
        for (const r of s.rpcs) {
          check(r.node!.requestType, model.package, r.request);
          check(r.node!.responseType, model.package, r.response);
        }
      }
    }
    assert.ok(references > 10_000, `${references} references checked`);
  });
});

describe('the shared lookup on a file made of shadowed names', () => {
  test('every name, from every scope, as probing every scope', () => {
    // Messages named as the package's components, as google and protobuf, and an import of package `x` whose
    // message `y` takes the place of the package component x.y.
    const imports: Record<string, string> = { 'other.proto': 'syntax = "proto3";\npackage x;\nmessage y { message z {} }\nmessage Q {}\n' };
    const text = [
      'syntax = "proto3";', 'package x.y.z;', 'import "other.proto";', 'import "google/protobuf/empty.proto";',
      'message y { message z { message M {} } enum E { E0 = 0; } }', 'message z { message y {} message x {} }',
      'message google { message protobuf {} }', 'message M { message x { message y {} } message N { message y {} } }',
      'enum Q { Q0 = 0; }', 'service S {}', '',
    ].join('\n');
    const bound = bind(parse(text), URI, { resolve: (path) => (path in imports ? { uri: `file:///${path}`, text: imports[path]! } : { tried: [] }) });
    assert.equal(bound.declarations.get('x.y')?.kind, 'message', 'the import\'s message in place of the package component');
    const fqns = [...bound.declarations.keys()];
    const scopes = ['', ...fqns.filter((f) => ['package', 'message'].includes(bound.declarations.get(f)!.kind))];
    const written = new Set<string>();
    for (const f of fqns) {
      const parts = f.split('.');
      for (let k = 1; k <= parts.length; k++) written.add(parts.slice(-k).join('.'));
      written.add(`.${f}`);
    }
    let found = 0;
    for (const scope of scopes) {
      for (const w of written) {
        const expected = probeEveryScope(w, scope, bound)?.fqn;
        if (expected !== undefined) found++;
        assert.equal(lookup(w, scope, bound.names, bound.declarations)?.fqn, expected, `"${w}" from "${scope}"`);
      }
    }
    assert.ok(found > 500, `${found} names resolved`);
  });
});
