"""The limits on uploaded photos and videos, and reading an upload within them.

The size of an upload is taken from Django (it measured it while receiving) before anything
is read; a file that proves larger than it claimed is refused as soon as it does.
"""

import io
from typing import IO

MB = 1024 * 1024
PHOTO_MAX_BYTES = 20 * MB
VIDEO_MAX_BYTES = 200 * MB
# A photo with more pixels than this is refused before it is decoded: a small file may claim
# a huge canvas (a "pixel bomb") that would take gigabytes to decode. Phones take 12 to 50
# megapixels; 50 million decoded as RGBA is 200 MB.
MAX_PIXELS = 50_000_000
# What is stored: at most this many pixels on the long side, and a thumbnail for lists.
MAX_SIDE = 4096
THUMBNAIL_SIDE = 480
JPEG_QUALITY = 85
THUMBNAIL_QUALITY = 80
CHUNK = MB
HEAD = 512
MAX_STEM = 100
# A video's top-level boxes are walked until `moov` and `mdat` are found; real files have
# a handful, so a file made of thousands of tiny boxes is damaged or hostile.
MAX_BOXES = 1000


def size_of(handle: IO[bytes]) -> int:
    """The upload's size, without reading it: Django's `size`, or the end of the file."""
    size = getattr(handle, "size", None)
    if isinstance(size, int):
        return size
    return end_of(handle)


def end_of(handle: IO[bytes]) -> int:
    """The file's measured size; the handle is left at its start."""
    handle.seek(0, io.SEEK_END)
    end = handle.tell()
    handle.seek(0)
    return end


def megabytes(size: int) -> str:
    """A size in MB with one decimal place, as refusals show it."""
    return f"{size / MB:.1f}"


# Word and Excel files (.docx, .xlsx) are zip packages, checked from their zip directory
# before any part is unpacked (`office`): what they unpack to in all and per part, how much
# a part may grow when unpacked (deflate reaches about 1,030 times; the XML of real files
# 5 to 30 times, a sheet of empty formatted rows rarely 100), and how many parts they hold
# (a workbook has a dozen or two, a report full of pictures a few hundred).
OFFICE_MAX_UNPACKED_BYTES = 200 * MB
OFFICE_MAX_PART_BYTES = 100 * MB
OFFICE_MAX_RATIO = 200
# A part smaller than this unpacked is not held to the ratio: its size is harmless.
OFFICE_RATIO_FLOOR = MB
OFFICE_MAX_PARTS = 1000
