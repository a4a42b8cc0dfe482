/**
 * State systems' client credentials (issue 10, administration): the OAuth clients of Continuum's
 * own OpenID provider that upload for the administrator's state, and the partner applications.
 * Secrets live in the gateway's environment (the variable each client names), never in the
 * database or a page: this page says which variable holds each and whether it is set, so an
 * administrator can rotate it (new value, restart) and hand the new one to the state's system.
 */
import type { RequestHandler } from 'express';
import type { Config } from '../../config/index.js';
import { html } from '../html.js';
import { personOf, renderPage, textFor } from '../render.js';

export const CLIENTS_PATH = '/portal/admin/clients';

export function clientsPage(deps: { config: Config; env?: NodeJS.ProcessEnv }): RequestHandler {
  const env = deps.env ?? process.env;
  const provider = deps.config.identity.provider;
  const tokenUrl = `${deps.config.server.publicUrl.replace(/\/$/, '')}/oidc/token`;
  return (req, res) => {
    const t = textFor(req);
    const c = t.clients;
    const person = personOf(req);
    const isSet = (name: string | undefined) => (name && env[name] ? c.set : c.notSet);
    const systems = provider.clients.flatMap((client) =>
      client.kind === 'state-system' && client.state === person.state ? [client] : [],
    );
    const partners = provider.clients.flatMap((client) =>
      client.kind === 'partner-app' ? [client] : [],
    );
    renderPage(req, res, {
      title: c.title,
      body: html`<p>${c.intro(person.state)}</p>
        ${provider.enabled ? html`` : html`<p class="usa-alert__text">${c.providerOff}</p>`}
        <dl class="portal-facts">
          <dt>${c.tokenEndpoint}</dt>
          <dd><code>${tokenUrl}</code></dd>
          <dt>${c.tokenLifetime}</dt>
          <dd>${c.seconds(provider.accessTokenTtlSeconds)}</dd>
        </dl>
        <div class="portal-table-wrap">
          <table class="usa-table usa-table--striped" id="state-systems">
            <caption>
              ${c.systemsCaption(person.state)}
            </caption>
            <thead>
              <tr>
                <th scope="col">${c.clientId}</th>
                <th scope="col">${c.secretVariable}</th>
                <th scope="col">${c.secretStatus}</th>
              </tr>
            </thead>
            <tbody>
              ${
                systems.length === 0
                  ? html`<tr>
                      <td colspan="3">${c.noSystems}</td>
                    </tr>`
                  : systems.map(
                      (s) =>
                        html`<tr>
                          <td><code>${s.clientId}</code></td>
                          <td><code>${s.clientSecretEnv}</code></td>
                          <td>${isSet(s.clientSecretEnv)}</td>
                        </tr>`,
                    )
              }
            </tbody>
          </table>
        </div>
        <div class="portal-table-wrap">
          <table class="usa-table usa-table--striped" id="partner-apps">
            <caption>
              ${c.partnersCaption}
            </caption>
            <thead>
              <tr>
                <th scope="col">${c.clientId}</th>
                <th scope="col">${c.redirectUris}</th>
                <th scope="col">${c.secretStatus}</th>
              </tr>
            </thead>
            <tbody>
              ${
                partners.length === 0
                  ? html`<tr>
                      <td colspan="3">${c.noPartners}</td>
                    </tr>`
                  : partners.map(
                      (p) =>
                        html`<tr>
                          <td><code>${p.clientId}</code></td>
                          <td>${p.redirectUris.join(', ')}</td>
                          <td>${p.clientSecretEnv ? isSet(p.clientSecretEnv) : c.publicClient}</td>
                        </tr>`,
                    )
              }
            </tbody>
          </table>
        </div>
        <h2>${c.rotateHeading}</h2>
        <p>${c.rotate}</p>`,
    });
  };
}
