// WhatsApp's message markup as WhatsApp shows it (a knowledge-base article in the new-ticket form):
// *bold*, _italic_, ~strike~, ```monospace``` and links, built as nodes with text children only:
// an article's text never goes in as HTML. (The console's assets/whatsapp_markup.js is the same
// reading; the two pages are served by different functions.)

const TOKEN = /```([^`]+?)```|\*(\S(?:[^*\n]*\S)?)\*|_(\S(?:[^_\n]*\S)?)_|~(\S(?:[^~\n]*\S)?)~|(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)])/g;

function node(tag, children) {
  const element = document.createElement(tag);
  element.append(...children);
  return element;
}

function inline(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    const [, mono, bold, italic, strike, link] = match;
    if (mono !== undefined) parts.push(node("code", [mono]));
    else if (bold !== undefined) parts.push(node("strong", inline(bold)));
    else if (italic !== undefined) parts.push(node("em", inline(italic)));
    else if (strike !== undefined) parts.push(node("s", inline(strike)));
    else {
      const anchor = node("a", [link]);
      anchor.href = link;
      anchor.target = "_blank";
      anchor.rel = "noopener noreferrer";
      parts.push(anchor);
    }
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** The nodes of `text` as a WhatsApp bubble shows it, one line per line. */
export function renderWhatsApp(text) {
  const nodes = [];
  text.split("\n").forEach((line, index) => {
    if (index) nodes.push(document.createElement("br"));
    nodes.push(...inline(line));
  });
  return nodes;
}
