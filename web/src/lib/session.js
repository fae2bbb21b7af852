// Session state: bearer token and current user, kept in sessionStorage (per browser tab).
import { reactive } from 'vue'

const TOKEN_KEY = 'greenloop.token'
const USER_KEY = 'greenloop.user'
const EXPIRES_KEY = 'greenloop.expires_at'

function readUser() {
  try {
    return JSON.parse(sessionStorage.getItem(USER_KEY) || 'null')
  } catch {
    return null
  }
}

export const session = reactive({
  token: sessionStorage.getItem(TOKEN_KEY) || '',
  expiresAt: sessionStorage.getItem(EXPIRES_KEY) || '',
  user: readUser(),
})

export function setSession({ token, user, expires_at }) {
  session.token = token
  session.user = user
  session.expiresAt = expires_at || ''
  sessionStorage.setItem(TOKEN_KEY, token)
  sessionStorage.setItem(USER_KEY, JSON.stringify(user))
  sessionStorage.setItem(EXPIRES_KEY, expires_at || '')
}

export function clearSession() {
  session.token = ''
  session.user = null
  session.expiresAt = ''
  sessionStorage.removeItem(TOKEN_KEY)
  sessionStorage.removeItem(USER_KEY)
  sessionStorage.removeItem(EXPIRES_KEY)
}

export function isLoggedIn() {
  return !!session.token
}

export function hasRole(...roles) {
  return !!session.user && roles.includes(session.user.role)
}
