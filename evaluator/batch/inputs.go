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

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// IsSubmission reports whether path names a YAML or JSON submission file.
func IsSubmission(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// Skipped is a file (or hidden folder) that a batch passed over, and why.
type Skipped struct {
	Path   string
	Reason submission.Problem // Message in English, Zh in Chinese
}

// In returns the reason in lang.
func (s Skipped) In(lang string) string { return s.Reason.In(lang).Message }

// Inputs are the files a batch reads and those it passed over.
type Inputs struct {
	Files   []string
	Skipped []Skipped
}

// CollectOptions tune Collect.
type CollectOptions struct {
	// IsWorkbook recognises Excel workbooks, which are read too.
	IsWorkbook func(string) bool
	// MaxBytes is the largest file that is read to tell whether it is a
	// submission (0: submission.DefaultMaxBytes); a larger one is checked,
	// and refused as too large.
	MaxBytes int64
	// Exclude are folders not searched (the batch's own output).
	Exclude []string
}

// Expand is Collect without the skipped files.
func Expand(args []string, isWorkbook func(string) bool) ([]string, error) {
	in, err := Collect(args, CollectOptions{IsWorkbook: isWorkbook})
	return in.Files, err
}

// Collect turns the command line's paths into the sorted list of input
// files. A file named on the command line (or by a glob) is always read. In
// a folder, searched recursively, one rule decides, and every file it passes
// over is listed in Skipped with the reason:
//
//   - a hidden file or folder (.git, .budgetcheck.yaml …), and the
//     excluded folders, are passed over;
//   - anything but a regular file (a named pipe, a socket, a device) is
//     passed over: reading it could block;
//   - a file that is not .yaml, .yml, .json (or a workbook) is passed over;
//   - a YAML or JSON file is read unless it reads cleanly as another
//     document: a budgetcheck result, or one with neither schema nor project
//     at its top level (submission.NotSubmission). A damaged, mis-encoded or
//     misspelt submission is read, and becomes an error row.
//
// A path that names nothing is an error.
func Collect(args []string, opts CollectOptions) (Inputs, error) {
	want := func(p string) bool { return IsSubmission(p) || opts.IsWorkbook != nil && opts.IsWorkbook(p) }
	maxBytes := opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = submission.DefaultMaxBytes
	}
	excluded := map[string]bool{}
	for _, dir := range opts.Exclude {
		if abs, err := filepath.Abs(dir); err == nil {
			excluded[abs] = true
		}
	}
	var in Inputs
	seen := map[string]bool{}
	add := func(p string) {
		p = filepath.Clean(p)
		if !seen[p] {
			seen[p] = true
			in.Files = append(in.Files, p)
		}
	}
	skip := func(p, en, zh string) {
		in.Skipped = append(in.Skipped, Skipped{Path: filepath.Clean(p), Reason: submission.Problem{Message: en, Zh: zh}})
	}
	for _, arg := range args {
		matches := []string{arg}
		if strings.ContainsAny(arg, "*?[") {
			m, err := filepath.Glob(arg)
			if err != nil {
				return Inputs{}, fmt.Errorf("%s: %w", arg, err)
			}
			if len(m) == 0 {
				return Inputs{}, fmt.Errorf("%s: no file matches", arg)
			}
			matches = m
		}
		for _, p := range matches {
			st, err := os.Stat(p)
			if err != nil {
				return Inputs{}, err
			}
			if !st.IsDir() {
				add(p)
				continue
			}
			err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					skip(path, "cannot be read: "+err.Error(), "无法读取："+err.Error())
					if d != nil && d.IsDir() {
						return filepath.SkipDir
					}
					return nil
				}
				name := d.Name()
				hidden := path != p && strings.HasPrefix(name, ".")
				if d.IsDir() {
					abs, _ := filepath.Abs(path)
					switch {
					case path != p && excluded[abs]:
						skip(path, "the batch's output folder, not searched", "本次批量评估的输出文件夹，未搜索")
						return filepath.SkipDir
					case hidden:
						skip(path, "a hidden folder, not searched", "隐藏文件夹，未搜索")
						return filepath.SkipDir
					}
					return nil
				}
				switch {
				case hidden:
					skip(path, "a hidden file", "隐藏文件")
				case !d.Type().IsRegular() && !isRegular(path):
					skip(path, "not a regular file (a named pipe, socket or device): not read", "不是普通文件（命名管道、套接字或设备），未读取")
				case !want(path):
					skip(path, "not a submission file (.yaml, .yml, .json or a workbook)", "不是申报文件类型（.yaml、.yml、.json 或工作簿）")
				case IsSubmission(path):
					if why, ok := notSubmission(path, maxBytes); ok {
						in.Skipped = append(in.Skipped, Skipped{Path: filepath.Clean(path), Reason: why})
						return nil
					}
					add(path)
				default:
					add(path)
				}
				return nil
			})
			if err != nil {
				return Inputs{}, err
			}
		}
	}
	slices.Sort(in.Files)
	slices.SortFunc(in.Skipped, func(a, b Skipped) int { return strings.Compare(a.Path, b.Path) })
	return in, nil
}

// isRegular reports whether path, a symbolic link, leads to a regular file.
func isRegular(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// notSubmission reads a YAML or JSON file found in a folder and tells why it
// is not a submission. A file that cannot be read, or is larger than
// maxBytes, may be one: it is read by the batch, which reports it.
func notSubmission(path string, maxBytes int64) (submission.Problem, bool) {
	f, err := os.Open(path)
	if err != nil {
		return submission.Problem{}, false
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return submission.Problem{}, false
	}
	if bytes.Contains(head[:n], submission.Mark) {
		return submission.Problem{}, false // the usual case, without parsing
	}
	if n < len(head) {
		return submission.NotSubmission(head[:n])
	}
	rest, err := io.ReadAll(io.LimitReader(f, maxBytes-int64(n)+1))
	if err != nil || int64(n+len(rest)) > maxBytes {
		return submission.Problem{}, false
	}
	return submission.NotSubmission(append(head[:n], rest...))
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
