// Requester portal: its API (same origin, the session cookie, a header the CSRF check asks for),
// and a chosen file read for it as base64.

const API = "/portal/api";

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function api(method, path, body) {
  const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (method !== "GET") options.headers["X-Requested-With"] = "portal";
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(API + path, options);
  let data = {};
  try {
    data = await response.json();
  } catch (ignored) {
    data = {};
  }
  // Only the API's own errors ({message, code}) are pt-BR; a proxy's words are not shown.
  if (!response.ok) throw new HttpError(response.status, (data.code && data.message) || "Algo deu errado. Tente novamente.");
  return data;
}

export function readFile(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve({ filename: file.name, mimetype: file.type || "application/octet-stream", content: url.slice(url.indexOf(",") + 1) });
    };
    reader.onerror = () => reject(new Error("Não foi possível ler o arquivo " + file.name + "."));
    reader.readAsDataURL(file);
  });
}
