// The API key, when the gateway has one (AGENTGATE_API_KEY): asked for on the first 401 and kept
// only in this tab's sessionStorage, never in localStorage or a cookie.

import { byId } from './dom.js';

const STORAGE_KEY = 'agentgate.apiKey';
let pending = null;

export function storedKey() {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function forgetKey() {
  sessionStorage.removeItem(STORAGE_KEY);
  updateSignOut();
}

/**
 * Shows the key dialog with the gateway's 401 message and resolves once a key was entered.
 * Requests that fail at the same time share one dialog.
 */
export function askForKey(message) {
  sessionStorage.removeItem(STORAGE_KEY);
  updateSignOut();
  const dialog = byId('auth');
  byId('auth-message').textContent = message || 'This gateway needs an API key.';
  if (!pending) {
    pending = new Promise((resolve) => {
      const form = byId('auth-form');
      const input = byId('auth-key');
      const submit = (event) => {
        event.preventDefault();
        const key = input.value.trim();
        if (!key) return;
        sessionStorage.setItem(STORAGE_KEY, key);
        input.value = '';
        form.removeEventListener('submit', submit);
        dialog.close();
        pending = null;
        updateSignOut();
        resolve();
      };
      form.addEventListener('submit', submit);
    });
  }
  if (!dialog.open) dialog.showModal();
  byId('auth-key').focus();
  return pending;
}

export function initAuth() {
  // Without a key nothing works, so Escape does not dismiss the dialog.
  byId('auth').addEventListener('cancel', (event) => event.preventDefault());
  byId('sign-out').addEventListener('click', () => {
    forgetKey();
    location.reload();
  });
  updateSignOut();
}

function updateSignOut() {
  byId('sign-out').hidden = !storedKey();
}
