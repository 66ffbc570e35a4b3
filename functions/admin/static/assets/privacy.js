// Admin console, "LGPD": a requester's data exported as JSON, or erased (confirmed by typing the
// phone again), and the log of erasures.

import { api, attempt } from "./api.js";
import { $, el, formatDate, plural, show } from "./dom.js";
import { registerView } from "./navigation.js";

// A phone (its digits), or the BSUID of a requester WhatsApp shows no phone for ("BR.1349...").
function privacyPhone() {
  const typed = $("privacy-phone").value.trim();
  if (/^[a-z]{2}\.(ent\.)?[0-9a-z]+$/i.test(typed)) return typed;
  return typed.replace(/\D/g, "");
}

async function exportRequester(event) {
  event.preventDefault();
  const phone = privacyPhone();
  if (!phone) { show("Informe o telefone (só os números, com DDI e DDD).", true); return; }
  const document_ = await attempt(() => api("GET", `/admin/requesters/${phone}/export`));
  if (!document_) return;
  const blob = new Blob([JSON.stringify(document_, null, 2)], { type: "application/json" });
  const link = $("privacy-download");
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(blob);
  link.download = `dados-${phone}.json`;
  link.hidden = false;
  const profile = document_.profile;
  $("privacy-summary").textContent =
    `${profile ? `${profile.name} <${profile.email}>` : "Sem cadastro"} · ${plural(document_.companies.length, "empresa", "empresas")} · ` +
    `${plural(document_.tickets.length, "chamado", "chamados")}. Os links de arquivos valem ${document_.files_expire_in_seconds} s.`;
}

async function loadErasures() {
  const log = await attempt(() => api("GET", "/admin/erasures"));
  if (!log) return;
  $("erasures-table").querySelector("tbody").replaceChildren(...log.items.map((record) =>
    el("tr", {},
      el("td", {}, formatDate(record.erased_at)),
      el("td", {}, record.erased_by),
      el("td", { title: record.requester_hash }, `${record.requester_hash.slice(0, 12)}…`),
      el("td", {}, record.tickets),
      el("td", {}, record.files))));
}

async function eraseRequester() {
  const phone = privacyPhone();
  if (!phone) { show("Informe o telefone ou o BSUID.", true); return; }
  const typed = window.prompt(
    `Excluir os dados de ${phone}? Perfil, vínculos, conversa e arquivos serão apagados e os chamados ` +
    "ficarão anônimos. Não há como desfazer. Digite o telefone (ou o BSUID) para confirmar:");
  if (typed === null) return;
  const result = await attempt(() => api("POST", `/admin/requesters/${phone}/erase`, { confirm: typed }));
  if (!result) return;
  $("privacy-summary").textContent = result.erased
    ? `Dados excluídos: ${plural(result.tickets, "chamado anonimizado", "chamados anonimizados")}, ` +
      `${plural(result.actions, "andamento", "andamentos")}, ${plural(result.files, "arquivo", "arquivos")}, ` +
      `${plural(result.items, "registro", "registros")}.`
    : "Nada a excluir: não há dados deste telefone.";
  $("privacy-download").hidden = true;
  await loadErasures();
}

export function wire() {
  registerView("privacy", loadErasures);
  $("privacy-form").addEventListener("submit", exportRequester);
  $("privacy-erase").addEventListener("click", eraseRequester);
}
