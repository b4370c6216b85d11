#!/usr/bin/env bash
# The checks every change passes; the pre-commit hooks (.pre-commit-config.yaml) call this same
# script, one check each. Installs nothing (`scripts/setup.sh --lint-tools` does), takes seconds,
# prints every finding as FILE:LINE: WHAT and exits 1 when there is one.
#
#   scripts/lint.sh                    every check over the clone's files (tracked, or new and not ignored)
#   scripts/lint.sh CHECK [FILE...]    one check over the given files (what a pre-commit hook runs)
#   scripts/lint.sh --fix              reformats the C++ files with clang-format-14 first
#   scripts/lint.sh --list             the checks
#
# Checks: format (clang-format-14 and the root .clang-format), shellcheck, yaml (parses, no
# repeated key), whitespace (no trailing blanks, a final newline), no-build-output (no build
# folder, object, library, package or database file committed), plugin-boundary (no file under
# plugins/ or examples/ includes a header of host/src).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly CHECKS=(format shellcheck yaml whitespace no-build-output plugin-boundary)
readonly CLANG_FORMAT=clang-format-14
# Debian's python3-yaml serves Debian's interpreter, whatever python3 comes first on PATH.
readonly PYTHON=/usr/bin/python3

findings=0
finding() {
    printf '%s\n' "$*"
    findings=$((findings + 1))
}

need() {
    if ! command -v "$1" >/dev/null; then
        printf 'lint: %s is not installed; run scripts/setup.sh --lint-tools\n' "$1" >&2
        exit 2
    fi
}

