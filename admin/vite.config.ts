/**
 * Builds the react-admin console into admin/dist, which the Fastify app serves at `/` (API under /api).
 * `npm run build:admin`; for development, `npx vite --config admin/vite.config.ts` proxies /api to
 * the API on port 3000.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { precompress } from './precompress';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('./dist', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  // precompress.ts: .br and .gz beside each built file, served as they are (server/app.ts).
  plugins: [react(), precompress(outDir)],
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // Vendor chunks that change rarely, so a new console release re-downloads little.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/ },
            { name: 'mui', test: /node_modules[\\/](@mui|@emotion)[\\/]/ },
            // lodash: react-admin's too, needed by the login page (the forms' chunk is loaded with the case pages).
            { name: 'react-admin', test: /node_modules[\\/](react-admin|ra-[a-z0-9-]+|@tanstack|react-hook-form|lodash)[\\/]/ },
            { name: 'forms', test: /node_modules[\\/](@rjsf|ajv|ajv-formats|fast-uri|json-schema-merge-allof|jsonpointer)[\\/]/ },
            { name: 'charts', test: /node_modules[\\/](recharts|d3-[a-z-]+|victory-vendor|@reduxjs|immer|redux|reselect)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    fs: { allow: [repo] },
    proxy: { '/api': process.env.API_ORIGIN ?? 'http://127.0.0.1:3000' },
  },
});
