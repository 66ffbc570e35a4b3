// Admin console: what every screen shares on the page: elements by id, elements built with text
// only (whatever the API sends goes in as text, never as HTML), the message box, São Paulo times
// and pt-BR plurals.

export const $ = (id) => document.getElementById(id);

/** An element with text children (strings become text nodes) and plain attributes. */
export function el(tag, attributes = {}, ...children) {
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

export function show(message, isError = false) {
  const box = $("message");
  box.textContent = message;
  box.classList.toggle("error", isError);
  box.hidden = !message;
}

// A message belongs to the action that raised it: the next action (a click, a submission, a choice)
// or another page clears it before it runs, so no banner outlives its cause.
export function clearMessageOnAction() {
  const actionable = "button, a, tr.clickable, input[type=checkbox], input[type=submit]";
  document.addEventListener("click", (event) => { if (event.target.closest(actionable)) show(""); }, true);
  document.addEventListener("submit", () => show(""), true);
  document.addEventListener("change", (event) => { if (event.target.matches("select")) show(""); }, true);
}

// The team works on São Paulo time (business hours, the bot's "a partir de ... às 08:00"): every
// time shown is São Paulo's, whatever the browser's zone.
export const TIME_ZONE = "America/Sao_Paulo";

export function formatDate(iso) {
  return iso ? new Date(iso).toLocaleString("pt-BR", { timeZone: TIME_ZONE }) : "";
}

/** "1 conversa", "2 conversas", "0 conversas" (pt-BR: only one is singular). */
export function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

/** A table body's only row, saying the list is empty. */
export function emptyRow(table, text) {
  const columns = table.tHead ? table.tHead.rows[0].cells.length : 1;
  return el("tr", { className: "empty" }, el("td", { colspan: columns }, text));
}
