// The messages, enums and extensions that the value of a custom option is checked against (aggregateOptions.ts), by
// full name: of a field only what those checks read. The binder keeps an imported file's names, not its tree; so that
// an option whose type an import declares is checked too, the binder keeps the imports' trees for the length of one
// binding where the file sets a custom option, and their types are indexed only once an option needs one that the
// file does not declare.

import type { EnumNode, FieldNode, MessageNode, ProtoFile } from './ast';
import { join } from './lookup';

/** A field, as far as a value is checked against it: a FieldNode is one. */
export interface OptionField {
  readonly name: string;
  /** As written, resolved from the scope of its message (an extension's, from where it is declared). */
  readonly type: string;
  readonly label?: FieldNode['label'];
  readonly mapKey?: string;
  /** The name of its oneof. */
  readonly oneof?: string;
  /** A group's message, declared in the field's message with the group's name. */
  readonly group?: { readonly name: string };
}

export interface OptionMessage {
  readonly fields: readonly OptionField[];
}

export interface OptionExtension {
  readonly field: OptionField;
  /** Where it is declared: its type and its extendee are resolved from there. */
  readonly scope: string;
  /** The message it extends, as written. */
  readonly extendee: string;
}

/** The messages (their nodes, which the editor's navigation reads too), enums (their value names) and extensions of some files, by full name. */
export class OptionTypes {
  readonly messages = new Map<string, MessageNode>();
  readonly enums = new Map<string, readonly string[]>();
  readonly extensions = new Map<string, OptionExtension>();

  constructor(files: readonly ProtoFile[]) {
    for (const ast of files) this.add(ast);
  }

  private add(ast: ProtoFile): void {
    const pkg = ast.package?.name.replace(/^\./, '') ?? '';
    const enums = (list: readonly EnumNode[], scope: string): void => {
      for (const e of list) if (e.name) this.enums.set(join(scope, e.name), e.values.map((v) => v.name));
    };
    const extensions = (m: Pick<MessageNode, 'extends'>, scope: string): void => {
      for (const x of m.extends) {
        for (const f of x.fields) {
          if (f.name) this.extensions.set(join(scope, f.name), { field: f, scope, extendee: x.extendee });
          if (f.group) walk(f.group, scope);
        }
      }
    };
    const walk = (m: MessageNode, scope: string): void => {
      if (!m.name) return;
      const fqn = join(scope, m.name);
      this.messages.set(fqn, m);
      enums(m.enums, fqn);
      for (const n of m.messages) walk(n, fqn);
      for (const f of m.fields) if (f.group) walk(f.group, fqn);
      extensions(m, fqn);
    };
    for (const m of ast.messages) walk(m, pkg);
    enums(ast.enums, pkg);
    extensions(ast, pkg);
  }
}
