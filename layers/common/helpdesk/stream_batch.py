"""Powertools' batch processor, imported after `helpdesk.lazy_packages` so that it loads the four
event classes it reads and not their package's list of every event source. The project imports it
from here only (ruff's banned-api rule)."""

from __future__ import annotations

# isort: off
from helpdesk import lazy_packages  # noqa: F401 (first: enters the packages imported below)
# isort: on

from aws_lambda_powertools.utilities.batch import (  # noqa: TID251
    BatchProcessor,
    EventType,
    process_partial_response,
)

__all__ = ["BatchProcessor", "EventType", "process_partial_response"]
