// Tests 1 and 2 of gnome-extension/test/run: client.js on a private session bus, against the python-dbusmock
// stand-in (test 1) or the real `vbackcam run` (test 2). Either service is started the way the toggle starts it:
// StartUnit on a stand-in for systemd's user manager (test/systemd_mock.py). One line per check, then a summary;
// the exit status is the number of failed checks.
//
// Environment: VBACKCAM_INTERFACE_XML (the Control1 XML), VBACKCAM_BACKGROUNDS (the expected Backgrounds, one per
// line), VBACKCAM_CONSUMERS (the expected Consumers), VBACKCAM_EXTENSION (the built extension, for thumbnails),
// VBACKCAM_ACTIVATED (the file the bus's activation of io.github.vbackcam would create), VBACKCAM_START_TIMEOUT_S.

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GdkPixbuf from 'gi://GdkPixbuf';
import System from 'system';

import {VbackcamClient, describe, backgroundName, thumbnailName, BUS_NAME} from '../client.js';

const env = name => {
    const value = GLib.getenv(name);
    if (value === null)
        throw new Error(`client-test: ${name} is not set`);
    return value;
};
const backgrounds = env('VBACKCAM_BACKGROUNDS').split('\n').filter(Boolean);
const consumers = Number(env('VBACKCAM_CONSUMERS'));
const startTimeoutMs = Number(GLib.getenv('VBACKCAM_START_TIMEOUT_S') ?? '240') * 1000;

let passed = 0, failed = 0;

function check(ok, what, detail = '') {
    if (ok) {
        passed++;
        print(`ok - ${what}`);
    } else {
        failed++;
        print(`FAIL - ${what}${detail ? `: ${detail}` : ''}`);
    }
}

/** JSON with sorted keys, so that objects compare by content. */
function text(value) {
    return JSON.stringify(value, (key, v) => v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v);
}

function equal(actual, expected, what) {
    const a = text(actual), e = text(expected);
    check(a === e, what, `got ${a}, expected ${e}`);
}

function sleep(ms) {
    return new Promise(resolve => GLib.timeout_add(GLib.PRIORITY_DEFAULT, ms, () => {
        resolve();
        return GLib.SOURCE_REMOVE;
    }));
}

