package annotate_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/annotate"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/evaluator/summary"
)

// formDocs are form.xlsx's documents, 学校食堂's with a review written by
// hand, plus a project of a unit whose name holds a slash and one that could
// not be read.
func formDocs(t *testing.T) []*result.Document {
	t.Helper()
	docs := review(t, form)
	for _, d := range docs {
		if d.Project.Code == "510113210000006" {
			d.Procedure = result.TargetReview
			d.Review = &result.Review{Grade: "中", Code: "fair", Consequence: "单位修改后重新报送", Notes: []result.ReviewNote{
				{N: 1, Code: "TARGET_VALUE_NO_UNIT", Location: d.Findings[0].Location, Text: "第13行（数量）“22”缺少计量单位：写明单位，如“22所”。"},
				{N: 2, Code: "POLICY_BASIS_NO_DOCUMENT", Text: "政策依据未引用文件：写明文件名称和文号。"},
			}}
		}
	}
	docs = append(docs,
		&result.Document{Schema: result.Schema, File: "extra.yaml", Lang: "zh",
			Project:    result.Project{Name: "办公设备购置", Code: "510113210000099", BudgetUnit: "示范区财政局/办公室", Department: "示范区财政局"},
			Conclusion: result.Conclusion{Code: result.Support, Text: "予以支持"}},
		&result.Document{Schema: result.Schema, File: "broken.yaml", Lang: "zh",
			Errors: []submission.Problem{{Code: "yaml_syntax", Pos: submission.Pos{File: "broken.yaml", Line: 3}, Message: "bad", Zh: "YAML 语法错误"}}},
	)
	return docs
}

func writeRegister(t *testing.T, docs []*result.Document) string {
	t.Helper()
	dir := t.TempDir()
	r, err := annotate.NewRegister(dir, "zh")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if err := r.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(summary.Status{Inputs: 3, Total: 3}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRegisterRowsByUnitAndCode(t *testing.T) {
	dir := writeRegister(t, formDocs(t))
	f, err := excelize.OpenFile(filepath.Join(dir, annotate.RegisterName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"审核结果"}) {
		t.Fatalf("sheets %q", got)
	}
	rows, err := f.GetRows("审核结果")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"序号", "项目编码", "项目名称", "申请单位", "一级预算单位", "审核结果", "问题数", "审核意见"}; !slices.Equal(rows[2], want) {
		t.Fatalf("header %q, want %q", rows[2], want)
	}
	body := rows[3:]
	if len(body) != 10 {
		t.Fatalf("%d rows, want 10 (8 projects, 1 more, 1 unreadable)", len(body))
	}
	// By unit (as Unicode orders them), then code; a row without a unit last.
	var units []string
	for i, r := range body {
		if r[0] != strconv.Itoa(i+1) {
			t.Errorf("row %d numbered %q", i+1, r[0])
		}
		units = append(units, r[3])
	}
	if !slices.IsSorted(units[:len(units)-1]) || units[len(units)-1] != "" {
		t.Errorf("units %q: want sorted, the unreadable row last", units)
	}
	byCode := map[string][]string{}
	for _, r := range body {
		byCode[r[1]] = r
	}
	canteen := byCode["510113210000006"]
	want := []string{"", "510113210000006", "中小学食堂设备更新项目", "示范区教育局", "示范区教育局", "中", "2",
		"1. 第13行（数量）“22”缺少计量单位：写明单位，如“22所”。\n2. 政策依据未引用文件：写明文件名称和文号。"}
	canteen[0] = ""
	if !reflect.DeepEqual(canteen, want) {
		t.Errorf("学校食堂 row\n%q\nwant\n%q", canteen, want)
	}
	// Without a review, the findings are the notes, numbered, with their cells.
	hotline := byCode["510113210000002"]
	if hotline[6] != "1" || !strings.HasPrefix(hotline[7], "1. 热线运行!F7：本年度申报金额 517100万元") {
		t.Errorf("热线运行 row %q: want one note at 热线运行!F7", hotline)
	}
	if r := byCode["510113210000099"]; r[5] != "予以支持" || r[6] != "0" || r[7] != "未发现问题。" {
		t.Errorf("a project without findings: %q", r)
	}
	last := body[len(body)-1]
	if last[2] != "broken.yaml" || last[5] != "无法评估" || last[7] != "1. 第3行：YAML 语法错误" {
		t.Errorf("unreadable row %q", last)
	}
	if !strings.HasPrefix(rows[1][0], "共 10 个项目，中 1 个") {
		t.Errorf("subtitle %q: want the count and the grades", rows[1][0])
	}

	// Print-ready: A4 landscape, one page wide, the header row repeated.
	pl, err := f.GetPageLayout("审核结果")
	if err != nil {
		t.Fatal(err)
	}
	if *pl.Size != 9 || *pl.Orientation != "landscape" || *pl.FitToWidth != 1 {
		t.Errorf("page layout size %d orientation %s fit to width %d", *pl.Size, *pl.Orientation, *pl.FitToWidth)
	}
	titles := ""
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles = dn.RefersTo
		}
	}
	if titles != "审核结果!$3:$3" {
		t.Errorf("print titles %q, want 审核结果!$3:$3", titles)
	}
	if w, _ := f.GetColWidth("审核结果", "H"); w < 50 {
		t.Errorf("审核意见 column %v wide", w)
	}
	id, _ := f.GetCellStyle("审核结果", "H4")
	if s, _ := f.GetStyle(id); s.Alignment == nil || !s.Alignment.WrapText {
		t.Errorf("审核意见 cells do not wrap")
	}
}

