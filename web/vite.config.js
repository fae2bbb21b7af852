// Vite config for the GreenLoop web UI. Run from the repo root:
//   npm run build:web   -> web/dist (served by `greenloop serve --web-root web/dist`)
//   npm run dev:web     -> dev server with /api proxied to http://127.0.0.1:8080
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root,
  base: '/',
  plugins: [vue()],
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined
          if (id.includes('/echarts/') || id.includes('/zrender/')) return 'echarts'
          if (id.includes('/element-plus/') || id.includes('/@element-plus/') || id.includes('/@vueuse/') ||
              id.includes('/lodash') || id.includes('/dayjs/') || id.includes('/@floating-ui/') ||
              id.includes('/@popperjs/') || id.includes('/@sxzz/') || id.includes('/async-validator/')) return 'element-plus'
          return 'vendor'
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: true },
    },
  },
})
