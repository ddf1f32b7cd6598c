"""Photo inspection stays strict even after a library loosens Pillow process-wide."""

from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint  # noqa: F401  (sets ImageFile.LOAD_TRUNCATED_IMAGES = True on import)
from PIL import ImageFile

from probant_platform.evidence.media.inspect import MediaRejected, inspect_media
from probant_platform.evidence.media.samples import photo_jpeg


def test_a_truncated_photo_is_corrupt_even_with_weasyprint_loaded(tmp_path: Path) -> None:
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # what WeasyPrint did to the process
    path = tmp_path / "truncated.jpg"
    path.write_bytes(photo_jpeg()[:-400])
    with pytest.raises(MediaRejected) as refused:
        inspect_media(path=path, kind="photo", max_video_seconds=30)
    assert refused.value.reason == "CORRUPT_MEDIA"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as found for WeasyPrint


def test_a_whole_photo_still_passes(tmp_path: Path) -> None:
    path = tmp_path / "whole.jpg"
    path.write_bytes(photo_jpeg())
    facts = inspect_media(path=path, kind="photo", max_video_seconds=30)
    assert facts.media_type == "image/jpeg"
