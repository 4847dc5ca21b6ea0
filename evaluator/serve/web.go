package serve

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/budgetcheck/budgetcheck/evaluator/money"
	"github.com/budgetcheck/budgetcheck/evaluator/output"
	"github.com/budgetcheck/budgetcheck/evaluator/report"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/schedule"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/evaluator/summary"
)

//go:embed assets pages.html.tmpl
var webFS embed.FS

// pages are parsed once; T gives a label in the page's language.
var pages = template.Must(template.New("pages").Funcs(template.FuncMap{
	"inc": func(i int) int { return i + 1 },
}).ParseFS(webFS, "pages.html.tmpl"))

// assetServer serves the page's script and style from the binary.
func assetServer() http.Handler {
	sub, err := fs.Sub(webFS, "assets")
	if err != nil {
		panic(err)
	}
	return http.FileServerFS(sub)
}

// page is what every page's template sees.
type page struct {
	Lang, Other string // the page's language and the one the switch leads to
	Version     string
	Ruleset     string
	Path        string // the page's path, for the language switch
}

// T is the label key in the page's language.
func (p page) T(key string) string {
	if t, ok := webLabels[key]; ok {
		return t.In(p.Lang)
	}
	return key
}

// Q is the query that keeps the page's language on a link.
func (p page) Q() template.URL {
	if p.Lang == ruleset.LangZh {
		return ""
	}
	return template.URL("?lang=" + p.Lang)
}

func (s *Server) page(r *http.Request) (page, Engine, error) {
	e, lang, err := s.engine(r.URL.Query().Get("lang"))
	if err != nil {
		return page{}, nil, badRequest("invalid_value", "lang %q: use zh or en", "lang %q：请用 zh 或 en", r.URL.Query().Get("lang"))
	}
	other := ruleset.LangEn
	if lang == ruleset.LangEn {
		other = ruleset.LangZh
	}
	return page{Lang: lang, Other: other, Version: s.cfg.Version, Ruleset: rulesetNames(e, true), Path: r.URL.Path}, e, nil
}

func (s *Server) render(w http.ResponseWriter, name string, data any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		writeError(w, nil, http.StatusInternalServerError, "internal_error", err.Error(), "")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	p, _, err := s.page(r)
	if err != nil {
		answerError(w, r, err)
		return
	}
	s.render(w, "index", struct {
		page
		MaxUpload string
	}{p, fmt.Sprintf("%d MB", s.cfg.MaxUpload>>20)})
}

// newBatch is POST /b: a new empty batch for the page to upload files into.
func (s *Server) newBatch(w http.ResponseWriter, r *http.Request) {
	b := s.batches.create()
	writeJSON(w, r, http.StatusCreated, map[string]string{"id": b.id, "url": "/b/" + b.id})
}

// addFiles is POST /b/{id}/files: the page uploads its files one request at
// a time (so that it can show progress); each is loaded and evaluated in
// the page's language.
func (s *Server) addFiles(w http.ResponseWriter, r *http.Request) {
	b := s.batches.get(r.PathValue("id"))
	if b == nil {
		writeError(w, r, http.StatusNotFound, "not_found", "no such batch (it may have expired)", "没有这批结果（可能已过期）")
		return
	}
	q, files, ok := s.upload(w, r)
	if !ok {
		return
	}
	defer discard(files)
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, err := b.fill(r.Context(), q.engine, q.lang); err != nil {
		answerError(w, r, err)
		return
	}
	added, unread := 0, 0
	for i := range files {
		f := &files[i]
		projects := s.load(*f, q.fiscalYear)
		if len(b.projects)+len(projects) > maxProjects {
			answerError(w, r, reqError(http.StatusRequestEntityTooLarge, "too_many_projects", "a batch holds at most %d projects: start another", "一批最多 %d 个项目：请另起一批", maxProjects))
			return
		}
		// A workbook that was read is kept for its annotated copy.
		if f.Path != "" && slices.ContainsFunc(projects, func(p project) bool { return p.Sheet != "" }) {
			if err := b.keep(f, len(b.projects), len(projects), cmpOr(q.fiscalYear, s.cfg.FiscalYear), s.dir); err != nil {
				answerError(w, r, err)
				return
			}
		}
		b.inputs++
		for _, p := range projects {
			// Other languages' documents are made when the page is switched to them.
			doc, _ := evaluate(r.Context(), q.engine, q.lang, p)
			b.projects = append(b.projects, p)
			b.docs[q.lang] = append(b.docs[q.lang], doc)
			added++
			if len(doc.Errors) > 0 {
				unread++
			}
		}
	}
	writeJSON(w, r, http.StatusOK, map[string]int{"files": len(files), "projects": added, "unreadable": unread, "total": len(b.projects)})
}

