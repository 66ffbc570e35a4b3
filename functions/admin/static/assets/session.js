// The console's sign-in: Cognito's user pool API called with plain fetch (no SDK, no build step).
// InitiateAuth USER_PASSWORD_AUTH, then RespondToAuthChallenge NEW_PASSWORD_REQUIRED on the first
// login; REFRESH_TOKEN_AUTH shortly before the ID token expires; RevokeToken on logout.
// The API is called with the ID token (the API's JWT authorizer checks it against the pool).

export const Session = (() => {
  const STORE_KEY = "helpdesk-console-session";
  const REFRESH_BEFORE_MS = 5 * 60 * 1000;
  const MIN_REFRESH_DELAY_MS = 5 * 1000;
  let config = null;
  let refreshTimer = null;
  let onExpired = () => {};

  class SignInError extends Error {
    constructor(code, message) {
      super(message);
      this.code = code;
    }
  }

  async function loadConfig() {
    if (config) return config;
    const response = await fetch("/console/config.json", { cache: "no-store" });
    if (!response.ok) throw new SignInError("config", "Não foi possível carregar a configuração do console.");
    config = await response.json();
    return config;
  }

  /** One call to Cognito's JSON API; a Cognito error becomes a SignInError with its type. */
  async function cognito(action, body) {
    const { cognito_endpoint: endpoint } = await loadConfig();
    let response;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-amz-json-1.1",
          "X-Amz-Target": `AWSCognitoIdentityProviderService.${action}`,
        },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new SignInError("network", "Não foi possível falar com o serviço de login. Verifique a conexão.");
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const type = String(data.__type || "").split("#").pop();
      throw new SignInError(type, friendly(type, String(data.message || "")));
    }
    return data;
  }

  function friendly(type, message) {
    if (type === "NotAuthorizedException" && /disabled/i.test(message)) {
      return "Este usuário está desativado. Fale com outro administrador.";
    }
    if (type === "NotAuthorizedException" && /revoked|expired|session/i.test(message)) {
      return "Sessão expirada: entre novamente.";
    }
    if (type === "NotAuthorizedException" || type === "UserNotFoundException") return "E-mail ou senha incorretos.";
    if (type === "InvalidPasswordException") {
      return "A nova senha não atende à política: mínimo de 12 caracteres, com maiúsculas, minúsculas e números.";
    }
    if (type === "PasswordResetRequiredException") return "É preciso redefinir a senha: peça um novo convite a um administrador.";
    if (type === "TooManyRequestsException" || type === "LimitExceededException") {
      return "Muitas tentativas seguidas. Aguarde alguns minutos e tente de novo.";
    }
    if (type === "CodeMismatchException" || type === "ExpiredCodeException") return "O convite expirou: peça um novo.";
    return "Não foi possível entrar. Tente de novo em instantes.";
  }

  function claimsOf(token) {
    try {
      const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      const json = decodeURIComponent(Array.from(atob(payload), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`).join(""));
      return JSON.parse(json);
    } catch (error) {
      return {};
    }
  }

  function stored() {
    try {
      return JSON.parse(sessionStorage.getItem(STORE_KEY) || "null");
    } catch (error) {
      return null;
    }
  }

  function keep(result, refreshToken) {
    const claims = claimsOf(result.IdToken);
    const session = {
      idToken: result.IdToken,
      refreshToken: result.RefreshToken || refreshToken,
      expiresAt: (claims.exp || 0) * 1000,
      email: claims.email || "",
    };
    sessionStorage.setItem(STORE_KEY, JSON.stringify(session));
    schedule(session);
    return session;
  }

  function schedule(session) {
    clearTimeout(refreshTimer);
    const delay = Math.max(session.expiresAt - Date.now() - REFRESH_BEFORE_MS, MIN_REFRESH_DELAY_MS);
    refreshTimer = setTimeout(() => refresh().catch(() => onExpired("Sessão expirada: entre novamente.")), delay);
  }

  /** {done: true} when signed in; {challenge} when Cognito asks for a new password. */
  async function signIn(email, password) {
    const { client_id: clientId } = await loadConfig();
    const data = await cognito("InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    });
    if (data.AuthenticationResult) return { done: true, session: keep(data.AuthenticationResult) };
    if (data.ChallengeName === "NEW_PASSWORD_REQUIRED") {
      return { done: false, challenge: { session: data.Session, username: data.ChallengeParameters?.USERNAME || email } };
    }
    throw new SignInError(data.ChallengeName, "Este tipo de verificação não é suportado pelo console.");
  }

  async function completeNewPassword(challenge, newPassword) {
    const { client_id: clientId } = await loadConfig();
    const data = await cognito("RespondToAuthChallenge", {
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      ClientId: clientId,
      Session: challenge.session,
      ChallengeResponses: { USERNAME: challenge.username, NEW_PASSWORD: newPassword },
    });
    if (!data.AuthenticationResult) throw new SignInError(data.ChallengeName, "Não foi possível concluir o acesso.");
    return keep(data.AuthenticationResult);
  }

  /** New ID token from the refresh token (Cognito keeps the refresh token the same). */
  async function refresh() {
    const current = stored();
    if (!current || !current.refreshToken) throw new SignInError("none", "Sem sessão.");
    const { client_id: clientId } = await loadConfig();
    const data = await cognito("InitiateAuth", {
      AuthFlow: "REFRESH_TOKEN_AUTH",
      ClientId: clientId,
      AuthParameters: { REFRESH_TOKEN: current.refreshToken },
    });
    return keep(data.AuthenticationResult, current.refreshToken);
  }

  /** Revokes the refresh token (and the tokens it issued) and forgets the session. */
  async function signOut() {
    clearTimeout(refreshTimer);
    const current = stored();
    sessionStorage.removeItem(STORE_KEY);
    if (current && current.refreshToken) {
      const { client_id: clientId } = await loadConfig();
      await cognito("RevokeToken", { Token: current.refreshToken, ClientId: clientId }).catch(() => null);
    }
  }

  /** The session of this tab, if any (its refresh is scheduled again after a reload). */
  function resume() {
    const current = stored();
    if (current) schedule(current);
    return current;
  }

  return {
    SignInError,
    signIn,
    completeNewPassword,
    refresh,
    signOut,
    resume,
    idToken: () => (stored() || {}).idToken || "",
    email: () => (stored() || {}).email || "",
    onExpired: (callback) => { onExpired = callback; },
  };
})();
