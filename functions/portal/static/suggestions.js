// Requester portal, new-ticket form: knowledge-base articles suggested while the subject and the
// description are typed (the bot's search for the company and type chosen, at most three). One can
// be read in place; "Isso resolveu?" yes counts a ticket avoided (none opened), no goes back to the
// form, and a ticket opened with suggestions on screen records them (what the requester read too).

import { api } from "./api.js";
import { $, el } from "./page.js";
import { renderWhatsApp } from "./markup.js";

const WAIT_MS = 400; // typing pauses this long before the search
const MAX_OFFERED = 3;

let timer = null;
let asked = 0; // answers to older questions are dropped
let shown = []; // [{id, title, body}] on screen
let opened = new Map(); // id -> {id, title}: articles read, kept if later typing hides them
let onResolved = () => {};

function question() {
  return `${$("new-title").value}\n${$("new-description").value}`.trim();
}

async function search() {
  const number = ++asked;
  const params = new URLSearchParams({ cnpj: $("new-company").value, type: $("new-type").value, q: question() });
  let found = [];
  try {
    found = (await api("GET", `/articles?${params}`)).items;
  } catch (ignored) {
    found = []; // suggestions are a help: the form goes on without them
  }
  if (number !== asked) return;
  shown = found;
  render();
}

function render() {
  const items = shown.map((article) => {
    const item = el("li");
    const button = el("button", "link suggestion", article.title);
    button.type = "button";
    button.dataset.id = article.id;
    button.addEventListener("click", () => read(article));
    item.append(button);
    return item;
  });
  $("suggestion-list").replaceChildren(...items);
  $("suggestions").hidden = !shown.length;
}

function read(article) {
  opened.set(article.id, { id: article.id, title: article.title });
  $("article-title").textContent = article.title;
  $("article-body").replaceChildren(...renderWhatsApp(article.body));
  $("article-view").dataset.id = article.id;
  $("article-view").hidden = false;
  $("article-view").scrollIntoView({ block: "nearest" });
}

function closeArticle() {
  $("article-view").hidden = true;
}

/** What the ticket or the deflection records: the articles read first, then those on screen. */
export function offered() {
  const all = Array.from(opened.keys(), (id) => ({ id, opened: true }));
  for (const article of shown) if (!opened.has(article.id)) all.push({ id: article.id, opened: false });
  return all.slice(0, MAX_OFFERED);
}

async function solved() {
  const button = $("article-solved");
  button.disabled = true;
  try {
    await api("POST", "/articles/resolved", { cnpj: $("new-company").value, offered_articles: offered() });
    reset();
    onResolved();
  } catch (error) {
    onResolved(error);
  } finally {
    button.disabled = false;
  }
}

/** A fresh form: nothing suggested, nothing read. */
export function reset() {
  clearTimeout(timer);
  asked += 1;
  shown = [];
  opened = new Map();
  closeArticle();
  render();
}

/** `resolvedCallback(error?)`: after "Sim, resolveu" is recorded (or failed). */
export function wire(resolvedCallback) {
  onResolved = resolvedCallback;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(search, WAIT_MS);
  };
  for (const id of ["new-title", "new-description"]) $(id).addEventListener("input", later);
  for (const id of ["new-type", "new-company"]) $(id).addEventListener("change", later);
  $("article-solved").addEventListener("click", solved);
  $("article-not-solved").addEventListener("click", () => {
    closeArticle();
    $("new-description").focus();
  });
}
