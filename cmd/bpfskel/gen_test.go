package main

import (
	"slices"
	"testing"
)

func TestSplitFlags(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  string
	}{
		{"", nil, ""},
		{"   ", nil, ""},
		{"-O1 -g", []string{"-O1", "-g"}, ""},
		{" \t-Iinc\n-DX=1 ", []string{"-Iinc", "-DX=1"}, ""},
		{`-DNAME='a b'`, []string{"-DNAME=a b"}, ""},
		{`"-DNAME=a b" -I'my dir'/inc`, []string{"-DNAME=a b", "-Imy dir/inc"}, ""},
		{`-DS='"quoted"'`, []string{`-DS="quoted"`}, ""},
		{`-DS="\"q\" \\ \$x \a"`, []string{`-DS="q" \ $x \a`}, ""},
		{`a\ b c\\d`, []string{"a b", `c\d`}, ""},
		{`'' ""`, []string{"", ""}, ""},
		{"a\\\nb", []string{"ab"}, ""},
		{`-D'x`, nil, "unterminated ' quote"},
		{`-D"x`, nil, `unterminated " quote`},
		{`-Dx\`, nil, "trailing backslash"},
	} {
		got, err := splitFlags(tc.in)
		switch {
		case tc.err != "" && (err == nil || err.Error() != tc.err):
			t.Errorf("splitFlags(%q): error %v, want %q", tc.in, err, tc.err)
		case tc.err == "" && (err != nil || !slices.Equal(got, tc.want)):
			t.Errorf("splitFlags(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
