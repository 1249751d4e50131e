// Hover markdown from doc comments, rendered as a client renders it: a hostile comment loads nothing (no image,
// no raw HTML), however it dresses `![…](…)` or `<img>` up as code; upstream's comments show as written.
//
// markdown-it renders CommonMark with GFM tables; raw HTML is on, as in a client that renders it (VS Code does
// not, but an image needs no HTML, and another LSP client may).
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze } from '../server/src/service';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import { allElements } from '../server/src/features/positions';
import { docInlineMarkdown, docMarkdown, doHover, formatDoc } from '../server/src/features/hover';
import { elementPolicyHover, findingExplanation } from '../server/src/features/policyHover';
import { Corpus, V1_PATH, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { NEEDS_CORPUS } from './corpusText';
import { isolated, runIsolated } from './isolated';

const MarkdownIt = require('markdown-it') as new (options: { html: boolean }) => { render(src: string): string };
const markdown = new MarkdownIt({ html: true });

/** Tags that markdown itself produces; any other in the output came from the comment as raw HTML. */
const MARKDOWN_TAGS = new Set(['p', 'a', 'code', 'pre', 'em', 'strong', 'ul', 'ol', 'li', 'blockquote', 'hr', 'br', 's',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);

/** What in rendered HTML would load or run something: images, and any tag markdown does not produce. */
function loads(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)/g)) {
    if (!MARKDOWN_TAGS.has(m[1]!.toLowerCase())) found.push(m[0]);
  }
  return found;
}

/** A comment's markdown where a hover puts it: after the declaration and a rule, with a section after it. */
function inHover(doc: string): string {
  return `\`\`\`proto\nmessage M\n\`\`\`\n\n---\n\n${doc}\n\n---\n\nAfter the comment.`;
}

const EVIL = 'https://evil.example/pixel.png';

/** Comments that dress an image or an HTML tag up as code, or hide it where a renderer reads otherwise. */
const HOSTILE: Record<string, string> = {
  'backtick in a backtick fence\'s info string: no fence': `\`\`\`x\`\n![t](${EVIL})\n\`\`\``,
  'tilde in a tilde fence\'s info string: a fence': `~~~x~\n![t](${EVIL})\n~~~`,
  'indented by four in a list item: a paragraph': `- item\n\n    ![t](${EVIL})`,
  'nested lists': `- a\n  - b\n\n        ![t](${EVIL})`,
  'ordered list': `1. a\n\n    ![t](${EVIL})`,
  'list item then a fence after a blank line': `- a\n\`\`\`\n\nx\n\`\`\`\n![t](${EVIL})`,
  'fence in a list item': `- a\n  \`\`\`\n  ![t](${EVIL})\n  \`\`\`\n![u](${EVIL})`,
  'block quote': `> ![t](${EVIL})`,
  'fence opened in a block quote': `> \`\`\`\n![t](${EVIL})\n\`\`\``,
  'indented after a block quote': `> a\n\n    ![t](${EVIL})`,
  'tab after a list item': `- a\n\n\t![t](${EVIL})`,
  'tabs for a nested list': `\t- a\n\n\t\t![t](${EVIL})`,
  'space and tab before a fence': ` \t\`\`\`\n![t](${EVIL})\n\`\`\``,
  'unclosed fence': `\`\`\`\n![t](${EVIL})`,
  'closing fence shorter': `\`\`\`\`\ncode\n\`\`\`\n![t](${EVIL})\n\`\`\`\``,
  'closing fence longer': `\`\`\`\ncode\n\`\`\`\`\`\n![t](${EVIL})`,
  'closing fence of the other character': `\`\`\`\ncode\n~~~\n![t](${EVIL})\n\`\`\``,
  'indented continuation of a paragraph': `a\n    ![t](${EVIL})`,
  'HTML image': `<img src="${EVIL}">`,
  // Found by a red-team pass: renderers disagree on what closes a fence, so the comment's delimiters are not kept.
  'a fence closed early by an indented run': `\`\`\`\nx\n    \`\`\`\n\`\`\`\n![t](${EVIL})\n\`\`\``,
  'a fence closed early by a run after a tab': `\`\`\`\nx\n\t\`\`\`\n\`\`\`\n![t](${EVIL})\n\`\`\``,
  'a closing run with a tilde after it': `\`\`\`\nx\n\`\`\`~\n\`\`\`\n![t](${EVIL})\n\`\`\``,
  'a pipe in the opening line: a table to markdown-it': `\`\`\`x |\n---\n![t](${EVIL})\n\`\`\``,
  'unpaired backtick runs around an HTML tag': `a \`\`\`\` \`\`\`x\` \`\`\` x\`<img src="${EVIL}"> \``,
  'HTML image after a code span': `\`x\` <img src="${EVIL}"> and <style>@import url(${EVIL})</style>`,
  'reference-style image': `![t][r]\n\n[r]: ${EVIL}`,
  'shortcut reference image': `![r]\n\n[r]: ${EVIL}`,
  'collapsed reference image': `![r][]\n\n[r]: ${EVIL}`,
  'entity for the exclamation mark': `&#33;[t](${EVIL}) and !&#91;u](${EVIL})`,
  'escaped backslash before an image': `\\\\![t](${EVIL})`,
  'image in a link': `[![t](${EVIL})](https://example.invalid/)`,
  'code span cut by a heading': `a \`x\n# h ![t](${EVIL}) \``,
  'code span cut by a list item': `a \`x\n- ![t](${EVIL}) \``,
  'code span cut by a block quote': `a \`x\n> ![t](${EVIL}) \``,
  'backtick in a link title': `[a](/u '\`') \` \`![t](${EVIL})\` \` and \` \`<img src="${EVIL}">\` \``,
  'backtick in a reference label': `[a\`b] \`<img src="${EVIL}">\` x\`\n\n[a\`b]: /u`,
  'table cells split a code span': `| \`a | <img src="${EVIL}">\` |\n|---|---|`,
  'backtick in a refused autolink': `<javascript:\`> \`<img src="${EVIL}">\` \``,
  'escaped backtick before a run': `\\\`\` x \` <img src="${EVIL}"> \` y\``,
  'image in a refused autolink': `<javascript:![t](${EVIL})>`,
  'control character in an autolink': `<ab:\x01![t](${EVIL})>`,
  'no-break space in an autolink': `<ab:x\u00a0\` \`<img src="${EVIL}">\` \`>`,
  'HTML block start': `<div>\n\n![t](${EVIL})\n\n</div>`,
  'HTML comment': `<!--\n\n![t](${EVIL})\n\n-->`,
  'carriage returns as line breaks': `- a\r\r    ![t](${EVIL})`,
};

