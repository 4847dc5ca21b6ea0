package evaluator

import (
	"encoding/json"
	"fmt"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// policyReview is the grade the target review's policies give
// (data.budgetcheck.review.outcome).
type policyReview struct {
	Grade  string                 `json:"grade"`
	Points json.Number            `json:"points"`
	Areas  map[string]json.Number `json:"areas"`
	Forced []string               `json:"forced"`
}

// collectReview finishes the result of a 绩效目标审核: the grade's name and
// consequence from params.review.texts, and the numbered 审核意见, one per
// finding in the order of the findings (by row), each written from
// params.notes with the finding's params and {line}, the row (or line) it
// points at. A target review recommends no budget: the budget is the request
// as declared, with no change, and there is no conclusion.
func collectReview(rs *ruleset.Ruleset, sub *submission.Submission, doc *result.Document, pr *policyReview, w writer) (*result.Document, error) {
	cat := rs.Catalog
	if pr == nil || cat.Review == nil {
		return nil, fmt.Errorf("%s: a target review's result needs review (the grade) and params.review", Query)
	}
	texts, ok := cat.Review.Texts[pr.Grade]
	if !ok {
		return nil, fmt.Errorf("review grade %q is not in params.review.texts", pr.Grade)
	}
	doc.Procedure = result.TargetReview
	doc.Review = &result.Review{
		Grade:       texts.Grade.In(w.lang),
		Code:        pr.Grade,
		Consequence: texts.Consequence.In(w.lang),
		Notes:       reviewNotes(cat, doc.Findings, w),
	}
	doc.Budget = result.Budget{Unit: w.unit.Name, Requested: sub.Project.RequestedTotal, Recommended: sub.Project.RequestedTotal, Lines: []result.Line{}}
	if doc.Indicators == nil {
		doc.Indicators = []result.Indicator{}
	}
	if doc.Basic.Items == nil {
		doc.Basic.Items = []result.BasicItem{}
	}
	doc.Recount()
	return doc, nil
}

// reviewNotes writes one numbered note per finding.
func reviewNotes(cat *ruleset.Catalog, findings []result.Finding, w writer) []result.ReviewNote {
	notes := make([]result.ReviewNote, 0, len(findings))
	for _, f := range findings {
		params := make(map[string]any, len(f.Params)+1)
		for k, v := range f.Params {
			params[k] = v
		}
		params["line"] = json.Number(fmt.Sprint(f.Location.Line))
		text := f.Message
		if tmpl, ok := cat.Notes[f.Code]; ok {
			text = w.render(tmpl.In(w.lang), params)
		}
		notes = append(notes, result.ReviewNote{N: len(notes) + 1, Code: f.Code, Location: f.Location, Text: text})
	}
	return notes
}
