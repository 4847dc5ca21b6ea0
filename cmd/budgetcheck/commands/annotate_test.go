package commands_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/cmd/budgetcheck/commands"
	"github.com/budgetcheck/budgetcheck/evaluator/annotate"
	"github.com/budgetcheck/budgetcheck/fixtures/xlsx/district"
)

func TestBatchAnnotate(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	copies := filepath.Join(out, "annotated")
	stdout, stderr, code := run(t, "batch", "--quiet", "--out", out, "--annotate", copies, "../../../fixtures/xlsx")
	if code != commands.ExitFail {
		t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "2 个批注副本") {
		t.Errorf("stdout %q: want the copies reported", stdout)
	}
	for _, name := range []string{annotate.RegisterName, "审核意见-示范区政务服务中心.md", "审核意见-示范区政务服务中心.html"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("%s not written: %v", name, err)
		}
	}
	for _, book := range []string{"form.xlsx", "flat-2022.xlsx"} {
		f, err := excelize.OpenFile(filepath.Join(copies, book))
		if err != nil {
			t.Fatalf("%s: %v", book, err)
		}
		if first := f.GetSheetName(0); first != "审核意见" {
			t.Errorf("%s: first sheet %q", book, first)
		}
		if book == "form.xlsx" {
			cs, _ := f.GetComments("热线运行")
			if len(cs) != 1 || cs[0].Cell != "F7" {
				t.Errorf("form.xlsx 热线运行 comments %+v: want one on F7", cs)
			}
		}
		f.Close()
	}
}

// Without --annotate, a pre-evaluation batch writes no register.
func TestBatchWithoutAnnotateWritesNoRegister(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, stderr, code := run(t, "batch", "--quiet", "--out", out, "../../../fixtures/clean-100/submission.yaml"); code != commands.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, annotate.RegisterName)); !os.IsNotExist(err) {
		t.Errorf("%s written without --annotate or a target review (%v)", annotate.RegisterName, err)
	}
	matches, _ := filepath.Glob(filepath.Join(out, ".register-*"))
	if len(matches) > 0 {
		t.Errorf("spill files left: %q", matches)
	}
}

// A workbook that cannot be read gets no copy and a line saying so; the
// others are annotated.
func TestBatchAnnotateUnreadableWorkbook(t *testing.T) {
	in := t.TempDir()
	if err := os.WriteFile(filepath.Join(in, "bad.xlsx"), []byte("not a workbook"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("../../../fixtures/xlsx/form.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "form.xlsx"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	copies := filepath.Join(t.TempDir(), "copies")
	_, stderr, code := run(t, "batch", "--quiet", "--out", out, "--annotate", copies, in)
	if code != commands.ExitInput {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(stderr, "bad.xlsx 的批注副本") {
		t.Errorf("stderr %q: want a line about bad.xlsx", stderr)
	}
	if _, err := os.Stat(filepath.Join(copies, "form.xlsx")); err != nil {
		t.Errorf("form.xlsx not annotated: %v", err)
	}
	if _, err := os.Stat(filepath.Join(copies, "bad.xlsx")); !os.IsNotExist(err) {
		t.Errorf("bad.xlsx copied (%v)", err)
	}
}

// The Done-when of #13 from the command line: on the generated district
// folder, --annotate writes one annotated copy per workbook (the tree of the
// folder, each opening on 审核意见) and 审核结果.xlsx with one row per project.
func TestBatchAnnotateADistrictsExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "export")
	books, err := district.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "review")
	copies := filepath.Join(out, "annotated")
	stdout, stderr, code := run(t, "batch", "--quiet", "--fiscal-year", "2023", "--out", out, "--annotate", copies, dir)
	if code != commands.ExitInput { // the one project that cannot be read
		t.Fatalf("exit %d, want 2:\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "15 个批注副本") {
		t.Errorf("stdout %q: want 15 copies reported", stdout)
	}
	for _, book := range books {
		f, err := excelize.OpenFile(filepath.Join(copies, filepath.Base(book)))
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(book), err)
			continue
		}
		if first := f.GetSheetName(0); first != "审核意见" {
			t.Errorf("%s: first sheet %q", filepath.Base(book), first)
		}
		f.Close()
	}
	f, err := excelize.OpenFile(filepath.Join(out, annotate.RegisterName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("审核结果")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-3 != district.Projects {
		t.Errorf("register: %d rows, want %d", len(rows)-3, district.Projects)
	}
	letters, _ := filepath.Glob(filepath.Join(out, annotate.LetterPrefix+"*.md"))
	if len(letters) != district.Workbooks {
		t.Errorf("%d letters, want one per unit (%d): %q", len(letters), district.Workbooks, letters)
	}
}
