package serve_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/serve"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/policies"
)

const (
	seedPath     = "../../fixtures/qingbaijiang-2021/submission.yaml"
	workbookPath = "../../fixtures/xlsx/form.xlsx"
)

var (
	enginesOnce sync.Once
	engines     map[string]serve.Engine
	enginesErr  error
)

// testEngines prepares the embedded rulesets once for the package's tests,
// in both languages, chosen per submission as `budgetcheck serve` does.
func testEngines(t testing.TB) map[string]serve.Engine {
	t.Helper()
	enginesOnce.Do(func() {
		var sets []*ruleset.Ruleset
		for _, dir := range policies.Rulesets {
			rs, err := ruleset.Load([]ruleset.Source{policies.Source(dir)}, nil)
			if err != nil {
				enginesErr = err
				return
			}
			sets = append(sets, rs)
		}
		engines = map[string]serve.Engine{}
		for _, lang := range []string{ruleset.LangZh, ruleset.LangEn} {
			e, err := evaluator.NewEngines(sets, evaluator.Options{Lang: lang, Schedule: true}) // as serve does: the report and the JSON show the schedule
			if err == nil {
				err = e.Prepare(context.Background())
			}
			if err != nil {
				enginesErr = err
				return
			}
			engines[lang] = e
		}
	})
	if enginesErr != nil {
		t.Fatal(enginesErr)
	}
	return engines
}

// forRuleset prepares the embedded ruleset whose manifest is called name,
// for every submission (?ruleset=), as serve's --ruleset does.
func forRuleset(lang, name string) (serve.Engine, error) {
	for _, dir := range policies.Rulesets {
		rs, err := ruleset.Load([]ruleset.Source{policies.Source(dir)}, nil)
		if err != nil {
			return nil, err
		}
		if rs.Manifest.Name == name {
			e, err := evaluator.New(context.Background(), rs, evaluator.Options{Lang: lang, Schedule: true})
			if err != nil {
				return nil, err
			}
			return evaluator.Fixed(e), nil
		}
	}
	return nil, errors.New("no such embedded ruleset")
}

// start serves cfg (with the test engines unless it has its own) on
// 127.0.0.1:0 and returns its URL and the server.
func start(t testing.TB, cfg serve.Config) (string, *serve.Server) {
	t.Helper()
	if cfg.Engines == nil {
		cfg.Engines = testEngines(t)
		cfg.ForRuleset = forRuleset
	}
	if cfg.TempDir == "" {
		cfg.TempDir = t.TempDir()
	}
	cfg.Loopback = true
	srv, err := serve.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		if err := srv.Close(); err != nil {
			t.Error(err)
		}
	})
	return ts.URL, srv
}

func read(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// form is a multipart body with the files given as name → content.
func form(t testing.TB, files ...[2]string) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range files {
		w, err := mw.CreateFormFile("file", f[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f[1]))
	}
	mw.Close()
	return mw.FormDataContentType(), &buf
}

type answer struct {
	Status int
	Header http.Header
	Body   []byte
}

func post(t testing.TB, url, contentType string, body io.Reader, header ...string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, req)
}

func get(t testing.TB, url string, header ...string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, req)
}

func do(t testing.TB, req *http.Request) answer {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, b}
}

func decode[T any](t testing.TB, a answer) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(a.Body, &v); err != nil {
		t.Fatalf("status %d, body is not JSON: %v\n%s", a.Status, err, a.Body)
	}
	return v
}

// errorCodes lists the codes of an error answer.
func errorCodes(t testing.TB, a answer) []string {
	t.Helper()
	doc := decode[struct {
		Errors []submission.Problem `json:"errors"`
	}](t, a)
	var codes []string
	for _, e := range doc.Errors {
		codes = append(codes, e.Code)
	}
	return codes
}

