// WhatsApp's message markup shown as WhatsApp shows it (the knowledge base's preview): *bold*,
// _italic_, ~strike~, ```monospace``` and links. Built as DOM nodes with text children only:
// an article's text never goes in as HTML.

import { el } from "./dom.js";

// One marked span: the marker, then text that neither starts nor ends with a space, then the
// same marker (as WhatsApp reads it); or a link.
const TOKEN = /```([^`]+?)```|\*(\S(?:[^*\n]*\S)?)\*|_(\S(?:[^_\n]*\S)?)_|~(\S(?:[^~\n]*\S)?)~|(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])/g;

function inline(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    const [, mono, bold, italic, strike, link] = match;
    if (mono !== undefined) parts.push(el("code", {}, mono));
    else if (bold !== undefined) parts.push(el("strong", {}, ...inline(bold)));
    else if (italic !== undefined) parts.push(el("em", {}, ...inline(italic)));
    else if (strike !== undefined) parts.push(el("s", {}, ...inline(strike)));
    else parts.push(el("a", { href: link, target: "_blank", rel: "noopener noreferrer" }, link));
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** The nodes of `text` as a WhatsApp bubble shows it, one line per line. */
export function renderWhatsApp(text) {
  const nodes = [];
  text.split("\n").forEach((line, index) => {
    if (index) nodes.push(el("br"));
    nodes.push(...inline(line));
  });
  return nodes;
}
