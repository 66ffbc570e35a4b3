"""Everything stored under one phone (PHONE#<phone>): the requester's profile, their company
links (the conversation item: `storage.conversations`).

A turn reads the partition once (`load_phone`), lets the dialog read a few more items through
`storage.dialog_context.TableDialogContext`, and adds its writes to one `TurnWrite`.
"""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct, field

from helpdesk.storage.logins import email_key
from helpdesk.storage.models import (
    CompanyLink,
    Conversation,
    Item,
    Notified,
    Requester,
    phone_pk,
)
from helpdesk.storage.transaction import TurnWrite

__all__ = ["CompanyLink", "Conversation", "Requester", "phone_pk"]  # the record types callers receive


class PhoneSnapshot(Struct):
    """Everything stored under one phone: read in a single query per turn."""

    phone: str
    requester: Requester | None = None
    links: list[CompanyLink] = field(default_factory=list)
    conversation: Conversation | None = None
    notified: Notified | None = None  # the last notifications (see storage.notified)


def load_phone(phone: str) -> PhoneSnapshot:
    snapshot = PhoneSnapshot(phone)
    for item in Item.query(phone_pk(phone)):
        if isinstance(item, Requester):
            snapshot.requester = item
        elif isinstance(item, CompanyLink):
            snapshot.links.append(item)
        elif isinstance(item, Conversation):
            snapshot.conversation = item
        elif isinstance(item, Notified):
            snapshot.notified = item
    return snapshot


# --- requesters and their companies -------------------------------------------------------------


def get_requester(phone: str) -> Requester | None:
    """Read consistently: a password just reset through the bot must count at once."""
    try:
        return Requester.get(phone_pk(phone), "PROFILE", consistent_read=True)
    except Requester.DoesNotExist:
        return None


def new_requester(
    *,
    phone: str,
    name: str,
    email: str,
    password_hash: str,
    instance: str | None,
    now: datetime,
    bsuid: str | None = None,
    whatsapp_username: str | None = None,
) -> Requester:
    """Portal user name = the identity (the phone digits, or the BSUID of a requester whose phone
    WhatsApp hides): unique by construction, and what the bot sends."""
    return Requester(
        bsuid=bsuid,
        whatsapp_username=whatsapp_username,
        pk=phone_pk(phone),
        sk="PROFILE",
        phone=phone,
        name=name,
        email=email,
        username=phone,
        password_hash=password_hash,
        created_at=now,
        instance=instance,
        gsi1pk="REQUESTERS",
        gsi1sk=phone,
        gsi2pk=email_key(email),
        gsi2sk=phone,
    )


def company_link(*, phone: str, cnpj: str, company_name: str, now: datetime) -> CompanyLink:
    return CompanyLink(
        pk=phone_pk(phone),
        sk=f"COMPANY#{cnpj}",
        phone=phone,
        cnpj=cnpj,
        company_name=company_name,
        linked_at=now,
        gsi1pk=f"COMPANY#{cnpj}#REQUESTERS",
        gsi1sk=phone,
    )


def register(write: TurnWrite, requester: Requester) -> None:
    """A new requester; a concurrent registration of the same phone cancels the turn."""
    write.save(requester, condition=Requester.pk.does_not_exist())


def link(write: TurnWrite, company_link: CompanyLink) -> None:
    write.save(company_link)


def _new_credentials(password_hash: str) -> list:
    # A new version ends every portal session signed with the old one.
    return [Requester.password_hash.set(password_hash), Requester.credentials_version.add(1)]


def reset_credentials(write: TurnWrite, requester: Requester, password_hash: str) -> None:
    email_index = [Requester.gsi2pk.set(email_key(requester.email)), Requester.gsi2sk.set(requester.phone)]
    write.update(requester, [*_new_credentials(password_hash), *email_index])


def reissue_credentials(phone: str, password_hash: str) -> None:
    """Outside a turn (an outbox re-sent after a crash): the requester must exist."""
    Requester(pk=phone_pk(phone), sk="PROFILE").update(
        actions=_new_credentials(password_hash), condition=Requester.pk.exists()
    )


def company_links(cnpj: str) -> list[CompanyLink]:
    """Every requester's link to the company."""
    return list(CompanyLink.by_gsi1.query(f"COMPANY#{cnpj}#REQUESTERS"))


def set_company_active(cnpj: str, active: bool) -> None:
    """Marks the company's links, so each requester's turn knows without reading the company."""
    for link in company_links(cnpj):
        link.update(actions=[CompanyLink.company_active.set(active)])


def delete_company_links(cnpj: str) -> int:
    """Unlinks every requester from a company being deleted; how many were linked."""
    links = company_links(cnpj)
    with CompanyLink.batch_write() as batch:
        for link in links:
            batch.delete(link)
    return len(links)
