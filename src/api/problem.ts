/**
 * Errors as the caller sees them, rendered in one place as `application/problem+json`
 * (RFC 9457). Domain code throws these; routes never format an error body themselves.
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  /** Field-level problems, e.g. for a rejected document: `{ path, reason }`. */
  errors?: Array<{ path: string; reason: string }>;
}

export const problemContentType = 'application/problem+json';
const typeBase = 'https://continuum.example/problems/';

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly slug = 'about:blank',
    readonly errors?: ProblemDetails['errors'],
  ) {
    super(detail ?? title);
    this.name = new.target.name;
  }

  toDetails(instance: string, requestId: string): ProblemDetails {
    return {
      type: this.slug === 'about:blank' ? this.slug : `${typeBase}${this.slug}`,
      title: this.title,
      status: this.status,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      instance,
      requestId,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export class NotFound extends HttpProblem {
  constructor(detail?: string) {
    super(404, 'Not Found', detail, 'not-found');
  }
}

export class BadRequest extends HttpProblem {
  constructor(detail: string, errors?: ProblemDetails['errors']) {
    super(400, 'Bad Request', detail, 'bad-request', errors);
  }
}

export class PayloadTooLarge extends HttpProblem {
  constructor(detail: string) {
    super(413, 'Payload Too Large', detail, 'payload-too-large');
  }
}

/**
 * The request was understood but its content cannot be processed (RFC 9110 section 15.5.21).
 * Extension members (RFC 9457 section 3.2) say more, e.g. which submission recorded it.
 */
export class UnprocessableContent extends HttpProblem {
  constructor(
    detail: string,
    slug = 'unprocessable-content',
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(422, 'Unprocessable Content', detail, slug);
  }

  override toDetails(instance: string, requestId: string): ProblemDetails {
    return { ...this.extensions, ...super.toDetails(instance, requestId) };
  }
}

export class ServiceUnavailable extends HttpProblem {
  constructor(detail: string) {
    super(503, 'Service Unavailable', detail, 'service-unavailable');
  }
}

/** What an unexpected error becomes: no message, no stack, only the id to find it in the logs. */
export function internalError(instance: string, requestId: string): ProblemDetails {
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'An unexpected error occurred. Quote the request id when reporting it.',
    instance,
    requestId,
  };
}

/** The request conflicts with the resource's state, e.g. a child locked by a pending merge. */
export class Conflict extends HttpProblem {
  constructor(detail: string) {
    super(409, 'Conflict', detail, 'conflict');
  }
}
