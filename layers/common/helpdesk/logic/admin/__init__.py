"""What the admin console does, by subject: WhatsApp numbers (`instances`), their counters
(`stats`), the `dashboard`, `companies`, `request_types`, ticket `statuses`, `tickets` and the
desk (`agent_tickets`), `service_quality` and `knowledge`. No HTTP here: the admin routes parse
requests, call these with the request's `Services` and shape responses; failures are `errors`'
`AdminError` subclasses.

Nothing is re-exported: an importer names the module it uses, so the admin function loads a
subject's logic with the first request for it, not every subject's at init.
"""
