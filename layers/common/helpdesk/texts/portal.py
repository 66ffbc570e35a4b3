"""What the requester portal's API answers for the page to show."""

from __future__ import annotations

from datetime import datetime

from helpdesk.domain.hours import ZONE


def portal_locked(until: datetime) -> str:
    """Too many wrong passwords: until when (São Paulo time), and the way out."""
    local = until.astimezone(ZONE)
    return (
        f"Muitas tentativas com a senha errada. Tente de novo a partir das {local:%H:%M} de "
        f"{local:%d/%m/%Y} (horário de Brasília), ou peça uma nova senha no WhatsApp: "
        "“Recuperar acesso ao portal”."
    )


INVALID_LOGIN = "Usuário (ou e-mail) ou senha inválidos."
LAST_TRY = (
    "Usuário (ou e-mail) ou senha inválidos. Atenção: esta é a sua última tentativa; "
    "depois dela, o acesso fica bloqueado por 15 minutos."
)
