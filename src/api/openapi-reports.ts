/** The OpenAPI description of the child-count routes (reports-router.ts), merged into openapi.ts. */
import { gradeGroups } from '../reports/child-count/breakdowns.js';
import { reasons } from '../reports/child-count/reconciliation.js';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const security = [{ session: [] }, { oauth2: [] }];

const stateParam = {
  name: 'state',
  in: 'query',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z]{2}$' },
} as const;
const periodParam = {
  name: 'period',
  in: 'query',
  required: true,
  description: 'Performance period, September 1 through August 31: `2024-25`',
  schema: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}$' },
} as const;
const formatParam = {
  name: 'format',
  in: 'query',
  required: false,
  schema: { type: 'string', enum: ['json', 'csv'], default: 'json' },
} as const;

const denied = {
  '400': problem('Bad state, period, as-of date or format'),
  '401': problem('Not signed in'),
  '403': problem('The role may not, or the account is for another state'),
  '404': problem('State not configured'),
};

const csvOr = (description: string, schema: string, csvColumns: string) => ({
  description,
  content: {
    'application/json': { schema: ref(schema) },
    'text/csv': { schema: { type: 'string', description: csvColumns } },
  },
});

const scopeBody = {
  required: true,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['state', 'period'],
        properties: {
          state: { type: 'string' },
          period: { type: 'string' },
          asOf: { type: 'string', format: 'date', description: 'freeze only: last day counted' },
        },
      },
    },
  },
};

export const reportPaths = {
  '/api/v1/reports/child-count': {
    get: {
      operationId: 'getChildCount',
      summary: 'Category 1 and 2 counts of a state for a period, with breakdowns',
      description:
        'Federal analysts: every state. State data administrators: their own state. A frozen or ' +
        'certified count is answered as stored; otherwise the count is computed afresh.',
      security,
      parameters: [
        stateParam,
        periodParam,
        formatParam,
        {
          name: 'asOf',
          in: 'query',
          required: false,
          description: 'Count days through this date only',
          schema: { type: 'string', format: 'date' },
        },
      ],
      responses: {
        '200': csvOr('The count', 'ChildCount', 'state,period,category,breakdown,group,children'),
        ...denied,
      },
    },
  },
  '/api/v1/reports/child-count/children': {
    get: {
      operationId: 'getCountedChildren',
      summary: 'The children behind the count (state data administrator, own state; audited)',
      security,
      parameters: [
        stateParam,
        periodParam,
        formatParam,
        { name: 'category', in: 'query', required: false, schema: { enum: ['1', '2'] } },
      ],
      responses: {
        '200': csvOr(
          'The count and its children',
          'CountedChildren',
          'category,childId,stateStudentId,grade,priorityForServices,englishLearner,iep,qadInPeriod,firstDay,lastDay',
        ),
        ...denied,
      },
    },
  },
  '/api/v1/reports/child-count/reconciliation': {
    post: {
      operationId: 'uploadStateChildList',
      summary:
        "Upload the state's own list of counted state student IDs; answers the reconciliation",
      security,
      parameters: [stateParam, periodParam, formatParam],
      requestBody: {
        required: true,
        content: {
          'text/csv': {
            schema: { type: 'string', description: 'stateStudentId[,category], header optional' },
          },
          'application/json': {
            schema: {
              oneOf: [
                {
                  type: 'object',
                  properties: {
                    category1: { type: 'array', items: { type: 'string', maxLength: 15 } },
                    category2: { type: 'array', items: { type: 'string', maxLength: 15 } },
                  },
                },
                { type: 'array', items: { type: 'string', maxLength: 15 } },
              ],
            },
          },
        },
      },
      responses: {
        '201': csvOr(
          'Stored; the reconciliation',
          'Reconciliation',
          'category,side,stateStudentId,childId,reason,detail',
        ),
        ...denied,
      },
    },
    get: {
      operationId: 'getReconciliation',
      summary: "Differences between the state's latest list and Continuum's count",
      security,
      parameters: [stateParam, periodParam, formatParam],
      responses: {
        '200': csvOr(
          'The reconciliation',
          'Reconciliation',
          'category,side,stateStudentId,childId,reason,detail',
        ),
        ...denied,
      },
    },
  },
  '/api/v1/reports/child-count/freeze': {
    post: {
      operationId: 'freezeChildCount',
      summary:
        'Compute the count as of a date and freeze it (until certified, it can be re-frozen)',
      security,
      requestBody: scopeBody,
      responses: {
        '200': csvOr('The frozen count', 'ChildCount', ''),
        ...denied,
        '409': problem('The count is certified'),
      },
    },
  },
  '/api/v1/reports/child-count/certify': {
    post: {
      operationId: 'certifyChildCount',
      summary: 'Certify a frozen count: it never changes again',
      security,
      requestBody: scopeBody,
      responses: {
        '200': csvOr('The certified count', 'ChildCount', ''),
        ...denied,
        '409': problem('Not frozen, or already certified'),
      },
    },
  },
} as const;

