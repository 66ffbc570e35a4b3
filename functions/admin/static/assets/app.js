// Admin console: plain JS over the admin API. Everything shown from the API goes in as text
// (textContent, element attributes), never as HTML.
"use strict";

const API_BASE = (document.querySelector('meta[name="api-base"]')?.content || "").replace(/\/$/, "");
const TOKEN_KEY = "helpdesk-admin-token";
const POLL_MS = 2000;
const POLL_LIMIT_MS = 3 * 60 * 1000;

const $ = (id) => document.getElementById(id);

// --- helpers ------------------------------------------------------------------------------

/** An element with text children (strings become text nodes) and plain attributes. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "onclick") node.addEventListener("click", value);
    else if (name === "className") node.className = value;
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function show(message, isError = false) {
  const box = $("message");
  box.textContent = message;
  box.classList.toggle("error", isError);
  box.hidden = !message;
}

function formatDate(iso) {
  return iso ? new Date(iso).toLocaleString("pt-BR") : "";
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `Erro ${status}`);
    this.status = status;
    this.field = body && body.field;
  }
}

async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) || ""}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${API_BASE}${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401) {
    logout("Sessão inválida: entre novamente com o token.");
    throw new ApiError(401, data);
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Runs an action, showing its error (if any) in the message box. */
async function attempt(action, success) {
  try {
    const result = await action();
    if (success) show(success);
    return result;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) show(error.message, true);
    return undefined;
  }
}

// --- session ------------------------------------------------------------------------------

async function login(event) {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
  $("token").value = "";
  const ok = await attempt(() => api("GET", "/admin/instances"));
  if (ok) enter();
}

function enter() {
  show("");
  $("login").hidden = true;
  $("app").hidden = false;
  $("logout").hidden = false;
  openView("instances");
}

function logout(reason = "") {
  sessionStorage.removeItem(TOKEN_KEY);
  stopPolling();
  $("app").hidden = true;
  $("logout").hidden = true;
  $("login").hidden = false;
  show(reason, Boolean(reason));
}

const loaders = { instances: loadInstances, companies: loadCompanies, "request-types": loadRequestTypes, tickets: () => loadTickets(true) };

function openView(name) {
  for (const view of document.querySelectorAll(".view")) view.hidden = view.id !== `view-${name}`;
  for (const button of document.querySelectorAll("nav button")) button.classList.toggle("active", button.dataset.view === name);
  loaders[name]();
}

// --- instances ----------------------------------------------------------------------------

async function loadInstances() {
  const data = await attempt(() => api("GET", "/admin/instances"));
  if (!data) return;
  const rows = data.items.map((instance) =>
    el("tr", { "data-name": instance.name },
      el("td", {}, instance.name),
      el("td", {}, instance.agent_type),
      el("td", {}, instance.gateway),
      el("td", { className: `state-${instance.state}` }, stateLabel(instance.state)),
      el("td", {},
        el("button", { type: "button", className: "connect", onclick: () => connect(instance.name) }, "Conectar"),
        " ",
        el("button", { type: "button", className: "stats", onclick: () => openStats(instance.name) }, "Estatísticas"),
        " ",
        el("button", { type: "button", className: "danger", onclick: () => removeInstance(instance.name) }, "Excluir"))));
  $("instances-table").tBodies[0].replaceChildren(...rows);
}

function stateLabel(state) {
  return { open: "conectado", connecting: "aguardando leitura do QR", close: "desconectado" }[state] || state;
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

function stopPolling() {
  if (polling) clearTimeout(polling.timer);
  polling = null;
}

function renderConnection(instance) {
  $("connect-name").textContent = instance.name;
  $("instance-state").textContent = stateLabel(instance.state);
  $("instance-state").className = `state-${instance.state}`;
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
    el("td", {}, c.conversations), el("td", {}, c.tickets));
  const table = $("stats-table");
  table.tBodies[0].replaceChildren(...stats.per_day.slice().reverse().map((day) => row(day.day, day)));
  table.tFoot.replaceChildren(row("Total", stats.total));
}

// --- companies ----------------------------------------------------------------------------

