// Admin console, "Base de conhecimento": the articles the bot and the portal offer before a ticket
// opens (list, search as the bot searches, create, edit, publish or keep as a draft, delete), a
// preview as WhatsApp shows the article, and the synonyms list the search uses.

import { api, attempt } from "./api.js";
import { $, el, emptyRow, formatDate } from "./dom.js";
import { registerView } from "./navigation.js";
import { renderWhatsApp } from "./whatsapp_markup.js";

let editing = null; // the article being edited (null: a new one)
let companyNames = {}; // CNPJ (digits) -> name, to show whom an article applies to

const digits = (text) => text.replace(/\D/g, "");

function companiesText(article) {
  if (!article.cnpjs.length) return "Todas";
  return article.cnpjs.map((cnpj) => companyNames[cnpj] || cnpj).join(", ");
}

async function loadArticles() {
  const params = new URLSearchParams();
  const query = $("kb-search").value.trim();
  if (query) params.set("q", query);
  if ($("kb-status-filter").value) params.set("status", $("kb-status-filter").value);
  const data = await attempt(() => api("GET", `/admin/articles${params.size ? `?${params}` : ""}`));
  if (!data) return;
  const table = $("kb-table");
  const rows = data.items.map((article) => el("tr", { "data-id": article.id },
    el("td", { className: "kb-title" }, article.title),
    el("td", {}, article.request_type || "Todos"),
    el("td", {}, companiesText(article)),
    el("td", { className: "kb-state" }, article.published ? "Publicado" : "Rascunho"),
    el("td", {}, formatDate(article.updated_at)),
    el("td", {},
      el("button", { type: "button", className: "kb-edit", onclick: () => openEditor(article) }, "Editar"), " ",
      el("button", { type: "button", className: "kb-toggle", onclick: () => togglePublished(article) },
        article.published ? "Voltar para rascunho" : "Publicar"), " ",
      el("button", { type: "button", className: "danger", onclick: () => removeArticle(article) }, "Excluir"))));
  const empty = query ? "Nenhum artigo encontrado para esta busca." : "Nenhum artigo cadastrado ainda.";
  table.tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(table, empty)]));
}

async function loadRequestTypes() {
  const data = await attempt(() => api("GET", "/admin/request-types"));
  if (!data) return;
  const keep = $("kb-type").value;
  const options = data.items.map((type) => el("option", { value: type.name }, type.name));
  $("kb-type").replaceChildren(el("option", { value: "" }, "— todos os tipos —"), ...options);
  $("kb-type").value = keep;
}

async function loadCompanies() {
  const data = await attempt(() => api("GET", "/admin/companies"));
  if (data) companyNames = Object.fromEntries(data.items.map((company) => [digits(company.cnpj), company.name]));
}

async function loadSynonyms() {
  const data = await attempt(() => api("GET", "/admin/knowledge/synonyms"));
  if (data) $("kb-synonyms").value = data.text;
}

async function loadView() {
  closeEditor();
  await Promise.all([loadCompanies(), loadRequestTypes(), loadSynonyms()]);
  loadArticles();
}

function openEditor(article = null) {
  editing = article;
  $("kb-editor-title").textContent = article ? "Editar artigo" : "Novo artigo";
  $("kb-title").value = article ? article.title : "";
  $("kb-body").value = article ? article.body : "";
  $("kb-keywords").value = article ? article.keywords.join(", ") : "";
  const type = article ? article.request_type || "" : "";
  if (type && ![...$("kb-type").options].some((option) => option.value === type)) {
    $("kb-type").append(el("option", { value: type }, `${type} (não cadastrado)`));
  }
  $("kb-type").value = type;
  $("kb-cnpjs").value = article ? article.cnpjs.join("\n") : "";
  $("kb-published").checked = article ? article.published : false;
  $("kb-editor").hidden = false;
  renderPreview();
  renderCompanies();
  $("kb-title").focus();
}

