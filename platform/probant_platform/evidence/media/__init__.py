"""Media validation by content (never by declared type), thumbnails and sample media."""

from probant_platform.evidence.media.inspect import MediaFacts, MediaRejected, inspect_media

__all__ = ["MediaFacts", "MediaRejected", "inspect_media"]
