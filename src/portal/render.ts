/**
 * What every portal handler needs: the signed-in person, a one-time flash message carried in
 * the session across a redirect (post → redirect → get), and rendering a page in the layout.
 */
import type { Request, Response } from 'express';
import type {} from 'express-session';
import { Forbidden, Unauthorized } from '../api/auth-problems.js';
import type { PersonPrincipal } from '../identity/principal.js';
import { csrfTokenOf } from '../identity/session.js';
import type { SafeHtml } from './html.js';
import { layout, type Flash, type Viewer } from './layout.js';
import { en, type PortalText } from './text/en.js';

declare module 'express-session' {
  interface SessionData {
    /** Shown once on the next page: what the last action did. */
    flash?: Flash;
  }
}

/** The text for this request. English only for now; a `lang` choice picks another module later. */
export function textFor(_req: Request): PortalText {
  return en;
}

export function viewerOf(principal: PersonPrincipal): Viewer {
  return { name: principal.name, state: principal.state, roles: principal.roles };
}

/** The signed-in person (the portal guard has already let only people through). */
export function personOf(req: Request): PersonPrincipal {
  if (!req.principal) throw new Unauthorized();
  if (req.principal.kind !== 'person') throw new Forbidden('Only signed-in people use the portal.');
  return req.principal;
}

export function setFlash(req: Request, flash: Flash): void {
  req.session.flash = flash;
}

function takeFlash(req: Request): Flash | undefined {
  const flash = req.session?.flash;
  if (flash) delete req.session.flash;
  return flash;
}

/** Confirms an action and shows the next page: 303, so a reload does not post again. */
export function redirectWithFlash(req: Request, res: Response, to: string, flash: Flash): void {
  setFlash(req, flash);
  res.redirect(303, to);
}

export function renderPage(
  req: Request,
  res: Response,
  page: { title: string; body: SafeHtml; status?: number; head?: SafeHtml },
): void {
  const principal = req.principal?.kind === 'person' ? req.principal : undefined;
  res
    .status(page.status ?? 200)
    // Pages show people's names and records: never kept by a shared cache or the back button.
    .set('Cache-Control', 'no-store')
    .type('html')
    .send(
      layout({
        title: page.title,
        body: page.body,
        ...(page.head ? { head: page.head } : {}),
        viewer: principal ? viewerOf(principal) : undefined,
        csrfToken: principal ? csrfTokenOf(req) : undefined,
        currentPath: req.path,
        flash: takeFlash(req),
        text: textFor(req),
      }),
    );
}
