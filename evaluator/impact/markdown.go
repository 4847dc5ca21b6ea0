package impact

import (
	"fmt"
	"io"
	"strings"
)

// Markdown writes the report as a pull-request comment.
type Markdown struct {
	Lang string
	// List is the most changed projects listed (0: all).
	List int
}

func (m Markdown) l(key string) string { return label(key, m.Lang) }

var mdEscaper = strings.NewReplacer("|", `\|`, "\r\n", "<br>", "\n", "<br>", "\r", "<br>", "<", "&lt;", ">", "&gt;")

func mdCell(s string) string { return mdEscaper.Replace(s) }

func mdRow(b *strings.Builder, cells ...string) {
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" " + c + " |")
	}
	b.WriteString("\n")
}

func (m Markdown) Write(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n", m.l("title"))
	fmt.Fprintf(&b, "- %s%s`%s`\n- %s%s`%s`\n\n", m.l("base"), m.l("colon"), sideText(r.Base), m.l("new"), m.l("colon"), sideText(r.New))
	if r.Partial {
		fmt.Fprintf(&b, "> **"+m.l("partial")+"**\n\n", r.Inputs)
	}
	fmt.Fprintf(&b, m.l("counts"), r.Projects, r.Inputs, r.Changed, r.Unchanged, r.OutcomeChanged)
	if r.NotEvaluated > 0 {
		fmt.Fprintf(&b, m.l("not_evaluated"), r.NotEvaluated)
	}
	b.WriteString("\n\n")

	rows, cols := r.outcomeAxes()
	if len(rows) > 0 {
		fmt.Fprintf(&b, "### %s\n\n", m.l("outcomes"))
		head := []string{mdCell(m.l("corner"))}
		align := []string{"---"}
		for _, c := range cols {
			head = append(head, mdCell(outcomeText(c, m.Lang)))
			align = append(align, "---:")
		}
		mdRow(&b, head...)
		mdRow(&b, align...)
		for _, from := range rows {
			cells := []string{mdCell(outcomeText(from, m.Lang))}
			for _, to := range cols {
				n := r.count(from.Code, to.Code)
				cell := itoa(n)
				if n > 0 && from.Code != to.Code {
					cell = "**" + cell + "**" // a change
				}
				cells = append(cells, cell)
			}
			mdRow(&b, cells...)
		}
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "### %s\n\n", m.l("score"))
	if s := r.Score; s.Changed > 0 {
		mdRow(&b, m.l("scores_head"), m.l("min"), m.l("median"), m.l("max"))
		mdRow(&b, "---:", "---:", "---:", "---:")
		mdRow(&b, itoa(s.Changed), signed(*s.Min), signed(*s.Median), signed(*s.Max))
	} else {
		b.WriteString(m.l("score_none") + "\n")
	}
	b.WriteString("\n")

	fmt.Fprintf(&b, "### %s\n\n", m.l("budget"))
	mdRow(&b, m.l("base"), m.l("new"), m.l("change"))
	mdRow(&b, "---:", "---:", "---:")
	mdRow(&b, r.Budget.Before.String(), r.Budget.After.String(), signed(r.Budget.Change))
	b.WriteString("\n")

	fmt.Fprintf(&b, "### %s\n\n", m.l("findings"))
	if len(r.Findings) == 0 {
		b.WriteString(m.l("findings_none") + "\n")
	} else {
		mdRow(&b, m.l("code"), m.l("finding"), m.l("added"), m.l("removed"))
		mdRow(&b, "---", "---", "---:", "---:")
		for _, f := range r.Findings {
			mdRow(&b, "`"+f.Code+"`", mdCell(f.Title), itoa(f.Added), itoa(f.Removed))
		}
	}
	b.WriteString("\n")

	listed := listed(r, m.List)
	switch {
	case len(r.ChangedProjects) == 0:
		fmt.Fprintf(&b, "### %s\n\n%s\n", m.l("projects"), m.l("none"))
	case len(listed) < len(r.ChangedProjects):
		fmt.Fprintf(&b, "### "+m.l("projects_some")+"\n\n", len(listed), len(r.ChangedProjects))
	default:
		fmt.Fprintf(&b, "### %s\n\n", m.l("projects"))
	}
	if len(listed) > 0 {
		mdRow(&b, m.l("file"), m.l("project"), m.l("outcome"), m.l("score"), m.l("recommended"), m.l("findings_change"))
		mdRow(&b, "---", "---", "---", "---:", "---:", "---")
		for _, p := range listed {
			outcome := mdCell(outcomeText(p.After, m.Lang))
			if p.OutcomeChanged() {
				outcome = mdCell(outcomeText(p.Before, m.Lang)) + " → **" + outcome + "**"
			}
			var changes []string
			if len(p.Added) > 0 {
				changes = append(changes, m.l("added")+" "+refsText(p.Added, m.l("field_sep"), m.l("list_sep")))
			}
			if len(p.Removed) > 0 {
				changes = append(changes, m.l("removed")+" "+refsText(p.Removed, m.l("field_sep"), m.l("list_sep")))
			}
			mdRow(&b, "`"+mdCell(p.fileText())+"`", mdCell(p.Name), outcome, mdCell(deltaText(p.Score)), mdCell(deltaText(p.Recommended)),
				mdCell(strings.Join(changes, "\n")))
		}
	}
	if n := len(r.ChangedProjects) - len(listed); n > 0 {
		fmt.Fprintf(&b, "\n_"+m.l("more")+"_\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
