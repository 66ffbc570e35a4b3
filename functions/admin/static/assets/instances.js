// Admin console, "Instâncias": the WhatsApp numbers, linking one by QR code (polled until it
// connects) and its daily figures.

import { api, attempt } from "./api.js";
import { $, el, formatDate, show } from "./dom.js";
import { registerView } from "./navigation.js";

const POLL_MS = 2000;
const POLL_LIMIT_MS = 3 * 60 * 1000;

export async function loadInstances() {
  const data = await attempt(() => api("GET", "/admin/instances"));
  if (!data) return;
  const rows = data.items.map((instance) =>
    el("tr", { "data-name": instance.name },
      el("td", {}, instance.name),
      el("td", {}, instance.agent_type),
      el("td", {}, instance.gateway),
      el("td", { className: `state state-${instance.state}` }, stateLabel(instance.state, instance.disconnected_at)),
      el("td", {},
        el("button", { type: "button", className: "connect", onclick: () => connect(instance.name) }, "Conectar"),
        " ",
        el("button", { type: "button", className: "stats", onclick: () => openStats(instance.name) }, "Estatísticas"),
        " ",
        el("button", { type: "button", className: "danger", onclick: () => removeInstance(instance.name) }, "Excluir"))));
  $("instances-table").tBodies[0].replaceChildren(...rows);
}

/** The state in words; a number the gateway reported down says since when (it may be hours). */
export function stateLabel(state, disconnectedAt = null) {
  const label = { open: "conectado", connecting: "aguardando leitura do QR", close: "desconectado" }[state] || state;
  return state === "close" && disconnectedAt ? `${label} desde ${formatDate(disconnectedAt)}` : label;
}

/** "name (desde ...)" for the dashboard's alert. */
export function since(instance) {
  return instance.disconnected_at ? `${instance.name} (desde ${formatDate(instance.disconnected_at)})` : instance.name;
}

async function createInstance(event) {
  event.preventDefault();
  const body = { name: $("instance-name").value.trim(), agent_type: $("instance-agent").value };
  const apiKey = $("instance-api-key").value.trim();
  if (apiKey) body.api_key = apiKey;
  const created = await attempt(() => api("POST", "/admin/instances", body));
  if (!created) return;
  $("instance-form").reset();
  show(`Instância ${created.name} criada. ${created.warning}`);
  loadInstances();
}

async function removeInstance(name) {
  if (!confirm(`Desconectar e excluir a instância ${name}?`)) return;
  if ((await attempt(() => api("DELETE", `/admin/instances/${encodeURIComponent(name)}`), "Instância excluída.")) !== undefined) {
    if ($("connect-name").textContent === name) closeConnect();
    loadInstances();
  }
}

let polling = null;

export function stopPolling() {
  if (polling) clearTimeout(polling.timer);
  polling = null;
}

function renderConnection(instance) {
  $("connect-name").textContent = instance.name;
  $("instance-state").textContent = stateLabel(instance.state);
  $("instance-state").className = `state-${instance.state}`;
  // The list says what the panel says (connecting shows the QR; the list would still say "desconectado").
  const listed = document.querySelector(`#instances-table tr[data-name="${CSS.escape(instance.name)}"] td.state`);
  if (listed) {
    listed.textContent = stateLabel(instance.state, instance.disconnected_at);
    listed.className = `state state-${instance.state}`;
  }
  const qr = instance.qr;
  $("qr-image").hidden = !qr;
  if (qr) $("qr-image").src = qr.png;
  else $("qr-image").removeAttribute("src");
  $("pairing").hidden = !instance.pairing_code;
  $("pairing-code").textContent = instance.pairing_code || "";
}

async function connect(name) {
  stopPolling();
  const instance = await attempt(() => api("POST", `/admin/instances/${encodeURIComponent(name)}/connect`));
  if (!instance) return;
  $("connect-panel").hidden = false;
  renderConnection(instance);
  polling = { name, until: Date.now() + POLL_LIMIT_MS, timer: null };
  schedulePoll();
}

function schedulePoll() {
  if (!polling) return;
  polling.timer = setTimeout(async () => {
    if (!polling) return;
    const { name } = polling;
    const instance = await attempt(() => api("GET", `/admin/instances/${encodeURIComponent(name)}`));
    if (!polling || polling.name !== name) return;
    if (instance) renderConnection(instance);
    if (instance && instance.state === "open") {
      show(`Instância ${name} conectada.`);
      stopPolling();
      loadInstances();
    } else if (Date.now() < polling.until) {
      schedulePoll();
    } else {
      stopPolling();
    }
  }, POLL_MS);
}

function closeConnect() {
  stopPolling();
  $("connect-panel").hidden = true;
}

async function openStats(name) {
  $("stats-name").textContent = name;
  $("stats-panel").hidden = false;
  const days = $("stats-days").value;
  const stats = await attempt(() => api("GET", `/admin/instances/${encodeURIComponent(name)}/stats?days=${days}`));
  if (!stats) return;
  const row = (label, c) => el("tr", {}, el("td", {}, label), el("td", {}, c.received), el("td", {}, c.sent),
    el("td", {}, c.conversations), el("td", {}, c.tickets), el("td", { className: "failed" }, c.failed));
  const table = $("stats-table");
  table.tBodies[0].replaceChildren(...stats.per_day.slice().reverse().map((day) => row(day.day, day)));
  table.tFoot.replaceChildren(row("Total", stats.total));
}

export function wire() {
  registerView("instances", loadInstances);
  $("instance-form").addEventListener("submit", createInstance);
  $("close-connect").addEventListener("click", closeConnect);
  $("close-stats").addEventListener("click", () => { $("stats-panel").hidden = true; });
  $("stats-days").addEventListener("change", () => openStats($("stats-name").textContent));
}
