// A stored transcript message (GET v1/sessions/{key}/transcript) as a log entry, shared by the
// session view and the chat (which shows the kept session's history when the page opens).

import { el } from './dom.js';
import { renderMarkdown } from './markdown.js';

export function storedMessage(m) {
  const item = el('li', {class: `turn ${m.role}`, dataset: {role: m.role}});
  item.append(el('span', {class: 'role', text: m.role === 'tool' ? `tool result ${m.tool_call_id || ''}` : m.role}));
  if (m.role === 'assistant' && m.content) item.append(el('div', {class: 'answer'}, renderMarkdown(m.content)));
  else if (m.role === 'tool') item.append(el('details', {}, el('summary', {text: firstLine(m.content)}), el('pre', {text: m.content || ''})));
  else if (m.content) item.append(el('div', {class: 'bubble', text: m.content}));
  if (m.tool_calls && m.tool_calls.length) {
    item.append(el('ol', {class: 'steps'}, m.tool_calls.map((call) =>
      el('li', {class: 'step', text: `${call.function.name} ${call.function.arguments || ''}`.trim()}))));
  }
  return item;
}

function firstLine(text) {
  const line = (text || '').split('\n')[0];
  return line.length > 80 ? `${line.slice(0, 80)}…` : line || '(empty)';
}

