import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Attachments go to a temporary folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


# The role matrix's test objects (every app's tests/matrix.py), for this app's axe sweep.
from core.tests.conftest import world  # noqa: E402, F401
