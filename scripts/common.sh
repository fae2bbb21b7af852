# Shared by scripts/run and scripts/test: install what is missing, build the web UI and the
# server. Sourced, not run. Every step is idempotent and skips what is already done.
set -euo pipefail

GREENLOOP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DEBIAN_FRONTEND=noninteractive

log() { printf '\033[1;32m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31mgreenloop:\033[0m %s\n' "$*" >&2; exit 2; }

BUILD_PACKAGES=(cmake ninja-build g++ pkg-config ccache libcpp-httplib-dev libssl-dev nlohmann-json3-dev libsqlite3-dev libpq-dev
  libspdlog-dev libfmt-dev libcli11-dev libsodium-dev libgtest-dev libgmock-dev libbenchmark-dev
  libminizip-dev libexpat1-dev libxlsxwriter-dev)
TEST_PACKAGES=(postgresql-15 chromium fonts-noto-cjk sqlite3 procps)

apt_updated=0
# Installs the Debian packages that are not installed yet (one apt-get call for all of them).
ensure_packages() {
  local missing=()
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  [ "$(id -u)" -eq 0 ] || die "missing packages ${missing[*]}; run as root or install them"
  log "installing ${missing[*]}"
  if [ "$apt_updated" -eq 0 ]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Node 20.19+ runs the web build (vite 7) and the browser and API tests.
ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    ensure_packages nodejs npm
  fi
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
    die "node $(node --version) is too old: the web build needs node 20.19 or newer"
}

ensure_npm_modules() {
  cd "$GREENLOOP_ROOT"
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    # `npm install` rather than `npm ci`: with this machine's npmrc (omit-lockfile-registry-resolved)
    # npm writes lock files without the other platforms' optional packages, which `npm ci` then
    # refuses as "out of sync". `npm install` follows the lock for everything it lists and leaves it
    # unchanged; package.json pins every direct dependency to an exact version.
    log "installing npm packages"
    npm install --no-audit --no-fund --loglevel=error
  fi
}

build_web() {
  cd "$GREENLOOP_ROOT"
  local stamp=web/dist/index.html
  if [ ! -f "$stamp" ] || [ -n "$(find web package-lock.json -newer "$stamp" -not -path 'web/dist*' -type f -print -quit)" ]; then
    log "building the web UI (vite)"
    npm run --silent build:web >/dev/null
  fi
}

# build_server DIR BUILD_TYPE [extra cmake args…] [-- targets…]
build_server() {
  local dir="$1" type="$2"
  shift 2
  local cmake_args=() targets=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do cmake_args+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  targets=("$@")
  cd "$GREENLOOP_ROOT"
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" ${cmake_args[@]+"${cmake_args[@]}"} >/dev/null
  log "building $dir ${targets[*]:-(all)}"
  cmake --build "$dir" -j "$(nproc)" ${targets[@]+--target "${targets[@]}"}
}
