// Package derive turns a validated submission into the input document the
// policies see: every amount in integer fen, every instalment's maintenance
// share, every assessment cycle with its dates, the fiscal year's due amounts
// and arrears per contract, and every fact's path ("at") so that a finding can
// point back at the line it is about.
//
// The document is built as an OPA value (Value), which the engine hands to
// the prepared query as it is: no JSON and no map[string]any in between.
package derive

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/indicator"
	"github.com/budgetcheck/budgetcheck/evaluator/money"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// InputSchema names the shape of the document Input returns.
const InputSchema = "budgetcheck.input/v1"

// Doc is a JSON-like document: the policies' input.
type Doc = map[string]any

// Input derives the policies' input document from a validated submission, as
// JSON-like Go values (for `inspect --input` and other writers of JSON).
func Input(s *submission.Submission) (Doc, error) {
	v, err := Value(s)
	if err != nil {
		return nil, err
	}
	doc, err := ast.JSON(v)
	if err != nil {
		return nil, err
	}
	return doc.(Doc), nil
}

// Value derives the policies' input document from a validated submission, as
// the OPA value the engine evaluates.
func Value(s *submission.Submission) (ast.Value, error) {
	unit, ok := money.LookupUnit(s.Project.Unit)
	if !ok {
		return nil, fmt.Errorf("unknown unit %q", s.Project.Unit)
	}
	d := &deriver{s: s, unit: unit, fy: s.Project.FiscalYear}
	doc := ast.NewObject(
		item("schema", str(InputSchema)),
		item("fiscal_year", num(d.fy)),
		item("unit", str(unit.Name)),
		item("project", d.project()),
		item("subprojects", d.subprojects()),
		item("targets", d.targets()),
		item("contracts", d.contracts()),
		item("budget_lines", d.budgetLines()),
	)
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

func (d *deriver) fenTerm(a decimal.Decimal) *ast.Term { return num(d.fen(a)) }

func (d *deriver) optFen(a *decimal.Decimal) *ast.Term {
	if a == nil {
		return null
	}
	return d.fenTerm(*a)
}

func (d *deriver) project() *ast.Term {
	p := d.s.Project
	return ast.ObjectTerm(
		item("at", str("project")),
		item("name", str(p.Name)),
		item("code", str(p.Code)),
		item("budget_unit", str(p.BudgetUnit)),
		item("department", str(p.Department)),
		item("attribute", str(p.Attribute)),
		item("region", str(p.Region)),
		item("requested_fen", d.fenTerm(p.RequestedTotal)),
		item("fiscal_funds_fen", d.optFen(p.FiscalFunds)),
		item("public_service", boolean(p.PublicService)),
		item("beneficiaries", strings(p.Beneficiaries)),
		item("need", str(p.Need)),
		item("policy_basis", documents(p.PolicyBasis)),
		item("decisions", decisions(p.Decisions)),
		item("annual_goal", str(p.AnnualGoal)),
		item("long_term_goal", str(p.LongTermGoal)),
		item("cost_basis_text", str(p.CostBasisText)),
		// the amounts written in 测算依据, for comparing with the request
		item("cost_basis_amounts", textAmounts(p.CostBasisText)),
	)
}

func (d *deriver) subprojects() *ast.Term {
	out := make([]*ast.Term, len(d.s.Subprojects))
	for i, sp := range d.s.Subprojects {
		evidence := make([]*ast.Term, len(sp.Argumentation))
		for j, e := range sp.Argumentation {
			evidence[j] = ast.ObjectTerm(item("kind", str(e.Kind)), item("title", str(e.Title)))
		}
		prior := make([]*ast.Term, len(sp.PriorPeriod))
		for j, p := range sp.PriorPeriod {
			prior[j] = ast.ObjectTerm(item("name", str(p.Name)), item("years", str(p.Years)), item("items", strings(p.Items)))
		}
		plan := null
		if sp.Plan != nil {
			plan = ast.ObjectTerm(item("title", str(sp.Plan.Title)), item("number", str(sp.Plan.Number)))
		}
		scope := null
		if sp.Scope != nil {
			quantities := make([][2]*ast.Term, 0, len(sp.Scope.Quantities))
			for k, q := range sp.Scope.Quantities {
				quantities = append(quantities, item(k, str(q.String())))
			}
			scope = ast.ObjectTerm(item("quantities", ast.ObjectTerm(quantities...)), item("new_items", strings(sp.Scope.NewItems)))
		}
		out[i] = ast.ObjectTerm(
			item("at", str(fmt.Sprintf("subprojects[%d]", i))),
			item("id", str(sp.ID)),
			item("name", str(sp.Name)),
			item("kind", str(sp.Kind)),
			item("attribute", str(sp.Attribute)),
			item("basis", documents(sp.Basis)),
			item("decisions", decisions(sp.Decisions)),
			item("argumentation", ast.ArrayTerm(evidence...)),
			item("plan", plan),
			item("quality_control", strings(sp.QualityControl)),
			item("scope", scope),
			item("prior_period", ast.ArrayTerm(prior...)),
		)
	}
	return ast.ArrayTerm(out...)
}

func (d *deriver) targets() *ast.Term {
	quantities := map[string]map[string]decimal.Decimal{}
	for _, sp := range d.s.Subprojects {
		if sp.Scope != nil {
			quantities[sp.ID] = sp.Scope.Quantities
		}
	}
	out := make([]*ast.Term, len(d.s.Targets))
	for i, t := range d.s.Targets {
		id := t.ID
		if id == "" {
			id = fmt.Sprintf("T%d", i+1)
		}
		plan := null
		if q, ok := quantities[t.Subproject][t.DerivedFrom]; ok && t.DerivedFrom != "" {
			plan = str(q.String())
		}
		v := indicator.Parse(t.Value)
		out[i] = ast.ObjectTerm(
			item("at", str(fmt.Sprintf("targets[%d]", i))),
			item("id", str(id)),
			item("level1", str(t.Level1)),
			item("level2", str(t.Level2)),
			item("name", str(t.Name)),
			item("name_length", num(utf8.RuneCountInString(t.Name))),
			item("value", ast.ObjectTerm(
				item("text", str(v.Text)), item("prefix", str(v.Prefix)), item("number", str(v.Number)),
				item("unit", str(v.Unit)), item("date", str(v.Date)),
			)),
			item("explanation", str(t.Explanation)),
			item("subproject", str(t.Subproject)),
			item("derived_from", str(t.DerivedFrom)),
			item("plan_value", plan),
		)
	}
	return ast.ArrayTerm(out...)
}

func (d *deriver) budgetLines() *ast.Term {
	out := make([]*ast.Term, len(d.s.BudgetLines))
	for i, l := range d.s.BudgetLines {
		out[i] = ast.ObjectTerm(
			item("at", str(fmt.Sprintf("budget_lines[%d]", i))),
			item("id", str(l.ID)),
			item("name", str(l.Name)),
			item("subproject", str(l.Subproject)),
			item("contract", str(l.Contract)),
			item("amount_fen", d.fenTerm(l.Amount)),
			item("cost_basis", str(l.CostBasis)),
			item("prior_year_fen", d.optFen(l.PriorYear)),
			item("breakdown", boolean(l.Breakdown)),
		)
	}
	return ast.ArrayTerm(out...)
}

func (d *deriver) contracts() *ast.Term {
	out := make([]*ast.Term, len(d.s.Contracts))
	for i, c := range d.s.Contracts {
		at := fmt.Sprintf("contracts[%d]", i)
		year := yearSums{}
		// in this order: the fiscal year's sums add up what the others lay out
		components := d.components(c, at)
		instalments := d.instalments(c, at, &year)
		cycle, cycles := d.cycles(c, at, &year)
		predecessor := d.predecessor(c, at, &year)
		out[i] = ast.ObjectTerm(
			item("at", str(at)),
			item("id", str(c.ID)),
			item("name", str(c.Name)),
			item("subproject", str(c.Subproject)),
			item("supplier", str(c.Supplier)),
			item("signed", dateString(c.Signed)),
			item("status", str(c.Status)),
			item("total_fen", d.optFen(c.Total)),
			item("term", str(c.Term)),
			item("components", components),
			item("instalments", instalments),
			item("cycle", cycle),
			item("cycles", cycles),
			item("predecessor", predecessor),
			item("fiscal_year", ast.ObjectTerm(
				item("due_fen", num(year.due)),
				item("maintenance_due_fen", num(year.maintenanceDue)),
				item("arrears_fen", num(year.arrears)),
				item("predecessor_arrears_fen", num(year.predecessorArrears)),
				item("cycles_ending_fen", num(year.cyclesEnding)),
			)),
		)
	}
	return ast.ArrayTerm(out...)
}

// yearSums are a contract's amounts for the fiscal year, in fen.
type yearSums struct {
	due                int64 // instalments due in the year and unpaid, plus cycles ending in it
	maintenanceDue     int64 // the maintenance share of the instalments due
	arrears            int64 // own instalments due earlier and unpaid
	predecessorArrears int64 // the predecessor contract's unpaid amounts
	cyclesEnding       int64 // assessment cycles that end in the year
}

func (d *deriver) components(c submission.Contract, at string) *ast.Term {
	out := make([]*ast.Term, len(c.Components))
	for j, comp := range c.Components {
		out[j] = ast.ObjectTerm(
			item("at", str(fmt.Sprintf("%s.components[%d]", at, j))),
			item("name", str(comp.Name)),
			item("kind", str(comp.Kind)),
			item("amount_fen", d.fenTerm(comp.Amount)),
			item("service_start", dateString(comp.ServiceStart)),
			item("assessment_criteria", boolean(comp.AssessmentCriteria)),
		)
	}
	return ast.ArrayTerm(out...)
}

// instalments gives each instalment its amount in fen (total × ratio, rounded
// half-up to the fen, unless written) and the share of the bundled
// maintenance components it carries.
func (d *deriver) instalments(c submission.Contract, at string, year *yearSums) *ast.Term {
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
	out := make([]*ast.Term, len(c.Instalments))
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
		ratioText := null
		if inst.Ratio != nil {
			ratioText = str(inst.Ratio.String())
		}
		out[j] = ast.ObjectTerm(
			item("at", str(fmt.Sprintf("%s.instalments[%d]", at, j))),
			item("seq", num(j+1)),
			item("ratio", ratioText),
			item("amount_fen", num(amount)),
			item("due_year", num(inst.DueYear)),
			item("trigger", str(inst.Trigger)),
			item("paid", boolean(inst.Paid)),
			item("maintenance_fen", num(share)),
		)
	}
	return ast.ArrayTerm(out...)
}

