"""The one upload check, by content: real files of each kind pass, renamed ones do not."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.uploads import check_attachment, check_document, check_photo


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(out, "PNG")
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["Income", 120])
    book.save(out)
    return out.getvalue()


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("minutes.pdf", b"%PDF-1.7\n...", "application/pdf"),
        ("accounts.xlsx", _xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("constitution.docx", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("notes.txt", "Café at 7pm".encode(), "text/plain"),
        ("photo.png", _png(), "image/png"),
    ],
)
def test_real_files_are_accepted_for_what_they_are(name, content, content_type):
    assert check_attachment(_upload(name, content)).content_type == content_type


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("minutes.pdf", b"<html><script>alert(1)</script></html>"),
        ("report.docx", b"MZ\x90\x00 an executable"),
        ("notes.txt", b"\x00\x01\x02 binary"),
        ("photo.jpg", b"\xff\xd8\xff not really a jpeg"),
        ("empty.pdf", b""),
    ],
)
def test_renamed_or_broken_files_are_refused(name, content):
    with pytest.raises(ValidationError):
        check_attachment(_upload(name, content))


def test_size_limits_and_narrower_checks():
    with pytest.raises(ValidationError, match="smaller than 1 MB"):
        check_attachment(_upload("big.pdf", b"%PDF-" + b"x" * (1024 * 1024)), max_bytes=1024 * 1024)
    with pytest.raises(ValidationError):
        check_document(_upload("accounts.xlsx", _xlsx()))  # a spreadsheet is not a procedure document
    with pytest.raises(ValidationError):
        check_photo(_upload("minutes.png", b"%PDF-1.7"))


def test_photos_are_kept_without_their_metadata():
    from core.uploads import photo_without_metadata

    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: taken with the phone on its side
    exif[0x8825] = {1: "N", 2: (51.0, 45.0, 0.0)}  # GPS position
    original = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(original, "JPEG", exif=exif)
    upload = _upload("walkabout.jpg", original.getvalue())
    cleaned = photo_without_metadata(upload, check_photo(upload))
    with Image.open(cleaned) as image:
        assert image.format == "JPEG"
        assert not image.getexif(), "no EXIF left, so no GPS"
        assert image.size == (20, 40), "turned upright as the camera said"
