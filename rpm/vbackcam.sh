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
# TensorFlow's C++ start-up chatter (CUDA probing, CPU features) would drown our own log lines. Level 3 also hides
# its errors: on every start its CUDA build logs "Unable to register cuBLAS factory" (the plugin registered twice,
# harmless), and a real failure reaches us as an exception from the call that failed, which we log.
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-3}"
# OpenCV logs a failed decode (an animation it cannot read, an image it cannot open) at its ERROR level in a format of
# its own, and then returns nothing, which we report as one line naming the file. Fatal errors still print.
export OPENCV_LOG_LEVEL="${OPENCV_LOG_LEVEL:-FATAL}"
# OpenCV's core library links OpenBLAS, which at load starts a thread per core and sets up their buffers: about 95 ms
# of CPU at every start (perf, 2 cores), for nothing, as vbackcam makes no BLAS call. One thread skips that.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
# Java decodes file names with the locale's character set. Where that is not UTF-8 (no LANG at all, as in a minimal
# system, a container or `env -i`, is the POSIX locale's ASCII) a name such as "ünï.jpg" cannot even be named: render
# refused it as bad usage, a D-Bus SetBackground failed, and segment wrote no mask at all. File names on Linux
# desktops are UTF-8; C.UTF-8 is built into glibc (2.35+) and needs no language pack.
case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
    *[Uu][Tt][Ff]-8* | *[Uu][Tt][Ff]8*) ;;
    *) export LC_ALL=C.UTF-8 ;;
esac

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
opts=(--enable-native-access=ALL-UNNAMED)
[ "$(feature "$java")" -ge 23 ] && opts+=(--sun-misc-unsafe-memory-access=allow)
# No /tmp/hsperfdata_$USER: nothing here reads the JVM's performance counters.
opts+=(-XX:-UsePerfData)
# No attach socket in /tmp, and no look at start-up for one that an earlier JVM with the same PID left there: a
# HotSpot start stats /tmp/.java_pid<pid> and removes it if present, and PIDs wrap (at 32768 on the test machine),
# so a stale socket from a test JVM once showed up as an unexplained file access of `vbackcam run`. Attaching (jcmd,
# jstack, agents) would also let any process of the user load code into the service. kill -QUIT still prints a
# thread dump; -XX:-DisableAttachMechanism in VBACKCAM_JAVA_OPTS allows attaching again for debugging.
opts+=(-XX:+DisableAttachMechanism)
# The JIT compiles a method once it has run 4 times as often as by default. The frames' hot loops pass that within
# the first frames either way; what no longer gets compiled is code that only runs while starting (jar and class
# lookup, JSON and protobuf parsing, string handling): in a 600-frame `bench` the JIT's own CPU went from 1.46 s
# to 0.78 s (-XX:+CITime) and the CPU to the first frame from 1.5 s to 1.07 s. The first frames pay part of that
# back while their loops wait longer for C2: the bench's total fell 0.96x, not 0.71x (interleaved runs, medians;
# the README's thirteenth round).
opts+=(-XX:CompileThresholdScaling=4)
# The service's heap, capped (the JVM's default is a quarter of the RAM). Measured on `vbackcam run` at 1280x720,
# selfie, a 1080p H.264 video background, 45 s: 55 MB of heap in use (80 MB committed) with ONNX Runtime and 45 MB
# with TensorFlow; it ran as well under -Xmx128m. Frames, models and decoders live in native memory, which the
# unit's MemoryHigh=/MemoryMax= bound. 256 MB leaves 4x margin. render, segment and bench keep the default: an image
# of up to 64 megapixels is held in Java arrays at its own size there. A later -Xmx in VBACKCAM_JAVA_OPTS wins.
[ "${1:-}" = run ] && opts+=(-Xmx256m)
if [ -d "$natives" ]; then
    # DJL loads TensorFlow from TENSORFLOW_LIBRARY_PATH; JavaCPP (FFmpeg, OpenCV, OpenBLAS, TensorFlow's JNI) and
    # JNA find their libraries in the same folder. findLibraries=false: JavaCPP loads them from java.library.path by
    # their plain names (rpm/unpack-natives links those) instead of first looking for each, under twelve names, in
    # every jar and JDK module (a quarter of a start's CPU before the first frame, and the JIT compiling that search),
    # and no longer copies OpenBLAS under a second name into the cache (37 MB per home).
    opts+=(-DTENSORFLOW_LIBRARY_PATH="$natives" -Djava.library.path="$natives"
        -Dorg.bytedeco.javacpp.platform.preloadpath="$natives" -Dorg.bytedeco.javacpp.findLibraries=false
        -Djna.boot.library.path="$natives" -Donnxruntime.native.path="$natives")
    # What 0.1.0 unpacked into the home (1.1 GB of TensorFlow, JavaCPP and JNA libraries) and the copy of OpenBLAS
    # earlier versions kept there are no longer read.
    rm -rf "${cache}/djl" "${cache}/jna" "${cache}/javacpp"
