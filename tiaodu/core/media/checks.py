"""Upload safety for photos and videos (DOMAIN.md §3, §9; docs/uploads.md).

The content decides what a file is, from its first bytes (`signatures`); neither its name
nor the type the browser declared decides anything. Accepted are JPEG, PNG, WebP and HEIC
photos and MP4 (and QuickTime .mov, as iPhones record) videos. Every photo is decoded under a
pixel limit and re-encoded as a plain JPEG without any metadata (`images`), so that what is
served is pixels only; its EXIF date, place and camera are read before they are stripped. A
video is checked (size, box structure) and stored as it is (`videos`).

Nothing here stores or writes anything: `inspect_upload` returns an `Accepted` or raises
`UploadRefused`, whose message says, in the user's language, what is wrong and what to do.
"""

from typing import IO

from tiaodu.core.media import errors, limits
from tiaodu.core.media.accepted import Accepted
from tiaodu.core.media.choices import FileKind
from tiaodu.core.media.errors import RefusalReason, UploadRefused
from tiaodu.core.media.images import inspect_photo
from tiaodu.core.media.signatures import MARKUP, Family, identify
from tiaodu.core.media.videos import inspect_video

__all__ = ["Accepted", "RefusalReason", "UploadRefused", "inspect_upload"]


def inspect_upload(handle: IO[bytes], *, name: str, declared_type: str | None = None) -> Accepted:
    """Accept a photo or video by its content, or raise UploadRefused; nothing is written.

    `name` gives the stored name its stem (its extension follows the content); the declared
    type is the browser's claim, as easy to forge as the name, and decides nothing. `handle`
    may be a Django UploadedFile or any seekable binary file; it is left at its start.
    """
    size = limits.size_of(handle)
    if size == 0:
        raise errors.empty()
    handle.seek(0)
    head = handle.read(limits.HEAD)
    handle.seek(0)
    try:
        signature = identify(head)
        if signature is MARKUP:
            raise errors.markup()
        if signature is None or signature.family not in (Family.PHOTO, Family.VIDEO):
            raise errors.not_media(signature.label if signature else None)
        if signature.family is Family.PHOTO:
            if size > limits.PHOTO_MAX_BYTES:
                raise errors.too_large(size, FileKind.PHOTO)
            return inspect_photo(handle, name=name, signature=signature)
        if size > limits.VIDEO_MAX_BYTES:
            raise errors.too_large(size, FileKind.VIDEO)
        return inspect_video(handle, name=name, signature=signature)
    finally:
        handle.seek(0)
