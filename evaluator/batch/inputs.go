// Package batch reviews many submissions in one run: one prepared query
// shared by a pool of workers, results streamed in input order to a sink so
// that memory stays flat however many files there are.
package batch

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// IsSubmission reports whether path names a YAML or JSON submission file.
func IsSubmission(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// Expand turns the command line's paths into the sorted list of input files:
// a file is taken as it is, a folder is searched recursively for submissions
// (and for workbooks, when isWorkbook is given), a pattern with * ? or [ is
// globbed. Hidden folders are skipped, and so are the YAML and JSON files in
// a folder that do not declare the submission schema (expected results, CI
// configuration …). A path that names nothing is an error.
func Expand(args []string, isWorkbook func(string) bool) ([]string, error) {
	want := func(p string) bool { return IsSubmission(p) || isWorkbook != nil && isWorkbook(p) }
	seen := map[string]bool{}
	var files []string
	add := func(p string) {
		p = filepath.Clean(p)
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	for _, arg := range args {
		matches := []string{arg}
		if strings.ContainsAny(arg, "*?[") {
			m, err := filepath.Glob(arg)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", arg, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("%s: no file matches", arg)
			}
			matches = m
		}
		for _, p := range matches {
			st, err := os.Stat(p)
			if err != nil {
				return nil, err
			}
			if !st.IsDir() {
				add(p)
				continue
			}
			err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				name := d.Name()
				if d.IsDir() {
					if path != p && strings.HasPrefix(name, ".") {
						return filepath.SkipDir
					}
					return nil
				}
				if !strings.HasPrefix(name, ".") && want(path) && (!IsSubmission(path) || declaresSchema(path)) {
					add(path)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	slices.Sort(files)
	return files, nil
}

// schemaMark is what every submission declares (schema: budgetcheck/v1).
var schemaMark = []byte("budgetcheck/v1")

// declaresSchema reports whether the file mentions the submission schema in
// its first 64 KiB. A file that cannot be read counts as a submission, so
// that the batch reports it as an error row instead of passing it over.
func declaresSchema(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return true
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return true
	}
	return bytes.Contains(head[:n], schemaMark)
}

// ResultPath is where the result document of input (the idx-th submission of
// n in that file) is written under dir: the input's path with .json added,
// its "..", volume and root made local so that it stays inside dir.
func ResultPath(dir, input string, idx, n int) string {
	p := filepath.ToSlash(filepath.Clean(input))
	p = strings.TrimPrefix(p, filepath.ToSlash(filepath.VolumeName(input)))
	var parts []string
	for _, part := range strings.Split(p, "/") {
		switch part {
		case "", ".":
		case "..":
			parts = append(parts, "__")
		default:
			parts = append(parts, part)
		}
	}
	name := strings.Join(parts, "/")
	if n > 1 {
		name += fmt.Sprintf(".%d", idx+1)
	}
	return filepath.Join(dir, filepath.FromSlash(name)+".json")
}