const categoryCount = {
  type: 'object',
  required: ['total', 'byGrade', 'priorityForServices', 'qadInPeriod', 'englishLearner', 'iep'],
  properties: {
    total: { type: 'integer' },
    byGrade: {
      type: 'object',
      description:
        'Each child once, by the grade of its most recent qualifying enrollment: sums to total',
      properties: Object.fromEntries(gradeGroups.map((g) => [g, { type: 'integer' }])),
    },
    priorityForServices: { type: 'integer' },
    qadInPeriod: { type: 'integer' },
    englishLearner: { type: 'integer' },
    iep: { type: 'integer' },
  },
} as const;

export const reportSchemas = {
  ChildCount: {
    type: 'object',
    required: ['state', 'period', 'countedThrough', 'status', 'category1', 'category2'],
    properties: {
      state: { type: 'string' },
      period: { type: 'string' },
      periodStart: { type: 'string', format: 'date' },
      periodEnd: { type: 'string', format: 'date' },
      countedThrough: { type: 'string', format: 'date' },
      status: { type: 'string', enum: ['computed', 'frozen', 'certified'] },
      computedAt: { type: 'string', format: 'date-time' },
      frozenAt: { type: ['string', 'null'], format: 'date-time' },
      frozenBy: { type: ['string', 'null'] },
      certifiedAt: { type: ['string', 'null'], format: 'date-time' },
      certifiedBy: { type: ['string', 'null'] },
      category1: categoryCount,
      category2: categoryCount,
    },
  },
  CountedChildren: {
    allOf: [
      ref('ChildCount'),
      {
        type: 'object',
        properties: {
          children: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                category: { enum: [1, 2] },
                childId: { type: 'string', pattern: '^[0-9]{12}$' },
                stateStudentId: { type: 'string' },
                grade: { type: 'string' },
                priorityForServices: { type: 'boolean' },
                englishLearner: { type: 'boolean' },
                iep: { type: 'boolean' },
                qadInPeriod: { type: 'boolean' },
                firstDay: { type: 'string', format: 'date' },
                lastDay: { type: 'string', format: 'date' },
              },
            },
          },
        },
      },
    ],
  },
  Reconciliation: {
    type: 'object',
    properties: {
      state: { type: 'string' },
      period: { type: 'string' },
      countStatus: { type: 'string' },
      countedThrough: { type: 'string', format: 'date' },
      list: { type: 'object' },
      categories: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            category: { enum: [1, 2] },
            continuum: { type: 'integer' },
            listed: { type: 'integer' },
            matched: { type: 'integer' },
            differences: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  side: { enum: ['state-only', 'continuum-only'] },
                  stateStudentId: { type: 'string' },
                  childId: { type: ['string', 'null'] },
                  reason: { enum: Object.keys(reasons) },
                  detail: { type: 'string' },
                  row: { type: 'integer' },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;
