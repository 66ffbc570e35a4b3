// Admin console, "Painel": what the knowledge base saved in the period (GET /admin/knowledge/figures,
// WhatsApp's offers and the portal's suggestions alike): tickets avoided ("resolvidos sem
// atendimento") per São Paulo day, the deflection rate and, per article, how often it was offered,
// opened and resolved.

import { api, attempt } from "./api.js";
import { Charts } from "./charts.js";
import { $, el, emptyRow, TIME_ZONE } from "./dom.js";

/** The São Paulo date `back` days before today, as YYYY-MM-DD. */
function saoPauloDay(back) {
  const today = new Date().toLocaleDateString("en-CA", { timeZone: TIME_ZONE });
  const day = new Date(`${today}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() - back);
  return day.toISOString().slice(0, 10);
}

/** Deflection rate: avoided / (avoided + tickets opened after an offer); offers nobody answered
 * count in neither (see README, Knowledge base). */
export function deflectionRate(resolved, declined) {
  const answered = resolved + declined;
  return answered ? `${Math.round((100 * resolved) / answered)}%` : "–";
}

export async function loadKnowledgeFigures(days) {
  const query = `from=${saoPauloDay(days - 1)}&to=${saoPauloDay(0)}`;
  const data = await attempt(() => api("GET", `/admin/knowledge/figures?${query}`));
  if (!data) return;
  $("kb-avoided").textContent = data.resolved;
  $("kb-avoided-label").textContent = data.resolved === 1 ? "resolvido sem atendimento" : "resolvidos sem atendimento";
  $("kb-declined").textContent = data.declined;
  $("kb-declined-label").textContent = data.declined === 1 ? "chamado aberto após sugestão" : "chamados abertos após sugestão";
  $("kb-rate").textContent = deflectionRate(data.resolved, data.declined);
  $("kb-offers").textContent = data.offers;
  $("kb-offers-label").textContent = data.offers === 1 ? "vez em que artigos foram sugeridos" : "vezes em que artigos foram sugeridos";
  const dayNames = Object.keys(data.resolved_per_day).sort();
  const series = [{ label: "Resolvidos sem atendimento", className: "series-0", values: dayNames.map((day) => data.resolved_per_day[day]) }];
  Charts.line($("chart-avoided"), dayNames, series);
  const table = $("kb-articles-table");
  const rows = data.articles.map((article) => el("tr", { "data-id": article.id },
    el("td", {}, article.title),
    el("td", { className: "kb-offered" }, article.offered),
    el("td", { className: "kb-opened" }, article.opened),
    el("td", { className: "kb-resolved" }, article.resolved)));
  table.tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(table, "Nenhum artigo sugerido no período.")]));
}
