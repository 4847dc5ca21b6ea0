package annotate_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/annotate"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/evaluator/xlsximport"
	"github.com/budgetcheck/budgetcheck/policies"
)

const form = "../../fixtures/xlsx/form.xlsx"

var (
	engineOnce sync.Once
	engineVal  *evaluator.Engine
	engineErr  error
)

// engine is the embedded ruleset, prepared once for the package's tests.
func engine(t *testing.T) *evaluator.Engine {
	t.Helper()
	engineOnce.Do(func() {
		rs, err := ruleset.Load([]ruleset.Source{policies.Source(policies.Default)}, nil)
		if err != nil {
			engineErr = err
			return
		}
		engineVal, engineErr = evaluator.New(context.Background(), rs, evaluator.Options{})
	})
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	return engineVal
}

var (
	enginesOnce sync.Once
	enginesVal  *evaluator.Engines
	enginesErr  error
)

// engines are the embedded rulesets, chosen per submission as batch does:
// a 申报表 workbook's projects get the target review (grades and notes).
func engines(t *testing.T) *evaluator.Engines {
	t.Helper()
	enginesOnce.Do(func() {
		var sets []*ruleset.Ruleset
		for _, dir := range policies.Rulesets {
			rs, err := ruleset.Load([]ruleset.Source{policies.Source(dir)}, nil)
			if err != nil {
				enginesErr = err
				return
			}
			sets = append(sets, rs)
		}
		enginesVal, enginesErr = evaluator.NewEngines(sets, evaluator.Options{})
	})
	if enginesErr != nil {
		t.Fatal(enginesErr)
	}
	return enginesVal
}

// review evaluates every project of a workbook with the pre-evaluation
// ruleset alone: documents without a review, whose findings are the notes.
func review(t *testing.T, path string) []*result.Document {
	t.Helper()
	subs, err := xlsximport.Load(path, xlsximport.Options{})
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	var docs []*result.Document
	for _, sub := range subs {
		doc, err := engine(t).Evaluate(context.Background(), sub)
		if err != nil {
			t.Fatalf("evaluate %s: %v", sub.Project.Name, err)
		}
		docs = append(docs, doc)
	}
	return docs
}

// decorated is form.xlsx with what a department's workbook may also hold: a
// formula, a number format, a border and a font on a cell that gets a note,
// a number stored as 2.02828E7 in a merged range, a comment of its own on
// one, a print area defined for a sheet.
func decorated(t *testing.T) string {
	t.Helper()
	f, err := excelize.OpenFile(form)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	numFmt := "#,##0.00"
	style, err := f.NewStyle(&excelize.Style{
		CustomNumFmt: &numFmt,
		Font:         &excelize.Font{Bold: true, Color: "1F4E79", Size: 12},
		Border:       []excelize.Border{{Type: "bottom", Color: "000000", Style: 2}},
		Alignment:    &excelize.Alignment{Horizontal: "right"},
	})
	must(err)
	must(f.SetCellStyle("热线运行", "F7", "F7", style))
	must(f.SetCellFormula("热线运行", "H7", "F7/10000"))
	// A number stored in exponent form heading a merged range, as real
	// exports have them: excelize rewrites such text when it formats it.
	must(f.SetCellDefault("热线运行", "H8", "2.02828E7"))
	must(f.MergeCell("热线运行", "H8", "I8"))
	must(f.AddComment("道路养护", excelize.Comment{Cell: "D14", Author: "科室", Paragraph: []excelize.RichTextRun{{Text: "已与单位沟通"}}}))
	must(f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", RefersTo: "道路养护!$A$1:$E$20", Scope: "道路养护"}))
	path := filepath.Join(t.TempDir(), "decorated.xlsx")
	must(f.SaveAs(path))
	return path
}

func annotated(t *testing.T, src string, docs []*result.Document) (string, annotate.Stats) {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "out", filepath.Base(src))
	st, err := annotate.Workbook(src, dst, docs, annotate.Options{Lang: "zh"})
	if err != nil {
		t.Fatal(err)
	}
	return dst, st
}

