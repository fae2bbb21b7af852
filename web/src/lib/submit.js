// Idempotent form submission: one Idempotency-Key per submission attempt.
// The key is generated when a form is submitted. If the outcome is unknown (network failure or a
// 5xx answer), the key is kept, and submitting the same body again (a retry) reuses it, so the
// server answers with the first result instead of moving the units twice. A definite answer
// (success or 4xx) or a changed body starts a new submission with a fresh key.
import { ref } from 'vue'
import { post, ApiError, newIdempotencyKey } from './api.js'
import { stringifyExact } from './json.js'

export function useIdempotentSubmit() {
  let pending = null // { key, path, body }
  const lastKey = ref('')
  const retrying = ref(false)
  const busy = ref(false)

  async function submit(path, body) {
    const bodyText = stringifyExact(body)
    const isRetry = !!pending && pending.path === path && pending.body === bodyText
    if (!isRetry) pending = { key: newIdempotencyKey(), path, body: bodyText }
    retrying.value = isRetry
    lastKey.value = pending.key
    busy.value = true
    try {
      const res = await post(path, body, { idempotencyKey: pending.key })
      pending = null
      return res
    } catch (e) {
      if (!(e instanceof ApiError && e.retryable)) pending = null
      throw e
    } finally {
      busy.value = false
    }
  }

  return { submit, lastKey, retrying, busy }
}
