"""perfdsl.toml: found by walking up, [lint] select/ignore, per-rule parameters and severities;
every mistake in it is a located error (file perfdsl.toml, line, column)."""

import os

import pytest

from perfdsl.diagnostics import Severity
from perfdsl.lint import LintConfig, SelectorError, config_for, load_config
from tests.lint.conftest import OVERSHOOT, found


def test_no_config_runs_every_rule_with_defaults(project):
    assert found(project.load()) == [("R010", 4), ("R022", 2)]


def test_config_is_found_walking_up(project):
    project.config('[lint]\nignore = ["R022"]\n')
    loaded = project.load(name="二级/三级/评价.perf")
    assert found(loaded) == [("R010", 4)]


def test_search_stops_at_the_repository_root(project):
    project.config('[lint]\nignore = ["R022"]\n')
    inner = project.root / "子仓库"
    inner.mkdir()
    (inner / ".git").mkdir()
    loaded = project.load(name="子仓库/评价.perf")
    assert ("R022", 2) in found(loaded)  # the outer repository's settings do not reach in


def test_select_by_code_and_by_family_prefix(project):
    project.config('[lint]\nselect = ["R01"]\n')
    assert found(project.load()) == [("R010", 4)]
    project.config('[lint]\nselect = ["R022"]\n')
    assert found(project.load()) == [("R022", 2)]
    project.config('[lint]\nselect = ["R"]\nignore = ["R02"]\n')
    assert found(project.load()) == [("R010", 4)]


def test_parameters(project):
    project.config("[lint.R010]\nthreshold = 170\n")
    assert ("R010", 4) not in found(project.load())
    project.config("[lint.R010]\nthreshold = 150\n")
    assert ("R010", 4) in found(project.load())


def test_parameter_of_kind_words_and_table(project):
    vague = '自评表 {\n  效益 {\n    社会效益 {\n      服务能力 定性 "稳步提升" 实际 "提升" 分值 100 得分 80 达成度 达成\n        依据 "……"\n    }\n  }\n}\n'
    assert ("R020", 4) in found(project.load(vague))
    project.config('[lint.R020]\nvague_words = ["明显"]\n')
    assert ("R020", 4) not in found(project.load(vague))
    months = "自评表 {\n  产出 {\n    数量 {\n      缴费次数 = 12月 实际 12月 分值 100\n    }\n  }\n}\n"
    assert ("R016", 4) in found(project.load(months))
    project.config('[lint.R016]\nexpected = { "次数" = "月" }\n')
    assert ("R016", 4) not in found(project.load(months))


def test_severity_per_rule(project):
    project.config('[lint.R010]\nseverity = "error"\n')
    loaded = project.load()
    (d,) = [d for d in loaded.diagnostics if d.code == "R010"]
    assert d.severity == Severity.ERROR and not loaded.ok


def _problem(loaded, code):
    ds = [d for d in loaded.diagnostics if d.code == code]
    assert len(ds) == 1, [(d.code, d.message()) for d in loaded.diagnostics]
    d = ds[0]
    assert os.path.basename(d.span.file) == "perfdsl.toml" and d.severity == Severity.ERROR
    return d


def test_unknown_rule_code_is_a_located_error(project):
    project.config('# 审核规则\n[lint]\nignore = ["R040"]\n\n[lint.R999]\nthreshold = 3\n')
    d = _problem(project.load(), "R904")
    assert (d.span.line, d.span.column) == (5, 7) and "R999" in d.message()


def test_unknown_code_in_select_is_located_at_the_value(project):
    project.config('[lint]\nselect = ["R010", "R0100"]\n')
    d = _problem(project.load(), "R904")
    assert (d.span.line, d.span.column) == (2, 19)
    assert "R0100" in d.message()


def test_unknown_setting_in_lint_is_located(project):
    project.config('[lint]\nselect = ["R"]\nexclude = ["R040"]\n')
    d = _problem(project.load(), "R904")
    assert (d.span.line, d.span.column) == (3, 1)


def test_unknown_parameter_is_a_located_error(project):
    project.config("[lint.R010]\n  threshhold = 150\n")
    d = _problem(project.load(), "R905")
    assert (d.span.line, d.span.column) == (2, 3)
    assert "threshold" in d.hint()  # did you mean


def test_parameter_in_dotted_and_inline_forms(project):
    project.config("[lint]\nR010.limit = 150\n")
    assert (_problem(project.load(), "R905").span.line,) == (2,)
    project.config("[lint]\nR013 = { min_length = 10, maxlen = 3 }\n")
    d = _problem(project.load(), "R905")
    assert (d.span.line, d.span.column) == (2, 27)


