"""The catalogue of diagnostics: one entry per stable code, with its default severity and its
text in Chinese and English. Codes are grouped by family:

P syntax and structure · U units · F funds · I indicators · S scoring and weights · A audit
(figures a report states against the computed ones) · L the stages of the year (申报, 监控,
调整) · R reviewer's rules (lint)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    """A diagnostic code's text: its severity, its message and hint in Chinese and English."""

    severity: str
    zh: str
    en: str
    hint_zh: str | None = None
    hint_en: str | None = None

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def hint_text(self, lang: str) -> str | None:
        return self.hint_zh if lang == "zh" else self.hint_en


E, W, I = "error", "warning", "info"

CATALOGUE: dict[str, Message] = {
    # ---------------------------------------------------------------- P: syntax and structure
    "P0001": Message(E, "无法读取文件：{reason}", "cannot read the file: {reason}"),
    "P0002": Message(
        W, "文件为空", "the file is empty", "用 `perfdsl new` 生成一个起始文件", "run `perfdsl new` for a starter file"
    ),
    "P0003": Message(
        E,
        "不是文本文件：第{line}行第{column}列有二进制内容（{what}）",
        "not a text file: binary content at line {line}, column {column} ({what})",
        ".perf 文件须为 UTF-8 编码的文本：用编辑器另存为 UTF-8",
        ".perf files are UTF-8 text: save the file as UTF-8",
    ),
    "P0004": Message(
        E,
        "文件过大（{size}），上限为 {limit}",
        "the file is too large ({size}); the limit is {limit}",
        "把长文本拆到用「引用」包含的文件中；上限可在 perfdsl.toml 的 [limits] 中调整",
        "split long text into files brought in with include; the limits are set in [limits] of perfdsl.toml",
    ),
    "P0005": Message(
        E,
        "「{path}」不是普通文件（管道、设备或目录），不读取",
        "'{path}' is not a regular file (a pipe, device or folder); not read",
    ),
    "P0006": Message(
        E,
        "「{path}」在项目目录之外，不读取",
        "'{path}' is outside the project directory; not read",
        "项目目录是含 perfdsl.toml 或 .git 的最近一级目录",
        "the project is the nearest folder up with perfdsl.toml or .git",
    ),
    "P0007": Message(W, "跳过：{why}", "skipped: {why_en}"),
    "P0008": Message(
        E,
        "「{path}」不能用作参考文档：{why}",
        "'{path}' cannot be used as the reference document: {why_en}",
        "参考文档须为项目内的 Word 文档（.docx）",
        "the reference document is a Word document (.docx) of the project",
    ),
    "P0009": Message(E, "perfdsl.toml：{problem}", "perfdsl.toml: {problem}"),
    "P0101": Message(
        E, "此处不应出现{found}；应为{expected}", "unexpected {found_en}; expected {expected_en}", "{hint}", "{hint}"
    ),
    "P0102": Message(
        E,
        "文件在此意外结束；应为{expected}",
        "unexpected end of file; expected {expected_en}",
        "检查是否缺少右花括号「}}」",
        "check for a missing closing brace '}}'",
    ),
    "P0103": Message(
        E, "三引号文本块没有结束", "unterminated text block", '在文本末尾加上 """', 'close the text with """'
    ),
    "P0104": Message(
        E,
        "引号没有闭合",
        "unterminated string",
        '在同一行内用 " 结束文字；多行文字请用 """…"""',
        'close the string with " on the same line; use """…""" for several lines',
    ),
    "P0105": Message(E, "无法识别的字符「{char}」", "unexpected character '{char}'", "{hint}", "{hint}"),
    "P0106": Message(I, "语法错误较多，其余未再列出", "more syntax errors follow; only the first ones are shown"),
    "P0107": Message(
        E,
        "「{name}」像是与数字分开写的单位",
        "'{name}' looks like a unit written apart from its number",
        "单位须紧跟数字书写，中间不留空格：{joined}",
        "write the unit right after the number: {joined}",
    ),
    "P0109": Message(
        E,
        "数字「{written}」中用了千位分隔符",
        "the number '{written}' has a thousands separator",
        "数字连写，不分节：{joined}",
        "write the digits together: {joined}",
    ),
    "P0108": Message(
        E,
        "关键字「{keyword}」与后面的内容连在一起了：「{name}」",
        "keyword '{keyword}' runs into what follows: '{name}'",
        "在「{keyword}」之后加一个空格",
        "put a space after '{keyword}'",
    ),
    "P0110": Message(
        E,
        "perfdsl fmt 未整理此文件：{why}",
        "perfdsl fmt left the file as it is: {why_en}",
        "文件未改动；请报告此问题，并附上这个文件",
        "nothing was changed; please report this with the file",
    ),
    "P0201": Message(
        E, "「{block}」中没有字段「{field}」", "{block} has no field '{field}'", "{suggestion}", "{suggestion}"
    ),
    "P0202": Message(
        E,
        "字段「{field}」重复（首次出现在{first}）",
        "field '{field}' given twice (first at {first_en})",
        "删除其中一个",
        "keep one of them",
    ),
    "P0203": Message(E, "「{field}」的值应为{expected}", "'{field}' takes {expected}"),
    "P0204": Message(E, "「{block}」缺少「{field}」", "{block} lacks '{field}'"),
    "P0205": Message(E, "未知的顶层块「{name}」", "unknown top-level block '{name}'", "{suggestion}", "{suggestion}"),
    "P0206": Message(
        E, "「{block}」只能出现一次（首次出现在{first}）", "only one '{block}' block is allowed (first at {first_en})"
    ),
    "P0207": Message(I, "没有「项目」块：作为片段文件检查", "no 项目 block: checked as a fragment"),
    "P0208": Message(E, "「{field}」不带下级块", "'{field}' takes no nested block"),
    "P0209": Message(
        W,
        "报告提纲中没有「{name}」一节，这段正文不会出现在报告中",
        "the report outline has no section '{name}'; this text will not appear",
        "{suggestion}",
        "{suggestion}",
    ),
    "P0210": Message(E, "「{field}」重复（首次出现在{first}）", "'{field}' given twice (first at {first_en})"),
    "P0211": Message(
        E,
        "「{field}」的日期「{value}」不存在",
        "'{field}': there is no such date as '{value}'",
        "日期写作 2024-04-12 或 2024年4月12日",
        "write dates as 2024-04-12 or 2024年4月12日",
    ),
    "P0301": Message(E, "找不到引用的文件「{path}」", "included file '{path}' not found"),
    "P0302": Message(
        E,
        "引用的文件「{path}」在项目目录之外",
        "included file '{path}' is outside the project directory",
        "只能引用项目目录（含 perfdsl.toml 或 .git 的目录）之内的文件",
        "includes are confined to the project directory (the one holding perfdsl.toml or .git)",
    ),
    "P0303": Message(E, "循环引用：{chain}", "include cycle: {chain}"),
    "P0304": Message(
        E,
        "未知的评价规则「{name}」",
        "unknown ruleset '{name}'",
        "可用的规则：{available}",
        "available rulesets: {available}",
    ),
    "P0305": Message(E, "规则文件「{name}」有误：{reason}", "ruleset '{name}' is invalid: {reason}"),
    "P0311": Message(
        E,
        "{what}，不再读取",
        "{what_en}; not read further",
        "可在 perfdsl.toml 的 [limits] 中调整 include_depth 与 includes",
        "include_depth and includes can be changed in [limits] of perfdsl.toml",
    ),
    "P0310": Message(
        E,
        "评价规则「{name}」不是规则名称",
        "'{name}' is not a ruleset name",
        "写内置规则的名称（{available}），或项目内规则文件的相对路径（以 .toml 结尾）",
        "name a shipped ruleset ({available}) or a ruleset file of the project by its relative path (ending in .toml)",
    ),
    "P0306": Message(
        W, "找不到上年评价文件「{path}」，不计算同比", "baseline file '{path}' not found; no year-over-year figures"
    ),
    "P0307": Message(
        W,
        "上年评价文件「{path}」在项目目录之外，不计算同比",
        "baseline file '{path}' is outside the project directory; no year-over-year figures",
        "只能指向项目目录（含 perfdsl.toml 或 .git 的目录）之内的文件",
        "the baseline is confined to the project directory (the one holding perfdsl.toml or .git)",
    ),
    "P0308": Message(
        W,
        "上年评价文件「{path}」不能使用（{count} 个错误），不计算同比",
        "baseline file '{path}' cannot be used ({count} errors); no year-over-year figures",
        "运行 perfdsl check 检查该文件；上年评价不能指向本文件",
        "run perfdsl check on it; a file cannot be its own baseline",
    ),
    "P0309": Message(
        W,
        "上年评价「{path}」的年度 {baseline_year} 不早于本年度 {year}",
        "baseline '{path}' is for {baseline_year}, not earlier than this year ({year})",
    ),
    "P0401": Message(
        E,
        "图片「{target}」不能用于报告：{why}",
        "image '{target}' cannot be used in the report: {why_en}",
        "图片须为项目目录内的 png/jpg/gif 文件，用相对路径引用",
        "use a png, jpg or gif file inside the project, named by a relative path",
    ),
    "P0402": Message(
        W,
        "链接「{target}」不安全，报告中将显示为文字",
        "link '{target}' is unsafe; the report shows it as text",
        "只允许 http、https、mailto 链接",
        "only http, https and mailto links are kept",
    ),
    # ---------------------------------------------------------------- U: units
    "U0101": Message(
        E,
        "「{indicator}」的目标值单位「{target_unit}」与实际值单位「{actual_unit}」不一致",
        "'{indicator}': target unit '{target_unit}' does not match actual unit '{actual_unit}'",
        "两者须为同一量纲（万条与条可以换算）",
        "both must measure the same thing (万条 and 条 convert)",
    ),
    "U0102": Message(E, "「{field}」不应带单位「{unit}」", "'{field}' takes a plain number, not '{unit}'"),
    "U0103": Message(
        E,
        "「{field}」应为金额（元或万元），而不是「{unit}」",
        "'{field}' is an amount of money (元 or 万元), not '{unit}'",
        "例如 239万元",
        "for example 239万元",
    ),
    "U0104": Message(E, "「{field}」应为百分比", "'{field}' is a percentage", "例如 94.79%", "for example 94.79%"),
    "U0201": Message(
        W,
        "{field} {value} 与{against}（{reference}）差了几个数量级，像是{slip}",
        "{field} {value} is orders of magnitude off {against} ({reference}): {slip_en}?",
        "是否应为 {suggestion}？若确是此数，请核对{against}",
        "did you mean {suggestion}? If the figure is right, check {against}",
    ),
    # ---------------------------------------------------------------- F: funds
    "F0101": Message(
        W,
        "支出明细合计 {sum} 与全年执行数 {spent} 不符（相差 {difference}）",
        "the spending breakdown adds up to {sum}, not the 全年执行数 {spent} (off by {difference})",
    ),
    "F0102": Message(
        E, "全年执行数 {spent} 大于{upper_name} {upper}", "全年执行数 {spent} exceeds {upper_name} {upper}"
    ),
    "F0103": Message(
        W, "到位资金 {received} 大于全年预算数 {budget}", "到位资金 {received} exceeds 全年预算数 {budget}"
    ),
    "F0104": Message(
        W,
        "资金来源的{column}合计 {sum} 与资金总额 {total} 不符",
        "the sources' {column} add up to {sum}, not the total {total}",
    ),
    "F0105": Message(
        E,
        "缺少全年预算数，无法计算预算执行率",
        "no 全年预算数: the execution rate cannot be computed",
        "在「资金」中写上 全年预算数 …万元",
        "add 全年预算数 …万元 to 资金",
    ),
    "F0106": Message(E, "金额不能为负数：{value}", "an amount cannot be negative: {value}"),
    "F0107": Message(
        E,
        "数字「{value}」位数过多，不是实际的预算或数量",
        "the number '{value}' has more digits than any budget or count",
        "检查是否重复粘贴或多打了数字",
        "look for a figure pasted twice or a slip of the keyboard",
    ),
    # ---------------------------------------------------------------- I: indicators
    "I0118": Message(
        E,
        "「{indicator}」的实际值 {value} 为负数",
        "'{indicator}': the actual value {value} is negative",
        "数量、比率和金额不会小于零；检查是否多写了负号",
        "counts, rates and amounts cannot fall below zero; look for a stray minus sign",
    ),
    "I0119": Message(E, "{field} {value} 超出可能的范围", "{field} {value} is out of its possible range"),
    "I0101": Message(
        E,
        "「{indicator}」既没有目标值，也没有得分或公式",
        "'{indicator}' has no target, no score and no formula",
        '定量指标写「≥ 目标值 实际 完成值」，评判指标写「得分 … 依据 "…"」',
        "write a target and an actual, or a judged score with its basis",
    ),
    "I0102": Message(
        E,
        "定量指标「{indicator}」缺少实际完成值",
        "quantitative indicator '{indicator}' has no actual value",
        "写上「实际 …」",
        "add 'actual …'",
    ),
    "I0103": Message(
        W,
        "成本指标「{indicator}」的比较符为「{comparator}」，成本指标应为反向指标（≤）",
        "cost indicator '{indicator}' uses '{comparator}'; cost indicators are reverse (≤)",
        "改为「≤ {target}」；按「{comparator}」计分时，花得越多得分越高",
        "write '≤ {target}'; scored with '{comparator}' more spending scores higher",
    ),
    "I0104": Message(
        E,
        "「{indicator}」的得分 {score} 没有评分依据",
        "'{indicator}': the score {score} has no basis",
        '评判得分须写明依据：依据 "…"',
        'a judged score needs its basis: basis "…"',
    ),
    "I0105": Message(
        E,
        "「{indicator}」达成度为「{band}」，得分应在 {low}–{high} 分之间，实为 {score}",
        "'{indicator}' is '{band}': its score must lie in {low}–{high}, not {score}",
    ),
    "I0106": Message(
        E, "「{indicator}」的得分 {score} 超过分值 {weight}", "'{indicator}': score {score} exceeds its weight {weight}"
    ),
    "I0107": Message(
        E,
        "定性指标「{indicator}」缺少得分",
        "qualitative indicator '{indicator}' has no score",
        '写上「得分 … 依据 "…"」',
        "add 'score … basis \"…\"'",
    ),
    "I0108": Message(
        E,
        "「{indicator}」位于第{level}级；{tree}只有三级指标",
        "'{indicator}' sits at level {level}; {tree} has three levels",
        "一级、二级为分组，三级为具体指标",
        "levels 1 and 2 are groups, level 3 the indicators",
    ),
    "I0109": Message(
        E, "「{indicator}」重名（首次出现在{first}）", "'{indicator}' is defined twice (first at {first_en})"
    ),
    "I0110": Message(
        E, "未知的公式「{formula}」", "unknown formula '{formula}'", "可用：{available}", "available: {available}"
    ),
    "I0111": Message(E, "「{indicator}」缺少分值", "'{indicator}' has no weight", "写上「分值 …」", "add 'weight …'"),
    "I0112": Message(
        E, "未知的达成度「{value}」", "unknown achievement '{value}'", "可用：{available}", "available: {available}"
    ),
    "I0113": Message(
        E,
        "「{indicator}」的目标值为 0，无法计算完成率",
        "'{indicator}': the target is 0, so no completion rate can be computed",
    ),
    "I0114": Message(
        E, "「{indicator}」为三级指标，不能再有下级", "'{indicator}' is a level-3 indicator and cannot have children"
    ),
    "I0115": Message(
        E, "分组「{indicator}」不能有目标值或实际值", "group '{indicator}' cannot have a target or an actual value"
    ),
    "I0116": Message(
        E, "「{indicator}」的实际值应为{expected}", "'{indicator}': the actual value should be {expected}"
    ),
    "I0117": Message(E, "指标树为空", "the indicator tree is empty"),
    # ---------------------------------------------------------------- S: scoring and weights
    "S0101": Message(
        E,
        "「{group}」写明分值 {stated}，但其下级分值合计 {sum}",
        "'{group}' states weight {stated}, its children add up to {sum}",
    ),
    "S0102": Message(
        E,
        "{tree}分值合计 {sum}，应为 {required}",
        "{tree}: weights add up to {sum}, not {required}",
        "{detail}",
        "{detail}",
    ),
    "S0103": Message(
        W,
        "「{group}」的评定得分 {score} 与下级指标得分合计 {computed} 不符{cause}",
        "'{group}': the judged score {score} differs from its indicators' sum {computed}{cause}",
    ),
    # ---------------------------------------------------------------- A: stated vs computed
    "A0101": Message(
        W,
        "「{item}」报告所列完成率 {stated}，按数据计算为 {computed}{detail}",
        "'{item}': the report states completion {stated}; the data give {computed}{detail}",
    ),
    "A0102": Message(
        W,
        "「{item}」报告所列得分 {stated}，按数据计算为 {computed}",
        "'{item}': the report states score {stated}; the data give {computed}",
    ),
    "A0103": Message(
        W,
        "{tree}报告所列总分 {stated}，按数据计算为 {computed}",
        "{tree}: the report states total {stated}; the data give {computed}",
    ),
    "A0104": Message(
        W,
        "报告所列总体完成率 {stated}，按数据计算为 {computed}{detail}",
        "the report states overall completion {stated}; the data give {computed}{detail}",
    ),
    "A0105": Message(
        W,
        "报告所列指标量化率 {stated}，按数据计算为 {computed}（{quantitative}/{total}）",
        "the report states a quantified rate of {stated}; the data give {computed} ({quantitative}/{total})",
    ),
    "A0106": Message(
        W,
        "报告所列{figure} {stated}，按数据计算为 {computed}",
        "the report states {figure} {stated}; the data give {computed}",
    ),
    "A0107": Message(
        W, "汇总得分与明细不符：{details}；{agreement}", "subtotals contradict their rows: {details}; {agreement}"
    ),
    "A0108": Message(
        W,
        "「{item}」报告所列偏差率 {stated}，按数据计算为 {computed}",
        "'{item}': the report states deviation {stated}; the data give {computed}",
    ),
    "A0109": Message(
        W,
        "报告所列满分指标数 {stated}，按数据计算为 {computed}",
        "the report states {stated} indicators at full marks; the data give {computed}",
    ),
    "A0110": Message(
        W,
        "{tree}报告所列等级「{stated}」，按总分 {total} 应为「{computed}」",
        "{tree}: the report states grade '{stated}'; the total {total} gives '{computed}'",
    ),
    "A0111": Message(
        I,
        "「{item}」报告所列得分 {stated} 是整数，按数据计算为 {computed}：只有取整到个位才相同",
        "'{item}': the report states a whole score of {stated}; the data give {computed}, equal only when rounded to the unit",
        "得分保留两位小数：写明计算所得的分数，或在依据中说明为何取整",
        "keep scores to two places: state the computed score, or say in the basis why it was rounded",
    ),
    "A0112": Message(
        I,
        "{tree}报告所列总分 {stated} 是整数，按数据计算为 {computed}：只有取整到个位才相同",
        "{tree}: the report states a whole total of {stated}; the data give {computed}, equal only when rounded to the unit",
    ),
    # ---------------------------------------------------------------- D: 部门整体
    "D0101": Message(
        W,
        "成员「{pattern}」没有找到任何 .perf 文件",
        "member '{pattern}' names no .perf file",
        '成员写本文件所在目录起的相对路径或通配符（如 "项目/*.perf"），且须在项目之内',
        'write a member as a path or glob from this file\'s folder ("项目/*.perf"), inside the project',
    ),
    "D0102": Message(
        W,
        "成员评价「{member}」有 {count} 个错误或不是项目评价：其数字未计入或可能不准",
        "member evaluation '{member}' has {count} errors or is not a project evaluation: its figures are left out or may be wrong",
        "先用 perfdsl check 修正该文件",
        "fix that file first (perfdsl check)",
    ),
    # ---------------------------------------------------------------- L: stages of the year
    # (申报, 监控 N月, 调整; docs/lifecycle.md). L01xx: how they are written; L02xx: across stages.
    "L0101": Message(
        E,
        "「{value}」不是月份：监控写作「监控 6月」（1月至12月）",
        "'{value}' is not a month: write a monitoring point as 监控 6月 (1月 to 12月)",
    ),
    "L0102": Message(
        E,
        "「{indicator}」有 {month}月 的监控值，但文件中没有「监控 {month}月 {{ … }}」",
        "'{indicator}' has values for month {month}, but the file has no 监控 {month}月 {{ … }} block",
        "在文件中加上「监控 {month}月 {{ 执行数 …万元 全年预计执行数 …万元 }}」",
        "add 监控 {month}月 {{ 执行数 …万元 全年预计执行数 …万元 }} to the file",
    ),
    "L0103": Message(
        E, "{month}月 的监控重复（首次出现在{first}）", "month {month} is monitored twice (first at {first_en})"
    ),
    "L0104": Message(
        E,
        "未知的完成目标可能性「{value}」",
        "unknown possibility '{value}' (one of {available})",
        "{suggestion}",
        "{suggestion}",
    ),
    "L0105": Message(
        E,
        "「{field}」只能写在自评表（绩效指标）的三级指标旁，不能写在{where}",
        "'{field}' belongs beside an indicator of the 自评表, not {where_en}",
    ),
    "L0106": Message(
        E,
        "文件没有「申报」：调整须针对申报的绩效目标",
        "the file has no 申报 block: 调整 changes what was filed",
        "加上「申报 {{ 年度资金总额 …万元 … }}」，指标树中原写的目标值即为申报值",
        "add 申报 {{ 年度资金总额 … }}; the targets written in the tree are the filed ones",
    ),
    "L0107": Message(
        E,
        "「调整 {value}」：调整后应为新的指标值（如 调整 ≥ 100万条）、分值 N、取消或新增",
        "'调整 {value}': write a new target (调整 ≥ 100万条), 分值 N, 取消 or 新增",
    ),
    "L0108": Message(
        E,
        "「{indicator}」写了批复，但没有调整",
        "'{indicator}' has a 批复 but no 调整",
        "批复写在它批准的「调整」旁",
        "an approval goes beside the 调整 it approves",
    ),
    "L0201": Message(
        W,
        "{month}月 执行进度 {rate} 落后时间进度 {time}（{month}/12）{lag} 个百分点，超过 {limit} 个百分点",
        "by month {month} spending is {rate}, behind the time elapsed {time} ({month}/12) by {lag} points (limit {limit})",
        "在「监控 {month}月」的完成情况中说明原因和加快执行的措施",
        "explain why in 完成情况 of 监控 {month}月 and how spending will catch up",
    ),
    "L0202": Message(
        W,
        "「{indicator}」{month}月 预计全年完成 {forecast}，达不到目标 {target}，但没有纠偏措施",
        "'{indicator}': at month {month} the forecast {forecast} misses the target {target}, with no 纠偏措施",
        '写明纠偏措施：纠偏措施 "……"',
        'say what will be done: 纠偏措施 "…"',
    ),
    "L0203": Message(
        W,
        "「{indicator}」{month}月 预计全年完成 {forecast}，达不到目标 {target}，完成目标可能性却为「{possibility}」",
        "'{indicator}': at month {month} the forecast {forecast} misses the target {target}, yet the possibility is '{possibility}'",
        "可能性改为「{instead}」，或修正全年预计完成值",
        "write '{instead}', or correct the forecast",
    ),
    "L0204": Message(
        E,
        "「{indicator}」在申报后改动，没有批复：{changes}",
        "'{indicator}' was changed after filing without approval: {changes_en}",
        '改动已申报的绩效目标须经批准：在调整旁写上 批复 "文号、日期"；未经批准的，恢复申报值',
        'a change to a filed target needs approval: write 批复 "…" beside the 调整, or restore the filed value',
    ),
    "L0205": Message(
        I,
        "「{indicator}」在申报后调整（批复：{approval}）：{changes}",
        "'{indicator}' was adjusted after filing (approved: {approval}): {changes_en}",
    ),
    "L0206": Message(
        E,
        "「{indicator}」已申报（{filed}，{filed_at}），自评时却没有{missing}",
        "'{indicator}' was filed ({filed}, {filed_at_en}) but the self-evaluation gives no {missing_en}",
        '写上{missing}；经批准不再考核的，写「调整 取消」和「批复 "……"」',
        'give its {missing_en}; if it was dropped with approval, write 调整 取消 and 批复 "…"',
    ),
    "L0207": Message(
        E,
        "「{indicator}」的{what}「{value}」与目标值 {target} 的单位不一致",
        "'{indicator}': {what_en} '{value}' is not in the unit of the target {target}",
        "两者须为同一量纲（万条与条可以换算）",
        "both must measure the same thing (万条 and 条 convert)",
    ),
    "L0208": Message(
        W,
        "「{indicator}」没有 {month}月 的监控值，监控表中该行将为空",
        "'{indicator}' has no values for month {month}; its row of the 监控表 will be empty",
        "在该指标下写「监控 {month}月 已完成 … 预计完成 … 可能性 …」",
        "write 监控 {month}月 已完成 … 预计完成 … 可能性 … beside it",
    ),
    "L0209": Message(
        W,
        "「{indicator}」{month}月 的监控没有完成目标可能性",
        "'{indicator}': the values for month {month} give no possibility of meeting the target",
        "写上「可能性 {available}」之一",
        "add 可能性 with one of {available}",
    ),
    "L0210": Message(
        W,
        "{what}与申报的不同：申报为 {filed}（{filed_at}），现为 {now}",
        "{what_en} differs from the one filed: filed {filed} ({filed_at_en}), now {now}",
        "已申报的应保持一致；确有调整的，在正文中说明依据",
        "keep what was filed, or explain the change and its approval in the narrative",
    ),
}


