// Builds the kiosk UI into kiosk-ui/dist, which `rig serve` serves. `npm start` runs this first.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: false,
    // Two pages: the kiosk (index.html) and the staff dashboard (staff.html, served on the LAN listener).
    rollupOptions: { input: { index: fileURLToPath(new URL('index.html', import.meta.url)), staff: fileURLToPath(new URL('staff.html', import.meta.url)) } },
  },
  // The message catalogue lives in controller/src/domain (one source for API and screens).
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] }, proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true } } },
});
