/** The few HTML pages of sign-in: pick a state, who am I, a safe error page. No scripts. */
import type { StoredAccount } from '../store/repositories/accounts.js';
import { effectiveRoles } from './accounts.js';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Continuum</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}

export interface StateChoice {
  code: string;
  name: string;
  href: string | null;
}

export function loginPage(states: StateChoice[], message?: string): string {
  const items = states
    .map((s) =>
      s.href
        ? `<li><a href="${escapeHtml(s.href)}" data-state="${s.code}">${escapeHtml(s.name)}</a></li>`
        : `<li>${escapeHtml(s.name)} (not connected yet)</li>`,
    )
    .join('\n');
  const note = message ? `<p role="status">${escapeHtml(message)}</p>` : '';
  return page('Sign in', `${note}<p>Choose your state:</p><ul>${items}</ul>`);
}

export function sessionPage(account: StoredAccount, csrfToken: string): string {
  const roles = effectiveRoles(account);
  const name =
    [account.firstName, account.lastName].filter(Boolean).join(' ') || account.idpSubject;
  const status =
    account.status === 'active'
      ? `<p>Roles: <span id="roles">${escapeHtml(roles.join(', '))}</span></p>`
      : `<p id="pending">Your account is ${escapeHtml(account.status)}: a ${escapeHtml(
          account.stateCode,
        )} user administrator must approve it.</p>`;
  return page(
    'Signed in',
    `<p>Signed in as <span id="name">${escapeHtml(name)}</span>
 (<span id="email">${escapeHtml(account.email ?? '')}</span>) from
 <span id="state">${escapeHtml(account.stateCode)}</span>.</p>
${status}
<form method="post" action="/auth/logout"><input type="hidden" name="_csrf" value="${escapeHtml(csrfToken)}">
<button type="submit" id="sign-out">Sign out</button></form>`,
  );
}

export function errorPage(title: string, detail: string): string {
  return page(title, `<p>${escapeHtml(detail)}</p><p><a href="/auth/login">Sign in again</a></p>`);
}

/** Sends the browser on to `url` (the IdP's logout endpoint) by a meta refresh and a link. */
export function continuePage(title: string, url: string): string {
  const href = escapeHtml(url);
  return page(
    title,
    `<meta http-equiv="refresh" content="0;url=${href}">
<p>Signing you out at your state's identity provider. <a id="continue" href="${href}">Continue</a></p>`,
  );
}
