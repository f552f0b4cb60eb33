// Builds the app (web/src) into static files in web/dist, which Tend serves at / (src/api/app-routes.ts).
// `npm run web:dev` serves it with reloading and sends API calls to a Tend on port 3000.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { bundleBudget } from './scripts/bundle-budget.js';

const tend = process.env.TEND_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), bundleBudget()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The budget plugin prints what each page loads; Vite's own per-file list adds nothing to it.
    reportCompressedSize: false,
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: Object.fromEntries(['/api', '/docs', '/v1', '/health'].map((path) => [path, { target: tend }])),
  },
});
