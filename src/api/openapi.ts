/**
 * The OpenAPI 3.1 description of the REST API, served at /api/v1/openapi.json. Each capability
 * adds its paths here as it lands.
 */
import { childrenPaths, childrenSchemas } from './openapi-children.js';
import { identityPaths, identitySecuritySchemes } from './openapi-identity.js';
import { reportPaths, reportSchemas } from './openapi-reports.js';
import { notificationPaths, notificationSchemas } from './openapi-notifications.js';
import {
  submissionPaths,
  submissionSchemas,
  submissionSecuritySchemes,
} from './openapi-submissions.js';
import { surveyPaths, surveySchemas } from './openapi-survey.js';

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

export function openApiDocument(publicUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Continuum API',
      version: '1',
      summary: 'Interoperability gateway for migrant student records',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: publicUrl }],
    paths: {
      '/healthz': {
        get: {
          operationId: 'liveness',
          summary: 'The process is up',
          responses: { '200': { description: 'Alive' } },
        },
      },
      '/readyz': {
        get: {
          operationId: 'readiness',
          summary: 'This instance can serve: the database answers',
          responses: { '200': { description: 'Ready' }, '503': problemResponse('Not ready') },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          summary: 'Prometheus metrics',
          responses: { '200': { description: 'Metrics in the Prometheus text format' } },
        },
      },
      '/api/v1/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1 document' } },
        },
      },
      '/api/v1/schema/exchange.json': {
        get: {
          operationId: 'exchangeSchema',
          summary: 'JSON Schema of the common exchange document (one child, one state)',
          responses: {
            '200': {
              description: 'JSON Schema draft 2020-12',
              content: { 'application/schema+json': {} },
            },
          },
        },
      },
      '/api/v1/states': {
        get: {
          operationId: 'listStates',
          summary: 'States connected to this gateway and how their staff sign in',
          responses: {
            '200': {
              description: 'States',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['states'],
                    properties: {
                      states: {
                        type: 'array',
                        items: { $ref: '#/components/schemas/StateSummary' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      ...submissionPaths,
      ...identityPaths,
      ...reportPaths,
      ...surveyPaths,
      ...childrenPaths,
      ...notificationPaths,
    },
    components: {
      securitySchemes: { ...submissionSecuritySchemes, ...identitySecuritySchemes },
      schemas: {
        ...submissionSchemas,
        ...reportSchemas,
        ...surveySchemas,
        ...childrenSchemas,
        ...notificationSchemas,
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            requestId: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['path', 'reason'],
                properties: { path: { type: 'string' }, reason: { type: 'string' } },
              },
            },
          },
        },
        StateSummary: {
          type: 'object',
          required: ['code', 'name', 'signIn'],
          properties: {
            code: { type: 'string', pattern: '^[A-Z]{2}$' },
            name: { type: 'string' },
            signIn: { type: 'string', enum: ['saml', 'oidc', 'none'] },
          },
        },
      },
    },
  } as const;
}
