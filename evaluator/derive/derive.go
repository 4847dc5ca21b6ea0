// Package derive turns a validated submission into the input document the
// policies see: every amount in integer fen, every instalment's maintenance
// share, every assessment cycle with its dates, the fiscal year's due amounts
// and arrears per contract, and every fact's path ("at") so that a finding can
// point back at the line it is about.
package derive

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/indicator"
	"github.com/budgetcheck/budgetcheck/evaluator/money"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// InputSchema names the shape of the document Input returns.
const InputSchema = "budgetcheck.input/v1"

// Doc is a JSON-like document: the policies' input.
type Doc = map[string]any

// Input derives the policies' input document from a validated submission.
func Input(s *submission.Submission) (Doc, error) {
	unit, ok := money.LookupUnit(s.Project.Unit)
	if !ok {
		return nil, fmt.Errorf("unknown unit %q", s.Project.Unit)
	}
	d := &deriver{s: s, unit: unit, fy: s.Project.FiscalYear}
	doc := Doc{
		"schema":       InputSchema,
		"fiscal_year":  d.fy,
		"unit":         unit.Name,
		"project":      d.project(),
		"subprojects":  d.subprojects(),
		"targets":      d.targets(),
		"contracts":    d.contracts(),
		"budget_lines": d.budgetLines(),
	}
	if d.err != nil {
		return nil, d.err
	}
	return doc, nil
}

type deriver struct {
	s    *submission.Submission
	unit money.Unit
	fy   int
	err  error
}

// fen converts an amount to fen; the first failure is kept and reported by Input.
func (d *deriver) fen(a decimal.Decimal) int64 {
	f, err := money.ToFen(a, d.unit)
	if err != nil && d.err == nil {
		d.err = err
	}
	return f
}

func (d *deriver) optFen(a *decimal.Decimal) any {
	if a == nil {
		return nil
	}
	return d.fen(*a)
}

func (d *deriver) project() Doc {
	p := d.s.Project
	return Doc{
		"at":               "project",
		"name":             p.Name,
		"code":             p.Code,
		"budget_unit":      p.BudgetUnit,
		"department":       p.Department,
		"attribute":        p.Attribute,
		"region":           p.Region,
		"requested_fen":    d.fen(p.RequestedTotal),
		"fiscal_funds_fen": d.optFen(p.FiscalFunds),
		"public_service":   p.PublicService,
		"beneficiaries":    strings(p.Beneficiaries),
		"need":             p.Need,
		"policy_basis":     documents(p.PolicyBasis),
		"decisions":        decisions(p.Decisions),
		"annual_goal":      p.AnnualGoal,
		"long_term_goal":   p.LongTermGoal,
		"cost_basis_text":  p.CostBasisText,
		// the amounts written in 测算依据, for comparing with the request
		"cost_basis_amounts": textAmounts(p.CostBasisText),
	}
}

func (d *deriver) subprojects() []any {
	out := make([]any, len(d.s.Subprojects))
	for i, sp := range d.s.Subprojects {
		evidence := make([]any, len(sp.Argumentation))
		for j, e := range sp.Argumentation {
			evidence[j] = Doc{"kind": e.Kind, "title": e.Title}
		}
		prior := make([]any, len(sp.PriorPeriod))
		for j, p := range sp.PriorPeriod {
			prior[j] = Doc{"name": p.Name, "years": p.Years, "items": strings(p.Items)}
		}
		var plan any
		if sp.Plan != nil {
			plan = Doc{"title": sp.Plan.Title, "number": sp.Plan.Number}
		}
		var scope any
		if sp.Scope != nil {
			quantities := Doc{}
			for k, q := range sp.Scope.Quantities {
				quantities[k] = q.String()
			}
			scope = Doc{"quantities": quantities, "new_items": strings(sp.Scope.NewItems)}
		}
		out[i] = Doc{
			"at":              fmt.Sprintf("subprojects[%d]", i),
			"id":              sp.ID,
			"name":            sp.Name,
			"kind":            sp.Kind,
			"attribute":       sp.Attribute,
			"basis":           documents(sp.Basis),
			"decisions":       decisions(sp.Decisions),
			"argumentation":   evidence,
			"plan":            plan,
			"quality_control": strings(sp.QualityControl),
			"scope":           scope,
			"prior_period":    prior,
		}
	}
	return out
}

