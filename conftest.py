"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from accounts.models import Organisation, Partnership, Role


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, tmp_path_factory):
    # Uploads go under this run's own temporary folder, never the checkout's media/, so the
    # SQLite and PostgreSQL suites (run side by side by bin/test) cannot touch each other's files.
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EXPRESSION_OF_INTEREST_MIN_SECONDS = 0
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    # Throttles and lockouts count in the cache; each test starts with none.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Tests with transaction=True truncate every table afterwards, including the rows the
    migrations seed (interests, formats, bank holidays). Put them back when they are missing."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db" if marker and marker.kwargs.get("transaction") else "db")
    from core.models import BankHoliday
    from people.models import Interest

    if not Interest.objects.exists():
        import importlib

        from django.apps import apps

        importlib.import_module("people.migrations.0002_seed_interests_and_formats").seed(apps, None)
    if not BankHoliday.objects.exists():
        import importlib

        from django.apps import apps

        importlib.import_module("core.migrations.0002_seed_bank_holidays").seed(apps, None)


@pytest.fixture
def org(db):
    from people.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Riverside Homes", slug="riverside")


@pytest.fixture
def other_org(db):
    from people.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Northgate Housing", slug="northgate")


@pytest.fixture
def partnership(org, other_org):
    partnership = Partnership.objects.create(name="Riverbank Partnership")
    Organisation.objects.filter(pk__in=[org.pk, other_org.pk]).update(partnership=partnership)
    org.refresh_from_db()
    other_org.refresh_from_db()
    return partnership


@pytest.fixture
def make_user(db, org):
    from people.tests.factories import UserFactory

    def make(role: str = Role.INVOLVEMENT_OFFICER, organisation=None, **kwargs):
        return UserFactory(role=role, organisation=organisation or org, **kwargs)

    return make


@pytest.fixture
def officer(make_user):
    return make_user(Role.INVOLVEMENT_OFFICER, username="officer")


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMINISTRATOR, username="administrator")


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, username="manager")


def pytest_report_header(config):
    return f"database: {os.environ.get('DATABASE_URL', 'sqlite (default file)')}"


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def chromium():
    """A real headless Chromium. In CI a missing browser fails the run; elsewhere it skips."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: the browser suite must run)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    # A CSP violation or script error shows up here; the journeys assert there are none.
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def axe_check():
    """Run axe-core on the page for WCAG 2.2 A and AA and fail with a readable report."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, name: str) -> None:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, f"{name}: " + results.generate_report()

    return check


# Email through a real SMTP server (aiosmtpd) on a local port ------------------------------------


class SmtpInbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smtp_mailers(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


@pytest.fixture
def smtp(settings):
    """A real SMTP server the app sends to; `smtp.messages` holds what arrived."""
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = smtp_mailers(port)
    yield inbox
    controller.stop()
