"""The README and the pages under docs/ and editors/ work as written: every shell or configuration
snippet in them is run here, in a unit's repository made for the purpose.

A snippet says how it is tested by an HTML comment on the line before its fence (invisible when
the page is shown):

  <!-- snippet: run -->          shell commands, run one by one in the page's repository, the
                                 working folder carried from one to the next (`cd`). A perfdsl
                                 command may exit 0 or 1 (1: it found problems, as it should), any
                                 other command 0; nothing may print a traceback or a usage error.
                                 A command still running after a few seconds is a server (serve,
                                 watch): it has started, and is stopped. `pip install` and `pytest`
                                 are not run (this environment is the installation; this is the test).
  <!-- snippet: transcript -->   `$ command` lines with the lines it prints below them: the command
                                 is run, and each line shown must be in what it prints.
  <!-- snippet: pre-commit -->   a .pre-commit-config.yaml: each hook's entry is run as pre-commit
                                 runs it, on the repository's .perf files.
  <!-- snippet: ci -->           a CI configuration: valid YAML; each perfdsl step is run.
  <!-- snippet: neovim 0.7 -->   an init.lua for that Neovim or later: run by the installed Neovim
                                 when it is that version or later (a .perf buffer must get the
                                 server's diagnostics); compiled only, for a newer one.
  <!-- snippet: helix -->        a languages.toml: valid TOML whose server command runs.
  <!-- snippet: perfdsl.toml --> a perfdsl.toml: perfdsl check reads it without a complaint.
  <!-- snippet: show (why) -->   output or a shortened illustration, not run; says why.

Every fenced block in a shell or configuration language, and every block that starts with `$ `,
must carry one of these: a new snippet cannot go untested by being forgotten."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT
from tests.render.render_testlib import require

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "editors" / "README.md"]
CONFIG_LANGUAGES = {"sh", "bash", "shell", "console", "yaml", "yml", "toml", "lua", "json", "ini"}
MARKER = re.compile(r"<!--\s*snippet:\s*([\w.-]+)(?:\s+([^>]*?))?\s*-->")
FENCE = re.compile(r"^(```+|~~~+)[ \t]*([\w-]*)[^\n]*\n(.*?)^\1[ \t]*$", re.M | re.S)
SERVER_SECONDS = 4.0
BIN = Path(sys.executable).parent  # perfdsl, as installed beside this Python


@dataclass
class Snippet:
    page: Path
    line: int
    language: str
    body: str
    kind: str | None
    option: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def snippets(page: Path) -> list[Snippet]:
    text = page.read_text(encoding="utf-8")
    out = []
    for m in FENCE.finditer(text):
        before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.fullmatch(before.strip())
        out.append(
            Snippet(
                page,
                text.count("\n", 0, m.start()) + 1,
                m.group(2).lower(),
                m.group(3),
                marker.group(1) if marker else None,
                (marker.group(2) or "") if marker else "",
            )
        )
    return out


ALL = [s for page in PAGES for s in snippets(page)]


def _needs_a_test(s: Snippet) -> bool:
    return s.language in CONFIG_LANGUAGES or s.body.lstrip().startswith("$ ")


def test_every_shell_and_config_snippet_says_how_it_is_tested():
    untested = [s.where for s in ALL if _needs_a_test(s) and s.kind is None]
    assert not untested, f"snippets without a <!-- snippet: … --> marker: {untested}"
    unknown = {s.kind for s in ALL} - {
        None,
        "run",
        "transcript",
        "pre-commit",
        "ci",
        "neovim",
        "helix",
        "perfdsl.toml",
        "show",
    }
    assert not unknown
    assert all(s.option for s in ALL if s.kind == "show"), "a `show` snippet says why it is not run"


# ---------------------------------------------------------------- the repository the pages run in
def _unit_repository(root: Path) -> Path:
    """A unit's repository as docs/git.md lays it out, with the examples beside it (the README
    builds them), committed twice (so HEAD~1 exists), and one figure changed since (the
    transcript of `perfdsl diff HEAD`)."""
    root.mkdir(parents=True)
    shutil.copytree(EXAMPLES, root / "examples")
    (root / "perfdsl.toml").write_text("", encoding="utf-8")
    (root / ".gitignore").write_text("build/\n", encoding="utf-8")
    xinfang = (EXAMPLES / "xinfang-office-2023.perf").read_text(encoding="utf-8")
    (root / "机关办公业务项目").mkdir()
    (root / "机关办公业务项目" / "2023.perf").write_text(xinfang, encoding="utf-8")
    hotline = (EXAMPLES / "12345-hotline-2023.perf").read_text(encoding="utf-8")
    (root / "12345热线运维").mkdir()
    (root / "12345热线运维" / "2024.perf").write_text(hotline, encoding="utf-8")
    (root / "评价.perf").write_text(xinfang, encoding="utf-8")  # docs/rules.md checks 评价.perf
    git = ["git", "-c", "user.name=单位", "-c", "user.email=unit@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "2023"], cwd=root, check=True)
    this_year = re.sub(r"\n  年度 2023\n", '\n  年度 2024\n  上年评价 "2023.perf"\n', xinfang, count=1)
    assert "上年评价" in this_year
    (root / "机关办公业务项目" / "2024.perf").write_text(this_year, encoding="utf-8")
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "2024"], cwd=root, check=True)
    changed = hotline.replace("实际 61.99万条", "实际 80万条", 1)
    assert changed != hotline
    (root / "12345热线运维" / "2024.perf").write_text(changed, encoding="utf-8")
    return root


@dataclass
class Shell:
    """Commands run one at a time, the working folder carried over."""

    cwd: Path
    home: Path

    def env(self) -> dict:
        return dict(
            os.environ,
            PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            HOME=str(self.home),  # `git config --global` writes here, not to the user's file
            GIT_CONFIG_NOSYSTEM="1",
            PYTHONPATH=str(ROOT),
        )

    def run(self, command: str, where: str) -> str:
        # this environment is the installation, and this is the test: those steps are not run
        steps = [c for c in command.split(" && ") if not re.match(r"\s*(python3? -m )?(pip3? install|pytest)\b", c)]
        if not steps:
            return ""
        command = " && ".join(steps)
        if re.match(r"\s*perfdsl serve\b", command) and "--port" not in command:
            command += " --port 0"  # any free port: tests run side by side
        marker = "__cwd__"
        script = f"{command}\nstatus=$?\necho {marker}$(pwd)\nexit $status\n"
        p = subprocess.Popen(
            ["bash", "-c", script],
            cwd=self.cwd,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            out, _ = p.communicate(timeout=SERVER_SECONDS if re.search(r"\bperfdsl (serve|watch)\b", command) else 300)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, 15)
            p.communicate()
            return ""  # still running: a server that started
        text, _, cwd = out.rpartition(marker)
        if cwd.strip():
            self.cwd = Path(cwd.strip())
        allowed = (0, 1) if command.lstrip().startswith("perfdsl") or " perfdsl " in f" {command} " else (0,)
        assert p.returncode in allowed, f"{where}: `{command}` exited {p.returncode}:\n{text[-2000:]}"
        misused = re.search(r"^\S+: error: ", text, re.M)  # argparse's words for a usage mistake
        assert "Traceback" not in text and not misused, f"{where}: `{command}`:\n{text[-2000:]}"
        return text


def _commands(body: str) -> list[str]:
    """Shell lines of a snippet, comments dropped, continuation lines joined."""
    out, pending = [], ""
    for line in body.splitlines():
        line = pending + line
        pending = ""
        if line.rstrip().endswith("\\"):
            pending = line.rstrip()[:-1] + " "
            continue
        code = _strip_comment(line).strip()
        if code:
            out.append(code)
    return out


def _strip_comment(line: str) -> str:
    """The line without a trailing `# comment` (a # inside quotes stays)."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i]
    return line


def _transcript(body: str) -> list[tuple[str, list[str]]]:
    steps: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append((_strip_comment(line[2:]).strip(), []))
        elif steps and line.strip():
            steps[-1][1].append(line.rstrip())
    return steps


PAGES_WITH_SNIPPETS = [p for p in PAGES if any(s.kind in ("run", "transcript") for s in snippets(p))]


@pytest.mark.parametrize("page", PAGES_WITH_SNIPPETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_page_runs_as_written(page, tmp_path):
    shell = Shell(_unit_repository(tmp_path / "单位仓库"), tmp_path / "home")
    shell.home.mkdir()
    for s in snippets(page):
        if s.kind == "run":
            for command in _commands(s.body):
                shell.run(command, s.where)
        elif s.kind == "transcript":
            for command, shown in _transcript(s.body):
                printed = shell.run(command, s.where).splitlines()
                missing = [line for line in shown if line not in printed]
                assert not missing, f"{s.where}: `{command}` does not print {missing[:2]}"


# ---------------------------------------------------------------- configuration snippets
def _of_kind(kind: str) -> list[Snippet]:
    return [s for s in ALL if s.kind == kind]


@pytest.mark.parametrize("snippet", _of_kind("pre-commit"), ids=lambda s: s.where)
def test_pre_commit_hooks_run_as_pre_commit_runs_them(snippet, tmp_path):
    config = yaml.safe_load(snippet.body)
    repo = _unit_repository(tmp_path / "repo")
    perf_files = sorted(str(p.relative_to(repo)) for p in repo.rglob("*.perf"))
    for entry in config["repos"]:
        rev = entry.get("rev")
        assert entry["repo"] == "local" or (rev and not rev.startswith("v0.1.0")), entry
        for hook in entry["hooks"]:
            assert hook["language"] == "system" and re.search(hook["files"], "x/2024.perf")
            shell = Shell(repo, tmp_path / "home")
            shell.home.mkdir(exist_ok=True)
            shell.run(hook["entry"] + " " + " ".join(shlex.quote(f) for f in perf_files), snippet.where)


@pytest.mark.parametrize("snippet", _of_kind("ci"), ids=lambda s: s.where)
def test_ci_configurations_are_valid_and_their_perfdsl_steps_run(snippet, tmp_path):
    config = yaml.safe_load(snippet.body)
    steps: list[str] = []
    for job in config.values() if "jobs" not in config else config["jobs"].values():
        if isinstance(job, dict):
            steps += [s["run"] for s in job.get("steps", []) if isinstance(s, dict) and "run" in s]
            steps += [s for s in job.get("script", []) if isinstance(s, str)]
    # the CI system's own variables (the target branch) exist only there
    commands = [
        c for step in steps for c in _commands(step) if c.startswith("perfdsl ") and not re.search(r"\$\{\{|\$CI_", c)
    ]
    assert commands, snippet.where
    shell = Shell(_unit_repository(tmp_path / "repo"), tmp_path / "home")
    shell.home.mkdir()
    for command in commands:
        shell.run(command, snippet.where)


@pytest.mark.parametrize("snippet", _of_kind("perfdsl.toml"), ids=lambda s: s.where)
def test_perfdsl_toml_is_read_without_a_complaint(snippet, tmp_path):
    (tmp_path / "perfdsl.toml").write_text(snippet.body, encoding="utf-8")
    shutil.copy(EXAMPLES / "xinfang-office-2023.perf", tmp_path / "评价.perf")
    p = subprocess.run(
        [str(BIN / "perfdsl"), "check", "评价.perf", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert p.returncode in (0, 1) and "perfdsl.toml" not in p.stdout, p.stdout[-2000:]


@pytest.mark.parametrize("snippet", _of_kind("helix"), ids=lambda s: s.where)
def test_helix_configuration_names_a_server_that_starts(snippet):
    config = tomllib.loads(snippet.body)
    server = config["language-server"]["perfdsl"]
    (language,) = config["language"]
    assert language["language-servers"] == ["perfdsl"] and "perf" in language["file-types"]
    p = subprocess.run([str(BIN / server["command"]), *server["args"], "--help"], capture_output=True, timeout=60)
    assert p.returncode == 0


def _neovim_version(nvim: str) -> tuple[int, ...]:
    first = subprocess.run([nvim, "--version"], capture_output=True, text=True, timeout=30).stdout.splitlines()[0]
    return tuple(int(x) for x in re.search(r"v(\d+)\.(\d+)", first).groups())


@pytest.mark.parametrize("snippet", _of_kind("neovim"), ids=lambda s: s.where)
def test_neovim_set_up_attaches_the_server(snippet, tmp_path):
    nvim = shutil.which("nvim")
    require(nvim is not None, "Neovim not found (apt-get install neovim)")
    assert nvim is not None
    needs = tuple(int(x) for x in snippet.option.split("."))
    init = tmp_path / "init.lua"
    init.write_text(snippet.body, encoding="utf-8")
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", XDG_STATE_HOME=str(tmp_path))
    if _neovim_version(nvim) < needs:
        # a newer Neovim's set-up: it must at least be Lua this Neovim compiles
        p = subprocess.run(
            [nvim, "--headless", "--clean", "-c", f"lua assert(loadfile({str(init)!r}))", "-c", "qa!"],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert p.returncode == 0 and "Error" not in p.stderr, p.stderr
        return
    project = tmp_path / "project"
    project.mkdir()
    (project / "perfdsl.toml").write_text("", encoding="utf-8")
    shutil.copy(EXAMPLES / "starter.perf", project / "x.perf")
    result = tmp_path / "result"
    probe = (
        "lua vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 100); "
        f"vim.fn.writefile({{vim.bo.filetype, tostring(#vim.lsp.buf_get_clients()), "
        f"tostring(#vim.diagnostic.get(0))}}, {str(result)!r})"
    )
    p = subprocess.run(
        [nvim, "--headless", "-n", "-i", "NONE", "-u", str(init), str(project / "x.perf"), "-c", probe, "-c", "qa!"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=project,
    )
    assert result.exists(), p.stderr
    filetype, clients, diagnostics = result.read_text().split()
    assert (filetype, clients) == ("perf", "1") and int(diagnostics) >= 1, (filetype, clients, diagnostics, p.stderr)
