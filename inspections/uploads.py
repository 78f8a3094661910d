"""Checking uploaded files by what they are, not by what they are called.

A photo must open and verify as a JPEG, PNG or WebP image in Pillow; a procedure document must
start with the signature of a PDF, a Word (.docx) or an OpenDocument text file. A file renamed
to look like something else is refused with a message that says what to do.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

PHOTO_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# Photos from phones are about 12 megapixels; anything far bigger is a decompression bomb or a scan.
PHOTO_MAX_PIXELS = 50_000_000

PHOTO_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    width: int = 0
    height: int = 0


def _megabytes(n: int) -> str:
    return f"{n // (1024 * 1024)} MB"


def check_photo(upload: UploadedFile) -> CheckedFile:
    size = upload.size or 0
    if size == 0:
        raise ValidationError("The selected photo is empty", code="empty")
    if size > PHOTO_MAX_BYTES:
        raise ValidationError(f"The photo must be smaller than {_megabytes(PHOTO_MAX_BYTES)}", code="too_big")
    not_an_image = ValidationError("The selected file must be a photo: a JPG, PNG or WebP image", code="not_image")
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format or ""
                width, height = image.size
                if width * height > PHOTO_MAX_PIXELS:
                    raise ValidationError("The photo has too many pixels: make it smaller and try again")
                image.verify()  # reads the whole file: a truncated or forged image fails here
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        raise not_an_image from None
    finally:
        upload.seek(0)
    if image_format not in PHOTO_FORMATS:
        raise not_an_image
    content_type, extension = PHOTO_FORMATS[image_format]
    return CheckedFile(content_type=content_type, extension=extension, size=size, width=width, height=height)


_ZIP = b"PK\x03\x04"


def check_document(upload: UploadedFile) -> CheckedFile:
    size = upload.size or 0
    if size == 0:
        raise ValidationError("The selected document is empty", code="empty")
    if size > DOCUMENT_MAX_BYTES:
        raise ValidationError(f"The document must be smaller than {_megabytes(DOCUMENT_MAX_BYTES)}", code="too_big")
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return CheckedFile(content_type="application/pdf", extension=".pdf", size=size)
    if head.startswith(_ZIP):
        # OpenDocument stores its type uncompressed first; Word files name their parts.
        if b"mimetypeapplication/vnd.oasis.opendocument.text" in head:
            return CheckedFile(content_type="application/vnd.oasis.opendocument.text", extension=".odt", size=size)
        if b"[Content_Types].xml" in head or b"word/" in head:
            return CheckedFile(
                content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                extension=".docx",
                size=size,
            )
    raise ValidationError("The document must be a PDF, Word (.docx) or OpenDocument (.odt) file", code="bad_type")
