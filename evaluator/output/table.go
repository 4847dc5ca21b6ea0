package output

import (
	"io"
	"strings"

	"golang.org/x/text/width"
)

// table lays out rows in columns on a terminal, counting East Asian wide
// characters as two cells. Columns listed in right are right-aligned.
type table struct {
	rows  [][]string
	right map[int]bool
	// width, when set, bounds the lines: column wrapCol (the last one when
	// 0) wraps within its column.
	width   int
	wrapCol int
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer, indent string) error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], Width(c))
		}
	}
	wrapCol := t.wrapCol
	if wrapCol == 0 {
		wrapCol = len(widths) - 1
	}
	if t.width > 0 && len(widths) > 0 {
		others := Width(indent) + 2*(len(widths)-1)
		for i, w := range widths {
			if i != wrapCol {
				others += w
			}
		}
		widths[wrapCol] = min(widths[wrapCol], max(t.width-others, 20))
	}
	var b strings.Builder
	for _, r := range t.rows {
		lines := [][]string{r}
		if t.width > 0 && wrapCol < len(r) {
			for j, l := range wrap(r[wrapCol], widths[wrapCol]) {
				if j == 0 {
					lines[0] = append([]string(nil), r...)
					lines[0][wrapCol] = l
					continue
				}
				more := make([]string, len(r))
				more[wrapCol] = l
				lines = append(lines, more)
			}
		}
		for _, cells := range lines {
			var line strings.Builder
			line.WriteString(indent)
			for i, c := range cells {
				pad := strings.Repeat(" ", max(widths[i]-Width(c), 0))
				switch {
				case t.right[i]:
					line.WriteString(pad + c)
				case i < len(cells)-1:
					line.WriteString(c + pad)
				default:
					line.WriteString(c)
				}
				if i < len(cells)-1 {
					line.WriteString("  ")
				}
			}
			b.WriteString(strings.TrimRight(line.String(), " "))
			b.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Width is the width of s on a terminal, counting East Asian wide
// characters as two cells.
func Width(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
