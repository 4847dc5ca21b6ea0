package serve

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/evaluator/summary"
)

//go:embed openapi.json
var openAPIDoc []byte

// BatchSchema names the document POST /v1/batch answers with.
const BatchSchema = "budgetcheck.batch/v1"

// errorDoc is the body of every error answer: the same errors list as a
// result document of a file that did not load.
type errorDoc struct {
	Errors []submission.Problem `json:"errors"`
}

// writeError answers with one error, its message in the request's language.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, en, zh string) {
	msg := en
	if langOf(r) == ruleset.LangZh && zh != "" {
		msg = zh
	}
	writeJSON(w, r, status, errorDoc{Errors: []submission.Problem{{Code: code, Message: msg}}})
}

type langKey struct{}

// langOf is the language of a request's messages: ?lang=, else the server's.
func langOf(r *http.Request) string {
	if r == nil {
		return ruleset.LangZh
	}
	if l, ok := r.Context().Value(langKey{}).(string); ok {
		return l
	}
	return ruleset.LangZh
}

// writeJSON answers v as JSON: compact, as OPA's REST API answers, or
// indented for a person reading it when the request asks ?pretty (as OPA's
// ?pretty=true). Indenting is a second pass over the text: for the seed's
// result it more than doubled the encoding's time (0.29 → 0.65–0.8 ms).
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	if pretty(r) {
		enc.SetIndent("", "  ")
	}
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// pretty says whether r asks for indented JSON: ?pretty, ?pretty=true or
// ?pretty=1.
func pretty(r *http.Request) bool {
	if r == nil {
		return false
	}
	v, ok := r.URL.Query()["pretty"]
	return ok && (v[0] == "" || v[0] == "true" || v[0] == "1")
}

// answerError writes err: a request error with its status, else 500.
func answerError(w http.ResponseWriter, r *http.Request, err error) {
	var re *requestError
	if errors.As(err, &re) {
		writeError(w, r, re.Status, re.Code, re.Message, re.Zh)
		return
	}
	if errors.Is(err, context.DeadlineExceeded) {
		writeError(w, r, http.StatusInternalServerError, "request_timeout", "the request took longer than the server allows (--request-timeout)", "请求处理时间超过服务器允许的上限（--request-timeout）")
		return
	}
	writeError(w, r, http.StatusInternalServerError, "internal_error", err.Error(), "")
}

// query are the options of /v1/check and /v1/batch: ?lang= ?ruleset= ?fiscal_year=.
type query struct {
	engine     Engine
	lang       string
	fiscalYear int
}

func (s *Server) parseQuery(r *http.Request) (query, error) {
	var q query
	v := r.URL.Query()
	var err error
	if q.engine, q.lang, err = s.engine(v.Get("lang")); err != nil {
		return q, badRequest("invalid_value", "lang %q: use zh or en", "lang %q：请用 zh 或 en", v.Get("lang"))
	}
	if name := v.Get("ruleset"); name != "" {
		e, err := s.rulesetEngine(q.lang, name, q.engine)
		if err != nil {
			return q, badRequest("unknown_ruleset", "ruleset %q: %v; this server has %s (GET /v1/rulesets)", "没有规则集 %q（%v）：本服务使用 %s（GET /v1/rulesets）", name, err, rulesetNames(q.engine, false))
		}
		q.engine = e
	}
	if fy := v.Get("fiscal_year"); fy != "" {
		n, err := strconv.Atoi(fy)
		if err != nil || n < 1990 || n > 2100 {
			return q, badRequest("invalid_value", "fiscal_year %q: a year between 1990 and 2100", "fiscal_year %q：应为 1990 至 2100 之间的年份", fy)
		}
		q.fiscalYear = n
	}
	return q, nil
}

// upload reads a request's query and files; on an error it answers and
// says so. The caller discards the files.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) (query, []file, bool) {
	q, err := s.parseQuery(r)
	if err != nil {
		answerError(w, r, err)
		return q, nil, false
	}
	files, err := s.readFiles(r)
	if err != nil {
		answerError(w, r, err)
		return q, nil, false
	}
	return q, files, true
}

// check is POST /v1/check: one submission (or a workbook of one project) →
// its result document. 422 when it does not load, 500 when the policies fail.
func (s *Server) check(w http.ResponseWriter, r *http.Request) {
	q, files, ok := s.upload(w, r)
	if !ok {
		return
	}
	defer discard(files)
	if len(files) != 1 {
		answerError(w, r, badRequest("several_files", "%d files: POST /v1/check takes one submission; use POST /v1/batch for several", "%d 个文件：POST /v1/check 只接受一个申报文件，多个文件请用 POST /v1/batch", len(files)))
		return
	}
	projects := s.load(files[0], q.fiscalYear)
	if len(projects) != 1 {
		answerError(w, r, reqError(http.StatusUnprocessableEntity, "several_projects", "%s holds %d projects: POST it to /v1/batch", "%s 含 %d 个项目：请提交到 POST /v1/batch", files[0].Name, len(projects)))
		return
	}
	doc, status := evaluate(r.Context(), q.engine, q.lang, projects[0])
	if status != http.StatusOK && r.Context().Err() != nil {
		answerError(w, r, r.Context().Err())
		return
	}
	if status == http.StatusUnprocessableEntity && slices.ContainsFunc(doc.Errors, func(p submission.Problem) bool { return p.Code == submission.CodeTooLarge }) {
		status = http.StatusRequestEntityTooLarge
	}
	writeJSON(w, r, status, doc)
}

