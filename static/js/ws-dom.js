// Tiny DOM helpers for the worksheet and history pages. Text always goes in as text, never as HTML.

/** el("p", {class: "x"}, "text", child): attributes via setAttribute, children as text nodes or elements. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Read JSON stored in a data-* attribute by the build. */
export function pageData(id, name) {
  const raw = document.getElementById(id)?.dataset[name];
  return raw ? JSON.parse(raw) : null;
}

/** Say something to screen readers through a role=status element. */
export function announce(node, message) {
  node.textContent = "";
  // A fresh text node after clearing makes screen readers repeat an identical message.
  requestAnimationFrame(() => { node.textContent = message; });
}
