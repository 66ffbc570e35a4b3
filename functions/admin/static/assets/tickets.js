// Admin console, "Chamados": the desk: the list (filters, search, pages), a ticket's panel with its
// history, and the answer form (files sent in parts, drafts kept per ticket by drafts.js). The desk
// refreshes itself while on screen.

import { api, attempt } from "./api.js";
import { $, el, emptyRow, formatDate, show } from "./dom.js";
import { Drafts } from "./drafts.js";
import { registerView } from "./navigation.js";
import { ticketQuality } from "./quality.js";
import { refreshStatusChoices } from "./statuses.js";

let ticketCursor = null;
let ticketPages = 0;
let openTicket = null;

// What the bot offered from the knowledge base before this ticket opened: the requester read these.
function offeredArticles(articles) {
  const shown = $("ticket-offered");
  shown.hidden = !articles.length;
  shown.replaceChildren(
    "Artigos oferecidos antes de abrir: ",
    ...articles.map((article, i) => el("span", {}, i ? ", " : "", article.title, article.opened ? " (lido)" : " (não lido)")),
  );
}

function ticketQuery() {
  const params = new URLSearchParams({ limit: "20" });
  for (const [name, id] of [["company", "filter-company"], ["status", "filter-status"], ["phone", "filter-phone"]]) {
    const value = $(id).value.trim();
    if (value) params.set(name, value);
  }
  if (ticketCursor) params.set("cursor", ticketCursor);
  return params.toString();
}

function ticketRows(items) {
  return items.map((ticket) => {
    const row = el("tr", { className: "clickable", "data-number": ticket.number },
      el("td", {}, ticket.number),
      el("td", {}, ticket.title),
      el("td", {}, ticket.status),
      el("td", {}, ticket.company_name, el("br"), ticket.cnpj_formatted),
      el("td", {}, ticket.requester_name, el("br"), requesterContact(ticket)),
      el("td", {}, formatDate(ticket.updated_at)));
    row.addEventListener("click", () => showTicket(ticket.number));
    return row;
  });
}

// Each list request takes a number; an answer that arrives after a newer request is dropped (opening
// the view and filtering at once must not end with the unfiltered list).
let ticketListRequest = 0;

async function loadTickets(fromStart) {
  if (fromStart) ticketCursor = null;
  const request = ++ticketListRequest;
  const page = await attempt(() => api("GET", `/admin/tickets?${ticketQuery()}`));
  if (!page || request !== ticketListRequest) return;
  const rows = ticketRows(page.items);
  const body = $("tickets-table").tBodies[0];
  if (fromStart) body.replaceChildren(...(rows.length ? rows : [emptyRow($("tickets-table"), "Nenhum chamado.")]));
  else body.append(...rows);
  ticketPages = fromStart ? 1 : ticketPages + 1;
  ticketCursor = page.next_cursor;
  $("more-tickets").hidden = !ticketCursor;
}

async function searchTickets(event) {
  event.preventDefault();
  const query = $("ticket-search").value.trim();
  if (!query) {
    loadTickets(true);
    return;
  }
  const request = ++ticketListRequest;
  const found = await attempt(() => api("GET", `/admin/ticket-search?q=${encodeURIComponent(query)}`));
  if (!found || request !== ticketListRequest) return;
  const rows = ticketRows(found.items);
  $("tickets-table").tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow($("tickets-table"), "Nenhum chamado encontrado.")]));
  ticketCursor = null;
  $("more-tickets").hidden = true;
}

// The requester's phone; a requester the Cloud API shows no phone for by username and BSUID.
function requesterContact(ticket) {
  const parts = [ticket.requester_phone, ticket.requester_whatsapp_username,
    ticket.requester_bsuid && `BSUID ${ticket.requester_bsuid}`];
  return parts.filter(Boolean).join(" · ");
}

