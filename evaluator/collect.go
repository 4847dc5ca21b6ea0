package evaluator

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	gojson "github.com/goccy/go-json"
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
func collect(rs *ruleset.Ruleset, sub *submission.Submission, raw json.RawMessage, lang string) (*result.Document, error) {
	var pr policyResult
	// goccy/go-json decodes as encoding/json does (json.Number is its
	// Number), in two thirds of the instructions; outputs stay encoding/json.
	dec := gojson.NewDecoder(bytes.NewReader(raw))
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
		Project: result.Project{Name: sub.Project.Name, Code: sub.Project.Code, BudgetUnit: sub.Project.BudgetUnit, Department: sub.Project.Department, FiscalYear: sub.Project.FiscalYear},
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

	noTargets := false // an indicator was graded as the project has no targets
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
			noTargets = noTargets || grade.When == "no_targets"
			score := grade.Points
			out.Grade = grade.Label(lang)
			out.Score = &score
			reason := def.Reason
			if grade.Reason != nil { // a grade given under a condition says why
				reason = *grade.Reason
			}
			out.Reason = w.render(reason.In(lang), ind.Params)
			out.Params = ind.Params
			doc.Score.Earned = doc.Score.Earned.Add(score)
			doc.Score.Possible = doc.Score.Possible.Add(def.Max)
		}
		doc.Indicators = append(doc.Indicators, out)
	}
	if doc.Score.Possible.IsPositive() {
		doc.Score.Total = doc.Score.Earned.Mul(hundred).DivRound(doc.Score.Possible, 2)
	}

	found := make([]placed, 0, len(pr.Findings))
	for _, pf := range pr.Findings {
		f, err := w.finding(cat, sub, pf)
		if err != nil {
			return nil, err
		}
		found = append(found, placed{Finding: f, policy: pf})
	}
	// The document's order, which is also the order cuts are placed in.
	slices.SortFunc(found, func(a, b placed) int { return compareFindings(a.Finding, b.Finding) })
	if ProcedureOf(rs) == result.TargetReview {
		doc.Findings = make([]result.Finding, len(found))
		for i, p := range found {
			doc.Findings[i] = p.Finding
		}
		return collectReview(rs, sub, doc, pr.Review, w)
	}
	doc.Procedure = result.PreEvaluation
	budget, err := buildBudget(sub, unit, found)
	if err != nil {
		return nil, err
	}
	for i := range budget.Notes {
		n := &budget.Notes[i]
		n.Text = w.render(cat.BudgetNotes[n.Code].In(lang), map[string]any{
			"finding": n.Finding, "subject": n.Subject, "line": n.Line, "amount": w.Money(n.Amount.Neg()),
		})
	}
	doc.Budget = budget
	doc.Findings = make([]result.Finding, len(found))
	for i, p := range found {
		doc.Findings[i] = p.Finding
	}
	if bad := reconcileBudget(doc); len(bad) > 0 {
		return nil, fmt.Errorf("the recommended budget does not reconcile: %s", strings.Join(bad, "; "))
	}
	if doc.Schedule, err = collectSchedule(sub, unit, pr.Schedule); err != nil {
		return nil, err
	}
	doc.Recount()
	doc.Conclusion = conclude(cat.Conclusion, doc, noTargets, lang)
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
// amount ({"fen": n}) is written in the submission's unit. A part in square
// brackets is left out when every amount it names is zero ("本年应付 {due}
// [，另有以前年度未付 {arrears}]"), so that no message says "0万元".
func (w writer) render(tmpl string, params map[string]any) string {
	tmpl = optionalParts(tmpl, params)
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

// optionalParts keeps the text of each [part] of tmpl, without its brackets,
// unless every amount parameter it names is zero.
func optionalParts(tmpl string, params map[string]any) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(tmpl, '[')
		end := strings.IndexByte(tmpl[max(open, 0):], ']')
		if open < 0 || end < 0 {
			break
		}
		part := tmpl[open+1 : open+end]
		b.WriteString(tmpl[:open])
		if !allZero(part, params) {
			b.WriteString(part)
		}
		tmpl = tmpl[open+end+1:]
	}
	b.WriteString(tmpl)
	return b.String()
}

