import { createApp } from 'vue'
import ElementPlus from './element.js'
import App from './App.vue'
import { router } from './router.js'
import { i18n } from './i18n.js'
import { onUnauthorized } from './lib/api.js'
import { resetCatalog } from './lib/catalog.js'
import './style.css'

// Any 401 on an authenticated call: the session is gone, back to the login page.
onUnauthorized(() => {
  resetCatalog()
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    router.replace({ name: 'login', query: { redirect: current.fullPath, expired: '1' } })
  }
})

createApp(App).use(router).use(i18n).use(ElementPlus).mount('#app')
