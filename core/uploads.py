"""The one way Involve checks an uploaded file: by what it is, not by what it is called.

- `check_photo`: must open and verify as a JPEG, PNG or WebP image in Pillow.
- `check_document`: a PDF, Word (.docx) or OpenDocument text file, by its signature.
- `check_attachment`: what residents' groups and staff attach to meetings, documents and
  evidence: those documents, plus spreadsheets (.xlsx, .ods), PowerPoint (.pptx), older Office
  files (.doc, .xls), rich text, plain text and photos.

A file renamed to look like something else is refused with a message that says what to do.
Files are served only through views that check permission, as downloads."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

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


def photo_without_metadata(upload: UploadedFile, checked: CheckedFile) -> ContentFile:
    """The photo re-encoded without its metadata: phones write the place a photo was taken (GPS)
    and the device into EXIF, which a landlord has no need to keep. The picture is turned the way
    the camera said first, so it still shows the right way up."""
    upload.seek(0)
    with Image.open(upload) as image:
        upright = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        image_format = next(f for f, (ctype, _) in PHOTO_FORMATS.items() if ctype == checked.content_type)
        params: dict[str, object] = {"quality": 90} if image_format in ("JPEG", "WEBP") else {}
        upright.save(out, format=image_format, **params)
    upload.seek(0)
    return ContentFile(out.getvalue(), name=f"photo{checked.extension}")


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
        kind = _zip_kind(upload)
        if kind is not None and kind[1] in (".docx", ".odt"):
            return CheckedFile(content_type=kind[0], extension=kind[1], size=size)
    raise ValidationError("The document must be a PDF, Word (.docx) or OpenDocument (.odt) file", code="bad_type")


ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
# Zip-based formats say what they are in their first entries.
_ZIP_KINDS = (
    (b"mimetypeapplication/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text", ".odt"),
    (
        b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.spreadsheet",
        ".ods",
    ),
    (b"word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    (b"xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    (b"ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
)
# Older Office files share one container format; the name says which it is.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE2_KINDS = {".doc": "application/msword", ".xls": "application/vnd.ms-excel"}


def _zip_kind(upload: UploadedFile) -> tuple[str, str] | None:
    import zipfile

    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            first = archive.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    finally:
        upload.seek(0)
    listing = b"mimetype" + first + b"".join(n.encode() for n in names)
    for marker, content_type, extension in _ZIP_KINDS:
        if marker in listing:
            return content_type, extension
    return None


def check_attachment(upload: UploadedFile, *, max_bytes: int = ATTACHMENT_MAX_BYTES) -> CheckedFile:
    size = upload.size or 0
    if size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    if size > max_bytes:
        raise ValidationError(f"The selected file must be smaller than {_megabytes(max_bytes)}", code="too_big")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    name = (upload.name or "").lower()
    if head.startswith(b"%PDF-"):
        return CheckedFile(content_type="application/pdf", extension=".pdf", size=size)
    if head.startswith(_ZIP):
        kind = _zip_kind(upload)
        if kind is not None:
            return CheckedFile(content_type=kind[0], extension=kind[1], size=size)
    if head.startswith(_OLE2):
        for extension, content_type in _OLE2_KINDS.items():
            if name.endswith(extension):
                return CheckedFile(content_type=content_type, extension=extension, size=size)
    if head.startswith(b"{\\rtf"):
        return CheckedFile(content_type="application/rtf", extension=".rtf", size=size)
    if head[:3] in (b"\xff\xd8\xff", b"\x89PN") or head[:4] == b"RIFF":
        return check_photo(upload)
    if b"\x00" not in head and name.endswith((".txt", ".csv")):
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is still text.
            if exc.start < len(head) - 3:
                raise _not_an_attachment() from None
        return CheckedFile(content_type="text/plain", extension=name[-4:], size=size)
    raise _not_an_attachment()


def _not_an_attachment() -> ValidationError:
    return ValidationError(
        "The selected file must be a PDF, Word, OpenDocument, Excel, PowerPoint, text or image file", code="bad_type"
    )
