package runtime_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf/btf"
)

// TestLoadSpecAll parses every arena object in testdata (no kernel needed)
// and checks the arena globals are no longer a map and every reference to
// them points at the arena map.
func TestLoadSpecAll(t *testing.T) {
	objs, _ := filepath.Glob("../testdata/arena_*.bpf.o")
	objs = append(objs, "../testdata/smoke.bpf.o")
	if len(objs) == 0 {
		t.Fatal("no objects")
	}
	for _, path := range objs {
		name := strings.TrimSuffix(filepath.Base(path), ".bpf.o")
		t.Run(name, func(t *testing.T) {
			obj, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s, err := runtime.LoadSpec(obj)
			if name == "arena_two" || name == "arena_nomap" {
				if err == nil {
					t.Fatal("LoadSpec succeeded")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for m := range s.Collection.Maps {
				if strings.Contains(m, "addr_space") || strings.Contains(m, "..arena") {
					t.Errorf("map %s left in the spec", m)
				}
			}
			if runtime.ArenaOf(s) == nil || runtime.ArenaOf(s).Globals == nil {
				return
			}
			if runtime.ArenaOf(s).Globals.Name != runtime.ArenaGlobalsSection || runtime.ArenaOf(s).Globals.Size != uint32(len(runtime.ArenaOf(s).Data)) {
				t.Errorf("globals %s size %d, data %d", runtime.ArenaOf(s).Globals.Name, runtime.ArenaOf(s).Globals.Size, len(runtime.ArenaOf(s).Data))
			}
			for _, v := range runtime.ArenaOf(s).Globals.Vars {
				if v.Offset+v.Size > runtime.ArenaOf(s).Globals.Size {
					t.Errorf("variable %s at %d+%d outside %d bytes", v.Type.TypeName(), v.Offset, v.Size, runtime.ArenaOf(s).Globals.Size)
				}
			}
			for pn, p := range s.Collection.Programs {
				for i, ins := range p.Instructions {
					if ins.IsLoadFromMap() && ins.Reference() != "" {
						if _, ok := s.Collection.Maps[ins.Reference()]; !ok {
							t.Errorf("program %s instruction %d references %q, not a map", pn, i, ins.Reference())
						}
					}
				}
			}
		})
	}
}

// TestLoadSpecSharesArenaTypes checks that the arena globals' Datasec refers
// to the variables and types of Collection.Types, not to copies: one C type
// is one btf.Type across the spec (struct root is the type of the arena
// global head and reachable from .bss's list).
func TestLoadSpecSharesArenaTypes(t *testing.T) {
	s, err := runtime.LoadSpec(readFile(t, "../testdata/gen_arena.bpf.o"))
	if err != nil {
		t.Fatal(err)
	}
	if runtime.ArenaOf(s) == nil || runtime.ArenaOf(s).Globals == nil || len(runtime.ArenaOf(s).Globals.Vars) == 0 {
		t.Fatal("no arena globals")
	}
	for _, vs := range runtime.ArenaOf(s).Globals.Vars {
		v, ok := vs.Type.(*btf.Var)
		if !ok {
			t.Fatalf("arena global of type %T", vs.Type)
		}
		var shared *btf.Var
		if err := s.Collection.Types.TypeByName(v.Name, &shared); err != nil {
			t.Fatalf("variable %s: %v", v.Name, err)
		}
		if shared != v {
			t.Errorf("variable %s is a copy of the one in Collection.Types", v.Name)
		}
	}
	var root *btf.Struct
	if err := s.Collection.Types.TypeByName("root", &root); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, vs := range runtime.ArenaOf(s).Globals.Vars {
		if v := vs.Type.(*btf.Var); v.Name == "head" {
			found = v.Type == btf.Type(root)
		}
	}
	if !found {
		t.Error("arena global head is not of Collection.Types' struct root")
	}
}
