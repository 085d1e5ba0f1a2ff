"""A small OpenID Connect provider for the tests, on 127.0.0.1, signing with joserfc (Authlib's JOSE library).

It plays the organisation's identity provider (Keycloak, ProConnect…) for Streamlit's ``st.login``:
discovery document, authorization endpoint (signs in the configured person at once, as a provider
with an open session would), token endpoint (checks the client secret and the code, returns an
RS256-signed ID token carrying the nonce), JWKS and userinfo. Nothing else: no consent screen, one
person per provider.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID, CLIENT_SECRET = "reindus", "secret-du-client-de-test"


@dataclass
class OidcProvider:
    """``with OidcProvider(email=…) as provider:`` serves on ``provider.issuer`` until the block ends."""

    email: str
    name: str = "Personne de test"
    codes: dict[str, dict] = field(default_factory=dict)
    authorizations: list[dict] = field(default_factory=list)  # what each /authorize request asked, for the tests

    def __post_init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "cle-de-test"})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> OidcProvider:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def claims(self) -> dict:
        return {"sub": "personne-1", "email": self.email, "email_verified": True, "name": self.name}

    def id_token(self, nonce: str | None) -> str:
        now = int(time.time())
        payload = {**self.claims(), "iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300}
        if nonce:
            payload["nonce"] = nonce
        return jwt.encode({"alg": "RS256", "kid": "cle-de-test"}, payload, self.key)


def _handler(provider: OidcProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            documents = {
                "/.well-known/openid-configuration": provider.discovery,
                "/jwks": lambda: {"keys": [provider.key.as_dict(private=False)]},
                "/userinfo": provider.claims,
            }
            if url.path in documents:
                self._json(documents[url.path]())
            elif url.path == "/authorize":
                self._authorize(query)
            else:
                self._json({"error": "not_found"}, status=404)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            basic = self.headers.get("Authorization", "").removeprefix("Basic ")
            from_header = base64.b64decode(basic).decode() if basic else ""
            client_ok = form.get("client_secret") == CLIENT_SECRET or from_header == f"{CLIENT_ID}:{CLIENT_SECRET}"
            request = provider.codes.pop(form.get("code", ""), None)
            if urlparse(self.path).path != "/token" or request is None or not client_ok:
                self._json({"error": "invalid_grant"}, status=400)
                return
            self._json(
                {
                    "access_token": secrets.token_urlsafe(16),
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": provider.id_token(request.get("nonce")),
                }
            )

        def _authorize(self, query: dict) -> None:
            provider.authorizations.append(query)
            if query.get("client_id") != CLIENT_ID:
                self._json({"error": "unauthorized_client"}, status=400)
                return
            code = secrets.token_urlsafe(16)
            provider.codes[code] = query
            self.send_response(302)
            self.send_header(
                "Location", query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})
            )
            self.end_headers()

        def _json(self, body: dict, *, status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

    return Handler