// TestCheckSeed: POST /v1/check gives the seed's figures, whichever way the
// file is sent, and in the language asked for.
func TestCheckSeed(t *testing.T) {
	url, _ := start(t, serve.Config{})
	seed := read(t, seedPath)
	ct, body := form(t, [2]string{"submission.yaml", string(seed)})
	for _, tc := range []struct {
		name, query, contentType string
		body                     []byte
		conclusion               string
	}{
		{"yaml body", "", "application/yaml", seed, "调整后予以支持"},
		{"multipart", "", ct, body.Bytes(), "调整后予以支持"},
		{"english", "?lang=en", "application/yaml", seed, "Supported after adjustment"},
		{"named ruleset", "?ruleset=chengdu-pre-budget", "application/yaml", seed, "调整后予以支持"},
		{"pretty", "?pretty=true", "application/yaml", seed, "调整后予以支持"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := post(t, url+"/v1/check"+tc.query, tc.contentType, bytes.NewReader(tc.body))
			if a.Status != http.StatusOK {
				t.Fatalf("status %d: %s", a.Status, a.Body)
			}
			doc := decode[result.Document](t, a)
			if got := doc.Score.Total.StringFixed(2); got != "70.13" {
				t.Errorf("score %s, want 70.13", got)
			}
			if got := doc.Budget.Recommended.String(); got != "222.445" {
				t.Errorf("recommended %s, want 222.445", got)
			}
			if got := doc.Budget.Change.String(); got != "-33.759" {
				t.Errorf("change %s, want -33.759", got)
			}
			if doc.Conclusion.Text != tc.conclusion {
				t.Errorf("conclusion %q, want %q", doc.Conclusion.Text, tc.conclusion)
			}
			found := false
			for _, f := range doc.Findings {
				if f.Code == "PREPAID_MAINTENANCE" && f.Location.Line == 196 && f.Location.File == "submission.yaml" {
					found = true
				}
			}
			if !found {
				t.Errorf("no PREPAID_MAINTENANCE at submission.yaml:196 in %+v", doc.Findings)
			}
			if a.Header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", a.Header.Get("Content-Type"))
			}
			// compact, as OPA answers, unless ?pretty asks for indented lines
			lines := bytes.Count(a.Body, []byte("\n"))
			if indented := tc.query == "?pretty=true"; indented != (lines > 100) {
				t.Errorf("%s: %d lines in the answer", tc.query, lines)
			}
		})
	}
}

// TestCheckErrors: each kind of bad request gets its status and the codes
// and locations the CLI reports.
func TestCheckErrors(t *testing.T) {
	url, _ := start(t, serve.Config{MaxUpload: 1 << 20})
	negative := read(t, "../../fixtures/invalid/amount-negative.yaml")
	workbook := read(t, workbookPath)
	for _, tc := range []struct {
		name, query, contentType string
		body                     io.Reader
		status                   int
		codes                    []string
	}{
		{"submission that does not load", "", "application/yaml", bytes.NewReader(negative), 422, []string{"invalid_amount", "invalid_amount"}},
		{"not a submission", "", "text/plain", strings.NewReader("hello"), 415, []string{"unsupported_media_type"}},
		{"no content type", "", "", strings.NewReader("hello"), 415, []string{"unsupported_media_type"}},
		{"a file of another kind", "", "multipart/form-data; boundary=xx", strings.NewReader("--xx\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n\r\nhello\r\n--xx--\r\n"), 415, []string{"unsupported_media_type"}},
		{"malformed multipart", "", "multipart/form-data; boundary=xx", strings.NewReader("--xx\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.yaml\"\r\n\r\nschema: budgetcheck/v1"), 400, []string{"malformed_multipart"}},
		{"multipart without a file", "", "multipart/form-data; boundary=xx", strings.NewReader("--xx\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--xx--\r\n"), 400, []string{"no_file"}},
		{"too large", "", "application/yaml", bytes.NewReader(make([]byte, 2<<20)), 413, []string{"file_too_large"}},
		{"too large, no length", "", "application/yaml", io.MultiReader(bytes.NewReader(make([]byte, 2<<20))), 413, []string{"file_too_large"}},
		{"a workbook of several projects", "", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes.NewReader(workbook), 422, []string{"several_projects"}},
		{"unknown ruleset", "?ruleset=nowhere", "application/yaml", bytes.NewReader(negative), 400, []string{"unknown_ruleset"}},
		{"unknown language", "?lang=fr", "application/yaml", bytes.NewReader(negative), 400, []string{"invalid_value"}},
		{"bad fiscal year", "?fiscal_year=21", "application/yaml", bytes.NewReader(negative), 400, []string{"invalid_value"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := post(t, url+"/v1/check"+tc.query, tc.contentType, tc.body)
			if a.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", a.Status, tc.status, a.Body)
			}
			if got := errorCodes(t, a); strings.Join(got, ",") != strings.Join(tc.codes, ",") {
				t.Errorf("codes %v, want %v", got, tc.codes)
			}
		})
	}
	t.Run("messages in the request's language", func(t *testing.T) {
		for query, want := range map[string]string{"": "不是申报文件", "?lang=en": "not a submission"} {
			ct, body := form(t, [2]string{"notes.txt", "x"})
			a := post(t, url+"/v1/check"+query, ct, body)
			doc := decode[struct {
				Errors []submission.Problem `json:"errors"`
			}](t, a)
			if a.Status != 415 || len(doc.Errors) != 1 || !strings.Contains(doc.Errors[0].Message, want) {
				t.Errorf("%q: %d %+v, want 415 and %q", query, a.Status, doc.Errors, want)
			}
		}
	})
	t.Run("locations of a submission that does not load", func(t *testing.T) {
		a := post(t, url+"/v1/check", "multipart/form-data; boundary=xx", strings.NewReader("--xx\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../etc/amount-negative.yaml\"\r\n\r\n"+string(negative)+"\r\n--xx--\r\n"))
		doc := decode[result.Document](t, a)
		var at []string
		for _, e := range doc.Errors {
			at = append(at, e.Pos.String()+" "+e.Path)
		}
		want := []string{"amount-negative.yaml:7:20 project.requested_total", "amount-negative.yaml:26:13 budget_lines[0].amount"}
		if strings.Join(at, "|") != strings.Join(want, "|") {
			t.Errorf("errors at %v, want %v (the uploaded name, without its folders)", at, want)
		}
	})
}