describe('hover markdown of hostile comments', () => {
  for (const [name, doc] of Object.entries(HOSTILE)) {
    test(`loads nothing: ${name}`, () => {
      const md = formatDoc(doc);
      const html = markdown.render(inHover(md));
      assert.deepEqual(loads(html), [], `${JSON.stringify(md)}\n${html}`);
      // Nothing of the comment turns the rest of the hover into code, an open fence included.
      assert.match(html, /<p>After the comment\.<\/p>\n$/, html);
    });
  }

  test('docMarkdown as given: a line with only a no-break space is not blank, a carriage return is a line break', () => {
    for (const text of [`a\n\u00a0\n    ![t](${EVIL})`, `- a\r\n\r\n    ![t](${EVIL})`, `- a\r\r    ![t](${EVIL})`]) {
      const html = markdown.render(inHover(docMarkdown(text)));
      assert.deepEqual(loads(html), [], `${JSON.stringify(text)}\n${html}`);
    }
  });

  test('code at the top level stays as written, between fences of its own: fenced, indented and in spans', () => {
    const md = formatDoc(' Example:\n\n     <b> ![x](y)\n\n ```\n <in fence> ![x](y)\n ```\n ~~~ x~\n <in tilde fence>\n ~~~\n See `<podUID>`.');
    // Each block between tildes longer than any run in it, with the info string's first word: every renderer
    // ends it there, whatever it makes of the comment's own delimiters.
    assert.equal(md, 'Example:\n\n~~~\n<b> ![x](y)\n~~~\n\n~~~\n<in fence> ![x](y)\n~~~\n~~~x\n<in tilde fence>\n~~~\nSee `<podUID>`.');
    assert.equal(formatDoc(' ```go | x\n a ~~~~ b\n ```'), '~~~~~go\na ~~~~ b\n~~~~~');
    // In a list item, what is code depends on the item: escaped, and a fence's run too, so that none opens.
    assert.equal(formatDoc(' - a\n\n   ```\n   <in fence>\n   ```'), '- a\n\n  \\```\n  \\<in fence>\n  \\```');
    // A blank line and a line in the first column close the list: code after them is code again.
    assert.equal(formatDoc(' - a\n\n ```\n <in fence>\n ```'), '- a\n\n~~~\n<in fence>\n~~~');
  });

  const LONG_RUNS = 'long runs take linear time: one comment does not stall the server';
  test(LONG_RUNS, async () => {
    // 300,000 characters a run: the code takes about a second for all ten, a quadratic one hours. Run alone, stopped
    // at a deadline (a hang guard, not a timing).
    if (!isolated(LONG_RUNS)) return runIsolated(__filename, LONG_RUNS, 60_000);
    for (const run of ['\t', ' ', '`', '` ', '- ', '1.', '> ', '<a', 'www.', '![']) {
      const text = `${run.repeat(300_000 / run.length)}x\n${run}`;
      // What comes out keeps the text: every "x" of it, escaped or not.
      for (const md of [formatDoc(text), docInlineMarkdown(text)]) assert.ok(md.includes('x'), `${JSON.stringify(run)}: ${md.slice(-200)}`);
    }
  });

  test('the call sequence quoted in the policy hover loads nothing, wherever the sentence starts', () => {
    const old = 'syntax = "proto3";\npackage runtime.v1;\nservice S {\n  rpc Do(Req) returns (Res) {}\n}\nmessage Req {}\nmessage Res {}\n';
    const baseline = { tag: 'v0.36.3', source: 'path' as const, origin: 'test', model: bind(parse(old), 'file:///ws/old.proto').model };
    for (const doc of [`\`\`\`x ![t](${EVIL}) Fresh is called after Do.`, `    ![t](${EVIL}) Fresh is called after Do.`]) {
      const text = old.replace('  rpc Do', `  // ${doc}\n  rpc Fresh(Req) returns (Res) {}\n  rpc Do`);
      const h = elementPolicyHover('runtime.v1.S.Fresh', baseline, bind(parse(text), 'file:///ws/new.proto').model)!;
      assert.match(h, /\*\*Call sequence\*\* \(from its documentation\): /, h);
      assert.deepEqual(loads(markdown.render(h)), [], h);
    }
  });

  test('a file baseline\'s path is text in the policy hovers: its name cannot add an image', () => {
    const old = 'syntax = "proto3";\npackage runtime.v1;\nmessage Req {\n  string a = 1;\n}\n';
    const tag = '/ws/b![t](https:evil.example/p.png).proto';
    const baseline = { tag, source: 'path' as const, origin: `file ${tag}`, model: bind(parse(old), 'file:///ws/old.proto').model };
    // A new field's hover names the baseline; so does the related message of a reused number.
    const added = analyze(old.replace('  string a = 1;', '  string a = 1;\n  // b is new.\n  int64 b = 2;'), { uri: 'file:///ws/new.proto', baseline });
    const shown = [elementPolicyHover('runtime.v1.Req.b', baseline, added.bound.model, added.findings)!];
    const reused = analyze(old.replace('  string a = 1;', '  // c is new.\n  int64 c = 1;'), { uri: 'file:///ws/new.proto', baseline });
    for (const f of reused.findings.filter((x) => x.related?.length)) shown.push(findingExplanation(f, baseline));
    assert.ok(shown.length >= 2 && shown.every((h) => h.includes('evil.example')), shown.join('\n---\n'));
    for (const h of shown) assert.deepEqual(loads(markdown.render(h)), [], h);
  });

  test('a whole hover over LSP positions: the tester\'s two comments', () => {
    const text = [
      'syntax = "proto3";', 'package foo.bar;', '// Pixel.', '// ```x`', `// ![t](${EVIL})`, '// ```', 'message Foo {',
      '  // - item', '  //', `  //     ![t](${EVIL})`, '  string name = 1;', '}', '',
    ].join('\n');
    const { bound } = analyze(text, { uri: 'file:///ws/hov.proto' });
    for (const at of [{ line: 6, character: 9 }, { line: 10, character: 10 }]) {
      const value = doHover(bound, at)?.contents.value ?? '';
      assert.match(value, /evil\.example/, value);
      assert.deepEqual(loads(markdown.render(value)), [], value);
    }
  });
});

