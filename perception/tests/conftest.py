# The role matrix's test objects (every app's tests/matrix.py), for this app's axe sweep, and the
# regulator's dataset (read once a session) for reproducing its published figures.
from core.tests.conftest import world  # noqa: F401
from tsm.tests.conftest import published_dataset, published_path  # noqa: F401
