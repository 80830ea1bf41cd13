// The chat view: one streamed completion per message on a session key, Stop, New session.

import { apiFetch, errorFrom, getJson, sendJson, withQuery } from './api.js';
import { readCompletion } from './completion-stream.js';
import { byId, describeError, el, sessionPath } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { storedMessage } from './transcript.js';

const KEY_STORAGE = 'agentgate.sessionKey';
const MODEL_STORAGE = 'agentgate.model';
// After Stop, the gateway ends the stream with a "cancelled" error frame; if it has not within
// this long (the stop found nothing running, or the network is gone), the browser gives up on it.
const STOP_GRACE_MS = 5000;
const HISTORY_LIMIT = 100;

let current = null; // {turn, abort, key} while a message streams

export function initChat() {
  const keyInput = byId('session-key');
  const kept = sessionStorage.getItem(KEY_STORAGE);
  useKey(kept || newKey(), {fresh: !kept});
  keyInput.addEventListener('change', () => {
    const key = keyInput.value.trim();
    if (key) useKey(key); // an emptied field gets a generated key when the next message is sent
  });
  byId('new-key').addEventListener('click', () => useKey(newKey(), {fresh: true}));
  byId('new-session').addEventListener('click', resetSession);
  byId('model').addEventListener('change', (event) => sessionStorage.setItem(MODEL_STORAGE, event.target.value));

  byId('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });
  byId('prompt').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  byId('stop').addEventListener('click', stop);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && current && !byId('auth').open) {
      event.preventDefault();
      stop();
    }
  });
}

/** Loads the model list (the first request of the page: a 401 here asks for the key). */
export async function loadModels() {
  const select = byId('model');
  try {
    const list = await getJson('v1/models');
    const wanted = sessionStorage.getItem(MODEL_STORAGE);
    select.replaceChildren(...list.data.map((model) => el('option', {value: model.id, text: model.id})));
    if (wanted && list.data.some((model) => model.id === wanted)) select.value = wanted;
    status('');
  } catch (error) {
    status(`Could not load the models: ${describeError(error)}`, true);
  }
}

/** Switches the chat to a session key (typed, from the sessions view, or a new generated one). */
export function useKey(key, {fresh = false} = {}) {
  byId('session-key').value = key;
  sessionStorage.setItem(KEY_STORAGE, key);
  byId('log').replaceChildren();
  status('');
  if (!fresh) showHistory(key); // a key generated just now has nothing stored
}

/** The key's stored conversation so far, above anything sent from this page. */
async function showHistory(key) {
  try {
    const response = await apiFetch(withQuery(sessionPath(key, '/transcript'), {limit: HISTORY_LIMIT}));
    if (response.status === 404) return; // nothing stored for this key yet
    if (!response.ok) throw await errorFrom(response);
    const page = await response.json();
    if (key !== byId('session-key').value || !page.data.length) return;
    const items = page.data.filter((m) => m.role !== 'tool').map((m) => {
      const item = storedMessage(m);
      item.dataset.state = 'history';
      return item;
    });
    const note = page.has_more
      ? `The first ${HISTORY_LIMIT} stored messages of this session; the full transcript is on its session page.`
      : 'Stored conversation of this session so far.';
    byId('log').prepend(el('li', {class: 'turn system'}, el('p', {class: 'notice history-note', text: note})), ...items);
  } catch (error) {
    status(`Could not load this session's history: ${describeError(error)}`, true);
  }
}

