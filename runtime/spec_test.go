package runtime_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/runtime"
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
			if s.Arena == nil || s.Arena.Globals == nil {
				return
			}
			if s.Arena.Globals.Name != runtime.ArenaGlobalsSection || s.Arena.Globals.Size != uint32(len(s.Arena.Data)) {
				t.Errorf("globals %s size %d, data %d", s.Arena.Globals.Name, s.Arena.Globals.Size, len(s.Arena.Data))
			}
			for _, v := range s.Arena.Globals.Vars {
				if v.Offset+v.Size > s.Arena.Globals.Size {
					t.Errorf("variable %s at %d+%d outside %d bytes", v.Type.TypeName(), v.Offset, v.Size, s.Arena.Globals.Size)
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
