import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_SOFT_EDGES,
  parseSettingsText,
  parseSoftEdges,
  replayCommand,
  settingsProblem,
  settingsText,
  shellWord,
} from './settings.js';

test('soft-edge settings read back; missing or bad parts take the defaults', () => {
  assert.deepEqual(parseSoftEdges({ soft: false, edgeRadius: 9 }), { soft: false, edgeRadius: 9 });
  assert.deepEqual(parseSoftEdges({ soft: true, edgeRadius: null }), { soft: true, edgeRadius: null });
  assert.deepEqual(parseSoftEdges(undefined), DEFAULT_SOFT_EDGES);
  assert.deepEqual(parseSoftEdges({ soft: 'yes', edgeRadius: 2.5 }), DEFAULT_SOFT_EDGES);
  assert.deepEqual(parseSoftEdges({ soft: false, edgeRadius: 0 }), { soft: false, edgeRadius: null });
  assert.equal(DEFAULT_SOFT_EDGES.soft, true, 'soft by default, as the CLI’s --cutout');
});

test('settings round-trip through their text, and bad text gives null', () => {
  const settings = { k: 40, smooth: 6 };
  assert.deepEqual(parseSettingsText(settingsText(settings)), settings);
  assert.equal(parseSettingsText(undefined), null);
  assert.equal(parseSettingsText('not json'), null);
  assert.equal(parseSettingsText('{"k":0,"smooth":3}'), null);
  assert.equal(parseSettingsText('{"k":12.5,"smooth":3}'), null);
  assert.equal(parseSettingsText('{"k":12,"smooth":-1}'), null);
  assert.equal(parseSettingsText('[1,2]'), null);
});

test('settingsProblem says what was expected and what was found', () => {
  assert.equal(settingsProblem({ k: 70, smooth: 0 }), null);
  assert.equal(
    settingsProblem({ k: 501, smooth: 0 }),
    'k must be a whole number from 1 to 500; found "501".',
  );
  assert.match(
    settingsProblem({ k: 5, smooth: Number.NaN }) ?? '',
    /smoothing must be a number of at least 0/,
  );
});

test('the replay command has the settings and quotes names that need it', () => {
  assert.equal(
    replayCommand('chelsea.png', 'chelsea-strokes.png', { k: 40, smooth: 6 }),
    'strokecut chelsea.png chelsea-strokes.png -k 40 --smooth 6',
  );
  assert.equal(shellWord('pasted image.png'), "'pasted image.png'");
  assert.equal(shellWord("it's.png"), "'it'\\''s.png'");
});
