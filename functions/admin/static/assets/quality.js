// Admin console, "Qualidade" (closing the loop, issue 15): the ratings of a period, each number's
// business hours, and on a ticket's panel what its requester said of it.

import { api, attempt } from "./api.js";
import { $, el, formatDate, TIME_ZONE } from "./dom.js";
import { registerView } from "./navigation.js";

const WEEK = [["mon", "Segunda"], ["tue", "Terça"], ["wed", "Quarta"], ["thu", "Quinta"], ["fri", "Sexta"], ["sat", "Sábado"], ["sun", "Domingo"]];

/** The São Paulo date of an instant, as AAAA-MM-DD (the ratings' period is in São Paulo days). */
function isoDay(date) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE }).format(date);
}

// --- ratings ------------------------------------------------------------------------------

async function loadQuality() {
  if (!$("quality-to").value) {
    const today = new Date();
    $("quality-to").value = isoDay(today);
    $("quality-from").value = isoDay(new Date(today.getTime() - 29 * 86400000));
  }
  const instances = await attempt(() => api("GET", "/admin/instances"));
  if (!instances) return;
  const names = instances.items.map((instance) => instance.name);
  for (const id of ["quality-instance", "hours-instance"]) {
    const select = $(id);
    const chosen = select.value;
    const options = id === "quality-instance" ? [el("option", { value: "" }, "Todas")] : [];
    select.replaceChildren(...options, ...names.map((name) => el("option", { value: name }, name)));
    if (names.includes(chosen)) select.value = chosen;
  }
  // Both at once: the hours loaded after the ratings cleared rows a quicker choice of number had shown.
  await Promise.all([loadRatings(), $("hours-instance").value ? loadHours() : null]);
}

async function loadRatings(event) {
  if (event) event.preventDefault();
  const query = new URLSearchParams();
  for (const [name, id] of [["instance", "quality-instance"], ["company", "quality-company"], ["from", "quality-from"], ["to", "quality-to"]]) {
    if ($(id).value.trim()) query.set(name, $(id).value.trim());
  }
  const figures = await attempt(() => api("GET", `/admin/ratings?${query}`));
  if (!figures) return;
  $("rating-count").textContent = figures.count;
  $("rating-count-label").textContent = figures.count === 1 ? "avaliação" : "avaliações";
  $("rating-average").textContent = figures.average === null ? "–" : figures.average.toFixed(2).replace(".", ",");
  const most = Math.max(1, ...Object.values(figures.distribution));
  $("rating-distribution").replaceChildren(...[5, 4, 3, 2, 1].map((value) => {
    const count = figures.distribution[String(value)] || 0;
    const bar = el("span", { className: "bar" });
    bar.style.width = `${(count / most) * 100}%`; // CSSOM, not a style attribute: the CSP allows it
    return el("li", { "data-value": value },
      el("span", { className: "label" }, `${"★".repeat(value)}`), bar, el("span", { className: "count" }, count));
  }));
  $("rating-results").hidden = false;
}

// --- business hours -----------------------------------------------------------------------

function hoursRows(hours) {
  const weekly = (hours && hours.weekly) || {};
  $("hours-week").replaceChildren(...WEEK.map(([key, label]) =>
    el("tr", {},
      el("th", {}, label),
      el("td", {}, el("input", {
        id: `hours-${key}`,
        value: (weekly[key] || []).map(([open, close]) => `${open}-${close}`).join(", "),
        placeholder: "fechado (ex.: 08:00-12:00, 13:00-18:00)",
      })))));
  $("hours-holidays").value = ((hours && hours.holidays) || []).join("\n");
}

function hoursStatus(view) {
  if (!view.hours) return "Sem horário definido: o atendimento é considerado sempre aberto.";
  const next = view.next_opening ? ` Próxima abertura: ${formatDate(view.next_opening)}.` : "";
  return view.open_now ? "Aberto agora." : `Fora do horário agora.${next}`;
}

async function loadHours() {
  const name = $("hours-instance").value;
  if (!name) return;
  // Another number's rows must not stay editable while this one's load, nor come back late over them.
  $("hours-week").replaceChildren();
  $("hours-status").textContent = "";
  const view = await attempt(() => api("GET", `/admin/instances/${encodeURIComponent(name)}/hours`));
  if (!view || $("hours-instance").value !== name) return;
  hoursRows(view.hours);
  $("hours-status").textContent = hoursStatus(view);
}

function readHours() {
  const weekly = {};
  for (const [key] of WEEK) {
    const text = $(`hours-${key}`).value.trim();
    weekly[key] = text ? text.split(",").map((part) => part.trim().split("-").map((time) => time.trim())) : [];
  }
  const holidays = $("hours-holidays").value.split(/\s+/).filter(Boolean);
  return { weekly, holidays };
}

async function saveHours(event) {
  event.preventDefault();
  const name = $("hours-instance").value;
  const view = await attempt(() => api("PUT", `/admin/instances/${encodeURIComponent(name)}/hours`, readHours()), "Horário salvo.");
  if (view) $("hours-status").textContent = hoursStatus(view);
}

async function clearHours() {
  const name = $("hours-instance").value;
  const view = await attempt(() => api("DELETE", `/admin/instances/${encodeURIComponent(name)}/hours`), "Horário removido.");
  if (!view) return;
  hoursRows(null);
  $("hours-status").textContent = hoursStatus(view);
}

/** What the requester said about the ticket: the rating, reopenings, opened out of hours. */
export function ticketQuality(ticket) {
  const parts = [];
  if (ticket.rating !== null && ticket.rating !== undefined) {
    parts.push(`Avaliação: ${"★".repeat(ticket.rating)}${"☆".repeat(5 - ticket.rating)} (${ticket.rating}/5)` +
      (ticket.rating_comment ? ` — “${ticket.rating_comment}”` : ""));
  }
  if (ticket.reopened_count) parts.push(`Reaberto pelo solicitante ${ticket.reopened_count}×`);
  if (ticket.opened_out_of_hours) parts.push("Aberto fora do horário de atendimento");
  const box = $("ticket-quality");
  if (box) {
    box.textContent = parts.join(" · ");
    box.hidden = !parts.length;
  }
}

export function wire() {
  registerView("quality", loadQuality);
  $("quality-form").addEventListener("submit", loadRatings);
  $("hours-instance").addEventListener("change", loadHours);
  $("hours-form").addEventListener("submit", saveHours);
  $("hours-clear").addEventListener("click", clearHours);
}
