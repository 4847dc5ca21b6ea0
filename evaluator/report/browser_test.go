package report_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
)

// chromiumFlags run Chromium headless, offline and with nothing of its own.
var chromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--no-pdf-header-footer", "--hide-scrollbars",
}

// lookTools finds Chromium and poppler's pdfinfo and pdftotext, or skips.
func lookTools(t *testing.T) (chromium string) {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	required := os.Getenv("BUDGETCHECK_REQUIRE_CHROMIUM") != ""
	if chromium == "" && required {
		t.Fatal("BUDGETCHECK_REQUIRE_CHROMIUM is set but no chromium is on PATH")
	}
	if chromium == "" {
		t.Skip("no chromium on PATH: the real-browser check of the printed report is skipped (.ci/run installs Debian's chromium and poppler-utils)")
	}
	for _, name := range []string{"pdfinfo", "pdftotext"} {
		if _, err := exec.LookPath(name); err != nil && required {
			t.Fatalf("BUDGETCHECK_REQUIRE_CHROMIUM is set but %s (poppler-utils) is not on PATH", name)
		} else if err != nil {
			t.Skipf("no %s on PATH (poppler-utils): the real-browser check of the printed report is skipped", name)
		}
	}
	return chromium
}

func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

// TestReportPrintsInChromium renders the seed's HTML report in headless
// Chromium, prints it to PDF and screenshots it; the PDF must have the
// report's pages, the landscape Table 1 page, and the score and the
// recommended budget in its text. Set BUDGETCHECK_REPORT_DIR to keep the
// files and look at them.
func TestReportPrintsInChromium(t *testing.T) {
	chromium := lookTools(t)
	dir := t.TempDir()
	if keep := os.Getenv("BUDGETCHECK_REPORT_DIR"); keep != "" {
		dir = keep
	}
	var html bytes.Buffer
	if err := buildSeed(t, ruleset.LangZh).rep.HTML(&html); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, html.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	url := "file://" + page
	pdf := filepath.Join(dir, "report.pdf")
	png := filepath.Join(dir, "report.png")
	profile := t.TempDir() // an empty profile each run
	runTool(t, chromium, append(chromiumFlags, "--user-data-dir="+filepath.Join(profile, "pdf"), "--print-to-pdf="+pdf, url)...)
	runTool(t, chromium, append(chromiumFlags, "--user-data-dir="+filepath.Join(profile, "png"), "--window-size=1240,1754", "--screenshot="+png, url)...)

	if st, err := os.Stat(png); err != nil || st.Size() < 10_000 {
		t.Errorf("screenshot %s missing or blank: %v", png, err)
	}
	info := runTool(t, "pdfinfo", "-f", "1", "-l", "100", pdf)
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo gives no page count:\n%s", info)
	}
	pages, _ := strconv.Atoi(m[1])
	// cover, 评估对象/方式, 评估内容 with the chart, findings, the budget
	// table and the landscape Table 1: 6 to 10 A4 pages.
	if pages < 6 || pages > 10 {
		t.Errorf("the printed report has %d pages, want 6–10", pages)
	}
	sizes := regexp.MustCompile(`(?m)^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`).FindAllStringSubmatch(info, -1)
	portrait, landscape := 0, 0
	for _, s := range sizes {
		w, _ := strconv.ParseFloat(s[1], 64)
		h, _ := strconv.ParseFloat(s[2], 64)
		switch {
		case w > 590 && w < 600 && h > 837 && h < 847:
			portrait++
		case h > 590 && h < 600 && w > 837 && w < 847:
			landscape++
		default:
			t.Errorf("a page is %s x %s pts, not A4", s[1], s[2])
		}
	}
	if landscape != 1 || portrait != pages-1 {
		t.Errorf("%d portrait and %d landscape A4 pages, want %d and 1 (Table 1)", portrait, landscape, pages-1)
	}
	text := runTool(t, "pdftotext", "-layout", pdf, "-")
	for _, want := range []string{"70.13", "222.445", "调整后予以支持", "评估对象", "存在的问题与建议"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	t.Logf("%d pages; files in %s", pages, dir)
}
