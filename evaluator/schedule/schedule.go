// Package schedule lays out the contracts' payment plan of a result document
// as Table 2 (表2) of the evaluation report (合同年度预算表): one row per contract
// with its payments by year, a row total checked against the contract total,
// column totals, and the fiscal year's column reconciled with the
// recommended budget. Every amount comes from the result document.
package schedule

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/money"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
)

// Column keys besides the years.
const (
	Earlier = "earlier"    // years before Options.From
	After   = "after"      // years after Options.To
	Later   = result.Later // no year: trigger-only instalments, deferred shares
)

// Options choose the view and the years shown.
type Options struct {
	// From and To bound the year columns (0: the first and last year with a payment).
	From, To int
	// AsContracted shows the contracts' own terms instead of the recommended plan.
	AsContracted bool
	// Lang is the language of the labels: zh (default) or en.
	Lang string
	// Subprojects names the sub-projects by id.
	Subprojects map[string]string
}

// Table is the report's Table 2 (表2).
type Table struct {
	Unit         string          `json:"unit"`
	FiscalYear   int             `json:"fiscal_year"`
	AsContracted bool            `json:"as_contracted"`
	Columns      []Column        `json:"columns"`
	Rows         []Row           `json:"rows"`
	Totals       []Cell          `json:"totals"`
	Total        decimal.Decimal `json:"total"`
	Sum          decimal.Decimal `json:"sum"`
	// Discrepancies counts the rows whose payments do not add up to their total.
	Discrepancies int `json:"discrepancies"`
	// Fiscal is the fiscal year's column total less what is already paid in
	// it; Budget the recommended budget it must equal (recommended view).
	Fiscal decimal.Decimal `json:"fiscal"`
	Budget decimal.Decimal `json:"budget"`
	// Reconciled reports Fiscal == Budget.
	Reconciled bool   `json:"reconciled"`
	Notes      []Note `json:"notes"`
}

// Column is a year ("2021") or Earlier, After, Later.
type Column struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Fiscal bool   `json:"fiscal,omitempty"`
}

// Row is one contract (or the arrears of the contract it replaces).
type Row struct {
	No          string           `json:"no"`
	ID          string           `json:"id"`
	Contract    string           `json:"contract"`
	Predecessor bool             `json:"predecessor,omitempty"`
	Subproject  string           `json:"subproject"`
	Name        string           `json:"name"`
	Signed      string           `json:"signed"`
	Supplier    string           `json:"supplier"`
	Term        string           `json:"term"`
	Total       *decimal.Decimal `json:"total"`
	Cells       []Cell           `json:"cells"`
	Sum         decimal.Decimal  `json:"sum"`
	// Discrepancy is Sum − Total when they differ; NoTotal marks a row
	// whose contract states no total to check against.
	Discrepancy *decimal.Decimal `json:"discrepancy,omitempty"`
	NoTotal     bool             `json:"no_total,omitempty"`
}

// Cell is one amount. Paid: already paid; Moved: the plan moved an amount
// into or out of it (see the notes).
type Cell struct {
	Amount decimal.Decimal `json:"amount"`
	Set    bool            `json:"set,omitempty"`
	Paid   bool            `json:"paid,omitempty"`
	Moved  bool            `json:"moved,omitempty"`
}

// Note explains a move of the plan, or a discrepancy. A note that explains
// why the fiscal year's column differs from the recommended budget says by
// how much (Difference): those notes add up to Fiscal − Budget.
type Note struct {
	Row        string           `json:"row"`
	Text       string           `json:"text"`
	Difference *decimal.Decimal `json:"difference,omitempty"`
}

