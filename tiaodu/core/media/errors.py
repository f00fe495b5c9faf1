"""Refused uploads: why (`RefusalReason`, for the caller's log) and what the user reads.

Every message says, in the user's language, what is wrong and what to do (docs/uploads.md,
"What is refused"). The limits are read from `limits` when a message is made, so that the
message always names the limit that refused the file.
"""

from enum import StrEnum

from django.utils.translation import gettext as _

from tiaodu.core.media import limits
from tiaodu.core.media.choices import FileKind


class RefusalReason(StrEnum):
    """Why an upload was refused, for the caller's log; the user reads the message."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_MEDIA = "not_media"
    MARKUP = "markup"
    TOO_MANY_PIXELS = "too_many_pixels"
    DAMAGED = "damaged"


class UploadRefused(ValueError):
    """The upload is not accepted; `message` says why and what to do, in the user's language."""

    def __init__(self, message: str, *, reason: RefusalReason) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


def empty() -> UploadRefused:
    return UploadRefused(
        _("The file is empty. Choose the photo or video again and upload it."),
        reason=RefusalReason.EMPTY,
    )


def markup() -> UploadRefused:
    return UploadRefused(
        _(
            "This is a web page or a drawing (HTML, SVG or XML), not a photo. Upload the "
            "photo itself: a JPEG, PNG, WebP or HEIC file from the camera."
        ),
        reason=RefusalReason.MARKUP,
    )


def not_media(label: str | None) -> UploadRefused:
    if not label:
        message = _(
            "This is not a photo or a video: upload a JPEG, PNG, WebP or HEIC photo, or an "
            "MP4 or MOV video."
        )
    else:
        message = _(
            "This is a %(type)s file, not a photo or a video: upload a JPEG, PNG, WebP or "
            "HEIC photo, or an MP4 or MOV video."
        ) % {"type": label}
    return UploadRefused(message, reason=RefusalReason.NOT_MEDIA)


def too_large(size: int, kind: FileKind) -> UploadRefused:
    if kind is FileKind.PHOTO:
        message = _(
            "The photo has %(size)s MB; a photo may have at most %(limit)s MB. Share it from "
            "the phone at a smaller size, or take it at a lower resolution, and upload it again."
        ) % {"size": limits.megabytes(size), "limit": limits.PHOTO_MAX_BYTES // limits.MB}
    else:
        message = _(
            "The video has %(size)s MB; a video may have at most %(limit)s MB. Trim it, or "
            "record it at a lower resolution (1080p), and upload it again."
        ) % {"size": limits.megabytes(size), "limit": limits.VIDEO_MAX_BYTES // limits.MB}
    return UploadRefused(message, reason=RefusalReason.TOO_LARGE)


def damaged_photo() -> UploadRefused:
    return UploadRefused(
        _(
            "The photo is damaged or incomplete (perhaps the upload was cut off). Check that "
            "it opens on the phone, and upload it again."
        ),
        reason=RefusalReason.DAMAGED,
    )


def too_many_pixels() -> UploadRefused:
    message = _(
        # Translators: limit counts millions of pixels (50 is 5000万像素).
        "The photo has more than %(limit)s megapixels. Reduce its size (%(side)s pixels on "
        "the long side is enough) and upload it again."
    ) % {"limit": limits.MAX_PIXELS // 1_000_000, "side": limits.MAX_SIDE}
    return UploadRefused(message, reason=RefusalReason.TOO_MANY_PIXELS)


def damaged_video() -> UploadRefused:
    return UploadRefused(
        _(
            "The video is damaged or incomplete (perhaps the upload or the recording was cut "
            "off). Check that it plays on the phone, and upload it again."
        ),
        reason=RefusalReason.DAMAGED,
    )
