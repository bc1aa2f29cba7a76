# Shared helpers for the setup scripts. Source it; do not run it.
say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# The per-user data directory the atcfix binary looks in when no flag or ATCFIX_INDEX /
# ATCFIX_MODEL names a file (see DefaultLocations in Sources/Corrector/Locations).
DATA_DIR="${ATCFIX_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/atcfix}"

# link_into_data_dir SOURCE RELATIVE: makes DATA_DIR/RELATIVE a symbolic link to SOURCE, so an
# installed binary finds what this checkout built or fetched. A real file or directory already
# there (the user's own) is left alone.
link_into_data_dir() {
    local source="$1" target="$DATA_DIR/$2"
    mkdir -p "$(dirname "$target")"
    if [ -e "$target" ] && [ ! -L "$target" ]; then
        say "$target exists and is not a link; leaving it (remove it to use $source)"
        return 0
    fi
    ln -sfn "$source" "$target"
    say "data directory: $target -> $source"
}