/** Resolves once the client's snapshot satisfies `ok`, re-checked on every `changed` signal: no polling. */
function waitFor(client, ok, what, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
        let id = 0, timer = 0;
        const done = () => {
            client.disconnect(id);
            GLib.source_remove(timer);
        };
        const test = () => {
            if (!ok(client.snapshot()))
                return;
            done();
            resolve(client.snapshot());
        };
        id = client.connect('changed', test);
        timer = GLib.timeout_add(GLib.PRIORITY_DEFAULT, timeoutMs, () => {
            timer = 0;
            client.disconnect(id);
            reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${
                JSON.stringify(client.snapshot())}`));
            return GLib.SOURCE_REMOVE;
        });
        test();
    });
}

async function rejection(promise) {
    try {
        await promise;
    } catch (e) {
        return e;
    }
    return null;
}

function invalidArgs(error, quoted, what) {
    const name = error && Gio.DBusError.get_remote_error(error);
    check(name === 'org.freedesktop.DBus.Error.InvalidArgs' && error.message.includes(quoted),
        `${what} is InvalidArgs quoting '${quoted}'`, `${name}: ${error?.message}`);
}

function pureCases() {
    const running = {problem: '', running: true, state: 'running', mode: 'image', consumers: 0, backgrounds: []};
    const cases = [
        [{...running, background: 'image /usr/share/vbackcam/backgrounds/dusk-bokeh.png + hologram'},
            {subtitle: 'Dusk bokeh', checked: true, inUse: 'Not in use', indicator: false,
                current: '/usr/share/vbackcam/backgrounds/dusk-bokeh.png'}],
        [{...running, mode: 'blur', background: 'blur 20', consumers: 3},
            {subtitle: 'Blur', checked: true, inUse: 'In use by 3 apps', indicator: true, current: null}],
        [{...running, state: 'camera-lost', mode: 'color', background: 'color #00b140'},
            {subtitle: 'Camera unavailable', checked: true, inUse: 'Not in use', indicator: false, current: null}],
        [{...running, mode: 'sepia', background: 'sepia'},
            {subtitle: 'sepia', checked: true, inUse: 'Not in use', indicator: false, current: null}],
        [{...running, problem: '/x.xml: No such file', running: false},
            {subtitle: 'Not installed', checked: false, inUse: 'Not in use', indicator: false, current: null}],
    ];
    for (const [input, expected] of cases)
        equal(describe(input), expected, `describe: ${expected.subtitle}`);
    equal(backgroundName('/a/studio_gradient-2.webp'), 'Studio gradient 2', 'backgroundName');
}

async function missingInterface() {
    const client = new VbackcamClient({interfaceXml: '/nonexistent/Control1.xml'});
    await client.init();
    check(client.problem.startsWith('/nonexistent/Control1.xml: '), 'a missing interface file is a problem',
        client.problem);
    equal(describe(client.snapshot()).subtitle, 'Not installed', 'and the toggle says "Not installed"');
    equal((await rejection(client.toggle()))?.message, client.problem, 'and a click only reports the problem');
    client.destroy();
}

function thumbnails() {
    const dir = `${env('VBACKCAM_EXTENSION')}/thumbnails`;
    for (const path of backgrounds) {
        const file = `${dir}/${thumbnailName(path)}`;
        let size = 'missing';
        try {
            const [, width, height] = GdkPixbuf.Pixbuf.get_file_info(file);
            size = `${width}x${height}`;
        } catch (e) {
            size = e.message;
        }
        equal(size, '96x54', `thumbnail of ${GLib.path_get_basename(path)}`);
    }
}

async function serviceLifecycle() {
    const activated = env('VBACKCAM_ACTIVATED');
    const client = new VbackcamClient({interfaceXml: env('VBACKCAM_INTERFACE_XML')});
    await client.init();
    const before = client.snapshot();
    check(!before.running, 'before the service runs, the client says so');
    equal(describe(before).subtitle, 'Not running', 'subtitle before the service runs');

    equal((await rejection(client.setMode('none')))?.message, 'the vbackcam service is not running',
        'a call while the service is not running fails, saying so');
    await sleep(1000);
    check(!GLib.file_test(activated, GLib.FileTest.EXISTS), 'the bus never activated io.github.vbackcam',
        `${activated} exists`);

    const job = await client.toggle();
    check(/^\/org\/freedesktop\/systemd1\/job\//.test(job), 'the toggle starts vbackcam.service through systemd',
        String(job));
    let s = await waitFor(client, x => x.running && x.state === 'running', 'the service to run', startTimeoutMs);
    equal(s.backgrounds, backgrounds, 'Backgrounds');
    equal(s.consumers, consumers, 'Consumers');
    equal(describe(s), {checked: true, inUse: consumers === 1 ? 'In use by 1 app' : `In use by ${consumers} apps`,
        indicator: consumers > 0, current: backgrounds[0], subtitle: backgroundName(backgrounds[0])},
    'the toggle shows the first bundled background');

    await client.setBackground(backgrounds[1]);
    s = await waitFor(client, x => describe(x).current === backgrounds[1], 'PropertiesChanged of SetBackground');
    equal([s.mode, describe(s).subtitle], ['image', backgroundName(backgrounds[1])], 'SetBackground is signalled');

    await client.toggle();
    s = await waitFor(client, x => x.mode === 'none', 'mode none after a click');
    equal([describe(s).subtitle, describe(s).checked], ['No effect', false], 'a click switches the effect off');
    await client.toggle();
    s = await waitFor(client, x => x.mode === 'image', 'the image back after a second click');
    equal(describe(s).subtitle, backgroundName(backgrounds[1]), 'a second click brings back the last background');

    await client.setMode('blur');
    await waitFor(client, x => x.mode === 'blur', 'mode blur');
    await client.toggle();
    await waitFor(client, x => x.mode === 'none', 'none after blur');
    await client.toggle();
    s = await waitFor(client, x => x.mode === 'blur', 'blur back');
    equal(describe(s).subtitle, 'Blur', 'the last effect is remembered (blur)');

    await client.pause();
    s = await waitFor(client, x => x.state === 'paused', 'state paused');
    equal([describe(s).subtitle, describe(s).checked], ['Paused', false], 'Pause shows "Paused", unchecked');
    await client.toggle();
    s = await waitFor(client, x => x.state !== 'paused', 'resume after a click');
    equal([s.mode, describe(s).subtitle], ['blur', 'Blur'], 'a click on a paused toggle resumes');

    invalidArgs(await rejection(client.setMode('sepia')), 'sepia', 'SetMode sepia');
    invalidArgs(await rejection(client.setBackground('/no/such/file.png')), '/no/such/file.png',
        'SetBackground of a missing file');
    await sleep(500);
    equal(client.snapshot().mode, 'blur', 'rejected calls change nothing');

    const [pid] = (await new Promise((resolve, reject) => Gio.DBus.session.call('org.freedesktop.DBus',
        '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'GetConnectionUnixProcessID', new GLib.Variant('(s)',
            [BUS_NAME]), null, Gio.DBusCallFlags.NONE, -1, null, (bus, res) => {
            try {
                resolve(bus.call_finish(res));
            } catch (e) {
                reject(e);
            }
        }))).deepUnpack();
    GLib.spawn_command_line_sync(`kill -TERM ${pid}`);
    s = await waitFor(client, x => !x.running, 'the service to leave the bus', 30000);
    equal(describe(s).subtitle, 'Not running', 'the toggle follows the service going away');
    client.destroy();
}

const loop = new GLib.MainLoop(null, false);
let crash = null;
(async () => {
    pureCases();
    thumbnails();
    await missingInterface();
    await serviceLifecycle();
})().catch(e => {
    crash = e;
}).finally(() => loop.quit());
loop.run();
if (crash) {
    failed++;
    print(`FAIL - ${crash.message}`);
}
print(`${passed} passed, ${failed} failed`);
System.exit(Math.min(failed, 100));
