/**
 * Jobs and notifications administration (issue 7 through the portal): the job runs of
 * GET /api/v1/jobs, the state's subscriptions (list, register, rotate a secret: the new secret is
 * shown once, on the answer to the post, never stored in the session or shown again) and the
 * deliveries with "resend" for a dead letter. The same functions as the jobs and notifications
 * routers, own state only.
 */
import type { Request, RequestHandler, Response } from 'express';
import { positiveId } from '../../api/request-input.js';
import { jobRegistry } from '../../jobs/registry.js';
import { scheduleOf } from '../../jobs/scheduler.js';
import {
  registerSubscription,
  rotateSecret,
  subscriptionRequest,
  SubscriptionNotFound,
} from '../../notifications/subscriptions.js';
import { listJobRuns } from '../../store/repositories/job-runs.js';
import { listDeliveries, resendDelivery } from '../../store/repositories/notification-outbox.js';
import {
  listSubscriptions,
  subscriptionAudiences,
  subscriptionChannels,
} from '../../store/repositories/notification-subscriptions.js';
import { alertBox, csrfField } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { personOf, redirectWithFlash, renderPage, textFor } from '../render.js';
import type { PortalText } from '../text/en.js';
import { when } from './admin-accounts.js';
import type { CountsDeps } from './counts.js';

export const JOBS_PATH = '/portal/admin/jobs';
export const SUBSCRIPTIONS_PATH = '/portal/admin/subscriptions';
export const DELIVERIES_PATH = '/portal/admin/deliveries';
const deliveryStatuses = ['pending', 'delivered', 'dead'] as const;

