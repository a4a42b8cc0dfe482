/** The OpenAPI description of the submissions routes (submissions-router.ts), merged into openapi.ts. */
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const json = (description: string, ref: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});

const submissionId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 1 },
} as const;

const security = [{ submissionKey: [] }];
const denied = {
  '401': problem('No key, or a key that is not valid (WWW-Authenticate: Bearer)'),
  '403': problem('The key is for another state'),
};

const counts = {
  rowCount: {
    type: 'integer',
    description: 'Records (children) read: accepted + deleted + rejected',
  },
  acceptedCount: { type: 'integer' },
  rejectedCount: { type: 'integer' },
  deletedCount: { type: 'integer' },
} as const;

export const submissionPaths = {
  '/api/v1/submissions': {
    post: {
      operationId: 'submitFile',
      summary: "Send a state file in its native format, read through the state's mapping",
      description:
        'The body is the file itself, streamed (any Content-Type; at most ingest.maxUploadBytes). ' +
        'The whole submission is stored in one transaction. The same file sent again is ' +
        'recognized by its SHA-256 and changes nothing.',
      security,
      parameters: [
        {
          name: 'state',
          in: 'query',
          required: true,
          schema: { type: 'string', pattern: '^[A-Za-z]{2}$' },
        },
        {
          name: 'X-File-Name',
          in: 'header',
          required: false,
          description: 'The file name, kept with the submission and named in every reject',
          schema: { type: 'string', maxLength: 255 },
        },
      ],
      requestBody: {
        required: true,
        content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
      },
      responses: {
        '201': json('Stored; rejects listed (the first 1000)', 'SubmissionSummary'),
        '200': json('Already received (duplicate: true); nothing changed', 'SubmissionSummary'),
        '400': problem('No or malformed state parameter'),
        ...denied,
        '413': problem('Larger than ingest.maxUploadBytes'),
        '422': problem('The file was refused whole; the refused submission is in `submission`'),
      },
    },
  },
  '/api/v1/submissions/{id}': {
    get: {
      operationId: 'getSubmission',
      summary: 'A submission of the key’s state: status and counts',
      security,
      parameters: [submissionId],
      responses: {
        '200': json('The submission', 'Submission'),
        ...denied,
        '404': problem('No such submission'),
      },
    },
  },
  '/api/v1/submissions/{id}/rejects': {
    get: {
      operationId: 'getSubmissionRejects',
      summary: 'Every reject of a submission: file, row, source field, target field, value, reason',
      security,
      parameters: [
        submissionId,
        {
          name: 'format',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['json', 'csv'] },
        },
      ],
      responses: {
        '200': {
          description: 'JSON by default; CSV with Accept: text/csv or format=csv',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['submissionId', 'fileName', 'rejects'],
                properties: {
                  submissionId: { type: 'integer' },
                  fileName: { type: 'string' },
                  rejects: { type: 'array', items: { $ref: '#/components/schemas/Reject' } },
                },
              },
            },
            'text/csv': {
              schema: { type: 'string', description: 'file,row,field,target,value,reason' },
            },
          },
        },
        ...denied,
        '404': problem('No such submission'),
      },
    },
  },
} as const;

const nullableString = { type: ['string', 'null'] } as const;

export const submissionSchemas = {
  Reject: {
    type: 'object',
    required: ['file', 'row', 'field', 'target', 'value', 'reason'],
    properties: {
      file: { type: 'string' },
      row: { type: ['integer', 'null'], description: '1-based row, line or record number' },
      field: { ...nullableString, description: 'Source field as named in the file' },
      target: { ...nullableString, description: 'Exchange field, e.g. enrollments[0].grade' },
      value: { ...nullableString, description: 'The offending value, truncated to 200 characters' },
      reason: { type: 'string' },
    },
  },
  Submission: {
    type: 'object',
    required: [
      'submissionId',
      'state',
      'fileName',
      'fileSha256',
      'status',
      'receivedAt',
      'rowCount',
    ],
    properties: {
      submissionId: { type: 'integer' },
      state: { type: 'string' },
      fileName: { type: 'string' },
      fileSha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      mappingName: nullableString,
      status: {
        type: 'string',
        enum: ['received', 'processing', 'completed', 'failed', 'refused'],
      },
      receivedAt: { type: 'string', format: 'date-time' },
      completedAt: { type: ['string', 'null'], format: 'date-time' },
      ...counts,
      error: { ...nullableString, description: 'Why a refused file was refused' },
    },
  },
  SubmissionSummary: {
    allOf: [
      { $ref: '#/components/schemas/Submission' },
      {
        type: 'object',
        required: ['duplicate', 'rejects', 'rejectsOmitted'],
        properties: {
          duplicate: { type: 'boolean' },
          changes: {
            type: 'object',
            properties: {
              created: { type: 'integer' },
              updated: { type: 'integer' },
              unchanged: { type: 'integer' },
              removed: { type: 'integer' },
            },
          },
          rejects: { type: 'array', items: { $ref: '#/components/schemas/Reject' } },
          rejectsOmitted: { type: 'integer' },
        },
      },
    ],
  },
} as const;

export const submissionSecuritySchemes = {
  submissionKey: {
    type: 'http',
    scheme: 'bearer',
    description:
      'Per-state submission key (until OAuth client credentials land); the state config holds its SHA-256 (submissionKeySha256)',
  },
} as const;
