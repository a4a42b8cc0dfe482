import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpProblem, internalError, NotFound, problemContentType } from './problem.js';

export const notFoundHandler: RequestHandler = (req) => {
  throw new NotFound(`No resource at ${req.method} ${req.path}`);
};

/**
 * The one place errors become responses. Known problems are answered as they are; anything else
 * is logged with its request id and answered with a generic 500 that carries no detail.
 */
export const problemHandler: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const requestId = String(req.id);
  const problem = toHttpProblem(err);
  if (problem) {
    res
      .status(problem.status)
      .type(problemContentType)
      .json(problem.toDetails(req.originalUrl, requestId));
    return;
  }
  req.log.error({ err, requestId }, 'unhandled error');
  res.status(500).type(problemContentType).json(internalError(req.originalUrl, requestId));
};

/** body-parser and friends signal client errors with `status`/`expose`; keep their 4xx. */
function toHttpProblem(err: unknown): HttpProblem | undefined {
  if (err instanceof HttpProblem) return err;
  if (typeof err === 'object' && err !== null && 'status' in err && 'expose' in err) {
    const { status, expose, message } = err as { status: number; expose: boolean; message: string };
    if (expose && status >= 400 && status < 500) {
      return new HttpProblem(status, status === 413 ? 'Payload Too Large' : 'Bad Request', message);
    }
  }
  return undefined;
}
