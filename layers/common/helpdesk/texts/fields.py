"""How the console's and the portal's pages name the API's fields: an error message names a field
by its label on the page ("Nome", "CNPJ"), never by its name in the JSON ("name", "cnpj")."""

from __future__ import annotations

FIELD_LABELS = {
    "name": "Nome",
    "cnpj": "CNPJ",
    "company": "CNPJ",
    "email": "E-mail",
    "agent_type": "Agente",
    "api_key": "Chave da API",
    "kind": "Tipo",
    "whatsapp": "WhatsApp",
    "active": "Ativo",
    "enabled": "Ativo",
    "text": "Resposta",
    "status": "Status",
    "visible_to_requester": "Nota interna",
    "attachments": "Anexos",
    "filename": "Nome do arquivo",
    "mimetype": "Tipo do arquivo",
    "size": "Tamanho do arquivo",
    "upload_id": "Envio do arquivo",
    "phone": "Telefone",
    "confirm": "Confirmação do telefone",
    "instance": "Instância",
    "from": "De",
    "to": "Até",
    "days": "Período",
    "limit": "Quantidade",
    "q": "Buscar",
    "title": "Assunto",
    "description": "Descrição",
    "request_type": "Tipo de solicitação",
    "username": "Usuário",
    "password": "Senha",
    "action_id": "Identificador da resposta",
    "author_name": "Autor",
    "synonyms": "Sinônimos",
    "keywords": "Palavras-chave",
    "cnpjs": "Empresas",
    "published": "Publicado",
}


def field_label(name: str) -> str:
    """The page's label of an API field (a field with no label is named as it is)."""
    return FIELD_LABELS.get(name, name)
