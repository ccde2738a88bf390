// The view: a Quick Settings toggle for the vbackcam camera, in the pattern of gnome-shell's power-profiles
// toggle (js/ui/status/powerProfiles.js). Everything that needs no shell is in client.js; this file only draws
// what describe() says and forwards clicks. enable() builds, disable() destroys all of it.

import Gio from 'gi://Gio';
import GObject from 'gi://GObject';
import St from 'gi://St';

import {Extension} from 'resource:///org/gnome/shell/extensions/extension.js';
import * as Main from 'resource:///org/gnome/shell/ui/main.js';
import * as PopupMenu from 'resource:///org/gnome/shell/ui/popupMenu.js';
import {QuickMenuToggle, SystemIndicator} from 'resource:///org/gnome/shell/ui/quickSettings.js';

import {VbackcamClient, backgroundName, describe, thumbnailName} from './client.js';

const ICON = 'camera-web-symbolic';

function report(promise) {
    promise.catch(e => console.error(`vbackcam: ${e.message}`));
}

/** A bundled background in the menu: its pre-scaled thumbnail (if the build made one) and its name. */
const BackgroundItem = GObject.registerClass(
class BackgroundItem extends PopupMenu.PopupBaseMenuItem {
    _init(path, thumbnail) {
        super._init();
        this.path = path;
        if (Gio.File.new_for_path(thumbnail).query_exists(null)) {
            this.add_child(new St.Widget({
                style_class: 'vbackcam-thumbnail',
                style: `background-image: url("${Gio.File.new_for_path(thumbnail).get_uri()}");`,
            }));
        }
        this.add_child(new St.Label({text: backgroundName(path)}));
    }
});

const VbackcamToggle = GObject.registerClass(
class VbackcamToggle extends QuickMenuToggle {
    _init(client, thumbnails) {
        super._init({title: 'Virtual Background', iconName: ICON, toggleMode: false});
        this._client = client;
        this._thumbnails = thumbnails;
        this._paths = '';
        this._backgroundItems = [];
        this.menu.setHeader(ICON, 'Virtual Background');

        this._inUse = new PopupMenu.PopupMenuItem('', {reactive: false});
        this.menu.addMenuItem(this._inUse);
        this._backgrounds = new PopupMenu.PopupMenuSection();
        this.menu.addMenuItem(this._backgrounds);
        this._blur = this.menu.addAction('Blur', () => report(client.setMode('blur')));
        this._none = this.menu.addAction('No effect', () => report(client.setMode('none')));
        this._separator = new PopupMenu.PopupSeparatorMenuItem();
        this.menu.addMenuItem(this._separator);
        this._pause = this.menu.addAction('Pause', () =>
            report(client.snapshot().state === 'paused' ? client.resume() : client.pause()));
        this._start = this.menu.addAction('Start the camera service', () => report(client.startService()));

        this.connect('clicked', () => report(client.toggle()));
        client.connectObject('changed', () => this._sync(), this);
        this._sync();
    }

    _sync() {
        const s = this._client.snapshot();
        const d = describe(s);
        this.subtitle = d.subtitle;
        this.checked = d.checked;
        this._inUse.label.text = d.inUse;
        this._syncBackgrounds(s.backgrounds);
        for (const item of this._backgroundItems)
            item.setOrnament(item.path === d.current ? PopupMenu.Ornament.CHECK : PopupMenu.Ornament.NONE);
        this._blur.setOrnament(s.mode === 'blur' ? PopupMenu.Ornament.CHECK : PopupMenu.Ornament.NONE);
        this._none.setOrnament(s.mode === 'none' ? PopupMenu.Ornament.CHECK : PopupMenu.Ornament.NONE);
        this._pause.label.text = s.state === 'paused' ? 'Resume' : 'Pause';
        for (const item of [this._inUse, this._backgrounds, this._blur, this._none, this._separator, this._pause])
            item.visible = s.running;
        this._start.visible = !s.running && !s.problem;
    }

    _syncBackgrounds(paths) {
        if (paths.join('\n') === this._paths)
            return;
        this._paths = paths.join('\n');
        this._backgrounds.removeAll();
        this._backgroundItems = paths.map(path => {
            const item = new BackgroundItem(path, `${this._thumbnails}/${thumbnailName(path)}`);
            item.connect('activate', () => report(this._client.setBackground(path)));
            this._backgrounds.addMenuItem(item);
            return item;
        });
    }
});

/** The panel icon, shown only while apps read the camera, and the toggle it carries into Quick Settings. */
const VbackcamIndicator = GObject.registerClass(
class VbackcamIndicator extends SystemIndicator {
    _init(client, thumbnails) {
        super._init();
        this._indicator = this._addIndicator();
        this._indicator.icon_name = ICON;
        this.quickSettingsItems.push(new VbackcamToggle(client, thumbnails));
        const sync = () => {
            this._indicator.visible = describe(client.snapshot()).indicator;
        };
        client.connectObject('changed', sync, this);
        sync();
    }
});

export default class VbackcamExtension extends Extension {
    enable() {
        this._client = new VbackcamClient();
        this._indicator = new VbackcamIndicator(this._client, `${this.path}/thumbnails`);
        Main.panel.statusArea.quickSettings.addExternalIndicator(this._indicator);
        report(this._client.init());
    }

    disable() {
        this._indicator.quickSettingsItems.forEach(item => item.destroy());
        this._indicator.destroy();
        this._indicator = null;
        this._client.destroy();
        this._client = null;
    }
}
