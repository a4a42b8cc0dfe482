/**
 * The page shell every portal and sign-in page shares: the official-site banner, the header with
 * the navigation this viewer's roles may open, a flash message, the main content and the footer.
 * USWDS styles it; it needs no script (the banner's "how you know" panel opens, and print
 * buttons appear, only when the USWDS script and assets/portal.js run). No inline scripts or
 * styles: the CSP allows only files from this origin.
 */
import type { Role } from '../identity/roles.js';
import { html, type SafeHtml } from './html.js';
import { navFor } from './page-table.js';
import { en, type PortalText } from './text/en.js';

export const USWDS_BASE = '/assets/uswds';
export const PORTAL_ASSETS = '/assets/portal';

export interface Flash {
  kind: 'success' | 'error' | 'info';
  text: string;
}

export interface Viewer {
  name: string;
  state: string;
  /** Active roles; empty for a pending account (then no navigation at all). */
  roles: readonly Role[];
}

export interface LayoutInput {
  title: string;
  body: SafeHtml;
  /** The signed-in person, if any: the header shows them and the sign-out button. */
  viewer?: Viewer | undefined;
  /** The session's CSRF token, for the sign-out form. */
  csrfToken?: string | undefined;
  /** The path being shown, to mark the current navigation entry. */
  currentPath?: string | undefined;
  flash?: Flash | undefined;
  /** Extra trusted elements for the head (a meta refresh). */
  head?: SafeHtml;
  text?: PortalText;
}

function banner(t: PortalText): SafeHtml {
  return html`<section class="usa-banner" aria-label="${t.banner.ariaLabel}">
    <div class="usa-accordion">
      <header class="usa-banner__header">
        <div class="usa-banner__inner">
          <div class="grid-col-auto">
            <img
              aria-hidden="true"
              class="usa-banner__header-flag"
              src="${USWDS_BASE}/img/us_flag_small.png"
              alt=""
            />
          </div>
          <div class="grid-col-fill tablet:grid-col-auto" aria-hidden="true">
            <p class="usa-banner__header-text">${t.banner.official}</p>
            <p class="usa-banner__header-action">${t.banner.howYouKnow}</p>
          </div>
          <button
            type="button"
            class="usa-accordion__button usa-banner__button"
            aria-expanded="false"
            aria-controls="official-banner"
          >
            <span class="usa-banner__button-text">${t.banner.howYouKnow}</span>
          </button>
        </div>
      </header>
      <div class="usa-banner__content usa-accordion__content" id="official-banner" hidden>
        <div class="grid-row grid-gap-lg">
          <div class="usa-banner__guidance tablet:grid-col-6">
            <img
              class="usa-banner__icon usa-media-block__img"
              src="${USWDS_BASE}/img/icon-dot-gov.svg"
              alt=""
              aria-hidden="true"
            />
            <div class="usa-media-block__body">
              <p><strong>${t.banner.officialTitle}</strong><br />${t.banner.officialBody}</p>
            </div>
          </div>
          <div class="usa-banner__guidance tablet:grid-col-6">
            <img
              class="usa-banner__icon usa-media-block__img"
              src="${USWDS_BASE}/img/icon-https.svg"
              alt=""
              aria-hidden="true"
            />
            <div class="usa-media-block__body">
              <p><strong>${t.banner.secureTitle}</strong><br />${t.banner.secureBody}</p>
            </div>
          </div>
        </div>
      </div>
    </div>
  </section>`;
}

function navigation(
  t: PortalText,
  roles: readonly Role[],
  currentPath: string | undefined,
): SafeHtml {
  const items = navFor(roles).map((route) => {
    const current = currentPath === route.path || currentPath?.startsWith(`${route.path}/`);
    // Home is current only on itself, not on every page below /portal.
    const here = route.path === '/portal' ? currentPath === '/portal' : current;
    return html`<li class="portal-nav__item">
      <a class="portal-nav__link" href="${route.path}" ${here ? html` aria-current="page"` : ''}
        >${t.nav[route.nav.key]}</a
      >
    </li>`;
  });
  if (items.length === 0) return html``;
  return html`<nav class="portal-nav" aria-label="${t.nav.ariaLabel}">
    <div class="grid-container">
      <ul class="portal-nav__list">
        ${items}
      </ul>
    </div>
  </nav>`;
}

function header(t: PortalText, input: LayoutInput): SafeHtml {
  const viewer = input.viewer;
  const who = viewer
    ? html`<div class="portal-user">
        <span class="portal-user__who"
          ><span class="portal-user__name">${viewer.name}</span>
          <span class="portal-user__state">(${viewer.state})</span></span
        >
        ${
          // A pending account sees nothing but the awaiting-approval page and sign-out.
          viewer.roles.length > 0
            ? html`<a class="portal-user__account" href="/auth/session">${t.nav.account}</a>`
            : ''
        }
        <form class="portal-user__sign-out" method="post" action="/auth/logout">
          <input type="hidden" name="_csrf" value="${input.csrfToken ?? ''}" /><button
            type="submit"
            id="sign-out"
            class="usa-button usa-button--outline usa-button--inverse portal-button--small"
          >
            ${t.nav.signOut}
          </button>
        </form>
      </div>`
    : html`<div class="portal-user">
        <a class="portal-user__account" href="/auth/login">${t.nav.signIn}</a>
      </div>`;
  return html`<header class="portal-header">
    <div class="grid-container portal-header__inner">
      <div class="portal-logo">
        <a href="/portal" class="portal-logo__name">${t.siteName}</a
        ><span class="portal-logo__tagline">${t.siteTagline}</span>
      </div>
      ${who}
    </div>
    ${
      // Signed out: public pages only (survey reports). Pending: nothing but this page and sign-out.
      viewer && viewer.roles.length === 0
        ? ''
        : navigation(t, viewer?.roles ?? [], input.currentPath)
    }
  </header>`;
}

export function flashAlert(t: PortalText, flash: Flash | undefined): SafeHtml {
  if (!flash) return html``;
  const role = flash.kind === 'error' ? 'alert' : 'status';
  return html`<div
    id="flash"
    class="usa-alert usa-alert--${flash.kind} usa-alert--slim"
    role="${role}"
  >
    <div class="usa-alert__body">
      <p class="usa-alert__text">
        <span class="usa-sr-only">${t.flashLabel[flash.kind]}: </span>${flash.text}
      </p>
    </div>
  </div>`;
}

export function layout(input: LayoutInput): string {
  const t = input.text ?? en;
  return html`<!doctype html>
    <html lang="${t.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${input.title} · ${t.siteName}</title>
        <link rel="icon" href="${USWDS_BASE}/img/favicons/favicon.ico" />
        <link rel="stylesheet" href="${USWDS_BASE}/css/uswds.min.css" />
        <link rel="stylesheet" href="${PORTAL_ASSETS}/portal.css" />
        <link rel="stylesheet" href="${PORTAL_ASSETS}/print.css" media="print" />
        ${input.head ?? ''}
      </head>
      <body>
        <a class="usa-skipnav" href="#main-content">${t.skipToContent}</a>
        ${banner(t)} ${header(t, input)}
        <main id="main-content" class="grid-container portal-main">
          ${flashAlert(t, input.flash)}
          <h1>${input.title}</h1>
          ${input.body}
        </main>
        <footer class="portal-footer">
          <div class="grid-container"><p>${t.footer.privacy}</p></div>
        </footer>
        <script src="${USWDS_BASE}/js/uswds.min.js" defer></script>
        <script src="${PORTAL_ASSETS}/portal.js" defer></script>
      </body>
    </html>`.value;
}