func (d *deriver) targets() []any {
	quantities := map[string]map[string]decimal.Decimal{}
	for _, sp := range d.s.Subprojects {
		if sp.Scope != nil {
			quantities[sp.ID] = sp.Scope.Quantities
		}
	}
	out := make([]any, len(d.s.Targets))
	for i, t := range d.s.Targets {
		id := t.ID
		if id == "" {
			id = fmt.Sprintf("T%d", i+1)
		}
		var plan any
		if q, ok := quantities[t.Subproject][t.DerivedFrom]; ok && t.DerivedFrom != "" {
			plan = q.String()
		}
		v := indicator.Parse(t.Value)
		out[i] = Doc{
			"at":           fmt.Sprintf("targets[%d]", i),
			"id":           id,
			"level1":       t.Level1,
			"level2":       t.Level2,
			"name":         t.Name,
			"name_length":  utf8.RuneCountInString(t.Name),
			"value":        Doc{"text": v.Text, "prefix": v.Prefix, "number": v.Number, "unit": v.Unit, "date": v.Date},
			"explanation":  t.Explanation,
			"subproject":   t.Subproject,
			"derived_from": t.DerivedFrom,
			"plan_value":   plan,
		}
	}
	return out
}

func (d *deriver) budgetLines() []any {
	out := make([]any, len(d.s.BudgetLines))
	for i, l := range d.s.BudgetLines {
		out[i] = Doc{
			"at":             fmt.Sprintf("budget_lines[%d]", i),
			"id":             l.ID,
			"name":           l.Name,
			"subproject":     l.Subproject,
			"contract":       l.Contract,
			"amount_fen":     d.fen(l.Amount),
			"cost_basis":     l.CostBasis,
			"prior_year_fen": d.optFen(l.PriorYear),
			"breakdown":      l.Breakdown,
		}
	}
	return out
}

func (d *deriver) contracts() []any {
	out := make([]any, len(d.s.Contracts))
	for i, c := range d.s.Contracts {
		at := fmt.Sprintf("contracts[%d]", i)
		year := yearSums{}
		doc := Doc{
			"at":         at,
			"id":         c.ID,
			"name":       c.Name,
			"subproject": c.Subproject,
			"supplier":   c.Supplier,
			"signed":     dateString(c.Signed),
			"status":     c.Status,
			"total_fen":  d.optFen(c.Total),
			"term":       c.Term,
		}
		doc["components"] = d.components(c, at)
		doc["instalments"] = d.instalments(c, at, &year)
		doc["cycle"], doc["cycles"] = d.cycles(c, at, &year)
		doc["predecessor"] = d.predecessor(c, at, &year)
		doc["fiscal_year"] = Doc{
			"due_fen":                 year.due,
			"maintenance_due_fen":     year.maintenanceDue,
			"arrears_fen":             year.arrears,
			"predecessor_arrears_fen": year.predecessorArrears,
			"cycles_ending_fen":       year.cyclesEnding,
		}
		out[i] = doc
	}
	return out
}

// yearSums are a contract's amounts for the fiscal year, in fen.
type yearSums struct {
	due                int64 // instalments due in the year and unpaid, plus cycles ending in it
	maintenanceDue     int64 // the maintenance share of the instalments due
	arrears            int64 // own instalments due earlier and unpaid
	predecessorArrears int64 // the predecessor contract's unpaid amounts
	cyclesEnding       int64 // assessment cycles that end in the year
}

func (d *deriver) components(c submission.Contract, at string) []any {
	out := make([]any, len(c.Components))
	for j, comp := range c.Components {
		out[j] = Doc{
			"at":                  fmt.Sprintf("%s.components[%d]", at, j),
			"name":                comp.Name,
			"kind":                comp.Kind,
			"amount_fen":          d.fen(comp.Amount),
			"service_start":       dateString(comp.ServiceStart),
			"assessment_criteria": comp.AssessmentCriteria,
		}
	}
	return out
}

