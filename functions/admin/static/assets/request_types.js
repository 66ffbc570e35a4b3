// Admin console, "Tipos de solicitação": what a requester can open a ticket about.

import { api, attempt } from "./api.js";
import { $, el } from "./dom.js";
import { registerView } from "./navigation.js";

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

export function wire() {
  registerView("request-types", loadRequestTypes);
  $("rtype-form").addEventListener("submit", createRequestType);
}
