/**
 * `POST /api/v1/submissions?state=XX` (the file as the raw body, streamed), `GET
 * /api/v1/submissions/{id}` and `GET /api/v1/submissions/{id}/rejects` (JSON, or CSV). Routes
 * only wire: the work is in src/ingest.
 */
import path from 'node:path';
import { Router } from 'express';
import type { Response } from 'express';
import type { Config } from '../config/index.js';
import {
  describeSubmission,
  FileTooLargeError,
  ingestFile,
  loadStateMapping,
  rejectsCsv,
  stateConfigOf,
  submissionRejects,
} from '../ingest/index.js';
import type { SubmissionView } from '../ingest/index.js';
import type { Store } from '../store/index.js';
import { authenticateState, requireSameState } from './submission-auth.js';
import { BadRequest, NotFound, PayloadTooLarge, UnprocessableContent } from './problem.js';

const STATE = /^[A-Za-z]{2}$/;

/** A file name from `X-File-Name` (percent-encoding allowed), kept only as a label. */
function fileNameOf(header: string | undefined, state: string): string {
  let name = header ?? '';
  try {
    name = decodeURIComponent(name);
  } catch {
    // Not percent-encoded: keep it as sent.
  }
  // eslint-disable-next-line no-control-regex
  name = path.posix.basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '');
  return name.slice(0, 255) || `${state.toLowerCase()}-upload`;
}

export function submissionsRouter(config: Config, store: Store): Router {
  const router = Router();
  const maxBytes = config.ingest.maxUploadBytes;
  /** The rest of the upload is not read: the connection ends with the answer. */
  const tooLarge = (res: Response) => {
    res.setHeader('Connection', 'close');
    return new PayloadTooLarge(
      `A submission may be at most ${maxBytes} bytes (ingest.maxUploadBytes).`,
    );
  };

  async function ownSubmission(keyState: string, id: string | undefined): Promise<SubmissionView> {
    const n = /^[1-9][0-9]{0,9}$/.test(id ?? '') ? Number(id) : NaN;
    const view = Number.isSafeInteger(n) ? await describeSubmission(store, n) : null;
    if (!view) throw new NotFound(`No submission ${id ?? ''}.`);
    requireSameState(keyState, view.state);
    return view;
  }

  router.post('/submissions', async (req, res) => {
    const requested = typeof req.query['state'] === 'string' ? req.query['state'] : '';
    if (!STATE.test(requested)) {
      throw new BadRequest('Name the submitting state: POST /api/v1/submissions?state=XX.');
    }
    const state = requested.toUpperCase();
    const keyState = authenticateState(config, req, res);
    requireSameState(keyState, state);
    const stateConfig = stateConfigOf(config, state);
    if (!stateConfig) throw new NotFound(`State ${state} is not configured.`);
    if (Number(req.get('content-length') ?? 0) > maxBytes) throw tooLarge(res);

    const mapping = await loadStateMapping(config, stateConfig);
    const fileName = fileNameOf(req.get('x-file-name'), state);
    const summary = await ingestFile({
      store,
      config,
      state,
      mapping,
      fileName,
      input: req,
      maxBytes,
    }).catch((err: unknown) => {
      throw err instanceof FileTooLargeError ? tooLarge(res) : err;
    });
    if (summary.status === 'refused') {
      throw new UnprocessableContent(
        `The file was refused: ${summary.error ?? 'unreadable'}`,
        'file-refused',
        { submission: summary },
      );
    }
    if (!summary.duplicate) res.location(`/api/v1/submissions/${summary.submissionId}`);
    res.status(summary.duplicate ? 200 : 201).json(summary);
  });

  router.get('/submissions/:id', async (req, res) => {
    const keyState = authenticateState(config, req, res);
    res.json(await ownSubmission(keyState, req.params['id']));
  });

  router.get('/submissions/:id/rejects', async (req, res) => {
    const keyState = authenticateState(config, req, res);
    const submission = await ownSubmission(keyState, req.params['id']);
    const rejects = await submissionRejects(store, submission);
    const format = req.query['format'];
    const csv =
      format === 'csv' ||
      (format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
    if (format !== undefined && format !== 'csv' && format !== 'json') {
      throw new BadRequest('format must be json or csv.');
    }
    if (csv) {
      res
        .type('text/csv; charset=utf-8')
        .attachment(`submission-${submission.submissionId}-rejects.csv`)
        .send(rejectsCsv(rejects));
      return;
    }
    res.json({ submissionId: submission.submissionId, fileName: submission.fileName, rejects });
  });

  return router;
}
