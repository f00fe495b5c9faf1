"""The three files of a bulletin, built from one content: Word, PDF and the workbook."""

from collections.abc import Callable
from dataclasses import dataclass

from tiaodu.documents import docx, pdf, xlsx
from tiaodu.documents.contents import BulletinContent

EXTENSIONS = ("docx", "pdf", "xlsx")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class BulletinFiles:
    stem: str
    docx: bytes
    pdf: bytes
    xlsx: bytes

    def items(self) -> list[tuple[str, bytes]]:
        """(file name, bytes) of each file."""
        return [(f"{self.stem}.{ext}", getattr(self, ext)) for ext in EXTENSIONS]


def file_stem(content: BulletinContent, region_code: str | None) -> str:
    """bulletin-2026-08 or bulletin-2026-08-370211 (ASCII, safe in every file system)."""
    stem = f"bulletin-{content.year}-{content.month:02d}"
    return f"{stem}-{region_code}" if region_code else stem


def render_all(
    content: BulletinContent,
    *,
    issued: bool,
    stem: str,
    done: Callable[[str], None] | None = None,
) -> BulletinFiles:
    """The three files; `done(ext)` is called as each is written (the build's progress)."""
    written = {}
    for ext, render in (
        ("docx", lambda: docx.render(content, issued=issued)),
        ("pdf", lambda: pdf.render(content, issued=issued)),
        ("xlsx", lambda: xlsx.render(content)),
    ):
        written[ext] = render()
        if done is not None:
            done(ext)
    return BulletinFiles(stem=stem, **written)