// row is one project in the table of the batch page.
type row struct {
	N                                 int
	Code, Name, Unit, Input           string
	Outcome, OutcomeCode              string // the grade (target review) or the conclusion
	Score                             string
	Errors, Warnings, Infos, Problems int
	Codes                             string // the finding codes, space-separated, for the filter
	Failed                            bool
}

func rowOf(i int, p project, doc *result.Document) row {
	r := row{N: i + 1, Input: p.Input, Code: doc.Project.Code, Name: doc.Project.Name, Unit: doc.Project.BudgetUnit, Failed: doc.Failed()}
	if len(doc.Errors) > 0 {
		// A project of a workbook that cannot be read is known by its sheet.
		r.Name = cmp.Or(sheetOf(doc.Errors[0].Pos.File), p.Input)
		r.Problems = len(doc.Errors)
		r.OutcomeCode = "unreadable"
		return r
	}
	r.Outcome, r.OutcomeCode = doc.Conclusion.Text, doc.Conclusion.Code
	if doc.Review != nil {
		r.Outcome, r.OutcomeCode = doc.Review.Grade, doc.Review.Code
	}
	if !doc.Score.Possible.IsZero() || doc.Review == nil {
		r.Score = doc.Score.Total.StringFixed(2) // a target review grades, it does not score
	}
	r.Errors, r.Warnings, r.Infos = doc.Summary.Errors, doc.Summary.Warnings, doc.Summary.Infos
	var codes []string
	for _, f := range doc.Findings {
		if !slices.Contains(codes, f.Code) {
			codes = append(codes, f.Code)
		}
	}
	slices.Sort(codes)
	r.Codes = strings.Join(codes, " ")
	return r
}

// sheetOf is the sheet a workbook position names ("book.xlsx#'My sheet'!E6"
// → My sheet), or "".
func sheetOf(file string) string {
	_, ref, ok := strings.Cut(file, "#")
	if !ok {
		return ""
	}
	if i := strings.LastIndexByte(ref, '!'); i >= 0 {
		ref = ref[:i]
	}
	if len(ref) > 1 && ref[0] == '\'' && ref[len(ref)-1] == '\'' {
		ref = strings.ReplaceAll(ref[1:len(ref)-1], "''", "'")
	}
	return ref
}

// option is one choice of a filter.
type option struct{ Value, Text string }

func (s *Server) batchOf(w http.ResponseWriter, r *http.Request) (*webBatch, page, []*result.Document, bool) {
	p, e, err := s.page(r)
	if err != nil {
		answerError(w, r, err)
		return nil, p, nil, false
	}
	b := s.batches.get(r.PathValue("id"))
	if b == nil {
		w.WriteHeader(http.StatusNotFound)
		s.render(w, "gone", p)
		return nil, p, nil, false
	}
	docs, err := b.results(r.Context(), e, p.Lang)
	if err != nil {
		answerError(w, r, err)
		return nil, p, nil, false
	}
	return b, p, docs, true
}

