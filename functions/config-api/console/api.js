// The console's only way to hookrelay: the public /v1 API, with the
// credential kept in this tab's session storage (never a cookie, so no other
// site can make the browser send it).

const KEY = 'hookrelay.credential';

export const credential = {
  get: () => sessionStorage.getItem(KEY),
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
};

/** An error answer: `status`, `message` and the 422's `errors` by field. */
export class ApiError extends Error {
  constructor(status, message, errors = []) {
    super(message);
    this.status = status;
    this.errors = errors;
  }
}

let onUnauthorized = () => {};
/** What to do when the credential stops working (expired or revoked link). */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

/** Calls the API; the answer's body, or throws an `ApiError`. */
export async function api(method, path, body, token = credential.get()) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'Cannot reach hookrelay: check your connection and try again.');
  }
  const answer = await response.json().catch(() => ({}));
  if (response.ok) return answer;
  const error = new ApiError(response.status, answer.message || `HTTP ${response.status}`, answer.errors);
  // Only the credential in use ends the session, once: a sign-in attempt with
  // a wrong key, or a request still in flight after sign-out, does not.
  if (response.status === 401 && token && token === credential.get()) onUnauthorized(error);
  throw error;
}

/** A query string from the set values of `params`. */
export function query(params) {
  const set = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return set.length ? `?${new URLSearchParams(set)}` : '';
}

/** Every page of a key-ordered list (the catalogue). */
export async function all(path, field) {
  const items = [];
  let cursor;
  do {
    const page = await api('GET', path + query({ limit: 100, cursor }));
    items.push(...page[field]);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}
