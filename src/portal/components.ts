/**
 * Pieces pages share: the CSRF field every form carries, a USWDS alert, and a print button.
 * The print button is rendered hidden and shown by assets/portal.js, so a page without scripts
 * has no button that does nothing (its print style sheet still applies to the browser's Print).
 */
import type { Request } from 'express';
import { csrfTokenOf } from '../identity/session.js';
import { html, type SafeHtml } from './html.js';
import type { PortalText } from './text/en.js';

/** The session's token as the `_csrf` field the identity middleware checks on every post. */
export function csrfField(req: Request): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrfTokenOf(req)}" />`;
}

export function alertBox(
  kind: 'success' | 'error' | 'warning' | 'info',
  text: string,
  opts: { id?: string; slim?: boolean } = {},
): SafeHtml {
  // Errors interrupt (alert); the rest are announced politely (status).
  const role = kind === 'error' ? 'alert' : 'status';
  return html`<div
    class="usa-alert usa-alert--${kind}${opts.slim === false ? '' : ' usa-alert--slim'}"
    role="${role}"
  >
    <div class="usa-alert__body">
      <p class="usa-alert__text" ${opts.id ? html` id="${opts.id}"` : ''}>${text}</p>
    </div>
  </div>`;
}

export function printButton(t: PortalText): SafeHtml {
  return html`<button type="button" class="usa-button usa-button--outline" data-print hidden>
    ${t.print}
  </button>`;
}
