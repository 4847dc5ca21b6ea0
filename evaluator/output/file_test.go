package output

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

var errHalfway = errors.New("interrupted halfway")

// writeHalf writes more than bufio's buffer, so that part of it reaches the
// temporary file, and then fails.
func writeHalf(w *bufio.Writer) error {
	if _, err := w.WriteString(strings.Repeat("半", 100_000)); err != nil {
		return err
	}
	return errHalfway
}

func TestWriteFileWritesWhole(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "result.json")
	want := strings.Repeat("结果", 50_000)
	if err := WriteFile(path, func(w *bufio.Writer) error { _, err := w.WriteString(want); return err }); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Fatalf("read back %d bytes (%v), want %d", len(got), err, len(want))
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("the directory holds %v, want only result.json", names)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
}

func TestWriteFileErrorLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "summary.csv")
	err := WriteFile(path, writeHalf)
	if !errors.Is(err, errHalfway) {
		t.Fatalf("WriteFile = %v, want the writer's error", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("the error does not name %s: %v", path, err)
	}
	if names := entries(t, dir); len(names) != 0 {
		t.Errorf("a failed write left %v", names)
	}
}

func TestWriteFileErrorKeepsExistingFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, []byte("the previous report"), 0o600); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(path)
	if err := WriteFile(path, writeHalf); !errors.Is(err, errHalfway) {
		t.Fatalf("WriteFile = %v, want the writer's error", err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "the previous report" {
		t.Errorf("the existing file now holds %q (%v)", got, err)
	}
	after, _ := os.Stat(path)
	if !after.ModTime().Equal(before.ModTime()) || after.Mode() != before.Mode() {
		t.Errorf("the existing file was touched: %v %v → %v %v", before.ModTime(), before.Mode(), after.ModTime(), after.Mode())
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("a failed write left %v", names)
	}
}

func TestWriteFileReplacesExistingFileWhole(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "result.json")
	if err := os.WriteFile(path, []byte(strings.Repeat("old ", 10_000)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, func(w *bufio.Writer) error { _, err := w.WriteString("new"); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("the file holds %.20q…, want %q", got, "new")
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("the directory holds %v", names)
	}
}

func TestWriteFileUnwritablePlaces(t *testing.T) {
	dir := t.TempDir()
	// A directory that does not exist: nothing is created.
	if err := WriteFile(filepath.Join(dir, "missing", "out.json"), func(*bufio.Writer) error { return nil }); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
	// The target is a directory: the rename fails and the temporary file goes.
	target := filepath.Join(dir, "taken")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "keep"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(target, func(w *bufio.Writer) error { _, err := w.WriteString("data"); return err }); err == nil {
		t.Error("replacing a directory succeeded")
	}
	if names := entries(t, dir); len(names) != 1 || names[0] != "taken" {
		t.Errorf("the directory holds %v, want only taken/", names)
	}
	if names := entries(t, target); len(names) != 1 {
		t.Errorf("the target directory was changed: %v", names)
	}
}

// TestEveryFileIsWrittenAtomically: budgetcheck writes files only through
// WriteFile, so that each appears whole or not at all. Direct writes are
// allowed only where listed, with the reason.
func TestEveryFileIsWrittenAtomically(t *testing.T) {
	allowed := map[string]string{
		"cmd/budgetcheck/commands/batch.go": "the hidden --cpuprofile debugging flag streams a profile",
		"cmd/budgetcheck/commands/serve.go": "the hidden --cpuprofile debugging flag streams a profile",
		"fixtures/gen/main.go":              "a developer's generator of test fixtures, not budgetcheck",
	}
	root := "../.."
	direct := []string{"os.WriteFile(", "os.Create(", "os.OpenFile(", "ioutil.WriteFile(", ".SaveAs("}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if _, ok := allowed[rel]; ok {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, call := range direct {
			if strings.Contains(string(src), call) {
				t.Errorf("%s calls %s: write files with output.WriteFile (temporary file + rename)", rel, strings.TrimSuffix(call, "("))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