// failing is an engine whose policies fail at run time.
type failing struct{ serve.Engine }

func (f failing) Evaluate(ctx context.Context, sub *submission.Submission) (*result.Document, error) {
	return nil, &evaluator.PolicyError{File: sub.File, Err: errors.New("division by zero")}
}

func TestPolicyFailureIs500(t *testing.T) {
	e := testEngines(t)
	url, _ := start(t, serve.Config{Engines: map[string]serve.Engine{"zh": failing{e["zh"]}}})
	a := post(t, url+"/v1/check", "application/yaml", bytes.NewReader(read(t, seedPath)))
	if a.Status != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500: %s", a.Status, a.Body)
	}
	if got := errorCodes(t, a); len(got) != 1 || got[0] != "evaluation_error" {
		t.Errorf("codes %v, want [evaluation_error]", got)
	}
}

// TestBatch: a seed and a workbook give one result per project, positions
// naming the uploaded workbook's cells, and the summary's totals.
func TestBatch(t *testing.T) {
	tmp := t.TempDir()
	url, srv := start(t, serve.Config{TempDir: tmp})
	ct, body := form(t, [2]string{"submission.yaml", string(read(t, seedPath))}, [2]string{"form.xlsx", string(read(t, workbookPath))})
	a := post(t, url+"/v1/batch", ct, body)
	if a.Status != http.StatusOK {
		t.Fatalf("status %d: %s", a.Status, a.Body)
	}
	doc := decode[serve.BatchDocument](t, a)
	if doc.Schema != serve.BatchSchema || len(doc.Results) != 9 || doc.Summary.Submissions != 9 || doc.Summary.Scored != 9 {
		t.Fatalf("schema %s, %d results, summary %+v", doc.Schema, len(doc.Results), doc.Summary)
	}
	if doc.Results[0].Score.Total.StringFixed(2) != "70.13" || doc.Results[0].Procedure != result.PreEvaluation {
		t.Errorf("the seed scores %s (%s)", doc.Results[0].Score.Total, doc.Results[0].Procedure)
	}
	// each submission goes to the procedure it calls for: a 申报表's project to the target review
	for _, r := range doc.Results[1:] {
		if r.Procedure != result.TargetReview || r.Review == nil || r.Review.Grade == "" {
			t.Errorf("%s %s: procedure %q, review %+v; want a graded target review", r.File, r.Project.Code, r.Procedure, r.Review)
		}
	}
	cells := map[string]bool{}
	for _, r := range doc.Results[1:] {
		for _, f := range r.Findings {
			cells[f.Code+"@"+f.Location.File] = true
		}
	}
	for _, want := range []string{"COSTING_UNIT_MISMATCH@form.xlsx#热线运行!F7", "PROJECT_CODE_MANGLED@form.xlsx#老旧小区甲!B2"} {
		if !cells[want] {
			t.Errorf("no finding %s in %v", want, cells)
		}
	}
	var skipped int
	for _, w := range doc.Warnings {
		if w.Code == "xlsx_sheet_skipped" {
			skipped++
		}
	}
	if skipped != 1 {
		t.Errorf("%d xlsx_sheet_skipped warnings, want the workbook's one", skipped)
	}
	if doc.Summary.Change.String() != "-33.759" {
		t.Errorf("summary change %s, want -33.759 (the seed's; the workbook's projects have no budget lines)", doc.Summary.Change)
	}
	// ?ruleset= sends every project to the one ruleset named.
	ct, body = form(t, [2]string{"form.xlsx", string(read(t, workbookPath))})
	forced := decode[serve.BatchDocument](t, post(t, url+"/v1/batch?ruleset=chengdu-pre-budget", ct, body))
	for _, r := range forced.Results {
		if r.Procedure != result.PreEvaluation && r.Procedure != "" || r.Review != nil {
			t.Errorf("?ruleset=chengdu-pre-budget: %s got procedure %q", r.Project.Code, r.Procedure)
		}
	}
	// Nothing of the request is left in the private folder, and Close removes it.
	if left, _ := filepath.Glob(filepath.Join(tmp, "*", "*")); len(left) > 0 {
		t.Errorf("left in the private folder: %v", left)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "*")); len(left) > 0 {
		t.Errorf("left after Close: %v", left)
	}
}