// sameContent fails unless the copy has every sheet of the source, in
// order, after its new first sheet, with the same values, formulas and
// merges in every cell, and the same defined names.
func sameContent(t *testing.T, src, dst string) {
	t.Helper()
	a, err := excelize.OpenFile(src)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := excelize.OpenFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sheets, copied := a.GetSheetList(), b.GetSheetList()
	if len(copied) != len(sheets)+1 || !slices.Equal(copied[1:], sheets) {
		t.Fatalf("%s: sheets %q, want 审核意见 then %q", dst, copied, sheets)
	}
	if copied[0] != "审核意见" || b.GetActiveSheetIndex() != 0 {
		t.Errorf("%s: first sheet %q (active %d), want 审核意见, active", dst, copied[0], b.GetActiveSheetIndex())
	}
	for _, sheet := range sheets {
		rowsA, err := a.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		rowsB, err := b.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		cells := 0
		for r := 1; r <= max(len(rowsA), len(rowsB)); r++ {
			cols := 0
			if r <= len(rowsA) {
				cols = len(rowsA[r-1])
			}
			if r <= len(rowsB) {
				cols = max(cols, len(rowsB[r-1]))
			}
			for c := 1; c <= cols; c++ {
				cell, _ := excelize.CoordinatesToCellName(c, r)
				va, _ := a.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
				vb, _ := b.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
				fa, _ := a.GetCellFormula(sheet, cell)
				fb, _ := b.GetCellFormula(sheet, cell)
				ta, _ := a.GetCellType(sheet, cell)
				tb, _ := b.GetCellType(sheet, cell)
				if va != vb || fa != fb || ta != tb {
					t.Errorf("%s!%s: %q (formula %q, type %v) became %q (formula %q, type %v)", sheet, cell, va, fa, ta, vb, fb, tb)
				}
				cells++
			}
		}
		if cells == 0 {
			t.Errorf("%s: no cell compared", sheet)
		}
		ma, _ := a.GetMergeCells(sheet, true)
		mb, _ := b.GetMergeCells(sheet, true)
		if !reflect.DeepEqual(merges(ma), merges(mb)) {
			t.Errorf("%s: merges %v became %v", sheet, merges(ma), merges(mb))
		}
	}
	if na, nb := definedNames(a), definedNames(b); !slices.Equal(na, nb) {
		t.Errorf("defined names %q became %q", na, nb)
	}
}

func merges(ms []excelize.MergeCell) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	slices.Sort(out)
	return out
}

// definedNames lists the names the source defined, by scope, leaving out
// those budgetcheck defines for its own sheet.
func definedNames(f *excelize.File) []string {
	out := []string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Scope == "审核意见" {
			continue
		}
		out = append(out, dn.Scope+"/"+dn.Name+"="+dn.RefersTo)
	}
	slices.Sort(out)
	return out
}

func TestWorkbookLeavesValuesFormulasMergesAndSheets(t *testing.T) {
	src := decorated(t)
	dst, st := annotated(t, src, review(t, src))
	if st.Projects != 8 || st.Cells == 0 {
		t.Errorf("stats %+v: want 8 projects and annotated cells", st)
	}
	sameContent(t, src, dst)
}

// commentAt is the text of the comment on a cell, or "".
func commentAt(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	cs, err := f.GetComments(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Cell == cell {
			s := c.Text
			for _, r := range c.Paragraph {
				s += r.Text
			}
			return s
		}
	}
	return ""
}

func fillAt(t *testing.T, f *excelize.File, sheet, cell string) (*excelize.Style, string) {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if s.Fill.Pattern != 1 || len(s.Fill.Color) == 0 {
		return s, ""
	}
	color := strings.ToUpper(s.Fill.Color[0])
	if len(color) == 8 { // ARGB
		color = color[2:]
	}
	return s, color
}

