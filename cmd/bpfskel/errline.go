package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxErrorLine is the longest error line bpfskel prints, in bytes, not
// counting the "bpfskel: " prefix.
const maxErrorLine = 512

// printError prints err as one line of at most maxErrorLine bytes after
// the "bpfskel: " prefix: the one place where the CLI prints an error.
func printError(w io.Writer, err error) {
	fmt.Fprintln(w, "bpfskel:", errorLine(err.Error()))
}

// errorLine returns msg as one line a terminal shows as it is: a newline
// becomes "; ", other control characters, non-printable runes and invalid
// UTF-8 are escaped as in a Go string literal, and a message longer than
// maxErrorLine bytes keeps its start (which names the object) and its end
// (the fault) around an elision that says how much was left out.
func errorLine(msg string) string {
	var b strings.Builder
	for i := 0; i < len(msg); {
		r, size := utf8.DecodeRuneInString(msg[i:])
		switch {
		case r == '\n':
			b.WriteString("; ")
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, msg[i])
		case !strconv.IsPrint(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(msg[i : i+size])
		}
		i += size
	}
	line := b.String()
	if len(line) <= maxErrorLine {
		return line
	}
	const tailLen = 90
	head := cutRunes(line, maxErrorLine-tailLen-30)
	tail := line[len(line)-tailLen:]
	for len(tail) > 0 && !utf8.RuneStart(tail[0]) {
		tail = tail[1:]
	}
	return fmt.Sprintf("%s [… %d bytes …] %s", head, len(line)-len(head)-len(tail), tail)
}

// cutRunes returns the longest prefix of s of at most n bytes that ends on
// a rune boundary.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
