// gjs -m make-thumbnails.js OUTDIR IMAGE...: writes OUTDIR/<name>.png, 96x54 (a 48x27 menu thumbnail at scale 2),
// each image scaled to cover and centre-cropped as the service does with a background.

import GdkPixbuf from 'gi://GdkPixbuf';
import GLib from 'gi://GLib';
import System from 'system';

import {thumbnailName} from './client.js';

const [WIDTH, HEIGHT] = [96, 54];
const [outDir, ...images] = ARGV;
if (!outDir || images.length === 0) {
    printerr('usage: make-thumbnails.js OUTDIR IMAGE...');
    System.exit(2);
}
GLib.mkdir_with_parents(outDir, 0o755);
for (const image of images) {
    try {
        const source = GdkPixbuf.Pixbuf.new_from_file(image);
        const scale = Math.max(WIDTH / source.width, HEIGHT / source.height);
        const [w, h] = [Math.ceil(source.width * scale), Math.ceil(source.height * scale)];
        const scaled = source.scale_simple(w, h, GdkPixbuf.InterpType.HYPER);
        scaled.new_subpixbuf((w - WIDTH) >> 1, (h - HEIGHT) >> 1, WIDTH, HEIGHT)
            .savev(`${outDir}/${thumbnailName(image)}`, 'png', [], []);
    } catch (e) {
        printerr(`make-thumbnails: ${image}: ${e.message}`);
        System.exit(1);
    }
}
