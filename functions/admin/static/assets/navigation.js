// Admin console: one view on screen at a time, chosen in the nav; each screen's module registers
// how its view loads.

import { show } from "./dom.js";

const loaders = {};

/** `loader` runs each time the view `name` (its nav button's data-view) is opened. */
export function registerView(name, loader) {
  loaders[name] = loader;
}

export function openView(name) {
  show("");
  for (const view of document.querySelectorAll(".view")) view.hidden = view.id !== `view-${name}`;
  for (const button of document.querySelectorAll("nav button")) button.classList.toggle("active", button.dataset.view === name);
  loaders[name]();
}