fi

# Class-data sharing for the service and the benchmark (AppCDS): a start spent about a second of CPU loading,
# verifying and linking 3,500 classes from compressed jars, and spinning lambda classes with the JDK's ASM (hot
# enough that C2 compiled ASM itself). An archive of those classes, mapped at start, skips that. It is made per
# command from the classes a start that produced a frame loaded (-XX:DumpLoadedClassList; the composite stage's Blend
# class marks such a start), by a background `java -Xshare:dump` at the next start, and used from the start after.
# The JVM checks an archive against its own build and the jars' sizes and times and quietly ignores one that does not
# match; the file name carries the same facts, so an update makes a new archive rather than ignoring the old one.
# A static archive (not -XX:ArchiveClassesAtExit) is written by a process of its own into a temporary file, renamed
# when complete: a stop or a full disk never leaves a half archive, and a read-only cache only goes without.
# VBACKCAM_CDS=off starts without any of this. ~38 MB per command in $XDG_CACHE_HOME/vbackcam/cds.
class_data() {
    local cmd=$1 dir="${cache}/cds" jhome key list archive failed
    mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ] || return 0
    jhome=$(dirname "$(dirname "$(readlink -f "$java")")")
    key=$({ echo "$cmd ${opts[*]}"; stat -L -c '%n %s %Y' "$jhome/lib/modules" "$jhome"/lib/*/libjvm.so \
        "$lib"/*.jar; } 2>/dev/null | cksum | cut -d' ' -f1) || true # a file stat cannot see changes the key
    archive="$dir/$cmd-$key.jsa" list="$dir/$cmd-$key.classlist" failed="$dir/$cmd-$key.failed"
    if [ -s "$archive" ]; then
        opts+=(-XX:SharedArchiveFile="$archive" -Xlog:cds=off)
    elif [ -e "$failed" ]; then
        return 0 # this runtime could not dump these classes (dump.log says why): not tried at every start
    elif grep -qE '^io/github/vbackcam/core/composite/Blend( |$)' "$list" 2>/dev/null; then
        # A dump killed with its service leaves its lock and temporary file: they go after 10 minutes.
        find "$dir" -maxdepth 1 \( -name dumping -o -name '*.tmp.*' \) -mmin +10 -exec rm -rf {} + 2>/dev/null || true
        mkdir "$dir/dumping" 2>/dev/null || return 0
        # Twice in the background, so that the dump is not a child of the JVM this script becomes (which would
        # leave it a zombie); in the background of a script it ignores Ctrl-C, and it yields the CPU to all else.
        ( (
            set +e # the script's errexit would leave the lock behind on a failed dump
            tmp="$archive.tmp.$BASHPID"
            nice -n 19 "$java" "${opts[@]}" -Xshare:dump -XX:SharedClassListFile="$list" \
                -XX:SharedArchiveFile="$tmp" -cp "${lib}/*" >"$dir/dump.log" 2>&1
            status=$?
            if [ $status -eq 0 ] && [ -s "$tmp" ]; then
                mv -f "$tmp" "$archive"
                # What older runtimes, jars or options left for this command.
                find "$dir" -maxdepth 1 -name "$cmd-*" ! -name "$cmd-$key.*" -exec rm -f {} + 2>/dev/null
            elif [ $status -le 128 ]; then
                touch "$failed" # a failure, not a stop (a signal): a later start dumps again
            fi
            rm -rf "$tmp" "$dir/dumping"
        ) </dev/null >/dev/null 2>&1 & )
    else
        opts+=(-XX:DumpLoadedClassList="$list")
    fi
}
case "${1:-}" in
    run | bench) [ "${VBACKCAM_CDS:-auto}" = off ] || class_data "$1" ;;
esac

# shellcheck disable=SC2086 # VBACKCAM_JAVA_OPTS is a list of options
exec "$java" "${opts[@]}" ${VBACKCAM_JAVA_OPTS:-} \
    -cp "${lib}/*" \
    -Dai.djl.offline=true \
    -Dvbackcam.backgrounds="${backgrounds}" \
    -DDJL_CACHE_DIR="${cache}/djl" \
    -DENGINE_CACHE_DIR="${cache}/djl" \
    -Dorg.bytedeco.javacpp.cachedir="${cache}/javacpp" \
    -Djna.tmpdir="${cache}/jna" \
    io.github.vbackcam.service.Main "$@"
