// Requester portal: sign-in, the requester's tickets, a ticket's history and answer form, a new ticket,
// and the hash routes between them. Every value from the API is written with textContent, never as HTML.

import { api, readFile } from "./api.js";
import { $, audioPlayer, el, formatDate, formatSize, notice, notServedText, transcriptOf } from "./page.js";
import * as suggestions from "./suggestions.js";

(function () {
  const views = ["login-view", "tickets-view", "ticket-view", "new-ticket-view"];
  // An open ticket follows the team's answers and status changes: asked again every so often
  // while the page is visible, and at once when the requester comes back to it.
  const REFRESH_MS = 10000;
  let refreshTimer = null;

  function show(view) {
    for (const id of views) $(id).hidden = id !== view;
    clearInterval(refreshTimer);
    refreshTimer = view === "ticket-view" ? setInterval(refreshTicket, REFRESH_MS) : null;
  }

  /** The open ticket again, in place: what is being written (text, files) stays as it is. */
  async function refreshTicket() {
    const number = $("ticket-view").dataset.number;
    if ($("ticket-view").hidden || !number || document.visibilityState === "hidden") return;
    try {
      renderTicket(await api("GET", "/tickets/" + encodeURIComponent(number)));
    } catch (error) {
      if (error.status === 401) failed(error);
    }
  }

  function failed(error) {
    if (error.status === 401) {
      showLogin("Sua sessão terminou. Entre novamente.");
      return;
    }
    notice(error.message || "Algo deu errado. Tente novamente.", true);
  }

  // --- login ---------------------------------------------------------------------------------

  function showLogin(message) {
    $("who").hidden = true;
    show("login-view");
    notice(message || "", false);
    $("login-user").focus();
  }

  async function login(event) {
    event.preventDefault();
    const button = $("login-submit");
    button.disabled = true;
    try {
      const result = await api("POST", "/login", { user: $("login-user").value, password: $("login-password").value });
      $("login-password").value = "";
      $("who-name").textContent = result.name || "";
      notice("");
      if (location.hash === "#/" || /^#\/tickets\//.test(location.hash)) route();
      else location.hash = "#/"; // hashchange routes
    } catch (error) {
      notice(error.message, true);
    } finally {
      button.disabled = false;
    }
  }

  async function logout() {
    try {
      await api("POST", "/logout");
    } catch (ignored) {
      // the cookie is gone or the session had expired: the login page either way
    }
    history.replaceState(null, "", location.pathname);
    showLogin("Você saiu do portal.");
  }

  // --- tickets -------------------------------------------------------------------------------

  async function showTickets() {
    const data = await api("GET", "/tickets");
    $("who-name").textContent = data.requester.name || "";
    $("who").hidden = false;
    const box = $("companies");
    box.replaceChildren();
    if (!data.companies.length) box.append(el("p", "hint", "Nenhuma empresa vinculada."));
    const retired = data.companies.filter((company) => company.served === false).map((company) => company.name);
    $("new-ticket-link").hidden = data.companies.length > 0 && retired.length === data.companies.length;
    $("not-served").textContent = notServedText(retired);
    $("not-served").hidden = !retired.length;
    for (const company of data.companies) {
      const section = el("div", "company");
      section.append(el("h3", "", company.name + (company.served === false ? " (não atendida)" : "")));
      if (!company.tickets.length) {
        section.append(el("p", "hint", "Nenhum atendimento."));
      } else {
        const list = el("ul", "tickets");
        for (const ticket of company.tickets) {
          const item = el("li");
          const link = el("a");
          link.href = "#/tickets/" + encodeURIComponent(ticket.number);
          link.dataset.ticket = String(ticket.number);
          link.append(el("span", "number", "#" + ticket.number), el("span", "title", ticket.title), el("span", "status", ticket.status));
          item.append(link);
          list.append(item);
        }
        section.append(list);
      }
      box.append(section);
    }
    show("tickets-view");
  }

  function renderAction(action) {
    const item = el("li", action.author_kind === "requester" ? "requester" : "agent");
    const who = action.author_kind === "requester" ? "Você" : action.author_name || "Atendente";
    item.append(el("div", "meta", who + " · " + formatDate(action.created_at)));
    if (action.deleted_by_requester_at) {
      item.classList.add("deleted");
      item.append(el("div", "deleted-note", "🚫 Você apagou esta mensagem"));
      return item;
    }
    let text = action.text || "";
    if (action.kind === "status" && action.status) text = "Situação alterada para " + action.status + (text ? "\n" + text : "");
    if (text) item.append(el("div", "text", text));
    if (action.attachments && action.attachments.length) {
      const files = el("ul", "files");
      for (const file of action.attachments) {
        const entry = el("li");
        if (file.kind === "audio") {
          // The transcript first (what was said), the audio under it to be heard.
          const said = transcriptOf(file);
          if (said) entry.append(said);
          entry.append(audioPlayer(file));
          files.append(entry);
          continue;
        }
        if (file.kind === "image") {
          // A picture is seen at once; the link under it opens (downloads) the whole file.
          const thumb = el("img", "thumb");
          thumb.src = file.url;
          thumb.alt = file.filename;
          thumb.loading = "lazy";
          entry.append(thumb);
        }
        const link = el("a", "", file.filename);
        link.href = file.url;
        link.rel = "noopener noreferrer";
        link.target = "_blank";
        entry.append(link, document.createTextNode(" (" + formatSize(file.size) + ")"));
        const transcript = transcriptOf(file);
        if (transcript) entry.append(transcript);
        files.append(entry);
      }
      item.append(files);
    }
    return item;
  }

  async function showTicket(number) {
    const ticket = await api("GET", "/tickets/" + encodeURIComponent(number));
    $("who").hidden = false;
    renderTicket(ticket);
    show("ticket-view");
  }

  function renderTicket(ticket) {
    $("ticket-view").dataset.number = String(ticket.number);
    $("ticket-title").textContent = ticket.title;
    $("ticket-number").textContent = "#" + ticket.number;
    $("ticket-status").textContent = ticket.status;
    $("ticket-company").textContent = ticket.company.name;
    $("ticket-type").textContent = ticket.request_type || "—";
    $("ticket-created").textContent = formatDate(ticket.created_at);
    $("actions").replaceChildren(...ticket.actions.map(renderAction));
  }

  // --- a new ticket, as the bot asks for one -------------------------------------------------

  async function showNewTicket() {
    const form = await api("GET", "/new-ticket");
    $("who").hidden = false;
    const companies = form.companies.map((company) => {
      const option = el("option", "", company.name);
      option.value = company.cnpj;
      return option;
    });
    $("new-company").replaceChildren(...companies);
    $("new-company-row").hidden = companies.length < 2;
    const types = form.request_types.map((kind) => {
      const option = el("option", "", kind.name);
      option.value = kind.id;
      return option;
    });
    const other = el("option", "", "Outro");
    other.value = "";
    $("new-type").replaceChildren(...types, other);
    suggestions.reset();
    $("new-title").maxLength = form.max_subject_length;
    $("new-description").maxLength = form.max_description_length;
    show("new-ticket-view");
    const retired = notServedText(form.not_served || []);
    $("new-ticket-form").hidden = !companies.length;
    $("new-ticket-closed").hidden = companies.length > 0 || !retired;
    $("new-ticket-closed").textContent = retired;
    if (!companies.length) {
      if (!retired) notice("Nenhuma empresa vinculada: fale conosco pelo WhatsApp.", true);
      return;
    }
    $("new-title").focus();
  }

  async function openTicket(event) {
    event.preventDefault();
    const button = $("new-ticket-submit");
    button.disabled = true;
    try {
      const attachments = await Promise.all(Array.from($("new-files").files).map(readFile));
      const created = await api("POST", "/tickets", {
        cnpj: $("new-company").value,
        title: $("new-title").value,
        request_type_id: $("new-type").value || null,
        description: $("new-description").value,
        attachments,
        offered_articles: suggestions.offered(),
      });
      $("new-ticket-form").reset();
      suggestions.reset();
      location.hash = "#/tickets/" + created.number;
      notice("Atendimento " + created.number + " aberto. Avisaremos aqui e pelo WhatsApp quando houver resposta.");
    } catch (error) {
      failed(error);
    } finally {
      button.disabled = false;
    }
  }

  async function postAction(event) {
    event.preventDefault();
    const number = $("ticket-view").dataset.number;
    const button = $("action-submit");
    button.disabled = true;
    try {
      const attachments = await Promise.all(Array.from($("action-files").files).map(readFile));
      await api("POST", "/tickets/" + encodeURIComponent(number) + "/actions", { text: $("action-text").value, attachments });
      $("action-text").value = "";
      $("action-files").value = "";
      notice("Mensagem enviada.");
      await showTicket(number);
    } catch (error) {
      failed(error);
    } finally {
      button.disabled = false;
    }
  }

  // --- navigation ----------------------------------------------------------------------------

  async function route() {
    const match = /^#\/tickets\/(\d+)$/.exec(location.hash);
    try {
      if (match) await showTicket(match[1]);
      else if (location.hash === "#/novo") await showNewTicket();
      else await showTickets();
    } catch (error) {
      if (error.status === 404) {
        notice(error.message, true);
        location.hash = "#/";
        return;
      }
      if (error.status === 401) {
        showLogin();
        return;
      }
      failed(error);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("login-form").addEventListener("submit", login);
    $("logout").addEventListener("click", logout);
    $("back").addEventListener("click", () => {
      notice("");
      location.hash = "#/";
    });
    $("action-form").addEventListener("submit", postAction);
    $("new-ticket-form").addEventListener("submit", openTicket);
    suggestions.wire((error) => {
      if (error) return failed(error);
      $("new-ticket-form").reset();
      location.hash = "#/";
      notice("Que bom que resolveu! 🎉 Não abrimos o atendimento. Se precisar, é só abrir um novo.");
    });
    $("new-ticket-back").addEventListener("click", () => {
      notice("");
      location.hash = "#/";
    });
    document.addEventListener("visibilitychange", refreshTicket);
    window.addEventListener("focus", refreshTicket);
    window.addEventListener("hashchange", route);
    route();
  });
})();
