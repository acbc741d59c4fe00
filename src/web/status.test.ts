import assert from 'node:assert/strict';
import test from 'node:test';
import { errorText } from './status.js';

test('a missing class of strokes is hinted in the page’s terms; other errors pass through', () => {
  const found = 'No foreground strokes (#ff0000) were found; 120 background stroke pixels were.';
  assert.equal(
    errorText('NO_FOREGROUND_SEEDS', found),
    `${found} Paint over the object with the foreground brush (F).`,
  );
  assert.match(errorText('NO_BACKGROUND_SEEDS', 'No background strokes.'), /background brush \(B\)\.$/);
  assert.equal(errorText('SIZE_MISMATCH', 'sizes differ'), 'sizes differ');
  assert.equal(errorText('UNEXPECTED', 'boom'), 'Unexpected error (please report it): boom');
});
