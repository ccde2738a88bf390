# core/src/test/pipewire/session.sh: sourced by run and service. Installs PipeWire and its tools if missing, and
# gives the caller a private user session: its own XDG_RUNTIME_DIR (mode 700), emptied of anything the caller's
# session had, and ended, with every process started in it, when the script exits.

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
}

# Tests stop what they start; should one fail midway, end the daemons left in this private session.
end_private_session() {
    local p
    for p in /proc/[0-9]*; do
        if grep -qzx "XDG_RUNTIME_DIR=$runtime" "$p/environ" 2>/dev/null; then kill "${p#/proc/}" 2>/dev/null || true; fi
    done
    rm -rf "$runtime"
}
