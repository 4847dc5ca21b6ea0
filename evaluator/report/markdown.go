package report

import (
	"fmt"
	"io"
	"strings"
)

// Markdown writes the report as Markdown: the same sections, tables and
// figures as the HTML, without the chart.
func (r *Report) Markdown(w io.Writer) error {
	lang := r.Lang
	l := func(key string) string { return label(key, lang) }
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", md(r.Title))
	if r.Issuer != "" {
		fmt.Fprintf(&b, "%s\n\n", md(r.Issuer))
	}
	fmt.Fprintf(&b, "%s\n\n", fmt.Sprintf(l("rules"), r.Rules))

	fmt.Fprintf(&b, "## %s%s\n\n", section(1, lang), l("s1"))
	for i, f := range r.Object {
		fmt.Fprintf(&b, "### %s%s\n\n%s\n\n", subsection(i, lang), md(f.Label), md(f.Value))
	}
	fmt.Fprintf(&b, "### %s%s\n\n%s\n\n", subsection(len(r.Object), lang), l("overview"), fmt.Sprintf(l("overview_text"), len(r.Subprojects)))
	for i, s := range r.Subprojects {
		fmt.Fprintf(&b, "%d. %s", i+1, md(s.Name))
		if s.Kind != "" {
			fmt.Fprintf(&b, "%s%s%s", l("lp"), s.Kind, l("rp"))
		}
		if len(s.Contracts) > 0 {
			fmt.Fprintf(&b, "%s%s%s", l("colon"), md(strings.Join(s.Contracts, l("list_sep"))), l("period"))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")

	fmt.Fprintf(&b, "## %s%s\n\n", section(2, lang), l("s2"))
	for i, m := range r.Method {
		fmt.Fprintf(&b, "### %s%s\n\n%s\n\n", subsection(i, lang), md(m.Heading), md(m.Text))
	}

	fmt.Fprintf(&b, "## %s%s\n\n%s\n\n", section(3, lang), l("s3"), md(r.Assessment))
	fmt.Fprintf(&b, "### %s%s\n\n| %s | %s |\n| --- | --- |\n", subsection(0, lang), l("basic"), l("basic_item"), l("basic_result"))
	for _, f := range r.Basic {
		fmt.Fprintf(&b, "| %s | %s |\n", md(f.Label), md(f.Value))
	}
	fmt.Fprintf(&b, "\n### %s%s\n\n| %s | %s | %s | %s | %s | %s |\n| --- | --- | ---: | --- | ---: | --- |\n",
		subsection(1, lang), l("substantive"), l("group"), l("indicator"), l("max"), l("grade"), l("points"), l("reason"))
	for _, g := range r.Groups {
		for _, ind := range g.Indicators {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", md(g.Name), md(ind.Title), ind.Max, md(ind.Grade), ind.Points, md(ind.Reason))
		}
	}
	fmt.Fprintf(&b, "| **%s** | | **%s** | | **%s** | |\n\n", l("total"), r.Possible, r.Earned)
	fmt.Fprintf(&b, "%s%s**%s**%s  \n%s%s**%s**\n\n", l("score"), l("colon"), r.Total, fmt.Sprintf(l("score_of"), r.Earned, r.Possible), l("conclusion"), l("colon"), md(r.Conclusion))

	fmt.Fprintf(&b, "## %s%s\n\n", section(4, lang), l("s4"))
	if len(r.Themes) == 0 {
		b.WriteString(l("no_findings") + "\n\n")
	}
	for i, t := range r.Themes {
		fmt.Fprintf(&b, "### %s%s\n\n", subsection(i, lang), md(t.Title))
		for _, f := range t.Findings {
			fmt.Fprintf(&b, "- **[%s] %s**%s%s%s%s%s", f.Severity, md(f.Title), l("lp"), md(f.Subject), l("rp"), l("colon"), md(f.Message))
			if f.Where != "" {
				fmt.Fprintf(&b, " `%s`", f.Where)
			}
			if len(f.Adjustments) > 0 {
				fmt.Fprintf(&b, " — %s%s%s", l("adjustments"), l("colon"), md(strings.Join(f.Adjustments, l("list_sep"))))
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%s\n\n**%s**\n\n%s\n\n", md(r.Summary), l("budget_table"), fmt.Sprintf(l("unit"), r.Unit))
	fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n| --- | --- | ---: | ---: | ---: | --- |\n",
		l("line"), l("line_name"), l("line_requested"), l("line_recommended"), l("line_change"), l("line_basis"))
	for _, line := range r.Lines {
		name := md(line.Name)
		if line.New {
			name += l("new")
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", md(line.ID), name, line.Requested, line.Recommended, line.Change, md(line.Basis))
	}
	fmt.Fprintf(&b, "| | **%s** | **%s** | **%s** | **%s** | |\n\n", r.Budget.Name, r.Budget.Requested, r.Budget.Recommended, r.Budget.Change)

	if r.Table != nil {
		fmt.Fprintf(&b, "**%s**\n\n%s\n", fmt.Sprintf(l("schedule_table"), md(r.Project)), r.Table.Markdown(lang))
	}
	fmt.Fprintf(&b, "\n---\n\n%s\n", l("generated"))
	_, err := io.WriteString(w, b.String())
	return err
}

// md escapes the characters that would change a Markdown line's meaning.
func md(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "\n", " ").Replace(s)
}
