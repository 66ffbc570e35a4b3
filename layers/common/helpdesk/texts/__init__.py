"""Every text the requester reads, in Brazilian Portuguese (WhatsApp style: short, *bold* allowed),
and (`fields`) how the console's and the portal's pages name the API's fields.

One module per flow; callers read every text from here (`from helpdesk import texts`, `texts.NAME`),
so a text can move between modules without touching them. Constants for fixed texts, small
functions where something is filled in. `{username}`, `{password}` and `{ticket_number}` stay
literal in the texts that carry them: the turn executor replaces them (see `Reply.fill`), because
only it knows those values. A name is defined in one module only (tests/unit/test_texts.py).
"""

from helpdesk.texts.closing_loop import *  # noqa: F403
from helpdesk.texts.fields import *  # noqa: F403
from helpdesk.texts.files import *  # noqa: F403
from helpdesk.texts.first_contact import *  # noqa: F403
from helpdesk.texts.intents import *  # noqa: F403
from helpdesk.texts.knowledge import *  # noqa: F403
from helpdesk.texts.navigation import *  # noqa: F403
from helpdesk.texts.notifications import *  # noqa: F403
from helpdesk.texts.portal import *  # noqa: F403
from helpdesk.texts.ticket_detail import *  # noqa: F403
from helpdesk.texts.tickets import *  # noqa: F403
