import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionFor, type KeyLike, keysText, SHORTCUTS } from './shortcuts.js';

const press = (key: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

test('plain keys pick tools, sizes and zoom; Shift does not matter without Ctrl', () => {
  assert.equal(actionFor(press('f')), 'tool:foreground');
  assert.equal(actionFor(press('F', { shiftKey: true })), 'tool:foreground');
  assert.equal(actionFor(press('[')), 'size-down');
  assert.equal(actionFor(press('=')), 'zoom-in');
  assert.equal(actionFor(press('+', { shiftKey: true })), 'zoom-in');
  assert.equal(actionFor(press(' ')), 'pan-hold');
  assert.equal(actionFor(press('q')), null);
});

test('Ctrl/⌘ combinations: undo, redo; other combinations are left to the browser', () => {
  assert.equal(actionFor(press('z', { ctrlKey: true })), 'undo');
  assert.equal(actionFor(press('z', { metaKey: true })), 'undo');
  assert.equal(actionFor(press('Z', { ctrlKey: true, shiftKey: true })), 'redo');
  assert.equal(actionFor(press('y', { ctrlKey: true })), 'redo');
  assert.equal(actionFor(press('f', { ctrlKey: true })), null, 'Ctrl+F stays the browser’s find');
  assert.equal(actionFor(press('z')), null);
});

test('Alt is the browser’s, but AltGr (Ctrl+Alt) types the key', () => {
  assert.equal(actionFor(press('f', { altKey: true })), null);
  assert.equal(actionFor(press('[', { altKey: true, ctrlKey: true })), 'size-down');
});

test('no key does two things', () => {
  const seen = new Set<string>();
  for (const { keys, ctrl, shift } of SHORTCUTS) {
    for (const key of keys) {
      const id = `${ctrl ? 'ctrl+' : ''}${shift ? 'shift+' : ''}${key}`;
      assert.ok(!seen.has(id), id);
      seen.add(id);
    }
  }
});

test('the list reads keys as people type them', () => {
  const text = (action: string) =>
    SHORTCUTS.filter((each) => each.action === action)
      .map(keysText)
      .join(', ');
  assert.equal(text('redo'), 'Ctrl+Shift+Z, Ctrl+Y');
  assert.equal(text('zoom-in'), '+ or =');
  assert.equal(text('pan-hold'), 'Space');
  assert.equal(actionFor(press('?', { shiftKey: true })), 'help');
});