/** The ticket's panel; `refreshing` (the periodic refresh) redraws it in place, the form untouched. */
async function showTicket(number, refreshing = false) {
  const ticket = await attempt(() => api("GET", `/admin/tickets/${number}`));
  if (!ticket || (refreshing && ticket.number !== openTicket)) return;
  if (ticket.number !== openTicket) {
    Drafts.park(openTicket);
    openTicket = ticket.number;
    Drafts.restore(openTicket);
  }
  $("ticket-panel").hidden = false;
  $("ticket-number").textContent = ticket.number;
  $("ticket-title").textContent = ticket.title;
  $("ticket-company").textContent = `${ticket.company_name} (${ticket.cnpj_formatted})`;
  $("ticket-requester").textContent = `${ticket.requester_name} ${requesterContact(ticket)}`;
  $("ticket-type").textContent = ticket.request_type || "não informado";
  $("ticket-status").textContent = ticket.status;
  ticketQuality(ticket);
  $("ticket-description").textContent = ticket.description;
  // The requester's first message is the description (with the files it came with): shown once, above.
  const [first, ...rest] = ticket.actions;
  const opening = first && first.author_kind === "requester" && first.text === ticket.description;
  const actions = opening ? rest : ticket.actions;
  $("ticket-opening-files").replaceChildren(...(opening ? first.attachments.map(fileLink) : []));
  offeredArticles(ticket.offered_articles || []);
  $("ticket-actions").replaceChildren(...actions.map((action) =>
    el("li", { className: action.visible_to_requester ? "" : "internal" },
      el("div", { className: "meta" },
        `${formatDate(action.created_at)} · ${action.author_name} (${action.author_kind === "agent" ? "atendente" : "solicitante"})`,
        action.kind === "status" ? ` · status: ${action.status}` : "",
        action.visible_to_requester ? "" : " · nota interna",
        deliveryLabel(action.delivery),
        requesterMarks(action)),
      el("div", {}, action.text),
      ...action.attachments.map(fileLink))));
  $("ticket-no-actions").hidden = actions.length > 0;
  updateRow(ticket); // the list never shows older news than the panel beside it
  if (!refreshing) $("ticket-panel").scrollIntoView({ block: "nearest" });
}

function fileLink(file) {
  if (file.kind === "audio") return el("div", { className: "voice-file" }, transcriptOf(file), audioPlayer(file));
  return el("div", {}, el("a", { href: file.url, target: "_blank", rel: "noopener noreferrer" }, `📎 ${file.filename}`),
    transcriptOf(file));
}

