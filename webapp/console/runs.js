// The runs view: GET v1/runs, newest first, filtered by outcome and session key, paged with the
// gateway's keyset cursor ("Older runs" asks for the page after the last one shown).

import { getJson, withQuery } from './api.js';
import { byId, el, formatDuration, formatTime, sessionLink, showError } from './dom.js';

const PAGE_SIZE = 25;
let filter = {outcome: '', session_key: ''};
let next = null;

export function initRuns() {
  byId('runs-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    // The filter lives in the address, so a filtered list can be linked to and reloaded.
    const hash = withQuery('#/runs', {outcome: byId('runs-outcome').value, session_key: byId('runs-key').value.trim()});
    if (location.hash === hash) showRuns(new URLSearchParams(hash.split('?')[1] || ''));
    else location.hash = hash;
  });
  byId('runs-more').addEventListener('click', () => load(false));
}

export function showRuns(params) {
  filter = {outcome: params.get('outcome') || '', session_key: params.get('session_key') || ''};
  byId('runs-outcome').value = filter.outcome;
  byId('runs-key').value = filter.session_key;
  load(true);
}

async function load(fromStart) {
  const body = byId('runs-table').tBodies[0];
  const more = byId('runs-more');
  more.disabled = true;
  try {
    const page = await getJson(withQuery('v1/runs', {...filter, limit: PAGE_SIZE, cursor: fromStart ? '' : next}));
    if (fromStart) body.replaceChildren();
    body.append(...page.data.map(row));
    next = page.next;
    showError(byId('runs-error'), null);
    byId('runs-empty').hidden = body.rows.length > 0;
    more.hidden = !page.has_more;
  } catch (error) {
    showError(byId('runs-error'), error);
  } finally {
    more.disabled = false;
  }
}

function row(run) {
  const tokens = `${run.prompt_tokens} / ${run.completion_tokens}`;
  return el('tr', {class: 'run', dataset: {outcome: run.outcome, runId: run.run_id}},
    el('td', {'data-label': 'Started', class: 'when', title: run.started_at, text: formatTime(run.started_at)}),
    el('td', {'data-label': 'Outcome'}, el('span', {class: `badge outcome-${run.outcome}`, text: run.outcome})),
    el('td', {'data-label': 'Duration', class: 'num', text: run.duration_ms == null ? '…' : formatDuration(run.duration_ms)}),
    el('td', {'data-label': 'Tokens', class: 'num', text: tokens}),
    el('td', {'data-label': 'Session'}, run.session_key ? sessionLink(run.session_key) : el('span', {class: 'hint', text: 'stateless'})),
    el('td', {'data-label': 'Model', text: run.model}),
    el('td', {'data-label': 'Error', class: 'error-text', text: run.error_message || ''}));
}
