"""Opening a stored file to learn what it really is: photo (Pillow) or video (PyAV)."""

from __future__ import annotations

import contextlib
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
from PIL import Image, ImageFile, UnidentifiedImageError

from probant_platform.errors import DomainError

PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
VIDEO_CONTAINERS = {"matroska,webm": "video/webm", "mov,mp4,m4a,3gp,3g2,mj2": "video/mp4"}
VIDEO_CODECS = {"vp8", "vp9", "av1", "h264"}
MAX_PIXELS = 50_000_000  # a 50-megapixel photo; beyond, a decompression bomb
TRAILING_TOLERANCE = 16  # some encoders pad after the end marker
TAIL = 64 * 1024  # bytes read from the end of a JPEG to find its end marker


class MediaRejected(DomainError):
    """The file is not acceptable media; `reason` is the upload contract's error code."""

    code = "MEDIA_REJECTED"

    def __init__(self, *, reason: str, detail: str = ""):
        self.reason, self.detail = reason, detail
        super().__init__()

    def message(self, locale: str | None) -> str:
        return self.reason


@dataclass(frozen=True)
class ImageLimits:
    """What one image may cost once decoded; checked on the header, before any pixel is read.

    Pixels alone do not bound memory: a 1 × 49,000,000 one-bit PNG is 95 KB on disk, under
    the megapixel limit, and tens of MB per decoded copy (more once converted for a preview).
    """

    max_decoded_bytes: int = 160 * 1024 * 1024
    max_aspect_ratio: float = 20.0

    def check(self, *, width: int, height: int, bands: int) -> None:
        """Refuse (IMAGE_TOO_LARGE) an image whose decoded size or shape is out of bounds."""
        if width <= 0 or height <= 0:
            raise MediaRejected(reason="CORRUPT_MEDIA", detail="empty image")
        if width * height > MAX_PIXELS:
            raise MediaRejected(reason="IMAGE_TOO_LARGE", detail="too many pixels")
        if width * height * bands > self.max_decoded_bytes:
            raise MediaRejected(reason="IMAGE_TOO_LARGE", detail="decoded size")
        if max(width, height) / min(width, height) > self.max_aspect_ratio:
            raise MediaRejected(reason="IMAGE_TOO_LARGE", detail="aspect ratio")


@dataclass(frozen=True)
class MediaFacts:
    media_type: str
    width: int
    height: int
    duration_seconds: float | None
    codec: str | None


def inspect_media(
    *, path: Path, kind: str, max_video_seconds: float, limits: ImageLimits | None = None
) -> MediaFacts:
    """What the file really is; else MediaRejected (UNSUPPORTED_MEDIA, CORRUPT_MEDIA,
    IMAGE_TOO_LARGE, ...). Call it through the decoding pool: it may decode a whole image."""
    if kind == "photo":
        return _inspect_photo(path, limits or ImageLimits())
    return _inspect_video(path, max_video_seconds)


class _StrictDecoding:
    """Decode with Pillow's truncation check on, whatever another library set.

    WeasyPrint sets `ImageFile.LOAD_TRUNCATED_IMAGES = True` process-wide when imported,
    which would let a truncated photo decode as if whole and be sealed. The flag is
    module-wide, so it is turned off while any photo is being decoded and put back as found
    when the last one ends: decodes in the pool's threads run side by side (one lock held
    around each decode serialised the pool to one core).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self._previous = False

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._active == 0:
                self._previous = ImageFile.LOAD_TRUNCATED_IMAGES
            self._active += 1
            ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1
                if self._active == 0:
                    ImageFile.LOAD_TRUNCATED_IMAGES = self._previous


_strict_decoding = _StrictDecoding()


def _inspect_photo(path: Path, limits: ImageLimits) -> MediaFacts:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as probe:  # reads the header only
                image_format = probe.format or ""
                width, height = probe.size
                if image_format not in PHOTO_FORMATS:
                    raise MediaRejected(reason="UNSUPPORTED_MEDIA", detail=image_format)
                limits.check(width=width, height=height, bands=len(probe.getbands()))
                probe.verify()
            with Image.open(path) as image, _strict_decoding():
                if image_format == "JPEG":
                    _reduced_scale(image, width, height)
                image.load()  # verify() misses truncation; decoding every scan does not
    except MediaRejected:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise MediaRejected(reason="UNSUPPORTED_MEDIA", detail="decompression bomb") from exc
    except UnidentifiedImageError as exc:
        raise MediaRejected(reason="UNSUPPORTED_MEDIA", detail="not an image") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaRejected(reason="CORRUPT_MEDIA", detail=str(exc)) from exc
    if image_format == "JPEG":
        _refuse_trailing_payload(path)
    return MediaFacts(PHOTO_FORMATS[image_format], width, height, None, None)


def _reduced_scale(image: Image.Image, width: int, height: int) -> None:
    """Ask libjpeg for a 1/8-scale decode (`draft`): it still reads and entropy-decodes every
    scan of the file, so a truncated or broken one fails exactly as a full decode does
    (tests/evidence/test_photo_validation.py), but skips most of the inverse DCT, the
    upsampling and the colour conversion, and allocates 1/64 of the pixels."""
    image.draft(image.mode, (max(1, -(-width // 8)), max(1, -(-height // 8))))


def _refuse_trailing_payload(path: Path) -> None:
    """A JPEG followed by another file (a polyglot) hides content a viewer would never show.

    Only the file's tail is read: when its last end-of-image marker is not within the last
    `TAIL` bytes, more than `TRAILING_TOLERANCE` bytes follow it anyway."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - TAIL))
        tail = handle.read()
    end = tail.rfind(b"\xff\xd9")
    if end == -1 or len(tail) - (end + 2) > TRAILING_TOLERANCE:
        raise MediaRejected(reason="UNSUPPORTED_MEDIA", detail="data after the image")


def _inspect_video(path: Path, max_seconds: float) -> MediaFacts:
    try:
        with av.open(str(path), mode="r") as container:
            media_type = VIDEO_CONTAINERS.get(container.format.name)
            streams = container.streams.video
            if media_type is None or not streams:
                raise MediaRejected(reason="UNSUPPORTED_MEDIA", detail=container.format.name)
            stream = streams[0]
            codec = stream.codec_context.name
            if codec not in VIDEO_CODECS:
                raise MediaRejected(reason="UNSUPPORTED_MEDIA", detail=codec)
            duration = _duration_from_packets(container, stream)
            width, height = stream.codec_context.width, stream.codec_context.height
    except MediaRejected:
        raise
    except (av.error.InvalidDataError, av.error.FFmpegError, OSError) as exc:
        raise MediaRejected(reason="UNSUPPORTED_MEDIA", detail=str(exc)) from exc
    if duration > max_seconds + 0.05:
        raise MediaRejected(reason="VIDEO_TOO_LONG", detail=f"{duration:.2f}s")
    return MediaFacts(media_type, width, height, round(duration, 3), codec)


def _duration_from_packets(container: av.container.InputContainer, stream: av.VideoStream) -> float:
    # MediaRecorder's WebM has no duration in its header: measure the packets themselves.
    first, last = None, None
    for packet in container.demux(stream):
        if packet.pts is None:
            continue
        end = packet.pts + (packet.duration or 0)
        first = packet.pts if first is None else min(first, packet.pts)
        last = end if last is None else max(last, end)
    if first is None or last is None or stream.time_base is None:
        raise MediaRejected(reason="CORRUPT_MEDIA", detail="no video packets")
    return float((last - first) * stream.time_base)
