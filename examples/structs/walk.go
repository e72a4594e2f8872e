package main

import (
	"iter"

	"github.com/bpfskel/bpfskel/runtime"
)

// The iterators below walk the structures BPF built, following the arena
// pointers it stored with Ptr.Get. They are methods on the generated types,
// written by hand next to the generated file.

// Entries yields every hash table entry, bucket by bucket.
func (s *Structures) Entries(a *runtime.Arena) iter.Seq[*Hnode] {
	return func(yield func(*Hnode) bool) {
		for i := range s.Buckets {
			for h := s.Buckets[i].Get(a); h != nil; h = h.Next.Get(a) {
				if !yield(h) {
					return
				}
			}
		}
	}
}

// Lookup returns the hash table entry of key, or nil.
func (s *Structures) Lookup(a *runtime.Arena, key uint64) *Hnode {
	for h := s.Buckets[bucket(key)].Get(a); h != nil; h = h.Next.Get(a) {
		if h.Key == key {
			return h
		}
	}
	return nil
}

// bucket is the hash of build's table: Fibonacci hashing to 6 bits.
func bucket(key uint64) uint64 { return key * 11400714819323198485 >> 58 }

// List yields the doubly linked list from head to tail.
func (s *Structures) List(a *runtime.Arena) iter.Seq[*Dnode] {
	return func(yield func(*Dnode) bool) {
		for d := s.Head.Get(a); d != nil; d = d.Next.Get(a) {
			if !yield(d) {
				return
			}
		}
	}
}

// Backward yields the doubly linked list from tail to head.
func (s *Structures) Backward(a *runtime.Arena) iter.Seq[*Dnode] {
	return func(yield func(*Dnode) bool) {
		for d := s.Tail.Get(a); d != nil; d = d.Prev.Get(a) {
			if !yield(d) {
				return
			}
		}
	}
}

// InOrder yields the search tree's nodes in key order.
func (s *Structures) InOrder(a *runtime.Arena) iter.Seq[*Tnode] {
	return func(yield func(*Tnode) bool) {
		var stack []*Tnode
		t := s.Root.Get(a)
		for t != nil || len(stack) > 0 {
			for ; t != nil; t = t.Left.Get(a) {
				stack = append(stack, t)
			}
			t = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !yield(t) {
				return
			}
			t = t.Right.Get(a)
		}
	}
}

// Find returns the tree node of key, or nil.
func (s *Structures) Find(a *runtime.Arena, key uint64) *Tnode {
	t := s.Root.Get(a)
	for t != nil && t.Key != key {
		if key < t.Key {
			t = t.Left.Get(a)
		} else {
			t = t.Right.Get(a)
		}
	}
	return t
}

// Append adds a Go-allocated element with key at the tail of the list, in
// arena memory that BPF can follow.
func (s *Structures) Append(a *runtime.Arena, key uint64) error {
	d, err := runtime.New[Dnode](a)
	if err != nil {
		return err
	}
	d.Key = key
	d.Prev = s.Tail
	p := runtime.PtrTo(a, d)
	if tail := s.Tail.Get(a); tail != nil {
		tail.Next = p
	} else {
		s.Head = p
	}
	s.Tail = p
	return nil
}

// Insert adds a Go-allocated node to the search tree.
func (s *Structures) Insert(a *runtime.Arena, key, value uint64) error {
	t, err := runtime.New[Tnode](a)
	if err != nil {
		return err
	}
	t.Key, t.Value = key, value
	link := &s.Root
	for n := link.Get(a); n != nil; n = link.Get(a) {
		if key < n.Key {
			link = &n.Left
		} else {
			link = &n.Right
		}
	}
	*link = runtime.PtrTo(a, t)
	return nil
}
