// Runs inside VS Code (extension host): opens the bundled example and waits for the findings it is built to
// show. Plain CommonJS with no test framework, as @vscode/test-electron only needs `run()` to settle.
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

async function waitFor(what, get, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

exports.run = async function run() {
  const file = vscode.Uri.file(path.join(__dirname, '..', '..', 'examples', 'api.proto'));
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  assert.equal(doc.languageId, 'proto');
  const codes = await waitFor('compatibility diagnostics', () => {
    const ds = vscode.languages.getDiagnostics(file).map((d) => (typeof d.code === 'object' ? d.code.value : d.code));
    return ds.includes('FIELD_RENAMED') ? ds : undefined;
  });
  for (const rule of ['FIELD_RENAMED', 'FIELD_TYPE_CHANGED', 'FIELD_NUMBER_REUSED', 'DOC_MISSING']) assert.ok(codes.includes(rule), `${rule} in ${codes.join(', ')}`);
  const commands = await vscode.commands.getCommands(true);
  for (const c of ['criCompat.showReport', 'criCompat.selectBaseline', 'criCompat.explainRule', 'criCompat.showHistory', 'criCompat.restartServer']) {
    assert.ok(commands.includes(c), c);
  }
};
