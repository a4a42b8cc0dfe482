// The portal's multipart/form-data reader (RFC 7578): fields and a file's text, and the bodies it
// refuses (no closing boundary, too many parts); names that could reach Object.prototype are
// dropped.
import assert from 'node:assert/strict';
import { BadRequest } from '../../src/api/problem.js';
import { parseMultipartForm } from '../../src/portal/multipart-form.js';

const boundary = '----form7MA4YWxk';

function body(parts: string[], close = true): Buffer {
  const text =
    parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + (close ? `--${boundary}--\r\n` : '');
  return Buffer.from(text, 'utf8');
}

describe('portal multipart form', () => {
  it('reads fields and a file as text, the first of a repeated name', () => {
    const fields = parseMultipartForm(
      body([
        'Content-Disposition: form-data; name="_csrf"\r\n\r\ntoken-1',
        'Content-Disposition: form-data; name="_csrf"\r\n\r\ntoken-2',
        'Content-Disposition: form-data; name="list"; filename="ca.csv"\r\nContent-Type: text/csv\r\n\r\nstateStudentId,category\r\nÁ-1,1\r\n',
      ]),
      boundary,
    );
    assert.equal(fields['_csrf'], 'token-1');
    assert.equal(fields['list'], 'stateStudentId,category\r\nÁ-1,1\r\n');
  });

  it('drops names that are not plain field names', () => {
    const fields = parseMultipartForm(
      body([
        'Content-Disposition: form-data; name="__proto__"\r\n\r\nx',
        'Content-Disposition: form-data; name="a b"\r\n\r\nx',
        'Content-Disposition: form-data; filename="x.csv"\r\n\r\nx',
      ]),
      boundary,
    );
    assert.deepEqual(Object.keys(fields), []);
    assert.equal(Object.getPrototypeOf(fields), null);
  });

  it('refuses a body without its closing boundary, with too many parts, or with no parts', () => {
    const part = 'Content-Disposition: form-data; name="a"\r\n\r\nx';
    assert.throws(() => parseMultipartForm(body([part], false), boundary), BadRequest);
    assert.throws(
      () => parseMultipartForm(body(Array.from({ length: 21 }, () => part)), boundary),
      /too many parts/,
    );
    assert.throws(() => parseMultipartForm(Buffer.from('nothing'), boundary), BadRequest);
    assert.throws(() => parseMultipartForm(body(['no headers here']), boundary), /has no headers/);
  });
});
