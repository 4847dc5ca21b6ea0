// Package result defines the result document (schema budgetcheck.result/v1):
// the contract that CI consumers and every output format read. Money is
// written as decimal strings in the submission's unit; lists are sorted, so
// the same input gives the same bytes.
package result

import (
	"cmp"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// Schema names this document's shape.
const Schema = "budgetcheck.result/v1"

// Procedures: which of the bureau's two procedures judged the submission.
const (
	// PreEvaluation is 事前绩效评估: scored indicators, findings, the
	// recommended budget and a conclusion (予以支持 …).
	PreEvaluation = "pre_evaluation"
	// TargetReview is 绩效目标审核: a grade 优/良/中/差 and numbered 审核意见.
	TargetReview = "target_review"
)

// Review grade codes (Review.Code), best first.
const (
	Excellent = "excellent" // 优
	Good      = "good"      // 良
	Fair      = "fair"      // 中
	Poor      = "poor"      // 差
)

// Conclusion codes.
const (
	Support                = "support"
	SupportAfterAdjustment = "support_after_adjustment"
	Reject                 = "reject"
)

// Document is the result of evaluating one submission.
type Document struct {
	Schema string `json:"schema"`
	File   string `json:"file"`
	// Procedure is PreEvaluation or TargetReview (additive to v1: a document
	// without it is a pre-evaluation).
	Procedure  string               `json:"procedure,omitempty"`
	Lang       string               `json:"lang"`
	Project    Project              `json:"project"`
	Ruleset    Ruleset              `json:"ruleset"`
	Basic      Basic                `json:"basic"`
	Indicators []Indicator          `json:"indicators"`
	Score      Score                `json:"score"`
	Conclusion Conclusion           `json:"conclusion"`
	Summary    Summary              `json:"summary"`
	Findings   []Finding            `json:"findings"`
	Budget     Budget               `json:"budget"`
	Errors     []submission.Problem `json:"errors,omitempty"`
	// Resolved are the findings of the baseline (--baseline) that this
	// document no longer has, as the baseline reported them.
	Resolved []Finding `json:"resolved,omitempty"`
	// Schedule is the contracts' payment plan by year (Table 1 of the report).
	Schedule *Schedule `json:"schedule,omitempty"`
	// Review is the target review's outcome (procedure target_review only).
	Review *Review `json:"review,omitempty"`
}

// Review is the outcome of a 绩效目标审核: the grade, what it means for the
// project, and the numbered 审核意见 returned to the unit.
type Review struct {
	Grade       string       `json:"grade"` // 优, 良, 中 or 差 (in the document's language)
	Code        string       `json:"code"`  // excellent, good, fair or poor
	Consequence string       `json:"consequence"`
	Notes       []ReviewNote `json:"notes"`
}

// ReviewNote is one numbered item of the 审核意见: the row or field it is
// about, what is wrong and what to write instead, in one sentence.
type ReviewNote struct {
	N        int            `json:"n"`
	Code     string         `json:"code"` // the finding behind it
	Location submission.Pos `json:"location"`
	Text     string         `json:"text"` // without the number: "第14行（时效）“及时”不可衡量：写明时限，如“≤3个工作日”。"
}

// Project identifies the submission's project.
type Project struct {
	Name       string `json:"name"`
	Code       string `json:"code,omitempty"`
	BudgetUnit string `json:"budget_unit"`
	// Department is the 一级预算单位 (additive to v1: absent when not given).
	Department string `json:"department,omitempty"`
	FiscalYear int    `json:"fiscal_year"`
}

// Ruleset identifies the ruleset that judged the submission.
type Ruleset struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Basic is the pass/fail basic assessment.
type Basic struct {
	Passed bool        `json:"passed"`
	Items  []BasicItem `json:"items"`
}

// BasicItem is one item of the basic assessment.
type BasicItem struct {
	Code   string `json:"code"`
	Title  string `json:"title"`
	Passed bool   `json:"passed"`
}

// Indicator is one scored indicator. An indicator that is not applicable has
// no grade and no score and leaves the normalisation.
type Indicator struct {
	Code       string           `json:"code"`
	Title      string           `json:"title"`
	Group      string           `json:"group"`
	Applicable bool             `json:"applicable"`
	Grade      string           `json:"grade,omitempty"`
	Score      *decimal.Decimal `json:"score,omitempty"`
	Max        decimal.Decimal  `json:"max"`
	Reason     string           `json:"reason,omitempty"`
	// Params are the measure's figures the reason is written from.
	Params map[string]any `json:"params,omitempty"`
}

// Score is the normalised total: 100 × earned / possible, rounded half-up to 0.01.
type Score struct {
	Earned   decimal.Decimal `json:"earned"`
	Possible decimal.Decimal `json:"possible"`
	Total    decimal.Decimal `json:"total"`
}

// Conclusion is support, support_after_adjustment or reject, with its text.
type Conclusion struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// Summary counts the findings by severity.
type Summary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
	Waived   int `json:"waived"`
}

