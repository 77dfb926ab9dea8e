"""Cover images stored without anything the camera or editor wrote into them."""

import io
import secrets

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from .file_checks import check_cover_image

SAVE_AS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}


def cover_cleaned(*, data: bytes, max_bytes: int) -> ContentFile:
    """Check the image, then re-encode it: EXIF (GPS, camera, author), XMP and
    comments are dropped, the orientation is applied to the pixels, and the file
    gets a random name instead of the uploader's."""
    kind = check_cover_image(data=data, max_bytes=max_bytes)
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    if kind == "jpeg" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    output = io.BytesIO()
    image.save(output, format=SAVE_AS[kind], **({"quality": 88} if kind != "png" else {}))
    extension = "jpg" if kind == "jpeg" else kind
    return ContentFile(output.getvalue(), name=f"{secrets.token_hex(12)}.{extension}")
