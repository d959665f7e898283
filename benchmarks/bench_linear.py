"""Growth of every stage on hostile shapes of input: the time at n and at 4n, and their ratio
(about 4 when the work is linear, 16 when quadratic). Run: python benchmarks/bench_linear.py

Stages: check (load, checks and the reviewer's rules), fmt, the language server (analysis,
outline, folding ranges), the report's Markdown (when the file checks clean) and diff against
the starter. Shapes: runs of digits, spaces and brackets in the places each scan reads, long
lines, many indicators, deep nesting, many comments."""

from __future__ import annotations

import contextlib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perfdsl.authoring.diff import diff  # noqa: E402
from perfdsl.loader import load  # noqa: E402
from perfdsl.lsp.analysis import analyze  # noqa: E402
from perfdsl.lsp.symbols import document_symbols, folding_ranges  # noqa: E402
from perfdsl.render.report import render_markdown  # noqa: E402
from perfdsl.syntax.format import InternalFormatError, format_text  # noqa: E402

STARTER = (ROOT / "examples" / "starter.perf").read_text(encoding="utf-8")


def narrative(body: str) -> str:
    return STARTER + f'\n正文 "主要内容" """\n{body}\n"""\n'


def goal(body: str) -> str:
    return STARTER.replace("完成某某设备的采购与运行维护", body, 1)


def qualitative(body: str) -> str:
    return STARTER.replace('定性 "业务系统全年正常运行"', f'定性 "{body}"', 1)


def indicators(n: int) -> str:
    rows = "\n".join(f"      指标{i} ≥ 10台 实际 10台 分值 {round(80 / n, 6)}" for i in range(n))
    head = STARTER[: STARTER.index("自评表 {")]
    return (
        head + f'自评表 {{\n  预算执行率 分值 20\n    偏差原因 "x"\n  产出 {{\n    数量 {{\n{rows}\n    }}\n  }}\n}}\n'
    )


SHAPES = {
    "digits in 总体目标 (R027)": (lambda n: goal("1" * n), 4000),
    "digits in a 定性 target (R015)": (lambda n: qualitative("1" * n), 4000),
    "spaces then digits in a 定性 target": (lambda n: qualitative("≥" + " " * n + "1"), 4000),
    "年 numerals without 年内 (R034)": (lambda n: goal("一" * n), 4000),
    "'[](' in narrative": (lambda n: narrative("[](" * n), 2000),
    "'![' in narrative": (lambda n: narrative("![" * n), 2000),
    "'> [' in narrative": (lambda n: narrative("> [" * n), 2000),
    "'*a' in narrative": (lambda n: narrative("*a" * n), 4000),
    "a long line of Chinese words": (lambda n: STARTER + "x " + "中 " * n + "\n", 8000),
    "many indicators": (indicators, 250),
    "many comment lines": (lambda n: STARTER + "# 注释\n" * n, 2000),
    "deep nesting": (lambda n: STARTER + "评价指标体系 {\n" + "产出 {\n" * n + "}\n" * (n + 1), 500),
    "many narrative sections": (
        lambda n: STARTER + "".join(f'\n正文 "节{i}" """\n文字。\n"""\n' for i in range(n)),
        300,
    ),
}


def stages(path: Path, text: str, starter) -> dict[str, float]:
    out = {}
    t = time.perf_counter()
    loaded = load(str(path))
    out["check"] = time.perf_counter() - t
    t = time.perf_counter()
    with contextlib.suppress(InternalFormatError):
        format_text(text, str(path))
    out["fmt"] = time.perf_counter() - t
    t = time.perf_counter()
    a = analyze(path.as_uri(), text, 1)
    document_symbols(a, a)
    folding_ranges(text)
    out["lsp"] = time.perf_counter() - t
    if loaded.ok and loaded.evaluation is not None and loaded.scorecard is not None:
        t = time.perf_counter()
        render_markdown(loaded.evaluation, loaded.scorecard)
        out["report"] = time.perf_counter() - t
    if loaded.evaluation is not None and loaded.scorecard is not None:
        t = time.perf_counter()
        diff(starter, loaded)
        out["diff"] = time.perf_counter() - t
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "perfdsl.toml").write_text("")
        starter_path = Path(folder) / "starter.perf"
        starter_path.write_text(STARTER, encoding="utf-8")
        starter = load(str(starter_path))
        worst = 0.0
        for name, (make, n) in SHAPES.items():
            timings = []
            for m in (n, 4 * n):
                text = make(m)
                path = Path(folder) / "x.perf"
                path.write_text(text, encoding="utf-8")
                timings.append(stages(path, text, starter))
            cells = []
            for stage in timings[1]:
                small, big = timings[0].get(stage, 0.0), timings[1][stage]
                ratio = big / max(small, 0.002)
                if big > 0.05:
                    worst = max(worst, ratio)
                cells.append(f"{stage} {big * 1000:.0f} ms ×{ratio:.1f}")
            print(f"{name:40} n={n:<6} " + "  ".join(cells), flush=True)
        print(f"worst ratio at 4n (stages over 50 ms): {worst:.1f} (4 is linear)")


if __name__ == "__main__":
    main()
