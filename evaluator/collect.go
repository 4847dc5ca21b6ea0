package evaluator

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/money"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// policyResult is what data.budgetcheck.main.result holds.
type policyResult struct {
	Basic []struct {
		Code   string `json:"code"`
		Passed bool   `json:"passed"`
	} `json:"basic"`
	Indicators []struct {
		Code       string         `json:"code"`
		Applicable bool           `json:"applicable"`
		Grade      string         `json:"grade"`
		Points     json.Number    `json:"points"`
		Params     map[string]any `json:"params"`
	} `json:"indicators"`
	Findings []policyFinding `json:"findings"`
	Schedule *policySchedule `json:"schedule"`
	Review   *policyReview   `json:"review"`
}

type policyFinding struct {
	Code        string         `json:"code"`
	Subject     string         `json:"subject"`
	Fact        string         `json:"fact"`
	Params      map[string]any `json:"params"`
	Adjustments []struct {
		Line      string      `json:"line"`
		AmountFen json.Number `json:"amount_fen"`
		New       *struct {
			Name       string `json:"name"`
			Subproject string `json:"subproject"`
			Contract   string `json:"contract"`
		} `json:"new"`
	} `json:"adjustments"`
}

var hundred = decimal.NewFromInt(100)

// collect turns the policies' result into the result document: texts from the
// catalogue, points summed and normalised, adjustments applied to the lines,
// the conclusion chosen by the ruleset's bands.
func collect(rs *ruleset.Ruleset, sub *submission.Submission, raw any, lang string) (*result.Document, error) {
	var pr policyResult
	bs, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(bs))
	dec.UseNumber()
	if err := dec.Decode(&pr); err != nil {
		return nil, fmt.Errorf("%s has the wrong shape: %w", Query, err)
	}
	unit, _ := money.LookupUnit(sub.Project.Unit)
	cat := rs.Catalog
	doc := &result.Document{
		Schema:  result.Schema,
		File:    sub.File,
		Lang:    lang,
		Project: result.Project{Name: sub.Project.Name, Code: sub.Project.Code, BudgetUnit: sub.Project.BudgetUnit, FiscalYear: sub.Project.FiscalYear},
		Ruleset: result.Ruleset{Name: rs.Manifest.Name, Version: rs.Manifest.Version},
	}
	w := writer{lang: lang, unit: unit}

	doc.Basic.Passed = true
	for _, item := range pr.Basic {
		title := item.Code
		for _, def := range cat.Basic {
			if def.Code == item.Code {
				title = def.Title.In(lang)
			}
		}
		doc.Basic.Items = append(doc.Basic.Items, result.BasicItem{Code: item.Code, Title: title, Passed: item.Passed})
		doc.Basic.Passed = doc.Basic.Passed && item.Passed
	}

	for _, ind := range pr.Indicators {
		def, ok := cat.Indicator(ind.Code)
		if !ok {
			return nil, fmt.Errorf("indicator %q is not declared in params.indicators", ind.Code)
		}
		out := result.Indicator{Code: def.Code, Title: def.Title.In(lang), Group: def.Group.In(lang), Applicable: ind.Applicable, Max: def.Max}
		if ind.Applicable {
			grade, ok := def.GradeNamed(ind.Grade)
			if !ok {
				return nil, fmt.Errorf("indicator %s: grade %q is not in params.indicators", def.Code, ind.Grade)
			}
			score := grade.Points
			out.Grade = grade.Label(lang)
			out.Score = &score
			out.Reason = w.render(def.Reason.In(lang), ind.Params)
			out.Params = ind.Params
			doc.Score.Earned = doc.Score.Earned.Add(score)
			doc.Score.Possible = doc.Score.Possible.Add(def.Max)
		}
		doc.Indicators = append(doc.Indicators, out)
	}
	if doc.Score.Possible.IsPositive() {
		doc.Score.Total = doc.Score.Earned.Mul(hundred).DivRound(doc.Score.Possible, 2)
	}

	doc.Findings = make([]result.Finding, 0, len(pr.Findings))
	for _, pf := range pr.Findings {
		f, err := w.finding(cat, sub, pf)
		if err != nil {
			return nil, err
		}
		doc.Findings = append(doc.Findings, f)
	}
	slices.SortFunc(doc.Findings, compareFindings)

	if ProcedureOf(rs) == result.TargetReview {
		return collectReview(rs, sub, doc, pr.Review, w)
	}
	doc.Procedure = result.PreEvaluation
	budget, err := buildBudget(sub, unit, pr.Findings)
	if err != nil {
		return nil, err
	}
	doc.Budget = budget
	if doc.Schedule, err = collectSchedule(sub, unit, pr.Schedule); err != nil {
		return nil, err
	}
	doc.Recount()
	doc.Conclusion = conclude(cat.Conclusion, doc, lang)
	return doc, nil
}

func compareFindings(a, b result.Finding) int {
	return cmp.Or(
		cmp.Compare(a.Location.Line, b.Location.Line),
		cmp.Compare(a.Location.Column, b.Location.Column),
		cmp.Compare(a.Code, b.Code),
		cmp.Compare(a.Subject, b.Subject),
		cmp.Compare(a.Message, b.Message),
	)
}

// writer renders texts in one language and unit.
type writer struct {
	lang string
	unit money.Unit
}

