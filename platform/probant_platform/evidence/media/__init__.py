"""Media validation by content (never by declared type), thumbnails and sample media."""

from probant_platform.evidence.media.inspect import (
    ImageLimits,
    MediaFacts,
    MediaRejected,
    inspect_media,
)
from probant_platform.evidence.media.pool import decoding_pool, image_limits

__all__ = [
    "ImageLimits",
    "MediaFacts",
    "MediaRejected",
    "decoding_pool",
    "image_limits",
    "inspect_media",
]