export function jobsPage(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    const t = textFor(req);
    const j = t.jobs;
    const runs = await listJobRuns(deps.store, { limit: 100 });
    const jobs = jobRegistry.map((job) => ({ job, ...scheduleOf(deps.config, job) }));
    renderPage(req, res, {
      title: j.title,
      body: html`<p>${j.intro}</p>
        <div class="portal-table-wrap">
          <table class="usa-table usa-table--striped" id="jobs">
            <caption>
              ${j.jobsCaption}
            </caption>
            <thead>
              <tr>
                <th scope="col">${j.name}</th>
                <th scope="col">${j.description}</th>
                <th scope="col">${j.schedule}</th>
                <th scope="col">${j.enabled}</th>
              </tr>
            </thead>
            <tbody>
              ${jobs.map(
                (x) =>
                  html`<tr data-job="${x.job.name}">
                    <th scope="row">${x.job.name}</th>
                    <td>${x.job.description}</td>
                    <td><code>${x.cron}</code></td>
                    <td>${x.enabled ? j.yes : j.no}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
        ${
          runs.length === 0
            ? html`<p id="job-runs-none">${j.noRuns}</p>`
            : html`<div class="portal-table-wrap">
                <table class="usa-table usa-table--striped" id="job-runs">
                  <caption>
                    ${j.runsCaption}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">${j.name}</th>
                      <th scope="col">${j.started}</th>
                      <th scope="col">${j.ended}</th>
                      <th scope="col">${j.trigger}</th>
                      <th scope="col">${j.outcome}</th>
                      <th scope="col">${j.counts}</th>
                      <th scope="col">${j.error}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${runs.map(
                      (r) =>
                        html`<tr data-run="${r.id}">
                          <th scope="row">${r.jobName}</th>
                          <td>${when(r.startedAt)}</td>
                          <td>${r.endedAt ? when(r.endedAt) : ''}</td>
                          <td>${r.trigger}</td>
                          <td>${r.outcome}</td>
                          <td>
                            ${Object.entries(r.counts)
                              .map(([k, v]) => `${k} ${v}`)
                              .join(', ')}
                          </td>
                          <td>${r.error ?? ''}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
        }`,
    });
  };
}

function registerForm(req: Request, t: PortalText): SafeHtml {
  const s = t.subscriptions;
  const input = (name: string, label: string, type = 'text') =>
    html`<label class="usa-label" for="sub-${name}">${label}</label>
      <input class="usa-input" id="sub-${name}" name="${name}" type="${type}" />`;
  const select = (
    name: string,
    label: string,
    options: readonly string[],
    words: Record<string, string>,
  ) =>
    html`<label class="usa-label" for="sub-${name}">${label}</label>
      <select class="usa-select" id="sub-${name}" name="${name}">
        ${options.map((o) => html`<option value="${o}">${words[o] ?? o}</option>`)}
      </select>`;
  return html`<section aria-labelledby="register-heading">
    <h2 id="register-heading">${s.registerTitle}</h2>
    <form class="usa-form" method="post" action="${SUBSCRIPTIONS_PATH}" id="register-form">
      ${csrfField(req)}
      <label class="usa-label" for="sub-name">${s.name}</label>
      <input class="usa-input" id="sub-name" name="name" required maxlength="200" />
      ${select('audience', s.audience, subscriptionAudiences, s.audiences)}
      ${select('channel', s.channel, subscriptionChannels, s.channels)}
      ${input('url', s.url, 'url')} ${input('email', s.email, 'email')} ${input('state', s.state)}
      ${input('region', s.region)} ${input('districtId', s.district)}
      <button class="usa-button" type="submit" id="register-submit">${s.register}</button>
    </form>
  </section>`;
}

async function subscriptionsBody(
  deps: CountsDeps,
  req: Request,
  before: SafeHtml = html``,
): Promise<SafeHtml> {
  const t = textFor(req);
  const s = t.subscriptions;
  const list = await listSubscriptions(deps.store, personOf(req).state);
  const table =
    list.length === 0
      ? html`<p id="subscriptions-none">${s.none}</p>`
      : html`<div class="portal-table-wrap">
          <table class="usa-table usa-table--striped" id="subscriptions">
            <caption>
              ${s.caption}
            </caption>
            <thead>
              <tr>
                <th scope="col">${s.name}</th>
                <th scope="col">${s.audience}</th>
                <th scope="col">${s.channel}</th>
                <th scope="col">${s.target}</th>
                <th scope="col">${s.scope}</th>
                <th scope="col">${s.status}</th>
                <th scope="col"><span class="usa-sr-only">${s.rotate}</span></th>
              </tr>
            </thead>
            <tbody>
              ${list.map(
                (x) =>
                  html`<tr data-subscription="${x.id}">
                    <th scope="row">${x.name}</th>
                    <td>${s.audiences[x.audience] ?? x.audience}</td>
                    <td>${s.channels[x.channel] ?? x.channel}</td>
                    <td>${x.url ?? x.email ?? ''}</td>
                    <td>${[x.stateCode, x.region, x.districtId].filter(Boolean).join(' ')}</td>
                    <td>${x.status}</td>
                    <td>
                      ${
                        x.channel === 'webhook'
                          ? html`<form
                              method="post"
                              action="${SUBSCRIPTIONS_PATH}/${x.id}/rotate-secret"
                            >
                              ${csrfField(req)}
                              <button
                                class="usa-button usa-button--outline usa-button--small"
                                type="submit"
                              >
                                ${s.rotate}<span class="usa-sr-only"> (${x.name})</span>
                              </button>
                            </form>`
                          : ''
                      }
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`;
  return html`${before}
    <p>${s.intro}</p>
    ${table} ${registerForm(req, t)}`;
}

export function subscriptionsPage(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    renderPage(req, res, {
      title: textFor(req).subscriptions.title,
      body: await subscriptionsBody(deps, req),
    });
  };
}

/** The secret, once: on the answer to the post itself (never through the session's flash). */
async function showSecret(
  deps: CountsDeps,
  req: Request,
  res: Response,
  confirmation: string,
  secret: string | null,
): Promise<void> {
  const t = textFor(req);
  const s = t.subscriptions;
  const box = secret
    ? html`<div class="usa-alert usa-alert--warning" role="status">
        <div class="usa-alert__body">
          <h2 class="usa-alert__heading">${s.secretTitle}</h2>
          <p class="usa-alert__text">${s.secretOnce}</p>
          <p><code id="new-secret">${secret}</code></p>
        </div>
      </div>`
    : html``;
  renderPage(req, res, {
    title: s.title,
    body: await subscriptionsBody(
      deps,
      req,
      html`${alertBox('success', confirmation, { id: 'subscription-confirmation' })} ${box}`,
    ),
  });
}

export function registerSubscriptionAction(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    const me = personOf(req);
    const t = textFor(req);
    const b = (req.body ?? {}) as Record<string, unknown>;
    // The form sends every field; an empty one is a field not given.
    const given = Object.fromEntries(
      ['name', 'audience', 'channel', 'url', 'email', 'state', 'region', 'districtId']
        .map((k) => [k, typeof b[k] === 'string' ? (b[k] as string).trim() : undefined] as const)
        .filter(([, v]) => v !== undefined && v !== ''),
    );
    const parsed = subscriptionRequest.safeParse(given);
    if (!parsed.success) {
      const reasons = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      redirectWithFlash(req, res, SUBSCRIPTIONS_PATH, {
        kind: 'error',
        text: t.subscriptions.invalid(reasons.join('; ')),
      });
      return;
    }
    const { subscription, secret } = await registerSubscription(deps.store, me.state, parsed.data);
    await showSecret(deps, req, res, t.subscriptions.registered(subscription.name), secret);
  };
}

export function rotateSecretAction(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    const me = personOf(req);
    const t = textFor(req);
    const id = positiveId(req.params['id']);
    const subscription = (await listSubscriptions(deps.store, me.state)).find((x) => x.id === id);
    try {
      const rotated = await rotateSecret(deps.store, deps.config, me.state, id);
      const name = subscription?.name ?? String(id);
      await showSecret(
        deps,
        req,
        res,
        t.subscriptions.rotated(name, when(rotated.previousRetiresAt)),
        rotated.secret,
      );
    } catch (err) {
      if (!(err instanceof SubscriptionNotFound)) throw err;
      redirectWithFlash(req, res, SUBSCRIPTIONS_PATH, {
        kind: 'error',
        text: t.subscriptions.notFound,
      });
    }
  };
}

export function deliveriesPage(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    const me = personOf(req);
    const t = textFor(req);
    const d = t.deliveries;
    const q = req.query['status'];
    const status = (deliveryStatuses as readonly unknown[]).includes(q)
      ? (q as (typeof deliveryStatuses)[number])
      : undefined;
    const list = await listDeliveries(deps.store, {
      ownerState: me.state,
      ...(status ? { status } : {}),
      limit: 100,
    });
    const table =
      list.length === 0
        ? html`<p id="deliveries-none">${d.none}</p>`
        : html`<div class="portal-table-wrap">
            <table class="usa-table usa-table--striped" id="deliveries">
              <caption>
                ${d.caption}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${d.event}</th>
                  <th scope="col">${d.subscriber}</th>
                  <th scope="col">${d.status}</th>
                  <th scope="col">${d.attempts}</th>
                  <th scope="col">${d.last}</th>
                  <th scope="col">${d.occurred}</th>
                  <th scope="col">${d.delivered}</th>
                  <th scope="col"><span class="usa-sr-only">${d.resend}</span></th>
                </tr>
              </thead>
              <tbody>
                ${list.map(
                  (x) =>
                    html`<tr data-delivery="${x.id}" data-status="${x.status}">
                      <th scope="row">${x.eventType}</th>
                      <td>${x.subscriptionName}</td>
                      <td>${d.statuses[x.status] ?? x.status}</td>
                      <td>${x.attempts}</td>
                      <td>${[x.lastStatus, x.lastError].filter((v) => v !== null).join(' ')}</td>
                      <td>${when(x.occurredAt)}</td>
                      <td>${x.deliveredAt ? when(x.deliveredAt) : ''}</td>
                      <td>
                        ${
                          x.status === 'dead'
                            ? html`<form method="post" action="${DELIVERIES_PATH}/${x.id}/resend">
                                ${csrfField(req)}
                                <button class="usa-button usa-button--small" type="submit">
                                  ${d.resend}<span class="usa-sr-only"> (${x.id})</span>
                                </button>
                              </form>`
                            : ''
                        }
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`;
    renderPage(req, res, {
      title: d.title,
      body: html`<p>${d.intro}</p>
        <form class="usa-form" method="get" action="${DELIVERIES_PATH}" id="deliveries-filter">
          <label class="usa-label" for="deliveries-status">${d.filter}</label>
          <select class="usa-select" id="deliveries-status" name="status">
            <option value="">${d.all}</option>
            ${deliveryStatuses.map(
              (s) =>
                html`<option value="${s}" ${s === status ? html`selected` : ''}>
                  ${d.statuses[s] ?? s}
                </option>`,
            )}
          </select>
          <button class="usa-button" type="submit">${d.show}</button>
        </form>
        ${table}`,
    });
  };
}

export function resendAction(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    const me = personOf(req);
    const t = textFor(req);
    const id = positiveId(req.params['id']);
    const ok = await resendDelivery(deps.store, { id, ownerState: me.state, now: deps.now() });
    redirectWithFlash(
      req,
      res,
      `${DELIVERIES_PATH}?status=dead`,
      ok
        ? { kind: 'success', text: t.deliveries.resent(id) }
        : { kind: 'error', text: t.deliveries.notDead(id) },
    );
  };
}