// TestTooManyRequests: past MaxConcurrent, a request that cannot get a
// place within QueueWait is answered 429 with Retry-After.
func TestTooManyRequests(t *testing.T) {
	url, _ := start(t, serve.Config{MaxConcurrent: 1, QueueWait: 50 * time.Millisecond})
	pr, pw := io.Pipe()
	held := make(chan answer, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, url+"/v1/check", pr)
		req.Header.Set("Content-Type", "application/yaml")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			held <- answer{}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		held <- answer{Status: resp.StatusCode, Body: b}
	}()
	pw.Write([]byte("schema: budgetcheck/v1\n")) // the slot is taken while this upload goes on
	time.Sleep(100 * time.Millisecond)
	a := post(t, url+"/v1/check", "application/yaml", bytes.NewReader(read(t, seedPath)))
	if a.Status != http.StatusTooManyRequests || a.Header.Get("Retry-After") == "" {
		t.Errorf("status %d (Retry-After %q), want 429: %s", a.Status, a.Header.Get("Retry-After"), a.Body)
	}
	if got := errorCodes(t, a); len(got) != 1 || got[0] != "too_many_requests" {
		t.Errorf("codes %v", got)
	}
	pw.Close()
	if h := <-held; h.Status != http.StatusUnprocessableEntity {
		t.Errorf("the held request ended with %d, want 422 (an incomplete submission)", h.Status)
	}
	if a := post(t, url+"/v1/check", "application/yaml", bytes.NewReader(read(t, seedPath))); a.Status != http.StatusOK {
		t.Errorf("after the place is free: status %d", a.Status)
	}
}

// TestToken: with a token every request carries it (header or the page's
// cookie), except the liveness check.
func TestToken(t *testing.T) {
	const token = "0123456789abcdef0123"
	url, _ := start(t, serve.Config{Token: token})
	seed := read(t, seedPath)
	if a := post(t, url+"/v1/check", "application/yaml", bytes.NewReader(seed)); a.Status != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", a.Status)
	}
	if a := post(t, url+"/v1/check", "application/yaml", bytes.NewReader(seed), "Authorization", "Bearer wrong-token-0123456789"); a.Status != http.StatusUnauthorized {
		t.Errorf("wrong token: %d, want 401", a.Status)
	}
	if a := post(t, url+"/v1/check", "application/yaml", bytes.NewReader(seed), "Authorization", "Bearer "+token); a.Status != http.StatusOK {
		t.Errorf("token: %d, want 200", a.Status)
	}
	if a := get(t, url+"/"); a.Status != http.StatusUnauthorized {
		t.Errorf("page without token: %d, want 401", a.Status)
	}
	a := get(t, url+"/?token="+token)
	if a.Status != http.StatusSeeOther || a.Header.Get("Location") != "/" {
		t.Fatalf("/?token=: %d to %q, want 303 to /", a.Status, a.Header.Get("Location"))
	}
	cookie := a.Header.Get("Set-Cookie")
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") {
		t.Errorf("cookie %q", cookie)
	}
	if a := get(t, url+"/", "Cookie", strings.SplitN(cookie, ";", 2)[0]); a.Status != http.StatusOK {
		t.Errorf("page with the cookie: %d", a.Status)
	}
	if a := get(t, url+"/healthz"); a.Status != http.StatusOK {
		t.Errorf("healthz: %d", a.Status)
	}
}

