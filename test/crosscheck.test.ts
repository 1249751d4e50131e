// Cross-checks our parser and binder against protobufjs on every distinct api.proto in the CRI corpus
// (shared/cri-api: every kubernetes/cri-api tag, v1 and v1alpha2). Both sides are reduced to the same
// normalized lines (one per message, field, enum, enum value, service and rpc, with fully-qualified type
// names), and the complete sorted lists are compared, so an element missing or different on either side
// fails the blob's test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as protobuf from 'protobufjs';
import { parse } from '../server/src/proto/parser';
import { bind } from '../server/src/proto/binder';
import type { ApiModel } from '../server/src/proto/model';
import { CORPUS_HELP, Corpus, V1ALPHA2_PATH, V1_PATH, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';

const repoRoot = (): string => findRepoRoot(__dirname);

const corpusDir = findCorpusDir(repoRoot());
const corpus = corpusDir ? new Corpus(corpusDir) : undefined;

/** Field shape shared by both sides: `map`, `repeated`, `required`, `optional` (explicit presence) or `singular`. */
type Cardinality = 'map' | 'repeated' | 'required' | 'optional' | 'singular';

function fieldLine(msg: string, index: number, name: string, number: number, card: Cardinality, type: string, key: string | undefined, oneof: string | undefined): string {
  const t = card === 'map' ? `map<${key},${type}>` : type;
  return `field ${msg}.${name} #${index} = ${number} ${card} ${t}${oneof ? ` oneof ${oneof}` : ''}`;
}

function rpcLine(svc: string, name: string, req: string, reqStream: boolean, res: string, resStream: boolean): string {
  return `rpc ${svc}.${name} (${reqStream ? 'stream ' : ''}${req}) returns (${resStream ? 'stream ' : ''}${res})`;
}

/** Our model as normalized lines. */
function ours(model: ApiModel): string[] {
  const out: string[] = [];
  for (const m of model.messages) {
    out.push(`message ${m.fqn}`);
    m.fields.forEach((f, i) => {
      let card: Cardinality;
      let type = f.type;
      let key: string | undefined;
      if (f.typeKind === 'map') {
        card = 'map';
        const mm = /^map<([^,]+),(.+)>$/.exec(f.type);
        assert.ok(mm, `map type "${f.type}" of ${m.fqn}.${f.name}`);
        key = mm[1];
        type = mm[2]!;
      } else if (f.label === 'repeated' || f.label === 'required') card = f.label;
      else if (f.label === 'optional' && model.syntax === 'proto3') card = 'optional';
      else card = 'singular';
      out.push(fieldLine(m.fqn, i, f.name, f.number, card, type, key, f.oneof));
    });
  }
  for (const e of model.enums) {
    out.push(`enum ${e.fqn}`);
    e.values.forEach((v, i) => out.push(`value ${e.fqn}.${v.name} #${i} = ${v.number}`));
  }
  for (const s of model.services) {
    out.push(`service ${s.fqn}`);
    for (const r of s.rpcs) out.push(rpcLine(s.fqn, r.name, r.request, r.requestStream, r.response, r.responseStream));
  }
  return out.sort();
}

const fqn = (o: protobuf.ReflectionObject): string => o.fullName.replace(/^\./, '');

/** protobufjs's view of the same file, after `resolveAll`, as normalized lines. */
function theirs(root: protobuf.Root): string[] {
  const out: string[] = [];
  const typeName = (f: protobuf.Field): string => (f.resolvedType ? fqn(f.resolvedType) : f.type);
  const walk = (ns: protobuf.NamespaceBase): void => {
    for (const o of ns.nestedArray) {
      if (o instanceof protobuf.Type) {
        out.push(`message ${fqn(o)}`);
        o.fieldsArray.forEach((f, i) => {
          const proto3Optional = f.options?.proto3_optional === true;
          let card: Cardinality;
          if (f instanceof protobuf.MapField) card = 'map';
          else if (f.repeated) card = 'repeated';
          else if (f.required) card = 'required';
          else if (proto3Optional) card = 'optional';
          else card = 'singular';
          const key = f instanceof protobuf.MapField ? f.keyType : undefined;
          const oneof = f.partOf && !proto3Optional ? f.partOf.name : undefined;
          out.push(fieldLine(fqn(o), i, f.name, f.id, card, typeName(f), key, oneof));
        });
        walk(o);
      } else if (o instanceof protobuf.Enum) {
        out.push(`enum ${fqn(o)}`);
        Object.entries(o.values).forEach(([name, n], i) => out.push(`value ${fqn(o)}.${name} #${i} = ${n}`));
      } else if (o instanceof protobuf.Service) {
        out.push(`service ${fqn(o)}`);
        for (const m of o.methodsArray) {
          assert.ok(m.resolvedRequestType && m.resolvedResponseType, `protobufjs left ${fqn(m)} unresolved`);
          out.push(rpcLine(fqn(o), m.name, fqn(m.resolvedRequestType), !!m.requestStream, fqn(m.resolvedResponseType), !!m.responseStream));
        }
      } else if (o instanceof protobuf.Namespace) {
        walk(o);
      }
    }
  };
  walk(root);
  return out.sort();
}

if (!corpus) {
  test('crosscheck against protobufjs', (t) => {
    t.skip(CORPUS_HELP);
  });
} else {
  const c = corpus;
  const blobs = c.blobs();

  test('the corpus has every distinct api.proto, on both paths', () => {
    // README: 63 distinct blobs; v1alpha2 up to 0.26.0-alpha.3, v1 from 0.20.0-beta.2.
    assert.ok(blobs.length >= 63, `only ${blobs.length} distinct blobs in ${c.dir}`);
    for (const path of [V1_PATH, V1ALPHA2_PATH]) {
      assert.ok(c.rows.some((r) => r.path === path), `no row for ${path}`);
    }
    const byPath = new Set(c.rows.map((r) => `${r.blob} ${r.path}`));
    assert.ok([...byPath].some((k) => k.endsWith(V1_PATH)) && [...byPath].some((k) => k.endsWith(V1ALPHA2_PATH)));
  });

  for (const blob of blobs) {
    const rows = c.rows.filter((r) => r.blob === blob);
    const label = `${blob.slice(0, 12)} ${rows[0]!.tag} ${rows[0]!.path.includes('v1alpha2') ? 'v1alpha2' : 'v1'} (${rows.length} tag rows)`;
    test(`blob ${label}: same model as protobufjs`, () => {
      const text = c.text(blob);
      const ast = parse(text);
      assert.deepEqual(ast.errors, [], 'syntax errors');
      const bound = bind(ast, `corpus:///${blob}.proto`);
      assert.deepEqual(bound.problems.filter((p) => p.severity === 'error').map((p) => `${p.code}: ${p.message}`), [], 'error problems');
      // The only expected non-error is the gogo.proto import of older tags, as a warning naming it.
      const imports = ast.imports.map((i) => i.path);
      assert.deepEqual(
        bound.problems.map((p) => `${p.severity} ${p.code} ${p.message.slice(0, p.message.indexOf('"', 8) + 1)}`),
        imports.map((i) => `warning unresolved-import import "${i}"`),
      );
      for (const i of imports) assert.match(i, /gogo\.proto$/);

      const result = protobuf.parse(text, { keepCase: true, alternateCommentMode: true });
      // protobufjs's parse() only lists imports; nothing of gogo.proto is used but options, so everything
      // resolves without a stub for it.
      assert.deepEqual(result.imports ?? [], imports);
      result.root.resolveAll();
      assert.equal(bound.model.package, result.package);

      const a = ours(bound.model);
      const b = theirs(result.root);
      // Guard against comparing two empty lists.
      assert.ok(b.filter((l) => l.startsWith('message ')).length > 50, 'protobufjs found too few messages');
      assert.ok(b.some((l) => l.startsWith(`service ${result.package}.RuntimeService`)), 'no RuntimeService');
      assert.ok(b.some((l) => l.startsWith(`service ${result.package}.ImageService`)), 'no ImageService');
      assert.deepEqual(a, b);
    });
  }
}
