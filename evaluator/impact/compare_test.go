package impact

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

func reviewDoc(grade, code string, score string, findings ...string) *result.Document {
	d := &result.Document{File: "f.yaml", Procedure: result.TargetReview, Review: &result.Review{Grade: grade, Code: code},
		Conclusion: result.Conclusion{Code: result.SupportAfterAdjustment, Text: "调整后予以支持"},
		Score:      result.Score{Total: decimal.RequireFromString(score)},
		Budget:     result.Budget{Unit: "元", Recommended: decimal.RequireFromString("123456.78")}}
	for _, f := range findings {
		code, subject, _ := strings.Cut(f, " ")
		d.Findings = append(d.Findings, result.Finding{Code: code, Subject: subject})
	}
	return d
}

// A target review's outcome is its grade, not its conclusion; findings are
// matched by code and subject with repeats; money is in 万元.
func TestCompareTargetReview(t *testing.T) {
	base := reviewDoc("良", "good", "82.5", "TARGET_NOT_MEASURABLE T13", "TARGET_NOT_MEASURABLE T8", "TARGET_NAME_SUFFIX T2", "TARGET_NAME_SUFFIX T2")
	next := reviewDoc("中", "fair", "74", "TARGET_NOT_MEASURABLE T13", "TARGET_NOT_MEASURABLE T8", "TARGET_NOT_MEASURABLE T10", "TARGET_NAME_SUFFIX T2")
	p := Compare(base, next)
	if p.Before != (Outcome{"good", "良"}) || p.After != (Outcome{"fair", "中"}) || !p.OutcomeChanged() {
		t.Errorf("outcomes %v → %v", p.Before, p.After)
	}
	if c, _ := p.Score.Change(); c.String() != "-8.5" {
		t.Errorf("score change %s, want -8.5", c)
	}
	if p.Recommended.Before.String() != "12.345678" || p.Recommended.Changed() {
		t.Errorf("recommended %s (changed %v), want 12.345678 万元 unchanged", p.Recommended.Before, p.Recommended.Changed())
	}
	if got := refsText(p.Added, "; ", ", "); got != "TARGET_NOT_MEASURABLE T10" {
		t.Errorf("added %q", got)
	}
	if got := refsText(p.Removed, "; ", ", "); got != "TARGET_NAME_SUFFIX T2" {
		t.Errorf("removed %q (one of the two repeats)", got)
	}
	if got := refsText(findings(next), "; ", ", "); got != "TARGET_NAME_SUFFIX T2; TARGET_NOT_MEASURABLE T8, T10, T13" {
		t.Errorf("findings in natural order: %q", got)
	}

	tally := NewTally(Side{}, Side{})
	tally.Add(p)
	tally.Add(Compare(next, next))
	broken := &result.Document{File: "g.yaml", Errors: []submission.Problem{{Code: "yaml_syntax", Message: "bad"}}}
	tally.Add(Compare(next, broken))
	r := tally.Report(false)
	if r.Projects != 3 || r.Changed != 2 || r.OutcomeChanged != 2 || r.Unchanged != 1 {
		t.Errorf("counts: %+v", r)
	}
	want := []string{"good→fair 1", "fair→fair 1", "fair→error 1"}
	var got []string
	for _, c := range r.Outcomes {
		got = append(got, c.From.Code+"→"+c.To.Code+" "+itoa(c.Count))
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("matrix %v, want %v (grades best first, errors last)", got, want)
	}
	// The broken side counts 0: before 3 × 12.345678, after 2 ×.
	if r.Budget.Before.String() != "37.037034" || r.Budget.After.String() != "24.691356" || r.Budget.Change.String() != "-12.345678" {
		t.Errorf("budget %+v", r.Budget)
	}
	if r.Score.Changed != 1 || r.Score.Median.String() != "-8.5" {
		t.Errorf("score %+v", r.Score)
	}
}

func TestScoreDeltasMedian(t *testing.T) {
	d := func(ss ...string) []decimal.Decimal {
		var out []decimal.Decimal
		for _, s := range ss {
			out = append(out, decimal.RequireFromString(s))
		}
		return out
	}
	for _, tc := range []struct {
		in               []decimal.Decimal
		min, median, max string
	}{
		{d("3", "-1.5", "2"), "-1.5", "2", "3"},
		{d("-6.45", "-6.46", "-12.9", "-5.19"), "-12.9", "-6.455", "-5.19"},
	} {
		s := scoreDeltas(tc.in)
		if s.Min.String() != tc.min || s.Median.String() != tc.median || s.Max.String() != tc.max {
			t.Errorf("%v: %s/%s/%s, want %s/%s/%s", tc.in, s.Min, s.Median, s.Max, tc.min, tc.median, tc.max)
		}
	}
}
