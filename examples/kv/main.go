// Command kv shows use case 1 of the BPF arena: user space owns a key/value
// store in the arena and an XDP program answers GET requests from it without
// going to user space.
//
// It loads kv.bpf.o through its generated skeleton, fills the store from Go,
// and sends GET requests through the XDP program with BPF_PROG_TEST_RUN,
// printing what the program answered. It needs root.
package main

//go:generate go tool bpfskel gen -pkg main -ident Kv -type request -o kv_bpf.go kv.bpf.o

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/cilium/ebpf"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "kv:", err)
		os.Exit(1)
	}
}

func run() error {
	obj, err := LoadKv(nil)
	if err != nil {
		return err
	}
	defer obj.Close()
	store := NewStore(obj)

	for k, v := range map[string]string{
		"greeting": "hello from the arena",
		"answer":   "42",
		"kernel":   "Linux",
	} {
		if err := store.Put(k, []byte(v)); err != nil {
			return err
		}
	}
	fmt.Printf("kv: Go stored %d keys in the arena (%d KiB arena at %#x)\n",
		store.Len(), obj.Arena.Size()/1024, obj.Arena.Base())

	for _, key := range []string{"greeting", "answer", "missing"} {
		action, value, err := get(obj.Programs.KvGet, key)
		if err != nil {
			return err
		}
		fmt.Printf("kv: GET %-10q -> %-8s %q\n", key, action, value)
	}
	store.Delete("answer")
	action, _, err := get(obj.Programs.KvGet, "answer")
	if err != nil {
		return err
	}
	fmt.Printf("kv: after Go deleted it, GET %q -> %s\n", "answer", action)
	fmt.Printf("kv: the program counted %d hits and %d misses (read from .bss without a syscall)\n",
		obj.BSS.Hits, obj.BSS.Misses)
	return nil
}

// get sends one GET request for key through prog and returns the XDP action
// and, for XDP_TX, the value in the reply.
func get(prog *ebpf.Program, key string) (string, string, error) {
	out := make([]byte, 256)
	ret, err := prog.Run(&ebpf.RunOptions{Data: request(key, defaultPort), DataOut: out})
	if err != nil {
		return "", "", fmt.Errorf("run %s: %w", prog, err)
	}
	switch ret {
	case xdpPass:
		return "XDP_PASS", "", nil
	case xdpTX:
		r, err := reply(out)
		if err != nil {
			return "", "", err
		}
		if r.Status != statusHit {
			return "", "", errors.New("XDP_TX without a hit")
		}
		return "XDP_TX", string(bytes.TrimRight(r.Value[:], "\x00")), nil
	}
	return fmt.Sprintf("action %d", ret), "", nil
}

// XDP actions.
const (
	xdpPass = 2
	xdpTX   = 3
)
