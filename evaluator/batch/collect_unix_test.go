//go:build unix

package batch

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCollectOneRule: in a folder, whatever looks like a submission is read
// (a broken one becomes an error row), and every file passed over is listed
// with its reason; a named pipe is never opened.
func TestCollectOneRule(t *testing.T) {
	dir := t.TempDir()
	seed, err := os.ReadFile("../../fixtures/qingbaijiang-2021/submission.yaml")
	if err != nil {
		t.Fatal(err)
	}
	utf16 := []byte{0xff, 0xfe}
	for _, r := range "schema: budgetcheck/v1\n" {
		utf16 = append(utf16, byte(r), 0)
	}
	files := map[string][]byte{
		"late-schema.yaml":  append([]byte("# "+strings.Repeat("注释", 20000)+"\n"), seed...),
		"utf16.yaml":        utf16,
		"schema-typo.yaml":  []byte(strings.Replace(string(seed), "budgetcheck/v1", "budgetchek/v1", 1)),
		"key-typo.yaml":     []byte("shema: budgetchek/v1\n"),
		"corrupt.yaml":      []byte("schema: [\n"),
		"empty.yaml":        nil,
		"php.json":          []byte(`{"schema":"budgetcheck\/v1"}`),
		"expected.json":     []byte(`{"schema": "budgetcheck.result/v1", "project": {"name": "x"}}`),
		"sidecar.json":      []byte(`{"why": "a corpus sidecar", "problems": []}`),
		"list.yaml":         []byte("- a\n- b\n"),
		"notes.txt":         []byte("schema: budgetcheck/v1\n"),
		".budgetcheck.yaml": []byte("fail_on: warning\n"),
		".git/HEAD.yaml":    []byte("x: 1\n"),
		"out/summary.json":  []byte(`{"x": 1}`),
		"sub/ok.yml":        seed,
		"sub/GB18030.yaml":  []byte("project:\n  name: \xd5\xfe\xce\xf1\n"),
	}
	for name, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fifo := filepath.Join(dir, "x.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan struct{})
	var in Inputs
	go func() {
		defer close(done)
		in, err = Collect([]string{dir}, CollectOptions{Exclude: []string{filepath.Join(dir, "out")}})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Collect hangs (on the named pipe?)")
	}
	if err != nil {
		t.Fatal(err)
	}
	rel := func(p string) string { r, _ := filepath.Rel(dir, p); return filepath.ToSlash(r) }
	var got []string
	for _, f := range in.Files {
		got = append(got, rel(f))
	}
	want := []string{"corrupt.yaml", "empty.yaml", "key-typo.yaml", "late-schema.yaml", "php.json", "schema-typo.yaml", "sub/GB18030.yaml", "sub/ok.yml", "utf16.yaml"}
	if !slices.Equal(got, want) {
		t.Errorf("read %v, want %v", got, want)
	}
	skipped := map[string]string{}
	for _, s := range in.Skipped {
		skipped[rel(s.Path)] = s.In("en")
		if s.In("zh") == "" || s.In("zh") == s.In("en") {
			t.Errorf("%s: no Chinese reason", s.Path)
		}
	}
	for name, reason := range map[string]string{
		".budgetcheck.yaml": "hidden file", ".git": "hidden folder", "out": "output folder",
		"x.yaml": "not a regular file", "notes.txt": "not a submission file",
		"expected.json": "budgetcheck.result/v1", "sidecar.json": "neither schema", "list.yaml": "list",
	} {
		if !strings.Contains(skipped[name], reason) {
			t.Errorf("%s: skipped for %q, want a reason saying %q", name, skipped[name], reason)
		}
	}
	if len(skipped) != 8 {
		t.Errorf("skipped %v, want the 8 above", skipped)
	}
}
