package serve_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator/serve"
)

// BenchmarkCheckSeed is one POST /v1/check of the seed through the server's
// handler (no network): read the body, parse, derive, both queries, collect,
// write the JSON answer. The server CPU per request that .ci/load reports is
// this plus the network and HTTP of a real connection.
//
//	go test -run '^$' -bench CheckSeed -benchmem ./evaluator/serve/
func BenchmarkCheckSeed(b *testing.B) {
	srv, err := serve.New(serve.Config{Engines: testEngines(b), ForRuleset: forRuleset, TempDir: b.TempDir(), Loopback: true})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	seed := read(b, seedPath)
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/v1/check", bytes.NewReader(seed))
		r.Header.Set("Content-Type", "application/yaml")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
