/** The page's elements, looked up once by id (index.html is their one definition). */

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

export function lookUpElements() {
  return {
    viewport: byId<HTMLElement>('viewport'),
    stage: byId<HTMLElement>('stage'),
    imageCanvas: byId<HTMLCanvasElement>('image-canvas'),
    resultCanvas: byId<HTMLCanvasElement>('result-canvas'),
    partialCanvas: byId<HTMLCanvasElement>('partial-canvas'),
    strokeCanvas: byId<HTMLCanvasElement>('stroke-canvas'),
    cursor: byId<HTMLElement>('cursor'),
    dropHint: byId<HTMLElement>('drop-hint'),
    busy: byId<HTMLElement>('busy'),
    message: byId<HTMLElement>('message'),
    stats: byId<HTMLElement>('stats'),
    openFile: byId<HTMLInputElement>('open-file'),
    importFile: byId<HTMLInputElement>('import-file'),
    sessionFile: byId<HTMLInputElement>('session-file'),
    exampleStrokes: byId<HTMLButtonElement>('example-strokes'),
    size: byId<HTMLInputElement>('size'),
    sizeValue: byId<HTMLOutputElement>('size-value'),
    undo: byId<HTMLButtonElement>('undo'),
    redo: byId<HTMLButtonElement>('redo'),
    opacity: byId<HTMLInputElement>('opacity'),
    edgeControls: byId<HTMLDetailsElement>('edge-controls'),
    softEdges: byId<HTMLInputElement>('soft-edges'),
    edgeRadius: byId<HTMLInputElement>('edge-radius'),
    edgeRadiusValue: byId<HTMLOutputElement>('edge-radius-value'),
    view: byId<HTMLSelectElement>('view'),
    fileMenu: byId<HTMLDetailsElement>('file-menu'),
    pressure: byId<HTMLInputElement>('pressure'),
    penOption: byId<HTMLElement>('pen-option'),
    showStrokes: byId<HTMLInputElement>('show-strokes'),
    k: byId<HTMLInputElement>('k'),
    smooth: byId<HTMLInputElement>('smooth'),
    smoothValue: byId<HTMLOutputElement>('smooth-value'),
    zoomValue: byId<HTMLOutputElement>('zoom-value'),
    boxOutline: byId<HTMLElement>('box-outline'),
    priorFile: byId<HTMLInputElement>('prior-file'),
    borderOffer: byId<HTMLButtonElement>('border-offer'),
    clearPrompts: byId<HTMLButtonElement>('clear-prompts'),
    shortcuts: byId<HTMLDialogElement>('shortcuts'),
    shortcutList: byId<HTMLTableSectionElement>('shortcut-list'),
  };
}

export type Elements = ReturnType<typeof lookUpElements>;