// Build lays out doc's schedule. It fails when the document has none.
func Build(doc *result.Document, o Options) (*Table, error) {
	s := doc.Schedule
	if s == nil {
		return nil, fmt.Errorf("%s: the ruleset gives no payment schedule (data.budgetcheck.schedule.plan)", doc.File)
	}
	l := func(key string) string { return label(key, o.Lang) }
	t := &Table{Unit: doc.Budget.Unit, FiscalYear: s.FiscalYear, AsContracted: o.AsContracted, Budget: doc.Budget.Recommended, Notes: []Note{}}
	amounts := func(r result.ScheduleRow) map[string]decimal.Decimal {
		if o.AsContracted {
			return r.Contracted
		}
		return r.Recommended
	}
	from, to := o.From, o.To
	if from == 0 || to == 0 {
		lo, hi := s.FiscalYear, s.FiscalYear
		for _, r := range s.Rows {
			for k := range amounts(r) {
				if y, err := strconv.Atoi(k); err == nil {
					lo, hi = min(lo, y), max(hi, y)
				}
			}
		}
		if from == 0 {
			from = lo
		}
		if to == 0 {
			to = hi
		}
	}
	if from > to {
		return nil, fmt.Errorf("--from %d is after --to %d", from, to)
	}
	column := func(key string) string {
		if key == Later {
			return Later
		}
		y, err := strconv.Atoi(key)
		switch {
		case err != nil:
			return Later
		case y < from:
			return Earlier
		case y > to:
			return After
		}
		return key
	}
	used := map[string]bool{}
	for _, r := range s.Rows {
		for k, v := range amounts(r) {
			if !v.IsZero() {
				used[column(k)] = true
			}
		}
	}
	if used[Earlier] {
		t.Columns = append(t.Columns, Column{Key: Earlier, Label: fmt.Sprintf(l("earlier"), from)})
	}
	for y := from; y <= to; y++ {
		t.Columns = append(t.Columns, Column{Key: strconv.Itoa(y), Label: strconv.Itoa(y), Fiscal: y == s.FiscalYear})
	}
	if used[After] {
		t.Columns = append(t.Columns, Column{Key: After, Label: fmt.Sprintf(l("after"), to)})
	}
	if used[Later] {
		t.Columns = append(t.Columns, Column{Key: Later, Label: l("later")})
	}
	index := map[string]int{}
	for i, c := range t.Columns {
		index[c.Key] = i
	}
	t.Totals = make([]Cell, len(t.Columns))
	fy := strconv.Itoa(s.FiscalYear)
	// planned is what each contract's rows pay in the fiscal year, less what
	// is already paid in it: the part of Fiscal that its budget lines pay.
	planned := map[string]decimal.Decimal{}
	no := 0
	for _, r := range s.Rows {
		row := Row{ID: r.ID, Contract: r.Contract, Predecessor: r.Predecessor, Name: r.Name, Signed: r.Signed, Supplier: r.Supplier, Term: r.Term, Total: r.Total, Cells: make([]Cell, len(t.Columns))}
		row.Subproject = r.Subproject
		if name, ok := o.Subprojects[r.Subproject]; ok && name != "" {
			row.Subproject = name
		}
		if r.Predecessor {
			row.No = fmt.Sprintf("%d-1", no)
			row.Name = l("predecessor") + r.Name
		} else {
			no++
			row.No = strconv.Itoa(no)
			if row.Signed == "" {
				row.Signed = l("unsigned_" + r.Status)
			}
		}
		for _, k := range sortedKeys(amounts(r)) {
			v := amounts(r)[k]
			i := index[column(k)]
			row.Cells[i].Amount = row.Cells[i].Amount.Add(v)
			row.Cells[i].Set = true
			row.Sum = row.Sum.Add(v)
			if p, ok := r.Paid[k]; ok && p.Equal(v) && (o.AsContracted || k < fy) {
				row.Cells[i].Paid = true
			}
		}
		if !o.AsContracted {
			for _, m := range r.Moves {
				if m.From != fy && m.To != fy {
					continue
				}
				for _, k := range []string{m.From, m.To} {
					if i, ok := index[column(k)]; ok && row.Cells[i].Set {
						row.Cells[i].Moved = true
					}
				}
				t.Notes = append(t.Notes, Note{Row: row.No, Text: moveText(o.Lang, r, m, s.LagDays)})
			}
		}
		if v, ok := r.Paid[fy]; ok && !o.AsContracted {
			t.Fiscal = t.Fiscal.Sub(v)
		}
		planned[r.Contract] = planned[r.Contract].Add(r.Recommended[fy]).Sub(r.Paid[fy])
		if row.Total == nil {
			row.NoTotal = true
			t.Notes = append(t.Notes, Note{Row: row.No, Text: fmt.Sprintf(l("no_total"), r.Contract)})
		} else {
			t.Total = t.Total.Add(*row.Total)
			if d := row.Sum.Sub(*row.Total); !d.IsZero() {
				row.Discrepancy = &d
				t.Discrepancies++
				t.Notes = append(t.Notes, Note{Row: row.No, Text: fmt.Sprintf(l("discrepancy"), r.ID, row.Sum, *row.Total, d)})
			}
		}
		for i, c := range row.Cells {
			if c.Set {
				t.Totals[i].Amount = t.Totals[i].Amount.Add(c.Amount)
				t.Totals[i].Set = true
			}
		}
		t.Sum = t.Sum.Add(row.Sum)
		t.Rows = append(t.Rows, row)
	}
	if i, ok := index[fy]; ok {
		t.Fiscal = t.Fiscal.Add(t.Totals[i].Amount)
	}
	t.Reconciled = t.Fiscal.Equal(t.Budget)
	if !o.AsContracted {
		t.Notes = append(t.Notes, lineNotes(doc, t, planned, o.Lang)...)
	}
	return t, nil
}

