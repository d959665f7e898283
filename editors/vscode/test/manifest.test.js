// The extension manifest, language configuration and client script hang together.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const read = (f) => JSON.parse(fs.readFileSync(path.join(root, f), 'utf8'));

test('package.json declares the perf language, its grammar and the server setting', () => {
  const pkg = read('package.json');
  const lang = pkg.contributes.languages.find((l) => l.id === 'perf');
  assert.ok(lang, 'no language id perf');
  assert.deepEqual(lang.extensions, ['.perf']);
  assert.ok(fs.existsSync(path.join(root, lang.configuration)));
  const g = pkg.contributes.grammars.find((x) => x.language === 'perf');
  assert.equal(g.scopeName, 'source.perf');
  assert.equal(read(g.path).scopeName, 'source.perf');
  assert.equal(pkg.contributes.configuration.properties['perfdsl.server.path'].default, 'perfdsl');
  assert.ok(pkg.activationEvents.includes('onLanguage:perf'));
  assert.ok(fs.existsSync(path.join(root, pkg.main)));
  assert.ok(pkg.dependencies['vscode-languageclient']);
});

test('language configuration: # comments, braces, quotes, folding', () => {
  const c = read('language-configuration.json');
  assert.equal(c.comments.lineComment, '#');
  assert.deepEqual(c.brackets, [['{', '}']]);
  assert.ok(c.autoClosingPairs.some((p) => p.open === '"' && p.close === '"'));
  assert.ok(new RegExp(c.folding.markers.start).test('  产出 权重 30 {'));
  assert.ok(new RegExp(c.folding.markers.end).test('  }'));
  assert.ok(new RegExp(c.wordPattern, 'u').test('发送短信'));
});

test('extension.js is valid JavaScript', () => {
  execFileSync(process.execPath, ['--check', path.join(root, 'extension.js')]);
});
