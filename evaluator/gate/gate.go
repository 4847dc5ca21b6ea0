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
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
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

// texts are the reasons, in Chinese and English.
var texts = map[string]ruleset.Text{
	"findings":   {Zh: "%d 个%s问题（--fail-on %s）", En: "%d %s finding(s) (--fail-on %s)"},
	"new":        {Zh: "新增的", En: "new "},
	"error":      {Zh: "错误级", En: "error"},
	"warning":    {Zh: "警告级", En: "warning"},
	"min_score":  {Zh: "评估得分 %s 低于 --min-score %s", En: "score %s is below --min-score %s"},
	"conclusion": {Zh: "评估结论为 %s（--fail-on-conclusion %s）", En: "conclusion %s (--fail-on-conclusion %s)"},
	"review":     {Zh: "审核结果为 %s（--fail-on-conclusion %s）", En: "review result %s (--fail-on-conclusion %s)"},
}

func text(key, lang string) string { return texts[key].In(lang) }

// Check returns why doc fails the rules, one reason a line, in lang; none
// means it passes. A document with input errors is not judged here: it is
// bad input.
func (r Rules) Check(doc *result.Document, lang string) []string {
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
			what := text(s, lang)
			if r.NewOnly {
				what = text("new", lang) + what
			}
			reasons = append(reasons, fmt.Sprintf(text("findings", lang), n[s], what, r.flag()))
		}
	}
	if doc.Review != nil {
		// a target review has a grade, not a score: 差 fails like 不予支持,
		// 中 (revise and resubmit) like 调整后予以支持
		grade := doc.Review.Grade + " (" + doc.Review.Code + ")"
		switch {
		case doc.Review.Code == result.Poor && r.Conclusion != ConclusionNever,
			doc.Review.Code == result.Fair && r.Conclusion == ConclusionAdjust:
			reasons = append(reasons, fmt.Sprintf(text("review", lang), grade, r.Conclusion))
		}
		return reasons
	}
	if r.MinScore != nil && doc.Score.Total.LessThan(*r.MinScore) {
		reasons = append(reasons, fmt.Sprintf(text("min_score", lang), doc.Score.Total.StringFixed(2), r.MinScore))
	}
	conclusion := doc.Conclusion.Text + " (" + doc.Conclusion.Code + ")"
	switch {
	case doc.Conclusion.Code == result.Reject && r.Conclusion != ConclusionNever:
		reasons = append(reasons, fmt.Sprintf(text("conclusion", lang), conclusion, r.Conclusion))
	case doc.Conclusion.Code == result.SupportAfterAdjustment && r.Conclusion == ConclusionAdjust:
		reasons = append(reasons, fmt.Sprintf(text("conclusion", lang), conclusion, r.Conclusion))
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
