"""What a newcomer deploys: the Dockerfile's health check, the systemd unit, compose, README."""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _healthcheck() -> list[str]:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    (line,) = [x for x in dockerfile.splitlines() if x.startswith("HEALTHCHECK")]
    command: list[str] = json.loads(line.split(" CMD ", 1)[1])
    return command


def _run_healthcheck(port: int) -> int:
    python, *rest = _healthcheck()
    assert python == "python"
    env = {**os.environ, "KNALLE_PORT": str(port)}
    return subprocess.run([sys.executable, *rest], env=env, capture_output=True).returncode


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_the_docker_healthcheck_asks_the_port_knalle_listens_on() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        assert _run_healthcheck(port) == 0  # KNALLE_PORT is not 3000 here
    finally:
        server.shutdown()
        server.server_close()
    assert _run_healthcheck(port) != 0  # nothing listens any more: unhealthy


def test_the_systemd_unit_gives_matplotlib_a_cache_and_points_at_a_real_section() -> None:
    unit = (ROOT / "deploy/knalle.service").read_text(encoding="utf-8")
    assert "ProtectSystem=strict" in unit
    (cache,) = re.findall(r"^Environment=MPLCONFIGDIR=(\S+)$", unit, re.M)
    writable = re.findall(r"^(?:ReadWritePaths=(\S+)|CacheDirectory=(\S+))$", unit, re.M)
    roots = [path or f"/var/cache/{name}" for path, name in writable]
    assert any(cache.startswith(root + "/") for root in roots), (cache, roots)
    (section,) = re.findall(r'README, "([^"]+)"', unit)
    assert f"### {section}\n" in README or f"## {section}\n" in README


def test_the_readme_installs_the_env_file_for_the_service_user_alone() -> None:
    assert "cp .env.example /etc/knalle/knalle.env" not in README
    assert "install -m 600 -o knalle -g knalle .env.example /etc/knalle/knalle.env" in README


def test_compose_has_postgresql_a_one_shot_migration_two_replicas_and_a_backup() -> None:
    compose = yaml.safe_load((ROOT / "deploy/compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert services["db"]["image"] == "postgres:15"
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "pgdata" in compose["volumes"]
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    replicas = [name for name, s in services.items() if s.get("command") == ["serve"]]
    assert replicas == ["knalle-1", "knalle-2"]
    for name in replicas:
        service = services[name]
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "postgresql+psycopg://" in service["environment"]["KNALLE_DATABASE_URL"]
        assert "--http" not in service["command"]  # Socket Mode: SLACK_APP_TOKEN in knalle.env
        assert service["env_file"] == ["knalle.env"]
    backup = services["backup"]
    assert "pg_dump" in backup["command"] and "./backups:/backups" in backup["volumes"]
    assert "## Running on PostgreSQL with several instances" in README


def test_what_knalle_writes_beside_its_database_is_not_for_git() -> None:
    # `./run` in a checkout leaves these next to knalle.db; `git status` should stay clean.
    if not (ROOT / ".git").exists():
        import pytest

        pytest.skip("not a git checkout")
    names = [
        "knalle.db",
        "knalle.db-wal",
        "knalle.db.serve.lock",
        "knalle.db.migrate.lock",
        "knalle.db.fore-aterstallning-20261201-112912",
    ]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", *names],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert sorted(ignored) == sorted(names)
