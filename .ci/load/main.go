// Command load measures `budgetcheck serve` on loopback and puts it through
// the faults a server on an office network meets. Not a test: it prints
// figures for the README.
//
//	go run -C .ci/load .                 # build, start, measure, stop
//	go run -C .ci/load . -duration 5s    # shorter runs per level
//	go run -C .ci/load . -clients 8 -levels-only -bin /tmp/old/budgetcheck   # another revision's binary, load only
//
// It builds budgetcheck, starts `budgetcheck serve --addr 127.0.0.1:0`,
// posts the seed to POST /v1/check with 1, 8 and 32 concurrent clients
// (p50, p99, throughput, statuses), then a run against a server with a
// small --max-concurrent to show the designed 429s, then the faults (a client
// that disconnects mid-upload, a malformed multipart body, a 1 GB body with
// and without Content-Length, a zip bomb, slow-header clients), checking
// after each that the server still answers, and last SIGTERM with requests
// in flight, which must finish. Every request goes to 127.0.0.1 only; every
// loop is bounded in count and time.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

var (
	root       = flag.String("root", "../..", "the repository")
	duration   = flag.Duration("duration", 10*time.Second, "length of each load level")
	maxReqs    = flag.Int("max-requests", 20000, "most requests per load level")
	levels     = flag.String("clients", "1,8,32", "concurrent clients of each level")
	serverGOGC = flag.String("server-gogc", "", "GOGC of the server only (default: the server's own choice)")
	serverArgs = flag.String("server-args", "", "more arguments for `budgetcheck serve` under load (e.g. \"--max-concurrent 2\")")
	binary     = flag.String("bin", "", "this budgetcheck binary, not one built from -root (to compare revisions)")
	levelsOnly = flag.Bool("levels-only", false, "measure the load levels only: no 429 run, no faults, no SIGTERM")
)

