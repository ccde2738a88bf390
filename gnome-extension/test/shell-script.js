// GNOME Shell automation script for test 3 (gnome-shell --automation-script; see test/shell). A check that fails
// throws, and gnome-shell then exits with status 1. Environment: VBACKCAM_UUID, VBACKCAM_EXPECT_SUBTITLE.

import Clutter from 'gi://Clutter';
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

import {ExtensionState} from 'resource:///org/gnome/shell/misc/extensionUtils.js';
import * as Main from 'resource:///org/gnome/shell/ui/main.js';
import * as PopupMenu from 'resource:///org/gnome/shell/ui/popupMenu.js';
import * as Scripting from 'resource:///org/gnome/shell/ui/scripting.js';

const UUID = GLib.getenv('VBACKCAM_UUID');
const EXPECTED = GLib.getenv('VBACKCAM_EXPECT_SUBTITLE');
const BACKGROUNDS = Number(GLib.getenv('VBACKCAM_BACKGROUND_COUNT'));

function fail(message) {
    throw new Error(`vbackcam check failed: ${message}`);
}

async function until(what, ok, timeoutMs = 20000) {
    const end = GLib.get_monotonic_time() + timeoutMs * 1000;
    while (!ok()) {
        if (GLib.get_monotonic_time() > end)
            fail(`timed out after ${timeoutMs} ms waiting for ${what()}`);
        await Scripting.sleep(100);
    }
}

function toggles() {
    return Main.panel.statusArea.quickSettings.menu._grid.get_children()
        .filter(item => item.title === 'Virtual Background');
}

/** A real pointer click in the middle of the actor, through a virtual input device. */
async function click(actor) {
    const seat = Clutter.get_default_backend().get_default_seat();
    const pointer = seat.create_virtual_device(Clutter.InputDeviceType.POINTER_DEVICE);
    const [x, y] = actor.get_transformed_position();
    const [width, height] = actor.get_transformed_size();
    const now = () => GLib.get_monotonic_time();
    pointer.notify_absolute_motion(now(), x + width / 2, y + height / 2);
    await Scripting.sleep(100);
    pointer.notify_button(now(), Clutter.BUTTON_PRIMARY, Clutter.ButtonState.PRESSED);
    await Scripting.sleep(50);
    pointer.notify_button(now(), Clutter.BUTTON_PRIMARY, Clutter.ButtonState.RELEASED);
    await Scripting.sleep(100);
}

/** The arguments of the calls of `method` that reached the service, from python-dbusmock's call log. */
function calls(method) {
    const reply = Gio.DBus.session.call_sync('io.github.vbackcam', '/io/github/vbackcam', 'org.freedesktop.DBus.Mock',
        'GetMethodCalls', new GLib.Variant('(s)', [method]), null, Gio.DBusCallFlags.NONE, -1, null);
    return reply.deepUnpack()[0].map(([, args]) => args.map(a => a.deepUnpack()).join(' '));
}

const checked = item => item._ornament === PopupMenu.Ornament.CHECK;

export async function run() {
    await Scripting.waitLeisure();
    if (!Main.extensionManager.enableExtension(UUID))
        fail(`${UUID} is not installed`);
    const state = () => Main.extensionManager.lookup(UUID)?.state;
    await until(() => `the extension to be active (state ${state()})`, () => state() === ExtensionState.ACTIVE);
    await until(() => `one Virtual Background toggle (${toggles().length})`, () => toggles().length === 1);
    const [toggle] = toggles();
    await until(() => `subtitle "${EXPECTED}" (it is "${toggle.subtitle}")`, () => toggle.subtitle === EXPECTED,
        10000);
    if (!toggle.checked)
        fail('the toggle is not checked while an effect is on');
    const indicator = Main.panel.statusArea.quickSettings._indicators.get_children()
        .find(i => i.quickSettingsItems?.includes(toggle));
    if (!indicator?.visible)
        fail('no panel indicator while the stand-in reports 2 consumers');
    if (toggle._inUse.label.text !== 'In use by 2 apps')
        fail(`the menu says "${toggle._inUse.label.text}", not "In use by 2 apps"`);
    const items = toggle._backgroundItems;
    const thumbnails = items.filter(i => i.get_children().some(c => c.style_class === 'vbackcam-thumbnail'));
    const checks = items.map(checked);
    if (items.length !== BACKGROUNDS || thumbnails.length !== BACKGROUNDS || checks.indexOf(true) !== 0 ||
        checks.lastIndexOf(true) !== 0) {
        fail(`menu: ${items.length} backgrounds, ${thumbnails.length} with thumbnails, checked ${checks}; ` +
            `expected ${BACKGROUNDS}, all with thumbnails, the first checked`);
    }

    Main.panel.statusArea.quickSettings.menu.open();
    await Scripting.waitLeisure();
    await click(toggle._box.get_first_child());
    await until(() => `SetMode none at the service (calls: ${calls('SetMode')})`,
        () => calls('SetMode').includes('none'));
    await until(() => `subtitle "No effect" (it is "${toggle.subtitle}")`, () => toggle.subtitle === 'No effect');
    if (!checked(toggle._none) || items.some(checked))
        fail('"No effect" is not the only checked item in the menu');

    // The second background, picked in the toggle's menu by its thumbnail.
    toggle.menu.open();
    await Scripting.waitLeisure();
    const item = items[1];
    const name = item.get_children().find(c => c.style_class !== 'vbackcam-thumbnail' && c.text).text;
    await click(item.get_children().find(c => c.style_class === 'vbackcam-thumbnail'));
    await until(() => `SetBackground ${item.path} at the service (calls: ${calls('SetBackground')})`,
        () => calls('SetBackground').includes(item.path));
    await until(() => `subtitle "${name}" (it is "${toggle.subtitle}")`, () => toggle.subtitle === name);
    await until(() => `a check on "${name}" alone (${items.map(checked)})`,
        () => checked(item) && items.filter(checked).length === 1 && !checked(toggle._none));
    Main.panel.statusArea.quickSettings.menu.close();

    Main.extensionManager.disableExtension(UUID);
    await until(() => `the toggle to go (${toggles().length} left)`, () => toggles().length === 0);
    await until(() => `the extension to be inactive (state ${state()})`, () => state() === ExtensionState.INACTIVE);
}
