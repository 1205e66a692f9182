import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The renderer bundle, for Electron (loaded from file://, hence relative asset paths) and for
// the web shell alike. The YAML editor is split into its own chunk, loaded when first shown.
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
  },
});
