package btf2go

import (
	"os"
	"strings"
	"testing"
)

// TestTypesDoc checks that docs/TYPES.md and the README carry every row of
// the mapping table in this package's documentation.
func TestTypesDoc(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []string{"../docs/TYPES.md", "../README.md"} {
		md, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		rows := 0
		for line := range strings.Lines(string(src)) {
			row, ok := strings.CutPrefix(line, "//\t| ")
			if !ok {
				continue
			}
			rows++
			if !strings.Contains(string(md), "| "+row) {
				t.Errorf("%s lacks the row %q", doc, strings.TrimSpace(row))
			}
		}
		if rows < 20 {
			t.Errorf("found %d table rows in doc.go", rows)
		}
	}
}
