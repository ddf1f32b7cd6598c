"""Small previews for the archive: a JPEG thumbnail of a photo, a poster frame of a video."""

from __future__ import annotations

import io
from pathlib import Path

import av
from PIL import Image, ImageOps

MAX_SIDE = 480


def _jpeg(image: Image.Image) -> bytes:
    image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)  # a fresh file: no EXIF, no location
    return out.getvalue()


def make_thumbnail(path: Path) -> bytes:
    """A photo's preview, upright as the camera meant it."""
    with Image.open(path) as image:
        return _jpeg(ImageOps.exif_transpose(image))


def make_poster(path: Path) -> bytes:
    """A video's first decodable frame."""
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            return _jpeg(frame.to_image())
    raise ValueError("no decodable frame")
