"""The container set-up (compose.yaml, Dockerfile, .dockerignore) agrees with the settings.

No Docker is needed: the files are parsed, and compose's ``${NAME:-default}`` interpolation is
resolved here the way ``docker compose`` resolves it, so the URLs are checked as the containers
will see them. The variables the settings read are found by scanning their source, so renaming a
setting without updating compose.yaml fails here.
"""

from __future__ import annotations

import json
import re
import shlex
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import pytest
import yaml

from hub.settings.base import env_bool, env_list

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "compose.yaml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
SETTINGS_SOURCES = [
    *sorted((ROOT / "hub" / "settings").glob("*.py")),
    ROOT / "search" / "app_settings.py",
]

SERVICES = ("web", "postgres", "redis", "elasticsearch")
BACKING_SERVICES = ("postgres", "redis", "elasticsearch")
# Production cannot work without these, whatever defaults base.py has.
PRODUCTION_VARIABLES = {
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "ELASTICSEARCH_URL",
    "ALLOWED_HOSTS",
}
# Read by Django itself (manage.py, hub/asgi.py), not by the settings modules.
DJANGO_VARIABLES = {"DJANGO_SETTINGS_MODULE"}

_NAME = r"([A-Za-z_][A-Za-z0-9_]*)"
ENVIRONMENT_READ = re.compile(
    rf"""(?:os\.environ\.get|os\.getenv|env_bool|env_list)\(\s*["']{_NAME}["']"""
    rf"""|os\.environ\[\s*["']{_NAME}["']\s*\]"""
)
ENVIRONMENT_REQUIRED = re.compile(rf"""os\.environ\[\s*["']{_NAME}["']\s*\]""")
INTERPOLATION = re.compile(r"\$\$|\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


class MissingVariableError(LookupError):
    """compose refuses to start: a ``${NAME:?message}`` variable is unset or empty."""


def interpolate(value: object, environ: dict[str, str]) -> str:
    """What ``docker compose`` makes of ``value`` in a shell whose environment is ``environ``."""

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        current = environ.get(name)
        unset = current is None or (op is not None and op.startswith(":") and current == "")
        if op is not None and op.endswith("?") and unset:
            raise MissingVariableError(f"{name}: {arg}")
        if op is not None and op.endswith("-") and unset:
            return arg
        return current or ""

    return INTERPOLATION.sub(replace, str(value))


@cache
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def service(name: str) -> dict:
    return compose()["services"][name]


def environment(name: str) -> dict[str, str]:
    """A service's environment as a mapping, whether written as a mapping or a list."""
    raw = service(name).get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) if "=" in item else (item, "") for item in raw)
    return {str(key): "" if value is None else str(value) for key, value in raw.items()}


def resolved(name: str, variable: str, environ: dict[str, str] | None = None) -> str:
    return interpolate(environment(name)[variable], environ or {})


def command(name: str) -> list[str]:
    raw = service(name).get("command")
    return shlex.split(raw) if isinstance(raw, str) else [str(part) for part in raw or []]