func (w writer) finding(cat *ruleset.Catalog, sub *submission.Submission, pf policyFinding) (result.Finding, error) {
	if pf.Code == "" {
		return result.Finding{}, fmt.Errorf("a finding has no code (subject %q, fact %q)", pf.Subject, pf.Fact)
	}
	def, ok := cat.Findings[pf.Code]
	if !ok {
		return result.Finding{}, fmt.Errorf("finding code %q is not declared by any rule's # METADATA", pf.Code)
	}
	f := result.Finding{
		Code:        def.Code,
		Severity:    def.Severity,
		Title:       def.Title.In(w.lang),
		Subject:     pf.Subject,
		Location:    sub.Pos(pf.Fact),
		Message:     w.render(def.Message.In(w.lang), pf.Params),
		Basis:       def.Basis,
		Adjustments: []result.Adjustment{},
		Params:      pf.Params,
	}
	for _, a := range pf.Adjustments {
		fen, err := a.AmountFen.Int64()
		if err != nil {
			return result.Finding{}, fmt.Errorf("finding %s (%s, declared at %s): adjustment amount_fen %q is not a whole number of fen", def.Code, pf.Subject, def.Location, a.AmountFen)
		}
		f.Adjustments = append(f.Adjustments, result.Adjustment{Line: a.Line, Amount: money.FromFen(fen, w.unit)})
	}
	return f, nil
}

// render replaces each {name} in tmpl by the parameter of that name; an
// amount ({"fen": n}) is written in the submission's unit.
func (w writer) render(tmpl string, params map[string]any) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(tmpl[open:], '}')
		if end < 0 {
			break
		}
		name := tmpl[open+1 : open+end]
		b.WriteString(tmpl[:open])
		if v, ok := params[name]; ok {
			b.WriteString(w.value(v))
		} else {
			b.WriteString(tmpl[open : open+end+1])
		}
		tmpl = tmpl[open+end+1:]
	}
	b.WriteString(tmpl)
	return b.String()
}

func (w writer) value(v any) string {
	switch v := v.(type) {
	case map[string]any:
		if zh, ok := v["zh"].(string); ok { // a text in both languages
			en, _ := v["en"].(string)
			return ruleset.Text{Zh: zh, En: en}.In(w.lang)
		}
		if n, ok := v["fen"].(json.Number); ok {
			if fen, err := n.Int64(); err == nil {
				return w.Money(money.FromFen(fen, w.unit))
			}
		}
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = w.value(x)
		}
		return strings.Join(parts, "、")
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return fmt.Sprint(v)
}

// Money writes an amount with its unit.
func (w writer) Money(d decimal.Decimal) string {
	if w.lang == ruleset.LangEn {
		return d.String() + " " + w.unit.English
	}
	return d.String() + w.unit.Name
}

// buildBudget applies the findings' adjustments to the requested lines. Lines
// the policies add come after the requested ones, in the order of their contracts.
func buildBudget(sub *submission.Submission, unit money.Unit, findings []policyFinding) (result.Budget, error) {
	b := result.Budget{Unit: unit.Name, Requested: sub.Project.RequestedTotal}
	index := map[string]int{}
	for _, l := range sub.BudgetLines {
		index[l.ID] = len(b.Lines)
		b.Lines = append(b.Lines, result.Line{ID: l.ID, Name: l.Name, Subproject: l.Subproject, Contract: l.Contract, Requested: l.Amount, Recommended: l.Amount})
	}
	var added []result.Line
	total := decimal.Zero
	for _, f := range findings {
		for _, a := range f.Adjustments {
			fen, err := a.AmountFen.Int64()
			if err != nil {
				return b, fmt.Errorf("finding %s: adjustment amount_fen %q is not a whole number of fen", f.Code, a.AmountFen)
			}
			amount := money.FromFen(fen, unit)
			total = total.Add(amount)
			if i, ok := index[a.Line]; ok {
				b.Lines[i].Recommended = b.Lines[i].Recommended.Add(amount)
				continue
			}
			if a.New == nil {
				return b, fmt.Errorf("finding %s adjusts budget line %q, which does not exist (and is not marked new)", f.Code, a.Line)
			}
			if i := slices.IndexFunc(added, func(l result.Line) bool { return l.ID == a.Line }); i >= 0 {
				added[i].Recommended = added[i].Recommended.Add(amount)
				continue
			}
			added = append(added, result.Line{ID: a.Line, Name: a.New.Name, Subproject: a.New.Subproject, Contract: a.New.Contract, New: true, Recommended: amount})
		}
	}
	contractOrder := func(id string) int {
		return slices.IndexFunc(sub.Contracts, func(c submission.Contract) bool { return c.ID == id })
	}
	slices.SortFunc(added, func(x, y result.Line) int {
		return cmp.Or(cmp.Compare(contractOrder(x.Contract), contractOrder(y.Contract)), cmp.Compare(x.ID, y.ID))
	})
	b.Lines = append(b.Lines, added...)
	for i := range b.Lines {
		b.Lines[i].Change = b.Lines[i].Recommended.Sub(b.Lines[i].Requested)
	}
	b.Recommended = b.Requested.Add(total)
	b.Change = total
	if b.Lines == nil {
		b.Lines = []result.Line{}
	}
	return b, nil
}

// conclude picks the first band of the ruleset whose conditions all hold.
func conclude(c ruleset.Conclusion, doc *result.Document, lang string) result.Conclusion {
	adjusted := !doc.Budget.Change.IsZero() || slices.ContainsFunc(doc.Budget.Lines, func(l result.Line) bool { return !l.Change.IsZero() })
	for _, band := range c.Bands {
		if band.BasicFailed != nil && *band.BasicFailed == doc.Basic.Passed {
			continue
		}
		if band.Below != nil && !doc.Score.Total.LessThan(*band.Below) {
			continue
		}
		if band.Adjusted != nil && *band.Adjusted != adjusted {
			continue
		}
		return result.Conclusion{Code: band.Code, Text: c.Texts[band.Code].In(lang)}
	}
	return result.Conclusion{Code: result.Reject, Text: c.Texts[result.Reject].In(lang)}
}
