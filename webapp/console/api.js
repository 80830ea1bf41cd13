// HTTP to the gateway. Paths are relative ("v1/models"), so they resolve against the page and the
// console works under any context path (/ standalone, /agentgate/ in Tomcat).

import { askForKey, storedKey } from './auth.js';

/** A refused request: the OpenAI error body's fields, plus the HTTP status (0: no response). */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail.message || `HTTP ${status}`);
    this.status = status;
    this.type = detail.type ?? null;
    this.code = detail.code ?? null;
    this.param = detail.param ?? null;
  }
}

/**
 * fetch with the stored key as a Bearer token. A 401 asks for the key (showing the gateway's
 * message, e.g. "Incorrect API key provided.") and sends the request again with it.
 */
export async function apiFetch(path, init = {}) {
  for (;;) {
    const headers = new Headers(init.headers || {});
    const key = storedKey();
    if (key) headers.set('Authorization', `Bearer ${key}`);
    let response;
    try {
      response = await fetch(path, {...init, headers});
    } catch (error) {
      if (error.name === 'AbortError') throw error;
      throw new ApiError(0, {message: `The gateway could not be reached (${error.message}).`});
    }
    if (response.status !== 401) return response;
    const refusal = await errorFrom(response);
    await askForKey(refusal.message);
  }
}

/** The ApiError a non-2xx response carries (OpenAI error body, or a readable fallback). */
export async function errorFrom(response) {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text);
    if (body && body.error) {
      return new ApiError(response.status, typeof body.error === 'string' ? {message: body.error} : body.error);
    }
  } catch {
    // not JSON: a proxy's or container's page
  }
  const snippet = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  return new ApiError(response.status, {
    message: `${response.status} ${response.statusText || 'error'}${snippet ? `: ${snippet}` : ''}`,
  });
}

export async function getJson(path) {
  return expectJson(await apiFetch(path));
}

export async function sendJson(method, path, body) {
  const init = {method};
  if (body !== undefined) {
    init.headers = {'Content-Type': 'application/json'};
    init.body = JSON.stringify(body);
  }
  return expectJson(await apiFetch(path, init));
}

async function expectJson(response) {
  if (!response.ok) throw await errorFrom(response);
  return response.json();
}

/** "v1/runs" + {outcome: 'failed', cursor: ''} -> "v1/runs?outcome=failed" (empty values left out). */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value != null && value !== '') query.set(name, value);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
