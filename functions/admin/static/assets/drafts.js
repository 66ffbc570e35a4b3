// Admin console: the answer form's drafts. A draft (text, files, "Nota interna", new status) belongs
// to the ticket it was written on: opening another ticket puts that ticket's own draft (or an empty
// form) in place, so one customer's reply or file can never be sent to another. Drafts live in this
// page's memory only, and logout forgets them all.

export const Drafts = (() => {
  const byTicket = new Map();
  const form = () => document.getElementById("action-form");
  const field = (id) => document.getElementById(id);

  /** What the form holds now, or null when it holds nothing worth keeping. */
  function read() {
    const draft = {
      text: field("action-text").value,
      files: Array.from(field("action-files").files),
      internal: field("action-internal").checked,
      status: field("action-status").value,
    };
    return draft.text.trim() || draft.files.length || draft.internal || draft.status ? draft : null;
  }

  function write(draft) {
    form().reset();
    if (!draft) return;
    field("action-text").value = draft.text;
    field("action-internal").checked = draft.internal;
    field("action-status").value = draft.status;
    if (draft.files.length) {
      const transfer = new DataTransfer();
      for (const file of draft.files) transfer.items.add(file);
      field("action-files").files = transfer.files;
    }
  }

  return {
    /** Keeps the form as `number`'s draft (the ticket the form was showing) and empties it. */
    park(number) {
      if (number !== null && number !== undefined) {
        const draft = read();
        if (draft) byTicket.set(number, draft);
        else byTicket.delete(number);
      }
      write(null);
    },
    /** Fills the form with `number`'s own draft, or empties it. */
    restore(number) {
      write(byTicket.get(number) || null);
    },
    /** `number`'s answer was sent: its draft is gone. */
    sent(number) {
      byTicket.delete(number);
    },
    /** Logout: every draft is forgotten and the form emptied. */
    clear() {
      byTicket.clear();
      write(null);
    },
  };
})();
