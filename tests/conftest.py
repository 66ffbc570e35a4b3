# Fixtures shared by modules of the integration and fault suites (erp_app, notifier, portal_world).
from tests.support import service_models

pytest_plugins = ["tests.integration.erp_fixtures", "tests.integration.portal_fixtures"]

service_models.share()  # each AWS service model read once per test process, not once per client
