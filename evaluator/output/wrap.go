package output

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// DefaultWidth is the text output's width when it does not go to a terminal.
const DefaultWidth = 100

// wrap breaks s into lines no wider than w terminal cells: between words,
// or between two wide (Chinese) characters, never before closing
// punctuation; a word wider than w is cut.
func wrap(s string, w int) []string {
	if w <= 0 || Width(s) <= w {
		return []string{s}
	}
	var lines []string
	var line strings.Builder
	lineW := 0
	flush := func() {
		lines = append(lines, strings.TrimRight(line.String(), " "))
		line.Reset()
		lineW = 0
	}
	for _, tok := range tokens(s) {
		tw := Width(tok)
		if lineW > 0 && lineW+tw > w {
			flush()
			if tok == " " {
				continue
			}
		}
		for tw > w { // a word wider than the line
			head, rest := cut(tok, w-lineW)
			line.WriteString(head)
			flush()
			tok, tw = rest, Width(rest)
		}
		line.WriteString(tok)
		lineW += tw
	}
	if line.Len() > 0 {
		flush()
	}
	return lines
}

// tokens splits s where a line may break: each space, each wide character
// (with the closing punctuation after it), each run of other characters.
func tokens(s string) []string {
	var out []string
	var cur strings.Builder
	emit := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == ' ':
			emit()
			out = append(out, " ")
		case isClosing(r) && (cur.Len() > 0 || len(out) > 0):
			if cur.Len() == 0 {
				cur.WriteString(out[len(out)-1])
				out = out[:len(out)-1]
			}
			cur.WriteRune(r)
		case isWide(r):
			emit()
			cur.WriteRune(r)
			emit()
		default:
			if cur.Len() > 0 && isWide(lastRune(cur.String())) {
				emit()
			}
			cur.WriteRune(r)
		}
	}
	emit()
	return out
}

func lastRune(s string) rune {
	r := []rune(s)
	return r[len(r)-1]
}

func isWide(r rune) bool {
	k := width.LookupRune(r).Kind()
	return k == width.EastAsianWide || k == width.EastAsianFullwidth
}

// isClosing is punctuation that must not begin a line.
func isClosing(r rune) bool {
	return strings.ContainsRune("，。、；：？！）》」』】”’%,.;:?!)]", r) || unicode.Is(unicode.Pe, r)
}

// cut splits s after at most w cells (at least one character).
func cut(s string, w int) (string, string) {
	n := 0
	for i, r := range s {
		rw := Width(string(r))
		if n+rw > w && i > 0 {
			return s[:i], s[i:]
		}
		n += rw
	}
	return s, ""
}

// writeWrapped writes s wrapped to w cells, the first line after first and
// the others after indent.
func writeWrapped(b *strings.Builder, first, indent, s string, w int) {
	for i, l := range wrap(s, w-Width(first)) {
		if i == 0 {
			b.WriteString(first)
		} else {
			b.WriteString(indent)
		}
		b.WriteString(l)
		b.WriteString("\n")
	}
}
