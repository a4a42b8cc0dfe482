import { Router } from 'express';
import type { Config } from '../config/index.js';
import { exchangeDocumentJsonSchema } from '../exchange/json-schema.js';
import { openApiDocument } from './openapi.js';

export function v1Router(config: Config): Router {
  const router = Router();
  const openApi = openApiDocument(config.server.publicUrl);
  router.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  router.get('/schema/exchange.json', (_req, res) => {
    res.type('application/schema+json').send(JSON.stringify(exchangeDocumentJsonSchema));
  });
  // Public: the sign-in page needs the list before anyone is signed in. Nothing here is protected.
  router.get('/states', (_req, res) => {
    res.json({
      states: config.states.map((s) => ({
        code: s.code,
        name: s.name,
        signIn: s.identityProvider.type,
      })),
    });
  });
  return router;
}
