#!/usr/bin/env python3
"""Render reports to page images, to look at them as a reader would.

    python scripts/render_pages.py [-o DIR] [FILE.perf …]     every page of every output
    python scripts/render_pages.py --docs-images               refresh docs/images (the README's)

Each file is built to DOCX, XLSX, PDF (typst) and HTML; the DOCX and the XLSX go through
LibreOffice (`soffice --headless --convert-to pdf`), as a reader without Word sees them, and
every PDF page becomes a grey PNG (`pdftoppm -png -gray -r 70`); the HTML page is photographed by headless
Chromium. Without arguments: the examples. Needs LibreOffice, poppler-utils and (for HTML)
Chromium: `apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils chromium`.
The LibreOffice tests (tests/render/test_libreoffice.py) read the same conversions."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from perfdsl.render.build import build_file  # noqa: E402

DPI = 70
DOCS_IMAGES = ROOT / "docs" / "images"
# The README's pictures: seed 003 (a report with 附件1 and a 自评表).
DOCS_SOURCE = ROOT / "examples" / "xinfang-office-2023.perf"


def soffice_pdf(files: list[Path], out: Path, timeout: float = 300) -> list[Path]:
    """DOCX/XLSX → PDF through LibreOffice; the PDFs, in the order of `files`."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit("LibreOffice not found: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="perfdsl-lo-profile-") as profile:
        # a profile of its own: a LibreOffice the user has open does not take the job over
        subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(out)]
            + [str(f) for f in files],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    pdfs = [out / (f.stem + ".pdf") for f in files]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice made no {', '.join(missing)}")
    return pdfs


def pages(pdf: Path, out: Path, prefix: str, first: int | None = None, last: int | None = None) -> list[Path]:
    """PNGs of a PDF's pages (or of pages first..last)."""
    out.mkdir(parents=True, exist_ok=True)
    args = ["pdftoppm", "-png", "-gray", "-r", str(DPI)]  # the pages are black print: grey is enough
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    subprocess.run([*args, str(pdf), str(out / prefix)], check=True, timeout=120)
    return sorted(out.glob(f"{prefix}-*.png"))


def page_of(pdf: Path, text: str) -> int:
    """The first page whose text holds `text` (1-based)."""
    n = int(next(line.split()[-1] for line in _run("pdfinfo", pdf).splitlines() if line.startswith("Pages:")))
    for p in range(1, n + 1):
        if text in "".join(_run("pdftotext", "-f", str(p), "-l", str(p), pdf, "-").split()):
            return p
    raise LookupError(f"{text!r} is on no page of {pdf.name}")


def _run(*args) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=True, timeout=120).stdout


def screenshot(html: Path, png: Path, width: int = 600, height: int = 660) -> bool:
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if exe is None:
        return False
    subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--window-size={width},{height}"]
        + [f"--screenshot={png}", html.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return png.exists()


def build(source: Path, out: Path) -> dict[str, Path]:
    result = build_file(str(source), ("docx", "xlsx", "pdf", "html"), str(out))
    if not result.ok:
        raise SystemExit(f"{source}: {result.error or 'refused (it has errors: perfdsl check it)'}")
    return {Path(p).suffix[1:]: Path(p) for p in result.outputs}


def render_all(sources: list[Path], out: Path) -> list[Path]:
    pngs: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="perfdsl-pages-") as tmp:
        work = Path(tmp)
        for source in sources:
            made = build(source, work / source.stem)
            office = soffice_pdf([made["docx"], made["xlsx"]], work / source.stem / "lo")
            pngs += pages(office[0], out, f"{source.stem}-docx")
            pngs += pages(office[1], out, f"{source.stem}-xlsx")
            pngs += pages(made["pdf"], out, f"{source.stem}-pdf")
            shot = out / f"{source.stem}-html.png"
            if screenshot(made["html"], shot):
                pngs.append(shot)
    return pngs


def docs_images(source: Path = DOCS_SOURCE, out: Path = DOCS_IMAGES) -> list[Path]:
    """The README's six pictures: DOCX page 1 and its 自评表, typst PDF page 1 and its 自评表,
    the XLSX 自评表, the HTML page."""
    written = []
    with tempfile.TemporaryDirectory(prefix="perfdsl-docs-images-") as tmp:
        work = Path(tmp)
        made = build(source, work)
        docx_pdf, xlsx_pdf = soffice_pdf([made["docx"], made["xlsx"]], work / "lo")
        for pdf, name in ((docx_pdf, "docx"), (made["pdf"], "pdf")):
            target = {"docx": "docx-self-evaluation", "pdf": "pdf-annex"}[name]
            for page, stem in ((1, f"{name}-page1"), (page_of(pdf, "项目支出绩效自评表"), target)):
                png = pages(pdf, work / "png", stem, page, page)[0]
                written.append(shutil.copyfile(png, out / f"{stem}.png"))
        png = pages(xlsx_pdf, work / "png", "xlsx", 1, 1)[0]
        written.append(shutil.copyfile(png, out / "xlsx-self-evaluation.png"))
        if screenshot(made["html"], work / "html.png"):
            written.append(shutil.copyfile(work / "html.png", out / "html-page.png"))
    return [Path(p) for p in written]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path, help="the .perf files (default: the examples)")
    ap.add_argument("-o", "--out", type=Path, default=Path("pages"), help="where the PNGs go (default: pages/)")
    ap.add_argument("--docs-images", action="store_true", help="refresh docs/images from the seed 003 example")
    args = ap.parse_args(argv)
    if args.docs_images:
        written = docs_images()
    else:
        written = render_all(args.files or sorted((ROOT / "examples").glob("*.perf")), args.out)
    for p in written:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
