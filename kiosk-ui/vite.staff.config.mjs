// Build of the staff dashboard (kiosk-ui/staff.html) into kiosk-ui/dist/staff, served by the staff listener.
// Kept apart from the kiosk's own Vite setup so the two can be merged into one config later.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default {
  root,
  base: '/',
  build: {
    outDir: 'dist/staff',
    emptyOutDir: true,
    // No inline scripts or styles: the staff CSP allows 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: { input: { staff: fileURLToPath(new URL('staff.html', import.meta.url)) } },
  },
};
