// The compatibility report (markdown) and the CLI's output formats: problems in the report, tables in the
// order of the file, the advice for the host without a baseline, and text from the file that must not break
// a line of text output or a row of a markdown table.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../server/src/service';
import { bind } from '../server/src/proto/binder';
import { parse } from '../server/src/proto/parser';
import { Corpus, CORPUS_HELP, findCorpusDir, findRepoRoot } from '../server/src/baseline/corpus';
import { loadBundledHistory } from '../server/src/baseline/historyIndex';
import { escapeMarkdown, MAX_TABLE_ROWS, renderReport } from '../server/src/report/markdown';
import { elementPolicyHover } from '../server/src/features/policyHover';
import type { Baseline } from '../server/src/baseline/types';
import { formatGithub, formatJson, formatSarif, formatSarifGroups, formatText, type Reportable } from '../server/src/report/formats';
import { escapeHtml, renderInline, renderMarkdown } from '../client/src/render';
import { REVEAL_POSITION_COMMAND, revealPositionLinks } from '../server/src/lsp/protocol';
import type { Finding } from '../server/src/compat/finding';
import type { Range } from '../server/src/proto/ast';
import { notCriApi } from '../server/src/compat/criFile';
import { markdownToPlainText } from '../server/src/features/plainText';
import { NEEDS_CORPUS, corpusText, replaceOnce } from './corpusText';
import { parseAnyTag } from '../server/src/policy/versions';

const MarkdownIt = require('markdown-it') as new (options: { html: boolean }) => { render(src: string): string };

const ROOT = findRepoRoot(__dirname);
const corpusDir = findCorpusDir(ROOT);

const range = (line: number, character = 0): Range => ({ start: { line, character }, end: { line, character: character + 1 } });
const doc = (line: number, character: number, message: string): Finding =>
  ({ rule: 'DOC_MISSING', category: 'DOCS', severity: 'warning', message, range: range(line, character), element: 'x' });

