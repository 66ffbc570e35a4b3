// Admin console: plain JS over the admin API (same origin), signed in through Cognito (session.js).
// Everything shown from the API goes in as text (textContent, element attributes), never as HTML.
"use strict";

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

// A message belongs to the action that raised it: the next action (a click, a submission, a choice)
// or another page clears it before it runs, so no banner outlives its cause.
function clearMessageOnAction() {
  const actionable = "button, a, tr.clickable, input[type=checkbox], input[type=submit]";
  document.addEventListener("click", (event) => { if (event.target.closest(actionable)) show(""); }, true);
  document.addEventListener("submit", () => show(""), true);
  document.addEventListener("change", (event) => { if (event.target.matches("select")) show(""); }, true);
}

// The team works on São Paulo time (business hours, the bot's "a partir de ... às 08:00"): every
// time shown is São Paulo's, whatever the browser's zone.
const TIME_ZONE = "America/Sao_Paulo";

function formatDate(iso) {
  return iso ? new Date(iso).toLocaleString("pt-BR", { timeZone: TIME_ZONE }) : "";
}

/** "1 conversa", "2 conversas", "0 conversas" (pt-BR: only one is singular). */
function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

/** A table body's only row, saying the list is empty. */
function emptyRow(table, text) {
  const columns = table.tHead ? table.tHead.rows[0].cells.length : 1;
  return el("tr", { className: "empty" }, el("td", { colspan: columns }, text));
}

// What the API's own errors say is pt-BR ({message, code}); anything else (a proxy's or the
// network's words, often English) is told in the console's words.
function failureText(status) {
  if (status === 0) return "Não foi possível falar com o servidor. Verifique a conexão e tente de novo.";
  if (status === 404) return "Não encontrado.";
  if (status === 429) return "Muitas requisições seguidas. Aguarde um instante e tente de novo.";
  return `O servidor não conseguiu atender (erro ${status}). Tente de novo em instantes.`;
}

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.code && body.message ? body.message : failureText(status));
    this.status = status;
    this.field = body && body.field;
  }
}

