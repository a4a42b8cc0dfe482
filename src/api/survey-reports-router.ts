/**
 * Survey reports over HTTP (DESIGN.md section 9). Under /api/v1: the list, one report as JSON or
 * CSV, the confidentiality agreement, and generation on demand. Outside it, the public HTML page
 * at a stable address. The report routes are public in the access matrix and the embargo is
 * enforced here (read-reports.ts): before the release date a report exists only for a signed-in
 * person of its state who accepted the agreement; anyone else gets 404, as for no report at all.
 */
import { Router, type Request, type Response } from 'express';
import type { Config } from '../config/index.js';
import { isSurveyKind } from '../exchange/survey-response.js';
import type { PersonPrincipal } from '../identity/principal.js';
import {
  acceptSurveyReportAgreement,
  generateSurveyReports,
  listReadableSurveyReports,
  readSurveyReport,
  surveyAgreementStatus,
  surveyAgreementText,
  surveyReaderOf,
  surveyReportCsv,
  surveyReportHtml,
  surveyReportIndexHtml,
  type SurveyReportAddress,
} from '../reports/survey/index.js';
import type { Store } from '../store/index.js';
import { Forbidden, Unauthorized } from './auth-problems.js';
import { BadRequest, NotFound } from './problem.js';

export interface SurveyRouterOptions {
  /** The clock the embargo is judged by (tests move it). */
  now?: () => Date;
}

const REPORT_PATH = '/:state/:survey/:year/:scope/:id';

function person(req: Request): PersonPrincipal {
  if (!req.principal) throw new Unauthorized();
  if (req.principal.kind !== 'person') throw new Forbidden('Only signed-in people may do this.');
  return req.principal;
}

function addressOf(req: Request): SurveyReportAddress {
  const p = req.params as Record<string, string>;
  return {
    state: p.state ?? '',
    survey: p.survey ?? '',
    year: p.year ?? '',
    scope: p.scope ?? '',
    id: p.id ?? '',
  };
}

function formatOf(req: Request, fallback: 'json' | 'html'): 'json' | 'csv' | 'html' {
  const format = req.query.format;
  if (format === undefined) return fallback;
  if (format === 'json' || format === 'csv' || format === 'html') return format;
  throw new BadRequest('format must be json, csv or html');
}

/** Embargoed reports vary by who asks: never stored by a shared cache. */
function noSharedCache(res: Response, released: boolean): void {
  res.setHeader('Cache-Control', released ? 'public, max-age=300' : 'private, no-store');
  res.setHeader('Vary', 'Cookie');
}

async function sendReport(
  req: Request,
  res: Response,
  config: Config,
  store: Store,
  now: () => Date,
  fallback: 'json' | 'html',
): Promise<void> {
  const format = formatOf(req, fallback);
  const reader = await surveyReaderOf(store, req.principal);
  const found = await readSurveyReport(store, config, addressOf(req), reader, now());
  if (!found) throw new NotFound('No such survey report.');
  noSharedCache(res, found.released);
  const { report } = found;
  if (format === 'csv') {
    const name = `${report.state}-${report.survey}-${report.year}-${report.scope}-${report.id}.csv`;
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`);
    res.send(surveyReportCsv(report));
  } else if (format === 'html') {
    res.type('html').send(surveyReportHtml(report));
  } else {
    res.json({ ...report, released: found.released, releaseDate: found.releaseDate });
  }
}

export function surveyReportsRouter(
  config: Config,
  store: Store,
  options: SurveyRouterOptions = {},
): Router {
  const now = options.now ?? (() => new Date());
  const router = Router();

  router.get('/survey-reports', async (req, res) => {
    const { state, survey, year } = req.query;
    if (survey !== undefined && !isSurveyKind(survey))
      throw new BadRequest('survey must be student or staff');
    if (year !== undefined && !/^\d{4}$/.test(String(year)))
      throw new BadRequest('year must be a year like 2025');
    const reader = await surveyReaderOf(store, req.principal);
    const reports = await listReadableSurveyReports(store, config, reader, now(), {
      ...(typeof state === 'string' ? { state: state.toUpperCase() } : {}),
      ...(typeof survey === 'string' ? { survey } : {}),
      ...(year !== undefined ? { year: Number(year) } : {}),
    });
    res.setHeader('Cache-Control', 'private, no-store');
    res.json({ reports });
  });

  router.get('/survey-reports/agreement', async (req, res) => {
    const me = person(req);
    res.json({ ...(await surveyAgreementStatus(store, me.accountId)), text: surveyAgreementText });
  });

  router.post('/survey-reports/agreement', async (req, res) => {
    const me = person(req);
    const body = (req.body ?? {}) as { accept?: unknown };
    if (body.accept !== true) throw new BadRequest('send {"accept": true} to accept the agreement');
    const accepted = await acceptSurveyReportAgreement(store, me.accountId, now());
    res.json({ accepted: true, ...accepted, text: surveyAgreementText });
  });

  // On demand: a state data administrator regenerates the reports of their own state.
  router.post('/survey-reports/generate', async (req, res) => {
    const me = person(req);
    const body = (req.body ?? {}) as { survey?: unknown; year?: unknown; force?: unknown };
    if (body.survey !== undefined && !isSurveyKind(body.survey))
      throw new BadRequest('survey must be student or staff');
    if (body.year !== undefined && !Number.isInteger(body.year))
      throw new BadRequest('year must be a whole number');
    const generated = await generateSurveyReports(store, config, now(), {
      state: me.state,
      ...(isSurveyKind(body.survey) ? { survey: body.survey } : {}),
      ...(typeof body.year === 'number' ? { year: body.year } : {}),
      force: body.force === true,
    });
    res.json({ generated });
  });

  router.get(`/survey-reports${REPORT_PATH}`, (req, res) =>
    sendReport(req, res, config, store, now, 'json'),
  );
  return router;
}

/** The public page, outside /api/v1 (no access-matrix row: the guard lets it through). */
export function surveyReportPagesRouter(
  config: Config,
  store: Store,
  options: SurveyRouterOptions = {},
): Router {
  const now = options.now ?? (() => new Date());
  const router = Router();
  router.get('/reports/survey', async (req, res) => {
    const reader = await surveyReaderOf(store, req.principal);
    const reports = await listReadableSurveyReports(store, config, reader, now());
    res.setHeader('Cache-Control', 'private, no-store');
    res.type('html').send(surveyReportIndexHtml(reports));
  });
  router.get(`/reports/survey${REPORT_PATH}`, async (req, res) => {
    try {
      await sendReport(req, res, config, store, now, 'html');
    } catch (err) {
      if (!(err instanceof NotFound) || formatOf(req, 'html') !== 'html') throw err;
      res
        .status(404)
        .type('html')
        .send(
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>' +
            '<body><main><h1>Not found</h1><p>There is no survey report at this address.</p></main></body></html>',
        );
    }
  });
  return router;
}
