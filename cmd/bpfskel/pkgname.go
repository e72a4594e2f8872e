package main

import (
	"fmt"
	"go/build"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// packageOf returns the Go package name for an output file written
// without -pkg or $GOPACKAGE: the package clause of the file itself if it
// exists and has one, else the one package that the other Go files in its
// directory that the build would use (not _test.go files; their build
// constraints and _GOOS/_GOARCH suffix match) name. It is an error when
// there is none, or when they name two.
func packageOf(output string) (string, error) {
	if name, ok := packageClause(output); ok {
		return name, nil
	}
	dir := filepath.Dir(output)
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return "", fmt.Errorf("no -pkg: %w", err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		n := e.Name()
		if strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") && !strings.HasPrefix(n, ".") {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	var pkg, from string
	for _, n := range names {
		// Only files the build would use: not a "//go:build ignore"
		// generator program of package main, say.
		if ok, err := build.Default.MatchFile(dir, n); err != nil || !ok {
			continue
		}
		name, ok := packageClause(filepath.Join(dir, n))
		switch {
		case !ok:
		case pkg == "":
			pkg, from = name, n
		case name != pkg:
			return "", fmt.Errorf("no package name for %s: %s says package %s, %s says package %s: set -pkg NAME", output, from, pkg, n, name)
		}
	}
	if pkg != "" {
		return pkg, nil
	}
	return "", fmt.Errorf("no package name for %s: set -pkg NAME (or run under go generate); %s has no Go file to take it from", output, dir)
}

// packageClause returns the package name of the Go file path, reading at
// most its first 1 MiB, and false when it is not a regular file or has no
// package clause.
func packageClause(path string) (string, bool) {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return "", false
	}
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return "", false
	}
	file, err := parser.ParseFile(token.NewFileSet(), path, src, parser.PackageClauseOnly)
	if err != nil || file.Name == nil || file.Name.Name == "_" {
		return "", false
	}
	return file.Name.Name, true
}
