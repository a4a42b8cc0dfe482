/**
 * OpenAPI paths of jobs, notifications, moves and deadlines (jobs-router.ts,
 * notifications-router.ts, moves-router.ts, deadlines-router.ts), merged into openapi.ts.
 */
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const json = (description: string, ref: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});
const denied = {
  '401': problem('Not signed in'),
  '403': problem('Your role may not use this route, or not for that state'),
};
const signedIn = [{ session: [] }];
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
const limitParam = {
  name: 'limit',
  in: 'query',
  required: false,
  schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
};
const csrf = {
  name: 'X-CSRF-Token',
  in: 'header',
  required: false,
  description: 'Required for cookie (session) callers: the token from GET /api/v1/me',
  schema: { type: 'string' },
};
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullable = (type: string, extra: object = {}) => ({ type: [type, 'null'], ...extra });

export const notificationPaths = {
  '/api/v1/jobs': {
    get: {
      operationId: 'listJobRuns',
      summary: 'Scheduled jobs, their schedules and their recent runs (administrators)',
      security: signedIn,
      parameters: [
        { name: 'job', in: 'query', required: false, schema: { type: 'string' } },
        limitParam,
      ],
      responses: {
        '200': json('Jobs and runs, newest first', 'JobRuns'),
        '400': problem('Bad query'),
        ...denied,
      },
    },
  },
  '/api/v1/subscriptions': {
    get: {
      operationId: 'listSubscriptions',
      summary: "The administrator's state's webhook and e-mail subscriptions",
      security: signedIn,
      responses: { '200': json('Subscriptions', 'Subscriptions'), ...denied },
    },
    post: {
      operationId: 'createSubscription',
      summary: 'Register a partner agency or state subscriber; the webhook secret is shown once',
      security: signedIn,
      parameters: [csrf],
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: { $ref: '#/components/schemas/SubscriptionRequest' } },
        },
      },
      responses: {
        '201': json('The subscription, with its whsec_ secret for webhooks', 'CreatedSubscription'),
        '400': problem('The body is not valid (errors name each field)'),
        ...denied,
      },
    },
  },
  '/api/v1/subscriptions/{id}/rotate-secret': {
    post: {
      operationId: 'rotateSubscriptionSecret',
      summary: 'A new signing secret; the previous one keeps signing until previousRetiresAt',
      security: signedIn,
      parameters: [idParam, csrf],
      responses: {
        '200': {
          description: 'The new secret',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['secret', 'previousRetiresAt'],
                properties: { secret: { type: 'string' }, previousRetiresAt: dateTime },
              },
            },
          },
        },
        '404': problem('No such subscription of your state'),
        ...denied,
      },
    },
  },
  '/api/v1/notifications/deliveries': {
    get: {
      operationId: 'listDeliveries',
      summary: "Deliveries to the state's subscribers; status=dead lists the dead letters",
      security: signedIn,
      parameters: [
        {
          name: 'status',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['pending', 'delivered', 'dead'] },
        },
        limitParam,
      ],
      responses: { '200': json('Deliveries, newest first', 'Deliveries'), ...denied },
    },
  },
  '/api/v1/notifications/deliveries/{id}/resend': {
    post: {
      operationId: 'resendDelivery',
      summary: 'Put a dead letter back in line for a new series of attempts (same webhook-id)',
      security: signedIn,
      parameters: [idParam, csrf],
      responses: {
        '202': { description: 'Queued again' },
        '404': problem("No dead-lettered delivery of that id for your state's subscriptions"),
        ...denied,
      },
    },
  },
  '/api/v1/children/{childId}/move-notices': {
    post: {
      operationId: 'sendMoveNotice',
      summary: 'Tell the receiving state a child is moving (a lead for its recruiters)',
      security: signedIn,
      parameters: [
        {
          name: 'childId',
          in: 'path',
          required: true,
          schema: { type: 'string', pattern: '^[0-9]{12}$' },
        },
        csrf,
      ],
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: { $ref: '#/components/schemas/MoveNoticeRequest' } },
        },
      },
      responses: {
        '201': json('The notice', 'MoveNoticeCreated'),
        '400': problem('The body is not valid, or the destination is not a state of this gateway'),
        '404': problem('No such child'),
        ...denied,
      },
    },
  },
  '/api/v1/move-notices': {
    get: {
      operationId: 'listMoveNotices',
      summary: "Move notices to the caller's state: its recruiters' leads",
      security: signedIn,
      parameters: [
        {
          name: 'status',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['open', 'enrolled'] },
        },
      ],
      responses: { '200': json('Notices, newest first', 'MoveNotices'), ...denied },
    },
  },
  '/api/v1/deadlines': {
    get: {
      operationId: 'listDeadlines',
      summary: "A state's 34 CFR 200.85 deadlines: due, met or overdue",
      security: signedIn,
      parameters: [
        {
          name: 'state',
          in: 'query',
          required: false,
          schema: { type: 'string', pattern: '^[A-Z]{2}$' },
        },
        {
          name: 'status',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['met', 'due', 'overdue'] },
        },
        { name: 'since', in: 'query', required: false, schema: { type: 'string', format: 'date' } },
      ],
      responses: {
        '200': json('Deadlines by due day', 'Deadlines'),
        '400': problem('Bad query'),
        ...denied,
      },
    },
  },
} as const;