# Problems with the lint set-up itself: a suppression comment or perfdsl.toml. Always on; they
# are not rules (no --select/--ignore, no suppression).
META: dict[str, Message] = {
    "R900": Message(
        E,
        "无法识别的 perfdsl 指令「{text}」",
        "unrecognised perfdsl directive '{text}'",
        "写法：# perfdsl: ignore[R010] 原因",
        "write: # perfdsl: ignore[R010] reason",
    ),
    "R901": Message(
        W,
        "忽略指令没有写原因，未生效",
        "the suppression gives no reason and has no effect",
        "在方括号后写明为何忽略：# perfdsl: ignore[{codes}] 已在……中说明",
        "say why after the brackets: # perfdsl: ignore[{codes}] explained in …",
    ),
    "R902": Message(
        E,
        "忽略指令中的「{code}」不是审核规则代码",
        "'{code}' in the suppression is not a reviewer's rule",
        "{suggestion}",
        "{suggestion}",
    ),
    "R903": Message(
        W,
        "忽略指令 ignore[{code}] 没有忽略任何问题",
        "the suppression ignore[{code}] suppresses nothing",
        "本行和下一行都没有 {code} 的问题，删除这条指令",
        "neither this line nor the next has a {code} finding; remove it",
    ),
    "R904": Message(
        E,
        "perfdsl.toml：「{key}」不是审核规则代码或设置",
        "perfdsl.toml: '{key}' is not a rule code or a setting",
        "{suggestion}",
        "{suggestion}",
    ),
    "R905": Message(
        E,
        "perfdsl.toml：规则 {code} 没有参数「{key}」",
        "perfdsl.toml: rule {code} has no parameter '{key}'",
        "{suggestion}",
        "{suggestion}",
    ),
    "R906": Message(E, "perfdsl.toml：「{key}」的值应为{expected}", "perfdsl.toml: '{key}' takes {expected_en}"),
    "R907": Message(E, "perfdsl.toml 无法读取：{reason}", "perfdsl.toml cannot be read: {reason}"),
}

CATALOGUE.update(META)