func (s *Server) batchPage(w http.ResponseWriter, r *http.Request) {
	b, p, docs, ok := s.batchOf(w, r)
	if !ok {
		return
	}
	b.mu.Lock()
	projects := slices.Clone(b.projects)
	inputs := b.inputs
	b.mu.Unlock()
	data := struct {
		page
		ID                     string
		Inputs                 int
		Rows                   []row
		Outcomes, Units, Codes []option
		Register               bool       // the register and letters are offered
		Workbooks              []download // the annotated copies
	}{page: p, ID: b.id, Inputs: inputs}
	b.mu.Lock()
	for k, wb := range b.workbooks {
		data.Workbooks = append(data.Workbooks, download{K: k + 1, Name: wb.Name})
	}
	b.mu.Unlock()
	data.Register = len(data.Workbooks) > 0 || slices.ContainsFunc(docs, func(d *result.Document) bool { return d.Review != nil })
	seen := map[string]bool{}
	for i, doc := range docs {
		rw := rowOf(i, projects[i], doc)
		data.Rows = append(data.Rows, rw)
		text := rw.Outcome
		if rw.OutcomeCode == "unreadable" {
			text = p.T("unreadable")
		}
		if !seen["o:"+rw.OutcomeCode] {
			seen["o:"+rw.OutcomeCode] = true
			data.Outcomes = append(data.Outcomes, option{rw.OutcomeCode, text})
		}
		if rw.Unit != "" && !seen["u:"+rw.Unit] {
			seen["u:"+rw.Unit] = true
			data.Units = append(data.Units, option{rw.Unit, rw.Unit})
		}
		for _, c := range strings.Fields(rw.Codes) {
			if !seen["c:"+c] {
				seen["c:"+c] = true
				data.Codes = append(data.Codes, option{c, c})
			}
		}
	}
	for _, opts := range [][]option{data.Units, data.Codes} {
		slices.SortFunc(opts, func(a, b option) int { return strings.Compare(a.Value, b.Value) })
	}
	s.render(w, "batch", data)
}

// projectOf finds the n-th project of the batch (1-based in the path).
func (s *Server) projectOf(w http.ResponseWriter, r *http.Request) (*webBatch, page, project, *result.Document, int, bool) {
	b, p, docs, ok := s.batchOf(w, r)
	if !ok {
		return nil, p, project{}, nil, 0, false
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(docs) {
		w.WriteHeader(http.StatusNotFound)
		s.render(w, "gone", p)
		return nil, p, project{}, nil, 0, false
	}
	b.mu.Lock()
	pr := b.projects[n-1]
	b.mu.Unlock()
	return b, p, pr, docs[n-1], n, true
}

// finding is a finding as the project page shows it.
type finding struct {
	result.Finding
	Where       string
	Adjustments []string
}

// note is an item of 审核意见 or an input problem, with where it is.
type note struct {
	N          int
	Code, Text string
	Where      string
}

func (s *Server) projectPage(w http.ResponseWriter, r *http.Request) {
	b, p, pr, doc, n, ok := s.projectOf(w, r)
	if !ok {
		return
	}
	data := struct {
		page
		ID       string
		N        int
		Row      row
		Doc      *result.Document
		Review   *result.Review
		Notes    []note
		Problems []note
		Warnings []note
		Findings []finding
		Report   bool
		Unit     string
	}{page: p, ID: b.id, N: n, Row: rowOf(n-1, pr, doc), Doc: doc, Review: doc.Review, Unit: doc.Budget.Unit}
	if u, ok := money.LookupUnit(doc.Budget.Unit); ok && p.Lang == ruleset.LangEn {
		data.Unit = u.English
	}
	data.Report = pr.Sub != nil && len(doc.Errors) == 0 && doc.Review == nil && doc.Procedure != result.TargetReview
	if doc.Review != nil {
		for _, rn := range doc.Review.Notes {
			data.Notes = append(data.Notes, note{N: rn.N, Code: rn.Code, Text: rn.Text, Where: where(rn.Location, p.Lang)})
		}
	}
	for i, e := range doc.Errors {
		data.Problems = append(data.Problems, note{N: i + 1, Code: e.Code, Text: e.Message, Where: where(e.Pos, p.Lang)})
	}
	warnings := pr.Warnings.In(p.Lang)
	// by row and column: the files name the cells, which sort as text
	slices.SortStableFunc(warnings, func(a, b submission.Problem) int {
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Column, b.Pos.Column))
	})
	for i, e := range warnings {
		data.Warnings = append(data.Warnings, note{N: i + 1, Code: e.Code, Text: e.Message, Where: where(e.Pos, p.Lang)})
	}
	for _, f := range doc.Findings {
		fv := finding{Finding: f, Where: where(f.Location, p.Lang)}
		for _, a := range f.Adjustments {
			fv.Adjustments = append(fv.Adjustments, fmt.Sprintf("%s %s", a.Line, a.Amount.String()))
		}
		data.Findings = append(data.Findings, fv)
	}
	s.render(w, "project", data)
}

