"""A menu as data: the options a question offers, each with the number that answers it, its title,
the words that pick it and what it means to the step.

`helpdesk.texts` builds them (the pt-BR titles live there); a dialog step asks a `Question` (its
text and its menu) and its replies carry the menu (`Reply.menu`); understanding reads a step's
options from that menu (`dialog.understood`), never from a rendered text. Gateways render it:
numbered lines, "N - title" (`numbered`: Evolution, the simulator, and the Cloud API past Meta's
limits), or buttons and lists to tap (the Cloud API), a tap sending the option's number exactly as
typing it would. A step's handler acts on the option's `key`, so rewording or reordering titles
never changes what an answer does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace


class Option(Struct, frozen=True):
    number: str  # what answers it, typed or tapped: "1", "0", a ticket's number (or its token)
    title: str
    key: str = ""  # what the step does with it, whatever its number or title ("recover", a CNPJ)
    words: tuple[str, ...] = ()  # more words that pick it, besides its title's
    note: str = ""  # said after the title, in parentheses (a ticket's status)


class Menu(Struct, frozen=True):
    options: tuple[Option, ...]
    ask: str = ""  # how typed numbers are asked for, after the question ("Digite o número:")
    footer: str = ""  # lines after the options (the tickets list's paging and its hint)
    bold_numbers: bool = False  # "*12* - title": the tickets list and "Qual delas?" stand them out

    def option(self, number: str) -> Option | None:
        return next((option for option in self.options if option.number == number), None)

    def filled(self, fill: Callable[[str], str]) -> Menu:
        """The menu with the executor's tokens ({ticket_number}) replaced in numbers and titles."""
        options = tuple(replace(o, number=fill(o.number), title=fill(o.title)) for o in self.options)
        return replace(self, options=options, footer=fill(self.footer))

    def to_dict(self) -> dict[str, Any]:
        """What a gateway renders, and nothing else (keys and words only serve understanding): the
        outbox holding it is written every turn, and DynamoDB bills a write per kilobyte."""
        stored: dict[str, Any] = {
            "options": [[o.number, o.title, o.note] if o.note else [o.number, o.title] for o in self.options]
        }
        if self.ask:
            stored["ask"] = self.ask
        if self.footer:
            stored["footer"] = self.footer
        if self.bold_numbers:
            stored["bold_numbers"] = True
        return stored

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Menu:
        options = tuple(
            Option(number=str(o[0]), title=str(o[1]), note=str(o[2]) if len(o) > 2 else "")
            for o in raw.get("options") or []
        )
        return cls(
            options,
            ask=str(raw.get("ask") or ""),
            footer=str(raw.get("footer") or ""),
            bold_numbers=bool(raw.get("bold_numbers")),
        )


class Question(Struct, frozen=True):
    """What a step asks: its text, and the options to answer with when it is a menu."""

    text: str
    menu: Menu | None = field(default=None)


def line(option: Option, bold: bool = False) -> str:
    number = f"*{option.number}*" if bold else option.number
    note = f" (_{option.note}_)" if option.note else ""
    return f"{number} - {option.title}{note}"


def numbered(text: str, menu: Menu | None) -> str:
    """The question and its options as a gateway without menus shows them: the question, how to
    answer, one "N - title" line per option, then the footer."""
    if menu is None:
        return text
    asked = f"{text} {menu.ask}" if text and menu.ask else text or menu.ask
    lines = [line(option, menu.bold_numbers) for option in menu.options]
    return "\n".join(part for part in (asked, *lines, menu.footer) if part)
