// Package serve is budgetcheck's HTTP server: a web page for the reviewers
// of a finance bureau (upload 申报表 workbooks or YAML/JSON submissions, a
// table of projects, a page per project, downloads) and a versioned JSON API
// for the budget management system (POST /v1/check, POST /v1/batch,
// GET /v1/rulesets, GET /healthz, GET /v1/openapi.json).
//
// Handlers are thin adapters over the functions the command line uses:
// submission.Parse, xlsximport.Import, the engine's Evaluate, summary and
// report. The engines are prepared once, before the server starts, and
// shared by every request.
//
// Uploads live in memory (YAML/JSON) or, for workbooks, in a private
// temporary folder under a random name while they are imported; no part of
// a request ever becomes a file system path. A batch of the web page is kept
// in memory under an unguessable id until its time is up.
package serve

import (
	"cmp"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// Engine judges one submission: *evaluator.Engines, which chooses the
// procedure (pre-evaluation or target review) by the submission, as check
// and batch do.
type Engine interface {
	Evaluate(ctx context.Context, sub *submission.Submission) (*result.Document, error)
	// Rulesets are the rulesets it judges with, the default first.
	Rulesets() []*ruleset.Ruleset
}

// Defaults of Config.
const (
	DefaultMaxUpload      = 32 << 20
	DefaultRequestTimeout = 60 * time.Second
	DefaultQueueWait      = 5 * time.Second
	DefaultBatchTTL       = time.Hour
	DefaultMaxBatches     = 32
)

// Config sets up a Server.
type Config struct {
	// Engines by language ("zh", "en"); at least the one of Lang.
	Engines map[string]Engine
	// ForRuleset, when set, prepares the engine of ?ruleset=NAME in lang
	// (once: the server keeps it); else ?ruleset= only names the one
	// ruleset the engines hold.
	ForRuleset func(lang, name string) (Engine, error)
	// Lang is the language of the page and of results when a request does
	// not choose (default zh).
	Lang string
	// Token, when set, must come with every request: an Authorization:
	// Bearer header, or the cookie the page sets after /?token=….
	Token string
	// MaxUpload bounds a request's body; it is also the largest workbook.
	MaxUpload int64
	// MaxConcurrent bounds the requests that upload and evaluate at once
	// (default: one per CPU); one more waits up to QueueWait for a place, in
	// the order it came, then gets 429. One per CPU, not more: an evaluation
	// keeps its CPU busy, so more at once only share the CPUs and all finish
	// later (p99 at 8 clients on 2 CPUs: 123–125 ms with 2, 149–162 ms with
	// 3 or 4; .ci/load).
	MaxConcurrent int
	QueueWait     time.Duration
	// RequestTimeout bounds the work on one request.
	RequestTimeout time.Duration
	// FiscalYear is the year of workbooks that do not say it (0: from the sheet).
	FiscalYear int
	// BatchTTL is how long the web page's batches are kept; MaxBatches how
	// many (the oldest goes first).
	BatchTTL   time.Duration
	MaxBatches int
	// TempDir is where the private folder for workbooks is made ("": the
	// system's).
	TempDir string
	// Version is shown on the page and by /healthz.
	Version string
	// Loopback is set when the server listens on a loopback address only:
	// then a request must name a loopback host (against DNS rebinding).
	Loopback bool
}

// Server is the HTTP handler with its state: the shared engines, the
// stored batches and the private folder.
type Server struct {
	cfg     Config
	dir     string
	slots   chan struct{}
	batches *store
	mux     *http.ServeMux
	token   [32]byte

	fixedMu sync.Mutex
	fixed   map[string]Engine // by lang and ?ruleset= name
}

// New checks cfg and makes the server's private folder. Close removes it.
func New(cfg Config) (*Server, error) {
	cfg.Lang = cmp.Or(cfg.Lang, ruleset.LangZh)
	if cfg.Engines[cfg.Lang] == nil {
		return nil, fmt.Errorf("serve: no engine for language %q", cfg.Lang)
	}
	cfg.MaxUpload = cmp.Or(cfg.MaxUpload, DefaultMaxUpload)
	cfg.MaxConcurrent = cmp.Or(cfg.MaxConcurrent, runtime.NumCPU())
	cfg.QueueWait = cmp.Or(cfg.QueueWait, DefaultQueueWait)
	cfg.RequestTimeout = cmp.Or(cfg.RequestTimeout, DefaultRequestTimeout)
	cfg.BatchTTL = cmp.Or(cfg.BatchTTL, DefaultBatchTTL)
	cfg.MaxBatches = cmp.Or(cfg.MaxBatches, DefaultMaxBatches)
	dir, err := os.MkdirTemp(cfg.TempDir, "budgetcheck-serve-*")
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	s := &Server{
		cfg:     cfg,
		dir:     dir,
		slots:   make(chan struct{}, cfg.MaxConcurrent),
		batches: newStore(cfg.MaxBatches, cfg.BatchTTL),
		token:   sha256.Sum256([]byte(cfg.Token)),
		fixed:   map[string]Engine{},
	}
	s.routes()
	return s, nil
}

// Close forgets the batches and removes the private folder.
func (s *Server) Close() error {
	s.batches.clear()
	return os.RemoveAll(s.dir)
}

func (s *Server) routes() {
	m := http.NewServeMux()
	// The API.
	m.HandleFunc("GET /healthz", s.healthz)
	m.HandleFunc("GET /v1/openapi.json", s.openAPI)
	m.HandleFunc("GET /v1/rulesets", s.rulesets)
	m.HandleFunc("POST /v1/check", s.limited(s.check))
	m.HandleFunc("POST /v1/batch", s.limited(s.batch))
	// The web page.
	m.HandleFunc("GET /{$}", s.index)
	m.Handle("GET /assets/", http.StripPrefix("/assets/", assetServer()))
	m.HandleFunc("POST /b", s.newBatch)
	m.HandleFunc("POST /b/{id}/files", s.limited(s.addFiles))
	m.HandleFunc("GET /b/{id}", s.batchPage)
	m.HandleFunc("GET /b/{id}/summary.xlsx", s.summaryXLSX)
	m.HandleFunc("GET /b/{id}/results.json", s.resultsJSON)
	m.HandleFunc("GET /b/{id}/register.xlsx", s.limited(s.registerXLSX))
	m.HandleFunc("GET /b/{id}/letters.zip", s.limited(s.lettersZip))
	m.HandleFunc("GET /b/{id}/w/{k}/annotated.xlsx", s.limited(s.annotatedXLSX))
	m.HandleFunc("GET /b/{id}/p/{n}", s.projectPage)
	m.HandleFunc("GET /b/{id}/p/{n}/result.json", s.projectJSON)
	m.HandleFunc("GET /b/{id}/p/{n}/report.html", s.projectReport)
	s.mux = m
}

// ServeHTTP checks the host and the token, sets the security headers and
// hands the request to its route.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	lang := r.URL.Query().Get("lang")
	if s.cfg.Engines[lang] == nil {
		lang = s.cfg.Lang
	}
	r = r.WithContext(context.WithValue(r.Context(), langKey{}, lang))
	if s.cfg.Loopback && !loopbackHost(r.Host) {
		writeError(w, r, http.StatusMisdirectedRequest, "bad_host", "this server answers requests for 127.0.0.1, localhost or [::1] only", "本服务只接受发往 127.0.0.1、localhost 或 [::1] 的请求")
		return
	}
	if !s.authorized(w, r) {
		return
	}
	// A form or script on another site must not drive the page's uploads.
	if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/b") {
		if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
			writeError(w, r, http.StatusForbidden, "cross_site", "uploads to the page come from the page only", "只接受本页面发出的上传")
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// pageCSP lets the pages load their own script, style and images and
// nothing else: no inline script, no other origin.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// tokenCookie carries the token for the page once it was given in the URL.
const tokenCookie = "budgetcheck_token"

// authorized checks the token (when one is set) with a constant-time
// compare: the Authorization header, the cookie, or ?token= on the page,
// which then sets the cookie and redirects to the address without it.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.Token == "" {
		return true
	}
	if r.URL.Path == "/healthz" {
		return true // liveness carries no data
	}
	given := ""
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
		given = strings.TrimPrefix(auth, "Bearer ")
	} else if c, err := r.Cookie(tokenCookie); err == nil {
		given = c.Value
	}
	if q := r.URL.Query().Get("token"); q != "" && r.Method == http.MethodGet && s.tokenOK(q) {
		http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: q, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
		u := *r.URL
		qs := u.Query()
		qs.Del("token")
		u.RawQuery = qs.Encode()
		http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
		return false
	}
	if s.tokenOK(given) {
		return true
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="budgetcheck"`)
	writeError(w, r, http.StatusUnauthorized, "unauthorized", "a token is required: Authorization: Bearer TOKEN, or open the page once as /?token=TOKEN", "需要令牌：请求头 Authorization: Bearer TOKEN，或在浏览器中打开一次 /?token=TOKEN")
	return false
}

// tokenOK compares digests, so that neither the content nor the length of
// the token leaks through timing.
func (s *Server) tokenOK(given string) bool {
	sum := sha256.Sum256([]byte(given))
	return given != "" && subtle.ConstantTimeCompare(sum[:], s.token[:]) == 1
}

// loopbackHost reports whether a Host header names this machine's loopback.
func loopbackHost(host string) bool {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	h = strings.Trim(h, "[]")
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// limited runs h with a place among MaxConcurrent and within RequestTimeout;
// past QueueWait without a place it answers 429.
func (s *Server) limited(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.cfg.MaxUpload {
			// refused before it takes a place, and before a byte of it is read
			answerError(w, r, tooLarge(s.cfg.MaxUpload))
			return
		}
		wait := time.NewTimer(s.cfg.QueueWait)
		defer wait.Stop()
		select {
		case s.slots <- struct{}{}:
		case <-wait.C:
			w.Header().Set("Retry-After", "1")
			writeError(w, r, http.StatusTooManyRequests, "too_many_requests", fmt.Sprintf("the server is evaluating %d requests already; try again shortly", cap(s.slots)), fmt.Sprintf("服务器正在评估 %d 个请求，请稍后再试", cap(s.slots)))
			return
		case <-r.Context().Done():
			return
		}
		defer func() { <-s.slots }()
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload)
		h(w, r.WithContext(ctx))
	}
}

// rulesetEngine is the engine that judges every submission with the
// ruleset called name (a manifest name, or what ForRuleset accepts).
func (s *Server) rulesetEngine(lang, name string, e Engine) (Engine, error) {
	if rs := e.Rulesets(); len(rs) == 1 && rs[0].Manifest.Name == name {
		return e, nil
	}
	if s.cfg.ForRuleset == nil {
		return nil, errors.New("no such ruleset")
	}
	s.fixedMu.Lock()
	defer s.fixedMu.Unlock()
	key := lang + "\x00" + name
	if f := s.fixed[key]; f != nil {
		return f, nil
	}
	f, err := s.cfg.ForRuleset(lang, name)
	if err != nil {
		return nil, err
	}
	s.fixed[key] = f
	return f, nil
}

// rulesetNames names the rulesets of e, for messages and the page.
func rulesetNames(e Engine, versions bool) string {
	var names []string
	for _, rs := range e.Rulesets() {
		n := rs.Manifest.Name
		if versions {
			n += " " + rs.Manifest.Version
		}
		names = append(names, n)
	}
	return strings.Join(names, ", ")
}

// engine is the engine of lang; "" is the server's language.
func (s *Server) engine(lang string) (Engine, string, error) {
	lang = cmp.Or(lang, s.cfg.Lang)
	e := s.cfg.Engines[lang]
	if e == nil {
		return nil, "", errors.New("lang: use zh or en")
	}
	return e, lang, nil
}
