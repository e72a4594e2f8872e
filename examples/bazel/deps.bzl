"""Go modules the example needs: bpfskel (the generator and the runtime that
generated code imports) and bpfskel's own dependencies.

In a real repository "gazelle update-repos -from_file=go.mod
-to_macro=deps.bzl%go_dependencies" writes this file; scripts/bazel-check.sh
checks that it names every module bpfskel needs, at the versions in bpfskel's
go.mod.
"""

load("@bazel_gazelle//:deps.bzl", "go_repository")

def go_dependencies():
    # bpfskel itself: set version and sum to the release you use
    # ("go mod download -json github.com/bpfskel/bpfskel@VERSION" prints both).
    go_repository(
        name = "com_github_bpfskel_bpfskel",
        importpath = "github.com/bpfskel/bpfskel",
        sum = "",
        version = "",
    )
    go_repository(
        name = "com_github_cilium_ebpf",
        importpath = "github.com/cilium/ebpf",
        sum = "h1:v2ktp0roffpMOj2MMf3idtCQZOsAoC4BJbAJN+ke2bY=",
        version = "v0.22.0",
    )
    go_repository(
        name = "com_github_dave_jennifer",
        importpath = "github.com/dave/jennifer",
        sum = "h1:B4jJJDHelWcDhlRQxWeo0Npa/pYKBLrirAQoTN45txo=",
        version = "v1.7.1",
    )
    go_repository(
        name = "org_golang_x_sys",
        importpath = "golang.org/x/sys",
        sum = "h1:dkKZEFTEKaLr1sjhs0WiKqoi8Jj5nHbS3Njmx1UoMJs=",
        version = "v0.50.0",
    )
    go_repository(
        name = "com_github_rogpeppe_go_internal",
        importpath = "github.com/rogpeppe/go-internal",
        sum = "h1:O9DK+vNMDVGLr2BeZqmpLeMjiMNkuXfcqntWbZV6S5g=",
        version = "v1.16.0",
    )