describe('hover markdown of documentation stubs', () => {
  test('each answer of a filled-in stub shows on its own line; a sentence broken over lines still reads as one', () => {
    const doc = [
      ' WatchPodSandboxResources streams the resources applied to a pod sandbox',
      ' each time they change.',
      ' Call order: the kubelet calls it after RunPodSandbox succeeded.',
      ' Runtime contract: the runtime sends one response per change.',
      ' Older runtimes: a runtime that does not implement it answers Unimplemented;',
      ' the kubelet then polls PodSandboxStatus.',
      ' Tested by: critest "runtime should support WatchPodSandboxResources".',
    ].join('\n');
    const paragraphs = [...markdown.render(formatDoc(doc)).matchAll(/<p>([^]*?)<\/p>/g)].map((m) => m[1]!.replace(/\s+/g, ' '));
    assert.deepEqual(paragraphs.map((p) => p.split(/[ :]/)[0]), ['WatchPodSandboxResources', 'Call', 'Runtime', 'Older', 'Tested']);
    assert.equal(paragraphs[0], 'WatchPodSandboxResources streams the resources applied to a pod sandbox each time they change.');
    assert.equal(paragraphs[3], 'Older runtimes: a runtime that does not implement it answers Unimplemented; the kubelet then polls PodSandboxStatus.');
  });
});

