package output

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/money"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
)

// Text writes a readable report for a terminal.
type Text struct {
	Lang string
	// Width wraps long lines (reasons, messages) to this many cells
	// (0: DefaultWidth).
	Width int
}

func (t *Text) width() int {
	if t.Width <= 0 {
		return DefaultWidth
	}
	return t.Width
}

func (t *Text) Write(w io.Writer, docs []*result.Document) error {
	var b strings.Builder
	for i, d := range docs {
		if i > 0 {
			b.WriteString("\n" + strings.Repeat("─", 60) + "\n\n")
		}
		if err := t.document(&b, d); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (t *Text) l(key string) string { return label(key, t.Lang) }

func (t *Text) document(b *strings.Builder, d *result.Document) error {
	title := t.l("title")
	if d.Review != nil {
		title = t.l("review_title")
	}
	fmt.Fprintf(b, "%s: %s\n", title, d.File)
	if len(d.Errors) > 0 {
		heading := t.l("input")
		if d.Errors[0].Code == "evaluation_error" {
			heading = t.l("evaluation")
		}
		fmt.Fprintf(b, "%s (%d):\n", heading, len(d.Errors))
		for _, p := range d.Errors {
			writeWrapped(b, "  ", "      ", p.String(), t.width())
		}
		return nil
	}
	fmt.Fprintf(b, "%s: %s\n%s: %s    %s: %d\n%s: %s %s\n\n",
		t.l("project"), d.Project.Name, t.l("unit"), d.Project.BudgetUnit, t.l("year"), d.Project.FiscalYear,
		t.l("ruleset"), d.Ruleset.Name, d.Ruleset.Version)
	if d.Review != nil {
		t.review(b, d)
		return nil
	}

	status := t.l("passed")
	if !d.Basic.Passed {
		status = t.l("failed")
	}
	fmt.Fprintf(b, "%s: %s\n", t.l("basic"), status)
	for _, item := range d.Basic.Items {
		mark := "✓"
		if !item.Passed {
			mark = "✗"
		}
		fmt.Fprintf(b, "  %s %s\n", mark, item.Title)
	}

	applicable := 0
	tab := &table{right: map[int]bool{2: true, 4: true}, width: t.width()}
	tab.add(t.l("group"), t.l("indicator"), t.l("max"), t.l("grade"), t.l("points"), t.l("reason"))
	for _, ind := range d.Indicators {
		if !ind.Applicable {
			tab.add(ind.Group, ind.Title, ind.Max.String(), t.l("na"), "-", "")
			continue
		}
		applicable++
		tab.add(ind.Group, ind.Title, ind.Max.String(), ind.Grade, ind.Score.String(), ind.Reason)
	}
	tab.add(t.l("total"), "", d.Score.Possible.String(), "", d.Score.Earned.String(), "")
	fmt.Fprintf(b, "\n%s (%d %s)\n", t.l("indicators"), applicable, t.l("applicable"))
	if err := tab.write(b, "  "); err != nil {
		return err
	}
	fmt.Fprintf(b, "\n%s: %s    %s: %s\n", t.l("score"), d.Score.Total.StringFixed(2), t.l("conclusion"), d.Conclusion.Text)

	s := d.Summary
	fmt.Fprintf(b, "\n%s (%d): %s %d, %s %d, %s %d", t.l("findings"), len(d.Findings), t.l("error"), s.Errors, t.l("warning"), s.Warnings, t.l("info"), s.Infos)
	if s.Waived > 0 {
		fmt.Fprintf(b, ", %s %d", t.l("waived"), s.Waived)
	}
	b.WriteString("\n")
	for _, f := range d.Findings {
		severity := t.l(f.Severity)
		if f.Waived != nil {
			severity = t.l("waived")
		}
		if f.Baseline == result.New {
			severity += ", " + t.l("baseline_new")
		}
		head := fmt.Sprintf("  [%s] %s %s:%d", severity, f.Code, f.Location.File, f.Location.Line)
		if Width(head)+2+Width(f.Title) <= t.width() {
			fmt.Fprintf(b, "%s  %s\n", head, f.Title)
		} else { // the title on a line of its own rather than cut
			fmt.Fprintf(b, "%s\n", head)
			writeWrapped(b, "      ", "      ", f.Title, t.width())
		}
		writeWrapped(b, "      ", "      ", f.Message, t.width())
	}
	if len(d.Resolved) > 0 {
		fmt.Fprintf(b, "\n%s (%d):\n", t.l("resolved"), len(d.Resolved))
		for _, f := range d.Resolved {
			fmt.Fprintf(b, "  %s %s  %s\n", f.Code, f.Subject, f.Title)
		}
	}

	fmt.Fprintf(b, "\n%s (%s)\n", t.l("budget"), unitName(d.Budget.Unit, t.Lang))
	lines := &table{right: map[int]bool{2: true, 3: true, 4: true}, width: t.width(), wrapCol: 1}
	lines.add(t.l("line"), t.l("name"), t.l("requested"), t.l("recommended"), t.l("change"))
	for _, l := range d.Budget.Lines {
		name := l.Name
		if l.New {
			name += t.l("new")
		}
		lines.add(l.ID, name, l.Requested.String(), l.Recommended.String(), signed(l.Change))
	}
	if b := d.Budget; declaredDiffers(b) {
		// the lines' sum, then the declared total beside it (DECLARED_TOTAL_MISMATCH)
		lines.add(t.l("lines_total"), "", b.RequestedLines.String(), b.Recommended.String(), signed(b.Recommended.Sub(b.RequestedLines)))
		lines.add(t.l("declared_total"), "", b.Requested.String(), b.Recommended.String(), signed(b.Change))
	} else {
		lines.add(t.l("total"), "", d.Budget.Requested.String(), d.Budget.Recommended.String(), signed(d.Budget.Change))
	}
	if err := lines.write(b, "  "); err != nil {
		return err
	}
	for _, n := range d.Budget.Notes {
		fmt.Fprintf(b, "  %s%s\n", t.l("note"), n.Text)
	}
	return nil
}

// declaredDiffers reports whether the budget's requested lines do not add
// up to the declared total.
func declaredDiffers(b result.Budget) bool {
	return !b.RequestedLines.Equal(b.Requested) && slices.ContainsFunc(b.Lines, func(l result.Line) bool { return !l.New })
}

// review writes a target review: the request, the grade and its
// consequence, the numbered 审核意见, then the findings behind them. A review
// recommends no budget: no score, no conclusion, no adjustment columns.
func (t *Text) review(b *strings.Builder, d *result.Document) {
	r := d.Review
	fmt.Fprintf(b, "%s: %s %s\n", t.l("request"), d.Budget.Requested, d.Budget.Unit)
	fmt.Fprintf(b, t.l("grade_line"), t.l("review_grade"), r.Grade, r.Consequence)
	fmt.Fprintf(b, "\n%s (%d):\n", t.l("notes"), len(r.Notes))
	if len(r.Notes) == 0 {
		fmt.Fprintf(b, "  %s\n", t.l("no_notes"))
	}
	for _, n := range r.Notes {
		num := fmt.Sprintf("  %d. ", n.N)
		writeWrapped(b, num, strings.Repeat(" ", len(num)), n.Text, t.width())
	}
	s := d.Summary
	fmt.Fprintf(b, "\n%s (%d): %s %d, %s %d, %s %d\n", t.l("findings"), len(d.Findings), t.l("error"), s.Errors, t.l("warning"), s.Warnings, t.l("info"), s.Infos)
	for _, f := range d.Findings {
		severity := t.l(f.Severity)
		if f.Waived != nil {
			severity = t.l("waived")
		}
		fmt.Fprintf(b, "  [%s] %s %s:%d  %s\n", severity, f.Code, f.Location.File, f.Location.Line, f.Title)
	}
}

// unitName is a money unit as lang writes it ("10k CNY" for 万元 in English).
func unitName(unit, lang string) string {
	if u, ok := money.LookupUnit(unit); ok && lang == "en" {
		return u.English
	}
	return unit
}

// signed writes a change with its sign ("+4.816", "-20", "0").
func signed(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + d.String()
	}
	return d.String()
}
