package serve_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/serve"
	"github.com/budgetcheck/budgetcheck/fixtures/xlsx/district"
)

// findChromium finds Debian's Chromium, or skips (fails when
// BUDGETCHECK_REQUIRE_CHROMIUM is set, as in CI).
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("BUDGETCHECK_REQUIRE_CHROMIUM") != "" {
		t.Fatal("BUDGETCHECK_REQUIRE_CHROMIUM is set but no chromium is on PATH")
	}
	t.Skip("no chromium on PATH: the browser test of the review page is skipped (.ci/run installs Debian's chromium)")
	return ""
}

// tableRow is a row of the table of projects as the page shows it.
type tableRow struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Unit    string `json:"unit"`
	Outcome string `json:"outcome"`
	Score   string `json:"score"`
	Errors  string `json:"errors"`
	Hidden  bool   `json:"hidden"`
}

const readTable = `Array.from(document.querySelectorAll('#projects tbody tr')).map(tr => ({
  code: tr.cells[1].textContent.trim(), name: tr.querySelector('a.project').textContent.trim(),
  unit: tr.cells[3].textContent.trim(), outcome: tr.querySelector('.outcome').textContent.trim(),
  score: tr.querySelector('.score').textContent.trim(), errors: tr.cells[6].textContent.trim(),
  hidden: tr.hidden}))`

