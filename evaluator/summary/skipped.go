package summary

import (
	"bufio"
	"encoding/csv"
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
)

// Skipped is a file the batch passed over, with the reason in the summary's
// language. Every summary lists them: a submission is never lost without a
// line saying so.
type Skipped struct {
	File   string
	Reason string
}

var skippedLabels = map[string]ruleset.Text{
	"sheet":  {Zh: "跳过", En: "Skipped"},
	"file":   {Zh: "文件", En: "File"},
	"reason": {Zh: "跳过原因", En: "Reason"},
	"count":  {Zh: "跳过 %d 个文件", En: "%d files skipped"},
	"none":   {Zh: "没有跳过任何文件", En: "no file was skipped"},
}

func (w *Writer) skippedLabel(key string) string { return skippedLabels[key].In(w.lang) }

// skippedCount is the line that says how many files were passed over.
func (w *Writer) skippedCount(st Status) string {
	if len(st.Skipped) == 0 {
		return w.skippedLabel("none")
	}
	return fmt.Sprintf(w.skippedLabel("count"), len(st.Skipped))
}

// writeSkippedSheet adds the 跳过 sheet: one row per passed-over file.
func (w *Writer) writeSkippedSheet(f *excelize.File, ss styles, st Status) error {
	s := &sheet{f: f, base: w.skippedLabel("sheet"), st: ss, filter: len(st.Skipped) > 0, widths: []float64{60, 70}}
	s.header = []any{
		excelize.Cell{Value: w.skippedLabel("file"), StyleID: ss.header},
		excelize.Cell{Value: w.skippedLabel("reason"), StyleID: ss.header},
	}
	if err := s.start(); err != nil {
		return err
	}
	if len(st.Skipped) == 0 {
		if err := s.add([]any{w.skippedLabel("none")}); err != nil {
			return err
		}
	}
	for _, sk := range st.Skipped {
		if err := s.add([]any{sk.File, sk.Reason}); err != nil {
			return err
		}
	}
	return s.finish()
}

// writeSkippedCSV ends the CSV with the count and one row per passed-over
// file: 跳过, file, reason.
func (w *Writer) writeSkippedCSV(cw *csv.Writer, st Status) {
	cw.Write([]string{w.skippedCount(st)})
	for _, sk := range st.Skipped {
		cw.Write([]string{w.skippedLabel("sheet"), sk.File, sk.Reason})
	}
}

// writeSkippedMD ends the Markdown with a 跳过 section.
func (w *Writer) writeSkippedMD(bw *bufio.Writer, st Status) {
	fmt.Fprintf(bw, "\n## %s\n\n%s\n", w.skippedLabel("sheet"), w.skippedCount(st))
	if len(st.Skipped) == 0 {
		return
	}
	bw.WriteString("\n")
	mdRow(bw, []string{w.skippedLabel("file"), w.skippedLabel("reason")})
	bw.WriteString("| --- | --- |\n")
	for _, sk := range st.Skipped {
		mdRow(bw, []string{sk.File, sk.Reason})
	}
}
