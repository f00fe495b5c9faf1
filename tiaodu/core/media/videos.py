"""Videos: checked and stored as uploaded (docs/uploads.md; ADR 0005).

There is no transcoder on a district server, so a video is kept as it came: its size is
measured, its top-level boxes must fit in the file and include the movie header (`moov`) and
the media data (`mdat`), as a recording stopped half-way does not.
"""

import hashlib
import struct
from typing import IO

from tiaodu.core.media import errors, limits
from tiaodu.core.media.accepted import Accepted, stored_name
from tiaodu.core.media.choices import FileKind
from tiaodu.core.media.signatures import Signature


def inspect_video(handle: IO[bytes], *, name: str, signature: Signature) -> Accepted:
    """The video as uploaded, with its size and SHA-256, or UploadRefused."""
    size = limits.end_of(handle)  # measured, whatever `size` the handle claimed
    if size > limits.VIDEO_MAX_BYTES:
        raise errors.too_large(size, FileKind.VIDEO)
    _check_boxes(handle, size)
    handle.seek(0)
    digest = hashlib.sha256()
    read = 0
    while block := handle.read(limits.CHUNK):
        read += len(block)
        digest.update(block)
    if read != size:
        raise errors.damaged_video()
    return Accepted(
        kind=FileKind.VIDEO,
        name=stored_name(name, signature.extension, FileKind.VIDEO),
        extension=signature.extension,
        content_type=signature.content_type,
        source_type=signature.content_type,
        size=size,
        sha256=digest.hexdigest(),
        source=handle,
    )


def _check_boxes(handle: IO[bytes], size: int) -> None:
    """The top-level boxes fit in the file, and a movie header (`moov`) and media data
    (`mdat`) are among them; only the box headers are read."""
    position = 0
    seen: set[bytes] = set()
    for _count in range(limits.MAX_BOXES):
        if {b"moov", b"mdat"} <= seen:
            return
        if position >= size:
            break
        handle.seek(position)
        header = handle.read(8)
        if len(header) < 8:
            break
        box_size, box_type = struct.unpack(">I4s", header)
        header_size = 8
        if box_size == 1:
            large = handle.read(8)
            if len(large) < 8:
                break
            (box_size,) = struct.unpack(">Q", large)
            header_size = 16
        elif box_size == 0:
            box_size = size - position
        if box_size < header_size or position + box_size > size:
            break
        if not all(0x20 <= byte < 0x7F for byte in box_type):
            break
        seen.add(box_type)
        position += box_size
    raise errors.damaged_video()
