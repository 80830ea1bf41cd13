// Basic Markdown for answers: paragraphs, fenced code blocks, bullet and numbered lists, headings,
// `inline code` and **bold**. Built as DOM nodes with text nodes only: HTML in the model's output
// stays visible text, links stay text. An unterminated fence (mid-stream) renders as code so far.

import { el } from './dom.js';

const FENCE = /^\s*(```|~~~)\s*([\w+#.-]*)\s*$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;
const HEADING = /^(#{1,6})\s+(.*)$/;

export function renderMarkdown(text) {
  const fragment = document.createDocumentFragment();
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let paragraph = [];
  let list = null;

  const flushParagraph = () => {
    if (paragraph.length) {
      const p = el('p');
      paragraph.forEach((line, i) => {
        if (i > 0) p.append(el('br'));
        appendInline(p, line);
      });
      fragment.append(p);
      paragraph = [];
    }
  };
  const flushList = () => {
    if (list) {
      fragment.append(list);
      list = null;
    }
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = line.match(FENCE);
    if (fence) {
      flushParagraph();
      flushList();
      const code = [];
      i++;
      while (i < lines.length && lines[i].trim() !== fence[1]) {
        code.push(lines[i]);
        i++;
      }
      fragment.append(el('pre', {class: 'code'},
        el('code', {dataset: fence[2] ? {lang: fence[2]} : {}, text: code.join('\n')})));
      continue;
    }
    if (!line.trim()) {
      flushParagraph();
      flushList();
      continue;
    }
    const heading = line.match(HEADING);
    if (heading) {
      flushParagraph();
      flushList();
      const h = el(`h${Math.min(6, heading[1].length + 2)}`);
      appendInline(h, heading[2]);
      fragment.append(h);
      continue;
    }
    const item = line.match(BULLET) || line.match(NUMBERED);
    if (item) {
      flushParagraph();
      const tag = line.match(BULLET) ? 'ul' : 'ol';
      if (!list || list.tagName.toLowerCase() !== tag) {
        flushList();
        list = el(tag);
      }
      const li = el('li');
      appendInline(li, item[1]);
      list.append(li);
      continue;
    }
    flushList();
    paragraph.push(line);
  }
  flushParagraph();
  flushList();
  return fragment;
}

/** `code` and **bold** inside a line; everything else is text. */
function appendInline(parent, line) {
  const pattern = /(`[^`]+`|\*\*[^*]+\*\*)/g;
  let last = 0;
  for (const match of line.matchAll(pattern)) {
    if (match.index > last) parent.append(line.slice(last, match.index));
    const token = match[0];
    parent.append(token.startsWith('`')
      ? el('code', {text: token.slice(1, -1)})
      : el('strong', {text: token.slice(2, -2)}));
    last = match.index + token.length;
  }
  if (last < line.length) parent.append(line.slice(last));
}