const subscription = {
  type: 'object',
  required: ['id', 'name', 'ownerState', 'audience', 'channel', 'status'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    ownerState: { type: 'string' },
    audience: { type: 'string', enum: ['school', 'state', 'partner'] },
    channel: { type: 'string', enum: ['webhook', 'email'] },
    url: nullable('string'),
    email: nullable('string'),
    stateCode: nullable('string'),
    region: nullable('string'),
    districtId: nullable('string'),
    eventTypes: { type: ['array', 'null'], items: { type: 'string' } },
    status: { type: 'string', enum: ['active', 'disabled'] },
    createdAt: dateTime,
  },
} as const;

const moveNotice = {
  type: 'object',
  required: ['id', 'childId', 'fromState', 'toState', 'departureDate', 'status', 'createdAt'],
  properties: {
    id: { type: 'integer' },
    childId: { type: 'string' },
    fromState: { type: 'string' },
    toState: { type: 'string' },
    toCity: nullable('string'),
    departureDate: { type: 'string', format: 'date' },
    forwardingAddress: nullable('string'),
    comment: nullable('string'),
    createdBy: { type: 'string' },
    createdAt: dateTime,
    status: { type: 'string', enum: ['open', 'enrolled'] },
    enrolledAt: nullable('string', { format: 'date-time' }),
  },
} as const;

export const notificationSchemas = {
  JobRuns: {
    type: 'object',
    required: ['jobs', 'runs'],
    properties: {
      jobs: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            description: { type: 'string' },
            cron: { type: 'string' },
            enabled: { type: 'boolean' },
          },
        },
      },
      runs: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            jobName: { type: 'string' },
            instanceId: { type: 'string' },
            trigger: { type: 'string', enum: ['schedule', 'manual'] },
            tickAt: dateTime,
            startedAt: dateTime,
            endedAt: nullable('string', { format: 'date-time' }),
            outcome: { type: 'string', enum: ['running', 'succeeded', 'failed', 'aborted'] },
            counts: { type: 'object', additionalProperties: { type: 'number' } },
            error: nullable('string'),
          },
        },
      },
    },
  },
  Subscription: subscription,
  Subscriptions: {
    type: 'object',
    properties: { subscriptions: { type: 'array', items: subscription } },
  },
  SubscriptionRequest: {
    type: 'object',
    required: ['name', 'audience', 'channel'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', maxLength: 200 },
      audience: {
        type: 'string',
        enum: ['school', 'state', 'partner'],
        description: 'Health facts go to schools only',
      },
      channel: { type: 'string', enum: ['webhook', 'email'] },
      url: { type: 'string', format: 'uri', description: 'For webhooks' },
      email: { type: 'string', format: 'email', description: 'For e-mail' },
      state: {
        type: 'string',
        pattern: '^[A-Z]{2}$',
        description: 'Interest: either side of a move',
      },
      region: { type: 'string' },
      districtId: { type: 'string', pattern: '^[0-9]{7}$' },
      eventTypes: { type: 'array', items: { type: 'string' }, description: 'Default: every type' },
    },
  },
  CreatedSubscription: {
    type: 'object',
    required: ['subscription'],
    properties: { subscription, secret: { type: 'string', pattern: '^whsec_' } },
  },
  Deliveries: {
    type: 'object',
    properties: {
      deliveries: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            eventId: { type: 'string', description: 'The webhook-id' },
            eventType: { type: 'string' },
            subscriptionId: { type: 'integer' },
            subscriptionName: { type: 'string' },
            status: { type: 'string', enum: ['pending', 'delivered', 'dead'] },
            attempts: { type: 'integer' },
            lastStatus: nullable('integer'),
            lastError: nullable('string'),
            nextAttemptAt: dateTime,
            deliveredAt: nullable('string', { format: 'date-time' }),
            occurredAt: dateTime,
          },
        },
      },
    },
  },
  MoveNoticeRequest: {
    type: 'object',
    required: ['departureDate', 'destinationState'],
    additionalProperties: false,
    properties: {
      departureDate: { type: 'string', format: 'date' },
      destinationState: { type: 'string', pattern: '^[A-Z]{2}$' },
      destinationCity: { type: 'string', maxLength: 255 },
      forwardingAddress: { type: 'string', maxLength: 1000 },
      comment: { type: 'string', maxLength: 2000 },
    },
  },
  MoveNoticeCreated: { type: 'object', properties: { notice: moveNotice } },
  MoveNotices: {
    type: 'object',
    properties: { state: { type: 'string' }, notices: { type: 'array', items: moveNotice } },
  },
  Deadlines: {
    type: 'object',
    required: ['state', 'summary', 'deadlines'],
    properties: {
      state: { type: 'string' },
      summary: {
        type: 'object',
        properties: {
          met: { type: 'integer' },
          due: { type: 'integer' },
          overdue: { type: 'integer' },
        },
      },
      deadlines: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            key: { type: 'string' },
            kind: { type: 'string', enum: ['eligibility-certificate', 'term-end', 'move-data'] },
            state: { type: 'string' },
            childId: nullable('string'),
            studentRecordId: nullable('integer'),
            startsOn: { type: 'string', format: 'date' },
            dueOn: { type: 'string', format: 'date' },
            status: { type: 'string', enum: ['met', 'due', 'overdue'] },
            metAt: nullable('string', { format: 'date-time' }),
            late: { type: 'boolean' },
            rule: { type: 'string' },
          },
        },
      },
    },
  },
} as const;