describe('hover markdown of documentation stubs below a list', () => {
  test('a stub written below a comment that ends in a list is not part of its last item', () => {
    const doc = [' The seccomp profile of the container:', ' * unconfined: no sandboxing', ' * localhost/<path>: the profile installed on the node.',
      '   <path> is the full path of the profile.', ' Older runtimes: a runtime that predates it runs the container unconfined.', ' Tested by: critest "seccomp".'].join('\n');
    const html = markdown.render(formatDoc(doc));
    const items = [...html.matchAll(/<li>([^]*?)<\/li>/g)].map((m) => m[1]!.replace(/\s+/g, ' '));
    assert.deepEqual(items, ['unconfined: no sandboxing', 'localhost/&lt;path&gt;: the profile installed on the node. &lt;path&gt; is the full path of the profile.']);
    const after = [...html.slice(html.indexOf('</ul>')).matchAll(/<p>([^]*?)<\/p>/g)].map((m) => m[1]);
    assert.deepEqual(after, ['Older runtimes: a runtime that predates it runs the container unconfined.', 'Tested by: critest &quot;seccomp&quot;.']);
  });
});

describe('hover markdown of upstream comments', NEEDS_CORPUS, () => {
  test('every doc comment of the newest api.proto shows as written: code unescaped, no escape visible', () => {
    const corpus = new Corpus(findCorpusDir(findRepoRoot(__dirname))!);
    const newest = corpus.goTags(V1_PATH).at(-1)!;
    const docs = new Set<string>();
    for (const e of allElements(parse(corpus.text(newest.blob)))) {
      const c = (e.node as { comments?: { leading?: { text: string }; trailing?: { text: string } } }).comments;
      for (const t of [c?.leading?.text, c?.trailing?.text]) if (t) docs.add(t);
    }
    let codeWithMarkup = 0;
    for (const doc of docs) {
      const html = markdown.render(inHover(formatDoc(doc)));
      assert.deepEqual(loads(html), [], doc);
      const code = [...html.matchAll(/<code>([^]*?)<\/code>/g)].map((m) => decode(m[1]!)).filter((c) => c !== 'message M\n');
      // Code is shown as written: every code span and block is in the comment as it is (line breaks aside).
      for (const c of code) assert.ok(doc.replace(/\s+/g, ' ').includes(c.replace(/\s+/g, ' ').trim()), `${c}\n${doc}`);
      if (code.some((c) => /[<[]/.test(c))) codeWithMarkup++;
      // Outside code, an escape shows only where the comment wrote one.
      const shown = decode(html.replace(/<[^>]*>/g, ''));
      assert.ok(count(shown, '\\') <= count(doc, '\\'), `${shown}\n${doc}`);
    }
    // The comments above include code with `<…>` placeholders, which the escaping must leave alone.
    assert.ok(codeWithMarkup > 0, `no code with < or [ among ${docs.size} comments of ${newest.tag}`);
  });
});

function decode(html: string): string {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

function count(text: string, c: string): number {
  return text.split(c).length - 1;
}
