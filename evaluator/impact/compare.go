// Package impact shows what a rule change does before it ships: the same
// submissions evaluated under a base ruleset and a new one, side by side.
// Compare reduces a pair of result documents to what changed; a Tally adds
// the pairs up into a Report (outcome transitions, score deltas, findings
// added and removed by code, recommended-budget totals, the changed projects);
// Run evaluates a batch's inputs under both rulesets in one pool of workers;
// the formats (text, markdown, json, xlsx) write the Report.
package impact

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/money"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// Unit is the unit of every amount of a report, whatever the submissions'
// own units (as in the batch summaries).
var Unit = money.WanYuan

// ErrorCode is the outcome of a submission that could not be read or
// evaluated under a ruleset.
const ErrorCode = "error"

// Outcome is what a procedure decides about a project: the review grade
// (优/良/中/差) of a target review, else the conclusion (予以支持 …).
type Outcome struct {
	Code string `json:"code"`
	Text string `json:"text,omitempty"`
}

// OutcomeOf is a result document's outcome.
func OutcomeOf(doc *result.Document) Outcome {
	switch {
	case len(doc.Errors) > 0:
		return Outcome{Code: ErrorCode}
	case doc.Review != nil:
		return Outcome{Code: doc.Review.Code, Text: doc.Review.Grade}
	}
	return Outcome{Code: doc.Conclusion.Code, Text: doc.Conclusion.Text}
}

// outcomeOrder ranks the outcome codes of the result contract for the
// transition matrix: grades best first, then conclusions, then errors.
var outcomeOrder = []string{"excellent", "good", "fair", "poor", result.Support, result.SupportAfterAdjustment, result.Reject, ErrorCode}

func compareOutcomes(a, b string) int {
	ia, ib := slices.Index(outcomeOrder, a), slices.Index(outcomeOrder, b)
	if ia < 0 {
		ia = len(outcomeOrder)
	}
	if ib < 0 {
		ib = len(outcomeOrder)
	}
	return cmp.Or(cmp.Compare(ia, ib), cmp.Compare(a, b))
}

// Delta is a figure before and after the change; nil on a side where the
// submission was not evaluated.
type Delta struct {
	Before *decimal.Decimal
	After  *decimal.Decimal
}

// Change is After − Before, and whether both sides have the figure.
func (d Delta) Change() (decimal.Decimal, bool) {
	if d.Before == nil || d.After == nil {
		return decimal.Zero, false
	}
	return d.After.Sub(*d.Before), true
}

// Changed reports whether the figure differs (or exists on one side only).
func (d Delta) Changed() bool {
	if (d.Before == nil) != (d.After == nil) {
		return true
	}
	c, ok := d.Change()
	return ok && !c.IsZero()
}

func (d Delta) MarshalJSON() ([]byte, error) {
	v := struct {
		Before *decimal.Decimal `json:"before"`
		After  *decimal.Decimal `json:"after"`
		Change *decimal.Decimal `json:"change,omitempty"`
	}{Before: d.Before, After: d.After}
	if c, ok := d.Change(); ok {
		v.Change = &c
	}
	return json.Marshal(v)
}

// FindingRef names a finding of one project: matched by code and subject
// (as baselines match them), not by line.
type FindingRef struct {
	Code    string `json:"code"`
	Subject string `json:"subject"`
	Title   string `json:"title"`
}

// Project is one submission compared under both rulesets.
type Project struct {
	File string `json:"file"`
	// Index is the project's number in a workbook of several (1, 2 …); 0 for
	// a file that holds one submission.
	Index int `json:"index,omitempty"`
	// Sheet is the workbook's sheet the project was read from.
	Sheet       string  `json:"sheet,omitempty"`
	Name        string  `json:"project,omitempty"`
	Before      Outcome `json:"outcome_before"`
	After       Outcome `json:"outcome_after"`
	Score       Delta   `json:"score"`
	Recommended Delta   `json:"recommended"`
	// Added are findings only the new ruleset gives, Removed those only the
	// base gives; sorted by code and subject.
	Added   []FindingRef `json:"findings_added,omitempty"`
	Removed []FindingRef `json:"findings_removed,omitempty"`
	// ErrorBefore and ErrorAfter say why a side could not be evaluated.
	ErrorBefore string `json:"error_before,omitempty"`
	ErrorAfter  string `json:"error_after,omitempty"`
}

// OutcomeChanged reports whether the grade or conclusion changed.
func (p *Project) OutcomeChanged() bool { return p.Before.Code != p.After.Code }

// Changed reports whether anything impact compares changed: the outcome,
// the score, the recommended budget or the findings.
func (p *Project) Changed() bool {
	return p.OutcomeChanged() || p.Score.Changed() || p.Recommended.Changed() || len(p.Added) > 0 || len(p.Removed) > 0
}

// Compare reduces the results of one submission under the base and the new
// ruleset to what changed.
func Compare(base, next *result.Document) Project {
	p := Project{File: cmp.Or(next.File, base.File), Name: cmp.Or(next.Project.Name, base.Project.Name)}
	p.Before, p.After = OutcomeOf(base), OutcomeOf(next)
	p.ErrorBefore, p.ErrorAfter = errorText(base.Errors), errorText(next.Errors)
	p.Score = Delta{score(base), score(next)}
	p.Recommended = Delta{recommended(base), recommended(next)}
	p.Added, p.Removed = findingsDiff(findings(base), findings(next)), findingsDiff(findings(next), findings(base))
	return p
}

func score(doc *result.Document) *decimal.Decimal {
	if len(doc.Errors) > 0 {
		return nil
	}
	s := doc.Score.Total
	return &s
}

// recommended is the document's recommended total in Unit, converted exactly
// through fen.
func recommended(doc *result.Document) *decimal.Decimal {
	if len(doc.Errors) > 0 {
		return nil
	}
	d := doc.Budget.Recommended
	if u, ok := money.LookupUnit(doc.Budget.Unit); ok && u != Unit {
		if fen, err := money.ToFen(d, u); err == nil {
			d = money.FromFen(fen, Unit)
		}
	}
	return &d
}

// findings are a document's unwaived findings, sorted by code and subject.
func findings(doc *result.Document) []FindingRef {
	var fs []FindingRef
	for _, f := range doc.Findings {
		if f.Waived == nil {
			fs = append(fs, FindingRef{Code: f.Code, Subject: f.Subject, Title: f.Title})
		}
	}
	slices.SortFunc(fs, compareRefs)
	return fs
}

func compareRefs(a, b FindingRef) int {
	return cmp.Or(cmp.Compare(a.Code, b.Code), naturalCompare(a.Subject, b.Subject))
}

// naturalCompare orders strings with their digit runs compared as numbers,
// so that T8 comes before T13 and L2 before L10.
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if c := cmp.Or(cmp.Compare(len(na), len(nb)), strings.Compare(na, nb)); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

// digits is the length of s's leading run of ASCII digits.
func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// findingsDiff is what b has beyond a (both sorted), counting repeats: two
// findings of one code and subject in b against one in a leave one.
func findingsDiff(a, b []FindingRef) []FindingRef {
	var out []FindingRef
	i := 0
	for _, f := range b {
		for i < len(a) && compareRefs(a[i], f) < 0 {
			i++
		}
		if i < len(a) && compareRefs(a[i], f) == 0 {
			i++
			continue
		}
		out = append(out, f)
	}
	return out
}

func errorText(ps []submission.Problem) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += "\n"
		}
		s += p.String()
	}
	return s
}
