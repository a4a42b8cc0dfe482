/**
 * A small OpenID provider for the RP's refusal tests: discovery, JWKS, authorize, token. It signs
 * ID tokens with a real RSA key (node:crypto) and, per scenario, makes them wrong in one way.
 * It advertises `none` among its algorithms, as LemonLDAP::NG does.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type OpScenario =
  | 'valid'
  | 'aud-array'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'expired'
  | 'alg-none'
  | 'wrong-nonce'
  | 'state-mismatch'
  | 'bad-signature'
  | 'alg-hs256'
  | 'code-injection';

export interface TestOp {
  issuer: string;
  clientId: string;
  scenario: OpScenario;
  claims: Record<string, unknown>;
  stop(): Promise<void>;
}

const b64 = (v: object | Buffer) =>
  (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');

function jwt(header: object, payload: object, key: KeyObject | null): string {
  const input = `${b64(header)}.${b64(payload)}`;
  if (!key) return `${input}.`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

export async function startTestOp(clientId = 'continuum-test'): Promise<TestOp> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' };
  const codes = new Map<string, { nonce: string; challenge: string }>();
  let issuer = '';
  const op: TestOp = {
    issuer: '',
    clientId,
    scenario: 'valid',
    claims: {
      email: 'wes@wa.test',
      given_name: 'Wes',
      family_name: 'Lee',
      groups: ['msix-primary'],
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (body: object, status = 200) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        end_session_endpoint: `${issuer}/logout`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256', 'HS256', 'none'],
        code_challenge_methods_supported: ['S256'],
      });
    } else if (url.pathname === '/jwks') {
      json({ keys: [jwk] });
    } else if (url.pathname === '/authorize') {
      const code = `code-${codes.size + 1}`;
      codes.set(code, {
        nonce: url.searchParams.get('nonce') ?? '',
        // A code from the attacker's own authorization request: its PKCE challenge is theirs.
        challenge:
          op.scenario === 'code-injection'
            ? 'attacker-challenge'
            : (url.searchParams.get('code_challenge') ?? ''),
      });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('iss', issuer);
      const state = url.searchParams.get('state') ?? '';
      back.searchParams.set('state', op.scenario === 'state-mismatch' ? `${state}x` : state);
      res.writeHead(302, { location: back.href }).end();
    } else if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const grant = codes.get(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (!grant || challenge !== grant.challenge) {
          json({ error: 'invalid_grant' }, 400);
          return;
        }
        const now = Math.floor(Date.now() / 1000);
        const s = op.scenario;
        const payload = {
          iss: s === 'wrong-issuer' ? 'https://evil.test' : issuer,
          sub: 'wes',
          aud: s === 'wrong-audience' ? 'someone-else' : s === 'aud-array' ? [clientId] : clientId,
          iat: now - (s === 'expired' ? 7200 : 0),
          exp: s === 'expired' ? now - 3600 : now + 300,
          nonce: s === 'wrong-nonce' ? 'not-the-nonce' : grant.nonce,
          ...op.claims,
        };
        const alg = s === 'alg-none' ? 'none' : s === 'alg-hs256' ? 'HS256' : 'RS256';
        const key = s === 'alg-none' ? null : s === 'bad-signature' ? other : privateKey;
        const idToken = jwt({ alg, kid: 'k1', typ: 'JWT' }, payload, key);
        json({
          access_token: `at-${Date.now()}`,
          token_type: 'Bearer',
          expires_in: 300,
          id_token: idToken,
        });
      });
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  op.issuer = issuer;
  return op;
}
