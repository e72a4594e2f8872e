// Package inline calls the runtime's hot accessors, for the test that checks
// that the compiler inlines them (TestHotAccessorsInline).
package inline

import "github.com/bpfskel/bpfskel/runtime"

type node struct {
	Next  runtime.Ptr[node]
	Value uint64
}

// Walk is a list walk through Ptr.Get.
func Walk(head runtime.Ptr[node], a *runtime.Arena) (sum uint64) {
	for e := head.Get(a); e != nil; e = e.Next.Get(a) {
		sum += e.Value
	}
	return sum
}

// Link prepends n to the list at *head, atomically, as BPF might.
func Link(a *runtime.Arena, head *runtime.Ptr[node], n *node) bool {
	if n.Next.IsNil() {
		n.Next.Store(head.Load())
	}
	return head.CompareAndSwap(n.Next, runtime.PtrTo(a, n))
}

// At returns the node at offset off and its offset back.
func At(a *runtime.Arena, off uint64) (*node, uint64, bool) {
	p := runtime.PtrAt[node](a, off)
	o, ok := p.Offset(a)
	return p.Get(a), o, ok
}
