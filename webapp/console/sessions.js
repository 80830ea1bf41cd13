// The sessions list (GET v1/sessions) and one session's page: its state (GET v1/sessions/{key}),
// memory notes (…/memory) and the current session's transcript (…/transcript).

import { apiFetch, errorFrom, getJson, sendJson, withQuery } from './api.js';
import { useKey } from './chat.js';
import { byId, describeError, el, formatTime, sessionLink, sessionPath, showError } from './dom.js';
import { storedMessage } from './transcript.js';

const PAGE_SIZE = 25;
let listNext = null;
let shownKey = null;
let transcriptNext = null;

export function initSessions() {
  byId('sessions-more').addEventListener('click', () => loadList(false));
  byId('transcript-more').addEventListener('click', () => loadTranscript(false));
  byId('session-chat').addEventListener('click', () => {
    useKey(shownKey);
    location.hash = '#/chat';
  });
  byId('session-stop').addEventListener('click', () => act(async () => {
    const result = await sendJson('POST', sessionPath(shownKey, '/stop'));
    return result.message;
  }));
  byId('session-reset').addEventListener('click', () => act(async () => {
    const response = await apiFetch(sessionPath(shownKey), {method: 'DELETE'});
    if (!response.ok) throw await errorFrom(response);
    return 'Started a fresh session.';
  }));
}

export function showSessions() {
  loadList(true);
}

export function showSession(key) {
  shownKey = key;
  byId('session-title').textContent = `Session ${key}`;
  byId('session-runs').href = withQuery('#/runs', {session_key: key});
  loadSession();
}

async function loadList(fromStart) {
  const body = byId('sessions-table').tBodies[0];
  try {
    const page = await getJson(withQuery('v1/sessions', {limit: PAGE_SIZE, cursor: fromStart ? '' : listNext}));
    if (fromStart) body.replaceChildren();
    body.append(...page.data.map((s) => el('tr', {class: 'session'},
      el('td', {'data-label': 'Key'}, sessionLink(s.session_key)),
      el('td', {'data-label': 'State'}, stateBadges(s)),
      el('td', {'data-label': 'Updated', class: 'when', title: s.updated_at, text: formatTime(s.updated_at)}),
      el('td', {'data-label': 'Messages', class: 'num', text: String(s.message_count)}),
      el('td', {'data-label': 'Tokens', class: 'num', text: `${s.prompt_tokens} / ${s.completion_tokens}`}),
      el('td', {'data-label': 'Last reset', text: s.last_reset_reason || '—'}))));
    listNext = page.next;
    byId('sessions-more').hidden = !page.has_more;
    byId('sessions-empty').hidden = body.rows.length > 0;
    showError(byId('sessions-error'), null);
  } catch (error) {
    showError(byId('sessions-error'), error);
  }
}

async function loadSession() {
  const key = shownKey;
  byId('session-state').replaceChildren();
  byId('session-memory').replaceChildren();
  byId('session-transcript').replaceChildren();
  byId('transcript-more').hidden = true;
  try {
    const [state, memory] = await Promise.all([
      getJson(sessionPath(key)),
      getJson(sessionPath(key, '/memory')),
    ]);
    if (key !== shownKey) return;
    renderState(state);
    byId('session-memory').replaceChildren(...(memory.data.length
      ? memory.data.map((note) => el('li', {class: 'note'},
        el('span', {class: 'hint', text: formatTime(note.created_at)}), ' ', note.notes))
      : [el('li', {class: 'hint', text: 'No memory notes yet (they are written when a session is reset).'})]));
    showError(byId('session-error'), null);
    await loadTranscript(true);
  } catch (error) {
    showError(byId('session-error'), error);
  }
}

async function loadTranscript(fromStart) {
  const key = shownKey;
  const list = byId('session-transcript');
  const page = await getJson(withQuery(sessionPath(key, '/transcript'), {limit: 100, cursor: fromStart ? '' : transcriptNext}));
  if (key !== shownKey) return;
  if (fromStart && !page.data.length) {
    list.append(el('li', {class: 'hint', text: 'The current session has no messages yet.'}));
  }
  list.append(...page.data.map(storedMessage));
  transcriptNext = page.next;
  byId('transcript-more').hidden = !page.has_more;
}

function renderState(s) {
  const fields = [
    ['State', stateBadges(s)],
    ['Session id', s.session_id],
    ['Created', formatTime(s.created_at)],
    ['Updated', formatTime(s.updated_at)],
    ['Messages', String(s.message_count)],
    ['Tokens in / out', `${s.prompt_tokens} / ${s.completion_tokens}`],
    ['Last reset reason', s.last_reset_reason || 'never reset'],
  ];
  byId('session-stop').disabled = !s.running;
  byId('session-state').replaceChildren(el('dl', {class: 'facts'},
    fields.flatMap(([name, value]) => [el('dt', {text: name}), el('dd', {}, value)])));
}

function stateBadges(s) {
  const badges = [];
  if (s.running) badges.push(el('span', {class: 'badge running', text: 'running'}));
  if (s.suspended) badges.push(el('span', {class: 'badge suspended', text: 'suspended'}));
  if (!badges.length) badges.push(el('span', {class: 'badge idle', text: 'idle'}));
  return el('span', {class: 'badges'}, badges);
}

async function act(action) {
  try {
    const message = await action();
    showError(byId('session-error'), null);
    await loadSession();
    byId('session-state').prepend(el('p', {class: 'notice', text: message}));
  } catch (error) {
    byId('session-error').hidden = false;
    byId('session-error').textContent = describeError(error);
  }
}