def test_wrong_value_is_a_located_error(project):
    project.config('[lint.R010]\nthreshold = "高"\n')
    d = _problem(project.load(), "R906")
    assert d.span.line == 2 and "数字" in d.message()
    project.config('[lint.R010]\nseverity = "fatal"\n')
    assert _problem(project.load(), "R906").span.line == 2
    project.config('[lint]\nignore = "R010"\n')
    assert _problem(project.load(), "R906").span.line == 2


def test_toml_syntax_error_is_located(project):
    project.config('[lint]\nignore = ["R010"\n')
    d = _problem(project.load(), "R907")
    assert d.span.line >= 2


def test_other_sections_are_left_alone(project):
    project.config('[project]\nname = "某单位"\n\n[lint]\nignore = ["R022"]\n')
    assert found(project.load()) == [("R010", 4)]


def test_lint_false_turns_the_rules_off(project):
    assert found(project.load(lint=False)) == []


def test_config_change_is_picked_up(project):
    path = project.config('[lint]\nignore = ["R022"]\n')
    first = config_for(str(project.root / "a.perf"))
    assert first.ignore == ("R022",)
    path.write_text('[lint]\nignore = ["R010", "R022"]\n', encoding="utf-8")
    os.utime(path, ns=(1, 1))
    assert config_for(str(project.root / "a.perf")).ignore == ("R010", "R022")


# ---------------------------------------------------------------- command-line selection
def test_command_line_select_and_ignore(project):
    assert found(project.load(lint=LintConfig.from_cli(select="R010"))) == [("R010", 4)]
    assert found(project.load(lint=LintConfig.from_cli(ignore="R01"))) == [("R022", 2)]
    assert found(project.load(lint=LintConfig.from_cli(select="R0", ignore="r010"))) == [("R022", 2)]
    assert LintConfig.from_cli(None, None) is None


def test_command_line_is_laid_over_the_file(project):
    project.config('[lint]\nignore = ["R022"]\n\n[lint.R010]\nthreshold = 170\n')
    # the file's parameters still apply; its ignore list is kept and extended
    assert found(project.load(lint=LintConfig.from_cli(select="R"))) == []
    project.config('[lint]\nignore = ["R022"]\n')
    assert found(project.load(lint=LintConfig.from_cli(ignore="R010"))) == []


def test_command_line_unknown_selector():
    with pytest.raises(SelectorError) as e:
        LintConfig.from_cli(select="R010,X9")
    assert "X9" in str(e.value)


def test_load_config_directly(tmp_path):
    path = tmp_path / "perfdsl.toml"
    path.write_text(
        '[lint]\nselect = ["R01", "R02"]\n\n[lint.R019]\nthreshold = 60\nseverity = "info"\n', encoding="utf-8"
    )
    c = load_config(path)
    assert not c.problems
    assert c.enabled("R013") and c.enabled("R025") and not c.enabled("R038")
    assert c.params["R019"]["threshold"] == 60 and c.severity["R019"] == Severity.INFO


# ---------------------------------------------------------------- a run over a folder
def _run_codes(project, run, select=None, ignore=None) -> dict[str, list[str]]:
    """Each file's findings in a check run (engine jobs, as `perfdsl check DIR` makes them)."""
    import json

    from perfdsl.engine.check import CheckJob, check_file

    out = {}
    for name in ("评价.perf", "下级/评价.perf"):
        result = check_file(CheckJob(str(project.root / name), select, ignore, "zh", True, False, None, run))
        out[name] = sorted(json.loads(b)["code"] for b in result.blocks if json.loads(b)["code"].startswith("R"))
    return out


def test_a_run_gives_each_folder_its_own_settings(project):
    """A run finds a folder's perfdsl.toml once for all its files; each folder still has its own,
    the command line is laid over each, and the next run sees a changed file."""
    project.config('[lint]\nignore = ["R022"]\n')
    project.file(OVERSHOOT)
    project.file(OVERSHOOT, "下级/评价.perf")
    (project.root / "下级" / "perfdsl.toml").write_text('[lint]\nignore = ["R010"]\n', encoding="utf-8")
    assert _run_codes(project, run=1) == {"评价.perf": ["R010"], "下级/评价.perf": ["R022"]}
    assert _run_codes(project, run=2, ignore="R010") == {"评价.perf": [], "下级/评价.perf": ["R022"]}
    assert _run_codes(project, run=3, select="R022") == {"评价.perf": [], "下级/评价.perf": ["R022"]}
    project.config('[lint]\nignore = ["R010"]\n')
    assert _run_codes(project, run=4)["评价.perf"] == ["R022"]
    assert _run_codes(project, run=None)["评价.perf"] == ["R022"]  # a file on its own: looked up afresh
