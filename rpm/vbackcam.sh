#!/bin/bash
# /usr/bin/vbackcam: start the vbackcam Java program installed under @VBACKCAM_HOME@, with the native libraries
# that the package unpacked once under @VBACKCAM_NATIVES@ (rpm/unpack-natives).
#
# Environment:
#   VBACKCAM_HOME         where lib/ and backgrounds/ are (default @VBACKCAM_HOME@); tests point it at an
#                         unpacked package
#   VBACKCAM_NATIVES      the unpacked native libraries (default @VBACKCAM_NATIVES@); where the folder does not
#                         exist (a developer checkout) the libraries' own loaders unpack them from the jars into
#                         $XDG_CACHE_HOME/vbackcam instead
#   VBACKCAM_LIB          the jars (default $VBACKCAM_HOME/lib); VBACKCAM_BACKGROUNDS likewise
#   JAVA_HOME             use $JAVA_HOME/bin/java (Java 17 or newer) instead of the java found on PATH
#   VBACKCAM_JAVA_OPTS    extra JVM options, split on spaces
#   XDG_CACHE_HOME        converted models and the remaining native-library caches go to $XDG_CACHE_HOME/vbackcam
#                         (default ~/.cache/vbackcam)
#   VBACKCAM_CDS          0: neither use nor make the class-data archive of $XDG_CACHE_HOME/vbackcam/cds
set -euo pipefail
home="${VBACKCAM_HOME:-@VBACKCAM_HOME@}"
natives="${VBACKCAM_NATIVES:-@VBACKCAM_NATIVES@}"
lib="${VBACKCAM_LIB:-$home/lib}"
backgrounds="${VBACKCAM_BACKGROUNDS:-$home/backgrounds}"
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

# The runtime's feature version (17, 21, 25): from its release file, or from -version where a runtime has none.
feature() {
    local v release
    release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
    if [ -r "$release" ]; then
        v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
    fi
    [ -n "${v:-}" ] || v=$("$1" -version 2>&1 | sed -n '1s/^[^"]*"\([0-9]*\).*/\1/p')
    echo "${v:-0}"
}

