"""What an accepted upload gives to store: its content, its facts and its stored name."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import PurePosixPath
from typing import IO

from django.core.files import File
from django.core.files.base import ContentFile

from tiaodu.core.media import limits
from tiaodu.core.media.choices import FileKind


@dataclass(frozen=True, kw_only=True)
class Accepted:
    """An upload that passed every check, and what to store of it.

    A photo is stored as `content` (a re-encoded JPEG without metadata) with `thumbnail`;
    a video is stored as it was uploaded (`source`, rewound). `size` and `sha256` are those
    of what is stored; `extension` (without the dot) and `content_type` follow the content.
    """

    kind: FileKind
    name: str
    extension: str
    content_type: str
    source_type: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None
    phash: str | None = None
    taken_at: datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    camera: str = ""
    content: bytes | None = field(default=None, repr=False)
    thumbnail: bytes | None = field(default=None, repr=False)
    source: IO[bytes] | None = field(default=None, repr=False, compare=False)

    def content_file(self) -> File[bytes]:
        """The file to store: the re-encoded photo, or the uploaded video from its start."""
        if self.content is not None:
            return ContentFile(self.content, name=self.name)
        if self.source is None:
            raise ValueError("an accepted video keeps its upload as `source`")
        self.source.seek(0)
        if isinstance(self.source, File):
            return self.source
        return File(self.source, name=self.name)

    def thumbnail_file(self) -> File[bytes] | None:
        """The photo's thumbnail (a JPEG), or None for a video."""
        if self.thumbnail is None:
            return None
        return ContentFile(self.thumbnail, name=f"{PurePosixPath(self.name).stem}-thumb.jpg")


def stored_name(name: str, extension: str, kind: FileKind) -> str:
    """The upload's own name (without any folder a browser sent) with the right extension."""
    stem = PurePosixPath(name.replace("\\", "/")).stem.strip()[: limits.MAX_STEM] or str(kind)
    return f"{stem}.{extension}"
