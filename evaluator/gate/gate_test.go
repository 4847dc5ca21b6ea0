package gate

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
)

func TestCheck(t *testing.T) {
	seedLike := &result.Document{
		Score:      result.Score{Total: decimal.RequireFromString("70.13")},
		Conclusion: result.Conclusion{Code: result.SupportAfterAdjustment},
		Findings: []result.Finding{
			{Code: "E", Severity: "error", Baseline: result.Unchanged},
			{Code: "W", Severity: "warning", Baseline: result.New},
			{Code: "X", Severity: "error", Baseline: result.New, Waived: &result.Waiver{Reason: "ok"}},
		},
	}
	tests := []struct {
		failOn     []string
		minScore   string
		conclusion string
		fails      int
	}{
		{nil, "", "", 1},                     // default: the unwaived error
		{[]string{"never"}, "", "", 0},       // findings never fail
		{[]string{"warning"}, "", "", 2},     // error and warning
		{[]string{"new"}, "", "", 0},         // the new error is waived; the new finding is a warning
		{[]string{"new,warning"}, "", "", 1}, // the new warning
		{[]string{"never"}, "70.13", "", 0},  // not below
		{[]string{"never"}, "70.14", "", 1},  // below
		{[]string{"never"}, "", "adjust", 1}, // 调整后予以支持 fails
		{[]string{"never"}, "", "reject", 0}, // only 不予支持 fails
	}
	for _, tt := range tests {
		r, err := Parse(tt.failOn, tt.minScore, tt.conclusion)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Check(seedLike, "zh"); len(got) != tt.fails {
			t.Errorf("%v %q %q: reasons %q, want %d", tt.failOn, tt.minScore, tt.conclusion, got, tt.fails)
		}
	}
	reject := &result.Document{Conclusion: result.Conclusion{Code: result.Reject}}
	if len(Default().Check(reject, "en")) != 1 {
		t.Error("default rules pass a 不予支持 conclusion")
	}
	if r, _ := Parse([]string{"never"}, "", "never"); len(r.Check(reject, "zh")) != 0 {
		t.Error("--fail-on-conclusion never fails a 不予支持 conclusion")
	}
}

func TestDefaultAgreesWithFailed(t *testing.T) {
	for _, d := range []*result.Document{
		{Conclusion: result.Conclusion{Code: result.Support}},
		{Conclusion: result.Conclusion{Code: result.Reject}},
		{Conclusion: result.Conclusion{Code: result.Support}, Summary: result.Summary{Errors: 1}, Findings: []result.Finding{{Severity: "error"}}},
		{Conclusion: result.Conclusion{Code: result.Support}, Summary: result.Summary{Waived: 1}, Findings: []result.Finding{{Severity: "error", Waived: &result.Waiver{}}}},
	} {
		if got := len(Default().Check(d, "zh")) > 0; got != d.Failed() {
			t.Errorf("%+v: default rules say failed=%v, Document.Failed says %v", d, got, d.Failed())
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, c := range []struct{ failOn, min, concl string }{
		{"sometimes", "", ""}, {"error,never", "", ""}, {"error", "abc", ""}, {"error", "101", ""}, {"error", "", "maybe"},
	} {
		if _, err := Parse([]string{c.failOn}, c.min, c.concl); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}
