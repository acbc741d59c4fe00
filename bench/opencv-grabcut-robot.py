#!/usr/bin/env python3
"""Baseline for the robot table of `npm run bench:accuracy`: OpenCV's grabCut driven by the same robot
user as `strokecut eval --robot` (src/core/robot/).

Not part of `npm test`; needs OpenCV's Python bindings (Debian: python3-opencv, run with /usr/bin/python3).

The protocol, as in src/core/robot/clicks.ts: after each cut, the larger of the missed (truth 255, mask 0)
and false (truth 0, mask 1) areas — truth 128 belongs to neither — its largest 8-connected component, and a
click at the component's pixel farthest from its boundary (exact Euclidean distance, the image's
surroundings counting as outside; ties: first in raster order); equal areas: the missed one. A click is a
filled disk (dx² + dy² ≤ r²) that overwrites earlier labels. From scratch: the first click at the truth
foreground's deepest point and, as background, the image's frame of max(2, round(1% of the shorter side))
pixels where the truth is background.

Each cut is cv2.grabCut with GC_INIT_WITH_MASK, 5 iterations, from a fresh mask: clicked/stroked pixels
definite foreground/background, every other pixel probable background (as bench/opencv-grabcut.py), so
both methods see the same seeds and nothing else.

Usage: /usr/bin/python3 bench/opencv-grabcut-robot.py DATASET_DIR [--scratch] [--clicks N] [--radius R]
       [--limit N] [--json]
"""
import json
import math
import os
import sys
import time

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module  # noqa: E402

stroke_labels = import_module('opencv-grabcut').stroke_labels


def deepest_point(region):
    """(x, y) of the region's pixel farthest from outside it (image surroundings outside); first in raster order."""
    padded = np.pad(region.astype(np.uint8), 1)
    dist = cv2.distanceTransform(padded, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)[1:-1, 1:-1]
    flat = int(np.argmax(dist))
    return flat % region.shape[1], flat // region.shape[1]


def largest_component(region):
    count, labels, stats, _ = cv2.connectedComponentsWithStats(region.astype(np.uint8), connectivity=8)
    if count <= 1:
        return None
    areas = stats[1:, cv2.CC_STAT_AREA]
    best = int(np.max(areas))
    # Ties: the component whose first pixel comes first in raster order.
    candidates = [i + 1 for i in range(len(areas)) if areas[i] == best]
    if len(candidates) > 1:
        first = {c: int(np.flatnonzero(labels.ravel() == c)[0]) for c in candidates}
        chosen = min(candidates, key=lambda c: first[c])
    else:
        chosen = candidates[0]
    return labels == chosen


def paint(seeds, x, y, foreground, radius):
    h, w = seeds.shape
    r = int(math.floor(radius))
    for dy in range(-r, r + 1):
        yy = y + dy
        if yy < 0 or yy >= h:
            continue
        for dx in range(-r, r + 1):
            xx = x + dx
            if 0 <= xx < w and dx * dx + dy * dy <= radius * radius:
                seeds[yy, xx] = 1 if foreground else 2


def next_click(predicted, truth):
    labelled = truth != 128
    missed = labelled & (truth != 0) & ~predicted
    extra = labelled & (truth == 0) & predicted
    nm, ne = int(np.count_nonzero(missed)), int(np.count_nonzero(extra))
    if nm == 0 and ne == 0:
        return None
    foreground = nm >= ne
    component = largest_component(missed if foreground else extra)
    x, y = deepest_point(component)
    return x, y, foreground


def iou(predicted, truth):
    labelled = truth != 128
    true_fg = truth == 255
    inter = np.count_nonzero(predicted & true_fg & labelled)
    union = np.count_nonzero((predicted | true_fg) & labelled)
    return inter / union if union else 1.0


