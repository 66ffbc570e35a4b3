"""The managed list of ticket statuses: their names, in the order the console offers them, and
which one plays each role. Pure: storage keeps the list, logic checks what agents and the ERP send.

Roles:
- `closed`: a change to it asks the requester whether the problem is solved (closing the loop);
- `reopened`: what a requester's "Não, não foi resolvido" sets;
- `waiting`: the team waits for the requester ("Aguardando cliente");
- `acting`: the team must act; a requester's reply on a `waiting` ticket moves it here.
The opening status (`NEW_TICKET_STATUS`, set by the bot on every new ticket) is always listed.
Names are matched ignoring case and accents ("em ATENDIMENTO" is "Em atendimento"); a status may
also carry the names an ERP gives it (`erp_names`: "Em andamento" is "Em atendimento").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from msgspec import Struct, field

from helpdesk.domain.text import fold

NEW_TICKET_STATUS = "Aberto"  # what the bot sets on every new ticket (re-exported by domain.conversation)

ROLES = ("closed", "reopened", "waiting", "acting")
MAX_STATUSES = 30
NAME_MAX_CHARS = 40
WAITING_DEFAULT = "Aguardando cliente"
ACTING_DEFAULT = "Em atendimento"
SOLVED_DEFAULTS = ("Resolvido", "Fechado")
# How the console names each role (its "Status dos chamados" page): errors name the role so.
ROLE_NAMES = {
    "closed": "Encerrado",
    "reopened": "Reaberto",
    "waiting": "Aguardando o cliente",
    "acting": "A equipe precisa agir",
}


class InvalidStatuses(ValueError):
    """The list as given cannot be kept; `field` names what is wrong (`names[2]`, `roles.closed`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class Statuses(Struct, frozen=True):
    names: tuple[str, ...]
    roles: Mapping[str, str]  # role -> one of names
    erp_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # name -> the ERP's names

    def match(self, raw: str | None) -> str | None:
        """The managed name `raw` stands for (case and accents ignored), or None."""
        wanted = fold(raw)
        if not wanted:
            return None
        for name in self.names:
            if fold(name) == wanted or any(fold(alias) == wanted for alias in self.erp_names.get(name, ())):
                return name
        return None

    def is_role(self, role: str, status: str | None) -> bool:
        return bool(status) and fold(status) == fold(self.roles[role])

    @property
    def closed(self) -> str:
        return self.roles["closed"]

    @property
    def reopened(self) -> str:
        return self.roles["reopened"]

    @property
    def waiting(self) -> str:
        return self.roles["waiting"]

    @property
    def acting(self) -> str:
        return self.roles["acting"]

    def after_requester_reply(self, status: str | None) -> str | None:
        """The status a requester's reply moves a ticket to: the team must act again once the
        customer it waited for answers; None leaves the status as it is."""
        return self.acting if self.is_role("waiting", status) else None

    def as_dict(self) -> dict:
        erp_names = {name: list(self.erp_names.get(name, ())) for name in self.names}
        return {"names": list(self.names), "roles": dict(self.roles), "erp_names": erp_names}


def defaults(closed: str, reopened: str) -> Statuses:
    """The list before an admin saves one: the statuses the bot, the console and the ERP used so
    far, with the deployment's CLOSED_STATUS and REOPENED_STATUS."""
    names = [NEW_TICKET_STATUS, ACTING_DEFAULT, WAITING_DEFAULT, *SOLVED_DEFAULTS, closed, reopened]
    unique: list[str] = []
    for name in names:
        if all(fold(name) != fold(other) for other in unique):
            unique.append(name)
    roles = {"closed": closed, "reopened": reopened, "waiting": WAITING_DEFAULT, "acting": ACTING_DEFAULT}
    return Statuses(tuple(unique), roles, {ACTING_DEFAULT: ("Em andamento",)})


def checked(
    names: Iterable[object], roles: Mapping[str, object], erp_names: Mapping[str, object] | None = None
) -> Statuses:
    """A list an admin saves: names non-empty and distinct (case and accents ignored), the opening
    status among them, every role naming one of them, the ERP's names each standing for one status
    only. Raises InvalidStatuses."""
    if isinstance(names, (str, bytes)) or not isinstance(names, Iterable):
        raise InvalidStatuses("names", "Informe a lista de status.")
    kept: list[str] = []
    for index, raw in enumerate(names):
        name = " ".join(raw.split()) if isinstance(raw, str) else ""
        if not name or len(name) > NAME_MAX_CHARS:
            raise InvalidStatuses(f"names[{index}]", f"Cada status tem de 1 a {NAME_MAX_CHARS} caracteres.")
        if any(fold(name) == fold(other) for other in kept):
            raise InvalidStatuses(f"names[{index}]", f"O status “{name}” aparece duas vezes.")
        kept.append(name)
    if len(kept) > MAX_STATUSES:
        raise InvalidStatuses("names", f"No máximo {MAX_STATUSES} status.")
    listed = Statuses(tuple(kept), {})
    if listed.match(NEW_TICKET_STATUS) is None:
        raise InvalidStatuses(
            "names", f"O status “{NEW_TICKET_STATUS}” (de todo chamado novo) é obrigatório."
        )
    chosen = _roles(listed, roles)
    return Statuses(listed.names, chosen, _erp_names(listed, erp_names or {}))


def _roles(listed: Statuses, roles: Mapping[str, object]) -> dict[str, str]:
    """Each role on a listed status, and no set that cannot work: a ticket born closed (the
    closing question asked of every new ticket) or a reply that moves a waiting ticket to the
    status it already has (the team never sees it needs to act)."""
    chosen = {}
    for role in ROLES:
        wanted = roles.get(role)
        holder = listed.match(wanted if isinstance(wanted, str) else None)
        if holder is None:
            shown = f" (“{wanted}” não está nela)" if isinstance(wanted, str) and wanted.strip() else ""
            raise InvalidStatuses(
                f"roles.{role}", f"Função “{ROLE_NAMES[role]}”: escolha um status da lista{shown}."
            )
        chosen[role] = holder
    if fold(chosen["closed"]) == fold(NEW_TICKET_STATUS):
        raise InvalidStatuses(
            "roles.closed",
            f"Função “{ROLE_NAMES['closed']}”: não pode ser “{chosen['closed']}”, o status de todo "
            "chamado novo (cada chamado aberto já nasceria encerrado).",
        )
    if fold(chosen["acting"]) == fold(chosen["waiting"]):
        raise InvalidStatuses(
            "roles.acting",
            f"Função “{ROLE_NAMES['acting']}”: escolha um status diferente do de "
            f"“{ROLE_NAMES['waiting']}” (“{chosen['waiting']}”), senão a resposta do cliente não "
            "mostra à equipe que ela precisa agir.",
        )
    return chosen


def _erp_names(listed: Statuses, raw: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
    kept: dict[str, tuple[str, ...]] = {}
    taken = {fold(name) for name in listed.names}
    for key, aliases in raw.items():
        name = listed.match(key)
        field_name = f"erp_names.{key}"
        if name is None or not isinstance(aliases, list):
            raise InvalidStatuses(field_name, "Informe os nomes do ERP de um status da lista.")
        clean = []
        for alias in aliases:
            text = " ".join(alias.split()) if isinstance(alias, str) else ""
            if not text or len(text) > NAME_MAX_CHARS or fold(text) in taken:
                raise InvalidStatuses(field_name, f"O nome do ERP “{text}” já é outro status ou está vazio.")
            taken.add(fold(text))
            clean.append(text)
        kept[name] = tuple(clean)
    return kept
