package annotate

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/budgetcheck/budgetcheck/evaluator/output"
	"github.com/budgetcheck/budgetcheck/evaluator/summary"
)

// LetterPrefix begins the file names of the letters: 审核意见-<unit>.md and
// 审核意见-<unit>.html, one per 申请单位.
const LetterPrefix = "审核意见-"

// writeLetters writes one letter per unit, in Markdown and HTML, streaming
// each unit's projects from the spill file (the sorted entries hold a unit's
// projects together).
func (r *Register) writeLetters(sorted []entry, st summary.Status) error {
	used := map[string]bool{}
	for start := 0; start < len(sorted); {
		end := start
		for end < len(sorted) && sorted[end].unit == sorted[start].unit {
			end++
		}
		group := sorted[start:end]
		unit := r.names[group[0].unit]
		base := uniqueName(LetterPrefix+safeName(unit, label("no_unit", r.lang)), used)
		err := output.WriteFile(filepath.Join(r.dir, base+".md"), func(md *bufio.Writer) error {
			return output.WriteFile(filepath.Join(r.dir, base+".html"), func(html *bufio.Writer) error {
				return r.letter(md, html, unit, group, st)
			})
		})
		if err != nil {
			return err
		}
		start = end
	}
	return nil
}

// letterHead is what the letter says before its projects.
type letterHead struct {
	Lang, Title, Intro, Grades, Partial string
}

// letterProject is one project of a letter.
type letterProject struct {
	Seq                                   string
	Name, Code, Department, File          string
	Grade, GradeCode, Consequence         string
	CodeLabel, DepartmentLabel, FileLabel string
	GradeLabel, NotesLabel, None          string
	Notes                                 []letterNote
	Unreadable                            bool
}

type letterNote struct {
	N           int
	Where, Text string
}

func (r *Register) letter(md, html io.Writer, unit string, group []entry, st summary.Status) error {
	lang := r.lang
	shown := unit
	if shown == "" {
		shown = label("no_unit", lang)
	}
	head := letterHead{
		Lang:   lang,
		Title:  fmt.Sprintf(label("letter.title", lang), shown),
		Intro:  fmt.Sprintf(label("letter.intro", lang), shown, len(group)),
		Grades: "",
	}
	if c := r.counts(group); c != "" {
		head.Grades = fmt.Sprintf(label("letter.grades", lang), c)
	}
	if st.Partial {
		head.Partial = fmt.Sprintf(label("partial", lang), st.Inputs, st.Total)
	}
	if err := letterTemplate.ExecuteTemplate(html, "head", head); err != nil {
		return err
	}
	fmt.Fprintf(md, "# %s\n\n", mdEscape(head.Title))
	if head.Partial != "" {
		fmt.Fprintf(md, "**%s**\n\n", mdEscape(head.Partial))
	}
	fmt.Fprintf(md, "%s\n\n", mdEscape(head.Intro))
	if head.Grades != "" {
		fmt.Fprintf(md, "%s\n\n", mdEscape(head.Grades))
	}
	err := r.each(group, func(i int, p Project) error {
		lp := letterProject{
			Seq: fmt.Sprintf(label("letter.project", lang), i+1, cmpOr(p.Name, p.File)), Name: p.Name,
			Code: p.Code, Department: p.Department, File: fileOf(p, lang),
			Grade: p.Outcome(lang), GradeCode: p.GradeCode, Consequence: p.Consequence, Unreadable: p.Unreadable,
			CodeLabel: label("letter.code", lang), DepartmentLabel: label("letter.department", lang), FileLabel: label("letter.file", lang),
			GradeLabel: label("letter.grade", lang), NotesLabel: label("letter.notes", lang), None: label("none", lang),
		}
		if p.Unreadable {
			lp.GradeCode = "poor"
		}
		for _, n := range p.Notes {
			ln := letterNote{N: n.N, Text: n.Text}
			if !n.Review {
				ln.Where = Where(n.Location, lang)
			}
			lp.Notes = append(lp.Notes, ln)
		}
		if err := letterTemplate.ExecuteTemplate(html, "project", lp); err != nil {
			return err
		}
		writeMarkdownProject(md, lp, lang)
		return nil
	})
	if err != nil {
		return err
	}
	return letterTemplate.ExecuteTemplate(html, "foot", head)
}

func writeMarkdownProject(w io.Writer, p letterProject, lang string) {
	fmt.Fprintf(w, "## %s\n\n", mdEscape(p.Seq))
	colon := "："
	if lang == "en" {
		colon = ": "
	}
	if p.Code != "" {
		fmt.Fprintf(w, "- %s%s%s\n", p.CodeLabel, colon, mdEscape(p.Code))
	}
	if p.Department != "" {
		fmt.Fprintf(w, "- %s%s%s\n", p.DepartmentLabel, colon, mdEscape(p.Department))
	}
	fmt.Fprintf(w, "- %s%s%s\n", p.FileLabel, colon, mdEscape(p.File))
	grade := "**" + mdEscape(p.Grade) + "**"
	if p.Consequence != "" {
		grade += "（" + mdEscape(p.Consequence) + "）"
	}
	fmt.Fprintf(w, "- %s%s%s\n\n", p.GradeLabel, colon, grade)
	if len(p.Notes) == 0 {
		fmt.Fprintf(w, "%s%s%s\n\n", p.NotesLabel, colon, mdEscape(p.None))
		return
	}
	fmt.Fprintf(w, "%s%s\n\n", p.NotesLabel, strings.TrimSpace(colon))
	for _, n := range p.Notes {
		text := mdEscape(n.Text)
		if n.Where != "" {
			text = mdEscape(n.Where) + colon + text
		}
		fmt.Fprintf(w, "%d. %s\n", n.N, strings.ReplaceAll(text, "\n", " "))
	}
	fmt.Fprintln(w)
}