/** "0:07", as WhatsApp shows a voice note's length. */
function formatDuration(seconds) {
  const whole = Math.max(0, Math.round(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/** A voice note played in place under its transcript, its length beside it (the gateway's, else
 * the file's own once loaded), never named by its stored file name. */
function audioPlayer(file) {
  const player = el("audio", { controls: true, preload: "metadata", src: file.url });
  const length = el("span", { className: "duration" }, file.seconds != null ? formatDuration(file.seconds) : "");
  player.addEventListener("loadedmetadata", () => {
    if (!length.textContent && Number.isFinite(player.duration)) length.textContent = formatDuration(player.duration);
  });
  return el("div", { className: "voice-note" }, el("span", {}, "🎤 Mensagem de voz "), length, player);
}

// The desk refreshes itself while it is on screen (a new ticket, a requester's reply, a status the
// ERP set), without reloading the page: the open panel is redrawn and its draft left as it is.
const DESK_REFRESH_MS = 15000;

function refreshDesk() {
  if (document.visibilityState !== "visible" || $("view-tickets").hidden || $("app").hidden) return;
  if (openTicket !== null) showTicket(openTicket, true);
  // The first page of the plain list is read again; a search or a longer list stays as the agent
  // left it, its open ticket's row updated with the panel (showTicket).
  if (!$("ticket-search").value.trim() && ticketPages === 1) loadTickets(true);
}

/** The list's row of a ticket just read, brought up to date with it (status, last update). */
function updateRow(ticket) {
  const row = document.querySelector(`#tickets-table tr[data-number="${ticket.number}"]`);
  if (!row) return;
  const cells = row.querySelectorAll("td");
  cells[2].textContent = ticket.status;
  cells[5].textContent = formatDate(ticket.updated_at);
}

// What a voice note says (Amazon Transcribe, or the gateway's), under the audio; or why not.
function transcriptOf(file) {
  if (file.transcript_status === "done" && file.transcript) {
    return el("blockquote", { className: "transcript", "data-transcript": "done" },
      el("span", { className: "transcript-label" }, "transcrição automática"), file.transcript);
  }
  const labels = { pending: "transcrição em andamento…", unavailable: "transcrição indisponível" };
  const label = labels[file.transcript_status];
  return label ? el("div", { className: "transcript-note", "data-transcript": file.transcript_status }, label) : null;
}

// How far an answer's WhatsApp notification got, from the gateway's receipts.
const DELIVERY_LABELS = { sent: "enviada", delivered: "entregue", read: "lida", failed: "falhou" };

function deliveryLabel(delivery) {
  if (!delivery) return null;
  const when = delivery.at ? ` em ${formatDate(delivery.at)}` : "";
  return el("span", { className: `delivery delivery-${delivery.status}`, "data-delivery": delivery.status },
    ` · WhatsApp: ${DELIVERY_LABELS[delivery.status] || delivery.status}${when}`);
}

// What the requester did on WhatsApp to the message of an action: deleted it for everyone (its
// content stays for the team), or reacted to the notification of an answer.
function requesterMarks(action) {
  const marks = [];
  if (action.deleted_by_requester_at) {
    marks.push(el("span", { className: "deleted-by-requester", "data-deleted": "true" },
      ` · apagada pelo solicitante em ${formatDate(action.deleted_by_requester_at)}`));
  }
  if (action.reaction && action.reaction.emoji) {
    marks.push(el("span", { className: "reaction", "data-reaction": action.reaction.emoji },
      ` · reação do solicitante: ${action.reaction.emoji}`));
  }
  return el("span", {}, ...marks);
}

// A file goes in parts (a request carries a few MB), checked by the API before the first one;
// the answer then names the upload.
async function uploadFile(file) {
  const upload = await api("POST", "/admin/uploads", { filename: file.name, mimetype: file.type, size: file.size });
  for (let part = 0; part < upload.parts; part++) {
    const start = part * upload.part_bytes;
    await api("PUT", `/admin/uploads/${upload.upload_id}/parts/${part}`, file.slice(start, start + upload.part_bytes));
  }
  return { filename: file.name, mimetype: file.type, upload_id: upload.upload_id };
}

async function postAction(event) {
  event.preventDefault();
  const number = openTicket; // the ticket this form shows now, whatever is opened while it uploads
  const files = Array.from($("action-files").files);
  const text = $("action-text").value.trim();
  const status = $("action-status").value;
  if (!text && !files.length && !status) {
    show("Escreva uma resposta, anexe um arquivo ou escolha um status.", true);
    return;
  }
  const body = { text, visible_to_requester: !$("action-internal").checked };
  if (status) body.status = status;
  $("post-action").disabled = true;
  const posted = await attempt(async () => {
    if (files.length) {
      if (files.some((file) => file.size === 0)) throw new Error("Um dos arquivos está vazio.");
      show(files.length > 1 ? `Enviando ${files.length} arquivos…` : "Enviando o arquivo…");
      body.attachments = [];
      for (const file of files) body.attachments.push(await uploadFile(file));
    }
    return api("POST", `/admin/tickets/${number}/actions`, body);
  }, "Resposta enviada.");
  $("post-action").disabled = false;
  if (!posted) return;
  Drafts.sent(number);
  if (openTicket === number) {
    $("action-form").reset();
    showTicket(number);
  }
  if (status) loadTickets(true);
}

/** Hides the panel; what its form held stays that ticket's draft. */
export function closeTicket() {
  Drafts.park(openTicket);
  openTicket = null;
  $("ticket-panel").hidden = true;
}

export function wire() {
  registerView("tickets", () => { refreshStatusChoices(); loadTickets(true); });
  $("ticket-search-form").addEventListener("submit", searchTickets);
  $("ticket-filters").addEventListener("submit", (event) => { event.preventDefault(); loadTickets(true); });
  $("more-tickets").addEventListener("click", () => loadTickets(false));
  $("close-ticket").addEventListener("click", closeTicket);
  $("action-form").addEventListener("submit", postAction);
  setInterval(refreshDesk, DESK_REFRESH_MS);
  window.addEventListener("focus", refreshDesk);
}
