#!/usr/bin/env python3
"""Draw vbackcam's own backgrounds (CC0) into backgrounds/: a soft studio gradient and a dusk bokeh.

Deterministic: the same numpy gives the same PNG bytes. Needs only python3 and numpy.
Usage: tools/make-backgrounds.py [OUTDIR]
"""
import struct
import sys
import zlib
from pathlib import Path

import numpy as np

W, H = 1280, 720


def write_png(path, rgb):
    """Write an HxWx3 uint8 array as an 8-bit RGB PNG (filter 'up' on every row)."""
    h, w, _ = rgb.shape
    rows = rgb.reshape(h, w * 3).astype(np.int16)
    up = np.diff(rows, axis=0, prepend=np.zeros((1, w * 3), np.int16)) % 256
    raw = np.concatenate([np.full((h, 1), 2, np.uint8), up.astype(np.uint8)], axis=1).tobytes()

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    Path(path).write_bytes(png)


def studio_gradient():
    """A photographer's backdrop: warm grey, lighter behind the head, darker at the edges."""
    y, x = np.mgrid[0:H, 0:W].astype(np.float64)
    r = np.hypot((x - W * 0.5) / W, (y - H * 0.38) / H)
    light = np.clip(1.0 - 1.25 * r, 0, 1) ** 1.4
    base = np.array([52, 50, 56], np.float64)
    top = np.array([176, 168, 160], np.float64)
    img = base + (top - base) * light[..., None]
    return np.clip(img + 0.5, 0, 255).astype(np.uint8)


def dusk_bokeh():
    """A blurred evening street: a blue-to-amber sky and soft out-of-focus lights."""
    y, x = np.mgrid[0:H, 0:W].astype(np.float64)
    t = (y / H)[..., None]
    img = np.array([30, 40, 78], np.float64) * (1 - t) + np.array([96, 58, 62], np.float64) * t
    rng = np.random.default_rng(20261125)
    palette = np.array([[255, 190, 110], [255, 150, 90], [180, 210, 255], [255, 225, 160]], np.float64)
    for _ in range(28):
        cx, cy = rng.uniform(0, W), rng.uniform(H * 0.15, H * 0.85)
        radius = rng.uniform(30, 95)
        colour = palette[rng.integers(len(palette))]
        strength = rng.uniform(0.18, 0.45)
        d = np.hypot(x - cx, y - cy) / radius
        disc = np.clip((1.0 - d) * 6.0, 0, 1) * (0.75 + 0.25 * d.clip(0, 1))
        img += (colour - img) * (strength * disc)[..., None]
    return np.clip(img + 0.5, 0, 255).astype(np.uint8)


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "backgrounds")
    out.mkdir(parents=True, exist_ok=True)
    write_png(out / "studio-gradient.png", studio_gradient())
    write_png(out / "dusk-bokeh.png", dusk_bokeh())


if __name__ == "__main__":
    main()