// fileOf names where a project came from, for the unit that sent it: the
// file's own name, and the sheet of a workbook.
func fileOf(p Project, lang string) string {
	name := filepath.Base(p.File)
	if p.Sheet != "" {
		name += fmt.Sprintf(label("letter.sheet", lang), p.Sheet)
	}
	return name
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// mdEscape keeps Markdown from reading a text's characters as markup.
var mdEscape = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "|", `\|`, "#", `\#`).Replace

// safeName makes a unit's name a file name on every system: no path
// separators, reserved or control characters, no leading or trailing dots
// or spaces, at most 60 characters; empty becomes fallback.
func safeName(name, fallback string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case strings.ContainsRune(`/\:*?"<>|`, r), unicode.IsControl(r), r == 0x7f:
			b.WriteRune('_')
		case unicode.IsSpace(r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	s := strings.Trim(b.String(), " .")
	if rs := []rune(s); len(rs) > 60 {
		s = strings.TrimRight(string(rs[:60]), " .")
	}
	if s == "" {
		return fallback
	}
	return s
}

// uniqueName adds -2, -3 … to a name already used (compared without case,
// as some file systems do).
func uniqueName(name string, used map[string]bool) string {
	out := name
	for i := 2; used[strings.ToLower(out)]; i++ {
		out = fmt.Sprintf("%s-%d", name, i)
	}
	used[strings.ToLower(out)] = true
	return out
}

// letterTemplate is the HTML letter: one self-contained page (inline CSS, no
// script, nothing fetched) laid out for A4.
var letterTemplate = template.Must(template.New("letter").Parse(`
{{- define "head" -}}
<!DOCTYPE html>
<html lang="{{if eq .Lang "en"}}en{{else}}zh-CN{{end}}">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
@page { size: A4; margin: 20mm 18mm; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", SimSun, "Songti SC", serif; font-size: 11pt; line-height: 1.65; color: #000; max-width: 174mm; margin: 0 auto; }
h1 { font-size: 17pt; text-align: center; margin: 0 0 14pt; }
p.partial { font-weight: bold; border: 1px solid #c00; padding: 4pt; }
section { break-inside: avoid; page-break-inside: avoid; border-top: 1px solid #999; padding-top: 6pt; margin-top: 12pt; }
h2 { font-size: 12.5pt; margin: 0 0 4pt; }
table.facts { border-collapse: collapse; margin: 0 0 4pt; }
table.facts th { text-align: left; font-weight: normal; color: #444; padding: 1pt 10pt 1pt 0; white-space: nowrap; vertical-align: top; }
table.facts td { padding: 1pt 0; }
.grade { font-weight: bold; padding: 0 5pt; border-radius: 2pt; }
.excellent, .support { background: #C6EFCE; }
.good { background: #E2EFDA; }
.fair, .support_after_adjustment { background: #FFEB9C; }
.poor, .reject { background: #FFC7CE; }
ol { margin: 2pt 0 0; padding-left: 2em; }
li { margin: 2pt 0; }
.where { color: #444; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{if .Partial}}<p class="partial">{{.Partial}}</p>
{{end}}<p>{{.Intro}}</p>
{{if .Grades}}<p>{{.Grades}}</p>
{{end}}
{{- end}}
{{- define "project"}}<section>
<h2>{{.Seq}}</h2>
<table class="facts">
{{if .Code}}<tr><th>{{.CodeLabel}}</th><td>{{.Code}}</td></tr>
{{end}}{{if .Department}}<tr><th>{{.DepartmentLabel}}</th><td>{{.Department}}</td></tr>
{{end}}<tr><th>{{.FileLabel}}</th><td>{{.File}}</td></tr>
<tr><th>{{.GradeLabel}}</th><td><span class="grade {{.GradeCode}}">{{.Grade}}</span>{{if .Consequence}}（{{.Consequence}}）{{end}}</td></tr>
<tr><th>{{.NotesLabel}}</th><td>{{if not .Notes}}{{.None}}{{end}}</td></tr>
</table>
{{if .Notes}}<ol>
{{range .Notes}}<li value="{{.N}}">{{if .Where}}<span class="where">{{.Where}}</span>：{{end}}{{.Text}}</li>
{{end}}</ol>
{{end}}</section>
{{end}}
{{- define "foot"}}</body>
</html>
{{end}}`))
