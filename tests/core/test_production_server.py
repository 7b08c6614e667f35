"""The runbook's production server serves the application: gunicorn, production settings."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_gunicorn_serves_the_login_page_with_the_production_settings(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "nastavnik.settings.production",
        "SECRET_KEY": "p" * 30 + "-production-secret-for-the-server-test-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300
        )
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "nastavnik.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/accounts/login/",
            headers={"X-Forwarded-Proto": "https"},  # the TLS proxy's header
        )
        body, headers = "", {}
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    assert response.status == 200
                    body = response.read().decode()
                    headers = dict(response.headers)
                break
            except OSError:  # refused while starting, or a slow first answer on a busy machine
                assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
                time.sleep(0.3)
        assert "Войти" in body or "Вход" in body, body[:500]
        assert "Strict-Transport-Security" in headers
        # the stylesheet comes from whitenoise with a hashed name
        assert "/static/css/nastavnik." in body
    finally:
        server.terminate()
        server.wait(timeout=30)
