/**
 * Static files of the portal: the compiled USWDS package (CSS, fonts, images, its one script)
 * found through Node's module resolution, and the portal's own two style sheets. Served before
 * sessions are read, so a style sheet never costs a session lookup.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { PORTAL_ASSETS, USWDS_BASE } from './layout.js';

/** `@uswds/uswds` resolves to dist/js/uswds.min.js; its dist folder is two levels up. */
export function uswdsDistDir(): string {
  const entry = createRequire(import.meta.url).resolve('@uswds/uswds');
  return path.resolve(path.dirname(entry), '..');
}

const ownAssetsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');

export function portalAssetsRouter(): Router {
  const router = Router();
  const options = { index: false, maxAge: '1h', dotfiles: 'deny' } as const;
  const dist = uswdsDistDir();
  // Only what pages use: no scss, no source maps of the package's tooling.
  for (const folder of ['css', 'fonts', 'img', 'js']) {
    router.use(`${USWDS_BASE}/${folder}`, express.static(path.join(dist, folder), options));
  }
  router.use(PORTAL_ASSETS, express.static(ownAssetsDir, options));
  return router;
}
