/** Sign-in and access errors, rendered as problem+json by the one error handler. */
import { HttpProblem } from './problem.js';

/** No valid session or token: sign in first (RFC 9110 section 15.5.2). */
export class Unauthorized extends HttpProblem {
  constructor(detail = 'Sign in first, or send a valid bearer token.') {
    super(401, 'Unauthorized', detail, 'unauthorized');
  }
}

/** Signed in, but this role may not use this route (the access matrix says so). */
export class Forbidden extends HttpProblem {
  constructor(detail = 'Your role does not allow this.') {
    super(403, 'Forbidden', detail, 'forbidden');
  }
}

/** Too many sign-in or token attempts from one address. */
export class TooManyRequests extends HttpProblem {
  constructor() {
    super(429, 'Too Many Requests', 'Too many attempts; wait a minute.', 'too-many-requests');
  }
}