// Finding is one problem the policies found, with where it is and what it
// does to the budget.
type Finding struct {
	Code        string         `json:"code"`
	Severity    string         `json:"severity"`
	Title       string         `json:"title"`
	Subject     string         `json:"subject"`
	Location    submission.Pos `json:"location"`
	Message     string         `json:"message"`
	Basis       string         `json:"basis"`
	Adjustments []Adjustment   `json:"adjustments"`
	Waived      *Waiver        `json:"waived,omitempty"`
	// Baseline is "new" or "unchanged" when the run compares against a
	// baseline (--baseline): matched by code and subject, not by line.
	Baseline string `json:"baseline,omitempty"`
	// Params are the figures the message is written from (amounts in fen as {"fen": n}).
	Params map[string]any `json:"params,omitempty"`
}

// Adjustment is a finding's change to one budget line.
type Adjustment struct {
	Line   string          `json:"line"`
	Amount decimal.Decimal `json:"amount"`
}

// Waiver records why a finding is excused.
type Waiver struct {
	Reason     string `json:"reason"`
	ApprovedBy string `json:"approved_by,omitempty"`
	Expires    string `json:"expires,omitempty"`
	// File is where the waiver is written: the submission or a --waivers file.
	File string `json:"file,omitempty"`
}

// Budget is the request and the recommended budget, line by line. It always
// reconciles: Recommended is the sum of the lines' Recommended (plus
// Requested when the submission has no budget lines to itemise it), Change
// is Recommended − Requested, and no line is recommended below zero.
type Budget struct {
	Unit string `json:"unit"`
	// Requested is the declared total (project.requested_total);
	// RequestedLines the sum of the requested lines. They differ when the
	// lines do not add up to the declaration (DECLARED_TOTAL_MISMATCH).
	Requested      decimal.Decimal `json:"requested"`
	RequestedLines decimal.Decimal `json:"requested_lines"`
	Recommended    decimal.Decimal `json:"recommended"`
	Change         decimal.Decimal `json:"change"`
	Lines          []Line          `json:"lines"`
	// Notes explain what the lines alone do not: a cut that no line of its
	// contract could take (it is left out of the lines, not dropped).
	Notes []BudgetNote `json:"notes,omitempty"`
}

// Budget note codes.
const (
	// UnplacedCut is a finding's cut larger than every line of its
	// contract could take.
	UnplacedCut = "unplaced_cut"
)

// BudgetNote is one note of the budget: what it is about and the amount.
type BudgetNote struct {
	Code string `json:"code"`
	// Finding and Subject name the finding the amount comes from, Line the
	// line it was meant for.
	Finding string          `json:"finding,omitempty"`
	Subject string          `json:"subject,omitempty"`
	Line    string          `json:"line,omitempty"`
	Amount  decimal.Decimal `json:"amount"`
	Text    string          `json:"text"`
}