# ---- which check looks at which file -----------------------------------------------------------
is_cpp() { [[ $1 =~ \.(cpp|hpp|h|cc)$ ]]; }
is_yaml() { [[ $1 =~ \.(yaml|yml)$ || $(basename "$1") == .clang-format ]]; }
is_shell() {
    [[ $1 == *.sh ]] && return 0
    local name=${1##*/}
    [[ $name == *.* ]] && return 1 # a first line is read only from files without a suffix
    local first
    IFS= read -r first <"$1" 2>/dev/null || return 1
    [[ $first =~ ^\#!.*[/\ ](ba|da)?sh([[:space:]]|$) ]]
}
is_file() { true; }
# Fuzz inputs are bytes as written or as a fuzzer found them: a final newline would change them.
is_text() { [[ $1 != *tests/fuzz/corpus/* ]]; }

select_files() {
    local test=$1 file
    shift
    for file in "$@"; do
        [[ -f $file ]] && "$test" "$file" && printf '%s\0' "$file"
    done
    return 0
}

# ---- the checks: each takes file names, prints findings ----------------------------------------
check_format() {
    local files=()
    mapfile -d '' files < <(select_files is_cpp "$@")
    ((${#files[@]})) || return 0
    need "$CLANG_FORMAT"
    local out
    # --dry-run -Werror prints each place that differs as file:line:col: error: …
    if ! out=$("$CLANG_FORMAT" --dry-run -Werror --style=file "${files[@]}" 2>&1); then
        # One finding per file, at its first difference.
        local -A reported=()
        while IFS= read -r line; do
            [[ $line =~ ^([^:]+):([0-9]+):[0-9]+:\ error: ]] || continue
            [[ -n ${reported[${BASH_REMATCH[1]}]:-} ]] && continue
            reported[${BASH_REMATCH[1]}]=1
            finding "${BASH_REMATCH[1]}:${BASH_REMATCH[2]}: not formatted (clang-format-14 -i ${BASH_REMATCH[1]})"
        done <<<"$out"
        # Anything else (an unreadable .clang-format) is a finding too, whole.
        grep -q ': error:' <<<"$out" || finding "clang-format: $out"
    fi
}

check_shellcheck() {
    local files=()
    mapfile -d '' files < <(select_files is_shell "$@")
    ((${#files[@]})) || return 0
    need shellcheck
    local line
    while IFS= read -r line; do
        finding "$line"
    done < <(shellcheck --format=gcc --external-sources "${files[@]}" || true)
}

check_yaml() {
    local files=()
    mapfile -d '' files < <(select_files is_yaml "$@")
    ((${#files[@]})) || return 0
    if ! "$PYTHON" -c 'import yaml' 2>/dev/null; then
        printf 'lint: %s cannot import yaml (python3-yaml); run scripts/setup.sh --lint-tools\n' "$PYTHON" >&2
        exit 2
    fi
    local line
    while IFS= read -r line; do
        finding "$line"
    done < <("$PYTHON" - "${files[@]}" <<'EOF'
import sys
import yaml

class UniqueKeyLoader(yaml.SafeLoader):
    """Refuses a key repeated in one mapping, as the host's config loader does."""
    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *anchor` merges keys that this mapping may override
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"repeated key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)

for path in sys.argv[1:]:
    try:
        with open(path, encoding="utf-8") as stream:
            list(yaml.load_all(stream, Loader=UniqueKeyLoader))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        what = " ".join(str(getattr(error, "problem", None) or error).split())
        print(f"{path}:{line}: YAML: {what}")
EOF
    )
}

check_whitespace() {
    local files=()
    mapfile -d '' files < <(select_files is_text "$@")
    ((${#files[@]})) || return 0
    local line
    # One perl for every file (a process per file took seconds); binary files (a NUL byte) skipped.
    while IFS= read -r line; do
        finding "$line"
    done < <(perl -e '
        for my $path (@ARGV) {
            open(my $in, "<:raw", $path) or next;
            my $text = do { local $/; <$in> };
            next if $text eq "" || $text =~ /\0/;
            my $number = 0;
            for my $line (split /\n/, $text, -1) {
                $number++;
                print "$path:$number: trailing whitespace\n" if $line =~ /[ \t\r]$/;
            }
            my $lines = ($text =~ tr/\n//);
            if ($text !~ /\n\z/) { print "$path:", $lines + 1, ": no newline at the end of the file\n"; }
            elsif ($text =~ /\n[ \t\r]*\n\z/) { print "$path:$lines: blank lines at the end of the file\n"; }
        }' "${files[@]}")
}

# What a build, a test run or a package leaves behind: .gitignore keeps most of it out of
# `git add .`; this also catches `git add -f` and outputs outside the ignored folders.
check_no_build_output() {
    local file
    for file in "$@"; do
        case /$file in
            */build/* | */build-*/* | */CMakeFiles/* | */Testing/* | */var/* | */_CPack_Packages/*)
                finding "$file:1: build output (build folders are never committed)" ;;
            */CMakeCache.txt | */CTestTestfile.cmake | */cmake_install.cmake | */compile_commands.json)
                finding "$file:1: build output (generated by CMake)" ;;
            *.o | *.a | *.so | *.so.* | *.deb | *.gcda | *.gcno | */core | */core.[0-9]*)
                finding "$file:1: build output (a compiled or packaged file)" ;;
            *.sqlite3 | *.sqlite3-wal | *.sqlite3-shm | *.sqlite3-journal | *.sqlite | *.db)
                finding "$file:1: a database file (tests make their own in a temporary folder)" ;;
        esac
    done
}

# A plugin compiles against the SDK (host/include) and the libraries beside it in plugins/, never
# against the daemon's own headers. The build checks the targets (cmake/MicroOrderBoundaries.cmake);
# this catches an include that names a host/src header by a path of its own.
check_plugin_boundary() {
    local file line include number
    for file in "$@"; do
        [[ $file =~ ^(plugins|examples)/.*\.(cpp|hpp|h|cc)$ && -f $file ]] || continue
        while IFS= read -r line; do
            number=${line%%:*}
            [[ $line =~ \#[[:space:]]*include[[:space:]]*[\"\<]([^\"\>]+)[\"\>] ]] || continue
            include=${BASH_REMATCH[1]}
            if [[ $include == *host/src/* ]]; then
                finding "$file:$number: includes $include: plugins use the SDK (<micro_order/...>), never host/src"
            elif [[ -f host/src/$include && ! -f $(dirname "$file")/$include && ! -f plugins/$include ]]; then
                finding "$file:$number: includes $include, a header of host/src: plugins use the SDK (<micro_order/...>)"
            fi
        done < <(grep -n '^[[:space:]]*#[[:space:]]*include' "$file" || true)
    done
}

# The hooks of .pre-commit-config.yaml are exactly these checks, each calling this script.
check_hooks_match() {
    local hooks
    hooks=$("$PYTHON" - <<'EOF'
import yaml
with open(".pre-commit-config.yaml", encoding="utf-8") as stream:
    config = yaml.safe_load(stream)
for repo in config["repos"]:
    for hook in repo["hooks"]:
        print(hook["id"], repo["repo"], hook.get("language"), hook["entry"])
EOF
    )
    local expected='' check
    for check in "${CHECKS[@]}"; do
        expected+="$check local system scripts/lint.sh $check"$'\n'
    done
    if [[ $(sort <<<"$hooks") != $(sort <<<"${expected%$'\n'}") ]]; then
        finding ".pre-commit-config.yaml:1: its hooks must be the local (language: system) hooks" \
            "'scripts/lint.sh CHECK', one per check: ${CHECKS[*]}"
    fi
}

run_check() {
    local check=$1
    shift
    case $check in
        format) check_format "$@" ;;
        shellcheck) check_shellcheck "$@" ;;
        yaml) check_yaml "$@" ;;
        whitespace) check_whitespace "$@" ;;
        no-build-output) check_no_build_output "$@" ;;
        plugin-boundary) check_plugin_boundary "$@" ;;
        *)
            printf 'lint: unknown check %s (scripts/lint.sh --list)\n' "$check" >&2
            exit 2
            ;;
    esac
}

main() {
    local fix=false
    case ${1:-} in
        -h | --help)
            sed -n '2,14s/^# \{0,1\}//p' "$0"
            exit 0
            ;;
        --list)
            printf '%s\n' "${CHECKS[@]}"
            exit 0
            ;;
        --fix)
            fix=true
            shift
            ;;
        '') ;;
        -*)
            printf 'lint: unknown option %s\n' "$1" >&2
            exit 2
            ;;
        *)
            local check=$1
            shift
            run_check "$check" "$@"
            exit $((findings > 0))
            ;;
    esac

    local files=()
    mapfile -d '' files < <(git ls-files -z --cached --others --exclude-standard | sort -zu)
    if $fix; then
        need "$CLANG_FORMAT"
        local cpp=()
        mapfile -d '' cpp < <(select_files is_cpp "${files[@]}")
        ((${#cpp[@]} == 0)) || "$CLANG_FORMAT" -i --style=file "${cpp[@]}"
    fi
    local check
    for check in "${CHECKS[@]}"; do
        run_check "$check" "${files[@]}"
    done
    check_hooks_match
    if ((findings > 0)); then
        printf 'lint: %d finding(s)\n' "$findings" >&2
        exit 1
    fi
    printf 'lint: %d files, no finding (%s)\n' "${#files[@]}" "${CHECKS[*]}"
}

main "$@"