func TestLettersOnePerUnit(t *testing.T) {
	dir := writeRegister(t, formDocs(t))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var md []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") {
			md = append(md, e.Name())
		}
	}
	// Seven units in form.xlsx (two projects of 住建局), extra.yaml's, whose
	// slash makes no folder, and none for the unreadable file.
	for _, want := range []string{"审核意见-示范区教育局.md", "审核意见-示范区财政局_办公室.md", "审核意见-未填写申请单位.md"} {
		if !slices.Contains(md, want) {
			t.Errorf("letters %q: no %s", md, want)
		}
	}
	if len(md) != 9 {
		t.Errorf("%d letters, want 9: %q", len(md), md)
	}
	letter, err := os.ReadFile(filepath.Join(dir, "审核意见-示范区教育局.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# 示范区教育局项目绩效目标审核意见", "贵单位报送的 1 个项目", "审核结果：**中**（单位修改后重新报送）",
		"1. 第13行（数量）“22”缺少计量单位：写明单位，如“22所”。", "2. 政策依据未引用文件：写明文件名称和文号。"} {
		if !strings.Contains(string(letter), want) {
			t.Errorf("letter to 示范区教育局 lacks %q:\n%s", want, letter)
		}
	}
	html, err := os.ReadFile(filepath.Join(dir, "审核意见-示范区教育局.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<li value=\"1\">第13行（数量）“22”缺少计量单位", "@page { size: A4", `<span class="grade fair">中</span>`} {
		if !strings.Contains(string(html), want) {
			t.Errorf("HTML letter lacks %q", want)
		}
	}
	// Self-contained: no script, nothing fetched.
	for _, bad := range []string{"<script", "src=", "href=", "http:", "https:"} {
		if strings.Contains(string(html), bad) {
			t.Errorf("HTML letter holds %q", bad)
		}
	}
}

// The same documents give the same bytes.
func TestRegisterAndCopyAreDeterministic(t *testing.T) {
	docs := formDocs(t)
	a, b := writeRegister(t, docs), writeRegister(t, docs)
	for _, name := range []string{annotate.RegisterName, "审核意见-示范区教育局.html", "审核意见-示范区教育局.md"} {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs from run to run (%d, %d bytes)", name, len(x), len(y))
		}
	}
	wb := docs[:8]
	x, _ := annotated(t, form, wb)
	y, _ := annotated(t, form, wb)
	bx, _ := os.ReadFile(x)
	by, _ := os.ReadFile(y)
	if len(bx) == 0 || !bytes.Equal(bx, by) {
		t.Errorf("annotated copies differ from run to run")
	}
}

// TestRegisterManyNotes: a project with more notes than Excel's tallest row
// (409 points) holds is written, all its notes in its cell, the row at the
// tallest Excel allows (the seed's 19 findings, wrapped, broke the register
// of batch --annotate).
func TestRegisterManyNotes(t *testing.T) {
	doc := &result.Document{Schema: result.Schema, File: "many.yaml", Lang: "zh", Procedure: result.TargetReview,
		Project: result.Project{Name: "问题很多的项目", Code: "510113210000077", BudgetUnit: "示范区教育局"},
		Review:  &result.Review{Grade: "差", Code: "poor", Consequence: "不予安排"}}
	for n := 1; n <= 40; n++ {
		doc.Review.Notes = append(doc.Review.Notes, result.ReviewNote{N: n, Code: "TARGET_VALUE_NO_UNIT", Text: "第" + strconv.Itoa(n) + "条：指标值缺少计量单位，写明单位。"})
	}
	f, err := excelize.OpenFile(filepath.Join(writeRegister(t, []*result.Document{doc}), annotate.RegisterName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	notes, _ := f.GetCellValue("审核结果", "H4")
	if !strings.Contains(notes, "40.") && !strings.Contains(notes, "第40条") {
		t.Errorf("the 40th note is not in the cell: %q", notes)
	}
	if h, _ := f.GetRowHeight("审核结果", 4); h != excelize.MaxRowHeight {
		t.Errorf("row height %v, want %d", h, excelize.MaxRowHeight)
	}
}
