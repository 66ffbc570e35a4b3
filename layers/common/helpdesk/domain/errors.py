"""What logic refuses: a pt-BR message for the person who asked, naming the field at fault.

The API turns these into its answers (helpdesk.api.errors.answered_as reads `message` and
`field`); logic and the directory modules stay free of HTTP.
"""

from __future__ import annotations


class FieldError(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(FieldError):
    """No such thing, or not the asker's own (deliberately the same answer: nothing to probe).
    The console's and the portal's logic raise this one class; each API answers it with a 404."""
