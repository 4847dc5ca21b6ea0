package annotate_test

import (
	"path/filepath"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator/annotate"
)

// A folder of workbooks comes back as the same tree under the copies' folder.
func TestCopyPath(t *testing.T) {
	root := annotate.Root([]string{"district/教育局/a.xlsx", "district/水务局/b.xlsx", "other/c.yaml"})
	for in, want := range map[string]string{
		"district/教育局/a.xlsx": "out/教育局/a.xlsx",
		"district/水务局/b.xlsx": "out/水务局/b.xlsx",
		"elsewhere/d.xlsx":    "out/d.xlsx",
	} {
		if got := annotate.CopyPath("out", root, in); got != filepath.FromSlash(want) {
			t.Errorf("CopyPath(%s) = %s, want %s", in, got, want)
		}
	}
	if got := annotate.CopyPath("out", annotate.Root([]string{"../form.xlsx"}), "../form.xlsx"); got != filepath.FromSlash("out/form.xlsx") {
		t.Errorf("one workbook: %s, want out/form.xlsx", got)
	}
}
