"""The local stack's copy of API Gateway's JWT authorizer: only a Cognito ID token of this pool and
this app client, signed by the pool's key and not expired, gets through (else the API says 401)."""

from __future__ import annotations

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from local.jwt_authorizer import JwtAuthorizer

NOW = 1_800_000_000
POOL = "us-east-1_Local"
ISSUER = f"https://cognito-idp.us-east-1.amazonaws.com/{POOL}"
CLIENT = "console-client"


@pytest.fixture(scope="module")
def pool_key():
    return RSAKey.generate_key(2048, parameters={"kid": "pool-key"})


@pytest.fixture(scope="module")
def foreign_key():
    return RSAKey.generate_key(2048, parameters={"kid": "pool-key"})


@pytest.fixture
def authorizer(pool_key):
    jwks = KeySet([pool_key]).as_dict(private=False)
    return JwtAuthorizer(ISSUER, [CLIENT], lambda: jwks, clock=lambda: NOW)


def id_claims(**changes):
    claims = {
        "iss": ISSUER,
        "aud": CLIENT,
        "token_use": "id",
        "sub": "3f1c",
        "email": "ana@empresa.com.br",
        "iat": NOW - 60,
        "auth_time": NOW - 60,
        "exp": NOW + 3600,
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


def sign(key, claims, alg="RS256"):
    return jwt.encode({"alg": alg, "kid": key.kid}, claims, key)


def test_a_fresh_id_token_of_the_pool_and_client_passes_with_its_claims(authorizer, pool_key):
    claims = authorizer.claims(f"Bearer {sign(pool_key, id_claims())}")
    assert claims is not None and claims["email"] == "ana@empresa.com.br"
    # API Gateway also takes the bare token, without the scheme.
    assert authorizer.claims(sign(pool_key, id_claims())) is not None


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"exp": NOW}, id="expired"),
        pytest.param({"exp": NOW - 1}, id="expired-before"),
        pytest.param(
            {"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"}, id="wrong-issuer"
        ),
        pytest.param({"aud": "another-client"}, id="wrong-client"),
        pytest.param({"aud": None}, id="no-audience"),
        pytest.param({"nbf": NOW + 60}, id="not-yet-valid"),
        pytest.param({"iat": NOW + 60}, id="issued-in-the-future"),
        pytest.param({"exp": None}, id="no-expiry"),
    ],
)
def test_a_token_whose_claims_api_gateway_refuses_is_refused(authorizer, pool_key, changes):
    assert authorizer.claims(f"Bearer {sign(pool_key, id_claims(**changes))}") is None


def test_an_access_token_is_refused_the_console_sends_the_id_token(authorizer, pool_key):
    access = id_claims(aud=None, token_use="access", client_id=CLIENT, scope="aws.cognito.signin.user.admin")
    assert authorizer.claims(f"Bearer {sign(pool_key, access)}") is None
    # ... and an ID token that says it is one, but with the audience in client_id only, too.
    assert authorizer.claims(sign(pool_key, id_claims(aud=None, client_id=CLIENT))) is None


def test_a_tampered_payload_breaks_the_signature(authorizer, pool_key):
    header, _, signature = sign(pool_key, id_claims()).split(".")
    forged_payload = sign(pool_key, id_claims(email="root@empresa.com.br")).split(".")[1]
    assert authorizer.claims(f"Bearer {header}.{forged_payload}.{signature}") is None


def test_a_token_signed_by_another_key_with_the_same_kid_is_refused(authorizer, foreign_key):
    assert authorizer.claims(f"Bearer {sign(foreign_key, id_claims())}") is None


def test_an_unsigned_or_symmetric_token_is_refused(authorizer):
    from joserfc.jwk import OctKey

    secret = OctKey.import_key("a-shared-secret-of-enough-length-123456")
    assert authorizer.claims(jwt.encode({"alg": "HS256"}, id_claims(), secret)) is None
    assert authorizer.claims("Bearer e30.e30.") is None


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer not-a-jwt", "Basic dXNlcjpwYXNz"])
def test_a_missing_or_malformed_header_is_refused(authorizer, header):
    assert authorizer.claims(header) is None


def test_a_rotated_key_is_fetched_again_but_not_on_every_bad_token(pool_key):
    new_key = RSAKey.generate_key(2048, parameters={"kid": "new-key"})
    served = [KeySet([pool_key]).as_dict(private=False)]
    fetches = []
    clock = [NOW]

    def jwks():
        fetches.append(clock[0])
        return served[0]

    authorizer = JwtAuthorizer(ISSUER, [CLIENT], jwks, clock=lambda: clock[0])
    assert authorizer.claims(sign(pool_key, id_claims())) is not None
    served[0] = KeySet([pool_key, new_key]).as_dict(private=False)
    assert authorizer.claims(sign(new_key, id_claims())) is None  # keys fetched less than a minute ago
    clock[0] += 61
    assert authorizer.claims(sign(new_key, id_claims(exp=NOW + 3600))) is not None
    assert len(fetches) == 2