func TestWorkbookMarksProblemCells(t *testing.T) {
	src := decorated(t)
	dst, _ := annotated(t, src, review(t, src))
	f, err := excelize.OpenFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	orig, err := excelize.OpenFile(src)
	if err != nil {
		t.Fatal(err)
	}
	defer orig.Close()

	// 本年度项目金额 in 元 under a 万元 heading: a warning on 热线运行!F7.
	style, fill := fillAt(t, f, "热线运行", "F7")
	if fill != "FFEB9C" {
		t.Errorf("热线运行!F7 fill %q, want FFEB9C (warning)", fill)
	}
	// The cell keeps its number format, font, border and alignment.
	before, _ := fillAt(t, orig, "热线运行", "F7")
	style.Fill, before.Fill = excelize.Fill{}, excelize.Fill{}
	if !reflect.DeepEqual(style, before) {
		t.Errorf("热线运行!F7 style %+v, want the source's %+v with a fill", style, before)
	}
	if c := commentAt(t, f, "热线运行", "F7"); !strings.Contains(c, "疑似以“元”为单位填入了“万元”栏") || !strings.Contains(c, "COSTING_UNIT_MISMATCH") || !strings.Contains(c, "请核对金额单位") {
		t.Errorf("热线运行!F7 comment %q: want the finding's text, code and what to do", c)
	}
	// Two findings on one cell share one comment.
	c := commentAt(t, f, "道路养护", "D17")
	if !strings.Contains(c, "BENEFIT_NOT_QUANTIFIED") || !strings.Contains(c, "TARGET_VALUE_NOT_MEASURABLE") || strings.Count(c, "审核意见：") != 1 {
		t.Errorf("道路养护!D17 comment %q: want both findings in one comment", c)
	}
	// A department's own comment is kept, ahead of the notes.
	if c := commentAt(t, f, "道路养护", "D14"); !strings.HasPrefix(c, "原批注：已与单位沟通") || !strings.Contains(c, "“明显提升”不可衡量") {
		t.Errorf("道路养护!D14 comment %q: want the original comment, then the note", c)
	}
	// A cell without a problem is left alone.
	if _, fill := fillAt(t, f, "热线运行", "B3"); fill != "" || commentAt(t, f, "热线运行", "B3") != "" {
		t.Errorf("热线运行!B3: fill %q, comment %q: want none", fill, commentAt(t, f, "热线运行", "B3"))
	}
}

func TestWorkbookUsesTheReview(t *testing.T) {
	src := decorated(t)
	docs := review(t, src)
	var canteen *result.Document
	for _, d := range docs {
		if d.Project.Code == "510113210000006" {
			canteen = d
		}
	}
	if canteen == nil {
		t.Fatal("no 学校食堂 project")
	}
	// Until the target review fills it, a Review written by hand: one note
	// on a cell, one with no cell.
	canteen.Procedure = result.TargetReview
	canteen.Review = &result.Review{Grade: "中", Code: "fair", Consequence: "单位修改后重新报送", Notes: []result.ReviewNote{
		{N: 1, Code: "TARGET_VALUE_NO_UNIT", Location: canteen.Findings[0].Location, Text: "第13行（数量）“22”缺少计量单位：写明单位，如“22所”。"},
		{N: 2, Code: "POLICY_BASIS_NO_DOCUMENT", Text: "政策依据未引用文件：写明文件名称和文号，如《…》（成办发〔2019〕36号）。"},
	}}
	dst, _ := annotated(t, src, docs)
	f, err := excelize.OpenFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if c := commentAt(t, f, "学校食堂", "D13"); !strings.Contains(c, "1. 第13行（数量）“22”缺少计量单位：写明单位，如“22所”。［TARGET_VALUE_NO_UNIT］") {
		t.Errorf("学校食堂!D13 comment %q: want review note 1", c)
	}
	// The note with no cell is on the project's title cell.
	title := "A1"
	if c := commentAt(t, f, "学校食堂", title); !strings.Contains(c, "2. 政策依据未引用文件") {
		t.Errorf("学校食堂!%s comment %q: want review note 2", title, c)
	}
	// The finding the review did not take up is not a note.
	if c := commentAt(t, f, "学校食堂", "C16"); c != "" {
		t.Errorf("学校食堂!C16 comment %q: the review's notes replace the findings", c)
	}
	rows, err := f.GetRows("审核意见")
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, r := range rows {
		if len(r) > 1 && (r[0] == "学校食堂" || len(got) > 0 && r[0] == "" && len(got) < 2) {
			got = append(got, r)
		}
	}
	want := [][]string{
		{"学校食堂", "510113210000006", "中小学食堂设备更新项目", "示范区教育局", "中\n单位修改后重新报送", "1", "第13行（数量）“22”缺少计量单位：写明单位，如“22所”。［TARGET_VALUE_NO_UNIT］", "D13"},
		{"", "", "", "", "", "2", "政策依据未引用文件：写明文件名称和文号，如《…》（成办发〔2019〕36号）。［POLICY_BASIS_NO_DOCUMENT］", title},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("审核意见 rows of 学校食堂:\n%q\nwant\n%q", got, want)
	}
	link, target, err := f.GetCellHyperLink("审核意见", cellOf(t, f, "学校食堂"))
	if err != nil || !link || target != "学校食堂!"+title {
		t.Errorf("审核意见 link to 学校食堂: %v %q %v", link, target, err)
	}
}