// TestHeaders: the page loads only its own script and style (no inline
// script), is not sniffed, and a request for another host is refused.
func TestHeaders(t *testing.T) {
	url, _ := start(t, serve.Config{})
	a := get(t, url+"/")
	if a.Status != http.StatusOK {
		t.Fatalf("status %d", a.Status)
	}
	csp := a.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	if a.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
	page := string(a.Body)
	if m := regexp.MustCompile(`<script(?:\s[^>]*)?>`).FindAllString(page, -1); len(m) != 1 || !strings.Contains(m[0], `src="/assets/app.js"`) {
		t.Errorf("scripts %v, want only /assets/app.js", m)
	}
	if regexp.MustCompile(`\son[a-z]+=|style=|https?://`).MatchString(page) {
		t.Error("the page has an inline handler, an inline style or an external address")
	}
	if !strings.Contains(page, "预算项目审核") || !strings.Contains(get(t, url+"/?lang=en").Body2(), "Budget project review") {
		t.Error("the page is not Chinese by default and English on the switch")
	}
	req, _ := http.NewRequest(http.MethodGet, url+"/healthz", nil)
	req.Host = "attacker.example:80"
	if a := do(t, req); a.Status != http.StatusMisdirectedRequest {
		t.Errorf("a request for another host: %d, want 421", a.Status)
	}
	for _, path := range []string{"/assets/app.js", "/assets/app.css"} {
		if a := get(t, url+path); a.Status != http.StatusOK || len(a.Body) < 500 {
			t.Errorf("%s: %d, %d bytes", path, a.Status, len(a.Body))
		}
	}
	for _, path := range []string{"/assets/../pages.html.tmpl", "/assets/%2e%2e/serve.go", "/b/nope", "/b/0123/p/1"} {
		if a := get(t, url+path); a.Status == http.StatusOK {
			t.Errorf("%s: 200", path)
		}
	}
}

func (a answer) Body2() string { return string(a.Body) }

// TestDiscovery: the rulesets, the liveness check and the OpenAPI document,
// which describes every API route.
func TestDiscovery(t *testing.T) {
	url, _ := start(t, serve.Config{})
	rs := decode[struct {
		Rulesets []struct {
			Name      string   `json:"name"`
			Procedure string   `json:"procedure"`
			Languages []string `json:"languages"`
		} `json:"rulesets"`
	}](t, get(t, url+"/v1/rulesets"))
	if len(rs.Rulesets) != 2 || rs.Rulesets[0].Name != "chengdu-pre-budget" || rs.Rulesets[0].Procedure != result.PreEvaluation ||
		rs.Rulesets[1].Name != "chengdu-target-review" || rs.Rulesets[1].Procedure != result.TargetReview || strings.Join(rs.Rulesets[0].Languages, ",") != "en,zh" {
		t.Errorf("rulesets %+v", rs)
	}
	if h := decode[map[string]string](t, get(t, url+"/healthz")); h["status"] != "ok" {
		t.Errorf("healthz %v", h)
	}
	api := decode[struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}](t, get(t, url+"/v1/openapi.json"))
	for path, method := range map[string]string{"/v1/check": "post", "/v1/batch": "post", "/v1/rulesets": "get", "/healthz": "get", "/v1/openapi.json": "get",
		"/b": "post", "/b/{id}/files": "post", "/b/{id}/register.xlsx": "get", "/b/{id}/letters.zip": "get", "/b/{id}/w/{k}/annotated.xlsx": "get"} {
		if api.Paths[path][method] == nil {
			t.Errorf("the OpenAPI document lacks %s %s", method, path)
		}
	}
	for _, path := range []string{"/v1/check", "/v1/batch"} {
		responses := api.Paths[path]["post"].(map[string]any)["responses"].(map[string]any)
		for _, status := range []string{"200", "400", "413", "415", "429", "500"} {
			if responses[status] == nil {
				t.Errorf("%s: no %s in the OpenAPI document", path, status)
			}
		}
	}
}

