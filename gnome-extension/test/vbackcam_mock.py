'''python-dbusmock template: a stand-in for the vbackcam service (io.github.vbackcam, Control1).

Holds the properties the Quick Settings toggle reads and changes them as the real service does for SetBackground,
SetMode, SetBlur, Pause and Resume, with PropertiesChanged; a bad value is an InvalidArgs error quoting it.
Parameters (JSON, -p): "backgrounds" (absolute paths), "mode" (initial, default image), "consumers" (default 2).
'''

import os

import dbus

BUS_NAME = 'io.github.vbackcam'
MAIN_OBJ = '/io/github/vbackcam'
MAIN_IFACE = 'io.github.vbackcam.Control1'
SYSTEM_BUS = False

MODES = ('image', 'video', 'blur', 'color', 'none')


def invalid(message):
    return dbus.exceptions.DBusException(message, name='org.freedesktop.DBus.Error.InvalidArgs')


def load(mock, parameters):
    backgrounds = parameters.get('backgrounds', [])
    mock.last = {'image': f'image {backgrounds[0]}' if backgrounds else 'image', 'blur': 'blur 20',
                 'color': 'color #00b140', 'video': 'video', 'none': 'none'}
    mode = parameters.get('mode', 'image')
    mock.AddProperties(MAIN_IFACE, {
        'version': dbus.UInt32(1),
        'Version': 'mock',
        'Mode': mode,
        'Background': mock.last[mode],
        'Backgrounds': dbus.Array(backgrounds, signature='s'),
        'State': 'running',
        'StateDetail': '',
        'Consumers': dbus.UInt32(parameters.get('consumers', 2)),
    })


def effect(mock, mode, background):
    mock.last[mode] = background
    mock.UpdateProperties(MAIN_IFACE, {'Mode': mode, 'Background': background})


@dbus.service.method(MAIN_IFACE, in_signature='s', out_signature='')
def SetBackground(self, path):
    if not os.path.isabs(path) or not os.path.isfile(path):
        raise invalid(f'{path}: no such file')
    effect(self, 'image', f'image {path}')


@dbus.service.method(MAIN_IFACE, in_signature='u', out_signature='')
def SetBlur(self, radius):
    if not 1 <= radius <= 200:
        raise invalid(f'blur radius {radius}: must be 1 to 200')
    effect(self, 'blur', f'blur {radius}')


@dbus.service.method(MAIN_IFACE, in_signature='s', out_signature='')
def SetMode(self, mode):
    if mode not in MODES:
        raise invalid(f'unknown mode \'{mode}\': one of {", ".join(MODES)}')
    effect(self, str(mode), self.last[mode])


@dbus.service.method(MAIN_IFACE, in_signature='', out_signature='')
def Pause(self):
    self.UpdateProperties(MAIN_IFACE, {'State': 'paused'})


@dbus.service.method(MAIN_IFACE, in_signature='', out_signature='')
def Resume(self):
    self.UpdateProperties(MAIN_IFACE, {'State': 'running'})