/** Line numbers of each table's rows, by the heading above the table. */
function tableLines(md: string): Map<string, number[]> {
  const tables = new Map<string, number[]>();
  let heading = '';
  for (const l of md.split('\n')) {
    if (l.startsWith('#')) heading = l;
    const m = /^\| \[?(\d+)/.exec(l);
    if (m) tables.set(heading, [...(tables.get(heading) ?? []), Number(m[1])]);
  }
  return tables;
}

describe('report: syntax and binding problems', () => {
  const text = 'syntax = "proto3";\npackage foo.v1;\nmessage A { int32 x; }\nmessage B { Missing m = 1; }\n';
  const { bound, findings, additions } = analyze(text, { uri: 'file:///ws/syn.proto' });

  test('have a section before the findings and are counted in the summary', () => {
    assert.ok(bound.problems.length >= 1, 'the fixture has problems');
    const baseline = { tag: 'b', source: 'path' as const, origin: 'test', model: bound.model };
    const md = renderReport({ file: 'syn.proto', baseline, findings, additions, problems: bound.problems });
    assert.match(md, new RegExp(`^\\*\\*${bound.problems.length}\\*\\* syntax or binding problems?, \\*\\*0\\*\\* breaking`, 'm'));
    const section = md.indexOf('## Syntax and binding problems');
    assert.ok(section > 0 && section < md.indexOf('## Findings'), md);
    for (const p of bound.problems) assert.ok(md.includes(`| ${p.range.start.line + 1} | ${p.severity} | ${p.code} |`), `${p.code} listed:\n${md}`);
  });

  test('with a baseline, syntax errors make the report say the file was not fully checked', () => {
    const baseline = { tag: 'b', source: 'path' as const, origin: 'test', model: bind(parse(text.replace('int32 x;', 'int32 x = 1;')), 'file:///b').model };
    const broken = analyze(text, { uri: 'file:///ws/syn.proto', baseline });
    const note = /^> The file has 1 syntax error, so its compatibility was not fully checked/m;
    assert.match(renderReport({ file: 'syn.proto', baseline, findings: broken.findings, additions: broken.additions, problems: broken.bound.problems }), note);
    // A binding problem alone (the unknown type) is no reason: the file was read whole.
    const fixed = analyze(text.replace('int32 x;', 'int32 x = 1;'), { uri: 'file:///ws/syn.proto', baseline });
    assert.ok(fixed.bound.problems.length > 0);
    assert.doesNotMatch(renderReport({ file: 'syn.proto', baseline, findings: fixed.findings, additions: fixed.additions, problems: fixed.bound.problems }), note);
  });

  test('are sorted, linked like findings, and escaped', () => {
    const problems = [
      { code: 'b', severity: 'error' as const, message: 'second <x>|y\nz', range: range(9) },
      { code: 'a', severity: 'warning' as const, message: 'first', range: range(2) },
    ];
    const md = renderReport({ file: 'f', findings: [], additions: [], problems, linkTo: (l, c) => `f#L${l + 1}C${c + 1}` });
    assert.deepEqual(tableLines(md).get('## Syntax and binding problems'), [3, 10]);
    assert.ok(md.includes('| [10](f#L10C1) | error | b | second \\<x>\\|y z |'), md);
  });

  test('passing none (or none found) leaves the report as it was', () => {
    const baseline = { tag: 'b', source: 'path' as const, origin: 'test', model: bind(parse('syntax = "proto3";\n'), 'file:///b').model };
    const plain = renderReport({ file: 'f', baseline, findings: [], additions: [] });
    assert.equal(renderReport({ file: 'f', baseline, findings: [], additions: [], problems: [] }), plain);
    assert.doesNotMatch(plain, /problem/);
    assert.match(plain, /^\*\*0\*\* breaking findings, \*\*0\*\* findings in all, \*\*0\*\* additions\.$/m);
  });
});

describe('report: which findings are breaking', () => {
  test('the rows of breaking findings say so, as many as the summary counts, warnings too', { skip: corpusDir ? false : CORPUS_HELP }, () => {
    const old = new Corpus(corpusDir!).textOf('v0.36.3')!;
    const baseline = { tag: 'v0.36.3', source: 'path' as const, origin: 'test', model: bind(parse(old), 'old.proto').model };
    // A deleted field: FIELD_NO_DELETE (an error) and FIELD_REMOVED_WITHOUT_DEPRECATION (a warning), both breaking;
    // a new undocumented RPC: DOC_MISSING, which breaks nothing.
    const text = old
      .replace('message VersionRequest {\n    // Version of the kubelet runtime API.\n    string version = 1;\n}', 'message VersionRequest {\n}')
      .replace('    rpc Version(VersionRequest) returns (VersionResponse) {}\n', '    rpc Version(VersionRequest) returns (VersionResponse) {}\n    rpc Pause(VersionRequest) returns (VersionResponse) {}\n');
    const { findings, additions } = analyze(text, { uri: 'file:///ws/api.proto', baseline });
    assert.deepEqual(findings.map((f) => f.rule).sort(), ['DOC_MISSING', 'FIELD_NO_DELETE', 'FIELD_REMOVED_WITHOUT_DEPRECATION']);
    const md = renderReport({ file: 'api.proto', baseline, findings, additions });
    const counted = Number(/\*\*(\d+)\*\* breaking/.exec(md)?.[1]);
    const marked = md.split('\n').filter((l) => /^\| \d+ \| (error|warning|information|hint), breaking \|/.test(l));
    assert.equal(counted, 2, md);
    assert.equal(marked.length, counted, md);
    assert.ok(marked.some((l) => l.includes('| warning, breaking | [FIELD_REMOVED_WITHOUT_DEPRECATION]')), md);
    assert.match(md, /^\| \d+ \| warning \| \[DOC_MISSING\]/m);
  });
});

describe('report: tables in the order of the file', () => {
  test('findings and additions sorted by line, then character', () => {
    const findings = [doc(1035, 0, 'a'), doc(45, 4, 'c'), doc(45, 2, 'b'), doc(1039, 0, 'd')];
    const additions = [
      { kind: 'message' as const, element: 'P', range: range(1035) },
      { kind: 'rpc' as const, element: 'R', range: range(45) },
    ];
    const md = renderReport({ file: 'f', findings, additions });
    assert.deepEqual(tableLines(md).get('### Documentation and call sequence'), [46, 46, 1036, 1040]);
    assert.ok(md.indexOf('| b |') < md.indexOf('| c |'), 'same line: by character');
    assert.deepEqual(tableLines(md).get('## Additions since the baseline'), [46, 1036]);
    assert.equal(findings[0]!.message, 'a', 'the caller\'s arrays are not reordered');
  });

  test('with an old baseline, additions later releases have are marked and leave the matrix alone', () => {
    const history = loadBundledHistory();
    const text = readFileSync(join(ROOT, 'examples', 'api.proto'), 'utf8');
    const model = (tag: string) => history.modelAt(tag)!;
    const skew = (md: string): string => md.slice(md.indexOf('## Version skew'));
    // Against v0.36.3 the examples' additions are all new: no column, and the matrix has runtimes lacking them.
    const recent = { tag: 'v0.36.3', source: 'bundled' as const, origin: 'test', model: model('v0.36.3'), history };
    const a = analyze(text, { uri: 'file:///ws/api.proto', baseline: recent });
    const mdRecent = renderReport({ file: 'api.proto', baseline: recent, findings: a.findings, additions: a.additions });
    assert.ok(a.additions.length > 0);
    assert.doesNotMatch(mdRecent, /Released in/);
    assert.match(skew(mdRecent), /◐/);
    // Against v0.30.0 most additions shipped in v0.31–v0.37: each says where, and only the rest count for the matrix.
    const old = { tag: 'v0.30.0', source: 'bundled' as const, origin: 'test', model: model('v0.30.0'), history };
    const b = analyze(text, { uri: 'file:///ws/api.proto', baseline: old });
    const md = renderReport({ file: 'api.proto', baseline: old, findings: b.findings, additions: b.additions });
    const rows = md.slice(md.indexOf('## Additions since the baseline'), md.indexOf('## Version skew')).split('\n').filter((l) => /^\| \d/.test(l));
    assert.equal(rows.length, b.additions.length);
    const released = rows.filter((r) => /\| v0\.3[1-7]\.\d+(-[a-z]+\.\d+)? \|$/.test(r));
    const notYet = rows.filter((r) => r.endsWith('| not yet |'));
    assert.equal(released.length + notYet.length, rows.length, rows.join('\n'));
    assert.ok(released.length > 10 && notYet.length > 0, `${released.length} released, ${notYet.length} not yet`);
    assert.equal(notYet.length, a.additions.length, 'what is new since v0.36.3 is what no release has');
  });

  test('examples/api.proto against v0.36.3', { skip: corpusDir ? false : CORPUS_HELP }, () => {
    const text = readFileSync(join(ROOT, 'examples', 'api.proto'), 'utf8');
    const old = new Corpus(corpusDir!).textOf('v0.36.3')!;
    const baseline = { tag: 'v0.36.3', source: 'path' as const, origin: 'test', model: bind(parse(old), 'old.proto').model };
    const { findings, additions } = analyze(text, { uri: 'file:///ws/api.proto', baseline });
    const tables = tableLines(renderReport({ file: 'api.proto', baseline, findings, additions }));
    assert.ok(tables.size >= 3, [...tables.keys()].join(', '));
    for (const [heading, lines] of tables) assert.deepEqual(lines, [...lines].sort((a, b) => a - b), heading);
  });
});

describe('report: advice without a baseline', () => {
  test('a criCompat.baseline that could not be used is named, not asked for', () => {
    const md = renderReport({ file: 'api.proto', findings: [], additions: [], package: 'runtime.v1', baselineSetting: 'v0.99.0' });
    assert.match(md, /^Baseline: criCompat\.baseline is `v0\.99\.0`, which could not be used \(the "CRI API Compatibility" output says why\), so only syntax and binding checks ran/m);
    assert.match(md, /Change it, clear it for the automatic baseline, or run "CRI: Select Baseline…"\./);
    assert.doesNotMatch(md, /none found|Set `criCompat\.baseline`/);
    // A value from the file cannot add markup.
    assert.match(renderReport({ file: 'f', findings: [], additions: [], baselineSetting: 'a`b<img>' }), /is `a'b<img>`, which/);
  });

  test('the editor (default) names its setting and command; the CLI names --against', () => {
    const editor = renderReport({ file: 'f', findings: [], additions: [] });
    assert.equal(renderReport({ file: 'f', findings: [], additions: [], host: 'editor' }), editor);
    assert.match(editor, /criCompat\.baseline/);
    const cli = renderReport({ file: 'f', findings: [], additions: [], host: 'cli' });
    assert.match(cli, /Baseline: none found, so only syntax and binding checks ran: .* Pass `--against <tag\|path>`\./);
    assert.doesNotMatch(cli, /criCompat|Select Baseline/);
  });
});

describe('output: text from the file cannot forge lines', () => {
  const forged = 'src/evil.proto:1:1: error FIELD_NO_DELETE injected';
  const hostile = `import "x\n${forged}\r${forged}\u2028${forged}\u2029\x1b[2K\x00\x7f\u0085\t|pipe"`;
  const items: Reportable[] = [
    { rule: 'unresolved-import', severity: 'warning', message: hostile, range: range(2, 7) },
    { rule: 'syntax', severity: 'error', message: 'plain', range: range(3) },
  ];

  test('text: one line per finding, breaks and controls escaped visibly', () => {
    const out = formatText('inj.proto', items);
    const lines = out.split(/\r\n|[\n\r\u2028\u2029\u0085]/);
    assert.equal(lines.length, 2, out);
    assert.equal(lines[0],
      `inj.proto:3:8: warning unresolved-import import "x\\n${forged}\\r${forged}\\u2028${forged}\\u2029\\u001b[2K\\u0000\\u007f\\u0085\\t|pipe"`);
    assert.equal(lines[1], 'inj.proto:4:1: error syntax plain');
    assert.ok(!/^src\/evil/m.test(out));
  });

  test('text: a real file with such an import', () => {
    const text = `syntax = "proto3";\npackage foo.v1;\nimport "x\\n${forged}.proto";\n`;
    const { bound } = analyze(text, { uri: 'file:///ws/inj.proto' });
    const problems: Reportable[] = bound.problems.map((p) => ({ rule: p.code, severity: p.severity, message: p.message, range: p.range }));
    assert.ok(problems.some((p) => p.message.includes('\n')), 'the binder quotes the import path with its newline');
    assert.equal(formatText('inj.proto', problems).split('\n').length, problems.length);
  });

  test('text, github and markdown: bidirectional controls from the file are shown, not obeyed (Trojan Source)', () => {
    // An override or isolate reorders what follows it on screen, up to the end of the line: a terminal, the job log
    // and a plain-text reading of the report would show the rest of the finding other than it is.
    const controls = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    const text = `syntax = "proto3";\npackage foo.v1;\nimport "evil\u202e${controls}cod.proto";\n`;
    const { bound } = analyze(text, { uri: 'file:///ws/bidi.proto' });
    const problems: Reportable[] = bound.problems.map((p) => ({ rule: p.code, severity: p.severity, message: p.message, range: p.range }));
    assert.ok(problems.some((p) => p.message.includes('\u202e')), 'the binder quotes the import path with its override');
    const bidi = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
    const out = formatText('bidi.proto', problems);
    assert.doesNotMatch(out, bidi, out);
    assert.match(out, /import "evil\\u202e\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061ccod\.proto"/);
    assert.doesNotMatch(formatGithub([{ file: 'bidi.proto', items: problems }]), bidi);
    const md = renderReport({ file: 'bidi\u202e.proto', findings: [], additions: [], problems: bound.problems });
    assert.doesNotMatch(md, bidi, md);
    // Right-to-left text itself is no control: it reads as written.
    assert.equal(escapeMarkdown('שלום عربي'), 'שלום عربي');
  });

  test('github: one command per finding; json and sarif keep the message exactly', () => {
    const gh = formatGithub([{ file: 'inj.proto', items }]).split('\n');
    assert.equal(gh.length, 2);
    assert.ok(gh.every((l) => l.startsWith('::')), gh.join('\n'));
    // No control character reaches the job's log (an escape sequence would be a terminal command there).
    for (const l of gh) assert.doesNotMatch(l, /[\x00-\x1f\x7f-\x9f\u2028\u2029]/);
    assert.ok(gh[0]!.endsWith(`::import "x\\n${forged}\\r${forged}\\u2028${forged}\\u2029\\u001b[2K\\u0000\\u007f\\u0085\\t|pipe"`), gh[0]);
    assert.equal(JSON.parse(formatJson('inj.proto', undefined, items)).findings[0].message, hostile);
    const location = { absolute: '/ws/inj.proto', root: '/ws', relative: 'inj.proto' };
    assert.equal(JSON.parse(formatSarif(location, items, { exitCode: 0, executionSuccessful: true, notifications: [] })).runs[0].results[0].message.text, hostile);
  });

  test('sarif over several files (pairs): %SRCROOT% is the first root; a file below another root is named by its file: URI', () => {
    const groups = [
      { location: { absolute: '/ws/a/new.proto', root: '/ws', relative: 'a/new.proto' }, items, properties: { old: 'v0.35.0', new: 'v0.36.0' } },
      { location: { absolute: '/other/b.proto', root: '/other', relative: 'b.proto' }, items },
    ];
    const run = JSON.parse(formatSarifGroups(groups, { exitCode: 0, executionSuccessful: true, notifications: [] })).runs[0];
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///ws/' } });
    const where = run.results.map((r: { locations: { physicalLocation: { artifactLocation: unknown } }[]; properties?: unknown }) => [r.locations[0]!.physicalLocation.artifactLocation, r.properties]);
    assert.deepEqual(where, [
      ...items.map(() => [{ uri: 'a/new.proto', uriBaseId: '%SRCROOT%' }, { old: 'v0.35.0', new: 'v0.36.0' }]),
      ...items.map(() => [{ uri: 'file:///other/b.proto' }, undefined]),
    ]);
  });

  test('markdown: a message with line breaks or | stays one table row', () => {
    const md = renderReport({ file: 'f', findings: [doc(4, 0, `a|b\nc\rd\r\ne\u2028f\x00g`)], additions: [] });
    const rows = md.split(/\r\n|[\n\r]/).filter((l) => l.startsWith('| 5 |'));
    assert.equal(rows.length, 1, md);
    assert.ok(!/[\x00-\x1f\u2028]/.test(rows[0]!), rows[0]);
    const html = renderMarkdown(md);
    const row = /<tr><td>5<\/td>.*?<\/tr>/.exec(html)?.[0] ?? '';
    assert.equal(row.match(/<td>/g)?.length, 4, row);
    assert.match(row, /a\|b c d e f g/);
  });
});

describe('markdown escaping: only what would start markup', () => {
  const md = new MarkdownIt({ html: true });
  /** `text` as a markdown renderer writes it out: its HTML escapes, no element. */
  const shown = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const texts = [
    'field "pod_sandbox_metadata" (runtime.v1.PodSandboxMetadata) in v0.25.0', "it's 1.5 times + 2 = #3, 100% {x} a-b!",
    '<b>bold</b> <https://example.invalid> <!-- c --> </i> <?x?> <!X> a < b, map<k, v>, a<b', '&quot; &#60; &amp &x; & x',
    '*a* **b** _c_ __d__ snake_case_ _x ünder_score ~~s~~ ~t~', '[l](https://example.invalid) ![i](https://example.invalid/i.png) [r][1] [^f] [x]: /y',
    '`code` ``a`` a|b', '# h', '> q', '- l', '+ l', '  # h', 'C:\\dir\\x \\* \\(y) \\',
  ];

  test('a table cell, a paragraph and a list item show the text as written, with no element from it', () => {
    for (const text of texts) {
      const e = escapeMarkdown(text);
      const cell = /<td>1<\/td>\n<td>([^]*?)<\/td>\n<\/tr>/.exec(md.render(`| a | b |\n|---|---|\n| 1 | ${e} |\n`))?.[1];
      assert.equal(cell, shown(text.trim()), e);
      assert.equal(md.render(e), `<p>${shown(text.trim())}</p>\n`, e);
      assert.equal(md.render(`- ${e}`), `<ul>\n<li>${shown(text.trim())}</li>\n</ul>\n`, e);
      // The report's webview, and what a client without markdown shows of a hover (the history document too).
      assert.equal(renderInline(e), escapeHtml(text), e);
      assert.equal(markdownToPlainText(e), text, e);
    }
  });

  test('quotes, parentheses, snake_case and other punctuation stay as they are; no HTML entity', () => {
    assert.equal(escapeMarkdown(texts[0]!), texts[0]);
    assert.equal(escapeMarkdown(texts[1]!), texts[1]);
    assert.equal(escapeMarkdown('a|b <i>x</i> *y* _z_ `c` [l](x) &quot; \\('), 'a\\|b \\<i>x\\</i> \\*y\\* \\_z\\_ \\`c\\` \\[l\\](x) \\&quot; \\\\(');
  });
});

describe('report: what ran without a baseline, and files that are not the CRI API', () => {
  test('without a baseline analyze() runs no check but syntax and binding, and the report says so', () => {
    // A new, undocumented RPC: with a baseline it would get DOC_MISSING; without one nothing runs.
    const text = 'syntax = "proto3";\npackage runtime.v1;\nservice S { rpc R(A) returns (A); }\nmessage A {}\n';
    const a = analyze(text, { uri: 'file:///ws/api.proto' });
    assert.deepEqual(a.findings, []);
    for (const host of ['editor', 'cli'] as const) {
      const md = renderReport({ file: 'api.proto', findings: a.findings, additions: a.additions, problems: a.bound.problems, host, package: a.bound.model.package });
      assert.match(md, /^Baseline: none found, so only syntax and binding checks ran: the compatibility, documentation and policy checks all need one\./m);
      assert.doesNotMatch(md, /documentation checks ran/);
    }
  });

  test('without a baseline the report claims no findings and no additions: nothing was compared', { skip: corpusDir ? false : CORPUS_HELP }, () => {
    // The real api.proto with a field deleted and an undocumented RPC added: with a baseline, findings and additions.
    const old = new Corpus(corpusDir!).textOf('v0.36.3')!;
    const text = old
      .replace('message VersionRequest {\n    // Version of the kubelet runtime API.\n    string version = 1;\n}', 'message VersionRequest {\n}')
      .replace('    rpc Version(VersionRequest) returns (VersionResponse) {}\n', '    rpc Version(VersionRequest) returns (VersionResponse) {}\n    rpc Pause(VersionRequest) returns (VersionResponse) {}\n');
    assert.notEqual(text, old);
    const a = analyze(text, { uri: 'file:///ws/api.proto' });
    for (const host of ['editor', 'cli'] as const) {
      const md = renderReport({ file: 'api.proto', findings: a.findings, additions: a.additions, problems: a.bound.problems, host, package: a.bound.model.package });
      assert.match(md, /^Baseline: none found, so only syntax and binding checks ran/m);
      assert.match(md, /^No syntax or binding problems\.$/m);
      assert.doesNotMatch(md, /breaking finding|No findings|## Findings|## Additions|^None\.$/m);
    }
  });

  test('another package: not a CRI API file, no baseline and no compatibility checks apply', () => {
    const text = 'syntax = "proto3";\npackage other;\nmessage A { Missing m = 1; }\n';
    const a = analyze(text, { uri: 'file:///ws/other.proto' });
    for (const host of ['editor', 'cli'] as const) {
      const md = renderReport({ file: 'other.proto', findings: a.findings, additions: a.additions, problems: a.bound.problems, host, package: a.bound.model.package, notCriApi: notCriApi(a.bound.model, 'other.proto')! });
      assert.match(md, /^Not a CRI API file: its package is `other`, not `runtime\.v1`\. No baseline applies and no compatibility checks apply; only syntax and binding were checked\.$/m);
      assert.doesNotMatch(md, /Baseline: none found|criCompat\.baseline|--against|Select Baseline|## Findings|## Additions/);
      // Its own problems are still listed.
      assert.match(md, /^\*\*1\*\* syntax or binding problem\.$/m);
      assert.match(md, /\| 3 \| error \| unresolved-type \|/);
    }
    const none = renderReport({ file: 'x.proto', findings: [], additions: [], package: '', notCriApi: notCriApi({ package: '', services: [] }, 'x.proto')! });
    assert.match(none, /^Not a CRI API file: it declares no package, and neither `RuntimeService` nor `ImageService`\./m);
    assert.match(none, /^No syntax or binding problems\.$/m);
  });

  test('runtime.v1alpha2 in the editor: not compared there, but a CRI API file', () => {
    const md = renderReport({ file: 'api.proto', findings: [], additions: [], package: 'runtime.v1alpha2' });
    assert.match(md, /^Baseline: none\. The editor does not compare `runtime\.v1alpha2`/m);
    assert.doesNotMatch(md, /Not a CRI API file/);
    const cli = renderReport({ file: 'api.proto', findings: [], additions: [], package: 'runtime.v1alpha2', host: 'cli' });
    assert.match(cli, /Baseline: none found, .* Pass `--against/);
  });

  test('a file with 150,000 syntax problems: counted, the first MAX_TABLE_ROWS listed (found by the long fuzzing run)', () => {
    // The rows were spread into push(), which overflows the stack with this many arguments.
    const text = 'syntax = "proto3";\npackage runtime.v1;\nmessage M { ' + 'int32 = ; '.repeat(150_000) + '}\n';
    const a = analyze(text, { uri: 'file:///ws/api.proto' });
    assert.equal(a.bound.problems.length, 150_000);
    const md = renderReport({ file: 'api.proto', findings: a.findings, additions: a.additions, problems: a.bound.problems, package: 'runtime.v1' });
    assert.match(md, /^\*\*150000\*\* syntax or binding problems\.$/m);
    const rows = md.split('\n').filter((l) => /^\| 3 \| error \| syntax \|/.test(l));
    assert.equal(rows.length, MAX_TABLE_ROWS);
    // The first ones, in the order of the file.
    assert.equal(rows[0], `| 3 | error | syntax | ${escapeMarkdown(a.bound.problems[0]!.message)} |`);
    assert.match(md, new RegExp(`^… and ${150_000 - MAX_TABLE_ROWS} more, not listed here \\(\`cri-compat parse\` lists them all\\)\\.$`, 'm'));
  });

  test("3,000 new messages: the editor's report lists the first MAX_TABLE_ROWS findings and additions, the CLI's all of them", () => {
    const history = loadBundledHistory();
    const baseline = { tag: 'v0.36.3', source: 'bundled' as const, origin: 'test', model: history.modelAt('v0.36.3')!, history };
    const text = readFileSync(join(ROOT, 'examples', 'api.proto'), 'utf8') + Array.from({ length: 3000 }, (_, k) => `message Extra${k} { int32 x = 1; }\n`).join('');
    const a = analyze(text, { uri: 'file:///ws/api.proto', baseline });
    const docs = a.findings.filter((f) => f.category === 'DOCS').length;
    assert.ok(docs > MAX_TABLE_ROWS && a.additions.length > MAX_TABLE_ROWS, `${docs} doc findings, ${a.additions.length} additions`);
    const input = { file: 'api.proto', findings: a.findings, additions: a.additions, package: 'runtime.v1', baseline };
    const editor = renderReport(input);
    const cli = renderReport({ ...input, host: 'cli' });
    const rows = (md: string): number => md.split('\n').filter((l) => /^\| \d+ \|/.test(l)).length;
    const perCategory = new Map<string, number>();
    for (const f of a.findings) perCategory.set(f.category, (perCategory.get(f.category) ?? 0) + 1);
    const capped = [...perCategory.values()].reduce((n, c) => n + Math.min(c, MAX_TABLE_ROWS), 0) + Math.min(a.additions.length, MAX_TABLE_ROWS);
    // The counts on top stay whole; each table stops after its first rows, and says how many more there are.
    for (const md of [editor, cli]) assert.match(md, new RegExp(`\\*\\*${a.findings.length}\\*\\* findings? in all, \\*\\*${a.additions.length}\\*\\* additions?`));
    assert.match(editor, new RegExp(`^… and ${docs - MAX_TABLE_ROWS} more, not listed here \\(\`cri-compat report\` lists them all\\)\\.$`, 'm'));
    assert.match(editor, new RegExp(`^… and ${a.additions.length - MAX_TABLE_ROWS} more, not listed here`, 'm'));
    assert.equal(rows(editor), capped);
    assert.doesNotMatch(cli, /not listed here/);
    assert.equal(rows(cli), a.findings.length + a.additions.length);
  });
});

// ---- the editor's line links -----------------------------------------------------------------------------------

describe("report: the editor's line links (revealPositionLinks)", () => {
  // URIs that need every kind of encoding: percent signs, the characters encodeURIComponent keeps but a markdown
  // link target must not have, quotes and backslashes JSON escapes, non-ASCII, a line separator, a lone surrogate.
  const URIS = ['file:///ws/api.proto', "file:///ws/my%20dir/api(1)'!*~.proto", 'untitled:Untitled-1', 'file:///ws/café/ä "q" \\ \u2028 \ud800.proto'];
  const history = loadBundledHistory();
  // An old baseline: more additions, so more rows to link.
  const baseline = { tag: 'v0.30.0', source: 'bundled' as const, origin: 'test', model: history.modelAt('v0.30.0')!, history };
  const a = analyze(readFileSync(join(ROOT, 'examples', 'api.proto'), 'utf8'), { uri: URIS[0]!, baseline });
  const positions = [...a.bound.problems, ...a.findings, ...a.additions].map((x) => x.range.start);

  test('are the command with [uri, line, character] as JSON, URI-encoded, and safe in a markdown link', () => {
    assert.ok(positions.length > 20, `${positions.length} positions`);
    for (const uri of URIS) {
      const link = revealPositionLinks(uri);
      for (const p of positions) {
        const args = encodeURIComponent(JSON.stringify([uri, p.line, p.character])).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
        assert.equal(link(p.line, p.character), `command:${REVEAL_POSITION_COMMAND}?${args}`);
      }
    }
  });

  test("encode the document's URI once, not again for each row (a sixth of a large report's time)", () => {
    const link = revealPositionLinks(URIS[1]!);
    const encode = globalThis.encodeURIComponent;
    let calls = 0;
    globalThis.encodeURIComponent = (s) => { calls++; return encode(s); };
    try {
      for (const p of positions) link(p.line, p.character);
    } finally {
      globalThis.encodeURIComponent = encode;
    }
    assert.equal(calls, 0);
  });
});

// ---- the skew matrix: which side has the new elements, the target release, runtime column names --------------

describe('report: skew matrix', () => {
  const baseline = (tag: string) => ({ tag, source: 'path' as const, origin: 'test', model: bind(parse('syntax = "proto3";\npackage runtime.v1;\n'), 'b').model });
  const added = [{ kind: 'rpc' as const, element: 'runtime.v1.RuntimeService.Pause', range: range(5) }];
  /**
   * The matrix as rows of cells, each row by its kubelet header and each column by its runtime header without
   * "cri-api " (a minor can have two of each), and one cell by both headers.
   */
  function table(md: string): { header: string[]; rows: [string, string[]][]; cell: (kubelet: string, runtime: string) => string | undefined } {
    const lines = md.slice(md.indexOf('## Version skew')).split('\n').filter((l) => l.startsWith('|'));
    const header = lines[0]!.split('|').slice(2, -1).map((c) => c.trim().replace(/^cri-api /, ''));
    const rows = lines.slice(2).map((l): [string, string[]] => {
      const cs = l.split('|').slice(1, -1).map((c) => c.trim());
      return [cs[0]!.replace(/\*/g, ''), cs.slice(1)];
    });
    const cell = (kubelet: string, runtime: string): string | undefined => rows.find(([k]) => k === kubelet)?.[1][header.indexOf(runtime)];
    return { header, rows, cell };
  }
  /** The minor of a row or column header: 37 of `1.37` and of `v0.37`. */
  const minorOf = (h: string): number => Number(/^v?[01]\.(\d+)/.exec(h)![1]);

  test('a kubelet and a runtime both older than the release get their own mark, not the "both have them" one', () => {
    const md = renderReport({ file: 'f', findings: [], additions: added, baseline: baseline('v0.36.3') });
    const { header, rows, cell } = table(md);
    assert.deepEqual(header, ['v0.34', 'v0.35', 'v0.36', 'v0.37', 'v0.38', 'v0.39', 'v0.40']);
    assert.equal(cell('1.34', 'v0.35'), '·', 'kubelet 1.34 × runtime v0.35: neither has the additions');
    assert.equal(cell('1.36', 'v0.34'), '·');
    assert.equal(cell('1.37', 'v0.36'), '◐', 'the runtime lacks them');
    assert.equal(cell('1.34', 'v0.37'), '○', 'the kubelet does not use them');
    assert.equal(cell('1.37', 'v0.40'), '✓', 'both have them');
    assert.equal(cell('1.34', 'v0.38'), '—');
    for (const [k, cs] of rows) cs.forEach((c, i) => { if (c === '✓') assert.ok(minorOf(k) >= 37 && minorOf(header[i]!) >= 37, `✓ at ${k} × ${header[i]}`); });
    assert.match(md, /^Legend: ✓ supported, both sides have the new elements; .*· supported, neither side has them \(both are older than 1\.37\)/m);
    assert.match(md, /^Rows are kubelets \(Kubernetes 1\.K\); columns are runtimes, named by the cri-api version they are built from\.$/m);
  });

  test('without additions the legend speaks of no new elements, and every pair in the window is ✓', () => {
    const md = renderReport({ file: 'f', findings: [], additions: [], baseline: baseline('v0.36.3') });
    const legend = md.split('\n').find((l) => l.startsWith('Legend:'))!;
    assert.doesNotMatch(legend, /new elements|lacks them|does not use them/);
    assert.match(legend, /no additions since the baseline/);
    for (const [, cs] of table(md).rows) for (const c of cs) assert.ok(c === '✓' || c === '—', c);
  });

  /**
   * The report's matrix against the hover of a new RPC of examples/api.proto: the columns whose runtimes lack
   * it (◐ or ·) are the runtimes the hover names (minors, the patches of a patch target's minor, and pre-releases),
   * the rows with ◐ the kubelets it says can meet them, and no row or column mixes having and lacking.
   */
  function assertMatrixAgreesWithHover(baseline: Baseline, text = readFileSync(join(ROOT, 'examples', 'api.proto'), 'utf8')): { md: string; hover: string } {
    const minors = (from: number, to: string): number[] => Array.from({ length: Number(to) - from + 1 }, (_, i) => from + i);
    const a = analyze(text, { uri: 'file:///ws/api.proto', baseline });
    const rpc = a.additions.find((x) => x.kind === 'rpc');
    assert.ok(rpc, 'the file adds an RPC');
    const md = renderReport({ file: 'api.proto', baseline, findings: a.findings, additions: a.additions });
    const hover = elementPolicyHover(rpc.element, baseline, a.bound.model, a.findings)!;
    // The hover's runtimes: minors (the last one's lacking patches for a patch target), for a patch of an older release
    // line the minors released after it without it (` or v0.34–v0.36`), then one span of pre-releases per minor. Its
    // kubelets: `1.36.4–1.40`, `1.37.0–1.40`, or for a patch of an older line `1.33.5 and later 1.33 patches`, with
    // ` and 1.37–1.40`, the kubelets of the minors to come, where the window of those reaches a runtime without it.
    const said = /would ship in Kubernetes (\S+) \(cri-api (\S+)\)\.[\s\S]*Runtimes built from cri-api v0\.(\d+)–v0\.(\d+)(?:\.(\d+))?((?: or v0\.\S+)*) will not have it, and kubelets? (.+?) can meet them/.exec(hover);
    assert.ok(said, hover);
    const [, kube, goTag, rMin, rMax, rMaxPatch, more, kubeletText] = said;
    const shipMinor = Number(/^1\.(\d+)/.exec(kube!)![1]);
    // Minors released after an older line's patch without it (`v0.34–v0.36` or `v0.34`), and pre-releases that lack it.
    const spans = [...more!.matchAll(/ or (v0\.\S+?)(?:–(v0\.\S+))?(?= or |$)/g)].map((m) => ({ first: m[1]!, last: m[2] ?? m[1]! }));
    const isMinor = (t: string): boolean => /^v0\.\d+$/.test(t);
    const later = spans.filter((x) => isMinor(x.first)).flatMap((x) => minors(minorOf(x.first), String(minorOf(x.last))));
    const runs = spans.filter((x) => !isMinor(x.first)).map((x) => ({ minor: minorOf(x.first), first: x.first, last: x.last }));
    const kubeOf = (tag: string): string => tag.replace(/^v0\./, '1.');
    const shipKube = kubeOf(goTag!);
    // The kubelets of the ship's minor that have it are those of the release it ships in on, where part of the minor lacks it.
    const splitShip = rMaxPatch !== undefined || runs.some((r) => r.minor === shipMinor);
    const kubeletsSaid = /^(?:(\S+) and later 1\.(\d+) patches(?: and 1\.(\d+)(?:–1\.(\d+))?)?|(\S+)–1\.(\d+))$/.exec(kubeletText!);
    assert.ok(kubeletsSaid, `kubelets as the hover says them: ${kubeletText}`);
    const [, kPatch, kPatchMinor, kResume, kResumeMax, kFromSpan, kMaxSpan] = kubeletsSaid;
    const kFrom = kPatch ?? kFromSpan!;
    // For a patch, the kubelets from that patch on (`1.36.4`), or from its pre-release (`1.36.4-rc.0`), as the matrix's row says.
    assert.equal(kFrom, splitShip ? shipKube : `1.${shipMinor}`, hover);
    if (rMaxPatch !== undefined) assert.equal(parseAnyTag(goTag!)?.patch, Number(rMaxPatch) + 1, hover);
    if (kPatch !== undefined) assert.equal(Number(kPatchMinor), shipMinor, hover);
    // A patch target: the last lacking minor's lacking patches, and the kubelets of the target's minor that have it.
    const lacking = [
      ...minors(Number(rMin), rMax!).map((n) => (rMaxPatch !== undefined && n === Number(rMax) ? `v0.${n}.0${rMaxPatch === '0' ? '' : `–v0.${n}.${rMaxPatch}`}` : `v0.${n}`)),
      ...later.map((n) => `v0.${n}`),
      ...runs.map((r) => `${r.first}–${r.last}`),
    ];
    const kubeletRow = (k: number): string => {
      const run = runs.find((r) => r.minor === k);
      if (k === shipMinor && splitShip) return `${shipKube} and later 1.${k} patches`;
      return run ? `1.${k} after ${kubeOf(run.last)}` : `1.${k}`;
    };
    // The kubelets of the ship's minor on, or of its patch and of the minors to come (from `kResume`).
    const meeting = kPatch !== undefined
      ? [kubeletRow(shipMinor), ...(kResume !== undefined ? minors(Number(kResume), kResumeMax ?? kResume) : []).map(kubeletRow)]
      : minors(shipMinor, kMaxSpan!).map(kubeletRow);
    assert.match(md, new RegExp(`would ship in Kubernetes ${kube!.replace(/\./g, '\\.')} \\(cri-api ${goTag!.replace(/\./g, '\\.')}\\)`));
    const { header, rows } = table(md);
    const lacks = new Set(['◐', '·']);
    const has = new Set(['✓', '○']);
    assert.deepEqual(header.filter((_, i) => rows.some(([, cs]) => lacks.has(cs[i]!))), lacking, `${hover}\n${md}`);
    assert.deepEqual(rows.filter(([, cs]) => cs.includes('◐')).map(([k]) => k), meeting, `${hover}\n${md}`);
    for (const [k, cs] of rows) {
      const kubeletHas = cs.some((c) => c === '✓' || c === '◐');
      cs.forEach((c, i) => {
        assert.ok(!(lacks.has(c) && rows.some(([, o]) => has.has(o[i]!))), `column ${header[i]} mixes runtimes with and without it`);
        if (has.has(c) || lacks.has(c)) assert.equal(c === '✓' || c === '◐', kubeletHas, `row ${k} mixes kubelets with and without it`);
      });
    }
    return { md, hover };
  }

  test('changes that ship in a patch release: the earlier patches of its minor have a row and a column of their own, and every cell agrees with the hover', () => {
    const history = loadBundledHistory();
    const base = { tag: 'v0.36.3', source: 'bundled' as const, origin: 'test', model: history.modelAt('v0.36.3')!, history };
    // --current-tag v0.36.4, and a clone on the release line past v0.36.3: both ship in v0.36.4.
    for (const baseline of [{ ...base, release: 'v0.36.4' }, { ...base, source: 'git' as const, releaseLine: 36 }] as Baseline[]) {
      const { md } = assertMatrixAgreesWithHover(baseline);
      const { header, rows } = table(md);
      // The bundled history's pre-releases of 1.37 were cut without the changes: they lack them too, and kubelet 1.40 can meet them.
      assert.deepEqual(header, ['v0.33', 'v0.34', 'v0.35', 'v0.36.0–v0.36.3', 'v0.36.4 and later v0.36 patches', 'v0.37.0-alpha.0–v0.37.0-beta.0', 'v0.37 after v0.37.0-beta.0', 'v0.38', 'v0.39', 'v0.40']);
      assert.deepEqual(rows.map(([k]) => k), ['1.33', '1.34', '1.35', '1.36.0–1.36.3', '1.36.4 and later 1.36 patches', '1.37.0-alpha.0–1.37.0-beta.0', '1.37 after 1.37.0-beta.0', '1.38', '1.39', '1.40']);
      assert.deepEqual(rows[3]![1], ['·', '·', '·', '·', '○', '·', '○', '○', '○', '—'], 'kubelets 1.36.0–1.36.3 do not have them');
      assert.deepEqual(rows[8]![1], ['—', '—', '—', '◐', '✓', '◐', '✓', '✓', '✓', '✓'], 'kubelet 1.39 can meet runtimes v0.36.0–v0.36.3');
      assert.deepEqual(rows[9]![1], ['—', '—', '—', '—', '—', '◐', '✓', '✓', '✓', '✓'], 'kubelet 1.40 can meet runtimes of the 1.37 pre-releases');
      assert.match(md, /^Rows are kubelets .* Kubernetes 1\.36 has two rows and two columns: 1\.36\.0–1\.36\.3 \(cri-api v0\.36\.0–v0\.36\.3\), which lack them, and 1\.36\.4 \(cri-api v0\.36\.4\) and later patches of 1\.36\. Kubernetes 1\.37 has two rows and two columns: its pre-releases 1\.37\.0-alpha\.0–1\.37\.0-beta\.0 \(cri-api v0\.37\.0-alpha\.0–v0\.37\.0-beta\.0\), which lack them, and the rest of 1\.37\.$/m);
      assert.match(md, /neither side has them \(both are older than 1\.36\.4, or pre-releases cut before them\)/);
      // The editor's panel shows the same table as HTML.
      assert.match(renderMarkdown(md), /cri-api v0\.36\.0–v0\.36\.3<\/th>/);
    }
    // The first patch: one earlier patch, named once.
    const first = assertMatrixAgreesWithHover({ ...base, tag: 'v0.36.0', model: history.modelAt('v0.36.0')!, release: 'v0.36.1' });
    assert.deepEqual(table(first.md).header.slice(2, 5), ['v0.35', 'v0.36.0', 'v0.36.1 and later v0.36 patches']);
    assert.deepEqual(table(first.md).rows.map(([k]) => k).slice(2, 5), ['1.35', '1.36.0', '1.36.1 and later 1.36 patches']);
    // A pre-release of the patch: "and later", not a "+", which in a version starts build metadata (v0.36.4-rc.0+).
    const rc = assertMatrixAgreesWithHover({ ...base, release: 'v0.36.4-rc.0' });
    assert.deepEqual(table(rc.md).header.slice(3, 5), ['v0.36.0–v0.36.3', 'v0.36.4-rc.0 and later v0.36 patches']);
    assert.deepEqual(table(rc.md).rows.map(([k]) => k).slice(3, 5), ['1.36.0–1.36.3', '1.36.4-rc.0 and later 1.36 patches']);
    // Kubelets built from that pre-release have the changes too: the hover's kubelets start there, as the matrix's row does.
    assert.match(rc.hover, /and kubelets 1\.36\.4-rc\.0–1\.40 can meet them/, rc.hover);
  });

  test('changes that ship in a patch of an older release line: the hover\'s "… and 1.37–1.40" kubelets are the matrix\'s rows with ◐', NEEDS_CORPUS, () => {
    const history = loadBundledHistory();
    // The next patch of each older line in the bundled history: 1.35 (1.36 came out without it), 1.34 (1.35–1.36),
    // 1.33 (1.34–1.36, as far as the window of 1.33 reaches) and 1.32 (1.33–1.36: more minors than the window came
    // out since, but the kubelets to come, 1.37–1.40, can meet the runtimes of v0.34–v0.36 and the 1.37 pre-releases).
    for (const [tag, next] of [['v0.35.7', 'v0.35.8'], ['v0.35.7', 'v0.35.8-rc.0'], ['v0.34.10', 'v0.34.11'], ['v0.33.13', 'v0.33.14'], ['v0.32.13', 'v0.32.14']] as const) {
      const baseline: Baseline = { tag, source: 'bundled', origin: 'test', model: history.modelAt(tag)!, history, release: next };
      // The baseline's own file with an RPC that no release has (those of examples/api.proto came in later releases).
      const text = replaceOnce(corpusText(tag), 'service RuntimeService {\n', 'service RuntimeService {\n    // Fresh does nothing yet.\n    rpc Fresh(VersionRequest) returns (VersionResponse) {}\n');
      const { hover } = assertMatrixAgreesWithHover(baseline, text);
      assert.ok(hover.includes(`kubelets ${next.replace(/^v0\./, '1.')} and later 1.${minorOf(next)} patches`), hover);
      if (next === 'v0.32.14') {
        // Under the skew policy kubelet 1.37 works with runtimes from v0.34 on, 1.39 with v0.36: they lack it as well.
        assert.ok(hover.includes('Runtimes built from cri-api v0.29–v0.32.13 or v0.33–v0.36 or v0.37.0-alpha.0–v0.37.0-beta.0 will not have it, and kubelets 1.32.14 and later 1.32 patches and 1.37–1.40 can meet them.'), hover);
      }
    }
  });

  test('changes that ship in a .0 release (the next minor, or --current-tag v0.N.0): one row and column per minor, as the hover says', () => {
    const history = loadBundledHistory();
    const base = { tag: 'v0.36.3', source: 'bundled' as const, origin: 'test', model: history.modelAt('v0.36.3')!, history };
    for (const baseline of [base, { ...base, release: 'v0.37.0' }] as Baseline[]) {
      const { md } = assertMatrixAgreesWithHover(baseline);
      // Only 1.37 is split: its pre-releases in the bundled history came before the changes.
      assert.deepEqual(table(md).header, ['v0.34', 'v0.35', 'v0.36', 'v0.37.0-alpha.0–v0.37.0-beta.0', 'v0.37.0 and later v0.37 patches', 'v0.38', 'v0.39', 'v0.40']);
      assert.equal((md.match(/two rows and two columns/g) ?? []).length, 1);
    }
  });

  test('the release being prepared: a pre-release of v0.N.0 targets 1.N; a patch or its pre-release targets 1.(N+1)', () => {
    const target = (tag: string): string | undefined => /would ship in Kubernetes (1\.\d+) \(cri-api (v0\.\d+\.0)\)/.exec(renderReport({ file: 'f', findings: [], additions: added, baseline: baseline(tag) }))?.slice(1).join(' ');
    assert.equal(target('v0.25.5-rc.0'), '1.26 v0.26.0');
    assert.equal(target('kubernetes-1.25.5-rc.0'), '1.26 v0.26.0');
    assert.equal(target('v0.25.5'), '1.26 v0.26.0');
    assert.equal(target('v0.26.0-rc.1'), '1.26 v0.26.0');
    assert.equal(target('v0.26.0-alpha.0'), '1.26 v0.26.0');
    assert.equal(target('v0.26.0'), '1.27 v0.27.0');
    assert.equal(table(renderReport({ file: 'f', findings: [], additions: added, baseline: baseline('v0.25.5-rc.0') })).header[0], 'v0.23');
  });
});

describe('report: counts read as English', () => {
  const breaking = (line: number): Finding =>
    ({ rule: 'FIELD_NO_DELETE', category: 'WIRE', severity: 'error', message: 'deleted', range: range(line), element: 'x' });

  test('one of a kind is singular, none and several are plural', () => {
    const one = renderReport({ file: 'a.proto', findings: [breaking(3)], additions: [] });
    assert.match(one, /^\*\*1\*\* breaking finding, \*\*1\*\* finding in all, \*\*0\*\* additions\.$/m);
    const two = renderReport({ file: 'a.proto', findings: [breaking(3), doc(5, 0, 'undocumented')], additions: [] });
    assert.match(two, /^\*\*1\*\* breaking finding, \*\*2\*\* findings in all, \*\*0\*\* additions\.$/m);
    const problems = [{ code: 'syntax', message: 'expected ";"', range: range(1), severity: 'error' as const }];
    const syntax = renderReport({ file: 'a.proto', findings: [], additions: [], problems, notCriApi: 'no runtime package' });
    assert.match(syntax, /^\*\*1\*\* syntax or binding problem\.$/m);
  });
});
