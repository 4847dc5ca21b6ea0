package report_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/report"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/schedule"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/policies"
)

const seed = "../../fixtures/qingbaijiang-2021/submission.yaml"

type seedReport struct {
	doc   *result.Document
	table *schedule.Table
	rep   *report.Report
}

// buildSeed evaluates the seed with the embedded ruleset and builds its
// Table 1 and report, as `budgetcheck report` does.
func buildSeed(t *testing.T, lang string) seedReport {
	t.Helper()
	rs, err := ruleset.Load([]ruleset.Source{policies.Source(policies.Default)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	engine, err := evaluator.New(context.Background(), rs, evaluator.Options{Lang: lang, Schedule: true})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := submission.Load(seed, submission.Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := engine.Evaluate(context.Background(), sub)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, sp := range sub.Subprojects {
		names[sp.ID] = sp.Name
	}
	table, err := schedule.Build(doc, schedule.Options{Lang: lang, Subprojects: names})
	if err != nil {
		t.Fatal(err)
	}
	texts, err := report.LoadTexts(rs.Data)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := report.Build(sub, doc, table, report.Options{Lang: lang, Texts: texts})
	if err != nil {
		t.Fatal(err)
	}
	return seedReport{doc, table, rep}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestReportFiguresReconcile checks what a bureau relies on when it files the
// report: every total is the sum of its parts, and Table 1's fiscal-year
// column is the recommended budget.
func TestReportFiguresReconcile(t *testing.T) {
	s := buildSeed(t, ruleset.LangZh)
	doc, table := s.doc, s.table

	t.Run("indicator points sum to the total", func(t *testing.T) {
		earned, possible := decimal.Zero, decimal.Zero
		for _, ind := range doc.Indicators {
			if ind.Applicable {
				earned = earned.Add(*ind.Score)
				possible = possible.Add(ind.Max)
			}
		}
		if !earned.Equal(doc.Score.Earned) || !possible.Equal(doc.Score.Possible) {
			t.Errorf("indicators sum to %s/%s, the document says %s/%s", earned, possible, doc.Score.Earned, doc.Score.Possible)
		}
		total := earned.Mul(decimal.NewFromInt(100)).DivRound(possible, 2)
		if !total.Equal(doc.Score.Total) || doc.Score.Total.StringFixed(2) != "70.13" {
			t.Errorf("total %s, recomputed %s, want 70.13", doc.Score.Total, total)
		}
		if s.rep.Earned != "54" || s.rep.Possible != "77" || s.rep.Total != "70.13" {
			t.Errorf("report prints %s/%s → %s", s.rep.Earned, s.rep.Possible, s.rep.Total)
		}
	})

	t.Run("line changes sum to the budget change", func(t *testing.T) {
		requested, recommended, change := decimal.Zero, decimal.Zero, decimal.Zero
		for _, l := range doc.Budget.Lines {
			requested = requested.Add(l.Requested)
			recommended = recommended.Add(l.Recommended)
			change = change.Add(l.Change)
			if !l.Recommended.Sub(l.Requested).Equal(l.Change) {
				t.Errorf("line %s: %s − %s ≠ %s", l.ID, l.Recommended, l.Requested, l.Change)
			}
		}
		if !requested.Equal(doc.Budget.Requested) || !recommended.Equal(doc.Budget.Recommended) || !change.Equal(doc.Budget.Change) {
			t.Errorf("lines sum to %s → %s (%s); budget %s → %s (%s)", requested, recommended, change, doc.Budget.Requested, doc.Budget.Recommended, doc.Budget.Change)
		}
		if doc.Budget.Change.String() != "-33.759" {
			t.Errorf("change %s, want -33.759", doc.Budget.Change)
		}
	})

	t.Run("Table 1 rows add up to their contract totals", func(t *testing.T) {
		total := decimal.Zero
		for _, r := range table.Rows {
			sum := decimal.Zero
			for _, c := range r.Cells {
				sum = sum.Add(c.Amount)
			}
			if !sum.Equal(r.Sum) {
				t.Errorf("row %s: cells add up to %s, row sum %s", r.No, sum, r.Sum)
			}
			if r.Total == nil || !r.Sum.Equal(*r.Total) || r.Discrepancy != nil {
				t.Errorf("row %s (%s): sum %s, total %v, discrepancy %v", r.No, r.ID, r.Sum, r.Total, r.Discrepancy)
			}
			total = total.Add(*r.Total)
		}
		if !total.Equal(table.Total) || !table.Sum.Equal(table.Total) || table.Discrepancies != 0 {
			t.Errorf("totals %s, table total %s, sum %s, %d discrepancies", total, table.Total, table.Sum, table.Discrepancies)
		}
	})

	t.Run("Table 1 columns add up to the totals row", func(t *testing.T) {
		sum := decimal.Zero
		for i, col := range table.Columns {
			c := decimal.Zero
			for _, r := range table.Rows {
				c = c.Add(r.Cells[i].Amount)
			}
			if !c.Equal(table.Totals[i].Amount) {
				t.Errorf("column %s adds up to %s, totals row says %s", col.Key, c, table.Totals[i].Amount)
			}
			sum = sum.Add(c)
		}
		if !sum.Equal(table.Sum) {
			t.Errorf("columns add up to %s, table sum %s", sum, table.Sum)
		}
	})

	t.Run("the fiscal-year column is the recommended budget", func(t *testing.T) {
		fy := table.FiscalColumn()
		if fy < 0 || table.Columns[fy].Key != "2021" {
			t.Fatalf("no 2021 column in %v", table.Columns)
		}
		if got := table.Totals[fy].Amount.String(); got != "222.445" {
			t.Errorf("2021 column %s, want 222.445", got)
		}
		if !table.Reconciled || !table.Fiscal.Equal(doc.Budget.Recommended) {
			t.Errorf("fiscal %s vs recommended %s (reconciled %v)", table.Fiscal, doc.Budget.Recommended, table.Reconciled)
		}
	})

	t.Run("cycle-paid contracts by pay year", func(t *testing.T) {
		want := map[string][]string{
			"C6": {"", "53.8", "80.7", "80.7", "26.9"},
			"C7": {"", "35.175", "46.9", "46.9", "11.725"},
		}
		for _, r := range table.Rows {
			w, ok := want[r.ID]
			if !ok {
				continue
			}
			for i, y := range []string{"2020", "2021", "2022", "2023", "2024"} {
				c := r.Cells[columnIndex(t, table, y)]
				if got := c.Marked(); strings.TrimRight(got, "*✓") != w[i] {
					t.Errorf("%s %s: %q, want %q", r.ID, y, got, w[i])
				}
			}
		}
	})
}

func columnIndex(t *testing.T, table *schedule.Table, key string) int {
	t.Helper()
	for i, c := range table.Columns {
		if c.Key == key {
			return i
		}
	}
	t.Fatalf("no column %s", key)
	return -1
}

// TestReportCarriesTheFigures checks that both formats print the score,
// the conclusion, the findings, the adjusted budget and Table 1.
func TestReportCarriesTheFigures(t *testing.T) {
	for _, lang := range []string{ruleset.LangZh, ruleset.LangEn} {
		s := buildSeed(t, lang)
		var html, md bytes.Buffer
		if err := s.rep.HTML(&html); err != nil {
			t.Fatal(err)
		}
		if err := s.rep.Markdown(&md); err != nil {
			t.Fatal(err)
		}
		want := []string{"70.13", "54", "77", "222.445", "256.204", "-33.759", "45.675", "53.8", "4.816", "10.95", "35.175", "11.725", "242.1", "140.7", "749.5", s.doc.Conclusion.Text}
		for _, f := range s.doc.Findings {
			want = append(want, f.Title)
		}
		if lang == ruleset.LangZh {
			want = append(want, "一、评估对象", "二、评估方式和方法", "三、评估内容与结论", "四、存在的问题与建议", "评估程序", "调整后予以支持", "青白江区审批和营商环境局")
		} else {
			want = append(want, "1. What was evaluated", "Findings and recommendations", "Supported after adjustment")
		}
		for name, out := range map[string]string{"html": html.String(), "md": md.String()} {
			for _, w := range want {
				if !strings.Contains(out, w) {
					t.Errorf("%s %s report lacks %q", lang, name, w)
				}
			}
		}
		h := html.String()
		// one self-contained file: no scripts, nothing fetched
		for _, bad := range []string{"<script", "src=", "href=", "@import", "url(", "<link"} {
			if strings.Contains(h, bad) {
				t.Errorf("%s HTML contains %q", lang, bad)
			}
		}
		for _, need := range []string{"<svg", "@page", "size: A4", "table-header-group", "page: wide"} {
			if !strings.Contains(h, need) {
				t.Errorf("%s HTML lacks %q", lang, need)
			}
		}
		bars := 1 // the legend's
		for _, ind := range s.doc.Indicators {
			if ind.Applicable && ind.Score.IsPositive() {
				bars++
			}
		}
		if n := strings.Count(h, `class="pts"`); n != bars || bars != 9 {
			t.Errorf("%s chart has %d point bars, want %d (8 indicators with points and the legend)", lang, n, bars)
		}
	}
}

func TestReportIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := buildSeed(t, ruleset.LangZh).rep.HTML(&a); err != nil {
		t.Fatal(err)
	}
	if err := buildSeed(t, ruleset.LangZh).rep.HTML(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two runs give different HTML")
	}
}

// TestStylesheetScreenAndPrint: the screen rules come after the print
// layout (so the cover is not A4-high on screen), the page's corners are
// taken (so Chromium cannot print its own header and footer there), and a
// totals row never starts a page alone.
func TestStylesheetScreenAndPrint(t *testing.T) {
	css, err := os.ReadFile("report.css")
	if err != nil {
		t.Fatal(err)
	}
	s := string(css)
	if strings.Index(s, ".cover { page: cover") > strings.Index(s, "@media screen") {
		t.Error("a .cover rule after @media screen wins over the screen layout")
	}
	for _, want := range []string{"@top-left", "@top-right", "@bottom-left", "@bottom-right", "tr.total { break-before: avoid; }"} {
		if !strings.Contains(s, want) {
			t.Errorf("report.css lacks %q", want)
		}
	}
}
