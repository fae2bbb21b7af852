// Thin client for the GreenLoop HTTP API v1 (docs/api.md). Same origin, relative URLs.
import { session, clearSession } from './session.js'
import { parseJsonExact, stringifyExact } from './json.js'

export const API_BASE = '/api/v1'

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0 for a network failure)
   * @param {string} code   error.code from the API ("network_error" for a network failure)
   * @param {string} message error.message from the API
   * @param {string|undefined} field error.field from the API
   */
  constructor(status, code, message, field) {
    super(message)
    this.status = status
    this.code = code
    this.field = field
  }
  /** True when the outcome is unknown and a retry with the same Idempotency-Key is appropriate. */
  get retryable() {
    return this.status === 0 || this.status >= 500
  }
}

let unauthorizedHandler = null
/** Called with no arguments when an authenticated call answers 401. */
export function onUnauthorized(fn) {
  unauthorizedHandler = fn
}

function buildQuery(query) {
  if (!query) return ''
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    p.set(k, String(v))
  }
  const s = p.toString()
  return s ? `?${s}` : ''
}

/**
 * Call the API. Resolves with the parsed JSON body (integers beyond 2^53 as BigInt);
 * rejects with ApiError carrying the API's error.code / error.message.
 */
export async function api(method, path, { query, body, idempotencyKey, auth = true, signal } = {}) {
  const headers = { Accept: 'application/json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (auth && session.token) headers.Authorization = `Bearer ${session.token}`
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey
  let res
  try {
    res = await fetch(API_BASE + path + buildQuery(query), {
      method,
      headers,
      body: body === undefined ? undefined : stringifyExact(body),
      signal,
    })
  } catch (e) {
    if (e && e.name === 'AbortError') throw e
    throw new ApiError(0, 'network_error', String(e && e.message ? e.message : e))
  }
  const text = await res.text()
  let data = null
  if (text) {
    try {
      data = parseJsonExact(text)
    } catch {
      data = null
    }
  }
  if (!res.ok) {
    const err = data && data.error ? data.error : {}
    const apiErr = new ApiError(res.status, err.code || `http_${res.status}`, err.message || `HTTP ${res.status} ${res.statusText}`, err.field)
    if (res.status === 401 && auth && session.token) {
      clearSession()
      if (unauthorizedHandler) unauthorizedHandler()
    }
    throw apiErr
  }
  return data
}

export const get = (path, query, opts = {}) => api('GET', path, { ...opts, query })
export const post = (path, body, opts = {}) => api('POST', path, { ...opts, body })
export const patch = (path, body, opts = {}) => api('PATCH', path, { ...opts, body })

/**
 * RFC 4122 v4 UUID. crypto.randomUUID only exists in secure contexts (https, localhost), so the
 * UI falls back to crypto.getRandomValues when served over plain http from another host.
 */
export function newIdempotencyKey() {
  if (globalThis.crypto && typeof globalThis.crypto.randomUUID === 'function') {
    return globalThis.crypto.randomUUID()
  }
  const b = new Uint8Array(16)
  globalThis.crypto.getRandomValues(b)
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
