// Requester portal: what its screens share on the page: elements by id, elements with text only
// (every value from the API is written with textContent, never as HTML), the notice box, São Paulo
// times, file sizes and a voice note's transcript.

export const $ = (id) => document.getElementById(id);

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

export function notice(text, isError) {
  const box = $("notice");
  box.textContent = text || "";
  box.className = isError ? "notice error" : "notice";
  box.hidden = !text;
}

export function formatDate(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return isNaN(date)
    ? iso
    : date.toLocaleString("pt-BR", { dateStyle: "short", timeStyle: "short", timeZone: "America/Sao_Paulo" });
}

export function formatSize(bytes) {
  if (bytes < 1024) return bytes + " B";
  if (bytes < 1024 * 1024) return Math.round(bytes / 1024) + " KB";
  return (bytes / (1024 * 1024)).toFixed(1).replace(".", ",") + " MB";
}

/** Why no ticket can be opened for these companies (the console deactivated them). */
export function notServedText(names) {
  if (!names.length) return "";
  if (names.length === 1) return "A empresa " + names[0] + " não é mais atendida por este canal: não é possível abrir novos atendimentos para ela.";
  return "As empresas " + names.join(", ") + " não são mais atendidas por este canal: não é possível abrir novos atendimentos para elas.";
}

// What a voice note says (automatic transcription), under the audio; or why it is not there.
export function transcriptOf(file) {
  if (file.transcript_status === "done" && file.transcript) {
    const quote = el("blockquote", "transcript");
    quote.append(el("span", "transcript-label", "transcrição automática"), document.createTextNode(file.transcript));
    return quote;
  }
  const labels = { pending: "transcrição em andamento…", unavailable: "transcrição indisponível" };
  return labels[file.transcript_status] ? el("div", "transcript-note", labels[file.transcript_status]) : null;
}

/** "0:07", as WhatsApp shows a voice note's length. */
export function formatDuration(seconds) {
  const whole = Math.max(0, Math.round(seconds));
  return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
}

/** A voice note played in place, its length beside it (the gateway's, else the file's own). */
export function audioPlayer(file) {
  const box = el("div", "voice-note");
  const player = el("audio");
  player.controls = true;
  player.preload = "metadata";
  player.src = file.url;
  const length = el("span", "duration", file.seconds != null ? formatDuration(file.seconds) : "");
  player.addEventListener("loadedmetadata", () => {
    if (!length.textContent && isFinite(player.duration)) length.textContent = formatDuration(player.duration);
  });
  box.append(el("span", "voice-label", "🎤 Mensagem de voz"), length, player);
  return box;
}