// instalments gives each instalment its amount in fen (total × ratio, rounded
// half-up to the fen, unless written) and the share of the bundled
// maintenance components it carries.
func (d *deriver) instalments(c submission.Contract, at string, year *yearSums) []any {
	var total int64
	if c.Total != nil {
		total = d.fen(*c.Total)
	}
	var maintenance int64
	for _, comp := range c.Components {
		if comp.Kind == "maintenance" {
			maintenance += d.fen(comp.Amount)
		}
	}
	out := make([]any, len(c.Instalments))
	for j, inst := range c.Instalments {
		var amount int64
		ratio := decimal.Zero
		switch {
		case inst.Amount != nil:
			amount = d.fen(*inst.Amount)
			if total > 0 {
				ratio = decimal.NewFromInt(amount).Div(decimal.NewFromInt(total))
			}
		case inst.Ratio != nil:
			amount = money.Share(total, inst.Ratio.Decimal)
		}
		if inst.Ratio != nil {
			ratio = inst.Ratio.Decimal
		}
		share := money.Share(maintenance, ratio)
		switch {
		case inst.Paid:
		case inst.DueYear == d.fy:
			year.due += amount
			year.maintenanceDue += share
		case inst.DueYear != 0 && inst.DueYear < d.fy:
			year.arrears += amount
		}
		var ratioText any
		if inst.Ratio != nil {
			ratioText = inst.Ratio.String()
		}
		out[j] = Doc{
			"at":              fmt.Sprintf("%s.instalments[%d]", at, j),
			"seq":             j + 1,
			"ratio":           ratioText,
			"amount_fen":      amount,
			"due_year":        inst.DueYear,
			"trigger":         inst.Trigger,
			"paid":            inst.Paid,
			"maintenance_fen": share,
		}
	}
	return out
}

// cycles lays out a cycle-paid service's assessment cycles over its term.
// A service with no fixed start is assumed to start on 1 January of the
// fiscal year. Each cycle's fee is the annual fee split evenly, the last
// cycle of each year taking the remainder so that a year adds up exactly.
func (d *deriver) cycles(c submission.Contract, at string, year *yearSums) (any, []any) {
	cy := c.Cycle
	if cy == nil || cy.CyclesPerYear <= 0 || 12%cy.CyclesPerYear != 0 {
		return nil, []any{}
	}
	cat := at + ".cycle_payment"
	start, assumed := time.Date(d.fy, time.January, 1, 0, 0, 0, 0, time.UTC), true
	if cy.ServiceStart != nil {
		start, assumed = cy.ServiceStart.Time, false
	}
	annual := d.fen(cy.AnnualFee)
	per := annual / int64(cy.CyclesPerYear)
	months := 12 / cy.CyclesPerYear
	n := cy.TermYears * cy.CyclesPerYear
	list := make([]any, n)
	for k := range n {
		amount := per
		if k%cy.CyclesPerYear == cy.CyclesPerYear-1 {
			amount = annual - per*int64(cy.CyclesPerYear-1)
		}
		end := start.AddDate(0, (k+1)*months, -1)
		if end.Year() == d.fy {
			year.cyclesEnding += amount
			year.due += amount
		}
		list[k] = Doc{
			"at":         cat,
			"seq":        k + 1,
			"start":      start.AddDate(0, k*months, 0).Format(time.DateOnly),
			"end":        end.Format(time.DateOnly),
			"amount_fen": amount,
		}
	}
	return Doc{
		"at":              cat,
		"annual_fee_fen":  annual,
		"cycles_per_year": cy.CyclesPerYear,
		"term_years":      cy.TermYears,
		"service_start":   start.Format(time.DateOnly),
		"start_assumed":   assumed,
	}, list
}

func (d *deriver) predecessor(c submission.Contract, at string, year *yearSums) any {
	p := c.Predecessor
	if p == nil {
		return nil
	}
	unpaid := make([]any, len(p.Unpaid))
	for j, a := range p.Unpaid {
		amount := d.fen(a.Amount)
		if a.DueYear < d.fy {
			year.predecessorArrears += amount
		}
		unpaid[j] = Doc{
			"at":         fmt.Sprintf("%s.predecessor.unpaid[%d]", at, j),
			"name":       a.Name,
			"amount_fen": amount,
			"due_year":   a.DueYear,
		}
	}
	return Doc{
		"at":             at + ".predecessor",
		"id":             p.ID,
		"name":           p.Name,
		"annual_fee_fen": d.optFen(p.AnnualFee),
		"unpaid":         unpaid,
	}
}

func dateString(d *submission.Date) any {
	if d == nil {
		return nil
	}
	return d.String()
}

func strings(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func documents(docs []submission.Document) []any {
	out := make([]any, len(docs))
	for i, doc := range docs {
		out[i] = Doc{"title": doc.Title, "number": doc.Number}
	}
	return out
}

func decisions(ds []submission.Decision) []any {
	out := make([]any, len(ds))
	for i, d := range ds {
		out[i] = Doc{"kind": d.Kind, "title": d.Title, "date": dateString(d.Date)}
	}
	return out
}
