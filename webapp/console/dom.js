// DOM building for the whole console. Text always goes in as text (textContent / text nodes), so
// nothing a model, a tool or a stored transcript says can become markup.

/**
 * el('li', {class: 'step', text: 'calculate'}, child...). Props: class, text, dataset, on<event>
 * handlers, anything else as an attribute. Children: nodes or strings (strings become text nodes).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function byId(id) {
  return document.getElementById(id);
}

/** Shows an error text in a (hidden by default) alert element, or hides it for null. */
export function showError(node, error) {
  node.hidden = !error;
  node.textContent = error ? describeError(error) : '';
}

/** A readable one-line description of an ApiError, a fetch failure or an error frame. */
export function describeError(error) {
  if (!error) return '';
  const message = error.message || String(error);
  const parts = [];
  if (error.status) parts.push(`HTTP ${error.status}`);
  if (error.code) parts.push(error.code);
  return parts.length ? `${message} (${parts.join(', ')})` : message;
}

export function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const today = new Date();
  const sameDay = date.toDateString() === today.toDateString();
  return sameDay ? date.toLocaleTimeString() : date.toLocaleString();
}

export function formatDuration(ms) {
  if (ms == null) return '';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60000);
  return `${minutes} min ${Math.round((ms % 60000) / 1000)} s`;
}

/** Session keys go into the path percent-encoded (README: keys with '/' only work via the header). */
export function sessionPath(key, suffix = '') {
  return `v1/sessions/${encodeURIComponent(key)}${suffix}`;
}

export function sessionLink(key) {
  return el('a', {href: `#/sessions/${encodeURIComponent(key)}`, class: 'key', text: key});
}