def cut(image, seeds):
    mask = np.full(seeds.shape, cv2.GC_PR_BGD, np.uint8)
    mask[seeds == 2] = cv2.GC_BGD
    mask[seeds == 1] = cv2.GC_FGD
    bgd = np.zeros((1, 65), np.float64)
    fgd = np.zeros((1, 65), np.float64)
    cv2.grabCut(image, mask, None, bgd, fgd, 5, cv2.GC_INIT_WITH_MASK)
    return (mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)


def run_image(image, truth, seeds, scratch, clicks, radius):
    ious, ms, placed = [], [], []
    h, w = truth.shape
    if scratch:
        border = max(2, int(math.floor(0.01 * min(w, h) + 0.5)))
        frame = np.zeros((h, w), bool)
        frame[:border, :] = frame[-border:, :] = frame[:, :border] = frame[:, -border:] = True
        seeds[frame & (truth == 0)] = 2
        obj = (truth != 0) & (truth != 128)
        x, y = deepest_point(largest_component(obj))
        paint(seeds, x, y, True, radius)
        placed.append((x, y, True))
        ious.append(None)
        ms.append(None)
    done = len(placed)
    while True:
        t0 = time.perf_counter()
        predicted = cut(image, seeds)
        ms.append((time.perf_counter() - t0) * 1000)
        ious.append(iou(predicted, truth))
        if done == clicks:
            break
        click = next_click(predicted, truth)
        if click is None:
            while len(ious) <= clicks:
                ious.append(ious[-1])
                ms.append(None)
            break
        paint(seeds, click[0], click[1], click[2], radius)
        placed.append(click)
        done += 1
    return ious, ms, placed


def main():
    argv = sys.argv[1:]
    opts = {'--clicks': '20', '--radius': '5', '--limit': '0'}
    positional = []
    i = 0
    while i < len(argv):
        if argv[i] in opts:
            opts[argv[i]] = argv[i + 1]
            i += 2
            continue
        if not argv[i].startswith('--'):
            positional.append(argv[i])
        i += 1
    scratch = '--scratch' in argv
    clicks, radius, limit = int(opts['--clicks']), float(opts['--radius']), int(opts['--limit'])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    dataset = positional[0] if positional else os.path.join(root, '..', 'shared', 'datasets', 'grabcut')
    images_dir = os.path.join(dataset, 'images')
    if not os.path.isdir(images_dir):
        sys.exit(f'opencv-grabcut-robot: no dataset at {dataset} (expected images/, strokes/, truth/)')
    rows = []
    for name in sorted(os.listdir(images_dir)):
        if limit and len(rows) >= limit:
            break
        base = os.path.splitext(name)[0]
        image = cv2.imread(os.path.join(images_dir, name), cv2.IMREAD_COLOR)
        truth = cv2.imread(os.path.join(dataset, 'truth', base + '.png'), cv2.IMREAD_GRAYSCALE)
        if image is None or truth is None:
            continue
        seeds = np.zeros(truth.shape, np.uint8)
        if not scratch:
            strokes = cv2.imread(os.path.join(dataset, 'strokes', base + '.png'), cv2.IMREAD_COLOR)
            if strokes is None:
                continue
            fg, bg = stroke_labels(strokes)
            seeds[bg] = 2
            seeds[fg] = 1
        ious, ms, placed = run_image(image, truth, seeds, scratch, clicks, radius)
        rows.append({'name': base, 'ious': ious, 'ms': ms,
                     'clicks': [{'x': int(x), 'y': int(y), 'foreground': bool(f)} for x, y, f in placed]})
        if not as_json_flag(argv):
            print(f"{base:<12} " + ' '.join('  –  ' if v is None else f'{v:.3f}' for v in ious), flush=True)
    if as_json_flag(argv):
        print(json.dumps({'opencv': cv2.__version__, 'scratch': scratch, 'clicks': clicks, 'images': rows}))


def as_json_flag(argv):
    return '--json' in argv


if __name__ == '__main__':
    main()