# Java 17 knows --enable-native-access (JEP 412); from Java 24 a JNI load without it prints a warning (JEP 472),
# and JavaCPP, JNA and DJL all load JNI libraries. --sun-misc-unsafe-memory-access exists from Java 23 only: it
# silences the warning that protobuf's use of sun.misc.Unsafe prints from Java 24 (JEP 498).
version=$(feature "$java")
opts=(--enable-native-access=ALL-UNNAMED)
[ "$version" -ge 23 ] && opts+=(--sun-misc-unsafe-memory-access=allow)
# No /tmp/hsperfdata_$USER: nothing here reads the JVM's performance counters.
opts+=(-XX:-UsePerfData)
# The service's heap, capped (the JVM's default is a quarter of the RAM). Measured on `vbackcam run` at 1280x720,
# selfie, a 1080p H.264 video background, 45 s: 55 MB of heap in use (80 MB committed) with ONNX Runtime and 45 MB
# with TensorFlow; it ran as well under -Xmx128m. Frames, models and decoders live in native memory, which the
# unit's MemoryHigh=/MemoryMax= bound. 256 MB leaves 4x margin. render, segment and bench keep the default: an image
# of up to 64 megapixels is held in Java arrays at its own size there. A later -Xmx in VBACKCAM_JAVA_OPTS wins.
[ "${1:-}" = run ] && opts+=(-Xmx256m)
if [ -d "$natives" ]; then
    # DJL loads TensorFlow from TENSORFLOW_LIBRARY_PATH; JavaCPP (FFmpeg, OpenCV, OpenBLAS) and JNA find their
    # libraries in the same folder. JavaCPP still copies OpenBLAS once under a second name into its cache (37 MB):
    # its preset renames that library at load time and has no switch to skip it.
    opts+=(-DTENSORFLOW_LIBRARY_PATH="$natives" -Djava.library.path="$natives"
        -Dorg.bytedeco.javacpp.platform.preloadpath="$natives" -Djna.boot.library.path="$natives"
        -Donnxruntime.native.path="$natives")
    # What 0.1.0 unpacked into the home (1.1 GB of TensorFlow, JavaCPP and JNA libraries) is no longer read.
    rm -rf "${cache}/djl" "${cache}/jna" "${cache}"/javacpp/*.jar
fi

# shellcheck disable=SC2206 # VBACKCAM_JAVA_OPTS is a list of options
opts+=(${VBACKCAM_JAVA_OPTS:-} -cp "${lib}/*" -Dai.djl.offline=true -Dvbackcam.backgrounds="${backgrounds}"
    -DDJL_CACHE_DIR="${cache}/djl" -DENGINE_CACHE_DIR="${cache}/djl"
    -Dorg.bytedeco.javacpp.cachedir="${cache}/javacpp" -Djna.tmpdir="${cache}/jna")

# Class-data sharing: an archive of the classes a start loads saves about a second of CPU per start. It is used only
# when one was made and checked for exactly this runtime, these options and these jars: its name holds a hash of
# java's path and the options (the jars' folder among them; run's heap bound gives it an archive of its own, as
# Java 25 refuses an archive made with compressed pointers, with error lines, where the default heap of a quarter of
# the RAM is too large for them), a hash of libjvm.so's and the jars' paths, sizes and mtimes (the JVM checks the
# jars too, with a warning on a mismatch), and its size, so that a truncated file is never mapped (the JVM dies of
# SIGBUS on one). With none, this start goes on without and one background dump (cds_dump) makes it.
# Up to Java 24 it is a dynamic archive on top of the runtime's base archive (JDK 17's -XX:ArchiveClassesAtExit);
# from Java 25 an AOT cache (JEP 483/514), which needs no base archive, and where the dynamic archive fails anyway:
# the base archive was made without --enable-native-access, and Java 25 then refuses the archive with an error line.
cds="${cache}/cds"
if [ "$version" -ge 25 ]; then
    cds_use=-XX:AOTCache cds_make=-XX:AOTCacheOutput cds_on=-XX:AOTMode=on
else
    cds_use=-XX:SharedArchiveFile cds_make=-XX:ArchiveClassesAtExit cds_on=-Xshare:on
fi
# cds_dump: run in the background, detached from the service's output (its log: cds/dump.log), one at a time per
# cache (a lock that ends with its holder), nice'd. A short workload of the same JVM, options and jars, a render of
# the bundled sample (the engine, ONNX Runtime, the model, OpenCV, FFmpeg's Y4M writer), writes the archive at its
# exit; a JVM that must map it (-Xshare:on) checks it before it is renamed into place. A dump killed midway leaves a
# .tmp that the next one removes; a dump that fails otherwise marks the key .failed, so that a runtime that cannot
# make archives does not try at every start. On success, the archives made for an older runtime or older jars with
# the same java and options go.
cds_dump() {
    exec 9>>"$cds/lock" && flock -n 9 || return 0
    exec <"$cds/lock" >"$cds/dump.log" 2>&1
    rm -f "$cds"/*.tmp "$cds"/*.tmp.config "$cds/training.y4m"
    local tmp="$cds/$key.tmp" rc=0 check=
    nice -n 10 "$java" "${opts[@]}" "$cds_make=$tmp" io.github.vbackcam.service.Main \
        render --output "$cds/training.y4m" || rc=$?
    # Killed (a stop of the service's unit takes its dump along): the next start tries again.
    [ $rc -lt 128 ] || return 0
    # It must map (-Xshare:on fails where it cannot), and where it is used (-Xshare:auto) print no warning.
    if [ $rc -eq 0 ] && "$java" "${opts[@]}" "$cds_use=$tmp" "$cds_on" -version &&
        check=$("$java" "${opts[@]}" "$cds_use=$tmp" -version 2>&1) &&
        ! grep -E '^WARNING|\[(warning|error) *\]' <<<"$check"; then
        rm -f "$cds/${key%%-*}"-*.jsa
        mv -f "$tmp" "$cds/$key-$(stat -c %s "$tmp").jsa"
    else
        echo "vbackcam: no class-data archive for this runtime (training exit status $rc)"
        : >"$cds/$key.failed"
    fi
    rm -f "$tmp" "$cds/training.y4m"
}
if [ "${VBACKCAM_CDS:-1}" != 0 ]; then
    jvm=$(dirname "$(readlink -f "$java")")/../lib/server/libjvm.so
    [ -f "$jvm" ] && key=$(md5sum <<<"$java ${opts[*]}" | cut -c1-12)-$(stat -L -c '%n %s %Y' "$jvm" "$lib"/*.jar |
        md5sum | cut -c1-16) || key=
    base=("${jvm%/*}"/classes*.jsa)
    archive=
    for f in "$cds/$key"-*.jsa; do
        size=${f##*-}
        [ -f "$f" ] && [ "$(stat -c %s "$f")" = "${size%.jsa}" ] && archive=$f
    done
    if [ -n "$archive" ]; then
        opts+=("$cds_use=$archive")
    elif [ -n "$key" ] && { [ "$version" -ge 25 ] || [ -f "${base[0]}" ]; } && [ ! -e "$cds/$key.failed" ] &&
        mkdir -p "$cds" 2>&- && [ -w "$cds" ]; then
        # Only a runtime with a base archive can make a dynamic one on top of it. Double fork: the dump is no child
        # of the JVM this script becomes. Its standard streams are closed here and then opened on its own files
        # (no /dev/null, which the SELinux policy would have to allow).
        (cds_dump <&- >&- 2>&- &)
    fi
fi

exec "$java" "${opts[@]}" io.github.vbackcam.service.Main "$@"