async function loadCompanies() {
  const data = await attempt(() => api("GET", "/admin/companies"));
  if (!data) return;
  const rows = data.items.map((company) => {
    const path = `/admin/companies/${encodeURIComponent(company.cnpj)}`;
    const active = el("input", { type: "checkbox", checked: company.active, "aria-label": "Ativa" });
    active.addEventListener("change", async () => {
      if (!(await attempt(() => api("PATCH", path, { active: active.checked }), "Empresa atualizada."))) active.checked = !active.checked;
    });
    return el("tr", { "data-cnpj": company.cnpj },
      el("td", { className: "company-name" }, company.name),
      el("td", {}, company.cnpj_formatted),
      el("td", {}, active),
      el("td", {},
        el("button", { type: "button", onclick: () => renameCompany(company) }, "Renomear"),
        " ",
        el("button", { type: "button", className: "danger", onclick: () => removeCompany(company) }, "Excluir")));
  });
  $("companies-table").tBodies[0].replaceChildren(...rows);
}

async function createCompany(event) {
  event.preventDefault();
  const body = { cnpj: $("company-cnpj").value.trim(), name: $("company-name").value.trim() };
  if (await attempt(() => api("POST", "/admin/companies", body), "Empresa cadastrada.")) {
    $("company-form").reset();
    loadCompanies();
  }
}

async function renameCompany(company) {
  const name = prompt("Novo nome da empresa", company.name);
  if (!name || name === company.name) return;
  if (await attempt(() => api("PATCH", `/admin/companies/${encodeURIComponent(company.cnpj)}`, { name }), "Empresa atualizada.")) loadCompanies();
}

async function removeCompany(company) {
  if (!confirm(`Excluir a empresa ${company.name} (${company.cnpj_formatted})?`)) return;
  if ((await attempt(() => api("DELETE", `/admin/companies/${encodeURIComponent(company.cnpj)}`), "Empresa excluída.")) !== undefined) loadCompanies();
}

// --- request types ------------------------------------------------------------------------

const KIND_LABELS = { synthetic: "Sintético", analytic: "Analítico" };

async function loadRequestTypes() {
  const data = await attempt(() => api("GET", "/admin/request-types"));
  if (!data) return;
  const rows = data.items.map((type) => {
    const path = `/admin/request-types/${encodeURIComponent(type.id)}`;
    const toggle = (field, label) => {
      const box = el("input", { type: "checkbox", checked: type[field], "aria-label": label });
      box.addEventListener("change", async () => {
        if (await attempt(() => api("PATCH", path, { [field]: box.checked }), "Tipo atualizado.")) loadRequestTypes();
        else box.checked = !box.checked;
      });
      return box;
    };
    return el("tr", { "data-id": type.id },
      el("td", { className: "rtype-name" }, type.name),
      el("td", {}, KIND_LABELS[type.kind] || type.kind),
      el("td", {}, toggle("whatsapp", "WhatsApp")),
      el("td", {}, toggle("active", "Ativo")),
      el("td", {}, type.reaches_whatsapp ? "sim" : "não"),
      el("td", {}, el("button", { type: "button", className: "danger", onclick: () => removeRequestType(type) }, "Excluir")));
  });
  $("rtypes-table").tBodies[0].replaceChildren(...rows);
}

async function createRequestType(event) {
  event.preventDefault();
  const body = { name: $("rtype-name").value.trim(), kind: $("rtype-kind").value, whatsapp: $("rtype-whatsapp").checked };
  if (await attempt(() => api("POST", "/admin/request-types", body), "Tipo de solicitação criado.")) {
    $("rtype-form").reset();
    loadRequestTypes();
  }
}

async function removeRequestType(type) {
  if (!confirm(`Excluir o tipo ${type.name}?`)) return;
  if ((await attempt(() => api("DELETE", `/admin/request-types/${encodeURIComponent(type.id)}`), "Tipo excluído.")) !== undefined) loadRequestTypes();
}

// --- tickets ------------------------------------------------------------------------------

let ticketCursor = null;
let openTicket = null;

function ticketQuery() {
  const params = new URLSearchParams({ limit: "20" });
  for (const [name, id] of [["company", "filter-company"], ["status", "filter-status"], ["phone", "filter-phone"]]) {
    const value = $(id).value.trim();
    if (value) params.set(name, value);
  }
  if (ticketCursor) params.set("cursor", ticketCursor);
  return params.toString();
}

