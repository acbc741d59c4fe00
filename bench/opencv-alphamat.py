#!/usr/bin/env python3
"""Baseline for `npm run bench:matte -- --opencv`: OpenCV's information-flow matting (cv2.alphamat.infoFlow).

Not part of `npm test` and not needed by strokecut; it only gives the matte's accuracy table a reference
point. Needs OpenCV's Python bindings with the contrib module alphamat (Debian: `apt-get install
python3-opencv`, then run it with Debian's interpreter, /usr/bin/python3). No network.

Each triple is an RGB image PNG, a trimap PNG (0 = background, 255 = foreground, 128 = unknown) and
the path of the alpha PNG to write (8-bit grey). infoFlow solves one system over the whole image and
keeps the known pixels only by a soft constraint (weight 100), writing floor(255 α); the known pixels
of its result are set back to the trimap's 0 or 255, as strokecut's matte keeps them, so both differ
only in the unknown region. Prints one line `RESULT {json}` with the OpenCV version and, per triple,
infoFlow's wall and CPU seconds (time.perf_counter, time.process_time: all of the process's threads)
and how far its known pixels had drifted (max |α − trimap|, 0–255) before they were reset.

Usage: /usr/bin/python3 bench/opencv-alphamat.py IMAGE TRIMAP OUT [IMAGE TRIMAP OUT ...]
"""
import json
import sys
import time

import cv2
import numpy as np


def main():
    args = sys.argv[1:]
    if not args or len(args) % 3 != 0:
        sys.exit('usage: opencv-alphamat.py IMAGE TRIMAP OUT [IMAGE TRIMAP OUT ...]')
    if not hasattr(cv2, 'alphamat'):
        sys.exit('opencv-alphamat: this OpenCV has no alphamat module (Debian: python3-opencv)')
    runs = []
    for k in range(0, len(args), 3):
        image_path, trimap_path, out_path = args[k : k + 3]
        image = cv2.imread(image_path, cv2.IMREAD_COLOR)
        trimap = cv2.imread(trimap_path, cv2.IMREAD_GRAYSCALE)
        if image is None or trimap is None:
            sys.exit(f'opencv-alphamat: cannot read {image_path} or {trimap_path}')
        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        t0 = time.perf_counter()
        c0 = time.process_time()
        alpha = cv2.alphamat.infoFlow(rgb, trimap.copy())
        cpu = time.process_time() - c0
        wall = time.perf_counter() - t0
        alpha = alpha.reshape(trimap.shape)
        known_fg = trimap == 255
        known_bg = trimap == 0
        drift = 0
        if known_fg.any():
            drift = max(drift, int(255 - alpha[known_fg].min()))
        if known_bg.any():
            drift = max(drift, int(alpha[known_bg].max()))
        alpha[known_fg] = 255
        alpha[known_bg] = 0
        if not cv2.imwrite(out_path, alpha):
            sys.exit(f'opencv-alphamat: cannot write {out_path}')
        runs.append({'out': out_path, 'seconds': wall, 'cpuSeconds': cpu, 'knownDrift': drift})
    sys.stdout.flush()
    print('RESULT ' + json.dumps({'opencv': cv2.__version__, 'runs': runs}), flush=True)


if __name__ == '__main__':
    main()
