/** OpenAPI paths of the identity layer: who am I, accounts, the audit log, a child's record. */
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const json = (description: string, schema: object = { type: 'object' }) => ({
  description,
  content: { 'application/json': { schema } },
});
const denied = {
  '401': problem('Not signed in, or the bearer token is not valid'),
  '403': problem('Your role may not use this route (src/identity/access-matrix.ts)'),
};
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 1 },
};
const signedIn = [{ session: [] }, { oauth2: [] }];

export const identitySecuritySchemes = {
  session: { type: 'apiKey', in: 'cookie', name: 'continuum.sid' },
  oauth2: {
    type: 'openIdConnect',
    openIdConnectUrl: '/oidc/.well-known/openid-configuration',
  },
};

export const identityPaths = {
  '/api/v1/me': {
    get: {
      operationId: 'me',
      summary: 'The signed-in caller: account, state, roles (and a CSRF token for cookie calls)',
      security: signedIn,
      responses: { '200': json('The caller'), ...denied },
    },
  },
  '/api/v1/student-records/{id}': {
    get: {
      operationId: 'readStudentRecord',
      summary: "One state's record of a child (audited); never for a federal analyst",
      security: signedIn,
      parameters: [idParam],
      responses: {
        '200': json('The record as an exchange document', {
          type: 'object',
          required: ['studentRecordId', 'state', 'document'],
          properties: {
            studentRecordId: { type: 'integer' },
            childId: { type: ['string', 'null'] },
            state: { type: 'string' },
            document: { $ref: '/api/v1/schema/exchange.json' },
          },
        }),
        '404': problem('No such record'),
        ...denied,
      },
    },
  },
  '/api/v1/audit-events': {
    get: {
      operationId: 'searchAuditEvents',
      summary: "The audit log of the administrator's own state, newest first",
      security: signedIn,
      parameters: ['action', 'actor', 'subjectType', 'subjectId', 'since', 'until', 'limit'].map(
        (name) => ({ name, in: 'query', required: false, schema: { type: 'string' } }),
      ),
      responses: { '200': json('Events'), '400': problem('Bad query'), ...denied },
    },
  },
  '/api/v1/accounts': {
    get: {
      operationId: 'listAccounts',
      summary: "Accounts of the user administrator's state",
      security: signedIn,
      parameters: [
        {
          name: 'status',
          in: 'query',
          required: false,
          schema: { enum: ['pending', 'active', 'disabled'] },
        },
      ],
      responses: { '200': json('Accounts'), ...denied },
    },
  },
  '/api/v1/accounts/{id}/access-grants': {
    get: {
      operationId: 'listAccessGrants',
      summary: 'Every role granted and revoked, kept 3 years after the account ends',
      security: signedIn,
      parameters: [idParam],
      responses: { '200': json('Grants'), '404': problem('No such account'), ...denied },
    },
  },
  '/api/v1/accounts/{id}/approve': {
    post: {
      operationId: 'approveAccount',
      summary: 'Grant roles to an account (send X-CSRF-Token with a session cookie)',
      security: signedIn,
      parameters: [idParam],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['roles'],
              properties: { roles: { type: 'array', items: { type: 'string' } } },
            },
          },
        },
      },
      responses: { '200': json('The account'), '400': problem('Bad roles'), ...denied },
    },
  },
  '/api/v1/accounts/{id}/disable': {
    post: {
      operationId: 'disableAccount',
      summary: 'Disable an account: its sessions and tokens stop working at once',
      security: signedIn,
      parameters: [idParam],
      responses: { '200': json('The account'), '404': problem('No such account'), ...denied },
    },
  },
};
