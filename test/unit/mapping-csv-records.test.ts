/**
 * The CSV record reader on its own: quoting, escapes, line ends, records split across chunks at
 * every position, line numbers, and the syntax errors that refuse a file.
 */
import assert from 'node:assert/strict';
import {
  csvRecords,
  CsvSyntaxError,
  type CsvDialect,
} from '../../src/mapping/formats/csv-records.js';

const rfc: CsvDialect = { delimiter: ',', quote: '"', maxRecordChars: 1000 };

async function records(chunks: string[], dialect: CsvDialect = rfc) {
  const out: [number, string[]][] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const r of csvRecords(source(), dialect)) out.push([r.line, r.fields]);
  return out;
}

/** The text cut in two at every position, and one character at a time: always the same records. */
async function sameInAnyChunks(text: string, dialect: CsvDialect = rfc) {
  const whole = await records([text], dialect);
  for (let at = 0; at <= text.length; at++) {
    assert.deepStrictEqual(
      await records([text.slice(0, at), text.slice(at)], dialect),
      whole,
      `cut at ${at}`,
    );
  }
  assert.deepStrictEqual(await records([...text], dialect), whole, 'one character at a time');
  return whole;
}

async function syntaxError(text: string, dialect: CsvDialect = rfc): Promise<CsvSyntaxError> {
  const e = await records([text], dialect).then(
    () => assert.fail('read'),
    (err: unknown) => err,
  );
  assert.ok(e instanceof CsvSyntaxError, String(e));
  return e;
}

describe('CSV records', () => {
  it('reads quoted fields, doubled quotes, empty fields, and every kind of line end', async () => {
    const text = 'a,"b ""x"", y",,"",c\r\nd,e\n\nf\rg,"h"';
    assert.deepStrictEqual(await sameInAnyChunks(text), [
      [1, ['a', 'b "x", y', '', '', 'c']],
      [2, ['d', 'e']],
      [4, ['f']],
      [5, ['g', 'h']],
    ]);
  });

  it('counts the lines of a quoted field on several lines', async () => {
    const text = '1,"two\nlines\nthree",x\n2,y\n"\n",z\n3\n';
    assert.deepStrictEqual(await sameInAnyChunks(text), [
      [1, ['1', 'two\nlines\nthree', 'x']],
      [4, ['2', 'y']],
      [5, ['\n', 'z']],
      [7, ['3']],
    ]);
  });

  it('reads other delimiters (several characters too), an escape character, no quoting', async () => {
    assert.deepStrictEqual(
      await sameInAnyChunks('a||b||"c||d"||"e"\n', { ...rfc, delimiter: '||' }),
      [[1, ['a', 'b', 'c||d', 'e']]],
    );
    assert.deepStrictEqual(
      await sameInAnyChunks("'it\\'s',\\x\n'a\\\\b',c\n", { ...rfc, quote: "'", escape: '\\' }),
      [
        [1, ["it's", '\\x']],
        [2, ['a\\b', 'c']],
      ],
    );
    assert.deepStrictEqual(
      await sameInAnyChunks('5" floppy\t"quoted"\n', { ...rfc, delimiter: '\t', quote: null }),
      [[1, ['5" floppy', '"quoted"']]],
    );
  });

  it('refuses what it cannot read for sure, with the line', async () => {
    const unclosed = await syntaxError('a,b\n1,"never closed\n2,x\n');
    assert.equal(unclosed.line, 2);
    assert.match(unclosed.message, /never closed/);
    const after = await syntaxError('a\n"x"y,z\n');
    assert.equal(after.line, 2);
    assert.match(after.message, /text after a closing quote/);
    const inside = await syntaxError('a\nb\nab"c,d\n');
    assert.equal(inside.line, 3);
    assert.match(inside.message, /a quote inside an unquoted field/);
    const long = await syntaxError(`"${'x'.repeat(2000)}`, { ...rfc, maxRecordChars: 100 });
    assert.match(long.message, /longer than 100 characters/);
    const escapeAtEnd = await syntaxError("'abc\\", { ...rfc, quote: "'", escape: '\\' });
    assert.match(escapeAtEnd.message, /ends inside a quoted field/);
  });
});
