"""What the console needs from template.yaml: a user pool client that allows the browser's
sign-in flows and revocation, the pool handed to the admin function with just the Cognito rights
it uses, and the ConsoleUrl output."""

from __future__ import annotations

from local import cfn
from local.stack import LocalResources, function_environment

TEMPLATE = cfn.load_template()
RESOURCES = TEMPLATE["Resources"]


def test_the_client_allows_password_sign_in_refresh_and_revocation_and_nothing_else():
    client = RESOURCES["AdminUserPoolClient"]["Properties"]
    assert sorted(client["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"]
    assert client["EnableTokenRevocation"] is True
    assert client["GenerateSecret"] is False  # a browser cannot keep a secret
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert client["TokenValidityUnits"]["IdToken"] == "minutes" and client["IdTokenValidity"] <= 60


def test_only_admins_create_admins_and_the_invitation_carries_the_temporary_password():
    config = RESOURCES["AdminUserPool"]["Properties"]["AdminCreateUserConfig"]
    assert config["AllowAdminCreateUserOnly"] is True
    message = config["InviteMessageTemplate"]["EmailMessage"]
    assert "{username}" in message and "{####}" in message


def test_the_admin_function_knows_the_pool_and_may_only_manage_its_users():
    admin = RESOURCES["AdminFunction"]["Properties"]
    env = admin["Environment"]["Variables"]
    assert env["ADMIN_USER_POOL_ID"] == {"Ref": "AdminUserPool"}
    assert env["ADMIN_USER_POOL_CLIENT_ID"] == {"Ref": "AdminUserPoolClient"}
    statements = [
        s for p in admin["Policies"] if isinstance(p, dict) and "Statement" in p for s in p["Statement"]
    ]
    cognito = [s for s in statements if any(a.startswith("cognito-idp:") for a in s["Action"])]
    assert len(cognito) == 1 and cognito[0]["Resource"] == {"Fn::GetAtt": ["AdminUserPool", "Arn"]}
    assert sorted(cognito[0]["Action"]) == [
        "cognito-idp:AdminCreateUser",
        "cognito-idp:AdminDeleteUserAttributes",  # an admin's display name, cleared
        "cognito-idp:AdminDisableUser",
        "cognito-idp:AdminEnableUser",
        "cognito-idp:AdminGetUser",
        "cognito-idp:AdminUpdateUserAttributes",  # and set
        "cognito-idp:ListUsers",
    ]
    # Locally the same variables point at moto's pool and client.
    made = LocalResources(
        user_pools={"AdminUserPool": "pool-1"}, user_pool_clients={"AdminUserPoolClient": "c-1"}
    )
    local = function_environment(TEMPLATE, made)
    assert local["ADMIN_USER_POOL_ID"] == "pool-1" and local["ADMIN_USER_POOL_CLIENT_ID"] == "c-1"


def test_the_console_url_is_an_output_and_its_files_need_no_token_while_the_api_does():
    assert TEMPLATE["Outputs"]["ConsoleUrl"]["Value"]["Fn::Sub"].endswith("/console")
    routes = {route.route_key: route.authorized for spec in cfn.functions(TEMPLATE) for route in spec.routes}
    assert routes["GET /console"] is False and routes["GET /console/{proxy+}"] is False
    assert routes["ANY /admin/{proxy+}"] is True
    assert "ErpSecretArn" in TEMPLATE["Outputs"]  # make smoke reads the ERP secret through it
