import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded papers and documents go to a temporary folder, not the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
