/**
 * Errors on portal pages become HTML pages in the layout, not problem+json: the same statuses
 * the API would answer (403 for a role, 403 for a bad CSRF token, 404), the reason in words, and
 * for anything unexpected a generic page with the request id while the error goes to the log.
 */
import type { ErrorRequestHandler } from 'express';
import { HttpProblem } from '../api/problem.js';
import { CsrfTokenInvalid } from '../identity/session.js';
import { isPortalPath } from './guard.js';
import { html } from './html.js';
import { renderPage, textFor } from './render.js';

export const portalErrorHandler: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (!isPortalPath(req.path) || res.headersSent) {
    next(err);
    return;
  }
  const t = textFor(req).errors;
  const home = req.principal
    ? html`<p><a class="usa-link" href="/portal">${t.goHome}</a></p>`
    : html`<p><a class="usa-link" href="/auth/login">${t.signInAgain}</a></p>`;
  if (err instanceof HttpProblem && err.status < 500) {
    const [title, detail] =
      err instanceof CsrfTokenInvalid
        ? [t.csrfTitle, t.csrf]
        : err.status === 401
          ? [t.signInTitle, t.signIn]
          : err.status === 403
            ? [t.forbiddenTitle, t.forbidden]
            : err.status === 404
              ? [t.notFoundTitle, err.detail ?? t.notFound]
              : [t.badRequestTitle, err.detail ?? err.title];
    renderPage(req, res, {
      title,
      status: err.status,
      body: html`<p id="error-detail">${detail}</p>
        ${home}`,
    });
    return;
  }
  // A body too large or malformed (body-parser marks those `expose`): the client's fault.
  const parser = err as { status?: unknown; expose?: unknown };
  const parserStatus = typeof parser.status === 'number' ? parser.status : 0;
  if (parser.expose === true && parserStatus >= 400 && parserStatus < 500) {
    renderPage(req, res, {
      title: t.badRequestTitle,
      status: parserStatus,
      body: html`<p id="error-detail">${t.badRequest}</p>
        ${home}`,
    });
    return;
  }
  const requestId = String(req.id);
  req.log.error({ err, requestId }, 'unhandled error on a portal page');
  renderPage(req, res, {
    title: t.serverTitle,
    status: 500,
    body: html`<p>${t.server}</p>
      <p>${t.requestId} <code>${requestId}</code></p>
      ${home}`,
  });
};