function closeEditor() {
  editing = null;
  $("kb-editor").hidden = true;
  $("kb-form").reset();
}

/** Whom the CNPJs typed name: the companies' names, and which are not registered. */
function renderCompanies() {
  const typed = $("kb-cnpjs").value.split(/[\n,;]+/).map(digits).filter(Boolean);
  const known = typed.filter((cnpj) => companyNames[cnpj]).map((cnpj) => companyNames[cnpj]);
  const unknown = typed.filter((cnpj) => !companyNames[cnpj]);
  const parts = [];
  if (!typed.length) parts.push("Vale para todas as empresas.");
  if (known.length) parts.push(`Vale para: ${known.join(", ")}.`);
  if (unknown.length) parts.push(`Empresa não cadastrada: ${unknown.join(", ")}.`);
  $("kb-cnpjs-names").textContent = parts.join(" ");
}

/** The article as the bot sends it ("📄 *título*", a blank line, the text). */
function renderPreview() {
  const title = $("kb-title").value.trim() || "Título do artigo";
  const text = `📄 *${title}*\n\n${$("kb-body").value.trim() || "Texto do artigo"}`;
  $("kb-preview").replaceChildren(...renderWhatsApp(text));
  $("kb-body-count").textContent = `${$("kb-body").value.trim().length} de 3000 caracteres`;
}

function formArticle() {
  return {
    title: $("kb-title").value,
    body: $("kb-body").value,
    keywords: $("kb-keywords").value.split(",").map((word) => word.trim()).filter(Boolean),
    request_type: $("kb-type").value || null,
    cnpjs: $("kb-cnpjs").value.split(/[\n,;]+/).map((cnpj) => cnpj.trim()).filter(Boolean),
    published: $("kb-published").checked,
  };
}

async function saveArticle(event) {
  event.preventDefault();
  const body = formArticle();
  const saved = editing
    ? await attempt(() => api("PUT", `/admin/articles/${encodeURIComponent(editing.id)}`, body), "Artigo salvo.")
    : await attempt(() => api("POST", "/admin/articles", body), body.published ? "Artigo publicado." : "Artigo salvo como rascunho.");
  if (!saved) return;
  closeEditor();
  loadArticles();
}

async function togglePublished(article) {
  const published = !article.published;
  const path = `/admin/articles/${encodeURIComponent(article.id)}`;
  if (await attempt(() => api("PUT", path, { published }), published ? "Artigo publicado." : "Artigo voltou para rascunho.")) loadArticles();
}

async function removeArticle(article) {
  if (!confirm(`Excluir o artigo "${article.title}"? O bot e o portal deixam de oferecê-lo.`)) return;
  const path = `/admin/articles/${encodeURIComponent(article.id)}`;
  if ((await attempt(() => api("DELETE", path), "Artigo excluído.")) === undefined) return;
  if (editing && editing.id === article.id) closeEditor();
  loadArticles();
}

async function saveSynonyms(event) {
  event.preventDefault();
  const saved = await attempt(() => api("PUT", "/admin/knowledge/synonyms", { text: $("kb-synonyms").value }), "Sinônimos salvos.");
  if (saved) $("kb-synonyms").value = saved.text;
}

export function wire() {
  registerView("knowledge", loadView);
  $("kb-search-form").addEventListener("submit", (event) => { event.preventDefault(); loadArticles(); });
  $("kb-status-filter").addEventListener("change", loadArticles);
  $("kb-new").addEventListener("click", () => openEditor());
  $("kb-cancel").addEventListener("click", closeEditor);
  $("kb-form").addEventListener("submit", saveArticle);
  $("kb-title").addEventListener("input", renderPreview);
  $("kb-body").addEventListener("input", renderPreview);
  $("kb-cnpjs").addEventListener("input", renderCompanies);
  $("kb-synonyms-form").addEventListener("submit", saveSynonyms);
}
