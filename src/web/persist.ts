/**
 * The browser's copy of the session (IndexedDB), so that the image, its strokes and the settings
 * survive a reload or a closed tab. Two records: the image file (written when the image changes)
 * and the state (strokes as run lengths, settings; written after every change, shortly after).
 */
import type { SavedPrompts } from './prompts.js';
import type { Settings, SoftEdges } from './settings.js';

export interface StoredImage {
  /** Tells this image's record from a later one's: the state names the image it belongs to. */
  token: string;
  file: Blob;
  name: string;
  isExample: boolean;
}

export interface StoredState {
  token: string;
  width: number;
  height: number;
  /** The labels' runs (session-file.ts encodeLabels). */
  strokes: Uint8Array;
  settings: Settings;
  /** Missing in states stored before soft edges (read with parseSoftEdges). */
  softEdges?: SoftEdges;
  /** The box, border and prior prompts (prompts.ts savePrompts; read with readPrompts). */
  prompts?: SavedPrompts;
  /** The strokes are the user's work (not the example's own, untouched). */
  edited: boolean;
}

const DB_NAME = 'strokecut';
const STORE = 'session';
/** How long the page waits for IndexedDB to open, or to read, before it starts without it. */
const OPEN_TIMEOUT_MS = 5000;

/** `promise`'s value, or `fallback` if it has not settled within {@link OPEN_TIMEOUT_MS}. */
function answerWithin<T>(promise: Promise<T>, fallback: T): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((resolve) => setTimeout(() => resolve(fallback), OPEN_TIMEOUT_MS)),
  ]);
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

export class BrowserStore {
  private constructor(private readonly db: IDBDatabase) {}

  /**
   * The browser's store, or null where there is none (no IndexedDB, private modes that refuse it,
   * or one that does not answer in time).
   */
  static async open(): Promise<BrowserStore | null> {
    if (typeof indexedDB === 'undefined') return null;
    try {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      // Blocked (another tab holds an older version) or not answering: the page works without it.
      const blocked = new Promise<null>((resolve) => {
        req.onblocked = () => resolve(null);
      });
      const opened = await Promise.race([answerWithin(request(req), null), blocked]);
      return opened ? new BrowserStore(opened) : null;
    } catch {
      return null;
    }
  }

  /** The stored image and state, when both are there and belong together. */
  async load(): Promise<{ image: StoredImage; state: StoredState } | null> {
    const store = this.db.transaction(STORE, 'readonly').objectStore(STORE);
    const [image, state] = await answerWithin(
      Promise.all([
        request(store.get('image')) as Promise<StoredImage | undefined>,
        request(store.get('state')) as Promise<StoredState | undefined>,
      ]),
      [undefined, undefined],
    );
    if (!image || !state || image.token !== state.token) return null;
    return { image, state };
  }

  /** Stores the state, and the image with it when given; resolves once written. */
  save(state: StoredState, image?: StoredImage): Promise<void> {
    const transaction = this.db.transaction(STORE, 'readwrite');
    const store = transaction.objectStore(STORE);
    if (image) store.put(image, 'image');
    store.put(state, 'state');
    return new Promise((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB write failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB write aborted'));
    });
  }
}
