package main

import (
	"bufio"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// sample is one benchmark result line: its metrics by unit.
type sample map[string]float64

// results holds every sample of every benchmark, by full name without the
// GOMAXPROCS suffix (e.g. "BenchmarkWalk/arena").
type results map[string][]sample

var procSuffix = regexp.MustCompile(`-\d+$`)

// parse reads "go test -bench" output. Lines that are not benchmark results
// are ignored.
func parse(r io.Reader, into results) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
			continue
		}
		s := sample{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				break
			}
			s[f[i+1]] = v
		}
		name := procSuffix.ReplaceAllString(f[0], "")
		into[name] = append(into[name], s)
	}
	return sc.Err()
}

// median returns the median of metric unit over the samples of name, and
// whether there was any.
func (r results) median(name, unit string) (float64, bool) {
	var vs []float64
	for _, s := range r[name] {
		if v, ok := s[unit]; ok {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		return 0, false
	}
	sort.Float64s(vs)
	n := len(vs)
	if n%2 == 1 {
		return vs[n/2], true
	}
	return (vs[n/2-1] + vs[n/2]) / 2, true
}