async function api(method, path, body, retried = false) {
  const headers = { Authorization: `Bearer ${Session.idToken()}` };
  const binary = body instanceof Blob;
  if (body !== undefined) headers["Content-Type"] = binary ? "application/octet-stream" : "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined || binary ? body : JSON.stringify(body) });
  } catch (error) {
    throw new ApiError(0, null);
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401) {
    // The ID token may have just expired: one silent refresh, then the call again.
    if (!retried && (await Session.refresh().then(() => true, () => false))) return api(method, path, body, true);
    logout("Sessão expirada: entre novamente.");
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

let challenge = null;

async function signInStep(action) {
  try {
    return await action();
  } catch (error) {
    show(error.message || "Não foi possível entrar.", true);
    return null;
  }
}

async function login(event) {
  event.preventDefault();
  const email = $("email").value.trim();
  const password = $("password").value;
  $("login-button").disabled = true;
  const result = await signInStep(() => Session.signIn(email, password));
  $("login-button").disabled = false;
  $("password").value = "";
  if (!result) return;
  if (result.done) {
    enter();
    return;
  }
  challenge = result.challenge;
  show("");
  $("login").hidden = true;
  $("new-password").hidden = false;
  $("new-password-value").focus();
}

async function chooseNewPassword(event) {
  event.preventDefault();
  const password = $("new-password-value").value;
  if (password !== $("new-password-confirm").value) {
    show("As senhas não conferem.", true);
    return;
  }
  const session = await signInStep(() => Session.completeNewPassword(challenge, password));
  if (!session) return;
  challenge = null;
  $("new-password-form").reset();
  enter("Senha definida.");
}

function enter(message = "") {
  $("login").hidden = true;
  $("new-password").hidden = true;
  $("app").hidden = false;
  $("logout").hidden = false;
  $("who").hidden = false;
  $("who").textContent = Session.email();
  openView("dashboard");
  show(message);
}

function logout(reason = "") {
  Session.signOut();
  stopPolling();
  closeTicket();
  Drafts.clear();
  challenge = null;
  $("app").hidden = true;
  $("logout").hidden = true;
  $("who").hidden = true;
  $("new-password").hidden = true;
  $("login").hidden = false;
  show(reason, Boolean(reason));
}

const loaders = {
  dashboard: loadDashboard,
  instances: loadInstances,
  companies: loadCompanies,
  "request-types": loadRequestTypes,
  tickets: () => { refreshStatusChoices(); loadTickets(true); }, // assets/statuses.js
  admins: loadAdmins,
};

// --- dashboard ----------------------------------------------------------------------------

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

async function loadDashboard() {
  const days = $("dashboard-days").value;
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

// --- admins -------------------------------------------------------------------------------

const ADMIN_STATUS = { FORCE_CHANGE_PASSWORD: "aguardando primeiro acesso", CONFIRMED: "ativo" };

async function loadAdmins() {
  const data = await attempt(() => api("GET", "/admin/admins"));
  if (!data) return;
  const rows = data.items.map((user) => {
    const toggle = el("button", { type: "button", className: user.enabled ? "danger toggle" : "toggle" },
      user.enabled ? "Desativar" : "Reativar");
    toggle.addEventListener("click", async () => {
      const path = `/admin/admins/${encodeURIComponent(user.username)}`;
      const done = await attempt(() => api("PATCH", path, { enabled: !user.enabled }),
        user.enabled ? "Administrador desativado." : "Administrador reativado.");
      if (done !== undefined) loadAdmins();
    });
    const name = el("input", { className: "display-name", value: user.name || "", maxlength: "120",
      placeholder: "Equipe de suporte", "aria-label": `Nome exibido de ${user.email}` });
    const saveName = el("button", { type: "button", className: "save-name" }, "Salvar nome");
    saveName.addEventListener("click", async () => {
      const path = `/admin/admins/${encodeURIComponent(user.username)}`;
      const done = await attempt(() => api("PATCH", path, { name: name.value.trim() }), "Nome exibido salvo.");
      if (done !== undefined) loadAdmins();
    });
    return el("tr", { "data-email": user.email },
      el("td", {}, user.email),
      el("td", {}, name, " ", saveName),
      el("td", {}, ADMIN_STATUS[user.status] || user.status),
      el("td", { className: "enabled" }, user.enabled ? "sim" : "não"),
      el("td", {}, toggle));
  });
  $("admins-table").tBodies[0].replaceChildren(...rows);
}

async function inviteAdmin(event) {
  event.preventDefault();
  const email = $("admin-email").value.trim();
  if (await attempt(() => api("POST", "/admin/admins", { email }), `Convite enviado para ${email}.`)) {
    $("admin-form").reset();
    loadAdmins();
  }
}

function openView(name) {
  show("");
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
function stateLabel(state, disconnectedAt = null) {
  const label = { open: "conectado", connecting: "aguardando leitura do QR", close: "desconectado" }[state] || state;
  return state === "close" && disconnectedAt ? `${label} desde ${formatDate(disconnectedAt)}` : label;
}

/** "name (desde ...)" for the dashboard's alert. */
function since(instance) {
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

function stopPolling() {
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

// --- companies ----------------------------------------------------------------------------

async function loadCompanies() {
  const data = await attempt(() => api("GET", "/admin/companies"));
  if (!data) return;
  // Deactivated companies are kept for history, listed after the active ones and marked.
  const companies = data.items.slice().sort((a, b) => Number(b.active) - Number(a.active));
  const rows = companies.map((company) => {
    const path = `/admin/companies/${encodeURIComponent(company.cnpj)}`;
    const active = el("input", { type: "checkbox", checked: company.active, "aria-label": "Ativa" });
    active.addEventListener("change", async () => {
      if (await attempt(() => api("PATCH", path, { active: active.checked }), active.checked ? "Empresa reativada." : "Empresa desativada.")) loadCompanies();
      else active.checked = !active.checked;
    });
    return el("tr", { "data-cnpj": company.cnpj, className: company.active ? "" : "inactive" },
      el("td", { className: "company-name" }, company.name),
      el("td", {}, company.cnpj_formatted),
      el("td", { className: "company-state" }, active, " ", company.active ? "ativa" : "desativada: não atende mais"),
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

/** Says what a deletion affects; with open tickets offers to deactivate instead, else asks for
 * the CNPJ typed again. */
async function removeCompany(company) {
  const path = `/admin/companies/${encodeURIComponent(company.cnpj)}`;
  const impact = await attempt(() => api("GET", `${path}/impact`));
  if (!impact) return;
  const affects = `A empresa ${company.name} (${company.cnpj_formatted}) tem ${plural(impact.requesters, "solicitante", "solicitantes")} e ` +
    `${plural(impact.tickets, "chamado", "chamados")}, ${plural(impact.open_tickets, "em aberto", "em aberto")}.`;
  if (impact.open_tickets) {
    if (!company.active) {
      show(`${affects} Ela não pode ser excluída enquanto tiver chamados em aberto; já está desativada.`, true);
      return;
    }
    const deactivate = confirm(`${affects}\n\nCom chamados em aberto, ela não pode ser excluída. Desativar a empresa? ` +
      "Ela fica no histórico, sai da lista de empresas atendidas e os solicitantes são avisados de que não é mais atendida.");
    if (deactivate && (await attempt(() => api("PATCH", path, { active: false }), "Empresa desativada."))) loadCompanies();
    return;
  }
  const typed = prompt(`${affects}\n\nAo excluir, os solicitantes deixam de estar vinculados a ela; os chamados encerrados ` +
    "ficam no histórico com o nome da empresa. Para confirmar, digite o CNPJ da empresa:");
  if (typed === null) return;
  const deleted = await attempt(() => api("DELETE", `${path}?confirm=${encodeURIComponent(typed)}`), "Empresa excluída.");
  if (deleted !== undefined) loadCompanies();
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
let ticketPages = 0;
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
  if (typeof ticketQuality === "function") ticketQuality(ticket); // assets/service.js
  $("ticket-description").textContent = ticket.description;
  // The requester's first message is the description (with the files it came with): shown once, above.
  const [first, ...rest] = ticket.actions;
  const opening = first && first.author_kind === "requester" && first.text === ticket.description;
  const actions = opening ? rest : ticket.actions;
  $("ticket-opening-files").replaceChildren(...(opening ? first.attachments.map(fileLink) : []));
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
  if (!refreshing) $("ticket-panel").scrollIntoView({ block: "nearest" });
}

function fileLink(file) {
  return el("div", {}, el("a", { href: file.url, target: "_blank", rel: "noopener noreferrer" }, `📎 ${file.filename}`),
    transcriptOf(file));
}

// The desk refreshes itself while it is on screen (a new ticket, a requester's reply, a status the
// ERP set), without reloading the page: the open panel is redrawn and its draft left as it is.
const DESK_REFRESH_MS = 15000;

function refreshDesk() {
  if (document.visibilityState !== "visible" || $("view-tickets").hidden || $("app").hidden) return;
  if (openTicket !== null) showTicket(openTicket, true);
  // Only the first page of the plain list: a search or a longer list stays as the agent left it.
  if (!$("ticket-search").value.trim() && ticketPages === 1) loadTickets(true);
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
function closeTicket() {
  Drafts.park(openTicket);
  openTicket = null;
  $("ticket-panel").hidden = true;
}

// --- wiring -------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  clearMessageOnAction();
  Session.onExpired((reason) => logout(reason));
  $("login-form").addEventListener("submit", login);
  $("new-password-form").addEventListener("submit", chooseNewPassword);
  $("dashboard-days").addEventListener("change", loadDashboard);
  $("admin-form").addEventListener("submit", inviteAdmin);
  $("ticket-search-form").addEventListener("submit", searchTickets);
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
  $("close-ticket").addEventListener("click", closeTicket);
  $("action-form").addEventListener("submit", postAction);
  setInterval(refreshDesk, DESK_REFRESH_MS);
  window.addEventListener("focus", refreshDesk);
  if (Session.resume()) enter();
});
