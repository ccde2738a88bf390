#!/bin/bash
# /usr/bin/vbackcamctl: the D-Bus client of the running vbackcam service, same as `vbackcam ctl`.
exec "${0%/*}/vbackcam" ctl "$@"
