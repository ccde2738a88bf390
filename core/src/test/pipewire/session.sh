# core/src/test/pipewire/session.sh: sourced by run, service, doctor and latency. Installs PipeWire and its tools if
# missing, and gives the caller a private user session: its own XDG_RUNTIME_DIR (mode 700), emptied of anything the
# caller's session had, and ended, with every process started in it, when the script exits; $work in it for logs. Then
# the helpers the checks share: fail/pass/await, a session bus, PipeWire and WirePlumber started and stopped, the
# node.

DEADLINE=${DEADLINE:-90}

pipewire_packages=(pipewire pipewire-bin wireplumber gstreamer1.0-pipewire gstreamer1.0-tools
    gstreamer1.0-plugins-base dbus jq)

# Installs what is missing (as root), or fails with one line naming it.
install_pipewire_tools() {
    local p missing=()
    for p in "${pipewire_packages[@]}"; do
        dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || { echo "pipewire test: missing ${missing[*]}; run as root to install them" >&2; exit 1; }
    echo "pipewire test: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 update >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=600 install "${missing[@]}" >/dev/null
}

# Sets XDG_RUNTIME_DIR to a fresh private directory, ended on exit with everything started in it.
private_session() {
    runtime=$(mktemp -d /tmp/vbackcam-pipewire.XXXXXX)
    chmod 700 "$runtime"
    trap end_private_session EXIT
    # Nothing of the caller's session may leak in: the test must see only the daemons it starts.
    unset PIPEWIRE_REMOTE PIPEWIRE_RUNTIME_DIR DBUS_SESSION_BUS_ADDRESS
    export XDG_RUNTIME_DIR=$runtime
    work=$runtime/work
    mkdir -p "$work"
}

# Tests stop what they start; should one fail midway, end the daemons left in this private session.
end_private_session() {
    local p
    for p in /proc/[0-9]*; do
        if grep -qzx "XDG_RUNTIME_DIR=$runtime" "$p/environ" 2>/dev/null; then kill "${p#/proc/}" 2>/dev/null || true; fi
    done
    rm -rf "$runtime"
}

# fail WHY: one line, then the tail of every log of the session; exits.
fail() {
    echo "FAIL: $*" >&2
    for f in "$work"/*.log; do echo "---- $f ----" >&2; tail -n 40 "$f" >&2; done
    exit 1
}
pass() { echo "ok: $*"; }

# await WHAT COMMAND...: polls COMMAND every 0.2 s until it succeeds, failing after $DEADLINE s (or when the
# service in $svc, if any, exits).
await() {
    local what=$1 end=$((SECONDS + DEADLINE))
    shift
    until "$@"; do
        [ $SECONDS -lt $end ] || fail "timed out after $DEADLINE s waiting for: $what"
        [ -z "${svc:-}" ] || kill -0 "$svc" 2>/dev/null || fail "the service exited while waiting for: $what"
        sleep 0.2
    done
}

# A session bus for the private session, in $bus and DBUS_SESSION_BUS_ADDRESS.
start_session_bus() {
    read -r bus _ < <(dbus-daemon --session --fork --print-address=1 --print-pid=1 | tr '\n' ' '; echo)
    export DBUS_SESSION_BUS_ADDRESS=$bus
}

wireplumber_linked() {
    pw-dump 2>/dev/null | jq -e 'any(.[]; .type == "PipeWire:Interface:Client"
        and .info.props["application.name"] == "WirePlumber")' >/dev/null
}
start_pipewire() {
    pipewire >>"$work/pipewire.log" 2>&1 &
    pw_pid=$!
    await "PipeWire's socket" test -S "$runtime/pipewire-0"
    wireplumber >>"$work/wireplumber.log" 2>&1 &
    wp_pid=$!
    await "WirePlumber connected to PipeWire" wireplumber_linked
}
stop_pipewire() {
    kill "$wp_pid" "$pw_pid"
    wait "$wp_pid" "$pw_pid" 2>/dev/null || true
    rm -f "$runtime/pipewire-0" "$runtime/pipewire-0.lock"
}

# The node vbackcam as pw-dump shows it (JSON), or nothing.
node() {
    pw-dump 2>/dev/null | jq -c 'first(.[] | select(.type == "PipeWire:Interface:Node"
        and .info.props["node.name"] == "vbackcam")) // empty'
}
node_listed() { [ -n "$(node)" ]; }
node_gone() { ! node_listed; }
