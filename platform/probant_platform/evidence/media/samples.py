"""Real sample media made on the fly (tests and demo data): no binary fixtures in the repo."""

from __future__ import annotations

import io
from fractions import Fraction

import av
from PIL import Image, ImageDraw


def photo_jpeg(
    *, width: int = 640, height: int = 480, label: str = "Probant", seed: int = 0
) -> bytes:
    """A JPEG photo with a gradient and a label, different for each seed."""
    image = Image.new("RGB", (width, height), ((seed * 53) % 256, 120, 200))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 16):
        draw.line([(x, 0), (x, height)], fill=((x + seed * 7) % 256, 80, 160), width=8)
    draw.rectangle([20, 20, 260, 70], fill=(255, 255, 255))
    draw.text((30, 35), f"{label} #{seed}", fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def video_webm(
    *, seconds: float = 2.0, fps: int = 10, width: int = 160, height: int = 120
) -> bytes:
    """A VP8 WebM video of `seconds`, like a short MediaRecorder capture."""
    out = io.BytesIO()
    with av.open(out, mode="w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = Fraction(1, fps)
        for index in range(int(seconds * fps)):
            image = Image.new("RGB", (width, height), ((index * 9) % 256, 100, 150))
            frame = av.VideoFrame.from_image(image)
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()
