// The vbackcam service as the Quick Settings toggle sees it: a D-Bus proxy built from the installed Control1
// interface XML, and the words the toggle shows. No shell imports, so plain `gjs -m` runs it (test/client-test.js).

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';

export const BUS_NAME = 'io.github.vbackcam';
export const OBJECT_PATH = '/io/github/vbackcam';
export const INTERFACE_XML = '/usr/share/dbus-1/interfaces/io.github.vbackcam.Control1.xml';
export const UNIT = 'vbackcam.service';

const SYSTEMD = ['org.freedesktop.systemd1', '/org/freedesktop/systemd1', 'org.freedesktop.systemd1.Manager'];

/**
 * One client per toggle. It never starts the service: the proxy is made with DO_NOT_AUTO_START, so neither its
 * creation at login nor a method call makes the bus activate vbackcam (which would open the camera);
 * startService() asks systemd's user manager when the user says so. Emits `changed` on every property change and
 * when the service appears or goes away.
 */
export const VbackcamClient = GObject.registerClass({
    Signals: {changed: {}},
}, class VbackcamClient extends GObject.Object {
    _init({bus = Gio.DBus.session, interfaceXml = INTERFACE_XML} = {}) {
        super._init();
        this._bus = bus;
        this._interfaceXml = interfaceXml;
        this._proxy = null;
        this._signals = null;
        this._problem = '';
        this._lastEffect = 'image';
        this._cancellable = new Gio.Cancellable();
    }

    /** Builds the proxy; a missing interface file sets `problem` rather than throwing. */
    async init() {
        let xml;
        try {
            xml = new TextDecoder().decode(GLib.file_get_contents(this._interfaceXml)[1]);
        } catch (e) {
            this._problem = `${this._interfaceXml}: ${e.message}`;
            this.emit('changed');
            return;
        }
        const Proxy = Gio.DBusProxy.makeProxyWrapper(xml);
        let proxy;
        try {
            proxy = await new Promise((resolve, reject) => {
                Proxy(this._bus, BUS_NAME, OBJECT_PATH, (p, error) => (error ? reject(error) : resolve(p)),
                    this._cancellable, Gio.DBusProxyFlags.DO_NOT_AUTO_START);
            });
        } catch (e) {
            if (this._cancellable.is_cancelled())
                return;
            throw e;
        }
        if (this._cancellable.is_cancelled())
            return; // destroyed while the proxy was being made
        this._proxy = proxy;
        this._signals = [
            this._proxy.connect('g-properties-changed', () => this._changed()),
            this._proxy.connect('notify::g-name-owner', () => this._changed()),
        ];
        this._changed();
    }

    _changed() {
        const mode = this._property('Mode');
        if (mode && mode !== 'none')
            this._lastEffect = mode;
        this.emit('changed');
    }

    _property(name) {
        return this._proxy?.g_name_owner ? this._proxy[name] ?? null : null;
    }

    /** Why the client cannot work at all (the interface file is missing), or ''. */
    get problem() {
        return this._problem;
    }

    /** What the toggle needs, as plain values: the input of describe(). */
    snapshot() {
        const running = Boolean(this._proxy?.g_name_owner);
        return {
            problem: this._problem,
            running,
            state: this._property('State') ?? '',
            mode: this._property('Mode') ?? '',
            background: this._property('Background') ?? '',
            backgrounds: this._property('Backgrounds') ?? [],
            consumers: this._property('Consumers') ?? 0,
        };
    }

    /** The toggle's click: resume when paused, else switch between the last effect and no effect. */
    toggle() {
        const {problem, running, state, mode} = this.snapshot();
        if (problem)
            return Promise.reject(new Error(problem));
        if (!running)
            return this.startService();
        if (state === 'paused')
            return this.resume();
        return this.setMode(mode === 'none' ? this._lastEffect : 'none');
    }

    setBackground(path) {
        return this._call('SetBackgroundAsync', path);
    }

    setMode(mode) {
        return this._call('SetModeAsync', mode);
    }

    pause() {
        return this._call('PauseAsync');
    }

    resume() {
        return this._call('ResumeAsync');
    }

    _call(method, ...args) {
        if (!this._proxy)
            return Promise.reject(new Error(`no D-Bus interface (${this._problem})`));
        if (!this._proxy.g_name_owner)
            return Promise.reject(new Error('the vbackcam service is not running'));
        return this._proxy[method](...args);
    }

    /** Starts the user unit through systemd's D-Bus API (`systemctl --user start vbackcam`). */
    async startService() {
        const reply = await new Promise((resolve, reject) => {
            this._bus.call(...SYSTEMD, 'StartUnit', new GLib.Variant('(ss)', [UNIT, 'replace']),
                new GLib.VariantType('(o)'), Gio.DBusCallFlags.NONE, -1, this._cancellable, (bus, result) => {
                    try {
                        resolve(bus.call_finish(result));
                    } catch (e) {
                        reject(e);
                    }
                });
        });
        return reply.deepUnpack()[0];
    }

    destroy() {
        this._cancellable.cancel();
        this._signals?.forEach(id => this._proxy.disconnect(id));
        this._signals = null;
        this._proxy = null;
    }
});

/** "dusk-bokeh.png" -> "Dusk bokeh": how a bundled background is named in the menu. */
export function backgroundName(path) {
    const base = GLib.path_get_basename(path).replace(/\.[^.]*$/, '').replace(/[-_]+/g, ' ').trim();
    return base.charAt(0).toUpperCase() + base.slice(1);
}

/** The pre-scaled thumbnail of a background, by file name, as make-thumbnails.js writes it. */
export function thumbnailName(path) {
    return `${GLib.path_get_basename(path).replace(/\.[^.]*$/, '')}.png`;
}

/** The file of an image or video effect, from the Background property ("image /x/y.png + hologram"). */
export function effectFile(background) {
    const m = /^(?:image|video) (.*?)(?: \+ hologram)?$/.exec(background);
    return m ? m[1] : null;
}

/**
 * What the toggle shows for a snapshot: its subtitle, whether it is checked, the "in use" line, whether the panel
 * indicator shows, and the background to mark in the menu. Unknown states and modes show as they are.
 */
export function describe(s) {
    const inUse = s.consumers === 1 ? 'In use by 1 app' : `In use by ${s.consumers} apps`;
    const base = {checked: false, inUse: 'Not in use', indicator: false, current: null};
    if (s.problem)
        return {...base, subtitle: 'Not installed'};
    if (!s.running)
        return {...base, subtitle: 'Not running'};
    const on = {...base, inUse: s.consumers > 0 ? inUse : base.inUse, indicator: s.consumers > 0};
    if (s.state === 'paused')
        return {...on, subtitle: 'Paused'};
    const current = effectFile(s.background);
    const effect = {
        none: 'No effect',
        blur: 'Blur',
        color: 'Solid color',
        image: current ? backgroundName(current) : 'Background',
        video: current ? backgroundName(current) : 'Video',
    }[s.mode] ?? s.mode;
    const checked = s.mode !== 'none';
    if (s.state === 'camera-lost')
        return {...on, checked, current, subtitle: 'Camera unavailable'};
    if (s.state === 'starting')
        return {...on, checked, current, subtitle: 'Starting…'};
    return {...on, checked, current, subtitle: effect};
}
