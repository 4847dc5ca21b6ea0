package serve_test

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/serve"
)

// TestAnnotatedDownloads: a page batch with a workbook offers what goes back
// to the departments, as batch --annotate writes it: the annotated copy of
// the workbook (the hotline's F7, whose costing unit does not match, filled
// and commented; every sheet of the upload kept; the 审核意见 sheet naming
// the uploaded file, never the private one), 审核结果.xlsx with the
// project's grade, and the letters per unit.
func TestAnnotatedDownloads(t *testing.T) {
	tmp := t.TempDir()
	url, _ := start(t, serve.Config{TempDir: tmp})
	id := decode[map[string]string](t, post(t, url+"/b", "", nil))["id"]
	ct, body := form(t, [2]string{"街道/form.xlsx", string(read(t, workbookPath))}, [2]string{"submission.yaml", string(read(t, seedPath))})
	if a := post(t, url+"/b/"+id+"/files", ct, body); a.Status != http.StatusOK {
		t.Fatalf("upload: %d %s", a.Status, a.Body)
	}
	docs := decode[[]*result.Document](t, get(t, url+"/b/"+id+"/results.json"))
	var hotline *result.Review
	for _, d := range docs {
		if d.Project.Code == "510113210000002" {
			hotline = d.Review
		}
	}
	if hotline == nil || len(hotline.Notes) == 0 || hotline.Notes[0].Code != "COSTING_UNIT_MISMATCH" {
		t.Fatalf("no graded result with COSTING_UNIT_MISMATCH for 510113210000002: %+v", hotline)
	}

	page := string(get(t, url+"/b/"+id).Body)
	for _, want := range []string{`id="dl-register" href="/b/` + id + `/register.xlsx"`, `id="dl-letters"`, `id="dl-annotated-1" href="/b/` + id + `/w/1/annotated.xlsx" download>form.xlsx</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the batch page lacks %s", want)
		}
	}
	if strings.Contains(page, "dl-annotated-2") {
		t.Error("the page offers an annotated copy of the YAML submission")
	}

	// The annotated copy.
	a := get(t, url+"/b/"+id+"/w/1/annotated.xlsx")
	if a.Status != http.StatusOK {
		t.Fatalf("annotated.xlsx: %d %s", a.Status, a.Body)
	}
	if cd := a.Header.Get("Content-Disposition"); cd != "attachment; filename*=utf-8''form-%E6%89%B9%E6%B3%A8.xlsx" {
		t.Errorf("annotated.xlsx is named %q, want form-批注.xlsx", cd)
	}
	src, err := excelize.OpenFile(workbookPath)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	f, err := excelize.OpenReader(bytes.NewReader(a.Body))
	if err != nil {
		t.Fatalf("annotated.xlsx does not open: %v", err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), src.GetSheetList(); len(got) != len(want)+1 || got[0] != "审核意见" || !slices.Equal(got[1:], want) {
		t.Errorf("sheets %q, want 审核意见 then %q", got, want)
	}
	if title, _ := f.GetCellValue("审核意见", "A1"); !strings.Contains(title, "form.xlsx") || strings.Contains(title, "upload") {
		t.Errorf("the 审核意见 sheet is titled %q, want the uploaded name form.xlsx", title)
	}
	style, err := f.GetCellStyle("热线运行", "F7")
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(style)
	if err != nil || st.Fill.Pattern != 1 || len(st.Fill.Color) == 0 {
		t.Errorf("热线运行!F7 has no fill: %+v %v", st, err)
	}
	comments, err := f.GetComments("热线运行")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(comments, func(c excelize.Comment) bool { return c.Cell == "F7" })
	if i < 0 {
		t.Fatalf("热线运行!F7 has no comment (comments on %d cells)", len(comments))
	}
	text := ""
	for _, p := range comments[i].Paragraph {
		text += p.Text
	}
	if !strings.Contains(text, "COSTING_UNIT_MISMATCH") {
		t.Errorf("the comment on 热线运行!F7 reads %q, want COSTING_UNIT_MISMATCH", text)
	}
	for _, path := range []string{"/w/2/annotated.xlsx", "/w/0/annotated.xlsx", "/w/x/annotated.xlsx", "/w/-1/annotated.xlsx"} {
		if a := get(t, url+"/b/"+id+path); a.Status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, a.Status)
		}
	}

	// The register: the hotline's row has its grade.
	reg := get(t, url+"/b/"+id+"/register.xlsx")
	if reg.Status != http.StatusOK || reg.Header.Get("Content-Disposition") != "attachment; filename*=utf-8''%E5%AE%A1%E6%A0%B8%E7%BB%93%E6%9E%9C.xlsx" {
		t.Fatalf("register.xlsx: %d %q %s", reg.Status, reg.Header.Get("Content-Disposition"), reg.Body)
	}
	rf, err := excelize.OpenReader(bytes.NewReader(reg.Body))
	if err != nil {
		t.Fatalf("register.xlsx does not open: %v", err)
	}
	defer rf.Close()
	rows, err := rf.GetRows("审核结果")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 3 || !slices.Equal(rows[2][:6], []string{"序号", "项目编码", "项目名称", "申请单位", "一级预算单位", "审核结果"}) {
		t.Fatalf("register header: %q", rows)
	}
	found := false
	for _, r := range rows[3:] {
		if len(r) > 7 && r[1] == "510113210000002" {
			found = true
			if r[2] != "政务服务热线运行项目" || r[5] != hotline.Grade || r[6] != strconv.Itoa(len(hotline.Notes)) || !strings.Contains(r[7], hotline.Notes[0].Text) {
				t.Errorf("the register's row for 510113210000002 reads %q, want 政务服务热线运行项目, grade %s, its %d notes", r, hotline.Grade, len(hotline.Notes))
			}
		}
	}
	if !found {
		t.Errorf("the register has no row for 510113210000002: %q", rows)
	}

	// The letters: one .md and one .html per unit.
	z := get(t, url+"/b/"+id+"/letters.zip")
	zr, err := zip.NewReader(bytes.NewReader(z.Body), int64(len(z.Body)))
	if err != nil {
		t.Fatalf("letters.zip: %d %v", z.Status, err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if len(names) < 2 || len(names)%2 != 0 || !slices.Contains(names, "审核意见-青白江区审批和营商环境局.md") {
		t.Errorf("letters.zip holds %q, want a .md and a .html per unit", names)
	}
	if again := get(t, url+"/b/"+id+"/letters.zip"); !bytes.Equal(again.Body, z.Body) {
		t.Error("letters.zip differs from one download to the next")
	}

	// Nothing is left in the private folder but the batch's workbook.
	var left []string
	filepath.WalkDir(tmp, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(tmp, path)
			left = append(left, filepath.ToSlash(rel))
		}
		return nil
	})
	if len(left) != 1 || !regexp.MustCompile(`^budgetcheck-serve-\d+/batch-\d+/upload-\d+\.xlsx$`).MatchString(left[0]) {
		t.Errorf("the private folder holds %q, want the batch's one workbook", left)
	}
}

// TestDroppedBatchTakesItsWorkbooks: a batch pushed out by a newer one
// (MaxBatches) takes its kept workbooks with it.
func TestDroppedBatchTakesItsWorkbooks(t *testing.T) {
	tmp := t.TempDir()
	url, _ := start(t, serve.Config{TempDir: tmp, MaxBatches: 1})
	id := decode[map[string]string](t, post(t, url+"/b", "", nil))["id"]
	ct, body := form(t, [2]string{"form.xlsx", string(read(t, workbookPath))})
	if a := post(t, url+"/b/"+id+"/files", ct, body); a.Status != http.StatusOK {
		t.Fatalf("upload: %d %s", a.Status, a.Body)
	}
	kept := func() []string {
		m, _ := filepath.Glob(filepath.Join(tmp, "budgetcheck-serve-*", "batch-*", "*"))
		return m
	}
	if len(kept()) != 1 {
		t.Fatalf("kept %q, want the one workbook", kept())
	}
	post(t, url+"/b", "", nil) // the first batch goes
	for deadline := time.Now().Add(5 * time.Second); len(kept()) > 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if k := kept(); len(k) > 0 {
		t.Errorf("the dropped batch's workbook is still there: %q", k)
	}
	if a := get(t, url+"/b/"+id+"/w/1/annotated.xlsx"); a.Status != http.StatusNotFound {
		t.Errorf("the dropped batch's copy: %d, want 404", a.Status)
	}
}