func main() {
	// Pdeathsig follows the thread that started the server: keep it the main one.
	runtime.LockOSThread()
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run() error {
	tmp, err := os.MkdirTemp("", "budgetcheck-load-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := *binary
	if bin == "" {
		bin = filepath.Join(tmp, "budgetcheck")
		build := exec.Command("go", "build", "-o", bin, "./cmd/budgetcheck")
		build.Dir, build.Stdout, build.Stderr = *root, os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build: %w", err)
		}
	}
	seed, err := os.ReadFile(filepath.Join(*root, "fixtures/qingbaijiang-2021/submission.yaml"))
	if err != nil {
		return err
	}
	workbook, err := os.ReadFile(filepath.Join(*root, "fixtures/xlsx/form.xlsx"))
	if err != nil {
		return err
	}
	fmt.Printf("budgetcheck serve on loopback, %d CPUs, load average %s\n\n", numCPU(), loadAvg())

	// 1. Latency and throughput at 1, 8, 32 clients.
	srv, err := startServer(bin, strings.Fields(*serverArgs)...)
	if err != nil {
		return err
	}
	defer srv.stop()
	for range 20 { // warm up
		if st, _ := checkSeed(srv.url, seed); st != 200 {
			return fmt.Errorf("warm-up: status %d", st)
		}
	}
	fmt.Println("| clients | requests | p50 | p99 | max | throughput | server CPU per request | statuses | peak RSS | load average |")
	fmt.Println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |")
	for _, f := range strings.Split(*levels, ",") {
		n, _ := strconv.Atoi(f)
		cpu := srv.cpu()
		r := loadLevel(srv.url, seed, n, *duration, *maxReqs)
		perReq := (srv.cpu() - cpu) / time.Duration(max(r.count, 1))
		fmt.Printf("| %d | %d | %s | %s | %s | %.0f req/s | %s | %s | %s | %s |\n", n, r.count, ms(r.p(50)), ms(r.p(99)), ms(r.p(100)), r.rate, ms(perReq), r.statuses(), mib(srv.peakRSS()), loadAvg())
		if bad := r.unexpected(); bad > 0 {
			fmt.Printf("\n**%d unexpected answers at %d clients**: %v\n", bad, n, r.errs)
		}
	}

	if *levelsOnly {
		return nil
	}

	// 2. Designed 429s: a server that evaluates 2 at once and waits 50 ms.
	small, err := startServer(bin, "--max-concurrent", "2", "--queue-wait", "50ms")
	if err != nil {
		return err
	}
	r := loadLevel(small.url, seed, 32, *duration/2, *maxReqs)
	small.stop()
	fmt.Printf("\n--max-concurrent 2 --queue-wait 50ms, 32 clients: %d requests, %s, p50 %s, p99 %s (429 is the designed answer, with Retry-After)\n",
		r.count, r.statuses(), ms(r.p(50)), ms(r.p(99)))

	// 3. Faults, each followed by a check that the server still serves.
	fmt.Println("\n| fault | what the server did | then |")
	fmt.Println("| --- | --- | --- |")
	fault := func(name string, do func() string) {
		what := do()
		st, d := checkSeed(srv.url, seed)
		then := fmt.Sprintf("seed check %d in %s", st, ms(d))
		if st != 200 {
			then = "**NOT SERVING: " + then + "**"
		}
		fmt.Printf("| %s | %s | %s |\n", name, what, then)
	}
	fault("client disconnects mid-upload (1 MB declared, 100 KB sent)", func() string { return midUpload(srv.url) })
	fault("malformed multipart body", func() string { return malformed(srv.url) })
	fault("1 GB body with Content-Length", func() string { return bigBody(srv.url, true) })
	fault("1 GB body, chunked (no length)", func() string { return bigBody(srv.url, false) })
	fault("zip bomb (.xlsx: 1 GiB sheet, ~1 MB compressed)", func() string { return zipBomb(srv.url) })
	fault("50 slow-header clients (1 byte/s)", func() string { return slowHeaders(srv.url, 50, seed) })
	fault("workbook upload (8 projects) to /v1/batch", func() string {
		st, d := post(srv.url+"/v1/batch", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes.NewReader(workbook))
		return fmt.Sprintf("%d in %s", st, ms(d))
	})
	fmt.Printf("\npeak RSS of the server over the whole run: %s\n", mib(srv.peakRSS()))

	// 4. SIGTERM with requests in flight.
	fmt.Printf("\nSIGTERM: %s\n", drain(srv, seed))
	return nil
}

// server is a running `budgetcheck serve`.
type server struct {
	cmd  *exec.Cmd
	url  string
	done chan error
	log  *bytes.Buffer
}

var listening = regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)

func startServer(bin string, args ...string) (*server, error) {
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	if *serverGOGC != "" {
		cmd.Env = append(os.Environ(), "GOGC="+*serverGOGC)
	}
	// The server goes when this program goes, however it ends.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, done: make(chan error, 1), log: &bytes.Buffer{}}
	lines := bufio.NewScanner(stderr)
	deadline := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	for lines.Scan() {
		s.log.WriteString(lines.Text() + "\n")
		if m := listening.FindStringSubmatch(lines.Text()); m != nil {
			s.url = "http://" + m[1]
			break
		}
	}
	deadline.Stop()
	if s.url == "" {
		cmd.Wait()
		return nil, fmt.Errorf("the server did not start:\n%s", s.log)
	}
	go func() {
		for lines.Scan() {
			s.log.WriteString(lines.Text() + "\n")
		}
		s.done <- cmd.Wait()
	}()
	return s, nil
}

func (s *server) stop() {
	if s.cmd.ProcessState == nil {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(20 * time.Second):
			s.cmd.Process.Kill()
		}
	}
}

// cpu is the CPU time the server has used (user and system), from
// /proc/PID/stat: a figure that the other processes on the machine do not
// inflate as they do the latencies.
func (s *server) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// the fields after the command name, which is in parentheses
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	const clockTicks = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// peakRSS is the server's high-water mark of resident memory (VmHWM).
func (s *server) peakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(b)
	if m == nil {
		return 0
	}
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return kb << 10
}

