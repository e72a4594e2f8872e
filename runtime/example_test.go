package runtime_test

import (
	"fmt"
	"log"
	"os"

	"github.com/bpfskel/bpfskel/runtime"
)

// Elem has the layout of a C struct elem { struct elem __arena *next;
// __u64 value; } stored in the arena.
type Elem struct {
	Next  runtime.Ptr[Elem]
	Value uint64
}

// Globals has the layout of the object's arena globals (.addr_space.1).
type Globals struct {
	Head  runtime.Ptr[Elem]
	Count uint64
}

// Load an object, walk a list BPF built in the arena, and give BPF a list
// built in Go. Generated skeletons do the same through typed fields.
func Example() {
	obj, err := os.ReadFile("list.bpf.o")
	if err != nil {
		log.Fatal(err)
	}
	spec, err := runtime.LoadSpec(obj)
	if err != nil {
		log.Fatal(err)
	}
	coll, err := spec.Load(nil)
	if err != nil {
		log.Fatal(err) // a verifier rejection unwraps to *ebpf.VerifierError
	}
	defer coll.Close()

	a := coll.Arena()
	g, err := runtime.View[Globals](coll, runtime.ArenaGlobalsSection)
	if err != nil {
		log.Fatal(err)
	}
	for e := g.Head.Get(a); e != nil; e = e.Next.Get(a) {
		fmt.Println(e.Value)
	}

	// Memory for Go-built structures comes from pages BPF's allocator
	// will not hand out.
	e, err := runtime.New[Elem](a)
	if err != nil {
		log.Fatal(err)
	}
	e.Value = 42
	e.Next = g.Head.Load()
	g.Head.Store(runtime.PtrTo(a, e))
}

// Read a BPF_F_SEGV_ON_FAULT arena without risking the process.
func ExampleArena_ReadAt() {
	var a *runtime.Arena // from Collection.Arena
	buf := make([]byte, 64)
	if _, err := a.ReadAt(buf, 4096); err != nil {
		fmt.Println(err) // *runtime.FaultError for an unallocated page
	}
}
