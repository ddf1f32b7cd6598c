"""Small previews for the archive: a JPEG thumbnail of a photo, a poster frame of a video."""

from __future__ import annotations

import io
from pathlib import Path

import av
from PIL import Image, ImageOps

from probant_platform.config import Settings
from probant_platform.evidence.media.inspect import ImageLimits
from probant_platform.evidence.media.pool import decoding_pool, image_limits

MAX_SIDE = 480


def _jpeg(image: Image.Image) -> bytes:
    image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)  # a fresh file: no EXIF, no location
    return out.getvalue()


def make_thumbnail(path: Path, limits: ImageLimits | None = None) -> bytes:
    """A photo's preview, upright as the camera meant it (run it in the decoding pool).

    The bounds are checked again on the header: the preview converts to RGB, so it counts
    three bands whatever the file stores."""
    with Image.open(path) as image:
        width, height = image.size
        (limits or ImageLimits()).check(
            width=width, height=height, bands=max(3, len(image.getbands()))
        )
        image.draft("RGB", (MAX_SIDE * 2, MAX_SIDE * 2))  # JPEG: decode at a reduced scale
        return _jpeg(ImageOps.exif_transpose(image))


def make_poster(path: Path) -> bytes:
    """A video's first decodable frame."""
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            return _jpeg(frame.to_image())
    raise ValueError("no decodable frame")


async def make_preview(path: Path, *, media_type: str | None, settings: Settings) -> bytes:
    """The preview of a stored original, made in the decoding pool within the image limits."""
    pool = decoding_pool(settings)
    if (media_type or "").startswith("image/"):
        return await pool.run(make_thumbnail, path, image_limits(settings))
    return await pool.run(make_poster, path)
