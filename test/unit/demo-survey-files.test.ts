import assert from 'node:assert/strict';
import { renderDemoSurveyFiles } from '../../src/demo/index.js';
import { loadAnyMapping } from '../../src/mapping/index.js';

describe('demo survey files', () => {
  it('are the same for the same seed, and read through their mappings without a reject', async () => {
    const a = renderDemoSurveyFiles(2026);
    assert.deepEqual(renderDemoSurveyFiles(2026), a);
    assert.notEqual(renderDemoSurveyFiles(7).chks.text, a.chks.text);
    for (const [mappingFile, file] of [
      ['mappings/ca-chks-survey.yaml', a.chks],
      ['mappings/ca-csss-survey.yaml', a.csss],
    ] as const) {
      const mapping = await loadAnyMapping(mappingFile);
      assert.equal(mapping.target, 'survey-response');
      if (mapping.target !== 'survey-response') continue;
      let responses = 0;
      for await (const r of mapping.read(Buffer.from(file.text), { fileName: file.name })) {
        assert.equal(r.kind, 'response', JSON.stringify(r));
        responses++;
      }
      assert.ok(responses > 100);
    }
  });
});
