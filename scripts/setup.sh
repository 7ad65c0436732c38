#!/usr/bin/env bash
# Installs what is missing (Debian 12, idempotent, root or sudo), then configures and builds.
# Usage: scripts/setup.sh            (build dir: ./build, or $CR_BUILD_DIR)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CR_BUILD_DIR:-$here/build}"

# Everything a minimal Debian 12 (debootstrap/mmdebstrap minbase) lacks; .ci/run proves it
# on a fresh root. Qt6Charts' CMake package needs Qt6OpenGL (libqt6opengl6-dev), and Qt's
# GUI package looks for XKB (libxkbcommon-dev).
packages=(
    build-essential cmake ccache pkg-config clang-format
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev libqt6sql6-sqlite libqt6svg6-dev
    qt6-qpa-plugins libgl-dev libxkbcommon-dev
    postgresql-15 postgresql-client-15 libpq-dev libqt6sql6-psql qtkeychain-qt6-dev openssl libssl-dev
    nlohmann-json3-dev libsimdjson-dev libsqlite3-dev libbenchmark-dev
    sqlite3 poppler-utils xvfb xauth fonts-dejavu-core time
)

started=$SECONDS
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "setup: need root or sudo to install packages" >&2; exit 1; }
        sudo_cmd=(sudo)
    fi
    # The tests start their own throwaway PostgreSQL cluster (tests/pg); the package must not
    # create and start a system-wide one (it would outlive a chroot and hold port 5432).
    if printf '%s\n' "${missing[@]}" | grep -qx postgresql-15; then
        "${sudo_cmd[@]}" mkdir -p /etc/postgresql-common/createcluster.d
        echo "create_main_cluster = false" |
            "${sudo_cmd[@]}" tee /etc/postgresql-common/createcluster.d/crisis-review.conf >/dev/null
    fi
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq -o Acquire::Retries=3 >&2
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Acquire::Retries=3 \
        --no-install-recommends "${missing[@]}" >&2
fi
echo "setup: install took $((SECONDS - started)) s" >&2
started=$SECONDS

cmake_args=(-S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo)
command -v ccache >/dev/null && cmake_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake "${cmake_args[@]}" >&2
cmake --build "$build" -j"$(nproc)" >&2
echo "setup: build took $((SECONDS - started)) s" >&2
echo "$build"