// BatchDocument is the answer of POST /v1/batch.
type BatchDocument struct {
	Schema  string             `json:"schema"`
	Lang    string             `json:"lang"`
	Results []*result.Document `json:"results"`
	// Warnings are what the import of workbooks had to interpret, with the cell.
	Warnings []submission.Problem `json:"warnings,omitempty"`
	Summary  BatchSummary         `json:"summary"`
}

// BatchSummary adds up the results as summary.xlsx does (amounts in 万元).
type BatchSummary struct {
	Submissions int             `json:"submissions"`
	Scored      int             `json:"scored"`
	Unreadable  int             `json:"unreadable"`
	Failed      int             `json:"failed"`
	Requested   decimal.Decimal `json:"requested"`
	Recommended decimal.Decimal `json:"recommended"`
	Change      decimal.Decimal `json:"change"`
	Errors      int             `json:"errors"`
	Warnings    int             `json:"warnings"`
	Infos       int             `json:"infos"`
	Rows        []summary.Row   `json:"rows"`
}

// batch is POST /v1/batch: several files, or a workbook → every project's
// result document, the import warnings and the summary.
func (s *Server) batch(w http.ResponseWriter, r *http.Request) {
	q, files, ok := s.upload(w, r)
	if !ok {
		return
	}
	defer discard(files)
	out := BatchDocument{Schema: BatchSchema, Lang: q.lang, Results: []*result.Document{}}
	sum, err := summary.Create(s.dir, q.lang)
	if err != nil {
		answerError(w, r, err)
		return
	}
	defer sum.Discard()
	for _, f := range files {
		projects := s.load(f, q.fiscalYear)
		if f.Path != "" {
			os.Remove(f.Path) // read: the next workbook may need the room
		}
		for _, p := range projects {
			if err := r.Context().Err(); err != nil {
				answerError(w, r, err)
				return
			}
			doc, _ := evaluate(r.Context(), q.engine, q.lang, p)
			out.Results = append(out.Results, doc)
			out.Warnings = append(out.Warnings, p.Warnings.In(q.lang)...)
			row := summary.FromDocument(doc)
			out.Summary.Rows = append(out.Summary.Rows, row)
			if err := sum.Add(row); err != nil {
				answerError(w, r, err)
				return
			}
		}
	}
	t := sum.Totals()
	out.Summary.Submissions, out.Summary.Scored, out.Summary.Unreadable, out.Summary.Failed = t.Submissions, t.Scored, t.Unreadable, t.Failed
	out.Summary.Requested, out.Summary.Recommended, out.Summary.Change = t.Requested, t.Recommended, t.Change
	out.Summary.Errors, out.Summary.Warnings, out.Summary.Infos = t.Errors, t.Warnings, t.Infos
	writeJSON(w, r, http.StatusOK, out)
}

// rulesetInfo is one entry of GET /v1/rulesets.
type rulesetInfo struct {
	ruleset.Manifest
	// Procedure is what the ruleset does (pre_evaluation, target_review):
	// without ?ruleset= each submission goes to the ruleset of the
	// procedure it calls for, as in check and batch.
	Procedure string   `json:"procedure"`
	Source    string   `json:"source"`
	Languages []string `json:"languages"`
}

func (s *Server) rulesets(w http.ResponseWriter, r *http.Request) {
	var list []rulesetInfo
	langs := make([]string, 0, len(s.cfg.Engines))
	for lang := range s.cfg.Engines {
		langs = append(langs, lang)
	}
	slices.Sort(langs)
	for _, lang := range langs {
		for _, rs := range s.cfg.Engines[lang].Rulesets() {
			i := slices.IndexFunc(list, func(x rulesetInfo) bool { return x.Name == rs.Manifest.Name && x.Version == rs.Manifest.Version })
			if i < 0 {
				list = append(list, rulesetInfo{Manifest: rs.Manifest, Procedure: evaluator.ProcedureOf(rs), Source: rs.Source})
				i = len(list) - 1
			}
			list[i].Languages = append(list[i].Languages, lang)
		}
	}
	writeJSON(w, r, http.StatusOK, map[string]any{"rulesets": list})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok", "version": s.cfg.Version, "rulesets": rulesetNames(s.cfg.Engines[s.cfg.Lang], true)})
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(openAPIDoc)
}
