# Shared by scripts/demo and scripts/test (sourced, not run).

# Everything here talks to the kernel's audit subsystem: root is needed. Re-run under sudo,
# keeping PATH so that the caller's cargo is found.
need_root() {
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null || { echo "$0: run as root" >&2; exit 1; }
		exec sudo --preserve-env=PATH,CARGO_HOME,RUSTUP_HOME,CI env PATH="$PATH" "$0" "$@"
	fi
}

# Installs the Debian/Ubuntu packages given. CI always runs apt-get (fresh machine); elsewhere
# only when one is missing.
install_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	if [ "${CI:-}" = true ] || [ ${#missing[@]} -gt 0 ]; then
		echo "== apt-get install $*"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q && apt-get install -y -q --no-install-recommends "$@" </dev/null
	fi
}

need_rust() {
	if ! command -v cargo >/dev/null; then
		echo "$0: Rust is needed (1.85 or newer): https://rustup.rs" >&2
		exit 1
	fi
	# clippy and rustfmt come with rustup's default profile; add them if they were left out.
	if command -v rustup >/dev/null; then
		cargo clippy --version >/dev/null 2>&1 && cargo fmt --version >/dev/null 2>&1 ||
			rustup component add clippy rustfmt
	fi
}

# The machine-wide lock every test that changes kernel audit state holds (tests/common/mod.rs).
KERNEL_LOCK=/run/lock/libaudit-rs-kernel.lock
