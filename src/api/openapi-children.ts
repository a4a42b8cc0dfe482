/**
 * The OpenAPI description of the consolidated record and worklist routes (children-router.ts,
 * worklist-router.ts), merged into openapi.ts.
 */
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const json = (description: string, schema: object) => ({
  description,
  content: { 'application/json': { schema } },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const signedIn = [{ session: [] }, { oauth2: [] }];
const childId = {
  name: 'childId',
  in: 'path',
  required: true,
  description: 'The 12-digit consolidated ID (last digit a Luhn check)',
  schema: { type: 'string', pattern: '^[1-9][0-9]{11}$' },
} as const;
const itemId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 1 },
} as const;
const denied = {
  '401': problem('Not signed in'),
  '403': problem('Role not allowed (access matrix), or outside the administrator’s scope'),
};
const csrf = 'Cookie-authenticated calls send the session’s CSRF token in X-CSRF-Token.';
const itemResponse = {
  '200': json('The item as it is now', ref('WorklistItem')),
  '400': problem('Invalid body'),
  '404': problem('No such item in the administrator’s scope'),
  '409': problem('The item or a child is not in a state that allows this (e.g. locked)'),
  ...denied,
};
const body = (schema: object) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const childrenPaths = {
  '/api/v1/children': {
    get: {
      operationId: 'searchChildren',
      summary:
        'Find children: fuzzy name (either surname), birth date, state student ID, 12-digit ID',
      description: 'Ranked, 20 per page, one result per child. Every search is audited.',
      security: signedIn,
      parameters: [
        { name: 'lastName', in: 'query', schema: { type: 'string', maxLength: 100 } },
        { name: 'firstName', in: 'query', schema: { type: 'string', maxLength: 100 } },
        { name: 'birthDate', in: 'query', schema: { type: 'string', format: 'date' } },
        { name: 'stateStudentId', in: 'query', schema: { type: 'string', maxLength: 15 } },
        { name: 'childId', in: 'query', schema: { type: 'string', pattern: '^[1-9][0-9]{11}$' } },
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
      ],
      responses: {
        '200': json('Ranked results', ref('ChildSearchPage')),
        '400': problem('No search field, or a malformed one'),
        ...denied,
      },
    },
  },
  '/api/v1/children/{childId}': {
    get: {
      operationId: 'getChild',
      summary: 'The consolidated record: every state’s data, each item with its source',
      description:
        'Demographics show each value with the states that hold it (`disagree` when they differ); ' +
        'every qualifying move, enrollment, course (clock hours, grade to date) and assessment with ' +
        'its source state, submission, row and received time; the linked state IDs; why the ' +
        'records were linked (score and each field’s contribution). A merged ID answers with the ' +
        'child it was merged into (`requestedChildId`). Every read is audited.',
      security: signedIn,
      parameters: [childId],
      responses: {
        '200': json('The consolidated record', ref('ConsolidatedRecord')),
        '400': problem('Not a valid 12-digit child ID'),
        '404': problem('No such child'),
        ...denied,
      },
    },
  },
  '/api/v1/children/{childId}/print': {
    get: {
      operationId: 'printChild',
      summary: 'The consolidated record as one HTML page with print CSS',
      security: signedIn,
      parameters: [childId],
      responses: {
        '200': { description: 'HTML page', content: { 'text/html': {} } },
        '400': problem('Not a valid 12-digit child ID'),
        '404': problem('No such child'),
        ...denied,
      },
    },
  },
  '/api/v1/worklist': {
    get: {
      operationId: 'listWorklist',
      summary: 'Near matches, merges and splits in the data administrator’s scope',
      security: signedIn,
      parameters: [
        {
          name: 'status',
          in: 'query',
          description: 'Comma-separated; default open,pending',
          schema: { type: 'string' },
        },
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
      ],
      responses: {
        '200': json('Items, oldest first, 50 per page', {
          type: 'object',
          properties: {
            page: { type: 'integer' },
            items: { type: 'array', items: ref('WorklistItem') },
          },
        }),
        ...denied,
      },
    },
  },
  '/api/v1/worklist/{id}/resolve': {
    post: {
      operationId: 'resolveNearMatch',
      summary: 'Same child (a merge pending a second administrator) or different children',
      description: csrf,
      security: signedIn,
      parameters: [itemId],
      requestBody: body({
        type: 'object',
        required: ['decision'],
        properties: { decision: { enum: ['same', 'different'] } },
      }),
      responses: itemResponse,
    },
  },
  '/api/v1/worklist/{id}/validate': {
    post: {
      operationId: 'validateWorklistItem',
      summary: 'A different data administrator approves (the change is made) or rejects it',
      description: csrf,
      security: signedIn,
      parameters: [itemId],
      requestBody: body({
        type: 'object',
        required: ['approve'],
        properties: { approve: { type: 'boolean' } },
      }),
      responses: itemResponse,
    },
  },
  '/api/v1/worklist/{id}/reassign': {
    post: {
      operationId: 'reassignWorklistItem',
      summary: 'Reassign down or sideways (never up: escalation does that)',
      description: csrf,
      security: signedIn,
      parameters: [itemId],
      requestBody: body({
        type: 'object',
        required: ['level'],
        properties: {
          level: { enum: ['district', 'region', 'state'] },
          district: { type: 'string' },
          region: { type: 'string' },
        },
      }),
      responses: itemResponse,
    },
  },
  '/api/v1/worklist/merges': {
    post: {
      operationId: 'startMerge',
      summary: 'Merge children not linked; the master’s 12-digit ID survives (pending validation)',
      description: csrf,
      security: signedIn,
      requestBody: body({
        type: 'object',
        required: ['childIds', 'masterChildId'],
        properties: {
          childIds: { type: 'array', items: { type: 'string' }, minItems: 2 },
          masterChildId: { type: 'string' },
        },
      }),
      responses: { ...itemResponse, '201': json('The pending merge', ref('WorklistItem')) },
    },
  },
  '/api/v1/worklist/splits': {
    post: {
      operationId: 'startSplit',
      summary: 'Split wrongly linked records off a child; each group gets a new ID (pending)',
      description: csrf,
      security: signedIn,
      requestBody: body({
        type: 'object',
        required: ['childId', 'groups'],
        properties: {
          childId: { type: 'string' },
          groups: {
            type: 'array',
            items: { type: 'array', items: { type: 'integer' } },
            description: 'Student record ids; each group becomes one new child',
          },
        },
      }),
      responses: { ...itemResponse, '201': json('The pending split', ref('WorklistItem')) },
    },
  },
  '/api/v1/linkage-changes/{id}/revert': {
    post: {
      operationId: 'revertLinkageChange',
      summary: 'Undo a merge or split: every record back where it was',
      description: csrf,
      security: signedIn,
      parameters: [itemId],
      responses: {
        '200': json('The revert', {
          type: 'object',
          properties: { revertedChangeId: { type: 'integer' }, changeId: { type: 'integer' } },
        }),
        '404': problem('No such change'),
        '409': problem('Already reverted, or a child is locked'),
        ...denied,
      },
    },
  },
} as const;

