#!/usr/bin/env bash
# bazel-check: build examples/bazel with a real Bazel and rules_go, offline,
# and check that the skeleton Bazel generated is byte-identical to the one
# bpfskel writes outside Bazel. Opt-in ("make bazel-check"): a cold run takes
# minutes (Bazel compiles the Go standard library) and about 1 GB of disk.
#
# What it uses, all from the package registries reachable here:
#   - Debian's bazel-bootstrap (Bazel 4.2.3), bazel-skylib, bazel-rules-java;
#   - rules_go v0.34.0 (the last release that accepts Bazel 4.2), fetched as a
#     Go module from the module proxy into the cache directory, never into the
#     repository, and adapted there for Go >= 1.20 by the edits in
#     prepare_rules_go below;
#   - the Go SDK on PATH (go_register_toolchains(version = "host"));
#   - bpfskel's own packages and their dependencies, laid out as Bazel
#     repositories named the way Gazelle's go_repository names them, from
#     "go list -deps" (a small stand-in for "gazelle update-repos", which
#     cannot fetch anything here).
# The example's WORKSPACE is the one a real repository uses; this script only
# replaces its external repositories with local ones (--override_repository).
#
# Everything Bazel writes goes under $BPFSKEL_BAZEL_CACHE (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/bpfskel/bazel-check); nothing is written
# into the checkout. "scripts/bazel-check.sh clean" removes that directory.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
example=$root/examples/bazel
cache=${BPFSKEL_BAZEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bpfskel/bazel-check}
rules_go_version=v0.34.0
go=${GO:-go}

step() { printf '\n=== %s\n' "$*"; }
die() { echo "bazel-check: $*" >&2; exit 1; }

if [[ ${1:-} == clean ]]; then
	if [[ -d $cache/output_base ]]; then
		bazel --output_user_root="$cache/user_root" --output_base="$cache/output_base" shutdown 2>/dev/null || true
		chmod -R u+w "$cache" 2>/dev/null || true
	fi
	rm -rf "$cache"
	exit 0
fi

