// Admin console, "Empresas": the companies served (a deactivated one is kept and marked; deleting
// one says what it affects first).

import { api, attempt } from "./api.js";
import { $, el, plural, show } from "./dom.js";
import { registerView } from "./navigation.js";

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

export function wire() {
  registerView("companies", loadCompanies);
  $("company-form").addEventListener("submit", createCompany);
}