// cycles lays out a cycle-paid service's assessment cycles over its term.
// A service with no fixed start is assumed to start on 1 January of the
// fiscal year. Each cycle's fee is the annual fee split evenly, the last
// cycle of each year taking the remainder so that a year adds up exactly.
func (d *deriver) cycles(c submission.Contract, at string, year *yearSums) (cycle, cycles *ast.Term) {
	cy := c.Cycle
	if cy == nil || cy.CyclesPerYear <= 0 || 12%cy.CyclesPerYear != 0 {
		return null, ast.ArrayTerm()
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
	list := make([]*ast.Term, n)
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
		list[k] = ast.ObjectTerm(
			item("at", str(cat)),
			item("seq", num(k+1)),
			item("start", str(start.AddDate(0, k*months, 0).Format(time.DateOnly))),
			item("end", str(end.Format(time.DateOnly))),
			item("end_year", num(end.Year())),
			item("amount_fen", num(amount)),
		)
	}
	return ast.ObjectTerm(
		item("at", str(cat)),
		item("annual_fee_fen", num(annual)),
		item("cycles_per_year", num(cy.CyclesPerYear)),
		item("term_years", num(cy.TermYears)),
		item("service_start", str(start.Format(time.DateOnly))),
		item("start_assumed", boolean(assumed)),
	), ast.ArrayTerm(list...)
}

