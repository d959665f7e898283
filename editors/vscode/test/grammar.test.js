// The TextMate grammar against sample lines, with the engine VS Code uses
// (vscode-textmate + the Oniguruma regex library compiled to WebAssembly).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const root = path.join(__dirname, '..');
const grammarPath = path.join(root, 'syntaxes', 'perf.tmLanguage.json');

function onigLib() {
  const file = path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm');
  const data = fs.readFileSync(file);
  const wasm = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  return oniguruma.loadWASM(wasm).then(() => ({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }));
}

const registry = new vsctm.Registry({
  onigLib: onigLib(),
  loadGrammar: async (scopeName) => {
    if (scopeName !== 'source.perf') return null;
    return vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath);
  },
});

let grammarPromise = null;
function grammar() {
  grammarPromise = grammarPromise || registry.loadGrammar('source.perf');
  return grammarPromise;
}

// Tokens of several lines: [{text, scopes, line}]
async function tokenize(...lines) {
  const g = await grammar();
  let stack = vsctm.INITIAL;
  const out = [];
  lines.forEach((line, n) => {
    const r = g.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      out.push({ text: line.substring(t.startIndex, t.endIndex), scopes: t.scopes, line: n });
    }
    stack = r.ruleStack;
  });
  return out;
}

// The innermost scope of the token whose text is exactly `text` (the n-th such token).
function scope(tokens, text, n = 0) {
  const found = tokens.filter((t) => t.text === text);
  assert.ok(found.length > n, `no token ${JSON.stringify(text)} in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return found[n].scopes[found[n].scopes.length - 1];
}

test('the grammar loads with the right scope name', async () => {
  const g = await grammar();
  assert.ok(g, 'grammar did not load');
});

test('an indicator line: name, comparator, numbers with units, attributes', async () => {
  const t = await tokenize('      发送短信 ≥ 285万条 实际 61.99万条 权重 3');
  assert.equal(scope(t, '≥'), 'keyword.operator.comparison.perf');
  assert.equal(scope(t, '285'), 'constant.numeric.perf');
  assert.equal(scope(t, '万条'), 'keyword.other.unit.perf');
  assert.equal(scope(t, '实际'), 'keyword.other.attribute.perf');
  assert.equal(scope(t, '61.99'), 'constant.numeric.perf');
  assert.equal(scope(t, '万条', 1), 'keyword.other.unit.perf');
  assert.equal(scope(t, '权重'), 'keyword.other.attribute.perf');
  assert.equal(scope(t, '3'), 'constant.numeric.perf');
  const name = t.find((x) => x.text.includes('发送短信'));
  assert.deepEqual(name.scopes, ['source.perf'], 'an indicator name is not a keyword');
});

test('comparators: symbols, ASCII and Chinese words', async () => {
  for (const c of ['≥', '≤', '>=', '<=', '>', '<', '=', '＝']) {
    const t = await tokenize(`  指标 ${c} 5万元`);
    assert.equal(scope(t, c), 'keyword.operator.comparison.perf', c);
  }
  for (const c of ['大于等于', '不低于', '不少于', '大于', '高于', '小于等于', '不高于', '不超过', '不多于', '小于', '低于', '等于']) {
    const t = await tokenize(`  指标 ${c} 5万元`);
    assert.equal(scope(t, c), 'keyword.operator.comparison.perf', c);
  }
  const t = await tokenize('  提高各部门履职能力 定性 "有效提高" 实际 "提高" 分值 20 得分 20 达成度 达成');
  assert.equal(scope(t, '定性'), 'keyword.operator.qualitative.perf');
  assert.equal(scope(t, '达成度'), 'keyword.other.attribute.perf');
  assert.equal(scope(t, '达成'), 'constant.language.achievement.perf');
  assert.equal(scope(t, '有效提高'), 'string.quoted.double.perf');
});

test('English aliases are keywords too', async () => {
  const t = await tokenize('  光纤费成本 <= 5万元 actual 2.54万元 weight 2.5 stated-completion 50.8%');
  assert.equal(scope(t, 'actual'), 'keyword.other.attribute.perf');
  assert.equal(scope(t, 'weight'), 'keyword.other.attribute.perf');
  assert.equal(scope(t, 'stated-completion'), 'keyword.other.stated.perf');
  const u = await tokenize('self-evaluation {', 'evaluation {', 'project "x" {', 'include "a.perf"');
  assert.equal(scope(u, 'self-evaluation'), 'keyword.control.tree.perf');
  assert.equal(scope(u, 'evaluation'), 'keyword.control.tree.perf');
  assert.equal(scope(u, 'project'), 'keyword.control.block.perf');
  assert.equal(scope(u, 'include'), 'keyword.control.block.perf');
});

test('a keyword inside a longer name is not highlighted', async () => {
  const t = await tokenize('  实际完成率 ≥ 90% 实际 95% 分值 5');
  const name = t.find((x) => x.text.includes('实际完成率'));
  assert.deepEqual(name.scopes, ['source.perf']);
  assert.equal(scope(t, '实际'), 'keyword.other.attribute.perf');
});

test('blocks, fields, strings and comments', async () => {
  const t = await tokenize(
    '项目 "12345云呼叫中心平台技术服务运维费" {',
    '  年度 2023   # 评价年度',
    '  评价规则 "xinjiang-2018-189"',
    '}',
  );
  assert.equal(scope(t, '项目'), 'keyword.control.block.perf');
  assert.equal(scope(t, '12345云呼叫中心平台技术服务运维费'), 'string.quoted.double.perf');
  assert.equal(scope(t, '{'), 'punctuation.section.block.begin.perf');
  assert.equal(scope(t, '年度'), 'support.type.property-name.perf');
  assert.equal(scope(t, '2023'), 'constant.numeric.perf');
  assert.equal(scope(t, '# 评价年度'), 'comment.line.number-sign.perf');
  assert.equal(scope(t, '评价规则'), 'support.type.property-name.perf');
  assert.equal(scope(t, '}'), 'punctuation.section.block.end.perf');
  const c = await tokenize('# 审核意见：短信发送数量差距较大 ≥ 285万条 "x"');
  assert.equal(c.length, 1);
  assert.equal(c[0].scopes[c[0].scopes.length - 1], 'comment.line.number-sign.perf');
});

test('a # inside a string is not a comment; escapes are marked', async () => {
  const t = await tokenize('  支出 "短信费#1 \\"加急\\"" 10万元');
  assert.ok(!t.some((x) => x.scopes.some((s) => s.startsWith('comment'))));
  assert.equal(scope(t, '\\"'), 'constant.character.escape.perf');
  assert.equal(scope(t, '10'), 'constant.numeric.perf');
  assert.equal(scope(t, '万元'), 'keyword.other.unit.perf');
});

test('text blocks span lines and hide what looks like code inside', async () => {
  const t = await tokenize(
    '  依据 """',
    '    本项目 # 不是注释 ≥ 5万元 "不是字符串"',
    '    """ 分值 5',
  );
  const inside = t.filter((x) => x.line === 1);
  assert.ok(inside.every((x) => x.scopes.includes('string.quoted.triple.perf')), JSON.stringify(inside));
  assert.ok(!inside.some((x) => x.scopes.some((s) => s.startsWith('comment') || s.startsWith('keyword'))));
  assert.equal(scope(t, '分值'), 'keyword.other.attribute.perf', 'after the block ends, highlighting resumes');
  assert.equal(scope(t, '依据'), 'keyword.other.attribute.perf');
});

test('dates and date ranges', async () => {
  const t = await tokenize('  实施周期 2023-01-01 至 2023-12-31', '  填报时间 2024年4月12日', '  阶段 "组织实施" 2024-03-02 to 2024-03-10');
  assert.equal(scope(t, '2023-01-01'), 'constant.numeric.date.perf');
  assert.equal(scope(t, '至'), 'keyword.operator.range.perf');
  assert.equal(scope(t, '2023-12-31'), 'constant.numeric.date.perf');
  assert.equal(scope(t, '2024年4月12日'), 'constant.numeric.date.perf');
  assert.equal(scope(t, 'to'), 'keyword.operator.range.perf');
});

test('units of every shape', async () => {
  const t = await tokenize('  人均补助 = 2391.5元/人 实际 2391.5元/人 分值 5', '  样本 50人  发放 50份', '  陈述完成率 21.8%', '  全年执行数 5.00万元');
  assert.equal(scope(t, '元/人'), 'keyword.other.unit.perf');
  assert.equal(scope(t, '人'), 'keyword.other.unit.perf');
  assert.equal(scope(t, '份'), 'keyword.other.unit.perf');
  assert.equal(scope(t, '21.8'), 'constant.numeric.perf');
  assert.equal(scope(t, '%'), 'keyword.other.unit.perf');
  assert.equal(scope(t, '陈述完成率'), 'keyword.other.stated.perf');
  assert.equal(scope(t, '5.00'), 'constant.numeric.perf');
  assert.equal(scope(t, '全年执行数'), 'support.type.property-name.perf');
});

test('a number written straight after a symbol comparator', async () => {
  const t = await tokenize('  指标 ≥285万条');
  assert.equal(scope(t, '≥'), 'keyword.operator.comparison.perf');
  assert.equal(scope(t, '285'), 'constant.numeric.perf');
  assert.equal(scope(t, '万条'), 'keyword.other.unit.perf');
});

test('trees and tree-level stated figures', async () => {
  const t = await tokenize('评价指标体系 {', '  陈述总分 96.39', '}', '自评表 {', '}');
  assert.equal(scope(t, '评价指标体系'), 'keyword.control.tree.perf');
  assert.equal(scope(t, '自评表'), 'keyword.control.tree.perf');
  assert.equal(scope(t, '陈述总分'), 'keyword.other.stated.perf');
});

test('an unterminated string ends at its line', async () => {
  const t = await tokenize('  实施单位 "昌吉州', '  年度 2023');
  assert.equal(scope(t, '年度'), 'support.type.property-name.perf');
});
