package schedule

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/budgetcheck/budgetcheck/evaluator/output"
)

// Formats the table is written in.
var Formats = []string{"text", "csv", "json", "md"}

// Write writes t in format ("text", "csv", "json" or "md") and lang.
func (t *Table) Write(w io.Writer, format, lang string) error {
	switch format {
	case "text":
		return t.writeText(w, lang)
	case "csv":
		return t.writeCSV(w, lang)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(t)
	case "md":
		_, err := io.WriteString(w, t.Markdown(lang))
		return err
	}
	return fmt.Errorf("unknown format %q; use one of %s", format, strings.Join(Formats, ", "))
}

// Title is the table's title in lang.
func (t *Table) Title(lang string) string {
	if t.AsContracted {
		return label("title_contracted", lang)
	}
	return label("title_plan", lang)
}

// Header is the table's column headings.
func (t *Table) Header(lang string) []string {
	h := []string{label("no", lang), label("subproject", lang), label("name", lang), label("signed", lang), label("supplier", lang), label("total", lang), label("term", lang)}
	for _, c := range t.Columns {
		h = append(h, c.Label)
	}
	return append(h, label("sum", lang), label("check", lang))
}

// Marked writes a cell's amount with its marks: ✓ paid, * moved by the plan.
func (c Cell) Marked() string {
	if !c.Set {
		return ""
	}
	s := c.Amount.String()
	if c.Paid {
		s += "✓"
	}
	if c.Moved {
		s += "*"
	}
	return s
}

// Check is the row's check cell: ok, the discrepancy, or no total.
func (r Row) Check(lang string) string {
	switch {
	case r.NoTotal:
		return label("no_total_short", lang)
	case r.Discrepancy != nil:
		return fmt.Sprintf(label("diff", lang), r.Discrepancy.String())
	}
	return label("ok", lang)
}

// TotalText is the row's contract total, or empty.
func (r Row) TotalText() string {
	if r.Total == nil {
		return ""
	}
	return r.Total.String()
}

// records are the table's rows as text, marked, with the totals row last.
func (t *Table) records(lang string, marked bool) [][]string {
	var out [][]string
	for _, r := range t.Rows {
		rec := []string{r.No, r.Subproject, r.Name, r.Signed, r.Supplier, r.TotalText(), r.Term}
		for _, c := range r.Cells {
			if marked {
				rec = append(rec, c.Marked())
			} else if c.Set {
				rec = append(rec, c.Amount.String())
			} else {
				rec = append(rec, "")
			}
		}
		out = append(out, append(rec, r.Sum.String(), r.Check(lang)))
	}
	total := []string{"", "", label("grand_total", lang), "", "", t.Total.String(), ""}
	for _, c := range t.Totals {
		if c.Set {
			total = append(total, c.Amount.String())
		} else {
			total = append(total, "")
		}
	}
	check := label("ok", lang)
	if t.Discrepancies > 0 {
		check = fmt.Sprintf(label("diff", lang), t.Sum.Sub(t.Total).String())
	}
	return append(out, append(total, t.Sum.String(), check))
}

func (t *Table) writeCSV(w io.Writer, lang string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header(lang)); err != nil {
		return err
	}
	if err := cw.WriteAll(t.records(lang, false)); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func (t *Table) writeText(w io.Writer, lang string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s    %s\n\n", t.Title(lang), fmt.Sprintf(label("unit", lang), t.UnitName(lang)))
	rows := append([][]string{t.Header(lang)}, t.records(lang, true)...)
	// The long sub-project name is left out on a terminal; the JSON, CSV and
	// reports carry it.
	for i, r := range rows {
		rows[i] = slices.Delete(slices.Clone(r), 1, 2)
	}
	right := func(col int) bool { return col == 4 || (col >= 6 && col < len(rows[0])-1) }
	writeAligned(&b, rows, right)
	b.WriteString("\n" + label("legend", lang) + "\n")
	t.writeNotes(&b, lang, "  ")
	b.WriteString("\n" + t.Reconciliation(lang) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func (t *Table) writeNotes(b *strings.Builder, lang, indent string) {
	if len(t.Notes) == 0 {
		return
	}
	b.WriteString(label("notes", lang) + ":\n")
	for _, n := range t.Notes {
		fmt.Fprintf(b, "%s(%s) %s\n", indent, n.Row, n.Text)
	}
}

// Markdown is the table as a Markdown section (title, table, legend, notes).
func (t *Table) Markdown(lang string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", fmt.Sprintf(label("unit", lang), t.UnitName(lang)))
	h := t.Header(lang)
	b.WriteString("| " + strings.Join(h, " | ") + " |\n|")
	for i := range h {
		if i == 5 || (i >= 7 && i < len(h)-1) {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	recs := t.records(lang, true)
	for i, r := range recs {
		cells := make([]string, len(r))
		for j, c := range r {
			cells[j] = mdEscape(c)
			if i == len(recs)-1 && c != "" {
				cells[j] = "**" + cells[j] + "**"
			}
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	b.WriteString("\n" + label("legend", lang) + "\n\n")
	if len(t.Notes) > 0 {
		b.WriteString(label("notes", lang) + ":\n\n")
		for _, n := range t.Notes {
			fmt.Fprintf(&b, "- (%s) %s\n", n.Row, mdEscape(n.Text))
		}
		b.WriteString("\n")
	}
	b.WriteString(t.Reconciliation(lang) + "\n")
	return b.String()
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`, "\n", " ").Replace(s)
}

// writeAligned lays rows out in columns, counting East Asian wide characters
// as two cells.
func writeAligned(b *strings.Builder, rows [][]string, right func(int) bool) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], output.Width(c))
		}
	}
	for _, r := range rows {
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-output.Width(c))
			switch {
			case right(i):
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