def healthcheck_text(name: str) -> str:
    test = service(name)["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else str(test)


def depends_on(name: str) -> dict[str, str]:
    raw = service(name).get("depends_on") or {}
    if isinstance(raw, list):
        return dict.fromkeys(raw, "service_started")
    return {key: (value or {}).get("condition", "service_started") for key, value in raw.items()}


@cache
def settings_reads() -> frozenset[str]:
    """Every environment variable named in the settings' source."""
    found: set[str] = set()
    for path in SETTINGS_SOURCES:
        for match in ENVIRONMENT_READ.finditer(path.read_text()):
            found.add(match.group(1) or match.group(2))
    return frozenset(found)


def production_requires() -> set[str]:
    """PRODUCTION_VARIABLES, plus whatever prod.py reads with ``os.environ[...]`` (no default)."""
    strict = ENVIRONMENT_REQUIRED.findall((ROOT / "hub" / "settings" / "prod.py").read_text())
    return PRODUCTION_VARIABLES | set(strict)


@cache
def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    logical: list[str] = []
    pending = ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        logical.append(pending + stripped)
        pending = ""
    if pending:
        logical.append(pending)
    instructions = []
    for line in logical:
        keyword, _, arguments = line.partition(" ")
        instructions.append((keyword.upper(), " ".join(arguments.split())))
    return instructions


def instructions(keyword: str) -> list[str]:
    return [arguments for name, arguments in dockerfile_instructions() if name == keyword]


# compose.yaml: services and health -------------------------------------------------------------


def test_compose_defines_web_postgres_redis_and_elasticsearch_services():
    assert set(SERVICES) <= set(compose()["services"])


@pytest.mark.parametrize(
    ("name", "probe"),
    [
        ("web", "http://127.0.0.1:8000/healthz"),
        ("postgres", "pg_isready"),
        ("redis", "redis-cli ping"),
        ("elasticsearch", "/_cluster/health"),
    ],
)
def test_every_service_has_a_healthcheck_probing_the_service_itself(name, probe):
    healthcheck = service(name).get("healthcheck")
    assert healthcheck, f"{name} has no healthcheck"
    assert not healthcheck.get("disable", False)
    assert probe in healthcheck_text(name)


def test_postgres_healthcheck_asks_for_the_database_and_user_web_connects_as():
    database = dj_database_url.parse(resolved("web", "DATABASE_URL"))
    probe = service("postgres")["healthcheck"]["test"]
    assert probe[probe.index("-U") + 1] == database["USER"]
    assert probe[probe.index("-d") + 1] == database["NAME"]


def test_web_waits_for_healthy_backing_services_and_completed_migrations():
    conditions = depends_on("web")
    for name in BACKING_SERVICES:
        assert conditions.get(name) == "service_healthy", name
    assert conditions.get("migrate") == "service_completed_successfully"


def test_migrate_step_applies_migrations_to_the_database_web_uses_once_postgres_is_healthy():
    assert command("migrate")[:3] == ["python", "manage.py", "migrate"]
    assert depends_on("migrate").get("postgres") == "service_healthy"
    assert environment("migrate") == environment("web")


def test_postgres_and_elasticsearch_keep_their_data_in_named_volumes():
    named = set(compose().get("volumes") or {})
    for name, data_dir in [
        ("postgres", "/var/lib/postgresql/data"),
        ("elasticsearch", "/usr/share/elasticsearch/data"),
    ]:
        mounts = [str(volume).split(":") for volume in service(name).get("volumes", [])]
        sources = {source for source, target, *_ in mounts if target == data_dir}
        assert sources and sources <= named, f"{name} keeps {data_dir} outside a named volume"


def test_elasticsearch_runs_as_a_single_node_without_security_and_a_modest_heap():
    assert service("elasticsearch")["image"].startswith(
        "docker.elastic.co/elasticsearch/elasticsearch:8."
    )
    settings = environment("elasticsearch")
    assert settings["discovery.type"] == "single-node"
    assert settings["xpack.security.enabled"] == "false"
    assert settings["ES_JAVA_OPTS"].split() == ["-Xms512m", "-Xmx512m"]


@pytest.mark.parametrize(("name", "image"), [("postgres", "postgres:15"), ("redis", "redis:7")])
def test_backing_service_uses_the_agreed_major_version(name, image):
    assert service(name)["image"] == image


# compose.yaml: web's environment against the settings -------------------------------------------


def test_settings_still_read_every_variable_production_requires():
    """Fails when a setting is renamed in hub/settings or search/app_settings.py."""
    assert production_requires() <= settings_reads()


def test_web_environment_sets_every_variable_production_requires():
    missing = production_requires() - set(environment("web"))
    assert not missing, f"web does not set {sorted(missing)}"


def test_web_environment_sets_only_variables_the_settings_read():
    unread = set(environment("web")) - settings_reads() - DJANGO_VARIABLES
    assert not unread, f"no setting reads {sorted(unread)}"


def test_web_runs_the_production_settings_module():
    assert environment("web")["DJANGO_SETTINGS_MODULE"] == "hub.settings.prod"
    assert (ROOT / "hub" / "settings" / "prod.py").is_file()


def test_compose_refuses_to_start_without_a_secret_key_and_ships_no_default():
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", environment("web")["SECRET_KEY"])
    with pytest.raises(MissingVariableError):
        resolved("web", "SECRET_KEY", {})
    with pytest.raises(MissingVariableError):
        resolved("web", "SECRET_KEY", {"SECRET_KEY": ""})
    assert resolved("web", "SECRET_KEY", {"SECRET_KEY": "from-the-shell"}) == "from-the-shell"


@pytest.mark.parametrize("environ", [{}, {"POSTGRES_PASSWORD": "s3cret-from-the-shell"}])
def test_database_url_reaches_the_postgres_service_with_its_credentials(environ):
    postgres = {key: interpolate(value, environ) for key, value in environment("postgres").items()}
    database = dj_database_url.parse(resolved("web", "DATABASE_URL", environ))
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "postgres"
    assert database["PORT"] in (5432, "", None)
    assert database["USER"] == postgres["POSTGRES_USER"]
    assert database["PASSWORD"] == postgres["POSTGRES_PASSWORD"]
    assert database["NAME"] == postgres["POSTGRES_DB"]


@pytest.mark.parametrize(
    ("variable", "schemes", "host", "port"),
    [
        ("REDIS_URL", {"redis"}, "redis", 6379),
        ("ELASTICSEARCH_URL", {"http"}, "elasticsearch", 9200),
    ],
)
def test_service_url_points_at_its_compose_service(variable, schemes, host, port):
    url = urlsplit(resolved("web", variable))
    assert url.scheme in schemes
    assert url.hostname == host
    assert (url.port or port) == port
    assert host in compose()["services"]


def test_web_healthcheck_host_is_in_the_default_allowed_hosts(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", resolved("web", "ALLOWED_HOSTS"))
    assert "127.0.0.1" in env_list("ALLOWED_HOSTS")


def test_local_run_does_not_redirect_to_https_by_default(monkeypatch):
    monkeypatch.setenv("SECURE_SSL_REDIRECT", resolved("web", "SECURE_SSL_REDIRECT"))
    assert env_bool("SECURE_SSL_REDIRECT", True) is False


def test_csrf_trusted_origins_default_to_the_published_local_address(monkeypatch):
    monkeypatch.setenv("CSRF_TRUSTED_ORIGINS", resolved("web", "CSRF_TRUSTED_ORIGINS"))
    assert "http://localhost:8000" in env_list("CSRF_TRUSTED_ORIGINS")


def test_web_serves_hub_asgi_application_with_uvicorn_on_port_8000():
    argv = command("web")
    assert argv[:2] == ["uvicorn", "hub.asgi:application"]
    assert argv[argv.index("--host") + 1] == "0.0.0.0"
    assert argv[argv.index("--port") + 1] == "8000"
    assert argv[argv.index("--ws") + 1] == "websockets-sansio"
    # Keepalive set deliberately, not left to the default.
    assert argv[argv.index("--ws-ping-interval") + 1] == "20"
    published = [str(port).rsplit(":", 1)[-1] for port in service("web").get("ports", [])]
    assert "8000" in published


# Dockerfile and .dockerignore ----------------------------------------------------------------


def test_dockerfile_builds_on_python_3_11_slim():
    assert instructions("FROM") == ["python:3.11-slim"]


def test_dockerfile_installs_the_pinned_requirements():
    assert "requirements.txt ." in instructions("COPY")
    assert any(
        "pip install" in run and re.search(r"-r\s+requirements\.txt\b", run)
        for run in instructions("RUN")
    )
    requirements = [
        line.split("#", 1)[0].strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
    ]
    unpinned = [line for line in requirements if line and "==" not in line]
    assert not unpinned


def test_dockerfile_runs_as_a_non_root_user():
    users = instructions("USER")
    assert users
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_collects_static_files_with_a_build_only_secret_key():
    collect = [run for run in instructions("RUN") if "collectstatic" in run]
    assert len(collect) == 1
    assert re.search(r"\bSECRET_KEY=\S+", collect[0])
    assert "--noinput" in collect[0]
    baked = [
        arguments
        for keyword in ("ENV", "ARG")
        for arguments in instructions(keyword)
        if "SECRET_KEY" in arguments
    ]
    assert not baked, "the build-time SECRET_KEY must not be stored in the image"
    assert any("DJANGO_SETTINGS_MODULE=hub.settings.prod" in env for env in instructions("ENV"))


def test_dockerfile_exposes_8000_and_starts_the_same_server_as_compose():
    assert "8000" in instructions("EXPOSE")
    (cmd,) = instructions("CMD")
    assert json.loads(cmd) == command("web")


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = {line.strip() for line in DOCKERIGNORE.read_text().splitlines()}
    assert {".venv", ".git", "db.sqlite3", "**/__pycache__"} <= ignored