case $cache in
"$root" | "$root"/*) die "BPFSKEL_BAZEL_CACHE ($cache) must be outside the checkout ($root)" ;;
esac
mkdir -p "$cache"

# --- install ---------------------------------------------------------------

install_bazel() {
	if command -v bazel >/dev/null &&
		[[ -f /usr/share/bazel/tools/skylib/WORKSPACE && -f /usr/share/bazel/rules/java/WORKSPACE ]]; then
		return
	fi
	step "apt-get install bazel-bootstrap bazel-skylib bazel-rules-java"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq bazel-bootstrap bazel-skylib bazel-rules-java >/dev/null
}

# --- rules_go ----------------------------------------------------------------

# prepare_rules_go copies rules_go from the Go module cache into
# $cache/rules_go and adapts it to Go >= 1.20. Each edit is checked: if one
# stops matching, the script fails instead of building with a half-adapted
# copy. (The edits are literal text: nothing in them is meant to expand.)
# shellcheck disable=SC2016
prepare_rules_go() {
	local dst=$cache/rules_go stamp
	stamp="rules_go $rules_go_version $(sha256sum "$0" | cut -c1-16)"
	if [[ -f $dst/.bpfskel-stamp && $(cat "$dst/.bpfskel-stamp") == "$stamp" ]]; then
		return
	fi
	step "fetch rules_go $rules_go_version from the Go module proxy"
	local src
	# Run outside the checkout so the download cannot touch go.mod or go.sum.
	src=$(cd "$cache" && GOFLAGS=-mod=mod GO111MODULE=on "$go" mod download -json \
		"github.com/bazelbuild/rules_go@$rules_go_version" |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
	[[ -d $src ]] || die "go mod download did not report a directory for rules_go"
	rm -rf "$dst"
	cp -r "$src" "$dst"
	chmod -R u+w "$dst"

	# edit replaces the fixed string $2 with $3 in file $1 and fails when $2
	# is not there.
	edit() {
		local f=$dst/$1
		grep -qF -- "$2" "$f" || die "rules_go edit no longer applies: $1: $2"
		OLD=$2 NEW=$3 perl -0pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/g' "$f"
	}

	# 1. Go 1.20 stopped shipping precompiled standard-library archives in
	#    $GOROOT/pkg, so always build the standard library from source.
	edit go/private/actions/stdlib.bzl \
		'    return (go.mode.goos == go.sdk.goos and' \
		'    return False and (go.mode.goos == go.sdk.goos and'

	#    The SDK's (now empty) list of precompiled archives must be allowed
	#    to be empty.
	edit go/private/rules/sdk.bzl \
		'        "libs": attr.label_list(
            allow_files = [".a"],' \
		'        "libs": attr.label_list(
            allow_files = True,'

	#    The builder (rules_go's own tool) was compiled with "go tool
	#    compile" against those archives: build it with "go build" instead,
	#    which compiles the standard library packages it needs from source
	#    in a throwaway cache.
	edit go/private/rules/binary.bzl \
		'        cmd = "{go} tool compile -o {cout} -trimpath=$PWD {srcs}".format(' \
		'        cmd = "export GOROOT=$PWD/$GOROOT GOCACHE=$(mktemp -d) GOPATH= GO111MODULE=off GOTOOLCHAIN=local GOFLAGS= CGO_ENABLED=0 && {go} build -trimpath -o {cout} {srcs}; rc=$?; rm -rf $GOCACHE; exit $rc".format('
	edit go/private/rules/binary.bzl \
		'            inputs = sdk.libs + sdk.headers + sdk.tools + ctx.files.srcs + [sdk.go],' \
		'            inputs = sdk.libs + sdk.headers + sdk.tools + sdk.srcs + ctx.files.srcs + [sdk.go],'
	edit go/private/rules/binary.bzl \
		'    largs = ctx.actions.args()
    largs.add_all(["tool", "link"])
    largs.add("-o", out)
    largs.add(cout)
    ctx.actions.run(
        executable = sdk.go,
        arguments = [largs],' \
		'    largs = ctx.actions.args()
    largs.add(cout)
    largs.add(out)
    ctx.actions.run_shell(
        command = "cp \"$1\" \"$2\"",
        arguments = [largs],'

	# 2. ... and since Go 1.20 "go install std" only writes archives into
	#    GOROOT when asked to.
	edit go/tools/builders/stdlib.go \
		'	os.Setenv("GO111MODULE", "off")' \
		'	os.Setenv("GO111MODULE", "off")
	os.Setenv("GODEBUG", "installgoroot=all")'

	# 3. Since Go 1.22 the compiler no longer fills in the package path of
	#    assembly symbols ("".Syscall), so "asm -gensymabis" must be told
	#    it with -p, as the assembly itself already is; without it, packages
	#    with assembly (golang.org/x/sys/unix) do not link.
	edit go/tools/builders/asm.go \
		'func buildSymabisFile(goenv *env, sFiles, hFiles []fileInfo, asmhdr string) (string, error) {' \
		'func buildSymabisFile(goenv *env, sFiles, hFiles []fileInfo, asmhdr, packagePath string) (string, error) {'
	edit go/tools/builders/asm.go \
		'	asmargs = append(asmargs, "-gensymabis", "-o", symabisName, "--")' \
		'	if packagePath != "" {
		asmargs = append(asmargs, "-p", packagePath)
	}
	asmargs = append(asmargs, "-gensymabis", "-o", symabisName, "--")'
	edit go/tools/builders/compile.go \
		'buildSymabisFile(goenv, sFiles, hFiles, *asmhdr)' \
		'buildSymabisFile(goenv, sFiles, hFiles, *asmhdr, *packagePath)'
	edit go/tools/builders/compilepkg.go \
		'buildSymabisFile(goenv, srcs.sSrcs, srcs.hSrcs, asmHdrPath)' \
		'buildSymabisFile(goenv, srcs.sSrcs, srcs.hSrcs, asmHdrPath, packagePath)'

	# 4. The SDK no longer ships the "pack" tool: append archive members with
	#    a small function of ours instead of "go tool pack r".
	edit go/tools/builders/pack.go \
		'	args := goenv.goTool("pack", "r", archive)
	args = append(args, files...)
	return goenv.runCommand(args)' \
		'	return bpfskelAppendFiles(archive, files)'
	edit go/tools/builders/BUILD.bazel \
		'        "pack.go",' \
		'        "pack.go",
        "bpfskel_pack.go",'
	cat >"$dst/go/tools/builders/bpfskel_pack.go" <<'EOF'
// Written by bpfskel's scripts/bazel-check.sh: Go 1.20+ has no "pack" tool.

package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// bpfskelAppendFiles appends each file to the Unix ar archive at path as a
// member named after the file's base name (at most 16 bytes), with zero
// time, owner and group, as "go tool pack r" did.
func bpfskelAppendFiles(path string, files []string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	magic := make([]byte, len(arHeader))
	if _, err := io.ReadFull(f, magic); err != nil || string(magic) != arHeader {
		return fmt.Errorf("%s: not an archive", path)
	}
	end, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	if end%2 == 1 {
		if _, err := f.Write([]byte{'\n'}); err != nil {
			return err
		}
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		base := filepath.Base(name)
		if len(base) > 16 {
			base = base[:16]
		}
		hdr := fmt.Sprintf("%-16s%-12d%-6d%-6d%-8o%-10d`\n", base, 0, 0, 0, 0644, len(data))
		if _, err := io.WriteString(f, hdr); err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			return err
		}
		if len(data)%2 == 1 {
			if _, err := f.Write([]byte{'\n'}); err != nil {
				return err
			}
		}
	}
	return f.Close()
}
EOF
	echo "$stamp" >"$dst/.bpfskel-stamp"
}

# --- stub repositories ---------------------------------------------------------

# Bazel 4.2 refers to @rules_cc and @remote_coverage_tools, which it would
# download; nothing here compiles C++ or collects coverage, so empty local
# repositories are enough.
prepare_stubs() {
	local s=$cache/stubs
	mkdir -p "$s/rules_cc" "$s/remote_coverage_tools"
	echo 'workspace(name = "rules_cc")' >"$s/rules_cc/WORKSPACE"
	: >"$s/rules_cc/BUILD.bazel"
	mkdir -p "$s/rules_cc/cc"
	cat >"$s/rules_cc/cc/BUILD.bazel" <<'EOF'
alias(
    name = "toolchain_type",
    actual = "@bazel_tools//tools/cpp:toolchain_type",
    visibility = ["//visibility:public"],
)
EOF
	# @bazel_tools loads the C++ rules from @rules_cc; Bazel 4.2 has them
	# built in.
	{
		echo '# Stub: the rules Bazel has built in.'
		for r in cc_binary cc_import cc_library cc_proto_library cc_test cc_toolchain cc_toolchain_suite objc_library; do
			printf 'def %s(**kwargs):\n    native.%s(**kwargs)\n\n' "$r" "$r"
		done
	} >"$s/rules_cc/cc/defs.bzl"
	echo 'workspace(name = "remote_coverage_tools")' >"$s/remote_coverage_tools/WORKSPACE"
	cat >"$s/remote_coverage_tools/BUILD.bazel" <<'EOF'
# Stub: this check never collects coverage.
filegroup(
    name = "coverage_report_generator",
    srcs = [],
    visibility = ["//visibility:public"],
)

filegroup(
    name = "lcov_merger",
    srcs = [],
    visibility = ["//visibility:public"],
)
EOF
	# Gazelle: only its WORKSPACE macros are used, and every go_repository is
	# overridden with a local repository, so they need not do anything.
	mkdir -p "$s/bazel_gazelle"
	echo 'workspace(name = "bazel_gazelle")' >"$s/bazel_gazelle/WORKSPACE"
	: >"$s/bazel_gazelle/BUILD.bazel"
	cat >"$s/bazel_gazelle/deps.bzl" <<'EOF'
# Stub: bazel-check.sh overrides every go_repository with a local repository.
def gazelle_dependencies(**kwargs):
    pass

def go_repository(**kwargs):
    pass
EOF
}


# --- Go dependencies as Bazel repositories -------------------------------------

# repo_name prints the repository name Gazelle's go_repository convention gives
# a module path: github.com/cilium/ebpf -> com_github_cilium_ebpf.
repo_name() {
	local host=${1%%/*} rest="" part out=""
	[[ $1 == */* ]] && rest=${1#*/}
	local IFS=.
	for part in $host; do out=${part}${out:+_$out}; done
	[[ -n $rest ]] && out=${out}_${rest}
	out=${out//[\/.-]/_}
	echo "${out,,}"
}

# prepare_go_repos lays out bpfskel's packages (the generator and the runtime
# that generated code imports) and every package they depend on as one local
# repository per module under $cache/repos, each package with a BUILD.bazel
# whose targets are named as Gazelle names them (import naming convention:
# go_library named after the last path element; for a main package, a
# go_library NAME_lib and a go_binary NAME). It prints the
# --override_repository flags for them, one per line.
prepare_go_repos() {
	# Lay the repositories out afresh in repos.new and keep the old ones when
	# nothing changed, so that a rebuild with the same sources has nothing
	# to refetch or reanalyse.
	local repos=$cache/repos.new list
	rm -rf "$repos"
	mkdir -p "$repos"
	list=$(cd "$root" && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 "$go" list -deps \
		-f '{{if not .Standard}}{{.ImportPath}}|{{.Name}}|{{.Module.Path}}|{{.Module.Dir}}|{{.Dir}}|{{join .GoFiles " "}}|{{join .SFiles " "}}|{{join .HFiles " "}}|{{join .EmbedFiles " "}}|{{join .Imports " "}}{{end}}' \
		./cmd/bpfskel ./runtime)
	local -A label
	local ip name mpath mdir dir gofiles sfiles hfiles embeds imports repo rel tname
	while IFS='|' read -r ip name mpath mdir dir gofiles sfiles hfiles embeds imports; do
		repo=$(repo_name "$mpath")
		rel=${dir#"$mdir"}
		rel=${rel#/}
		tname=${ip##*/}
		[[ $name == main ]] && tname=${tname}_lib
		label[$ip]="@$repo//$rel:$tname"
	done <<<"$list"
	local f l deps srcs mods=""
	while IFS='|' read -r ip name mpath mdir dir gofiles sfiles hfiles embeds imports; do
		repo=$(repo_name "$mpath")
		rel=${dir#"$mdir"}
		rel=${rel#/}
		tname=${ip##*/}
		[[ $name == main ]] && tname=${tname}_lib
		mkdir -p "$repos/$repo/$rel"
		if [[ ! -f $repos/$repo/WORKSPACE ]]; then
			echo "workspace(name = \"$repo\")" >"$repos/$repo/WORKSPACE"
			mods="$mods $repo"
		fi
		srcs=""
		for f in $gofiles $sfiles $hfiles; do
			cp "$dir/$f" "$repos/$repo/$rel/$f"
			srcs="$srcs        \"$f\",
"
		done
		local embedsrcs=""
		for f in $embeds; do
			mkdir -p "$(dirname "$repos/$repo/$rel/$f")"
			cp "$dir/$f" "$repos/$repo/$rel/$f"
			embedsrcs="$embedsrcs        \"$f\",
"
		done
		deps=""
		for f in $imports; do
			l=${label[$f]:-}
			[[ -z $l ]] && continue
			[[ $l == "@$repo//"* ]] && l=${l#"@$repo"}
			deps="$deps        \"$l\",
"
		done
		{
			echo '# Generated by scripts/bazel-check.sh from "go list"; stands in for Gazelle.'
			echo 'load("@io_bazel_rules_go//go:def.bzl", "go_binary", "go_library")'
			echo
			echo 'go_library('
			echo "    name = \"$tname\","
			echo "    srcs = ["
			printf '%s' "$srcs"
			echo "    ],"
			if [[ -n $embedsrcs ]]; then
				echo "    embedsrcs = ["
				printf '%s' "$embedsrcs"
				echo "    ],"
			fi
			echo "    importpath = \"$ip\","
			echo '    visibility = ["//visibility:public"],'
			if [[ -n $deps ]]; then
				echo "    deps = ["
				printf '%s' "$deps"
				echo "    ],"
			fi
			echo ')'
			if [[ $name == main ]]; then
				echo
				echo 'go_binary('
				echo "    name = \"${ip##*/}\","
				echo "    embed = [\":$tname\"],"
				echo '    visibility = ["//visibility:public"],'
				echo ')'
			fi
		} >"$repos/$repo/$rel/BUILD.bazel"
	done <<<"$list"
	if diff -r "$repos" "$cache/repos" >/dev/null 2>&1; then
		rm -rf "$repos"
	else
		rm -rf "$cache/repos"
		mv "$repos" "$cache/repos"
	fi
	for repo in $mods; do
		echo "--override_repository=$repo=$cache/repos/$repo"
	done
}

# check_deps_bzl fails unless examples/bazel/deps.bzl declares every module
# bpfskel needs (other than bpfskel) at the version and sum bpfskel's go.mod
# and go.sum select.
check_deps_bzl() {
	local repo mod version sum missing="" decls
	decls=$(tr -d ' \n' <"$example/deps.bzl")
	while read -r mod version; do
		[[ $mod == github.com/bpfskel/bpfskel ]] && continue
		repo=$(repo_name "$mod")
		[[ -d $cache/repos/$repo ]] || continue
		sum=$(awk -v m="$mod" -v v="$version" '$1 == m && $2 == v { print $3 }' "$root/go.sum")
		if [[ $decls != *"name=\"$repo\",importpath=\"$mod\",sum=\"$sum\",version=\"$version\","* ]]; then
			missing="$missing
    go_repository(
        name = \"$repo\",
        importpath = \"$mod\",
        sum = \"$sum\",
        version = \"$version\",
    )"
		fi
	done < <(cd "$root" && "$go" list -m -f '{{.Path}} {{.Version}}' all)
	[[ -z $missing ]] || die "examples/bazel/deps.bzl lacks or misstates modules bpfskel needs; it should have:$missing"
}

# --- build -------------------------------------------------------------------

install_bazel
prepare_rules_go
prepare_stubs
overrides_text=$(prepare_go_repos)
mapfile -t overrides <<<"$overrides_text"
check_deps_bzl

# What a go:generate run writes, from the same sources Bazel gets (taken
# just above, so edits made while Bazel runs cannot make the two differ):
# the object and the skeleton side by side, explicit paths.
step "go run ./cmd/bpfskel gen (outside Bazel)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$example/counter.bpf.o" "$tmp/counter.bpf.o"
(cd "$root" && "$go" run ./cmd/bpfskel gen -pkg counter -ident Counter -o "$tmp/counter_bpfskel.go" "$tmp/counter.bpf.o")

startup=(
	--output_user_root="$cache/user_root"
	--output_base="$cache/output_base"
	# Stop the server by itself soon after the check.
	--max_idle_secs=300
)
flags=(
	--override_repository=io_bazel_rules_go="$cache/rules_go"
	--override_repository=bazel_skylib=/usr/share/bazel/tools/skylib
	--override_repository=rules_java=/usr/share/bazel/rules/java
	--override_repository=bazel_gazelle="$cache/stubs/bazel_gazelle"
	--override_repository=rules_cc="$cache/stubs/rules_cc"
	--override_repository=remote_coverage_tools="$cache/stubs/remote_coverage_tools"
	"${overrides[@]}"
	--repository_cache="$cache/repository_cache"
	# Debian's /etc/bazel/bazelrc turns on --sandbox_debug, which keeps every
	# action's sandbox on disk.
	--nosandbox_debug
	# Tools (bpfskel) are built in the target configuration rather than a
	# host configuration of their own, which would compile the standard
	# library once more (rules_go's transitions still compile it three
	# times: target, go_binary, go_test).
	--distinct_host_configuration=false
	# No bazel-* symlinks in the checkout.
	--symlink_prefix=/
	# Pure Go: no C toolchain in the build, and a smaller standard library.
	--@io_bazel_rules_go//go/config:pure
	--test_output=errors
)

step "bazel test //... (examples/bazel)"
cd "$example"
start=$(date +%s)
bazel "${startup[@]}" test "${flags[@]}" //...
end=$(date +%s)
echo "bazel-check: bazel test took $((end - start))s"

step "compare"
bazel_out=$(bazel "${startup[@]}" info "${flags[@]}" bazel-bin 2>/dev/null)/counter/counter_bpfskel.go
[[ -f $bazel_out ]] || die "Bazel did not write $bazel_out"
if ! cmp "$tmp/counter_bpfskel.go" "$bazel_out"; then
	diff -u "$tmp/counter_bpfskel.go" "$bazel_out" || true
	die "the skeleton Bazel generated differs from go run ./cmd/bpfskel gen's"
fi
echo "bazel-check: ${bazel_out#"$cache/"} is byte-identical to go run ./cmd/bpfskel gen's output"
echo "bazel-check: disk used under $cache: $(du -sh "$cache" | cut -f1) (Bazel's output base: $(du -sh "$cache/output_base" | cut -f1))"
echo "bazel-check: ok"
