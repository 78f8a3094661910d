# The role matrix's test objects (every app's tests/matrix.py), for this app's axe sweep.
from core.tests.conftest import world  # noqa: F401
