"""What a photo looks like: our own 64-bit difference hash (dHash), and how near two are.

A photo already used in an earlier period or by another project (DOMAIN.md §3, validation
rule 5) is found by a stored hash within `NEAR` bits (docs/uploads.md, "The perceptual hash").
"""

from PIL import Image

# Two photos whose hashes differ in at most this many of the 64 bits look the same: the
# same picture re-encoded, resized, brightened or trimmed by a few pixels stays within 6
# bits; pictures of different scenes differ in about half of them.
NEAR = 6
HASH_SIDE = 8


def perceptual_hash(image: Image.Image) -> str:
    """A 64-bit difference hash as 16 hex digits: the picture in grey at 9 × 8 pixels, one bit
    per pair of neighbours in a row (1 where the left one is brighter)."""
    small = image.convert("L").resize((HASH_SIDE + 1, HASH_SIDE), Image.Resampling.LANCZOS)
    pixels = small.tobytes()
    bits = 0
    for row in range(HASH_SIDE):
        for column in range(HASH_SIDE):
            left = pixels[row * (HASH_SIDE + 1) + column]
            right = pixels[row * (HASH_SIDE + 1) + column + 1]
            bits = (bits << 1) | (left > right)
    return f"{bits:016x}"


def hamming(first: str, second: str) -> int:
    """How many of the 64 bits two perceptual hashes differ in (0: the same picture)."""
    return (int(first, 16) ^ int(second, 16)).bit_count()
