/** Errors the store raises, named after what the caller sees. */

/** The state already sent a file with this SHA-256 (UNIQUE(state_code, file_sha256)). */
export class DuplicateSubmissionError extends Error {
  override readonly name = 'DuplicateSubmissionError';
  constructor(
    readonly stateCode: string,
    readonly fileSha256: string,
    options?: ErrorOptions,
  ) {
    super(`state ${stateCode} already submitted a file with SHA-256 ${fileSha256}`, options);
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly subjectType: string,
    readonly subjectId: string | number,
  ) {
    super(`${subjectType} ${subjectId} not found`);
  }
}