// where names a position as a reviewer looks for it: the workbook's sheet
// and cell, or the file and line.
func where(pos submission.Pos, lang string) string {
	file := pos.File
	if i := strings.IndexByte(file, '#'); i >= 0 {
		return file[i+1:]
	}
	file = path.Base(filepath.ToSlash(file))
	if pos.Line == 0 {
		return file
	}
	if lang == ruleset.LangEn {
		return fmt.Sprintf("%s line %d", file, pos.Line)
	}
	return fmt.Sprintf("%s 第%d行", file, pos.Line)
}

// attachment names a download; a name that is not ASCII (审核结果.xlsx) is
// sent as RFC 2231 filename* (UTF-8, percent-encoded).
func attachment(w http.ResponseWriter, name, contentType string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
}

// summaryXLSX is the batch's summary.xlsx, written as batch writes it.
func (s *Server) summaryXLSX(w http.ResponseWriter, r *http.Request) {
	b, p, docs, ok := s.batchOf(w, r)
	if !ok {
		return
	}
	dir, err := os.MkdirTemp(s.dir, "summary-*")
	if err != nil {
		answerError(w, r, err)
		return
	}
	defer os.RemoveAll(dir)
	sum, err := summary.Create(dir, p.Lang)
	if err != nil {
		answerError(w, r, err)
		return
	}
	defer sum.Discard()
	for _, doc := range docs {
		if err := sum.Add(summary.FromDocument(doc)); err != nil {
			answerError(w, r, err)
			return
		}
	}
	b.mu.Lock()
	inputs := b.inputs
	b.mu.Unlock()
	if err := sum.Close(summary.Status{Inputs: inputs, Total: inputs}); err != nil {
		answerError(w, r, err)
		return
	}
	f, err := os.Open(filepath.Join(dir, summary.XLSXName))
	if err != nil {
		answerError(w, r, err)
		return
	}
	defer f.Close()
	attachment(w, summary.XLSXName, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	http.ServeContent(w, r, "", b.created, f)
}

// resultsJSON is every result document of the batch, as check -f json writes them.
func (s *Server) resultsJSON(w http.ResponseWriter, r *http.Request) {
	_, _, docs, ok := s.batchOf(w, r)
	if !ok {
		return
	}
	attachment(w, "results.json", "application/json; charset=utf-8")
	_ = output.JSON{}.Write(w, docs)
}

func (s *Server) projectJSON(w http.ResponseWriter, r *http.Request) {
	_, _, _, doc, n, ok := s.projectOf(w, r)
	if !ok {
		return
	}
	attachment(w, fmt.Sprintf("result-%d.json", n), "application/json; charset=utf-8")
	_ = output.JSON{}.Write(w, []*result.Document{doc})
}

// styleBlock finds the report's one inline style, which its CSP allows by hash.
var styleBlock = regexp.MustCompile(`(?s)<style>(.*?)</style>`)

// projectReport is the printable report of a pre-evaluation, as
// `budgetcheck report` writes it.
func (s *Server) projectReport(w http.ResponseWriter, r *http.Request) {
	_, p, pr, doc, _, ok := s.projectOf(w, r)
	if !ok {
		return
	}
	if pr.Sub == nil || len(doc.Errors) > 0 || doc.Review != nil {
		writeError(w, r, http.StatusNotFound, "not_found", "a printable report exists for an evaluated pre-evaluation only", "只有已评估的事前绩效评估才有可打印的报告")
		return
	}
	e, _, _ := s.engine(p.Lang)
	rulesets := e.Rulesets()
	rs := rulesets[0]
	for _, x := range rulesets {
		if x.Manifest.Name == doc.Ruleset.Name {
			rs = x
		}
	}
	texts, err := report.LoadTexts(rs.Data)
	if err != nil {
		answerError(w, r, err)
		return
	}
	names := map[string]string{}
	for _, sp := range pr.Sub.Subprojects {
		names[sp.ID] = sp.Name
	}
	table, err := schedule.Build(doc, schedule.Options{Lang: p.Lang, Subprojects: names})
	if err != nil {
		answerError(w, r, err)
		return
	}
	rep, err := report.Build(pr.Sub, doc, table, report.Options{Lang: p.Lang, Texts: texts})
	if err != nil {
		answerError(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := rep.HTML(&buf); err != nil {
		answerError(w, r, err)
		return
	}
	csp := "default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	for _, m := range styleBlock.FindAllSubmatch(buf.Bytes(), -1) {
		sum := sha256.Sum256(m[1])
		csp += "; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		break
	}
	w.Header().Set("Content-Security-Policy", csp)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}