const sourced = {
  type: 'object',
  properties: {
    item: { type: 'object' },
    source: {
      type: 'object',
      properties: {
        state: { type: 'string' },
        stateStudentId: { type: 'string' },
        submissionId: { type: 'integer' },
        row: { type: 'integer' },
        receivedAt: { type: 'string', format: 'date-time' },
      },
    },
  },
};

export const childrenSchemas = {
  ChildSearchPage: {
    type: 'object',
    properties: {
      page: { type: 'integer' },
      pageSize: { type: 'integer' },
      total: { type: 'integer' },
      results: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            childId: { type: 'string' },
            rank: { type: 'number' },
            firstName: { type: 'string' },
            lastName1: { type: 'string' },
            lastName2: { type: ['string', 'null'] },
            birthDate: { type: 'string', format: 'date' },
            sex: { type: 'string' },
            states: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  },
  ConsolidatedRecord: {
    type: 'object',
    properties: {
      childId: { type: 'string' },
      status: { type: 'string' },
      requestedChildId: { type: 'string' },
      locked: { type: 'boolean' },
      demographics: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            field: { type: 'string' },
            values: { type: 'array', items: { type: 'object' } },
            disagree: { type: 'boolean' },
          },
        },
      },
      linkedStateIds: { type: 'array', items: { type: 'object' } },
      qualifyingMoves: { type: 'array', items: sourced },
      enrollments: { type: 'array', items: sourced },
      courses: { type: 'array', items: sourced },
      assessments: { type: 'array', items: sourced },
      links: {
        type: 'array',
        description: 'Why each record is linked: method, score and each field’s contribution',
        items: { type: 'object' },
      },
      history: { type: 'array', items: { type: 'object' } },
    },
  },
  WorklistItem: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      kind: { enum: ['near-match', 'merge', 'split'] },
      status: { enum: ['open', 'pending', 'approved', 'rejected', 'different'] },
      stateCode: { type: 'string' },
      level: { enum: ['district', 'region', 'state'] },
      district: { type: ['string', 'null'] },
      region: { type: ['string', 'null'] },
      escalatesAt: { type: 'string', format: 'date-time' },
      studentRecordId: { type: ['integer', 'null'] },
      childId: { type: ['string', 'null'] },
      candidateChildId: { type: ['string', 'null'] },
      masterChildId: { type: ['string', 'null'] },
      score: { type: ['number', 'null'] },
      contributions: { type: ['object', 'null'] },
      detail: { type: ['object', 'null'] },
      startedBy: { type: ['string', 'null'] },
      validatedBy: { type: ['string', 'null'] },
    },
  },
} as const;
