// The JSON API under /api.

export class ApiError extends Error {
  constructor(status, message, path) {
    super(message);
    this.status = status;
    this.path = path;
  }
}

const cache = new Map();

/** GET a JSON document; errors carry the API's message. Cached for the page's life when asked. */
export async function get(path, params, { cached = false } = {}) {
  let url = path;
  if (params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const s = q.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  if (cached && cache.has(url)) return cache.get(url);
  const p = (async () => {
    let res;
    try {
      res = await fetch(url, { headers: { Accept: 'application/json' } });
    } catch (e) {
      throw new ApiError(0, `cannot reach the server (${e.message})`, url);
    }
    const text = await res.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    if (!res.ok) {
      const msg = body?.error?.message || body?.error || text.slice(0, 200) || res.statusText;
      throw new ApiError(res.status, String(msg), url);
    }
    if (body === null && text) throw new ApiError(res.status, 'the server did not answer JSON', url);
    return body;
  })();
  if (cached) {
    cache.set(url, p);
    p.catch(() => cache.delete(url));
  }
  return p;
}

/** Try each path in turn (endpoints that may not exist in an older server); first success wins. */
export async function first(...attempts) {
  let last;
  for (const [path, params] of attempts) {
    try {
      return await get(path, params);
    } catch (e) {
      last = e;
      if (e.status !== 404 && e.status !== 405) throw e;
    }
  }
  throw last;
}

export const enc = encodeURIComponent;
