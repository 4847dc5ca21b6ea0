package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/serve"
)

type serveOptions struct {
	policyOptions
	Addr           string
	Token          string
	TokenFile      string
	MaxUpload      int64
	MaxConcurrent  int
	QueueWait      time.Duration
	RequestTimeout time.Duration
	BatchTTL       time.Duration
	FiscalYear     int
	Profile        string
}

// NewServeCommand builds `budgetcheck serve`.
func NewServeCommand() *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the review web page and the HTTP API",
		Long: `Serve a web page for reviewers and a JSON API for the budget management system,
with the ruleset prepared once and shared by every request.

The page (Chinese, with an English switch; everything embedded, nothing fetched from
elsewhere): drop or pick 申报表 workbooks and YAML/JSON submissions, see a table of the
projects (项目编码, name, unit, grade or conclusion, score, problem counts) with filters and
sorting, open a project for its findings and 审核意见 with the cell or line of each, and
download summary.xlsx, the result JSON and the printable report.

The API (described by GET /v1/openapi.json):
  POST /v1/check     one submission (YAML/JSON body, an .xlsx body, or multipart) → result document
  POST /v1/batch     several files, or a workbook → results, import warnings and summary
  GET  /v1/rulesets  the ruleset(s)
  GET  /healthz      liveness
Query options ?lang=zh|en, ?ruleset=NAME, ?fiscal_year=N. Errors are JSON
({"errors": [{code, location, message}]}, the codes of check) with status 400 (bad
request), 413 (too large), 415 (not a submission or workbook), 422 (the submission does
not load), 429 (too many at once), 500 (the policies failed).

Security: it listens on 127.0.0.1 unless told otherwise, and then answers only requests
addressed to a loopback name. Any other address needs --token or --token-file (checked
on every request, constant-time; the page takes it once as /?token=…), else it refuses
to start. Uploads are capped (--max-upload), evaluations run at most --max-concurrent at
once (429 past a short wait), every request has a deadline, and uploaded batches are kept
in memory for --batch-ttl only. SIGTERM or Ctrl-C stops accepting and lets the requests
in flight finish.`,
		Example: `  # the page on this machine: open http://127.0.0.1:8080/
  budgetcheck serve

  # for colleagues on the office network, with a token
  budgetcheck serve --addr 0.0.0.0:8080 --token-file /etc/budgetcheck/token

  # the API
  curl --data-binary @submission.yaml -H 'Content-Type: application/yaml' http://127.0.0.1:8080/v1/check
  curl -F file=@申报表.xlsx 'http://127.0.0.1:8080/v1/batch?fiscal_year=2023'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServe(cmd.Context(), o, cmd.ErrOrStderr())
		},
	}
	o.addFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&o.Addr, "addr", "127.0.0.1:8080", "address to listen on (anything but loopback needs --token or --token-file)")
	f.StringVar(&o.Token, "token", "", "token every request must carry (Authorization: Bearer TOKEN)")
	f.StringVar(&o.TokenFile, "token-file", "", "file holding the token (better than --token: not in the process list)")
	f.Int64Var(&o.MaxUpload, "max-upload", serve.DefaultMaxUpload, "largest request body and workbook, in bytes")
	f.IntVar(&o.MaxConcurrent, "max-concurrent", 0, "requests evaluated at once (default: one per CPU); more wait --queue-wait, then get 429")
	f.DurationVar(&o.QueueWait, "queue-wait", serve.DefaultQueueWait, "how long a request waits for a place before 429")
	f.DurationVar(&o.RequestTimeout, "request-timeout", serve.DefaultRequestTimeout, "longest work on one request")
	f.DurationVar(&o.BatchTTL, "batch-ttl", serve.DefaultBatchTTL, "how long the page keeps an upload's results")
	f.StringVar(&o.Profile, "cpuprofile", "", "write a CPU profile (pprof) of the requests served, from the first to the stop, to this file")
	_ = f.MarkHidden("cpuprofile")
	addFiscalYearFlag(cmd, &o.FiscalYear)
	return cmd
}

// newServeEngine prepares, now, the engines the server shares for lang:
// those of check and batch, which choose the procedure by the submission.
func newServeEngine(ctx context.Context, o policyOptions, lang string) (*evaluator.Engines, error) {
	o.Lang = lang
	o.schedule = true // the server offers the printable report and the result JSON, both with the schedule
	e, err := newEngines(ctx, o)
	if err != nil {
		return nil, err
	}
	return e, e.Prepare(ctx)
}

func runServe(ctx context.Context, o serveOptions, stderr io.Writer) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := o.validate(); err != nil {
		return exitCode(ExitInput, err)
	}
	token, err := readToken(o.Token, o.TokenFile)
	if err != nil {
		return exitCode(ExitInput, err)
	}
	refuse := fmt.Errorf("--addr %s listens beyond this machine: give --token or --token-file, or listen on 127.0.0.1", o.Addr)
	if !loopbackAddr(o.Addr) && token == "" {
		return exitCode(ExitInput, refuse) // before listening at all
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return exitCode(ExitInput, fmt.Errorf("--addr: %w", err))
	}
	defer ln.Close()
	loopback := ln.Addr().(*net.TCPAddr).IP.IsLoopback()
	if !loopback && token == "" {
		return exitCode(ExitInput, refuse)
	}
	serverGC()
	// One copy of the compiled rulesets serves both languages (only the
	// texts differ): the server starts at 47 MiB instead of 58 and prepares
	// two engines instead of four. The ?ruleset= engines (ForRuleset) are
	// still prepared once per language.
	zh, err := newServeEngine(ctx, o.policyOptions, ruleset.LangZh)
	if err != nil {
		return exitCode(ExitInput, fmt.Errorf("ruleset: %w", err))
	}
	engines := map[string]serve.Engine{ruleset.LangZh: zh, ruleset.LangEn: zh.InLang(ruleset.LangEn)}
	srv, err := serve.New(serve.Config{
		Engines: engines, Lang: o.Lang, Token: token,
		ForRuleset: func(lang, name string) (serve.Engine, error) {
			po := o.policyOptions
			po.Ruleset = name
			return newServeEngine(ctx, po, lang)
		},
		MaxUpload: o.MaxUpload, MaxConcurrent: o.MaxConcurrent, QueueWait: o.QueueWait,
		RequestTimeout: o.RequestTimeout, BatchTTL: o.BatchTTL, FiscalYear: o.FiscalYear,
		Version: buildVersion(), Loopback: loopback,
	})
	if err != nil {
		return exitCode(ExitInternal, err)
	}
	defer srv.Close()
	if o.Profile != "" {
		pf, err := os.Create(o.Profile)
		if err != nil {
			return exitCode(ExitInput, fmt.Errorf("--cpuprofile: %w", err))
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return exitCode(ExitInternal, err)
		}
		defer pprof.StopCPUProfile()
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       o.RequestTimeout,
		WriteTimeout:      o.RequestTimeout + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	fmt.Fprintf(stderr, "budgetcheck serve: http://%s/ (API: /v1/openapi.json)\n", ln.Addr())
	select {
	case err := <-done:
		return exitCode(ExitInternal, err)
	case <-ctx.Done():
	}
	stop() // a second signal ends the process at once
	fmt.Fprintln(stderr, "budgetcheck serve: stopping; finishing the requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), o.RequestTimeout+30*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return exitCode(ExitInternal, fmt.Errorf("shutdown: %w", err))
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return exitCode(ExitInternal, err)
	}
	fmt.Fprintln(stderr, "budgetcheck serve: stopped")
	return nil
}

// loopbackAddr reports whether addr names a loopback host (an empty host
// is every interface).
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// readToken returns the token of --token or --token-file (trimmed).
func readToken(token, file string) (string, error) {
	if token != "" && file != "" {
		return "", errors.New("give --token or --token-file, not both")
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("--token-file: %w", err)
		}
		token = strings.TrimSpace(string(b))
		if token == "" {
			return "", fmt.Errorf("--token-file %s is empty", file)
		}
	}
	if token != "" && len(token) < 16 {
		return "", errors.New("the token is shorter than 16 characters: use a long random one (e.g. openssl rand -hex 16)")
	}
	return token, nil
}

// serverGC makes the collector run less often than Go's default, unless GOGC
// or GOMEMLIMIT is set. An evaluation makes much short-lived garbage and the
// server holds little (the two engines), so each collection costs the same
// whatever it collects: per request of the seed, the whole server ran 46.4M
// instructions at GOGC 200, 41.9M at 400, 39.4M at 800 (callgrind), and the
// collections are what make one request slower than the next (p99 at 8
// clients 93–100 ms at 400, 85–93 ms at 800; README "Performance"). The
// heap then grows to about nine times what is live (peak RSS near 150 MiB
// under the load script), so a soft limit keeps a server holding large
// uploads from growing past 512 MiB: near it Go collects more often instead.
func serverGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(800)
	debug.SetMemoryLimit(serverMemoryLimit)
}

const serverMemoryLimit = 512 << 20