var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 2 * time.Minute}

func post(url, contentType string, body io.Reader) (int, time.Duration) {
	start := time.Now()
	resp, err := client.Post(url, contentType, body)
	if err != nil {
		return 0, time.Since(start)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, time.Since(start)
}

func checkSeed(url string, seed []byte) (int, time.Duration) {
	return post(url+"/v1/check", "application/yaml", bytes.NewReader(seed))
}

type levelResult struct {
	count int
	rate  float64
	lat   []time.Duration
	codes map[int]int
	errs  []string
}

func (r levelResult) p(q int) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	i := (len(r.lat)*q + 99) / 100
	return r.lat[min(max(i-1, 0), len(r.lat)-1)]
}

func (r levelResult) statuses() string {
	var parts []string
	for _, c := range slices.Sorted(maps.Keys(r.codes)) {
		name := strconv.Itoa(c)
		if c == 0 {
			name = "connection error"
		}
		parts = append(parts, fmt.Sprintf("%s×%d", name, r.codes[c]))
	}
	return strings.Join(parts, ", ")
}

// unexpected counts answers other than 200 and the designed 429.
func (r levelResult) unexpected() int {
	n := 0
	for c, k := range r.codes {
		if c != 200 && c != 429 {
			n += k
		}
	}
	return n
}

// loadLevel posts the seed from n clients for d (at most max requests).
func loadLevel(url string, seed []byte, n int, d time.Duration, max int) levelResult {
	r := levelResult{codes: map[int]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	stop := time.Now().Add(d)
	var issued int
	start := time.Now()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				mu.Lock()
				if issued >= max {
					mu.Unlock()
					return
				}
				issued++
				mu.Unlock()
				st, lat := checkSeed(url, seed)
				mu.Lock()
				r.codes[st]++
				if st == 200 {
					r.lat = append(r.lat, lat)
				} else if st != 429 && len(r.errs) < 5 {
					r.errs = append(r.errs, fmt.Sprintf("status %d after %s", st, lat))
				}
				r.count++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	r.rate = float64(r.count) / time.Since(start).Seconds()
	slices.Sort(r.lat)
	return r
}

func host(url string) string { return strings.TrimPrefix(url, "http://") }

// midUpload declares 1 MB, sends 100 KB of it and hangs up.
func midUpload(url string) string {
	c, err := net.Dial("tcp", host(url))
	if err != nil {
		return err.Error()
	}
	fmt.Fprintf(c, "POST /v1/check HTTP/1.1\r\nHost: %s\r\nContent-Type: application/yaml\r\nContent-Length: %d\r\n\r\n", host(url), 1<<20)
	c.Write(bytes.Repeat([]byte("# padding line\n"), 100<<10/15))
	c.Close()
	return "the handler's read fails; nothing to answer, connection closed"
}

// malformed sends a multipart body whose boundary never closes.
func malformed(url string) string {
	body := "--xx\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.yaml\"\r\n\r\nschema: budgetcheck/v1\r\n--x"
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/check", strings.NewReader(body))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=xx")
	return answer(req)
}

// zeros is an endless reader of zero bytes: a big body without allocating it.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// bigBody streams 1 GiB of YAML comment lines, with or without Content-Length.
func bigBody(url string, withLength bool) string {
	const size = 1 << 30
	body := io.LimitReader(zeros{}, size)
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/check", body)
	req.Header.Set("Content-Type", "application/yaml")
	if withLength {
		req.ContentLength = size
	} else {
		req.ContentLength = -1 // chunked
	}
	return answer(req)
}

// zipBomb posts an .xlsx whose one sheet inflates to 1 GiB.
func zipBomb(url string) string {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestCompression) })
	add := func(name, content string) {
		w, _ := zw.Create(name)
		io.WriteString(w, content)
	}
	add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	add("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="申报表" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	io.Copy(w, io.LimitReader(spaces{}, 1<<30))
	io.WriteString(w, `</sheetData></worksheet>`)
	zw.Close()
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/check?name=bomb.xlsx", bytes.NewReader(buf.Bytes()))
	req.Header.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return fmt.Sprintf("%d KB upload: %s", buf.Len()>>10, answer(req))
}

