import io

import pytest
from django.core.management import call_command, execute_from_command_line
from django.db import OperationalError, connections

from erp_mif.tooling.envcheck import find_problems

pytestmark = [
    # The database check really connects.
    pytest.mark.django_db,
    # The engine is overridden to look like production; the open test connection is left alone.
    pytest.mark.filterwarnings("ignore:Overriding setting DATABASES"),
]

SECRET_KEY = "Qx7!rV2m#Lp9sT4w&Ze8Nb1Kd6Hc3Yf5Gj0Ua-Wo_Ri+Ms=Pt@e"
JWT_SIGNING_KEY = "b8Fh2Kq9Zr4Vx7Lm1Tp6Wd3Nc5Gs0Jy-Ea_Ui+Ok=Rt!Hv#Qz%u"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def production(settings, monkeypatch):
    """A clean production configuration; each test breaks one thing in it."""
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "erp_mif.settings.production")
    settings.SECRET_KEY = SECRET_KEY
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "SIGNING_KEY": JWT_SIGNING_KEY}
    settings.DEBUG = False
    settings.DATABASES = {"default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.postgresql"}}
    settings.ALLOWED_HOSTS = ["erp.mif.ma"]
    settings.CORS_ALLOWED_ORIGINS = ["https://app.mif.ma"]
    settings.FRONTEND_URL = "https://app.mif.ma"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache"}}
    return settings


def single_problem():
    problems = find_problems()
    assert len(problems) == 1, problems
    return problems[0]


def test_clean_production_configuration_passes(production):
    assert find_problems() == []


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        ("SECRET_KEY", "", "SECRET_KEY is not set"),
        ("SECRET_KEY", "Qx7!rV2m#Lp9sT4w", "SECRET_KEY is too weak"),
        ("SECRET_KEY", "a" * 60, "SECRET_KEY is too weak"),
        ("SECRET_KEY", "insecure-local-only-secret-key-change-me-0123456789", "SECRET_KEY is a placeholder"),
        ("SECRET_KEY", "django-insecure-" + SECRET_KEY, "SECRET_KEY is a placeholder"),
        ("DEBUG", True, "DEBUG is on"),
        ("ALLOWED_HOSTS", [], "ALLOWED_HOSTS is empty"),
        ("ALLOWED_HOSTS", ["erp.mif.ma", "*"], "ALLOWED_HOSTS contains '*'"),
        ("CORS_ALLOWED_ORIGINS", [], "CORS_ALLOWED_ORIGINS is empty"),
        ("FRONTEND_URL", "http://app.mif.ma", "FRONTEND_URL 'http://app.mif.ma' is not https"),
    ],
)
def test_production_problem_is_reported(production, setting, value, expected):
    setattr(production, setting, value)

    assert single_problem().startswith(expected)


def test_missing_jwt_signing_key_is_reported(production):
    production.SIMPLE_JWT = {**production.SIMPLE_JWT, "SIGNING_KEY": ""}

    assert single_problem() == "JWT_SIGNING_KEY is not set"


def test_jwt_signing_key_equal_to_secret_key_is_reported(production):
    production.SIMPLE_JWT = {**production.SIMPLE_JWT, "SIGNING_KEY": SECRET_KEY}

    assert single_problem().startswith("JWT_SIGNING_KEY equals SECRET_KEY")


def test_jwt_falls_back_to_secret_key_when_it_has_none(production):
    production.SIMPLE_JWT = {key: value for key, value in production.SIMPLE_JWT.items() if key != "SIGNING_KEY"}

    assert single_problem().startswith("JWT_SIGNING_KEY equals SECRET_KEY")


def test_sqlite_is_reported_in_production(production):
    production.DATABASES = {"default": {**production.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}}

    assert single_problem().startswith("DATABASE_URL points at SQLite")


@pytest.mark.parametrize("backend", ["locmem.LocMemCache", "dummy.DummyCache"])
def test_a_per_process_cache_is_reported_in_production(production, backend):
    production.CACHES = {"default": {"BACKEND": f"django.core.cache.backends.{backend}"}}

    assert single_problem().startswith("CACHE_URL is a per-process cache")


def test_production_checks_are_skipped_outside_production(settings, monkeypatch):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "erp_mif.settings.local")
    settings.DEBUG = True
    settings.SECRET_KEY = "insecure-local-only-secret-key-change-me-0123456789"
    settings.ALLOWED_HOSTS = []
    settings.FRONTEND_URL = "http://localhost:5173"

    assert find_problems() == []


def test_unreachable_database_is_reported(production, monkeypatch):
    def refuse():
        raise OperationalError('connection to server at "db" failed: Connection refused\n\tIs the server running?')

    monkeypatch.setattr(connections["default"], "ensure_connection", refuse)

    assert single_problem() == 'database unreachable: connection to server at "db" failed: Connection refused'


def test_missing_media_root_is_created(production, tmp_path):
    production.MEDIA_ROOT = tmp_path / "media" / "nested"

    assert find_problems() == []
    assert (tmp_path / "media" / "nested").is_dir()


def test_media_root_that_cannot_be_written_is_reported(production, tmp_path):
    # Under a regular file, so that it cannot be created even by root.
    (tmp_path / "not-a-directory").write_text("")
    production.MEDIA_ROOT = tmp_path / "not-a-directory" / "media"

    assert single_problem().startswith(f"MEDIA_ROOT {tmp_path / 'not-a-directory' / 'media'} is not writable")


def test_media_root_is_not_checked_when_media_is_not_on_the_filesystem(production, tmp_path):
    (tmp_path / "not-a-directory").write_text("")
    production.MEDIA_ROOT = tmp_path / "not-a-directory" / "media"
    production.STORAGES = {
        **production.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }

    assert find_problems() == []


def test_smtp_without_host_is_reported(production):
    production.EMAIL_BACKEND = SMTP
    production.EMAIL_HOST = ""

    assert single_problem() == "EMAIL_BACKEND is SMTP but EMAIL_HOST is empty"


def test_smtp_user_without_password_is_reported(production):
    production.EMAIL_BACKEND = SMTP
    production.EMAIL_HOST = "smtp.mif.ma"
    production.EMAIL_HOST_USER = "erp@mif.ma"
    production.EMAIL_HOST_PASSWORD = ""

    assert single_problem() == "EMAIL_HOST_USER is set but EMAIL_HOST_PASSWORD is empty"


def test_complete_smtp_settings_pass(production):
    production.EMAIL_BACKEND = SMTP
    production.EMAIL_HOST = "smtp.mif.ma"
    production.EMAIL_HOST_USER = "erp@mif.ma"
    production.EMAIL_HOST_PASSWORD = "app-password"

    assert find_problems() == []


def test_command_says_environment_ok(production):
    out = io.StringIO()

    call_command("validate_env", stdout=out)

    assert out.getvalue().strip() == "environment OK"


def test_command_prints_each_problem_and_exits_non_zero(production, capsys):
    production.DEBUG = True
    production.CORS_ALLOWED_ORIGINS = []

    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "validate_env"])

    assert exit_info.value.code != 0
    err_lines = capsys.readouterr().err.splitlines()
    assert err_lines[0].startswith("DEBUG is on")
    assert err_lines[1].startswith("CORS_ALLOWED_ORIGINS is empty")
    assert "2 problem(s) in the environment" in err_lines[-1]
