#!/usr/bin/env python3
"""Baseline for `npm run bench:accuracy`: OpenCV's grabCut initialised from the same strokes.

Not part of `npm test` and not needed by strokecut; it only gives the accuracy table a reference
point. Needs OpenCV's Python bindings (Debian: `apt-get install python3-opencv`, then run it with
Debian's interpreter, /usr/bin/python3).

Initialisation, as the issue specifies: red stroke pixels are definite foreground, blue ones definite
background, every other pixel probable background; 5 iterations of cv2.grabCut with GC_INIT_WITH_MASK.
Scores use the same rules as `strokecut eval`: IoU of the foreground and the error rate over labelled
pixels (truth 128 = unlabelled band, left out).

Usage: /usr/bin/python3 bench/opencv-grabcut.py [DATASET_DIR] [--json]
DATASET_DIR defaults to ../shared/datasets/grabcut relative to the repository root.
"""
import json
import os
import sys
import time

import cv2
import numpy as np


def stroke_labels(strokes_bgr):
    """Red-ish = foreground, blue-ish = background, following strokecut's hue rule (±30°, S ≥ 0.45, V ≥ 0.25)."""
    hsv = cv2.cvtColor(strokes_bgr, cv2.COLOR_BGR2HSV_FULL).astype(np.int32)
    hue = hsv[..., 0] * 360.0 / 256.0
    sat = hsv[..., 1] / 255.0
    val = hsv[..., 2] / 255.0
    coloured = (sat >= 0.45) & (val >= 0.25)

    def near(target):
        diff = np.abs(hue - target)
        return np.minimum(diff, 360 - diff) <= 30

    return coloured & near(0), coloured & near(240)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    as_json = '--json' in sys.argv
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    dataset = args[0] if args else os.path.join(root, '..', 'shared', 'datasets', 'grabcut')
    images_dir = os.path.join(dataset, 'images')
    if not os.path.isdir(images_dir):
        sys.exit(f'opencv-grabcut: no dataset at {dataset} (expected images/, strokes/, truth/)')
    rows = []
    for name in sorted(os.listdir(images_dir)):
        base = os.path.splitext(name)[0]
        image = cv2.imread(os.path.join(images_dir, name), cv2.IMREAD_COLOR)
        strokes = cv2.imread(os.path.join(dataset, 'strokes', base + '.png'), cv2.IMREAD_COLOR)
        truth = cv2.imread(os.path.join(dataset, 'truth', base + '.png'), cv2.IMREAD_GRAYSCALE)
        if image is None or strokes is None or truth is None:
            continue
        fg, bg = stroke_labels(strokes)
        mask = np.full(image.shape[:2], cv2.GC_PR_BGD, np.uint8)
        mask[bg] = cv2.GC_BGD
        mask[fg] = cv2.GC_FGD
        bgd = np.zeros((1, 65), np.float64)
        fgd = np.zeros((1, 65), np.float64)
        t0 = time.perf_counter()
        cv2.grabCut(image, mask, None, bgd, fgd, 5, cv2.GC_INIT_WITH_MASK)
        seconds = time.perf_counter() - t0
        predicted = (mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)
        labelled = truth != 128
        true_fg = truth == 255
        inter = np.count_nonzero(predicted & true_fg & labelled)
        union = np.count_nonzero((predicted | true_fg) & labelled)
        errors = np.count_nonzero((predicted != true_fg) & labelled)
        rows.append({
            'name': base,
            'iou': inter / union if union else 1.0,
            'errorRate': errors / max(1, np.count_nonzero(labelled)),
            'ms': seconds * 1000,
        })
    if not rows:
        sys.exit(f'opencv-grabcut: no image/strokes/truth triples in {dataset}')
    mean_iou = sum(r['iou'] for r in rows) / len(rows)
    mean_error = sum(r['errorRate'] for r in rows) / len(rows)
    if as_json:
        print(json.dumps({'opencv': cv2.__version__, 'images': rows, 'meanIou': mean_iou, 'meanErrorRate': mean_error}))
        return
    for r in rows:
        print(f"{r['name']:<12} IoU {r['iou']:.3f}  error {r['errorRate'] * 100:5.2f}%  {r['ms']:7.0f} ms")
    print(f"OpenCV {cv2.__version__} grabCut, {len(rows)} images: mean IoU {mean_iou:.3f}, mean error {mean_error * 100:.2f}%")


if __name__ == '__main__':
    main()
