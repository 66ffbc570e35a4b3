// Admin console: one view on screen at a time, chosen in the nav; each screen's module registers
// how its view loads.

import { show } from "./dom.js";

const loaders = {};
const leaving = {}; // view -> what to ask before leaving it (unsaved changes), or null
let current = null;

/** `loader` runs each time the view `name` (its nav button's data-view) is opened; `beforeLeave`
 * may return a question to confirm before another view replaces it. */
export function registerView(name, loader, beforeLeave = null) {
  loaders[name] = loader;
  if (beforeLeave) leaving[name] = beforeLeave;
}

export function openView(name) {
  const question = current && current !== name && leaving[current] ? leaving[current]() : null;
  if (question && !window.confirm(question)) return;
  current = name;
  show("");
  for (const view of document.querySelectorAll(".view")) view.hidden = view.id !== `view-${name}`;
  for (const button of document.querySelectorAll("nav button")) button.classList.toggle("active", button.dataset.view === name);
  loaders[name]();
}
