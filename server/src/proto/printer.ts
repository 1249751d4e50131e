// Writes a model back as .proto text: names, numbers, types, labels and go_package, and `doc` where a definition
// has one (the bundled index keeps none; the demo example sets some). Used for the demo example
// (scripts/make-example.ts).

import { localName, type ApiModel, type EnumDef, type FieldDef, type MessageDef } from './model';
import { spanText } from './reservedText';

export function printModel(model: ApiModel, header = ''): string {
  const out: string[] = [];
  if (header) out.push(...header.split('\n').map((l) => `// ${l}`.trimEnd()), '');
  out.push(`syntax = "${model.syntax === 'proto2' ? 'proto2' : 'proto3'}";`, '', `package ${model.package};`, '');
  if (model.goPackage !== undefined) out.push(`option go_package = ${JSON.stringify(model.goPackage)};`, '');
  const docLines = (d: { doc?: string }, pad: string): string[] => (d.doc ? d.doc.split('\n').map((l) => `${pad}// ${l}`.trimEnd()) : []);
  const doc = (d: { doc?: string }, pad: string): void => {
    out.push(...docLines(d, pad));
  };
  const pkg = model.package;
  const short = (t: string): string => localName(t, pkg);
  const children = new Map<string, (MessageDef | EnumDef)[]>();
  const top: (MessageDef | EnumDef)[] = [];
  for (const d of [...model.messages, ...model.enums]) {
    const parent = d.fqn.slice(0, d.fqn.lastIndexOf('.'));
    if (parent === pkg) top.push(d);
    else children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  for (const s of model.services) {
    doc(s, '');
    out.push(`service ${s.name} {`);
    for (const r of s.rpcs) {
      doc(r, '  ');
      out.push(`  rpc ${r.name}(${r.requestStream ? 'stream ' : ''}${short(r.request)}) returns (${r.responseStream ? 'stream ' : ''}${short(r.response)}) {}`);
    }
    out.push('}', '');
  }
  const field = (f: FieldDef): string => {
    const label = f.label === 'repeated' && f.typeKind !== 'map' ? 'repeated ' : f.label === 'optional' || f.label === 'required' ? `${f.label} ` : '';
    const type = f.typeKind === 'map' ? f.type.replace(/^map<([^,]+),(.*)>$/, (_, k: string, v: string) => `map<${k}, ${short(v)}>`) : short(f.type);
    const opts = f.deprecated ? ' [deprecated = true]' : '';
    return `${label}${type} ${f.name} = ${f.number}${opts};`;
  };
  const reserved = (d: MessageDef | EnumDef, pad: string): void => {
    // `max` is an enum's maximum (2^31 - 1) in an enum, a field's (2^29 - 1) in a message.
    const nums = d.reservedNumbers.map((r) => spanText(r, 'values' in d));
    if (nums.length) out.push(`${pad}reserved ${nums.join(', ')};`);
    if (d.reservedNames.length) out.push(`${pad}reserved ${d.reservedNames.map((n) => `"${n}"`).join(', ')};`);
  };
  const print = (d: MessageDef | EnumDef, depth: number): void => {
    const pad = '  '.repeat(depth);
    doc(d, pad);
    if ('values' in d) {
      out.push(`${pad}enum ${d.name} {`);
      reserved(d, pad + '  ');
      for (const v of d.values) doc(v, `${pad}  `), out.push(`${pad}  ${v.name} = ${v.number}${v.deprecated ? ' [deprecated = true]' : ''};`);
      out.push(`${pad}}`);
      return;
    }
    out.push(`${pad}message ${d.name} {`);
    reserved(d, pad + '  ');
    for (const c of children.get(d.fqn) ?? []) print(c, depth + 1);
    const oneofs = new Map<string, FieldDef[]>();
    for (const f of d.fields) {
      if (f.oneof) {
        if (!oneofs.has(f.oneof)) {
          oneofs.set(f.oneof, []);
          out.push(`${pad}  oneof ${f.oneof} {`, `\u0000${f.oneof}`, `${pad}  }`);
        }
        oneofs.get(f.oneof)!.push(f);
      } else {
        doc(f, `${pad}  `);
        out.push(`${pad}  ${field(f)}`);
      }
    }
    // Oneof members go where the oneof first appeared.
    for (const [name, fs] of oneofs) {
      const at = out.indexOf(`\u0000${name}`);
      const lines: string[] = [];
      for (const f of fs) lines.push(...docLines(f, `${pad}    `), `${pad}    ${field(f)}`);
      out.splice(at, 1, ...lines);
    }
    out.push(`${pad}}`);
  };
  for (const d of top) {
    print(d, 0);
    out.push('');
  }
  return out.join('\n');
}
