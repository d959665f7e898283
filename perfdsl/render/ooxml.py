"""One normaliser for the OOXML packages perfdsl writes (DOCX from pandoc, XLSX from openpyxl),
so that a rebuild of unchanged input gives the same bytes.

Entries get one timestamp (1980-01-01 00:00:00), no platform attributes and fixed deflate
compression; [Content_Types].xml comes first, where Office expects it; docProps/core.xml gets
fixed created/modified dates (openpyxl stamps the save time there) and, when asked, the
document's language."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping

FIXED_DATE = "1980-01-01T00:00:00Z"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_CORE_DATE = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def normalise(
    data: bytes,
    *,
    sort_entries: bool,
    language: str | None = None,
    date: str = FIXED_DATE,
    edit: Mapping[str, Callable[[bytes], bytes]] | None = None,
) -> bytes:
    """The package rewritten to depend only on its content. `sort_entries`: order the entries by
    name (openpyxl's order varies); otherwise keep the writer's order (pandoc's is stable, and
    Word reads parts in it). `edit` maps a part's name to a function that rewrites it."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    if sort_entries:
        names = sorted(names, key=lambda n: (n != "[Content_Types].xml", n))
    else:
        names.sort(key=lambda n: n != "[Content_Types].xml")  # stable: the rest keep their order
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in names:
            body = src.read(name)
            if edit and name in edit:
                body = edit[name](body)
            if name == "docProps/core.xml":
                body = _CORE_DATE.sub(rb"\g<1>" + date.encode() + rb"\g<3>", body)
                if language and b"<dc:language>" not in body:
                    tag = f"<dc:language>{language}</dc:language>".encode()
                    body = body.replace(b"</cp:coreProperties>", tag + b"</cp:coreProperties>")
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # not the platform's value: the same bytes on every OS
            info.external_attr = 0
            dst.writestr(info, body, compresslevel=6)
    return out.getvalue()
