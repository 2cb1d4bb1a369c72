"""Real identity providers on 127.0.0.1 for the sign-in tests, each in its own process on a
port chosen at run time: OpenID Connect providers built with django-oauth-toolkit
(tests/identity_providers/oidc_provider/serve.py) and a SAML IdP built with pysaml2
(tests/identity_providers/saml_provider/serve.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

from ..realtime.harness import free_port, wait_for_port

PROVIDERS = Path(__file__).resolve().parents[1] / "identity_providers"


class ProviderProcess:
    script: Path

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.workdir = tempfile.TemporaryDirectory(prefix="hub-idp-")
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "IDP_PORT": str(self.port),
            "IDP_DB": str(Path(self.workdir.name) / "idp.sqlite3"),
            "IDP_WORKDIR": self.workdir.name,
            **env,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> ProviderProcess:
        self.process = subprocess.Popen(
            [sys.executable, self.script.name],
            cwd=self.script.parent,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for_port(self.port, timeout=60)
        except RuntimeError:
            self.process.kill()
            raise RuntimeError(self.process.stderr.read().decode()[-3000:]) from None
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.workdir.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class OIDCProvider(ProviderProcess):
    script = PROVIDERS / "oidc_provider" / "serve.py"

    def __init__(self, *, client_id: str, client_secret: str, redirect_uri: str) -> None:
        super().__init__(
            {
                "IDP_CLIENT_ID": client_id,
                "IDP_CLIENT_SECRET": client_secret,
                "IDP_REDIRECT_URIS": redirect_uri,
            }
        )
        self.client_id = client_id
        self.client_secret = client_secret

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def set_claims(self, **claims: object) -> None:
        response = requests.post(f"{self.url}/control/claims", json=claims, timeout=10)
        response.raise_for_status()

    def last_authorize(self) -> dict[str, str]:
        return requests.get(f"{self.url}/control/last-authorize", timeout=10).json()


class SAMLProvider(ProviderProcess):
    script = PROVIDERS / "saml_provider" / "serve.py"

    def __init__(self) -> None:
        super().__init__({})

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/metadata"

    def control(self, **state: object) -> None:
        response = requests.post(f"{self.url}/control", json=state, timeout=10)
        response.raise_for_status()
