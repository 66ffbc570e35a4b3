// Admin console, "Painel": the totals of the period, the charts (charts.js) and each number's.

import { api, attempt } from "./api.js";
import { Charts } from "./charts.js";
import { loadKnowledgeFigures } from "./dashboard_knowledge.js";
import { $, el, plural } from "./dom.js";
import { since, stateLabel } from "./instances.js";
import { registerView } from "./navigation.js";

const FIGURES = [
  ["received", "Recebidas", "series-received"],
  ["sent", "Enviadas", "series-sent"],
  ["conversations", "Conversas", "series-conversations"],
  ["tickets", "Chamados", "series-tickets"],
];

// The dashboard's cards: the words after each total, singular and plural.
const CARD_LABELS = {
  received: ["mensagem recebida", "mensagens recebidas"],
  sent: ["mensagem enviada", "mensagens enviadas"],
  conversations: ["conversa", "conversas"],
  tickets: ["chamado aberto no período", "chamados abertos no período"],
  failed: ["mensagem não entregue", "mensagens não entregues"],
};

function seriesOf(perDay, names) {
  return FIGURES.filter(([name]) => names.includes(name))
    .map(([name, label, className]) => ({ label, className, values: perDay.map((day) => day[name]) }));
}

export async function loadDashboard() {
  const days = $("dashboard-days").value;
  loadKnowledgeFigures(Number(days));
  const data = await attempt(() => api("GET", `/admin/dashboard?days=${days}`));
  if (!data) return;
  for (const [name] of FIGURES) $(`total-${name}`).textContent = data.totals[name];
  for (const [name, [one, many]] of Object.entries(CARD_LABELS)) $(`label-${name}`).textContent = data.totals[name] === 1 ? one : many;
  // Not charted: WhatsApp's reports of messages it could not deliver, counted from the receipts.
  $("total-failed").textContent = data.totals.failed;
  $("total-failed").closest(".card").classList.toggle("bad", data.totals.failed > 0);
  const alert = $("disconnected-alert");
  const down = data.instances.filter((instance) => data.disconnected.includes(instance.name));
  alert.hidden = !down.length;
  alert.textContent = down.length
    ? `Atenção: ${down.length === 1 ? "número desconectado" : "números desconectados"}: ${down.map(since).join(", ")}. Reconecte em Instâncias.`
    : "";
  Charts.line($("chart-messages"), data.days, seriesOf(data.per_day, ["received", "sent"]));
  Charts.line($("chart-activity"), data.days, seriesOf(data.per_day, ["conversations", "tickets"]));
  Charts.bars($("chart-status"), Object.entries(data.open_by_status));
  const cards = data.instances.map((instance) => {
    const chart = el("div", { className: "instance-chart" });
    const card = el("figure", { className: `instance-card state-${instance.state}`, "data-name": instance.name },
      el("figcaption", {},
        el("strong", {}, instance.name), " · ",
        el("span", { className: `badge state-${instance.state}` }, stateLabel(instance.state, instance.disconnected_at)), " · ",
        `${plural(instance.totals.received, "recebida", "recebidas")}, ${plural(instance.totals.sent, "enviada", "enviadas")}, `,
        `${plural(instance.totals.conversations, "conversa", "conversas")}, ${plural(instance.totals.tickets, "chamado", "chamados")}`,
        instance.totals.failed ? `, ${plural(instance.totals.failed, "não entregue", "não entregues")}` : ""),
      chart);
    Charts.line(chart, data.days, seriesOf(instance.per_day, FIGURES.map(([name]) => name)), { height: 180 });
    return card;
  });
  $("instance-charts").replaceChildren(...(cards.length ? cards : [el("p", {}, "Nenhuma instância cadastrada.")]));
}

export function wire() {
  registerView("dashboard", loadDashboard);
  $("dashboard-days").addEventListener("change", loadDashboard);
}
