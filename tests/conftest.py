# Fixtures shared by modules of the integration and fault suites (erp_app, notifier, portal_world).
pytest_plugins = ["tests.integration.erp_fixtures", "tests.integration.portal_fixtures"]