// cellOf is the cell of the 审核意见 sheet that holds text.
func cellOf(t *testing.T, f *excelize.File, text string) string {
	t.Helper()
	cells, err := f.SearchSheet("审核意见", text)
	if err != nil || len(cells) == 0 {
		t.Fatalf("审核意见: no cell %q (%v)", text, err)
	}
	return cells[0]
}

// An unreadable workbook is an error, not a copy.
func TestWorkbookRefusesWhatItCannotRead(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.xlsx")
	if err := os.WriteFile(bad, []byte("not a workbook"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := annotate.Workbook(bad, filepath.Join(t.TempDir(), "out.xlsx"), nil, annotate.Options{})
	var problems submission.Problems
	if err == nil || !errors.As(err, &problems) {
		t.Fatalf("err %v: want the import's problems", err)
	}
}

// A note on a cell inside a merged range goes on the range's first cell,
// where its value is.
func TestWorkbookNoteInsideAMerge(t *testing.T) {
	src, err := excelize.OpenFile(form)
	if err != nil {
		t.Fatal(err)
	}
	merges, _ := src.GetMergeCells("道路养护")
	src.Close()
	var m excelize.MergeCell
	for _, x := range merges {
		_, r1, _ := excelize.CellNameToCoordinates(x.GetStartAxis())
		_, r2, _ := excelize.CellNameToCoordinates(x.GetEndAxis())
		if r2 > r1 {
			m = x
			break
		}
	}
	if m == nil {
		t.Fatal("no merged range over several rows on 道路养护")
	}
	docs := review(t, form)
	for _, d := range docs {
		if d.Project.Code == "510113210000003" {
			d.Review = &result.Review{Grade: "差", Code: "poor", Notes: []result.ReviewNote{
				{N: 1, Code: "TARGET_LEVEL", Location: submission.Pos{File: "form.xlsx#道路养护!" + m.GetEndAxis()}, Text: "一级指标有误。"},
			}}
		}
	}
	dst, _ := annotated(t, form, docs)
	f, err := excelize.OpenFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if c := commentAt(t, f, "道路养护", m.GetStartAxis()); !strings.Contains(c, "1. 一级指标有误。") {
		t.Errorf("道路养护!%s (first of %s:%s) comment %q", m.GetStartAxis(), m.GetStartAxis(), m.GetEndAxis(), c)
	}
	if _, fill := fillAt(t, f, "道路养护", m.GetStartAxis()); fill != "FFEB9C" {
		t.Errorf("道路养护!%s fill %q, want FFEB9C", m.GetStartAxis(), fill)
	}
}
