// Package gate decides whether a result document fails a CI check, by rules
// the user chooses (--fail-on, --min-score, --fail-on-conclusion). The
// default rules fail on an unwaived error finding or a reject conclusion,
// which is what result.Document.Failed has always meant.
package gate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
)

// Values of --fail-on.
const (
	OnError   = "error"   // an unwaived error finding fails (default)
	OnWarning = "warning" // an unwaived error or warning finding fails
	OnNever   = "never"   // findings never fail
	OnNew     = "new"     // only findings new against the baseline count
)

// Values of --fail-on-conclusion.
const (
	ConclusionReject = "reject" // 不予支持 fails (default)
	ConclusionAdjust = "adjust" // 调整后予以支持 fails too
	ConclusionNever  = "never"  // the conclusion never fails
)

// Rules say when a document fails.
type Rules struct {
	// Severity is the least severe finding that fails: "error", "warning"
	// or "" (never).
	Severity string
	// NewOnly counts only the findings marked new against a baseline.
	NewOnly bool
	// MinScore fails a total below it, when set.
	MinScore *decimal.Decimal
	// Conclusion is reject, adjust or never.
	Conclusion string
}

// Default is the rules without flags: an error finding or 不予支持 fails.
func Default() Rules { return Rules{Severity: OnError, Conclusion: ConclusionReject} }

// Parse builds rules from the flags' values. failOn holds --fail-on values,
// each possibly a comma-separated list: one of error, warning, never, and
// optionally new (alone it means new error findings).
func Parse(failOn []string, minScore, conclusion string) (Rules, error) {
	r := Default()
	severity := ""
	for _, v := range failOn {
		for _, p := range strings.Split(v, ",") {
			switch p = strings.TrimSpace(p); p {
			case OnError, OnWarning, OnNever:
				if severity != "" && severity != p {
					return r, fmt.Errorf("--fail-on %s and %s: give one of error, warning, never", severity, p)
				}
				severity = p
			case OnNew:
				r.NewOnly = true
			default:
				return r, fmt.Errorf("--fail-on %q: use error, warning, never or new", p)
			}
		}
	}
	switch severity {
	case OnNever:
		r.Severity = ""
	case OnWarning:
		r.Severity = OnWarning
	}
	if minScore != "" {
		d, err := decimal.NewFromString(minScore)
		if err != nil || d.IsNegative() || d.GreaterThan(decimal.NewFromInt(100)) {
			return r, fmt.Errorf("--min-score %q: give a number from 0 to 100", minScore)
		}
		r.MinScore = &d
	}
	if conclusion != "" {
		if !slices.Contains([]string{ConclusionReject, ConclusionAdjust, ConclusionNever}, conclusion) {
			return r, fmt.Errorf("--fail-on-conclusion %q: use reject, adjust or never", conclusion)
		}
		r.Conclusion = conclusion
	}
	return r, nil
}

// Check returns why doc fails the rules, one reason a line; none means it
// passes. A document with input errors is not judged here: it is bad input.
func (r Rules) Check(doc *result.Document) []string {
	if len(doc.Errors) > 0 {
		return nil
	}
	var reasons []string
	if r.Severity != "" {
		counted := []string{"error"}
		if r.Severity == OnWarning {
			counted = append(counted, "warning")
		}
		n := map[string]int{}
		for _, f := range doc.Findings {
			if f.Waived == nil && (!r.NewOnly || f.Baseline == result.New) {
				n[f.Severity]++
			}
		}
		for _, s := range counted {
			if n[s] == 0 {
				continue
			}
			what := s
			if r.NewOnly {
				what = "new " + s
			}
			reasons = append(reasons, fmt.Sprintf("%d %s finding(s) (--fail-on %s)", n[s], what, r.flag()))
		}
	}
	if r.MinScore != nil && doc.Score.Total.LessThan(*r.MinScore) {
		reasons = append(reasons, fmt.Sprintf("score %s is below --min-score %s", doc.Score.Total.StringFixed(2), r.MinScore))
	}
	switch {
	case doc.Conclusion.Code == result.Reject && r.Conclusion != ConclusionNever:
		reasons = append(reasons, fmt.Sprintf("conclusion %s (%s)", doc.Conclusion.Code, doc.Conclusion.Text))
	case doc.Conclusion.Code == result.SupportAfterAdjustment && r.Conclusion == ConclusionAdjust:
		reasons = append(reasons, fmt.Sprintf("conclusion %s (%s) with --fail-on-conclusion adjust", doc.Conclusion.Code, doc.Conclusion.Text))
	}
	return reasons
}

func (r Rules) flag() string {
	s := r.Severity
	if r.NewOnly {
		s = OnNew + "," + s
	}
	return s
}