function newKey() {
  // crypto.getRandomValues works on plain http too (randomUUID needs a secure context).
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `console-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

async function send() {
  const prompt = byId('prompt');
  const text = prompt.value.trim();
  if (!text || current) return;
  let key = byId('session-key').value.trim();
  if (!key) {
    key = newKey();
    byId('session-key').value = key;
    sessionStorage.setItem(KEY_STORAGE, key);
  }
  const model = byId('model').value;
  const log = byId('log');
  log.append(el('li', {class: 'turn user'}, el('div', {class: 'bubble', text})));
  const turn = new AssistantTurn(log);
  const abort = new AbortController();
  current = {turn, abort, key};
  prompt.value = '';
  setBusy(true);
  status('Waiting for the agent…');
  try {
    const response = await apiFetch('v1/chat/completions', {
      method: 'POST',
      headers: {'Content-Type': 'application/json', Accept: 'text/event-stream', 'X-Session-Key': key},
      body: JSON.stringify({
        model,
        stream: true,
        stream_options: {include_usage: true},
        messages: [{role: 'user', content: text}],
      }),
      signal: abort.signal,
    });
    if (!response.ok) {
      turn.fail(await errorFrom(response));
      if (!prompt.value) prompt.value = text; // nothing was answered: offer the message again
      return;
    }
    if (!(response.headers.get('Content-Type') || '').startsWith('text/event-stream')) {
      turn.fail({message: `Expected an event stream, got ${response.headers.get('Content-Type') || 'no content type'}.`});
      return;
    }
    const reset = response.headers.get('X-Session-Reset');
    if (reset) turn.reset(reset);
    status('Streaming…');
    const result = await readCompletion(response, turn.handlers(), {resetExpected: Boolean(reset)});
    if (result.ending === 'done') turn.finish();
    else if (result.ending === 'error' && result.error.code === 'cancelled') turn.stopped(result.error.message);
    else if (result.ending === 'error') turn.fail(result.error);
    else turn.fail({message: 'The stream ended before the answer was complete (no [DONE] and no error frame).'});
  } catch (error) {
    if (error.name === 'AbortError') turn.stopped('Stopped in the browser: the request was cancelled.');
    else turn.fail(error);
  } finally {
    current = null;
    setBusy(false);
    prompt.focus();
  }
}

async function stop() {
  const running = current;
  if (!running) return;
  byId('stop').disabled = true;
  status('Stopping…');
  const giveUp = () => {
    if (current === running) running.abort.abort();
  };
  try {
    const result = await sendJson('POST', sessionPath(running.key, '/stop'));
    // Nothing was running yet on the gateway (the turn had not started): cancel the request itself.
    if (!result.stopped) giveUp();
    else setTimeout(giveUp, STOP_GRACE_MS);
  } catch (error) {
    status(`Stop failed: ${describeError(error)}; cancelling the request in the browser.`, true);
    giveUp();
  }
}

async function resetSession() {
  const key = byId('session-key').value.trim();
  if (current) {
    status('A message is still streaming: stop it first.', true);
    return;
  }
  if (!key) {
    status('No session key: the next message starts a new session anyway.');
    return;
  }
  try {
    const response = await apiFetch(sessionPath(key), {method: 'DELETE'});
    if (response.status === 404) {
      notice('Nothing stored for this key yet: the next message starts a new session anyway.');
    } else if (!response.ok) {
      throw await errorFrom(response);
    } else {
      byId('log').replaceChildren();
      notice('Started a fresh session.');
    }
    status('');
  } catch (error) {
    status(`New session failed: ${describeError(error)}`, true);
  }
}

function notice(text) {
  byId('log').append(el('li', {class: 'turn system'}, el('p', {class: 'notice', text})));
}

function setBusy(busy) {
  byId('send').disabled = busy;
  byId('stop').disabled = !busy;
  byId('new-session').disabled = busy;
  byId('new-key').disabled = busy;
  byId('session-key').readOnly = busy;
}

function status(text, isError = false) {
  const line = byId('chat-status');
  line.textContent = text;
  line.classList.toggle('error', isError);
}

/**
 * One answer in the log. data-state: streaming, done (complete: [DONE] arrived), error, stopped.
 * Only "done" shows as a finished answer.
 */
class AssistantTurn {
  constructor(log) {
    this.text = '';
    this.steps = el('ol', {class: 'steps', hidden: true, 'aria-label': 'Tool steps'});
    this.answer = el('div', {class: 'answer'});
    this.footer = el('p', {class: 'meta'});
    this.statusNode = el('span', {class: 'state', text: 'streaming'});
    this.footer.append(this.statusNode);
    this.node = el('li', {class: 'turn assistant', dataset: {state: 'streaming'}},
      this.steps, this.answer, this.footer);
    log.append(this.node);
    this.pendingRender = false;
    this.node.scrollIntoView({block: 'end'});
  }

  handlers() {
    return {
      answer: (text) => {
        this.text += text;
        this.scheduleRender();
      },
      step: (text) => {
        this.steps.hidden = false;
        this.steps.append(el('li', {class: 'step', text}));
      },
      notice: (text) => this.showNotice(text),
      usage: (usage) => this.showUsage(usage),
      finish: (reason) => {
        this.finishReason = reason;
      },
      keepalive: () => status(`Streaming… the agent is working (keepalive at ${new Date().toLocaleTimeString()})`),
    };
  }

  reset(reason) {
    this.resetReason = reason;
    // The notice text arrives as the first content; this placeholder is replaced by it.
    this.showNotice(`Fresh session (reason: ${reason}).`);
  }

  showNotice(text) {
    if (!this.noticeNode) {
      this.noticeNode = el('p', {class: 'notice', role: 'status'});
      this.node.prepend(this.noticeNode);
    }
    this.noticeNode.textContent = text;
    if (this.resetReason) this.noticeNode.dataset.reason = this.resetReason;
  }

  showUsage(usage) {
    if (!this.usageNode) {
      this.usageNode = el('span', {class: 'usage'});
      this.footer.append(this.usageNode);
    }
    const prompt = usage.prompt_tokens ?? 0;
    const completion = usage.completion_tokens ?? 0;
    const total = usage.total_tokens ?? prompt + completion;
    this.usageNode.textContent = `${prompt} prompt + ${completion} completion = ${total} tokens`;
  }

  scheduleRender() {
    if (this.pendingRender) return;
    this.pendingRender = true;
    requestAnimationFrame(() => this.render());
  }

  render() {
    this.pendingRender = false;
    const atBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
    this.answer.replaceChildren(renderMarkdown(this.text));
    if (atBottom) this.node.scrollIntoView({block: 'end'});
  }

  finish() {
    this.render();
    const reason = this.finishReason || 'stop';
    this.end('done', reason === 'length' ? 'finished, cut short (finish_reason: length)' : 'finished');
    status('');
  }

  fail(error) {
    this.render();
    // Above the footer, so the turn reads: partial text, what went wrong, its state.
    this.footer.before(el('p', {class: 'error', role: 'alert', text: describeError(error)}));
    this.end('error', this.text ? 'failed: the text above is incomplete' : 'failed');
    status('');
  }

  stopped(message) {
    this.render();
    this.footer.before(el('p', {class: 'stopped', role: 'status', text: message}));
    this.end('stopped', 'stopped');
    status('');
  }

  end(state, label) {
    this.node.dataset.state = state;
    this.statusNode.textContent = label;
    this.node.scrollIntoView({block: 'end'});
  }
}
