# Shared by the editor test scripts (sourced, not run): installing missing
# Debian packages and finding the `copydesk` binary under test. The caller
# defines `log` (each script prefixes its own name) and `repository`.

# Installs those of the named Debian packages that are not installed yet;
# apt's output goes to the file in $apt_log (default /dev/null) and its last
# lines to stderr when it fails.
install_missing_debian_packages() {
  local package missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  [[ ${#missing[@]} -gt 0 ]] || return 0
  log "apt-get install ${missing[*]}"
  local output="${apt_log:-/dev/null}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" > "$output" 2>&1 || {
    [[ "$output" == /dev/null ]] || tail -20 "$output" >&2
    return 1
  }
}

# Sets `server` to the binary under test: $COPYDESK_BIN when given, else the
# workspace's build in the profile $COPYDESK_PROFILE (debug unless `release`),
# built first. Fails when the result is not an executable.
find_server_under_test() {
  if [[ -n "${COPYDESK_BIN:-}" ]]; then
    server="$COPYDESK_BIN"
  else
    local profile="${COPYDESK_PROFILE:-debug}" target_dir
    log "building copydesk ($profile)"
    if [[ "$profile" == release ]]; then
      (cd "$repository" && cargo build --quiet --release -p copydesk)
    else
      (cd "$repository" && cargo build --quiet -p copydesk)
    fi
    # Cargo knows where its target directory is (CARGO_TARGET_DIR, config).
    target_dir="$(cd "$repository" && cargo metadata --format-version 1 --no-deps \
      | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
    server="$target_dir/$profile/copydesk"
  fi
  [[ -x "$server" ]] || { log "no executable server at $server"; return 1; }
  log "server: $server"
}
