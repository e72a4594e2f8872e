//go:build linux

package runtime_test

import (
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
)

type attachAltBSS struct {
	BTFHits, RawHits, OptionalHits uint64
	Tgid                           uint64
}

// TestAttachOptions checks autoload, alternatives, KeepGoing and the
// per-program links on testdata/attach_alt.bpf.c.
func TestAttachOptions(t *testing.T) {
	noKprobes := false
	if _, err := os.Stat("/sys/bus/event_source/devices/kprobe"); err != nil {
		noKprobes = true
	}
	s, c := loadObject(t, "attach_alt", nil)
	if s.Autoload("on_exit_optional") || c.Program("on_exit_optional") != nil {
		t.Fatal(`the "?" program was loaded`)
	}
	// fentry/do_nanosleep and kprobe/do_nanosleep are alternatives: a
	// kernel that refuses the fentry program leaves the kprobe one.
	if c.Program("on_fentry") == nil {
		if err := c.Skipped()["on_fentry"]; err == nil || c.Program("on_kprobe") == nil {
			t.Fatalf("on_fentry neither loaded nor skipped for on_kprobe: %v", c.Skipped())
		}
		t.Logf("skipped: %v", c.Skipped()["on_fentry"])
	}
	bss := mustView[attachAltBSS](t, c, ".bss")
	bss.Tgid = uint64(os.Getpid())

	err := c.Attach()
	if noKprobes {
		// Stops at the first failure (programs in name order) and keeps
		// nothing.
		if !errors.Is(err, ebpf.ErrNotSupported) || !strings.Contains(err.Error(), "program on_kprobe") {
			t.Fatalf("Attach: %v; want the kprobe program's failure", err)
		}
		if len(c.Links()) != 0 || c.Link("on_enter_btf") != nil {
			t.Fatal("links left after a failed Attach")
		}
		err = c.AttachWith(&runtime.AttachOptions{KeepGoing: true})
		if err == nil || !strings.Contains(err.Error(), "program on_ksyscall") || !strings.Contains(err.Error(), "program on_kprobe") {
			t.Fatalf("AttachWith(KeepGoing): %v; want one error naming on_kprobe and on_ksyscall", err)
		}
	} else if err != nil {
		t.Fatal(err)
	}
	if c.Link("on_enter_btf") == nil || c.Link("on_enter_raw") != nil {
		t.Fatalf("links: tp_btf %v, raw_tp %v; want only the tp_btf one", c.Link("on_enter_btf"), c.Link("on_enter_raw"))
	}
	for range 5 {
		syscall.Getppid()
	}
	if bss.BTFHits < 5 || bss.RawHits != 0 {
		t.Fatalf("hits: tp_btf %d, raw_tp %d; want >= 5 and 0", bss.BTFHits, bss.RawHits)
	}

	// Disabling the tp_btf program makes raw_tp the one attached, and
	// enabling the "?" program loads and attaches it.
	s2 := parseObject(t, "attach_alt")
	if err := s2.SetAutoload("on_enter_btf", false); err != nil {
		t.Fatal(err)
	}
	if err := s2.SetAutoload("on_exit_optional", true); err != nil {
		t.Fatal(err)
	}
	if err := s2.SetAutoload("no_such_program", true); !errors.Is(err, runtime.ErrNoProgram) {
		t.Fatalf("SetAutoload of an unknown program: %v", err)
	}
	c2, err := s2.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if c2.Program("on_enter_btf") != nil {
		t.Fatal("a program with autoload off was loaded")
	}
	bss2 := mustView[attachAltBSS](t, c2, ".bss")
	bss2.Tgid = uint64(os.Getpid())
	c2.AttachWith(&runtime.AttachOptions{KeepGoing: true})
	if c2.Link("on_enter_raw") == nil || c2.Link("on_exit_optional") == nil {
		t.Fatal("raw_tp or the enabled optional program not attached")
	}
	for range 5 {
		syscall.Getppid()
	}
	if bss2.RawHits < 5 || bss2.OptionalHits < 5 || bss2.BTFHits != 0 {
		t.Fatalf("hits: %+v", *bss2)
	}
}