// TestPageInChromium drives the review page in headless Chromium as a
// reviewer would: upload the seed and a workbook, read the table, filter
// and sort it, open a project, download summary.xlsx and read it back,
// switch to English. Screenshots go to a temporary folder, or to
// BUDGETCHECK_SERVE_SHOTS to keep them.
func TestPageInChromium(t *testing.T) {
	b := newTab(t)
	do, shot, text, table, ctx := b.do, b.shot, b.text, b.table, b.ctx
	url, _ := start(t, serve.Config{})
	downloads := t.TempDir()
	shots := b.shots
	seed, _ := filepath.Abs(seedPath)
	workbook, _ := filepath.Abs(workbookPath)
	broken, _ := filepath.Abs("../../fixtures/invalid/amount-negative.yaml")

	// Upload: pick the seed and the workbook; the page uploads them one by
	// one and opens the table.
	do("open the page", chromedp.Navigate(url+"/"), chromedp.WaitVisible(chromedp.CSS("#drop")))
	if h := text("h1"); h != "预算项目审核" {
		t.Errorf("the page's heading is %q, want Chinese", h)
	}
	shot("1-upload.png")
	// A file that is neither a submission nor a workbook is refused, and the
	// drop zone comes back.
	notes := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notes, []byte("not a budget"), 0o644); err != nil {
		t.Fatal(err)
	}
	do("upload a text file", chromedp.SetUploadFiles(chromedp.CSS("#files"), []string{notes}), chromedp.WaitVisible(chromedp.CSS("#log li.error")), chromedp.WaitVisible(chromedp.CSS("#drop")))
	if got := text("#log"); !strings.Contains(got, "notes.txt") || !strings.Contains(got, "unsupported_media_type") {
		t.Errorf("the refusal reads %q", got)
	}
	shot("1b-refused.png")
	do("upload", chromedp.SetUploadFiles(chromedp.CSS("#files"), []string{seed, workbook, broken}))
	do("wait for the table", chromedp.WaitVisible(chromedp.CSS("#projects tbody tr")))
	rows := table()
	if len(rows) != 10 {
		t.Fatalf("%d rows, want 10 (the seed, the workbook's 8 projects, a file that does not load): %+v", len(rows), rows)
	}
	if r := rows[9]; r.Name != "amount-negative.yaml" || r.Outcome != "无法评估 (2)" || r.Score != "" {
		t.Errorf("the file that does not load reads %+v, want 无法评估 with its 2 problems", r)
	}
	seedRow := slices.IndexFunc(rows, func(r tableRow) bool { return r.Name == "政务服务综合管理平台建设运维项目" })
	if seedRow < 0 {
		t.Fatalf("no row for the seed: %+v", rows)
	}
	if r := rows[seedRow]; r.Score != "70.13" || r.Outcome != "调整后予以支持" || r.Errors != "7" || r.Unit != "青白江区审批和营商环境局" {
		t.Errorf("the seed's row reads %+v, want score 70.13, 调整后予以支持, 7 errors", r)
	}
	hotline := slices.IndexFunc(rows, func(r tableRow) bool { return r.Code == "510113210000002" })
	// a workbook's project goes to the target review: a grade, no score
	if hotline < 0 || rows[hotline].Name != "政务服务热线运行项目" || !slices.Contains([]string{"优", "良", "中", "差"}, rows[hotline].Outcome) || rows[hotline].Score != "" {
		t.Errorf("no graded row for 项目编码 510113210000002 (政务服务热线运行项目): %+v", rows)
	}
	shot("2-table.png")

	// Filter by a finding code, then sort by score, highest first.
	do("filter", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('f-code'); s.value = 'COSTING_UNIT_MISMATCH'; s.dispatchEvent(new Event('change')); })()`))
	var shown []string
	for _, r := range table() {
		if !r.Hidden {
			shown = append(shown, r.Code)
		}
	}
	if strings.Join(shown, ",") != "510113210000002" || text("#shown") != "1" {
		t.Errorf("filtered by COSTING_UNIT_MISMATCH: %v shown (counter %s), want the hotline project only", shown, text("#shown"))
	}
	shot("3-filtered.png")
	do("clear the filter", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('f-code'); s.value = ''; s.dispatchEvent(new Event('change')); })()`))
	do("sort by score", chromedp.Click(chromedp.CSS(`th[data-sort="score"]`)), chromedp.Click(chromedp.CSS(`th[data-sort="score"]`)))
	sorted := table()
	for i := 1; i < len(sorted); i++ {
		var a, b float64
		fmt.Sscan(sorted[i-1].Score, &a)
		fmt.Sscan(sorted[i].Score, &b)
		if a < b {
			t.Errorf("sorted by score descending, row %d (%s) < row %d (%s)", i, sorted[i-1].Score, i+1, sorted[i].Score)
		}
	}

	// Download summary.xlsx and the workbook's annotated copy, and read them back.
	do("allow downloads", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: downloads, EventsEnabled: ptr(true),
		})
		return err
	}))
	download := func(what, sel string) string {
		t.Helper()
		progress := chromedp.Events(ctx, browser.DownloadProgress)
		do("download "+what, chromedp.Click(chromedp.CSS(sel)))
		for ev, err := range progress {
			if err != nil {
				t.Fatal(err)
			}
			if ev.State == browser.DownloadProgressStateCompleted {
				return filepath.Join(downloads, ev.GUID)
			}
			if ev.State == browser.DownloadProgressStateCanceled {
				t.Fatalf("the download of %s was cancelled", what)
			}
		}
		t.Fatalf("no download of %s", what)
		return ""
	}
	checkSummary(t, download("summary.xlsx", "#dl-summary"))
	if got := text("#dl-annotated-1"); got != "form.xlsx" {
		t.Errorf("the annotated copy's link reads %q, want form.xlsx", got)
	}
	checkAnnotated(t, download("the annotated form.xlsx", "#dl-annotated-1"))

	// Open the seed's project page: conclusion, score, findings with lines.
	do("open the seed", chromedp.Click(chromedp.Search(`//a[contains(@class,"project")][text()="政务服务综合管理平台建设运维项目"]`)), chromedp.WaitVisible(chromedp.CSS("#findings")))
	if got := text("#outcome"); got != "调整后予以支持" {
		t.Errorf("project page: conclusion %q", got)
	}
	if got := text("#score"); got != "70.13" {
		t.Errorf("project page: score %q", got)
	}
	if got := text("#recommended"); got != "222.445" {
		t.Errorf("project page: recommended %q", got)
	}
	findings := text("#findings")
	for _, want := range []string{"运维费提前支付", "submission.yaml 第196行", "PREPAID_MAINTENANCE"} {
		if !strings.Contains(findings, want) {
			t.Errorf("the findings table lacks %q", want)
		}
	}
	shot("4-project.png")

	// The printable report: styled under its CSP (its one style allowed by hash).
	projectURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('dl-report').href`))
	if err != nil {
		t.Fatal(err)
	}
	do("open the report", chromedp.Navigate(href), chromedp.WaitVisible(chromedp.CSS("body")))
	rules, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.styleSheets).reduce((n, s) => n + s.cssRules.length, 0)`))
	if err != nil || rules < 10 {
		t.Errorf("the report has %d CSS rules in force (%v): its style is blocked", rules, err)
	}
	if body := text("body"); !strings.Contains(body, "222.445") {
		t.Error("the report lacks 222.445")
	}
	shot("4b-report.png")
	do("back to the project", chromedp.Navigate(projectURL), chromedp.WaitVisible(chromedp.CSS("#findings")))

	// A file that does not load lists its problems with their lines.
	do("back", chromedp.Click(chromedp.CSS("#back")), chromedp.WaitVisible(chromedp.CSS("#projects")))
	do("open the broken file", chromedp.Click(chromedp.Search(`//a[contains(@class,"project")][text()="amount-negative.yaml"]`)), chromedp.WaitVisible(chromedp.CSS("#problems")))
	if p := text("#problems"); !strings.Contains(p, "amount-negative.yaml 第7行") || !strings.Contains(p, "amount-negative.yaml 第26行") || strings.Count(p, "invalid_amount") != 2 {
		t.Errorf("the problems of amount-negative.yaml: %s", p)
	}
	shot("5b-unreadable.png")

	// A workbook project names its cells.
	do("back", chromedp.Click(chromedp.CSS("#back")), chromedp.WaitVisible(chromedp.CSS("#projects")))
	do("open the hotline", chromedp.Click(chromedp.Search(`//a[contains(@class,"project")][text()="政务服务热线运行项目"]`)), chromedp.WaitVisible(chromedp.CSS("#findings")))
	if f := text("#findings"); !strings.Contains(f, "热线运行!F7") || !strings.Contains(f, "COSTING_UNIT_MISMATCH") {
		t.Errorf("the hotline's findings do not name 热线运行!F7: %s", f)
	}
	if n := text("#notes"); !strings.Contains(n, "热线运行!F7") || !strings.Contains(n, "COSTING_UNIT_MISMATCH") {
		t.Errorf("the 审核意见 do not name 热线运行!F7: %s", n)
	}
	if got := text("#project-code"); got != "510113210000002" {
		t.Errorf("project code %q", got)
	}
	shot("5-workbook-project.png")

	// English.
	do("English", chromedp.Click(chromedp.CSS("#lang-switch")), chromedp.WaitVisible(chromedp.CSS("#findings")))
	if got := text("#outcome"); got == "" || strings.ContainsAny(got, "予以支持") {
		t.Errorf("the English page's conclusion is %q", got)
	}
	shot("5c-workbook-project-en.png")
	do("back", chromedp.Click(chromedp.CSS("#back")), chromedp.WaitVisible(chromedp.CSS("#projects")))
	if h := text("h1"); h != "Review results" {
		t.Errorf("English heading %q", h)
	}
	if r := table(); len(r) != 10 || r[seedRow].Outcome != "Supported after adjustment" {
		t.Errorf("English table: %+v", r)
	}
	shot("6-table-en.png")
	t.Logf("screenshots in %s", shots)
}

