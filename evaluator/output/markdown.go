package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
)

// Markdown writes a summary for a pull-request or merge-request comment:
// score and conclusion, a findings table (with the baseline state when
// there is one), the resolved findings, and the budget changes.
type Markdown struct{ Lang string }

func (m *Markdown) Write(w io.Writer, docs []*result.Document) error {
	var b strings.Builder
	for i, d := range docs {
		if i > 0 {
			b.WriteString("\n---\n\n")
		}
		m.document(&b, d)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (m *Markdown) l(key string) string { return label(key, m.Lang) }

func (m *Markdown) document(b *strings.Builder, d *result.Document) {
	title := m.l("title")
	if d.Review != nil {
		title = m.l("review_title")
	}
	fmt.Fprintf(b, "## %s: `%s`\n\n", title, d.File)
	if len(d.Errors) > 0 {
		fmt.Fprintf(b, "**%s** (%d)\n\n", m.l("input"), len(d.Errors))
		for _, p := range d.Errors {
			fmt.Fprintf(b, "- `%s` %s: %s\n", p.Code, p.Pos, mdCell(p.Message))
		}
		return
	}
	if d.Review != nil {
		m.review(b, d)
		return
	}
	basic := m.l("passed")
	if !d.Basic.Passed {
		basic = m.l("failed")
	}
	fmt.Fprintf(b, "| %s | %s | %s | %s |\n| --- | --- | --- | --- |\n", m.l("project"), m.l("score"), m.l("basic"), m.l("conclusion"))
	fmt.Fprintf(b, "| %s (%d) | **%s** (%s/%s) | %s | **%s** |\n\n",
		mdCell(d.Project.Name), d.Project.FiscalYear, d.Score.Total.StringFixed(2), d.Score.Earned, d.Score.Possible, basic, mdCell(d.Conclusion.Text))

	s := d.Summary
	fmt.Fprintf(b, "### %s (%d): %s %d, %s %d, %s %d, %s %d\n\n", m.l("findings"), len(d.Findings),
		m.l("error"), s.Errors, m.l("warning"), s.Warnings, m.l("info"), s.Infos, m.l("waived"), s.Waived)
	hasBaseline := len(d.Resolved) > 0
	for _, f := range d.Findings {
		hasBaseline = hasBaseline || f.Baseline != ""
	}
	if len(d.Findings) == 0 {
		fmt.Fprintf(b, "%s\n\n", ciLabel("no_findings", m.Lang))
	} else {
		head := []string{ciLabel("severity", m.Lang), ciLabel("code", m.Lang), ciLabel("location", m.Lang), ciLabel("message", m.Lang), ciLabel("adjustment", m.Lang)}
		if hasBaseline {
			head = append(head, ciLabel("state", m.Lang))
		}
		b.WriteString("| " + strings.Join(head, " | ") + " |\n|" + strings.Repeat(" --- |", len(head)) + "\n")
		for _, f := range d.Findings {
			severity := m.l(f.Severity)
			message := f.Message
			if f.Waived != nil {
				severity = "~~" + severity + "~~ " + m.l("waived")
				message += fmt.Sprintf("（%s：%s）", ciLabel("reason", m.Lang), f.Waived.Reason)
			}
			var adj []string
			for _, a := range f.Adjustments {
				adj = append(adj, a.Line+" "+signed(a.Amount))
			}
			row := []string{severity, "`" + f.Code + "`", fmt.Sprintf("%s:%d", f.Location.File, f.Location.Line), mdCell(message), strings.Join(adj, ", ")}
			if hasBaseline {
				row = append(row, ciLabel(f.Baseline, m.Lang))
			}
			b.WriteString("| " + strings.Join(row, " | ") + " |\n")
		}
		b.WriteString("\n")
	}
	if len(d.Resolved) > 0 {
		fmt.Fprintf(b, "### %s (%d)\n\n", ciLabel("resolved", m.Lang), len(d.Resolved))
		for _, f := range d.Resolved {
			fmt.Fprintf(b, "- ✅ `%s` %s — %s\n", f.Code, mdCell(f.Subject), mdCell(f.Title))
		}
		b.WriteString("\n")
	}

	fmt.Fprintf(b, "### %s (%s)\n\n", ciLabel("changes", m.Lang), unitName(d.Budget.Unit, m.Lang))
	if d.Budget.Change.IsZero() && !anyChange(d.Budget.Lines) {
		fmt.Fprintf(b, "%s\n", ciLabel("no_changes", m.Lang))
		return
	}
	fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n| --- | --- | ---: | ---: | ---: |\n", m.l("line"), m.l("name"), m.l("requested"), m.l("recommended"), m.l("change"))
	for _, l := range d.Budget.Lines {
		if l.Change.IsZero() {
			continue
		}
		name := l.Name
		if l.New {
			name += m.l("new")
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", mdCell(l.ID), mdCell(name), l.Requested, l.Recommended, signed(l.Change))
	}
	if bd := d.Budget; declaredDiffers(bd) {
		fmt.Fprintf(b, "| **%s** | | **%s** | **%s** | **%s** |\n", m.l("lines_total"), bd.RequestedLines, bd.Recommended, signed(bd.Recommended.Sub(bd.RequestedLines)))
		fmt.Fprintf(b, "| **%s** | | **%s** | **%s** | **%s** |\n", m.l("declared_total"), bd.Requested, bd.Recommended, signed(bd.Change))
	} else {
		fmt.Fprintf(b, "| **%s** | | **%s** | **%s** | **%s** |\n", m.l("total"), d.Budget.Requested, d.Budget.Recommended, signed(d.Budget.Change))
	}
	for _, n := range d.Budget.Notes {
		fmt.Fprintf(b, "\n%s%s\n", m.l("note"), mdCell(n.Text))
	}
}

// review writes a target review: project, request, grade and consequence,
// then the numbered 审核意见 with where each is.
func (m *Markdown) review(b *strings.Builder, d *result.Document) {
	r := d.Review
	fmt.Fprintf(b, "| %s | %s | %s | %s |\n| --- | ---: | --- | --- |\n", m.l("project"), m.l("request"), m.l("review_grade"), m.l("consequence"))
	fmt.Fprintf(b, "| %s (%d) | %s %s | **%s** | %s |\n\n", mdCell(d.Project.Name), d.Project.FiscalYear, d.Budget.Requested, mdCell(d.Budget.Unit), mdCell(r.Grade), mdCell(r.Consequence))
	fmt.Fprintf(b, "### %s (%d)\n\n", m.l("notes"), len(r.Notes))
	if len(r.Notes) == 0 {
		fmt.Fprintf(b, "%s\n", m.l("no_notes"))
		return
	}
	for _, n := range r.Notes {
		fmt.Fprintf(b, "%d. %s <sub>`%s` %s:%d</sub>\n", n.N, mdCell(n.Text), n.Code, n.Location.File, n.Location.Line)
	}
}

func anyChange(lines []result.Line) bool {
	for _, l := range lines {
		if !l.Change.IsZero() {
			return true
		}
	}
	return false
}

// mdCell makes text safe inside a Markdown table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", "\\|", "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