// Line is one budget line: as requested and as recommended. A line the
// policies add (a contract payment not budgeted) has requested 0 and New set.
type Line struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Subproject  string          `json:"subproject,omitempty"`
	Contract    string          `json:"contract,omitempty"`
	New         bool            `json:"new,omitempty"`
	Requested   decimal.Decimal `json:"requested"`
	Recommended decimal.Decimal `json:"recommended"`
	Change      decimal.Decimal `json:"change"`
}

// Baseline states of a finding.
const (
	New       = "new"
	Unchanged = "unchanged"
)

// Recount sets the summary from the findings: waived findings are counted
// apart from the severities.
func (d *Document) Recount() {
	var s Summary
	for _, f := range d.Findings {
		if f.Waived != nil {
			s.Waived++
			continue
		}
		switch f.Severity {
		case "error":
			s.Errors++
		case "warning":
			s.Warnings++
		default:
			s.Infos++
		}
	}
	d.Summary = s
}

// SortFindings sorts the findings by line, column, code, subject and message,
// the order every output shows them in.
func (d *Document) SortFindings() {
	slices.SortFunc(d.Findings, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Location.Line, b.Location.Line),
			cmp.Compare(a.Location.Column, b.Location.Column),
			cmp.Compare(a.Code, b.Code),
			cmp.Compare(a.Subject, b.Subject),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// Later is the year key of payments that have no year: an instalment with
// only a trigger, or a share the policies defer until an agreement fixes it.
const Later = "later"

// Schedule is every contract's payments by year, as contracted and as the
// policies recommend (Table 1 of the report). Years are keys ("2021", or
// Later); amounts are in the budget's unit.
type Schedule struct {
	FiscalYear int           `json:"fiscal_year"`
	LagDays    int           `json:"lag_days"`
	Rows       []ScheduleRow `json:"rows"`
}

// ScheduleRow is one contract's payments, or (Predecessor) the unpaid
// amounts of the contract it replaces.
type ScheduleRow struct {
	ID          string `json:"id"`
	Contract    string `json:"contract"`
	Predecessor bool   `json:"predecessor,omitempty"`
	Name        string `json:"name"`
	Subproject  string `json:"subproject,omitempty"`
	Supplier    string `json:"supplier,omitempty"`
	Signed      string `json:"signed,omitempty"`
	Status      string `json:"status,omitempty"`
	Term        string `json:"term,omitempty"`
	// Total is the contract's total, absent when the contract states none.
	Total       *decimal.Decimal           `json:"total,omitempty"`
	Contracted  map[string]decimal.Decimal `json:"contracted"`
	Recommended map[string]decimal.Decimal `json:"recommended"`
	// Paid is what was already paid, by year (as contracted).
	Paid  map[string]decimal.Decimal `json:"paid,omitempty"`
	Moves []Move                     `json:"moves,omitempty"`
}

// Move is an amount the recommended plan moves from one year to another:
// an arrear (into the fiscal year), prepaid maintenance (out of it, to
// Later) or a cycle paid in the year after it ends (cycle_lag).
type Move struct {
	Kind   string          `json:"kind"`
	From   string          `json:"from"`
	To     string          `json:"to"`
	Amount decimal.Decimal `json:"amount"`
	// Seq is the instalment's or cycle's number; Name the arrear's name.
	Seq  int    `json:"seq,omitempty"`
	Name string `json:"name,omitempty"`
	End  string `json:"end,omitempty"`
}

// Failed reports whether the document fails a check: bad input, a reject
// conclusion, a target review graded 差, or an unwaived error finding.
func (d *Document) Failed() bool {
	return len(d.Errors) > 0 || d.Conclusion.Code == Reject || d.Review != nil && d.Review.Code == Poor || d.Summary.Errors > 0
}
