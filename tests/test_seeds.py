"""Both seed reports, transcribed in full, reproduce every figure of domain.md from their data."""

from decimal import Decimal

import pytest

from perfdsl.loader import load
from tests.conftest import SEED_000, SEED_003


@pytest.fixture(scope="module")
def seed000():
    loaded = load(str(SEED_000))
    assert loaded.ok, [d.message() for d in loaded.diagnostics]
    return loaded


@pytest.fixture(scope="module")
def seed003():
    loaded = load(str(SEED_003))
    assert loaded.ok, [d.message() for d in loaded.diagnostics]
    return loaded


def D(text):
    return Decimal(text)


def test_seed000_evaluation(seed000):
    card = seed000.scorecard
    ev = card.framework
    assert card.self_evaluation is None
    assert ev.total == D("96.39") and ev.grade == "优"
    assert ev.find("决策").score == D("21")
    assert ev.find("过程").score == D("18.74")
    assert ev.find("产出").score == D("26.65")
    assert ev.find("产出", "数量").score == D("12.65")
    assert ev.find("产出", "成本").score == D("9.00") and ev.find("产出", "成本").computed == D("10.00")
    assert ev.find("效益").score == D("30")
    assert ev.find("过程", "资金管理", "资金到位率").score == D("4.00")
    assert ev.find("过程", "资金管理", "预算执行率").score == D("4.74")
    sms = ev.find("产出", "数量", "发送短信")
    assert sms.completion.percent == D("21.75") and sms.score == D("0.65")


def test_seed000_rates_and_counts(seed000):
    card = seed000.scorecard
    assert card.funds.execution_rate.percent == D("94.79")
    assert card.funds.arrival_rate.percent == D("100.00")
    ev = card.framework
    assert ev.quantified.percent == D("91.67")  # printed 92 %
    assert (ev.quantitative_count, ev.targeted_count) == (11, 12)
    assert ev.indicator_count == 23
    # With the completion rates the report itself prints, the mean is 94.23 % (it prints 94.24 %).
    assert ev.overall_from_stated == D("94.23")


def test_seed003_self_evaluation(seed003):
    se = seed003.scorecard.self_evaluation
    assert se.total == D("93.91") and se.grade == "优"
    assert se.find("预算执行率").score == D("10.00")
    assert se.find("产出", "成本", "人均运转支出标准").completion.percent == D("47.83")
    assert se.find("产出", "成本", "人均运转支出标准").score == D("2.39")
    assert se.find("产出", "成本", "每次缴纳通讯费支出标准").completion.percent == D("65.18")
    assert se.find("产出", "成本", "每次缴纳通讯费支出标准").score == D("6.52")
    assert se.find("满意度", "满意度", "工作人员满意度").completion.percent == D("103.75")
    assert se.find("产出", "质量", "网上信访事项办结率").completion.percent == D("101.01")
    assert se.overall_completion.percent == D("93.67") and se.deviation == D("6.33")
    assert se.indicator_count == 13


def test_seed003_framework(seed003):
    ev = seed003.scorecard.framework
    assert ev.total == D("98") and ev.grade == "优"
    assert [n.score for n in ev.nodes] == [D(19), D(20), D(39), D(20)]


def _findings(loaded):
    return [(d.code, d.span.line, d.message()) for d in loaded.diagnostics if d.severity.value != "info"]


def test_seed000_defects_reported_once_each(seed000):
    found = _findings(seed000)
    # 光纤费成本 met its ≤ target, yet the 成本 subtotal deducts for it (one diagnostic, at the subtotal)
    fibre = [f for f in found if "光纤费成本" in f[2]]
    assert len(fibre) == 1 and fibre[0][0] == "S0103" and "50.8%" in fibre[0][2]
    # 总体完成率 printed 94.24 %: even by the report's own rates it is 94.23 %
    overall = [f for f in found if f[0] == "A0104"]
    assert len(overall) == 1 and "94.24%" in overall[0][2] and "94.23%" in overall[0][2]


def test_seed003_defects_reported_once_each(seed003):
    found = _findings(seed003)
    assert any(c == "A0101" and "65.16%" in m and "65.18%" in m for c, _, m in found)
    assert any(c == "A0101" and "103.74%" in m and "103.75%" in m for c, _, m in found)
    swap = [f for f in found if f[0] == "A0107"]
    assert len(swap) == 1 and "决策" in swap[0][2] and "过程" in swap[0][2]


def test_no_flood_on_the_seeds(seed000, seed003):
    for loaded in (seed000, seed003):
        found = _findings(loaded)
        checker = [f for f in found if not f[0].startswith("R")]  # the reviewer's rules have their own goldens
        assert len(checker) <= 5, checker
        assert len(found) <= 40
        per_line = {}
        for _, line, _ in found:
            per_line[line] = per_line.get(line, 0) + 1
        assert max(per_line.values()) <= 3