// tab is a headless Chromium tab with the steps the tests take.
type tab struct {
	t     *testing.T
	ctx   context.Context
	shots string
}

// newTab starts Chromium (or skips) for t; screenshots go to a
// temporary folder, or to BUDGETCHECK_SERVE_SHOTS to keep them.
func newTab(t *testing.T) *tab {
	t.Helper()
	chromium := findChromium(t)
	b := &tab{t: t, shots: t.TempDir()}
	if keep := os.Getenv("BUDGETCHECK_SERVE_SHOTS"); keep != "" {
		b.shots = keep
		if err := os.MkdirAll(keep, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.WindowSize(1366, 900), chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("hide-scrollbars", true))
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	b.ctx, cancel = context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancel)
	return b
}

func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

func (b *tab) shot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// text is the visible text of the element sel, once it has some. The page
// finds and reads the element in one step: a node looked up first and read
// later can be gone by then (a CI run failed so, "No node with given id").
func (b *tab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Poll[string](fmt.Sprintf("document.querySelector(%q)?.innerText", sel), chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func (b *tab) table() []tableRow {
	b.t.Helper()
	rows, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]tableRow](readTable))
	if err != nil {
		b.t.Fatal(err)
	}
	return rows
}

func ptr[T any](v T) *T { return &v }

