"""Photos: decoded under the pixel limit and re-encoded as plain JPEGs (docs/uploads.md).

Nothing of the upload's bytes is stored, only its pixels: turned upright, converted to sRGB
through the photo's colour profile, at most `limits.MAX_SIDE` on the long side, with a
thumbnail, and no metadata at all. What the photo says about itself (`metadata`) and what it
looks like (`phash`) are read first.
"""

import functools
import hashlib
import io
import struct
from typing import IO

from PIL import Image, ImageCms

from tiaodu.core.media import errors, limits
from tiaodu.core.media.accepted import Accepted, stored_name
from tiaodu.core.media.choices import FileKind
from tiaodu.core.media.metadata import PhotoMetadata, read_metadata
from tiaodu.core.media.phash import perceptual_hash
from tiaodu.core.media.signatures import HEIC, JPEG, PNG, WEBP, Signature

_PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP", HEIC: "HEIF"}
_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# Pillow's own decoding errors: a damaged or cut-off file raises one of these.
_DECODING_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError)


@functools.cache
def _read_heic() -> None:
    """Pillow reads HEIC (an iPhone's photos) once pillow-heif has registered its opener:
    done at the first HEIC photo, not at start-up, which it would slow for every process
    (the web's, the worker's, each command's) although most never see a photo."""
    import pillow_heif

    pillow_heif.register_heif_opener()


def inspect_photo(handle: IO[bytes], *, name: str, signature: Signature) -> Accepted:
    """The photo re-encoded, with its thumbnail and facts, or UploadRefused."""
    data = _read_at_most(handle, limits.PHOTO_MAX_BYTES)
    image = _open_photo(data, signature)
    metadata = read_metadata(image)
    icc_profile = image.info.get("icc_profile")
    try:
        pixels = _eight_bit(image)
        if max(pixels.size) > limits.MAX_SIDE:
            pixels.thumbnail((limits.MAX_SIDE, limits.MAX_SIDE), Image.Resampling.LANCZOS)
        if metadata.orientation in _ORIENTATION:
            pixels = pixels.transpose(_ORIENTATION[metadata.orientation])
        photo = _to_srgb(pixels, icc_profile if isinstance(icc_profile, bytes) else None)
    except _DECODING_ERRORS as error:
        raise errors.damaged_photo() from error
    finally:
        image.close()
    small = photo.copy()
    small.thumbnail((limits.THUMBNAIL_SIDE, limits.THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    content = _encode(photo, quality=limits.JPEG_QUALITY)
    return _accepted_photo(
        name=name,
        source_type=signature.content_type,
        content=content,
        thumbnail=_encode(small, quality=limits.THUMBNAIL_QUALITY),
        size=photo.size,
        phash=perceptual_hash(small),
        metadata=metadata,
    )


def _read_at_most(handle: IO[bytes], limit: int) -> bytes:
    """The whole upload, read in chunks; refused as soon as it proves larger than `limit`
    (whatever its `size` claimed)."""
    buffer = bytearray()
    while block := handle.read(limits.CHUNK):
        buffer += block
        if len(buffer) > limit:
            raise errors.too_large(len(buffer), FileKind.PHOTO)
    return bytes(buffer)


def _open_photo(data: bytes, signature: Signature) -> Image.Image:
    """The photo, decoded in the format its first bytes announced, under the pixel limit."""
    pillow_format = _PILLOW_FORMATS[signature]
    if signature == HEIC:
        _read_heic()
    try:
        # Opening reads the header only. Pillow refuses a canvas beyond its own (larger,
        # process-wide) limit here; ours is checked below, before anything is decoded.
        probe = Image.open(io.BytesIO(data), formats=[pillow_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise errors.too_many_pixels() from error
    except _DECODING_ERRORS as error:
        raise errors.damaged_photo() from error
    with probe:
        if probe.width * probe.height > limits.MAX_PIXELS:
            raise errors.too_many_pixels()
        if probe.width < 1 or probe.height < 1:
            raise errors.damaged_photo()
        try:
            probe.verify()
            image = Image.open(io.BytesIO(data), formats=[pillow_format])
            image.load()
        except _DECODING_ERRORS as error:
            raise errors.damaged_photo() from error
    return image


def _eight_bit(image: Image.Image) -> Image.Image:
    """The image in a mode that resamples well: L, LA, RGB, RGBA or CMYK."""
    if image.mode in ("P", "PA"):
        return image.convert("RGBA")
    if image.mode == "1":
        return image.convert("L")
    if image.mode.startswith("I") or image.mode == "F":
        # 16-bit grey (a scanner's PNG): scale to 8 bits; a plain convert would clip to white.
        return image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode not in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return image.convert("RGBA")
    return image


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Plain sRGB pixels: transparency onto white, colours through the photo's profile."""
    if image.mode in ("LA", "RGBA"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image.convert("RGBA"), mask=image.getchannel("A"))
        image = background
    if icc_profile:
        try:
            # Phones shoot in wide gamuts (an iPhone's Display P3); without the profile the
            # colours of the stored JPEG would look washed out.
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            converted = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # a profile that does not fit the pixels: keep them as they are
        if converted is not None:
            image = converted
    return image.convert("RGB")


def _encode(image: Image.Image, *, quality: int) -> bytes:
    """A progressive baseline-quality JPEG with no metadata at all."""
    image.info = {}  # Pillow would carry a JPEG comment over from the source
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, progressive=True, optimize=True)
    return out.getvalue()


def _accepted_photo(
    *,
    name: str,
    source_type: str,
    content: bytes,
    thumbnail: bytes,
    size: tuple[int, int],
    phash: str,
    metadata: PhotoMetadata,
) -> Accepted:
    return Accepted(
        kind=FileKind.PHOTO,
        name=stored_name(name, "jpg", FileKind.PHOTO),
        extension="jpg",
        content_type="image/jpeg",
        source_type=source_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        width=size[0],
        height=size[1],
        phash=phash,
        taken_at=metadata.taken_at,
        latitude=metadata.latitude,
        longitude=metadata.longitude,
        camera=metadata.camera,
        content=content,
        thumbnail=thumbnail,
    )
