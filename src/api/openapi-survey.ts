/** The OpenAPI description of the survey-report routes (survey-reports-router.ts), merged into openapi.ts. */
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const json = (description: string, ref: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});

const path = (name: string, schema: object, description?: string) => ({
  name,
  in: 'path',
  required: true,
  schema,
  ...(description ? { description } : {}),
});

const reportParameters = [
  path('state', { type: 'string', pattern: '^[A-Z]{2}$' }),
  path('survey', { type: 'string', enum: ['student', 'staff'] }),
  path('year', { type: 'integer' }, 'The calendar year the survey was given in'),
  path('scope', { type: 'string', enum: ['district', 'region', 'state'] }),
  path(
    'id',
    { type: 'string' },
    'NCES district id, regional center id (R01...), or the state code',
  ),
];

const session = [{ session: [] }];

export const surveyPaths = {
  '/reports/survey': {
    get: {
      operationId: 'surveyReportIndexPage',
      summary: 'HTML index of the survey reports the caller may read, with their stable addresses',
      responses: { '200': { description: 'HTML page', content: { 'text/html': {} } } },
    },
  },
  '/reports/survey/{state}/{survey}/{year}/{scope}/{id}': {
    get: {
      operationId: 'surveyReportPage',
      summary: 'A survey report as a printable HTML page with SVG charts (no script)',
      description:
        'The same embargo as the JSON report; `?format=csv|json` gives the other formats.',
      parameters: reportParameters,
      responses: {
        '200': { description: 'HTML page', content: { 'text/html': {} } },
        '404': { description: 'No such report, or not released for this caller' },
      },
    },
  },
  '/api/v1/survey-reports': {
    get: {
      operationId: 'listSurveyReports',
      summary: 'Survey reports the caller may read now (public after release)',
      parameters: [
        { name: 'state', in: 'query', required: false, schema: { type: 'string' } },
        { name: 'survey', in: 'query', required: false, schema: { enum: ['student', 'staff'] } },
        { name: 'year', in: 'query', required: false, schema: { type: 'integer' } },
      ],
      responses: {
        '200': json('The reports', 'SurveyReportList'),
        '400': problem('A bad filter'),
      },
    },
  },
  '/api/v1/survey-reports/{state}/{survey}/{year}/{scope}/{id}': {
    get: {
      operationId: 'getSurveyReport',
      summary: 'One survey report: migrant-program respondents and all others, per level',
      description:
        "Public from the state's release date. Before it, only a signed-in person of the state who " +
        'accepted the confidentiality agreement gets it; anyone else gets 404. Suppressed levels ' +
        'carry no figure at all.',
      parameters: [
        ...reportParameters,
        {
          name: 'format',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['json', 'csv', 'html'], default: 'json' },
        },
      ],
      responses: {
        '200': {
          description: 'The report',
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/SurveyReport' } },
            'text/csv': { schema: { type: 'string' } },
            'text/html': { schema: { type: 'string' } },
          },
        },
        '404': problem('No such report, or not released and the caller may not see it yet'),
      },
    },
  },
  '/api/v1/survey-reports/agreement': {
    get: {
      operationId: 'getSurveyAgreement',
      summary: 'Whether the signed-in person accepted the confidentiality agreement, and its text',
      security: session,
      responses: {
        '200': json('Agreement status', 'SurveyAgreement'),
        '401': problem('Not signed in'),
      },
    },
    post: {
      operationId: 'acceptSurveyAgreement',
      summary: 'Accept the confidentiality agreement (send X-CSRF-Token with a session cookie)',
      security: session,
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['accept'],
              properties: { accept: { const: true } },
            },
          },
        },
      },
      responses: {
        '200': json('Accepted', 'SurveyAgreement'),
        '400': problem('accept is not true'),
        '401': problem('Not signed in'),
      },
    },
  },
  '/api/v1/survey-reports/generate': {
    post: {
      operationId: 'generateSurveyReports',
      summary: "Regenerate the caller's state's survey reports now (state data administrator)",
      security: session,
      requestBody: {
        required: false,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: {
                survey: { enum: ['student', 'staff'] },
                year: { type: 'integer', description: 'Default: the latest year of each survey' },
                force: {
                  type: 'boolean',
                  description: 'Make released reports again (they are otherwise kept as published)',
                },
              },
            },
          },
        },
      },
      responses: {
        '200': { description: 'What was generated, per survey and year' },
        '401': problem('Not signed in'),
        '403': problem('Not a state data administrator'),
      },
    },
  },
};

const percent = {
  type: 'object',
  required: ['text'],
  properties: {
    text: { type: 'string', description: '"42%", "≤5%", "≥95%" or "—"' },
    percent: { type: 'integer', description: 'Only when the percentage is shown exactly' },
  },
};

const group = {
  type: 'object',
  required: ['respondents', 'indicators'],
  properties: {
    respondents: { type: 'integer' },
    indicators: { type: 'object', additionalProperties: percent },
  },
};

export const surveySchemas = {
  SurveyReport: {
    type: 'object',
    required: [
      'state',
      'survey',
      'year',
      'scope',
      'id',
      'name',
      'combined',
      'indicators',
      'levels',
    ],
    properties: {
      state: { type: 'string' },
      survey: { enum: ['student', 'staff'] },
      year: { type: 'integer' },
      scope: { enum: ['district', 'region', 'state'] },
      id: { type: 'string' },
      name: { type: 'string' },
      region: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
      combined: { type: 'boolean', description: 'District report of all levels together only' },
      released: { type: 'boolean' },
      releaseDate: { type: ['string', 'null'], format: 'date' },
      generatedAt: { type: 'string', format: 'date-time' },
      indicators: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            section: { type: 'string' },
            description: { type: 'string' },
          },
        },
      },
      levels: {
        type: 'array',
        items: {
          type: 'object',
          required: ['level', 'name', 'status'],
          properties: {
            level: { type: 'string', description: 'grade-7 ... high, or total' },
            name: { type: 'string' },
            status: {
              enum: ['published', 'suppressed', 'empty'],
              description: 'suppressed: not shown to protect respondents (no reason is given)',
            },
            migrant: group,
            others: group,
          },
        },
      },
    },
  },
  SurveyReportList: {
    type: 'object',
    required: ['reports'],
    properties: {
      reports: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            state: { type: 'string' },
            survey: { type: 'string' },
            year: { type: 'integer' },
            scope: { type: 'string' },
            id: { type: 'string' },
            name: { type: 'string' },
            released: { type: 'boolean' },
            generatedAt: { type: 'string', format: 'date-time' },
            links: {
              type: 'object',
              properties: {
                html: { type: 'string' },
                json: { type: 'string' },
                csv: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
  SurveyAgreement: {
    type: 'object',
    properties: {
      version: { type: 'string' },
      accepted: { type: 'boolean' },
      acceptedAt: { type: ['string', 'null'], format: 'date-time' },
      text: { type: 'string' },
    },
  },
};
