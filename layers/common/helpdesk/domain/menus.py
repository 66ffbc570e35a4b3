"""Numbered menus as options, for gateways that can show them as buttons or a list.

Every menu of the dialog ends with its options, one per line, "N - title" (helpdesk.texts). The
same text goes to every gateway; one that can render menus (the Cloud API) gets the question and the
options apart, and a tap answers the option's number, exactly what typing it would. So the dialog
stays one machine and typed numbers keep working everywhere.
"""

from __future__ import annotations

import re

from helpdesk import texts

_OPTION = re.compile(r"^(\d{1,2}) - (\S.*)$")

Options = tuple[tuple[str, str], ...]


def split_menu(text: str) -> tuple[str, Options]:
    """(question, options) when `text` ends with two or more "N - title" lines; else (text, ())."""
    lines = text.rstrip().split("\n")
    options: list[tuple[str, str]] = []
    while lines and (match := _OPTION.match(lines[-1].strip())):
        options.insert(0, (match[1], match[2].strip()))
        lines.pop()
    question = "\n".join(lines).rstrip()
    if len(options) < 2 or not question or len({number for number, _ in options}) != len(options):
        return text, ()
    if question.endswith(texts.TYPE_THE_NUMBER):
        question = question[: -len(texts.TYPE_THE_NUMBER)].rstrip()
    return question or text, tuple(options)
