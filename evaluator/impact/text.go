package impact

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/budgetcheck/budgetcheck/evaluator/output"
)

func itoa(n int) string { return strconv.Itoa(n) }

// Text writes the report for a terminal.
type Text struct {
	Lang string
	// List is the most changed projects listed (0: all).
	List int
}

func (t Text) l(key string) string { return label(key, t.Lang) }

func (t Text) Write(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", t.l("title"))
	fmt.Fprintf(&b, t.l("sides")+"\n", sideText(r.Base), sideText(r.New))
	if r.Partial {
		fmt.Fprintf(&b, t.l("partial")+"\n", r.Inputs)
	}
	fmt.Fprintf(&b, t.l("counts"), r.Projects, r.Inputs, r.Changed, r.Unchanged, r.OutcomeChanged)
	if r.NotEvaluated > 0 {
		fmt.Fprintf(&b, t.l("not_evaluated"), r.NotEvaluated)
	}
	b.WriteString("\n\n")

	rows, cols := r.outcomeAxes()
	if len(rows) > 0 {
		fmt.Fprintf(&b, "%s\n", t.l("outcomes"))
		m := &table{right: map[int]bool{}}
		head := []string{t.l("corner")}
		for i, c := range cols {
			head = append(head, outcomeText(c, t.Lang))
			m.right[i+1] = true
		}
		m.add(head...)
		for _, from := range rows {
			cells := []string{outcomeText(from, t.Lang)}
			for _, to := range cols {
				cells = append(cells, itoa(r.count(from.Code, to.Code)))
			}
			m.add(cells...)
		}
		m.write(&b, "  ")
		b.WriteString("\n")
	}

	b.WriteString(t.l("score") + t.l("colon"))
	if s := r.Score; s.Changed > 0 {
		fmt.Fprintf(&b, t.l("score_line")+"\n", s.Changed, signed(*s.Min), signed(*s.Median), signed(*s.Max))
	} else {
		fmt.Fprintf(&b, "%s\n", t.l("score_none"))
	}
	fmt.Fprintf(&b, "%s%s"+t.l("budget_line")+"\n\n", t.l("budget"), t.l("colon"), r.Budget.Before, r.Budget.After, signed(r.Budget.Change))

	fmt.Fprintf(&b, "%s\n", t.l("findings"))
	if len(r.Findings) == 0 {
		fmt.Fprintf(&b, "  %s\n", t.l("findings_none"))
	} else {
		ft := &table{right: map[int]bool{2: true, 3: true}}
		ft.add(t.l("code"), t.l("finding"), t.l("added"), t.l("removed"))
		for _, f := range r.Findings {
			ft.add(f.Code, f.Title, itoa(f.Added), itoa(f.Removed))
		}
		ft.write(&b, "  ")
	}
	b.WriteString("\n")

	listed := listed(r, t.List)
	switch {
	case len(r.ChangedProjects) == 0:
		fmt.Fprintf(&b, "%s\n", t.l("none"))
	case len(listed) < len(r.ChangedProjects):
		fmt.Fprintf(&b, t.l("projects_some")+"\n", len(listed), len(r.ChangedProjects))
	default:
		fmt.Fprintf(&b, "%s\n", t.l("projects"))
	}
	for _, p := range listed {
		fmt.Fprintf(&b, "  %s  %s\n", p.fileText(), p.Name)
		var parts []string
		if p.OutcomeChanged() {
			parts = append(parts, t.l("outcome")+" "+outcomeText(p.Before, t.Lang)+" → "+outcomeText(p.After, t.Lang))
		}
		if p.Score.Changed() {
			parts = append(parts, t.l("score")+" "+deltaText(p.Score))
		}
		if p.Recommended.Changed() {
			parts = append(parts, t.l("recommended")+" "+deltaText(p.Recommended))
		}
		if len(p.Added) > 0 {
			parts = append(parts, t.l("added")+" "+refsText(p.Added, t.l("field_sep"), t.l("list_sep")))
		}
		if len(p.Removed) > 0 {
			parts = append(parts, t.l("removed")+" "+refsText(p.Removed, t.l("field_sep"), t.l("list_sep")))
		}
		fmt.Fprintf(&b, "    %s\n", strings.Join(parts, t.l("field_sep")))
	}
	if n := len(r.ChangedProjects) - len(listed); n > 0 {
		fmt.Fprintf(&b, t.l("more")+"\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// listed are the changed projects a text or Markdown report lists.
func listed(r *Report, n int) []Project {
	if n <= 0 || n >= len(r.ChangedProjects) {
		return r.ChangedProjects
	}
	return r.ChangedProjects[:n]
}

// table lays out rows in columns on a terminal, counting East Asian wide
// characters as two cells. Columns listed in right are right-aligned.
type table struct {
	rows  [][]string
	right map[int]bool
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(b *strings.Builder, indent string) {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], output.Width(c))
		}
	}
	for _, r := range t.rows {
		b.WriteString(indent)
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-output.Width(c))
			switch {
			case t.right[i]:
				b.WriteString(pad + c)
			case i < len(r)-1:
				b.WriteString(c + pad)
			default:
				b.WriteString(c)
			}
			if i < len(r)-1 {
				b.WriteString("  ")
			}
		}
		b.WriteString("\n")
	}
}
