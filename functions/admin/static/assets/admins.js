// Admin console, "Administradores": the console's users (invite, display name, deactivate).

import { api, attempt } from "./api.js";
import { $, el } from "./dom.js";
import { registerView } from "./navigation.js";

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

export function wire() {
  registerView("admins", loadAdmins);
  $("admin-form").addEventListener("submit", inviteAdmin);
}
