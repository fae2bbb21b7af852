import { createRouter, createWebHashHistory } from 'vue-router'
import { session } from './lib/session.js'

// Hash history: the server only serves index.html at "/", no rewrite rules needed.
const routes = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
  { path: '/', redirect: '/dashboard' },
  { path: '/dashboard', name: 'dashboard', component: () => import('./views/DashboardView.vue') },
  { path: '/accounts', name: 'accounts', component: () => import('./views/AccountsView.vue') },
  { path: '/accounts/:id(\\d+)', name: 'account', component: () => import('./views/AccountDetailView.vue'), props: true },
  { path: '/transfer', name: 'transfer', component: () => import('./views/TransferView.vue') },
  { path: '/journal', name: 'journal', component: () => import('./views/JournalView.vue') },
  { path: '/journal/:id(\\d+)', name: 'entry', component: () => import('./views/EntryView.vue'), props: true },
  { path: '/instruments', name: 'instruments', component: () => import('./views/InstrumentsView.vue') },
  { path: '/regulator', name: 'regulator', component: () => import('./views/RegulatorView.vue') },
  { path: '/mrv', name: 'mrv', component: () => import('./views/MrvView.vue') },
  { path: '/mrv/:id(\\d+)', name: 'mrv-facility', component: () => import('./views/MrvFacilityView.vue'), props: true },
  { path: '/carbon', name: 'carbon', component: () => import('./views/CarbonView.vue') },
  { path: '/carbon/enterprises/:org(\\d+)', name: 'carbon-enterprise', component: () => import('./views/CarbonEnterpriseView.vue'), props: true },
  // 交易市场 Market: every signed-in role (what each sees is the API's to decide).
  { path: '/market', name: 'market', component: () => import('./views/MarketView.vue') },
  // 竞价拍卖 Auctions: every signed-in role (the bid form and the operator's actions by role).
  { path: '/auctions', name: 'auctions', component: () => import('./views/AuctionsView.vue') },
  // 市场监察 Market surveillance: the regulator and the exchange (the page tells other roles so).
  { path: '/surveillance', name: 'surveillance', component: () => import('./views/SurveillanceView.vue') },
  // Public (no sign-in): the disclosure API needs no token.
  { path: '/disclosure', name: 'disclosure', component: () => import('./views/DisclosureView.vue'), meta: { public: true } },
  { path: '/:pathMatch(.*)*', redirect: '/dashboard' },
]

export const router = createRouter({
  history: createWebHashHistory(),
  routes,
})

router.beforeEach((to) => {
  if (!to.meta.public && !session.token) {
    return { name: 'login', query: to.fullPath && to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (to.name === 'login' && session.token) return { name: 'dashboard' }
  return true
})