func (d *deriver) predecessor(c submission.Contract, at string, year *yearSums) *ast.Term {
	p := c.Predecessor
	if p == nil {
		return null
	}
	unpaid := make([]*ast.Term, len(p.Unpaid))
	for j, a := range p.Unpaid {
		amount := d.fen(a.Amount)
		if a.DueYear < d.fy {
			year.predecessorArrears += amount
		}
		unpaid[j] = ast.ObjectTerm(
			item("at", str(fmt.Sprintf("%s.predecessor.unpaid[%d]", at, j))),
			item("name", str(a.Name)),
			item("amount_fen", num(amount)),
			item("due_year", num(a.DueYear)),
		)
	}
	return ast.ObjectTerm(
		item("at", str(at+".predecessor")),
		item("id", str(p.ID)),
		item("name", str(p.Name)),
		item("annual_fee_fen", d.optFen(p.AnnualFee)),
		item("unpaid", ast.ArrayTerm(unpaid...)),
	)
}

func dateString(d *submission.Date) *ast.Term {
	if d == nil {
		return null
	}
	return str(d.String())
}

func strings(ss []string) *ast.Term {
	out := make([]*ast.Term, len(ss))
	for i, s := range ss {
		out[i] = str(s)
	}
	return ast.ArrayTerm(out...)
}

func documents(docs []submission.Document) *ast.Term {
	out := make([]*ast.Term, len(docs))
	for i, doc := range docs {
		out[i] = ast.ObjectTerm(item("title", str(doc.Title)), item("number", str(doc.Number)))
	}
	return ast.ArrayTerm(out...)
}

func decisions(ds []submission.Decision) *ast.Term {
	out := make([]*ast.Term, len(ds))
	for i, d := range ds {
		out[i] = ast.ObjectTerm(item("kind", str(d.Kind)), item("title", str(d.Title)), item("date", dateString(d.Date)))
	}
	return ast.ArrayTerm(out...)
}
