package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
)

// GitHub writes GitHub Actions workflow commands, one annotation per finding
// (and per input error), which GitHub shows on the submission's lines:
//
//	::error file=F,line=L,col=C,title=CODE 标题::message
//
// error findings are ::error, warnings ::warning, infos and waived findings
// ::notice. Values are escaped as the runner expects: % CR LF in the
// message; also : and , in the properties.
type GitHub struct{ Lang string }

func (g *GitHub) Write(w io.Writer, docs []*result.Document) error {
	var b strings.Builder
	for _, d := range docs {
		for _, p := range d.Errors {
			writeAnnotation(&b, "error", p.Pos.File, p.Pos.Line, p.Pos.Column, p.Code, p.Message)
		}
		for _, f := range d.Findings {
			command := "notice"
			switch {
			case f.Waived != nil:
			case f.Severity == "error":
				command = "error"
			case f.Severity == "warning":
				command = "warning"
			}
			title := f.Code + " " + f.Title
			message := f.Message + adjustmentText(f, d.Budget.Unit, g.Lang)
			if f.Waived != nil {
				title += " (" + ciLabel("waived", g.Lang) + ")"
				message += fmt.Sprintf(" [%s: %s]", ciLabel("waived", g.Lang), f.Waived.Reason)
			}
			if f.Baseline == result.New {
				title += " [" + ciLabel("new", g.Lang) + "]"
			}
			writeAnnotation(&b, command, f.Location.File, f.Location.Line, f.Location.Column, title, message)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeAnnotation(b *strings.Builder, command, file string, line, col int, title, message string) {
	props := []string{"file=" + escapeProperty(file)}
	if line > 0 {
		props = append(props, fmt.Sprintf("line=%d", line))
		if col > 0 {
			props = append(props, fmt.Sprintf("col=%d", col))
		}
	}
	props = append(props, "title="+escapeProperty(title))
	fmt.Fprintf(b, "::%s %s::%s\n", command, strings.Join(props, ","), escapeData(message))
}

// escapeData escapes a workflow command's message.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
