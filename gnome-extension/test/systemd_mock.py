'''python-dbusmock template: systemd's user manager (org.freedesktop.systemd1) on the session bus, as far as the
toggle uses it: StartUnit("vbackcam.service") starts the vbackcam stand-in (test/vbackcam_mock.py) on the same bus,
as systemd would start the real unit. Parameters: "service" (the command line that stands in for the unit).
'''

import subprocess

import dbus

BUS_NAME = 'org.freedesktop.systemd1'
MAIN_OBJ = '/org/freedesktop/systemd1'
MAIN_IFACE = 'org.freedesktop.systemd1.Manager'
SYSTEM_BUS = False


def load(mock, parameters):
    mock.service = parameters['service']
    mock.started = []


@dbus.service.method(MAIN_IFACE, in_signature='ss', out_signature='o')
def StartUnit(self, name, mode):
    if name != 'vbackcam.service' or mode != 'replace':
        raise dbus.exceptions.DBusException(f'Unit {name} not found.',
                                            name='org.freedesktop.systemd1.NoSuchUnit')
    self.started.append(subprocess.Popen(self.service))  # pylint: disable=consider-using-with
    return dbus.ObjectPath(f'/org/freedesktop/systemd1/job/{len(self.started)}')