type spaces struct{}

func (spaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// answer sends req and says what came back: status, error code, time.
func answer(req *http.Request) string {
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Sprintf("connection ended after %s (%v)", ms(time.Since(start)), shortErr(err))
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	// an error answer, or a result document that did not load: {"errors": [{"code": …}]}
	var doc struct {
		Errors []struct{ Code string } `json:"errors"`
	}
	c := ""
	if json.Unmarshal(b, &doc) == nil && len(doc.Errors) > 0 {
		c = " " + doc.Errors[0].Code
	}
	return fmt.Sprintf("%d%s in %s", resp.StatusCode, c, ms(time.Since(start)))
}

func shortErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}

// slowHeaders opens n connections that send a request's header one byte a
// second; meanwhile the seed is checked. Each must be dropped by the
// server's ReadHeaderTimeout.
func slowHeaders(url string, n int, seed []byte) string {
	header := "POST /v1/check HTTP/1.1\r\nHost: " + host(url) + "\r\nContent-Type: application/yaml\r\nX-Slow: " + strings.Repeat("a", 60) + "\r\n"
	var wg sync.WaitGroup
	var mu sync.Mutex
	var dropped []time.Duration
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", host(url))
			if err != nil {
				return
			}
			defer c.Close()
			start := time.Now()
			for i := 0; i < len(header) && time.Since(start) < 40*time.Second; i++ {
				if _, err := c.Write([]byte{header[i]}); err != nil {
					break
				}
				time.Sleep(time.Second)
				c.SetReadDeadline(time.Now().Add(time.Millisecond))
				if _, err := c.Read(make([]byte, 1)); err != nil && !isTimeout(err) {
					break // the server closed
				}
			}
			mu.Lock()
			dropped = append(dropped, time.Since(start))
			mu.Unlock()
		}()
	}
	time.Sleep(2 * time.Second)
	st, d := checkSeed(url, seed)
	wg.Wait()
	slices.Sort(dropped)
	return fmt.Sprintf("all %d dropped after %s–%s (ReadHeaderTimeout 10s); seed check meanwhile %d in %s", len(dropped), secs(dropped[0]), secs(dropped[len(dropped)-1]), st, ms(d))
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// drain starts requests that upload slowly, sends SIGTERM while they are in
// flight, and checks that they finish with 200, that new connections are
// refused, and that the process exits 0.
func drain(s *server, seed []byte) string {
	const inflight = 4
	results := make(chan int, inflight)
	for range inflight {
		go func() {
			pr, pw := io.Pipe()
			go func() {
				for i := 0; i < len(seed); i += len(seed) / 10 {
					pw.Write(seed[i:min(i+len(seed)/10, len(seed))])
					time.Sleep(200 * time.Millisecond)
				}
				pw.Close()
			}()
			st, _ := post(s.url+"/v1/check", "application/yaml", pr)
			results <- st
		}()
	}
	time.Sleep(500 * time.Millisecond)
	start := time.Now()
	s.cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(200 * time.Millisecond)
	_, err := net.DialTimeout("tcp", host(s.url), time.Second)
	refused := err != nil
	var codes []int
	for range inflight {
		codes = append(codes, <-results)
	}
	var exit error
	select {
	case exit = <-s.done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		exit = errors.New("did not exit within 30 s")
	}
	return fmt.Sprintf("%d slow uploads in flight answered %v; new connections refused after the signal: %v; exit %v after %s",
		inflight, codes, refused, exitText(exit), ms(time.Since(start)))
}

func exitText(err error) string {
	if err == nil {
		return "0"
	}
	return err.Error()
}

func ms(d time.Duration) string   { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }
func mib(n int64) string          { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }

func numCPU() int {
	b, _ := os.ReadFile("/proc/cpuinfo")
	return max(1, bytes.Count(b, []byte("processor\t:")))
}

func loadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
