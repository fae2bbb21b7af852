// Cached instrument catalog (families and instruments), used to format quantities.
import { reactive } from 'vue'
import { get } from './api.js'

export const catalog = reactive({
  families: [],
  instruments: [],
  loaded: false,
  byCode: {},
  familyByCode: {},
})

let loading = null

export function loadCatalog(force = false) {
  if (catalog.loaded && !force) return Promise.resolve(catalog)
  if (loading && !force) return loading
  loading = Promise.all([get('/instrument-families'), get('/instruments')])
    .then(([fam, ins]) => {
      catalog.families = fam.items || []
      catalog.instruments = ins.items || []
      catalog.familyByCode = Object.fromEntries(catalog.families.map((f) => [f.code, f]))
      catalog.byCode = Object.fromEntries(catalog.instruments.map((i) => [i.code, i]))
      catalog.loaded = true
      return catalog
    })
    .finally(() => {
      loading = null
    })
  return loading
}

export function resetCatalog() {
  catalog.loaded = false
  catalog.families = []
  catalog.instruments = []
  catalog.byCode = {}
  catalog.familyByCode = {}
}

/** scale and unit of an instrument code (falls back to its family, then to 1 / ''). */
export function instrumentMeta(code) {
  const ins = catalog.byCode[code]
  if (ins) return { scale: ins.scale ?? 1, unit: ins.unit ?? '', family: ins.family }
  const famCode = String(code || '').split('-')[0]
  const fam = catalog.familyByCode[famCode]
  if (fam) return { scale: fam.scale ?? 1, unit: fam.unit ?? '', family: fam.code }
  return { scale: 1, unit: '', family: famCode }
}
