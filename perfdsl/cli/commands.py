"""The table of commands: each name, the module that registers it and its one-line help, in the
order `perfdsl --help` lists them.

It is data so that `perfdsl check` imports and builds the parser of `check` alone (every other
command appears in the list by name and help only): the start-up of a one-file check is measured
against `import lark`, and fourteen other parsers were a tenth of it."""

from __future__ import annotations


class Command:
    """A plain class, not a NamedTuple or a dataclass: those generate code when they are
    defined, which every start-up would pay for."""

    __slots__ = ("name", "module", "help")

    def __init__(self, name: str, module: str, help: str):
        self.name = name
        self.module = module  # perfdsl.cli.<module>, whose register(subparsers) adds the full parser
        self.help = help


COMMANDS = (
    Command("check", "cmd_check", "检查 .perf 文件（语法、单位、分值、陈述数字与计算值）"),
    Command("score", "cmd_score", "计算得分（自评表与评价指标体系）"),
    Command("explain", "cmd_score", "逐项说明每个数字的算法与每一处失分的原因"),
    Command("new", "cmd_new", "生成一个起始 .perf 文件"),
    Command("build", "cmd_build", "生成评价报告（DOCX/PDF/HTML/Markdown）与自评表（XLSX）"),
    Command("templates", "cmd_build", "模板：export DIR 把内置模板复制出来，供单位修改"),
    Command("rulesets", "cmd_rulesets", "列出可用的评价规则"),
    Command("fmt", "cmd_fmt", "整理 .perf 文件的格式（缩进、对齐、空格、顺序），不改变含义，保留注释"),
    Command(
        "diff", "cmd_diff", "语义比较：指标、目标、实际值、分值、正文的改动，以及总分、小计、完成率、等级的变化和原因"
    ),
    Command(
        "watch", "cmd_watch", "监视 .perf 文件（及其引用的文件、上年评价、模板、评价规则），改动后自动重新生成报告"
    ),
    Command("serve", "cmd_serve", "本地实时预览：在浏览器中查看报告，保存后自动刷新"),
    Command("lsp", "cmd_lsp", "语言服务器（供编辑器使用，经标准输入输出通信）"),
    Command("rules", "cmd_rules", "列出审核规则；perfdsl rules R010 显示一条规则的说明"),
    Command("import", "cmd_import", "把已有的自评表、评分表（XLSX、DOCX）导入为 .perf 文件"),
    Command("summary", "cmd_summary", "汇总一批评价：逐项目、按主管部门、合计（文本、JSON、CSV 或 Excel 工作簿）"),
)

HELP = {command.name: command.help for command in COMMANDS}


def add_parser(subparsers, name: str, **options):
    """The parser of command `name`, with its help from the table."""
    return subparsers.add_parser(name, help=HELP[name], **options)