// allZero reports whether part names amounts only, all of them zero.
func allZero(part string, params map[string]any) bool {
	named := false
	for {
		open := strings.IndexByte(part, '{')
		end := strings.IndexByte(part[max(open, 0):], '}')
		if open < 0 || end < 0 {
			return named
		}
		m, ok := params[part[open+1:open+end]].(map[string]any)
		n, isAmount := m["fen"].(json.Number)
		if !ok || !isAmount || n.String() != "0" {
			return false
		}
		named = true
		part = part[open+end+1:]
	}
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

// Money writes an amount with its unit: 6万元 in Chinese; in English in
// yuan, as English writes money (CNY 60,000), not "6 10k CNY".
func (w writer) Money(d decimal.Decimal) string {
	if w.lang == ruleset.LangEn {
		fen, err := money.ToFen(d, w.unit)
		if err != nil {
			return d.String() + " " + w.unit.English
		}
		yuan := money.FromFen(fen, money.Yuan)
		sign := ""
		if yuan.IsNegative() {
			sign, yuan = "-", yuan.Neg()
		}
		whole, frac, _ := strings.Cut(yuan.String(), ".")
		for i := len(whole) - 3; i > 0; i -= 3 {
			whole = whole[:i] + "," + whole[i:]
		}
		if frac != "" {
			whole += "." + frac
		}
		return "CNY " + sign + whole
	}
	return d.String() + w.unit.Name
}

// placed is a finding whose adjustments are rewritten to where its amounts
// went on the budget's lines; policy is the finding as the policies gave it.
type placed struct {
	result.Finding
	policy policyFinding
}

// buildBudget applies the findings' adjustments to the requested lines and
// keeps the budget's invariant:
//
//   - Recommended is the sum of the lines' Recommended (plus Requested when
//     the submission has no budget lines: its declared total then stands
//     unitemised); Change = Recommended − Requested, and each line's Change
//     is its Recommended − Requested;
//   - no line is recommended below zero. Additions are applied first, then
//     cuts in the findings' order; a cut larger than what is left on its
//     line moves on to the other lines of the same contract in the order of
//     the budget table, and what no line can take becomes a budget note
//     (result.UnplacedCut), never dropped;
//   - each finding's adjustments say where its amounts went, so that they
//     add up to the lines' changes.
//
// Lines the policies add come after the requested ones, in the order of
// their contracts.
func buildBudget(sub *submission.Submission, unit money.Unit, found []placed) (result.Budget, error) {
	b := result.Budget{Unit: unit.Name, Requested: sub.Project.RequestedTotal, Lines: []result.Line{}, Notes: []result.BudgetNote{}}
	for _, l := range sub.BudgetLines {
		b.Lines = append(b.Lines, result.Line{ID: l.ID, Name: l.Name, Subproject: l.Subproject, Contract: l.Contract, Requested: l.Amount, Recommended: l.Amount})
		b.RequestedLines = b.RequestedLines.Add(l.Amount)
	}
	requested := len(b.Lines)
	index := func(id string) int { return slices.IndexFunc(b.Lines, func(l result.Line) bool { return l.ID == id }) }

	// Every adjustment's amount, and the new lines, first.
	amounts := make([][]decimal.Decimal, len(found))
	for i, f := range found {
		amounts[i] = make([]decimal.Decimal, len(f.policy.Adjustments))
		for j, a := range f.policy.Adjustments {
			fen, err := a.AmountFen.Int64()
			if err != nil {
				return b, fmt.Errorf("finding %s: adjustment amount_fen %q is not a whole number of fen", f.Code, a.AmountFen)
			}
			amounts[i][j] = money.FromFen(fen, unit)
			if index(a.Line) >= 0 {
				continue
			}
			if a.New == nil {
				return b, fmt.Errorf("finding %s adjusts budget line %q, which does not exist (and is not marked new)", f.Code, a.Line)
			}
			b.Lines = append(b.Lines, result.Line{ID: a.Line, Name: a.New.Name, Subproject: a.New.Subproject, Contract: a.New.Contract, New: true})
		}
	}
	contractOrder := func(id string) int {
		return slices.IndexFunc(sub.Contracts, func(c submission.Contract) bool { return c.ID == id })
	}
	slices.SortStableFunc(b.Lines[requested:], func(x, y result.Line) int {
		return cmp.Or(cmp.Compare(contractOrder(x.Contract), contractOrder(y.Contract)), cmp.Compare(x.ID, y.ID))
	})

	// Additions, then cuts, each in the findings' order.
	placedAt := make([][][]result.Adjustment, len(found))
	for i := range found {
		placedAt[i] = make([][]result.Adjustment, len(amounts[i]))
	}
	for _, cuts := range []bool{false, true} {
		for i, f := range found {
			for j, a := range f.policy.Adjustments {
				amount := amounts[i][j]
				if amount.IsNegative() != cuts {
					continue
				}
				if !cuts {
					l := &b.Lines[index(a.Line)]
					l.Recommended = l.Recommended.Add(amount)
					placedAt[i][j] = []result.Adjustment{{Line: a.Line, Amount: amount}}
					continue
				}
				var left decimal.Decimal
				placedAt[i][j], left = cut(b.Lines, index(a.Line), amount.Neg())
				if left.IsPositive() {
					b.Notes = append(b.Notes, result.BudgetNote{Code: result.UnplacedCut, Finding: f.Code, Subject: f.Subject, Line: a.Line, Amount: left.Neg()})
				}
			}
		}
	}
	for i := range found {
		found[i].Adjustments = []result.Adjustment{}
		for _, parts := range placedAt[i] {
			found[i].Adjustments = append(found[i].Adjustments, parts...)
		}
	}

	b.Recommended = decimal.Zero
	for i := range b.Lines {
		b.Lines[i].Change = b.Lines[i].Recommended.Sub(b.Lines[i].Requested)
		b.Recommended = b.Recommended.Add(b.Lines[i].Recommended)
	}
	if requested == 0 {
		b.Recommended = b.Recommended.Add(b.Requested)
	}
	b.Change = b.Recommended.Sub(b.Requested)
	if len(b.Notes) == 0 {
		b.Notes = nil
	}
	return b, nil
}

// cut takes amount from lines[i] and, when that line holds less, from the
// other lines of its contract in the order of the budget table. It returns
// where the amount went and what no line could take.
func cut(lines []result.Line, i int, amount decimal.Decimal) ([]result.Adjustment, decimal.Decimal) {
	order := []int{i}
	if c := lines[i].Contract; c != "" {
		for k, l := range lines {
			if k != i && l.Contract == c {
				order = append(order, k)
			}
		}
	}
	var parts []result.Adjustment
	for _, k := range order {
		if !amount.IsPositive() {
			break
		}
		take := decimal.Min(amount, lines[k].Recommended)
		if !take.IsPositive() {
			continue
		}
		lines[k].Recommended = lines[k].Recommended.Sub(take)
		parts = append(parts, result.Adjustment{Line: lines[k].ID, Amount: take.Neg()})
		amount = amount.Sub(take)
	}
	return parts, amount
}

// conclude picks the first band of the ruleset whose conditions all hold.
func conclude(c ruleset.Conclusion, doc *result.Document, noTargets bool, lang string) result.Conclusion {
	adjusted := !doc.Budget.Change.IsZero() || slices.ContainsFunc(doc.Budget.Lines, func(l result.Line) bool { return !l.Change.IsZero() })
	for _, band := range c.Bands {
		if band.BasicFailed != nil && *band.BasicFailed == doc.Basic.Passed {
			continue
		}
		if band.Below != nil && !doc.Score.Total.LessThan(*band.Below) {
			continue
		}
		if band.NoTargets != nil && *band.NoTargets != noTargets {
			continue
		}
		if band.Adjusted != nil && *band.Adjusted != adjusted {
			continue
		}
		return result.Conclusion{Code: band.Code, Text: c.Texts[band.Code].In(lang)}
	}
	return result.Conclusion{Code: result.Reject, Text: c.Texts[result.Reject].In(lang)}
}
