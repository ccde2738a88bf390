#!/bin/bash
# /usr/bin/vbackcam: start the vbackcam Java program installed under @VBACKCAM_HOME@.
#
# Environment:
#   VBACKCAM_HOME       where lib/ and backgrounds/ are (default @VBACKCAM_HOME@); tests point it at an
#                       unpacked package
#   JAVA_HOME           use $JAVA_HOME/bin/java (Java 17 or newer) instead of the java found on PATH
#   VBACKCAM_JAVA_OPTS  extra JVM options, split on spaces
#   XDG_CACHE_HOME      native libraries the JVM unpacks (TensorFlow, FFmpeg/OpenCV, JNA) go to
#                       $XDG_CACHE_HOME/vbackcam (default ~/.cache/vbackcam), the one place the SELinux policy
#                       lets the service map code from
home="${VBACKCAM_HOME:-@VBACKCAM_HOME@}"
if [ -n "${JAVA_HOME:-}" ] && [ -x "${JAVA_HOME}/bin/java" ]; then
    java="${JAVA_HOME}/bin/java"
else
    java=$(command -v java) || {
        echo "vbackcam: no java found: install a Java 17+ runtime or set JAVA_HOME" >&2
        exit 127
    }
fi
cache="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/vbackcam"
# TensorFlow's C++ start-up chatter (CUDA probing, CPU features) would drown our own log lines.
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"

# shellcheck disable=SC2086 # VBACKCAM_JAVA_OPTS is a list of options
exec "$java" ${VBACKCAM_JAVA_OPTS:-} \
    -cp "${home}/lib/*" \
    -Dai.djl.offline=true \
    -Dvbackcam.backgrounds="${home}/backgrounds" \
    -DDJL_CACHE_DIR="${cache}/djl" \
    -DENGINE_CACHE_DIR="${cache}/djl" \
    -Dorg.bytedeco.javacpp.cachedir="${cache}/javacpp" \
    -Djna.tmpdir="${cache}/jna" \
    io.github.vbackcam.service.Main "$@"
