// The console's entry point: wires the views and routes on the address's #fragment
// (#/chat, #/runs?outcome=…&session_key=…, #/sessions, #/sessions/<key>).

import { initAuth } from './auth.js';
import { initChat, loadModels } from './chat.js';
import { byId } from './dom.js';
import { initRuns, showRuns } from './runs.js';
import { initSessions, showSession, showSessions } from './sessions.js';

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  const params = new URLSearchParams(query);
  const [view, ...rest] = path.split('/');
  let section;
  if (view === 'runs') {
    section = 'runs';
    showRuns(params);
  } else if (view === 'sessions' && rest.length) {
    section = 'session';
    showSession(decodeURIComponent(rest.join('/')));
  } else if (view === 'sessions') {
    section = 'sessions';
    showSessions();
  } else {
    section = 'chat';
  }
  for (const node of document.querySelectorAll('main > .view')) node.hidden = node.id !== `view-${section}`;
  const tab = section === 'session' ? 'sessions' : section;
  for (const link of document.querySelectorAll('.tabs a')) {
    if (link.dataset.view === tab) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (section === 'chat') byId('prompt').focus();
}

initAuth();
initChat();
initRuns();
initSessions();
window.addEventListener('hashchange', route);
// A tab clicked while already shown reloads its view (the address does not change, so no hashchange).
for (const link of document.querySelectorAll('.tabs a')) {
  link.addEventListener('click', () => {
    if (link.getAttribute('href') === location.hash) route();
  });
}
route();
loadModels();
