import pytest

from tests.render.render_testlib import require


@pytest.fixture(scope="session")
def cjk_font_dirs():
    from perfdsl.render.errors import RenderError
    from perfdsl.render.fonts import cjk_font_dirs

    try:
        return cjk_font_dirs()
    except RenderError as e:
        require(False, f"no Chinese font: {e.hint.splitlines()[1].strip()}")
