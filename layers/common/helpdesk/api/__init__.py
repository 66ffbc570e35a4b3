"""HTTP conventions shared by the three API functions (admin, ERP, portal).

- `errors`: `AppError(status, code, message, field)` and its subclasses, rendered by one handler as
  `{"message", "code", "field", ...}`; each function's resolver maps its logic's exceptions to them.
- `resolver`: builds a function's Powertools resolver and Lambda handler the same way for all.
- `requests`: the body, fields, path and query parameters, read strictly.
- `responses`: JSON, 201/204 and static files with their security headers.
- `shapes`: the JSON of instances, companies, request types, tickets, actions and stats.
"""