async function loadTickets(fromStart) {
  if (fromStart) ticketCursor = null;
  const page = await attempt(() => api("GET", `/admin/tickets?${ticketQuery()}`));
  if (!page) return;
  const rows = page.items.map((ticket) => {
    const row = el("tr", { className: "clickable", "data-number": ticket.number },
      el("td", {}, ticket.number),
      el("td", {}, ticket.title),
      el("td", {}, ticket.status),
      el("td", {}, ticket.company_name, el("br"), ticket.cnpj_formatted),
      el("td", {}, ticket.requester_name, el("br"), ticket.requester_phone),
      el("td", {}, formatDate(ticket.updated_at)));
    row.addEventListener("click", () => showTicket(ticket.number));
    return row;
  });
  const body = $("tickets-table").tBodies[0];
  if (fromStart) body.replaceChildren(...rows);
  else body.append(...rows);
  ticketCursor = page.next_cursor;
  $("more-tickets").hidden = !ticketCursor;
}

async function showTicket(number) {
  const ticket = await attempt(() => api("GET", `/admin/tickets/${number}`));
  if (!ticket) return;
  openTicket = ticket.number;
  $("ticket-panel").hidden = false;
  $("ticket-number").textContent = ticket.number;
  $("ticket-title").textContent = ticket.title;
  $("ticket-company").textContent = `${ticket.company_name} (${ticket.cnpj_formatted})`;
  $("ticket-requester").textContent = `${ticket.requester_name} ${ticket.requester_phone}`;
  $("ticket-status").textContent = ticket.status;
  $("ticket-description").textContent = ticket.description;
  $("ticket-actions").replaceChildren(...ticket.actions.map((action) =>
    el("li", { className: action.visible_to_requester ? "" : "internal" },
      el("div", { className: "meta" },
        `${formatDate(action.created_at)} · ${action.author_name} (${action.author_kind === "agent" ? "atendente" : "solicitante"})`,
        action.kind === "status" ? ` · status: ${action.status}` : "",
        action.visible_to_requester ? "" : " · nota interna"),
      el("div", {}, action.text),
      ...action.attachments.map((file) =>
        el("div", {}, el("a", { href: file.url, target: "_blank", rel: "noopener noreferrer" }, `📎 ${file.filename}`))))));
  $("ticket-panel").scrollIntoView({ block: "nearest" });
}

async function postAction(event) {
  event.preventDefault();
  const body = { text: $("action-text").value.trim(), visible_to_requester: !$("action-internal").checked };
  if (await attempt(() => api("POST", `/admin/tickets/${openTicket}/actions`, body), "Resposta enviada.")) {
    $("action-form").reset();
    showTicket(openTicket);
  }
}

async function changeStatus(event) {
  event.preventDefault();
  const body = { status: $("status-value").value.trim() };
  if (await attempt(() => api("POST", `/admin/tickets/${openTicket}/status`, body), "Status alterado.")) {
    $("status-form").reset();
    showTicket(openTicket);
    loadTickets(true);
  }
}

// --- wiring -------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", () => logout());
  for (const button of document.querySelectorAll("nav button")) button.addEventListener("click", () => openView(button.dataset.view));
  $("instance-form").addEventListener("submit", createInstance);
  $("close-connect").addEventListener("click", closeConnect);
  $("close-stats").addEventListener("click", () => { $("stats-panel").hidden = true; });
  $("stats-days").addEventListener("change", () => openStats($("stats-name").textContent));
  $("company-form").addEventListener("submit", createCompany);
  $("rtype-form").addEventListener("submit", createRequestType);
  $("ticket-filters").addEventListener("submit", (event) => { event.preventDefault(); loadTickets(true); });
  $("more-tickets").addEventListener("click", () => loadTickets(false));
  $("close-ticket").addEventListener("click", () => { $("ticket-panel").hidden = true; openTicket = null; });
  $("action-form").addEventListener("submit", postAction);
  $("status-form").addEventListener("submit", changeStatus);
  if (sessionStorage.getItem(TOKEN_KEY)) enter();
});
