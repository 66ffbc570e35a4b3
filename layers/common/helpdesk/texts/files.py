"""Files and further texts while a ticket or a message is being written."""

from __future__ import annotations

FIM_WORD = "fim"  # ends the files of a ticket or a message (and opens a ticket offered articles)
SEND_THE_FILES = "Pode enviar. 📎 Quando terminar, digite *Fim*."


def received_file(kind: str, filename: str, seconds: int | None = None) -> str:
    """What was received: a voice note by its length as WhatsApp shows it ("seu áudio (0:07)"; the
    Cloud API reports none), any other file by its name."""
    if kind != "audio":
        return f"*{filename}*"
    if seconds is None or seconds < 0:
        return "seu áudio"
    return f"seu áudio ({seconds // 60}:{seconds % 60:02d})"


def file_received(received: str, count: int) -> str:
    """`received`: `received_file(...)`."""
    total = "1 arquivo" if count == 1 else f"{count} arquivos"
    return f"Recebi {received} ✅ ({total} até agora). Envie outro ou digite *Fim*."


def file_kept(received: str) -> str:
    return f"Recebi {received} ✅"


def media_too_large(max_mb: int) -> str:
    return f"Esse arquivo é grande demais: o limite é de *{max_mb} MB*. Envie um arquivo menor."


MEDIA_UNSUPPORTED = (
    "Não consigo aceitar esse tipo de arquivo. Envie imagens, vídeos, áudios ou documentos (como PDF)."
)
MEDIA_FAILED = "Não consegui receber esse arquivo. Pode enviar de novo?"


def too_many_files(max_files: int) -> str:
    return f"Já recebi {max_files} arquivos, o máximo por vez. Digite *Fim* para concluir."


TEXT_ADDED = "Anotado ✅ Pode escrever mais, enviar arquivos ou digitar *Fim* para concluir."


def no_room_for_text(max_length: int) -> str:
    return (
        f"Não anotei essa mensagem: o texto passaria do limite de {max_length} caracteres. "
        "Resuma ou digite *Fim* para concluir."
    )


def caption_too_long(max_length: int) -> str:
    return (
        f"Não recebi esse arquivo: com a legenda, o texto passaria do limite de {max_length} caracteres. "
        "Envie de novo com uma legenda menor, ou sem legenda."
    )


# What a file stands for when it is sent, without a caption, where a text is asked.
FILE_AS_TEXT = {
    "audio": "(mensagem de voz)",
    "image": "(imagem)",
    "video": "(vídeo)",
    "document": "(documento)",
}
