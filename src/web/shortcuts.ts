/**
 * Keyboard shortcuts: one table, read both to handle keys and to list them for people. Pure (no
 * DOM), tested in Node.
 */

export type Action =
  | 'tool:foreground'
  | 'tool:background'
  | 'tool:eraser'
  | 'tool:box'
  | 'size-down'
  | 'size-up'
  | 'fit'
  | 'zoom-in'
  | 'zoom-out'
  | 'toggle-strokes'
  | 'pan-hold'
  | 'undo'
  | 'redo'
  | 'help';

export interface Shortcut {
  /** KeyboardEvent.key values, lower case. */
  keys: string[];
  /** Ctrl (or ⌘ on a Mac) held. */
  ctrl?: boolean;
  shift?: boolean;
  action: Action;
  /** What it does, for the list shown to people. */
  label: string;
}

export const SHORTCUTS: Shortcut[] = [
  { keys: ['f'], action: 'tool:foreground', label: 'Foreground brush' },
  { keys: ['b'], action: 'tool:background', label: 'Background brush' },
  { keys: ['e'], action: 'tool:eraser', label: 'Eraser' },
  { keys: ['r'], action: 'tool:box', label: 'Box: drag a rectangle around the object' },
  { keys: ['['], action: 'size-down', label: 'Smaller brush' },
  { keys: [']'], action: 'size-up', label: 'Bigger brush' },
  { keys: ['0'], action: 'fit', label: 'Fit the image in the window' },
  { keys: ['+', '='], action: 'zoom-in', label: 'Zoom in' },
  { keys: ['-'], action: 'zoom-out', label: 'Zoom out' },
  { keys: ['s'], action: 'toggle-strokes', label: 'Show or hide the strokes' },
  { keys: [' '], action: 'pan-hold', label: 'Hold and drag to pan' },
  { keys: ['z'], ctrl: true, action: 'undo', label: 'Undo' },
  { keys: ['z'], ctrl: true, shift: true, action: 'redo', label: 'Redo' },
  { keys: ['y'], ctrl: true, action: 'redo', label: 'Redo' },
  { keys: ['?'], action: 'help', label: 'Show or hide this list' },
];

/** How a shortcut's keys read in the list: "Ctrl+Shift+Z", "+ or =", "Space". */
export function keysText(shortcut: Shortcut): string {
  const name = (key: string) => (key === ' ' ? 'Space' : key.length === 1 ? key.toUpperCase() : key);
  const prefix = `${shortcut.ctrl ? 'Ctrl+' : ''}${shortcut.shift ? 'Shift+' : ''}`;
  return shortcut.keys.map((key) => prefix + name(key)).join(' or ');
}

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/**
 * The action for a key press, or null. Without Ctrl, Shift does not matter (F and f both pick the
 * foreground brush); with Ctrl it does (Ctrl+Shift+Z redoes). Alt combinations are the browser's,
 * except Ctrl+Alt, which is how Windows reports AltGr: the key it typed ('[' on a German keyboard).
 */
export function actionFor(event: KeyLike): Action | null {
  const altGr = event.altKey && event.ctrlKey;
  if (event.altKey && !altGr) return null;
  const key = event.key.toLowerCase();
  const ctrl = (event.ctrlKey || event.metaKey) && !altGr;
  for (const shortcut of SHORTCUTS) {
    if (!shortcut.keys.includes(key) || Boolean(shortcut.ctrl) !== ctrl) continue;
    if (ctrl && Boolean(shortcut.shift) !== event.shiftKey) continue;
    return shortcut.action;
  }
  return null;
}
