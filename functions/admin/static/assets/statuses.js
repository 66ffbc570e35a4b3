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

function statusRow(name, aliases) {
  const remove = el("button", { type: "button", className: "danger remove-status" }, "Remover");
  const row = el("tr", { className: "status-row" },
    el("td", {}, el("input", { className: "status-name", value: name, maxlength: "40", "aria-label": "Nome do status", required: true })),
    el("td", {}, el("input", { className: "status-erp", value: aliases.join(", "), "aria-label": "Nomes no ERP" })),
    el("td", {}, remove));
  remove.addEventListener("click", () => { row.remove(); renderRoleSelects(); });
  row.querySelector(".status-name").addEventListener("change", renderRoleSelects);
  return row;
}

function editedNames() {
  return Array.from(document.querySelectorAll("#statuses-table .status-name")).map((input) => input.value.trim()).filter(Boolean);
}

function renderRoleSelects(roles = null) {
  const names = editedNames();
  $("status-roles").replaceChildren(...ROLE_LABELS.map(([role, label]) => {
    const select = el("select", { id: `role-${role}`, "data-role": role },
      ...names.map((name) => el("option", { value: name }, name)));
    const previous = roles ? roles[role] : (document.getElementById(`role-${role}`) || {}).value;
    if (names.includes(previous)) select.value = previous;
    return el("p", {}, el("label", { for: `role-${role}` }, label), " ", select);
  }));
}

async function loadStatuses() {
  const list = await refreshStatusChoices();
  if (!list) return;
  $("statuses-table").tBodies[0].replaceChildren(...list.names.map((name) => statusRow(name, list.erp_names[name] || [])));
  // The selects are drawn from the rows just put in place.
  $("status-roles").replaceChildren();
  renderRoleSelects(list.roles);
}

function addStatus(event) {
  event.preventDefault();
  const name = $("new-status").value.trim();
  if (!name) return;
  $("statuses-table").tBodies[0].append(statusRow(name, []));
  $("new-status").value = "";
  renderRoleSelects();
}

async function saveStatuses(event) {
  event.preventDefault();
  const rows = Array.from(document.querySelectorAll("#statuses-table .status-row"));
  const names = rows.map((row) => row.querySelector(".status-name").value.trim());
  const erpNames = {};
  for (const row of rows) {
    const aliases = row.querySelector(".status-erp").value.split(",").map((alias) => alias.trim()).filter(Boolean);
    if (aliases.length) erpNames[row.querySelector(".status-name").value.trim()] = aliases;
  }
  const roles = {};
  for (const select of document.querySelectorAll("#status-roles select")) roles[select.dataset.role] = select.value;
  if (await attempt(() => api("PUT", "/admin/statuses", { names, roles, erp_names: erpNames }), "Status salvos.")) loadStatuses();
}

export function wire() {
  registerView("statuses", loadStatuses);
  $("new-status-form").addEventListener("submit", addStatus);
  $("statuses-form").addEventListener("submit", saveStatuses);
}
