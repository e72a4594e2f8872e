module github.com/bpfskel/bpfskel

go 1.26.0

require (
	github.com/cilium/ebpf v0.22.0
	github.com/google/go-cmp v0.7.0
	github.com/rogpeppe/go-internal v1.16.0
	golang.org/x/sys v0.50.0
	golang.org/x/tools v0.52.0
)

tool github.com/bpfskel/bpfskel/cmd/bpfskel
