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
import type { Comment, Comments, EnumNode, MessageNode, Range } from '../server/src/proto/ast';
import { CORPUS_HELP, Corpus, V1ALPHA2_PATH, V1_PATH, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { atColumn0, newestCorpusText, replaceOnce } from './corpusText';

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

  // The parser closes a block whose `}` is missing where a declaration starts at or left of its column; in
  // balanced text a nested type at column 0 is only not indented, and protoc nests it.
  test('the newest api.proto with every line at column 0: the same model as indented, and as protobufjs', () => {
    const indented = newestCorpusText();
    const text = atColumn0(indented);
    const model = bind(parse(indented), 'corpus:///indented.proto').model;
    // Released files nest one type (SecurityProfile.ProfileType); a nested message with a field of it is added.
    const nested = [...model.messages, ...model.enums].filter((t) => t.fqn.slice(model.package.length + 1).includes('.'));
    assert.ok(nested.length > 0, 'no nested type to test');
    const withMessage = replaceOnce(text, '\nmessage SecurityProfile {\n', '\nmessage SecurityProfile {\nmessage Origin {\nProfileType type = 1;\n}\nOrigin origin = 3;\n');
    const models = [text, withMessage].map((t) => {
      const ast = parse(t);
      assert.deepEqual(ast.errors, [], 'syntax errors');
      const bound = bind(ast, 'corpus:///column0.proto');
      assert.deepEqual(bound.problems.map((p) => `${p.code}: ${p.message}`), []);
      const result = protobuf.parse(t, { keepCase: true, alternateCommentMode: true });
      result.root.resolveAll();
      const a = ours(bound.model);
      assert.deepEqual(a, theirs(result.root));
      return a;
    });
    assert.deepEqual(models[0], ours(model));
    assert.deepEqual(models[1]!.filter((l) => /origin/i.test(l)), [
      'field runtime.v1.SecurityProfile.Origin.type #0 = 1 singular runtime.v1.SecurityProfile.ProfileType',
      'field runtime.v1.SecurityProfile.origin #0 = 3 singular runtime.v1.SecurityProfile.Origin',
      'message runtime.v1.SecurityProfile.Origin',
    ]);
  });

  // Recovery reads columns (a tab to the next multiple of 4) only while the braces do not balance: however a
  // released file is indented, it is the file protoc reads.
  test('every distinct api.proto at column 0 and indented with tabs: no syntax error, the same model as written', () => {
    const tabs = (t: string): string => t.replace(/^(?: {4}|\t)+/gm, (m) => '\t'.repeat(m.replace(/\t/g, '    ').length / 4));
    for (const blob of blobs) {
      const written = ours(bind(parse(c.text(blob)), 'corpus:///written.proto').model);
      for (const [layout, text] of [['column 0', atColumn0(c.text(blob))], ['tabs', tabs(c.text(blob))]] as const) {
        assert.ok(layout !== 'tabs' || text.includes('\n\t'), `${blob}: indented with tabs`);
        const ast = parse(text);
        assert.deepEqual(ast.errors, [], `${blob} at ${layout}: syntax errors`);
        assert.deepEqual(ours(bind(ast, 'corpus:///layout.proto').model), written, `${blob} at ${layout}`);
      }
    }
  });

  // Fields, enum values, messages and comments keep offsets and build their ranges on request
  // (server/src/proto/nodes.ts): check every one of them against the text, with lines split independently
  // of the lexer, with the file's line breaks turned into CRLF too, and with no line indented.
  test('every field, enum value, message and comment range selects its own text, in every distinct api.proto', () => {
    let checked = 0;
    for (const blob of blobs) {
      for (const text of [c.text(blob), c.text(blob).replace(/\n/g, '\r\n'), atColumn0(c.text(blob))]) {
        const lines = text.split(/\r\n|\r|\n/);
        const at = (r: Range): string => {
          if (r.start.line === r.end.line) return lines[r.start.line]!.slice(r.start.character, r.end.character);
          return [lines[r.start.line]!.slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), lines[r.end.line]!.slice(0, r.end.character)].join('\n');
        };
        const comment = (cm: Comment | undefined): void => {
          if (!cm) return;
          assert.match(at(cm.range), cm.block ? /^\/\*[^]*\*\/$/ : /^\/\/.*(\n\s*\/\/.*)*$/, `${blob}: comment "${cm.text.slice(0, 40)}"`);
          checked++;
        };
        const comments = (cs: Comments): void => [cs.leading, cs.trailing, ...cs.detached].forEach(comment);
        const message = (m: MessageNode): void => {
          assert.equal(at(m.nameRange), m.name);
          assert.match(at(m.range), new RegExp(`^message\\s+${m.name}\\s*\\{[^]*\\}$`));
          assert.equal(`{${at(m.bodyRange)}}`, at(m.range).slice(at(m.range).indexOf('{')));
          comments(m.comments);
          for (const f of m.fields) {
            assert.equal(at(f.nameRange), f.name);
            if (f.mapKey === undefined) assert.equal(at(f.typeRange), f.type, `${m.name}.${f.name} type`);
            else assert.match(at(f.typeRange), new RegExp(`^map<\\s*${f.mapKey}\\s*,\\s*${f.type}\\s*>$`));
            assert.equal(Number(at(f.numberRange)), f.number);
            assert.equal(f.labelRange && at(f.labelRange), f.label);
            assert.match(at(f.range), /;$/);
            assert.ok(at(f.range).startsWith(f.label ?? at(f.typeRange)), `${m.name}.${f.name} range`);
            comments(f.comments);
            checked++;
          }
          m.messages.forEach(message);
          for (const e of m.enums) enumDecl(e);
        };
        const enumDecl = (e: EnumNode): void => {
          for (const v of e.values) {
            assert.equal(at(v.nameRange), v.name);
            assert.equal(Number(at(v.numberRange)), v.number);
            assert.match(at(v.range), new RegExp(`^${v.name}\\s*=\\s*-?\\d+[^]*;$`));
            comments(v.comments);
            checked++;
          }
        };
        const ast = parse(text);
        ast.messages.forEach(message);
        ast.enums.forEach(enumDecl);
      }
    }
    assert.ok(checked > 100_000, `only ${checked} ranges checked`);
  });
}