// FiscalColumn returns the index of the fiscal year's column, or -1.
func (t *Table) FiscalColumn() int {
	return slices.IndexFunc(t.Columns, func(c Column) bool { return c.Fiscal })
}

// Reconciliation says whether the fiscal year's column equals the
// recommended budget, in lang.
func (t *Table) Reconciliation(lang string) string {
	unit := t.UnitName(lang)
	if t.AsContracted {
		return fmt.Sprintf(label("contracted_fy", lang), t.FiscalYear, t.Fiscal, unit, t.Budget, unit)
	}
	if t.Reconciled {
		return fmt.Sprintf(label("reconciled", lang), t.FiscalYear, t.Fiscal, unit, t.Budget, unit)
	}
	return fmt.Sprintf(label("unreconciled", lang), t.FiscalYear, t.Fiscal, unit, t.Budget, unit, t.Fiscal.Sub(t.Budget), unit)
}

// UnitName is the table's unit in lang ("万元", or "10k CNY" in English).
func (t *Table) UnitName(lang string) string {
	if u, ok := money.LookupUnit(t.Unit); ok && lang == ruleset.LangEn {
		return u.English
	}
	return t.Unit
}

// lineNotes explain a fiscal year that does not reconcile: each contract
// whose payments this year (planned) differ from what its budget lines
// recommend, and each recommended line that pays no contract in the table.
// Their differences add up to Fiscal − Budget, as Budget is the sum of the
// lines (result.Budget).
func lineNotes(doc *result.Document, t *Table, planned map[string]decimal.Decimal, lang string) []Note {
	if t.Reconciled || t.FiscalColumn() < 0 {
		return nil
	}
	first := map[string]string{}
	var order []string
	for _, r := range t.Rows {
		if _, ok := first[r.Contract]; !ok {
			first[r.Contract] = r.No
			order = append(order, r.Contract)
		}
	}
	budgeted := map[string]decimal.Decimal{}
	var notes []Note
	for _, l := range doc.Budget.Lines {
		if _, ok := first[l.Contract]; !ok || l.Contract == "" {
			if !l.Recommended.IsZero() {
				d := l.Recommended.Neg()
				notes = append(notes, Note{Row: l.ID, Text: fmt.Sprintf(label("line_without_contract", lang), l.ID, l.Name, l.Recommended), Difference: &d})
			}
			continue
		}
		budgeted[l.Contract] = budgeted[l.Contract].Add(l.Recommended)
	}
	// a request with no budget lines stands unitemised in the budget
	lines := decimal.Zero
	for _, l := range doc.Budget.Lines {
		lines = lines.Add(l.Recommended)
	}
	if u := doc.Budget.Recommended.Sub(lines); !u.IsZero() {
		d := u.Neg()
		notes = append(notes, Note{Row: "", Text: fmt.Sprintf(label("unitemised", lang), u), Difference: &d})
	}
	var rows []Note
	for _, c := range order {
		if p, b := planned[c], budgeted[c]; !p.Equal(b) {
			d := p.Sub(b)
			rows = append(rows, Note{Row: first[c], Text: fmt.Sprintf(label("contract_vs_lines", lang), c, t.FiscalYear, p, b, d), Difference: &d})
		}
	}
	return append(rows, notes...)
}

func moveText(lang string, r result.ScheduleRow, m result.Move, lag int) string {
	year := func(k string) string {
		if k == Later {
			return label("later", lang)
		}
		return fmt.Sprintf(label("year", lang), k)
	}
	switch m.Kind {
	case "arrear":
		what := fmt.Sprintf(label("instalment", lang), m.Seq)
		if m.Name != "" {
			what = m.Name
		}
		return fmt.Sprintf(label("move_arrear", lang), r.Contract, what, year(m.From), m.Amount, year(m.To))
	case "prepaid_maintenance":
		return fmt.Sprintf(label("move_maintenance", lang), r.Contract, fmt.Sprintf(label("instalment", lang), m.Seq), year(m.From), m.Amount, year(m.To))
	case "cycle_lag":
		return fmt.Sprintf(label("move_cycle", lang), r.Contract, m.Seq, m.End, m.Amount, lag, year(m.To))
	}
	return fmt.Sprintf("%s %s: %s → %s %s", r.Contract, m.Kind, year(m.From), year(m.To), m.Amount)
}

func sortedKeys(m map[string]decimal.Decimal) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
