// Admin console, "Status dos chamados": the managed list of ticket statuses, and the answer form's
// status select and the filter's suggestions, both filled from it.

import { api, attempt } from "./api.js";
import { $, el } from "./dom.js";
import { registerView } from "./navigation.js";

const ROLE_LABELS = [
  ["closed", "Encerrado (pergunta ao solicitante se foi resolvido)"],
  ["reopened", "Reaberto (quando o solicitante diz que não foi resolvido)"],
  ["waiting", "Aguardando o cliente"],
  ["acting", "A equipe precisa agir (a resposta do solicitante leva a este)"],
];

let statusList = null; // the last list read: {names, roles, erp_names}

/** Reads the list and fills the answer form's select and the filter's suggestions. */
export async function refreshStatusChoices() {
  const list = await attempt(() => api("GET", "/admin/statuses"));
  if (!list) return null;
  statusList = list;
  const select = $("action-status");
  const chosen = select.value;
  select.replaceChildren(el("option", { value: "" }, "— manter o status atual —"),
    ...list.names.map((name) => el("option", { value: name }, name)));
  select.value = list.names.includes(chosen) ? chosen : "";
  $("statuses").replaceChildren(...list.names.map((name) => el("option", { value: name })));
  return list;
}

// Each role points at a row, not at a name: renaming a status keeps its roles (the name the
// select shows follows the row), and a removed row leaves its role to be chosen again.
let rowCount = 0;
let unsaved = false; // an edit, an addition or a removal not saved yet: leaving the page asks first
const UNSAVED = "Há alterações nos status que não foram salvas. Sair mesmo assim e perdê-las?";

function markUnsaved() {
  unsaved = true;
  $("statuses-unsaved").hidden = false;
}

function statusRow(name, aliases, isNew = false) {
  const remove = el("button", { type: "button", className: "danger remove-status" }, "Remover");
  const row = el("tr", { className: isNew ? "status-row unsaved" : "status-row", "data-key": `row-${++rowCount}` },
    el("td", {}, el("input", { className: "status-name", value: name, maxlength: "40", "aria-label": "Nome do status", required: true }),
      isNew ? el("span", { className: "unsaved-mark" }, " (não salvo)") : null),
    el("td", {}, el("input", { className: "status-erp", value: aliases.join(", "), "aria-label": "Nomes no ERP" })),
    el("td", {}, remove));
  remove.addEventListener("click", () => { row.remove(); markUnsaved(); renderRoleSelects(); });
  row.querySelector(".status-name").addEventListener("input", () => { markUnsaved(); renderRoleSelects(); });
  row.querySelector(".status-erp").addEventListener("input", markUnsaved);
  return row;
}

function rows() {
  return Array.from(document.querySelectorAll("#statuses-table .status-row"));
}

const nameOf = (row) => row.querySelector(".status-name").value.trim();

/** The selects list the rows by their current names; each keeps the row it pointed at. `roles`
 * (role -> name, as saved) chooses the rows when the list is drawn from the server. */
function renderRoleSelects(roles = null) {
  const current = rows();
  $("status-roles").replaceChildren(...ROLE_LABELS.map(([role, label]) => {
    const previous = roles
      ? (current.find((row) => nameOf(row) === roles[role]) || {}).dataset?.key
      : (document.getElementById(`role-${role}`) || {}).value;
    const select = el("select", { id: `role-${role}`, "data-role": role },
      el("option", { value: "" }, "— escolha um status —"),
      ...current.filter((row) => nameOf(row)).map((row) => el("option", { value: row.dataset.key }, nameOf(row))));
    select.value = current.some((row) => row.dataset.key === previous) ? previous : "";
    select.addEventListener("change", markUnsaved);
    return el("p", {}, el("label", { for: `role-${role}` }, label), " ", select);
  }));
}

async function loadStatuses() {
  const list = await refreshStatusChoices();
  if (!list) return;
  $("statuses-table").tBodies[0].replaceChildren(...list.names.map((name) => statusRow(name, list.erp_names[name] || [])));
  $("status-roles").replaceChildren();
  renderRoleSelects(list.roles);
  unsaved = false;
  $("statuses-unsaved").hidden = true;
}

function addStatus(event) {
  event.preventDefault();
  const name = $("new-status").value.trim();
  if (!name) return;
  $("statuses-table").tBodies[0].append(statusRow(name, [], true));
  $("new-status").value = "";
  markUnsaved();
  renderRoleSelects();
}

async function saveStatuses(event) {
  event.preventDefault();
  const names = rows().map(nameOf);
  const erpNames = {};
  for (const row of rows()) {
    const aliases = row.querySelector(".status-erp").value.split(",").map((alias) => alias.trim()).filter(Boolean);
    if (aliases.length) erpNames[nameOf(row)] = aliases;
  }
  const roles = {};
  for (const select of document.querySelectorAll("#status-roles select")) {
    const row = rows().find((candidate) => candidate.dataset.key === select.value);
    roles[select.dataset.role] = row ? nameOf(row) : "";
  }
  if (await attempt(() => api("PUT", "/admin/statuses", { names, roles, erp_names: erpNames }), "Status salvos.")) loadStatuses();
}

export function wire() {
  registerView("statuses", loadStatuses, () => (unsaved ? UNSAVED : null));
  window.addEventListener("beforeunload", (event) => {
    if (!unsaved || $("view-statuses").hidden) return;
    event.preventDefault();
    event.returnValue = UNSAVED; // the browser shows its own words
  });
  $("new-status-form").addEventListener("submit", addStatus);
  $("statuses-form").addEventListener("submit", saveStatuses);
}
