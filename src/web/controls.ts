/** The toolbar's buttons and fields, and opening files by drag and drop or paste. */
import type { App } from './app.js';
import { byId } from './dom.js';
import { exportFile, importStrokes, loadPrior, openImage, openSession, saveSession } from './file-actions.js';
import { EXAMPLE, failureText, fetchExample } from './files.js';
import { isResultViewName } from './result-views.js';
import { isToolName } from './tools.js';

export function wireControls(app: App): void {
  const { ui, view } = app;
  for (const button of document.querySelectorAll<HTMLButtonElement>('.tool')) {
    button.addEventListener('click', () => {
      const tool = button.dataset.tool;
      if (isToolName(tool)) app.setTool(tool);
    });
  }
  ui.size.addEventListener('input', () => app.setSize(Number(ui.size.value)));
  ui.undo.addEventListener('click', () => app.undo());
  ui.redo.addEventListener('click', () => app.redo());
  byId('clear').addEventListener('click', () => app.clearStrokes());
  ui.clearPrompts.addEventListener('click', () => app.clearPrompts());
  ui.borderOffer.addEventListener('click', () =>
    app.setBorderBackground(ui.borderOffer.getAttribute('aria-pressed') !== 'true'),
  );
  byId('load-prior').addEventListener('click', () => ui.priorFile.click());
  ui.priorFile.addEventListener('change', () => {
    const file = ui.priorFile.files?.[0];
    ui.priorFile.value = '';
    if (file) void loadPrior(app, file, file.name);
  });
  ui.view.addEventListener('change', () => {
    if (isResultViewName(ui.view.value)) app.setResultView(ui.view.value);
  });
  // The File menu closes once one of its items is chosen, or on a click elsewhere.
  ui.fileMenu.addEventListener('click', (event) => {
    if ((event.target as HTMLElement).closest('.menu-items button')) ui.fileMenu.open = false;
  });
  document.addEventListener('pointerdown', (event) => {
    for (const menu of [ui.fileMenu, ui.edgeControls]) {
      if (menu.open && !menu.contains(event.target as Node)) menu.open = false;
    }
  });
  ui.opacity.addEventListener('input', () => app.setOverlayOpacity(Number(ui.opacity.value)));
  ui.softEdges.addEventListener('change', () => app.softEdgesChanged());
  ui.edgeRadius.addEventListener('input', () => app.edges.setRadius(Number(ui.edgeRadius.value), false));
  ui.edgeRadius.addEventListener('change', () => app.edges.setRadius(Number(ui.edgeRadius.value), true));
  ui.showStrokes.addEventListener('change', () => app.setStrokesShown(ui.showStrokes.checked));
  ui.k.addEventListener('change', () => app.requestMask());
  ui.smooth.addEventListener('input', () => {
    ui.smoothValue.textContent = ui.smooth.value;
  });
  ui.smooth.addEventListener('change', () => app.requestMask());
  byId('zoom-in').addEventListener('click', () => view.zoomAtCentre(1.25));
  byId('zoom-out').addEventListener('click', () => view.zoomAtCentre(0.8));
  byId('zoom-fit').addEventListener('click', () => view.fit());
  byId('help').addEventListener('click', () => app.toggleShortcuts());
  byId('shortcuts-close').addEventListener('click', () => ui.shortcuts.close());
  // A click on the backdrop (outside the list's box) closes it too.
  ui.shortcuts.addEventListener('click', (event) => {
    if (event.target === ui.shortcuts) ui.shortcuts.close();
  });

  byId('open').addEventListener('click', () => ui.openFile.click());
  ui.openFile.addEventListener('change', () => {
    const file = ui.openFile.files?.[0];
    ui.openFile.value = '';
    if (file) void openImage(app, file, file.name);
  });
  byId('import-strokes').addEventListener('click', () => ui.importFile.click());
  ui.importFile.addEventListener('change', () => {
    const file = ui.importFile.files?.[0];
    ui.importFile.value = '';
    if (file) void importStrokes(app, file, file.name);
  });
  ui.exampleStrokes.addEventListener('click', async () => {
    try {
      await importStrokes(app, await fetchExample(EXAMPLE.strokes), EXAMPLE.strokes);
    } catch (error) {
      app.status.say(failureText(error, EXAMPLE.strokes), 'error');
    }
  });
  byId('save-session').addEventListener('click', () => saveSession(app));
  byId('open-session').addEventListener('click', () => ui.sessionFile.click());
  ui.sessionFile.addEventListener('change', () => {
    const file = ui.sessionFile.files?.[0];
    ui.sessionFile.value = '';
    if (file) void openSession(app, file, file.name);
  });
  // Leaving with strokes that neither the browser's copy nor a file holds: the browser asks.
  window.addEventListener('beforeunload', (event) => {
    if (!app.workAtRisk) return;
    event.preventDefault();
    event.returnValue = '';
  });
  byId('export-mask').addEventListener('click', () => void exportFile(app, 'mask'));
  byId('export-cutout').addEventListener('click', () => void exportFile(app, 'cutout'));
  byId('export-strokes').addEventListener('click', () => void exportFile(app, 'strokes'));

  window.addEventListener('paste', (event) => {
    const file = [...(event.clipboardData?.files ?? [])].find((each) => each.type.startsWith('image/'));
    if (!file) return;
    event.preventDefault();
    void openImage(app, file, file.name && file.name !== 'image.png' ? file.name : 'pasted image.png');
  });

  let dragDepth = 0;
  window.addEventListener('dragenter', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    dragDepth++;
    ui.dropHint.hidden = false;
  });
  window.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) ui.dropHint.hidden = true;
  });
  window.addEventListener('dragover', (event) => event.preventDefault());
  window.addEventListener('drop', (event) => {
    event.preventDefault();
    dragDepth = 0;
    ui.dropHint.hidden = true;
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    if (file.name.endsWith('.json')) void openSession(app, file, file.name);
    else void openImage(app, file, file.name);
  });
}
