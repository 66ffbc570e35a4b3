// Admin console: plain JS over the admin API (same origin), signed in through Cognito (session.js),
// as ES modules (no build step): this one signs in and out and starts every screen's module.
// Everything shown from the API goes in as text (textContent, element attributes), never as HTML.

import * as admins from "./admins.js";
import { onSessionRefused } from "./api.js";
import * as companies from "./companies.js";
import * as dashboard from "./dashboard.js";
import { $, clearMessageOnAction, show } from "./dom.js";
import { Drafts } from "./drafts.js";
import * as instances from "./instances.js";
import * as knowledge from "./knowledge.js";
import { openView } from "./navigation.js";
import * as privacy from "./privacy.js";
import * as quality from "./quality.js";
import * as requestTypes from "./request_types.js";
import { Session } from "./session.js";
import * as statuses from "./statuses.js";
import * as tickets from "./tickets.js";

const SCREENS = [dashboard, instances, companies, requestTypes, statuses, tickets, knowledge, admins, quality, privacy];

let challenge = null;

async function signInStep(action) {
  try {
    return await action();
  } catch (error) {
    show(error.message || "Não foi possível entrar.", true);
    return null;
  }
}

async function login(event) {
  event.preventDefault();
  const email = $("email").value.trim();
  const password = $("password").value;
  $("login-button").disabled = true;
  const result = await signInStep(() => Session.signIn(email, password));
  $("login-button").disabled = false;
  $("password").value = "";
  if (!result) return;
  if (result.done) {
    enter();
    return;
  }
  challenge = result.challenge;
  show("");
  $("login").hidden = true;
  $("new-password").hidden = false;
  $("new-password-value").focus();
}

async function chooseNewPassword(event) {
  event.preventDefault();
  const password = $("new-password-value").value;
  if (password !== $("new-password-confirm").value) {
    show("As senhas não conferem.", true);
    return;
  }
  const session = await signInStep(() => Session.completeNewPassword(challenge, password));
  if (!session) return;
  challenge = null;
  $("new-password-form").reset();
  enter("Senha definida.");
}

function enter(message = "") {
  $("login").hidden = true;
  $("new-password").hidden = true;
  $("app").hidden = false;
  $("logout").hidden = false;
  $("who").hidden = false;
  $("who").textContent = Session.email();
  openView("dashboard");
  show(message);
}

function logout(reason = "") {
  Session.signOut();
  instances.stopPolling();
  tickets.closeTicket();
  Drafts.clear();
  challenge = null;
  $("app").hidden = true;
  $("logout").hidden = true;
  $("who").hidden = true;
  $("new-password").hidden = true;
  $("login").hidden = false;
  show(reason, Boolean(reason));
}

// Module scripts run once the page is parsed: every element is there.
clearMessageOnAction();
Session.onExpired((reason) => logout(reason));
onSessionRefused((reason) => logout(reason));
$("login-form").addEventListener("submit", login);
$("new-password-form").addEventListener("submit", chooseNewPassword);
$("logout").addEventListener("click", () => logout());
for (const button of document.querySelectorAll("nav button")) button.addEventListener("click", () => openView(button.dataset.view));
for (const screen of SCREENS) screen.wire();
if (Session.resume()) enter();
else $("login").hidden = false;
