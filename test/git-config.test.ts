// The git config reader of the baseline watch (gitConfig.ts) against git itself: what `git config --list` reads of
// a file written as people and tools write one, odd spellings included.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseGitConfig } from '../server/src/baseline/gitConfig';
import { readGitConfigs } from '../server/src/baseline/gitIncludes';

const CONFIG = [
  '# comment',
  '[branch "we\\"ird \\\\ name"]',
  '\tremote = origin ; trailing comment',
  '\tmerge = "refs/heads/a;b" # comment',
  '[Remote "origin"]',
  '\tURL = /x',
  '\tfetch = +refs/heads/*:refs/remotes/origin/* ',
  '\tfetch = "  +refs/tags/*:refs/tags/*"',
  '[branch.Old]',
  '\tremote = up\\',
  'stream',
  '\tpushRemote = a\\tb  \tc',
  '[core] bare = false',
  '\tflag',
  '[branch "CRLF"]\r',
  '\tmerge = refs/heads/crlf\r',
  '',
].join('\n');

test('a config file is read as git reads it: quotes, escapes, continuation lines, comments, section and key case', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-gitconfig-'));
  try {
    const file = path.join(dir, 'config');
    writeFileSync(file, CONFIG);
    // Each entry `key\nvalue\0`, or `key\0` for a key without a value.
    const listed = execFileSync('git', ['config', '--file', file, '--list', '--null'], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } })
      .split('\0')
      .filter(Boolean)
      .map((e) => (e.includes('\n') ? e.slice(0, e.indexOf('\n')) + '=' + e.slice(e.indexOf('\n') + 1) : `${e}=true`));
    const ours = parseGitConfig(CONFIG).map((e) => `${e.section}.${e.subsection ? `${e.subsection}.` : ''}${e.key}=${e.value}`);
    assert.equal(listed.length, 10);
    assert.deepEqual(ours, listed);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a config git cannot read is read up to where git stops', () => {
  assert.deepEqual(parseGitConfig('[remote "o"]\n\turl = x\n\tfetch = "unterminated\n[branch "b"]\n\tremote = o\n').map((e) => e.value), ['x']);
  assert.deepEqual(parseGitConfig('key = before any section\n'), []);
});

test('the config the watch reads is the one the guard walks: includes anywhere, includeIf marked conditional, only the keys asked for, a bounded number of them', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cri-compat-gitconfig-walk-'));
  try {
    const gitDir = path.join(dir, '.git');
    execFileSync('git', ['init', '-q', dir]);
    const config = path.join(gitDir, 'config');
    writeFileSync(path.join(dir, 'project.gitconfig'), '[branch "main"]\n\tremote = origin\n\tmerge = refs/heads/main\n[user]\n\tname = x\n');
    writeFileSync(path.join(gitDir, 'cond.inc'), '[branch "main"]\n\tmerge = refs/heads/other\n');
    // Far more entries than a real config has: only as many as are kept are read into memory.
    writeFileSync(path.join(gitDir, 'big.inc'), `[remote "many"]\n${'\tfetch = +refs/heads/*:refs/remotes/many/*\n'.repeat(20_000)}`);
    writeFileSync(config, `${readFileSync(config, 'utf8')}[include]\n\tpath = ../project.gitconfig\n[includeIf "onbranch:nope"]\n\tpath = cond.inc\n[include]\n\tpath = big.inc\n`);
    const keep = (e: { section: string; subsection: string }) => e.section === 'remote' || (e.section === 'branch' && e.subsection === 'main');
    const r = readGitConfigs([config, path.join(gitDir, 'config.worktree')], '/dev/null', keep);
    assert.equal(r.unsafe, undefined);
    for (const f of ['project.gitconfig', '.git/cond.inc', '.git/big.inc']) assert.ok(r.files.includes(path.join(dir, ...f.split('/'))), f);
    const merges = r.entries.filter((e) => e.section === 'branch' && e.key === 'merge').map((e) => [e.value, e.conditional]);
    assert.deepEqual(merges, [['refs/heads/main', false], ['refs/heads/other', true]]);
    assert.ok(r.entries.every((e) => e.section !== 'user'), 'a key not asked for was kept');
    assert.equal(r.entries.length, 10_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
