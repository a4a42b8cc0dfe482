/**
 * The HTML pages of sign-in: pick a state, who am I (or "awaiting approval" for a pending
 * account), a safe error page, the hop to the IdP at sign-out. Drawn in the portal's layout;
 * their words are in portal/text/en.ts. No scripts of their own.
 */
import { alertBox } from '../portal/components.js';
import { html, type SafeHtml } from '../portal/html.js';
import { layout } from '../portal/layout.js';
import { en } from '../portal/text/en.js';
import type { StoredAccount } from '../store/repositories/accounts.js';
import { effectiveRoles } from './accounts.js';

export interface StateChoice {
  code: string;
  name: string;
  href: string | null;
}

export function loginPage(states: StateChoice[], message?: string): string {
  const t = en.signIn;
  const items = states.map((s) =>
    s.href
      ? html`<li class="usa-button-group__item">
          <a class="usa-button usa-button--outline" href="${s.href}" data-state="${s.code}"
            >${s.name}</a
          >
        </li>`
      : html`<li class="usa-button-group__item portal-state--off">
          ${s.name} (${t.notConnected})
        </li>`,
  );
  const note = message ? alertBox('info', message) : '';
  return layout({
    title: t.title,
    body: html`${note}
      <p class="usa-intro">${t.intro}</p>
      <h2 id="choose-state">${t.chooseState}</h2>
      <ul class="usa-button-group portal-states" aria-labelledby="choose-state">
        ${items}
      </ul>
      <p class="usa-hint">${t.help}</p>`,
  });
}

function nameOf(account: StoredAccount): string {
  return [account.firstName, account.lastName].filter(Boolean).join(' ') || account.idpSubject;
}

export function sessionPage(account: StoredAccount, csrfToken: string): string {
  const roles = effectiveRoles(account);
  const name = nameOf(account);
  if (account.status !== 'active') {
    // Awaiting approval: this and sign-out, nothing else (no navigation, no other page).
    return layout({
      title: en.awaiting.title,
      viewer: { name, state: account.stateCode, roles: [] },
      csrfToken,
      body: html`${alertBox('warning', en.awaiting.body(account.stateCode), {
          id: 'pending',
          slim: false,
        })}
        <p>${en.awaiting.next}</p>`,
    });
  }
  const t = en.session;
  return layout({
    title: t.title,
    viewer: { name, state: account.stateCode, roles },
    csrfToken,
    currentPath: '/auth/session',
    body: html`<p>
        ${t.signedInAs} <span id="name">${name}</span> (<span id="email"
          >${account.email ?? ''}</span
        >) ${t.from} <span id="state">${account.stateCode}</span>.
      </p>
      <p>${t.roles} <span id="roles">${roles.join(', ')}</span></p>
      <p><a class="usa-button" href="/portal" id="go-home">${t.goHome}</a></p>`,
  });
}

export function errorPage(title: string, detail: string): string {
  return layout({
    title,
    body: html`<p>${detail}</p>
      <p><a class="usa-link" href="/auth/login">${en.errors.signInAgain}</a></p>`,
  });
}

/** Sends the browser on to `url` (the IdP's logout endpoint) by a meta refresh and a link. */
export function continuePage(title: string, url: string): string {
  const head: SafeHtml = html`<meta http-equiv="refresh" content="0;url=${url}" />`;
  return layout({
    title,
    head,
    body: html`<p>
      ${en.signOut.atIdp} <a class="usa-link" id="continue" href="${url}">${en.signOut.continue}</a>
    </p>`,
  });
}
