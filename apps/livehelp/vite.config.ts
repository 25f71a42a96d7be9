import * as path from 'node:path';
import { defineConfig } from 'vite';

/**
 * Two builds into one `dist`, picked by LIVEHELP_TARGET (see scripts/build-livehelp.cjs):
 * `widget` is one classic script, `widget.js`, that any allowed site embeds; `console` is
 * the representatives' page, served by the API at `/livehelp/`.
 */
const target = process.env.LIVEHELP_TARGET === 'widget' ? 'widget' : 'console';
const contracts = { '@tocsin/contracts': path.resolve(__dirname, '../../libs/contracts/src') };

export default defineConfig(
  target === 'widget'
    ? {
        root: __dirname,
        resolve: { alias: contracts },
        define: { 'process.env.NODE_ENV': '"production"' },
        build: {
          outDir: 'dist',
          emptyOutDir: false,
          sourcemap: true,
          lib: {
            entry: path.resolve(__dirname, 'src/widget/main.ts'),
            name: 'TocsinLiveHelp',
            formats: ['iife'],
            fileName: () => 'widget.js',
          },
        },
      }
    : {
        root: __dirname,
        base: '/livehelp/',
        resolve: { alias: contracts },
        build: { outDir: 'dist', emptyOutDir: false, sourcemap: true },
      },
);
