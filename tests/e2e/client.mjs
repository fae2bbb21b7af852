// What the browser test files share besides the browser: a free port, running the greenloop
// binary, and a small API client for setting up and checking what the pages show.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = path.resolve(fileURLToPath(new URL('../..', import.meta.url)))

/** A TCP port free on the loopback interface right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.unref()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/** Runs a command in the repository; resolves with its error (if any) and output, never rejects. */
export function run(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, cwd: REPO }, (error, stdout, stderr) => {
      resolve({ error, stdout: String(stdout), stderr: String(stderr) })
    })
  })
}

/**
 * The API of the server the file started: `baseUrlOf()` gives its base URL once it runs.
 * api() answers {status, json, text, headers}; apiOk() asserts a 2xx and returns the JSON;
 * login() signs in and returns {token, user}.
 */
export function apiClient(baseUrlOf) {
  async function api(method, p, { token, body, headers = {} } = {}) {
    const h = { Accept: 'application/json', ...headers }
    if (body !== undefined) h['Content-Type'] = 'application/json'
    if (token) h.Authorization = `Bearer ${token}`
    const res = await fetch(`${baseUrlOf()}/api/v1${p}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    })
    const text = await res.text()
    let json = null
    try {
      json = text ? JSON.parse(text) : null
    } catch {
      /* not JSON */
    }
    return { status: res.status, json, text, headers: res.headers }
  }
  async function apiOk(method, p, opts) {
    const r = await api(method, p, opts)
    assert.ok(r.status >= 200 && r.status < 300, `${method} ${p}: ${r.status} ${r.text}`)
    return r.json
  }
  async function login(user) {
    const r = await api('POST', '/auth/login', { body: user })
    assert.equal(r.status, 200, `API login as ${user.name}: expected 200, got ${r.status} ${r.text}`)
    assert.ok(r.json && r.json.token, `API login as ${user.name}: no token in ${r.text}`)
    return r.json
  }
  return { api, apiOk, login }
}
