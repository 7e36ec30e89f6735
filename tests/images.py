"""Compare rendered pages with reference images, writing a diff image when they differ."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageChops

REFERENCE = Path(__file__).parent / "reference"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def page_image(pdf: bytes, page: int = 1, dpi: int = 50) -> Image.Image:
    """One page of a PDF as a greyscale image (poppler's pdftoppm)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-gray",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                str(src),
                str(Path(tmp) / "p"),
            ],
            check=True,
        )
        (png,) = Path(tmp).glob("p*.png")
        return Image.open(png).convert("L").copy()


def assert_matches_reference(name: str, image: Image.Image, tolerance: float = 0.01) -> None:
    """The image differs from tests/reference/<name>.png in at most ``tolerance`` of its pixels.

    UPDATE_REFERENCES=1 rewrites the reference instead (look at it before committing it).
    """
    path = REFERENCE / f"{name}.png"
    if os.environ.get("UPDATE_REFERENCES") == "1" or not path.exists():
        assert os.environ.get("CI") != "true", f"reference image {path.name} is missing"
        image.save(path)
        return
    reference = Image.open(path).convert("L")
    assert reference.size == image.size, f"{name}: page size {image.size} differs from {reference.size}"
    diff = ImageChops.difference(reference, image).point(lambda v: 255 if v > 64 else 0)
    changed = diff.histogram()[255] / (image.size[0] * image.size[1])
    if changed > tolerance:
        ARTIFACTS.mkdir(exist_ok=True)
        diff.save(ARTIFACTS / f"{name}-diff.png")
        image.save(ARTIFACTS / f"{name}-actual.png")
        raise AssertionError(
            f"{name}: {changed:.2%} of pixels differ (tolerance {tolerance:.0%}); see test-artifacts/{name}-diff.png"
        )
