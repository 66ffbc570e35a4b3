// Admin console: the admin API (same origin), called with the signed-in agent's ID token
// (session.js); its failures told in the console's words.

import { show } from "./dom.js";
import { Session } from "./session.js";

let sessionRefused = () => {};

/** What to do when the API refuses the session even after a refresh (app.js logs out). */
export function onSessionRefused(callback) {
  sessionRefused = callback;
}

// What the API's own errors say is pt-BR ({message, code}); anything else (a proxy's or the
// network's words, often English) is told in the console's words.
function failureText(status) {
  if (status === 0) return "Não foi possível falar com o servidor. Verifique a conexão e tente de novo.";
  if (status === 404) return "Não encontrado.";
  if (status === 429) return "Muitas requisições seguidas. Aguarde um instante e tente de novo.";
  return `O servidor não conseguiu atender (erro ${status}). Tente de novo em instantes.`;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.code && body.message ? body.message : failureText(status));
    this.status = status;
    this.field = body && body.field;
  }
}

export async function api(method, path, body, retried = false) {
  const headers = { Authorization: `Bearer ${Session.idToken()}` };
  const binary = body instanceof Blob;
  if (body !== undefined) headers["Content-Type"] = binary ? "application/octet-stream" : "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined || binary ? body : JSON.stringify(body) });
  } catch (error) {
    throw new ApiError(0, null);
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401) {
    // The ID token may have just expired: one silent refresh, then the call again.
    if (!retried && (await Session.refresh().then(() => true, () => false))) return api(method, path, body, true);
    sessionRefused("Sessão expirada: entre novamente.");
    throw new ApiError(401, data);
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Runs an action, showing its error (if any) in the message box. */
export async function attempt(action, success) {
  try {
    const result = await action();
    if (success) show(success);
    return result;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) show(error.message, true);
    return undefined;
  }
}