// TestPageRoutes: the page's batch lives under an unguessable id, takes
// uploads only from the page itself, and serves its downloads; the printed
// report is allowed its one inline style by hash and nothing else.
func TestPageRoutes(t *testing.T) {
	url, _ := start(t, serve.Config{})
	created := post(t, url+"/b", "", nil)
	if created.Status != http.StatusCreated {
		t.Fatalf("POST /b: %d %s", created.Status, created.Body)
	}
	id := decode[map[string]string](t, created)["id"]
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id) {
		t.Fatalf("batch id %q is not 128 random bits", id)
	}
	ct, body := form(t, [2]string{"submission.yaml", string(read(t, seedPath))})
	if a := post(t, url+"/b/"+id+"/files", ct, bytes.NewReader(body.Bytes()), "Sec-Fetch-Site", "cross-site"); a.Status != http.StatusForbidden {
		t.Errorf("an upload from another site: %d, want 403", a.Status)
	}
	a := post(t, url+"/b/"+id+"/files", ct, bytes.NewReader(body.Bytes()), "Sec-Fetch-Site", "same-origin")
	if got := decode[map[string]int](t, a); a.Status != http.StatusOK || got["projects"] != 1 || got["total"] != 1 {
		t.Fatalf("upload: %d %s", a.Status, a.Body)
	}
	page := get(t, url+"/b/"+id)
	if page.Status != http.StatusOK || !strings.Contains(string(page.Body), "70.13") {
		t.Errorf("batch page: %d", page.Status)
	}
	if strings.Contains(string(page.Body), "dl-register") {
		t.Error("a pre-evaluation without a workbook offers the register of a target review")
	}
	rep := get(t, url+"/b/"+id+"/p/1/report.html")
	if rep.Status != http.StatusOK || !strings.Contains(string(rep.Body), "222.445") {
		t.Fatalf("report: %d", rep.Status)
	}
	csp := rep.Header.Get("Content-Security-Policy")
	style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindSubmatch(rep.Body)
	sum := sha256.Sum256(style[1])
	if !strings.Contains(csp, "style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") || strings.Contains(csp, "script") && !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("report CSP %q does not allow exactly its style", csp)
	}
	js := get(t, url+"/b/"+id+"/p/1/result.json")
	if doc := decode[result.Document](t, js); doc.Score.Total.StringFixed(2) != "70.13" || !strings.HasPrefix(js.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("result.json: %s, %q", doc.Score.Total, js.Header.Get("Content-Disposition"))
	}
	for _, path := range []string{"/b/" + strings.Repeat("0", 32), "/b/" + id + "/p/2", "/b/" + id + "/p/0", "/b/" + id + "/p/x/result.json"} {
		if a := get(t, url+path); a.Status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, a.Status)
		}
	}
}

// reviewing is an engine that judges like the target review will: a grade
// and numbered 审核意见 in Document.Review (built by hand until the target
// review's ruleset lands).
type reviewing struct{ serve.Engine }

func (r reviewing) Evaluate(ctx context.Context, sub *submission.Submission) (*result.Document, error) {
	doc, err := r.Engine.Evaluate(ctx, sub)
	if err != nil {
		return nil, err
	}
	doc.Procedure = result.TargetReview
	doc.Review = &result.Review{Grade: "良", Code: "good", Consequence: "按审核意见修改后纳入预算",
		Notes: []result.ReviewNote{{N: 1, Code: "TARGET_VALUE_NOT_MEASURABLE", Location: submission.Pos{File: "form.xlsx#热线运行!D14", Line: 14, Column: 4}, Text: "第14行（时效）“及时”不可衡量：写明时限，如“≤3个工作日”。"}}}
	return doc, nil
}

func TestReviewIsShown(t *testing.T) {
	e := testEngines(t)
	url, _ := start(t, serve.Config{Engines: map[string]serve.Engine{"zh": reviewing{e["zh"]}}})
	id := decode[map[string]string](t, post(t, url+"/b", "", nil))["id"]
	ct, body := form(t, [2]string{"submission.yaml", string(read(t, seedPath))})
	if a := post(t, url+"/b/"+id+"/files", ct, body); a.Status != http.StatusOK {
		t.Fatalf("upload: %d %s", a.Status, a.Body)
	}
	table := string(get(t, url+"/b/"+id).Body)
	if !regexp.MustCompile(`<td class="outcome">良</td>`).MatchString(table) || !strings.Contains(table, `data-outcome="good"`) {
		t.Errorf("the table does not show the grade 良")
	}
	page := string(get(t, url+"/b/"+id+"/p/1").Body)
	for _, want := range []string{`<span id="outcome">良</span>`, "审核意见", "热线运行!D14", "写明时限", "按审核意见修改后纳入预算"} {
		if !strings.Contains(page, want) {
			t.Errorf("the project page lacks %q", want)
		}
	}
	if strings.Contains(page, "dl-report") {
		t.Error("a target review offers the pre-evaluation's printable report")
	}
	if a := get(t, url+"/b/"+id+"/p/1/report.html"); a.Status != http.StatusNotFound {
		t.Errorf("report of a target review: %d, want 404", a.Status)
	}
}