// checkAnnotated reads the downloaded annotated copy of form.xlsx: its first
// sheet is 审核意见 and the hotline's F7, whose costing unit does not match,
// carries the finding in its comment.
func checkAnnotated(t *testing.T, path string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("annotated copy: %v", err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); sheets[0] != "审核意见" {
		t.Errorf("the annotated copy's sheets are %q, want 审核意见 first", sheets)
	}
	comments, err := f.GetComments("热线运行")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range comments {
		if c.Cell == "F7" {
			text := ""
			for _, p := range c.Paragraph {
				text += p.Text
			}
			if !strings.Contains(text, "COSTING_UNIT_MISMATCH") {
				t.Errorf("the comment on 热线运行!F7 reads %q", text)
			}
			return
		}
	}
	t.Errorf("热线运行!F7 has no comment in the annotated copy")
}

// checkSummary reads the downloaded summary.xlsx: its 汇总 sheet has the
// seed's row with 70.13 and 调整后予以支持, and a row per project.
func checkSummary(t *testing.T, path string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("summary.xlsx: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("汇总")
	if err != nil {
		t.Fatalf("summary.xlsx: %v (sheets %v)", err, f.GetSheetList())
	}
	var projects int
	found := false
	for _, r := range rows {
		line := strings.Join(r, "|")
		if strings.Contains(line, "form.xlsx") || strings.Contains(line, "submission.yaml") {
			projects++
		}
		if strings.Contains(line, "政务服务综合管理平台建设运维项目") && strings.Contains(line, "70.13") && strings.Contains(line, "调整后予以支持") {
			found = true
		}
	}
	if !found {
		t.Errorf("summary.xlsx has no row for the seed with 70.13 and 调整后予以支持:\n%v", rows)
	}
	if projects != 9 {
		t.Errorf("summary.xlsx lists %d projects, want 9", projects)
	}
}

// TestDistrictFolderInChromium: a reviewer picks a district's export folder
// (15 workbooks, 300 projects, no year anywhere, a manifest and a stray
// expected.json beside them), gives the fiscal year, and gets one row per
// project; the project that cannot be read names its cell.
func TestDistrictFolderInChromium(t *testing.T) {
	b := newTab(t)
	url, _ := start(t, serve.Config{})
	dir := filepath.Join(t.TempDir(), "export")
	if _, err := district.Write(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "expected.json"), []byte(`{"score": {"total": "1"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("open the page", chromedp.Navigate(url+"/"), chromedp.WaitVisible(chromedp.CSS("#drop")))
	b.do("fiscal year", chromedp.SetValue(chromedp.CSS("#fiscal-year"), "2023"))
	// The folder picker takes the folder itself, as the native dialog gives it.
	b.do("pick the folder", chromedp.SetUploadFiles(chromedp.CSS("#folder"), []string{dir}))
	b.do("wait for the table", chromedp.WaitVisible(chromedp.CSS("#projects tbody tr")))
	if got := b.text("#counts"); !strings.HasPrefix(got, fmt.Sprintf("%d 个文件，%d 个项目", district.Workbooks, district.Projects)) {
		t.Errorf("counts %q, want %d files (the manifest and expected.json passed over) and %d projects", got, district.Workbooks, district.Projects)
	}
	rows := b.table()
	var unreadable []tableRow
	shared := 0
	for _, r := range rows {
		switch {
		case strings.HasPrefix(r.Outcome, "无法评估"):
			unreadable = append(unreadable, r)
		case !slices.Contains([]string{"优", "良", "中", "差"}, r.Outcome):
			t.Errorf("a row without a grade: %+v", r)
		}
		if r.Name == district.SharedName {
			shared++
		}
	}
	if len(rows) != district.Projects || len(unreadable) != 1 || unreadable[0].Name != district.RefusedSheet || shared != district.SharedNames {
		t.Fatalf("%d rows, unreadable %+v, %d named %s; want %d, one on sheet %s, %d", len(rows), unreadable, shared, district.SharedName, district.Projects, district.RefusedSheet, district.SharedNames)
	}
	// the top of the table, as a reviewer first sees it
	top, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, "7-district.png"), top, 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("open the unreadable project", chromedp.Click(chromedp.Search(`//a[contains(@class,"project")][text()="`+district.RefusedSheet+`"]`)), chromedp.WaitVisible(chromedp.CSS("#problems")))
	if p := b.text("#problems"); !strings.Contains(p, district.RefusedSheet+"!E6") {
		t.Errorf("the unreadable project's problems do not name %s!E6: %s", district.RefusedSheet, p)
	}
	b.shot("7b-district-unreadable.png")
}
