package serve

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/budgetcheck/budgetcheck/evaluator/annotate"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/summary"
)

// What goes back to the departments, as `batch --annotate` writes it: the
// register 审核结果.xlsx, the letters per 申请单位 and the annotated copy of
// each workbook, made from the batch's results on request in a private
// folder that is removed after the answer.

// download is an annotated copy the batch page offers.
type download struct {
	K    int
	Name string
}

// xlsxType is the content type of a workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// registerOf writes the register and letters of the request's batch into a
// new private folder, which the caller removes; ok is false when the answer
// was given.
func (s *Server) registerOf(w http.ResponseWriter, r *http.Request) (dir string, b *webBatch, ok bool) {
	b, p, docs, ok := s.batchOf(w, r)
	if !ok {
		return "", nil, false
	}
	b.mu.Lock()
	sheets := make([]string, len(docs))
	for i := range docs {
		sheets[i] = b.projects[i].Sheet
	}
	inputs := b.inputs
	b.mu.Unlock()
	dir, err := os.MkdirTemp(s.dir, "register-*")
	if err == nil {
		err = writeRegister(dir, p.Lang, docs, sheets, summary.Status{Inputs: inputs, Total: inputs})
	}
	if err != nil {
		os.RemoveAll(dir)
		answerError(w, r, err)
		return "", nil, false
	}
	return dir, b, true
}

// writeRegister writes 审核结果.xlsx and the letters of docs (read from
// sheets) into dir, as batch does.
func writeRegister(dir, lang string, docs []*result.Document, sheets []string, st summary.Status) error {
	reg, err := annotate.NewRegister(dir, lang)
	if err != nil {
		return err
	}
	for i, doc := range docs {
		if err := reg.AddFrom(doc, sheets[i]); err != nil {
			reg.Discard()
			return err
		}
	}
	return reg.Close(st)
}

// registerXLSX is GET /b/{id}/register.xlsx: 审核结果.xlsx, one row per project.
func (s *Server) registerXLSX(w http.ResponseWriter, r *http.Request) {
	dir, b, ok := s.registerOf(w, r)
	if !ok {
		return
	}
	defer os.RemoveAll(dir)
	f, err := os.Open(filepath.Join(dir, annotate.RegisterName))
	if err != nil {
		answerError(w, r, err)
		return
	}
	defer f.Close()
	attachment(w, annotate.RegisterName, xlsxType)
	http.ServeContent(w, r, "", b.created, f)
}

// lettersZip is GET /b/{id}/letters.zip: one letter per 申请单位, in
// Markdown and HTML (审核意见-<unit>.md, .html), in name order.
func (s *Server) lettersZip(w http.ResponseWriter, r *http.Request) {
	dir, _, ok := s.registerOf(w, r)
	if !ok {
		return
	}
	defer os.RemoveAll(dir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		answerError(w, r, err)
		return
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries { // ReadDir sorts by name
		if !strings.HasPrefix(e.Name(), annotate.LetterPrefix) {
			continue
		}
		// A fixed time (zip's first day): the same batch gives the same bytes.
		out, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name(), Method: zip.Deflate, Modified: zipEpoch})
		if err == nil {
			err = copyFile(out, filepath.Join(dir, e.Name()))
		}
		if err != nil {
			answerError(w, r, err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		answerError(w, r, err)
		return
	}
	attachment(w, "letters.zip", "application/zip")
	_, _ = w.Write(buf.Bytes())
}

var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

func copyFile(w io.Writer, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// annotatedXLSX is GET /b/{id}/w/{k}/annotated.xlsx: the k-th workbook of
// the batch (1-based, in upload order) with its problem cells filled and
// commented and a first sheet 审核意见, in the page's language.
func (s *Server) annotatedXLSX(w http.ResponseWriter, r *http.Request) {
	b, p, docs, ok := s.batchOf(w, r)
	if !ok {
		return
	}
	k, err := strconv.Atoi(r.PathValue("k"))
	b.mu.Lock()
	var wb workbook
	found := err == nil && k >= 1 && k <= len(b.workbooks)
	if found {
		wb = b.workbooks[k-1]
	}
	b.mu.Unlock()
	if !found || wb.First+wb.Count > len(docs) {
		writeError(w, r, http.StatusNotFound, "not_found", "no such workbook in this batch", "这批结果中没有这个申报表")
		return
	}
	dir, err := os.MkdirTemp(s.dir, "annotated-*")
	if err != nil {
		answerError(w, r, err)
		return
	}
	defer os.RemoveAll(dir)
	dst := filepath.Join(dir, "annotated"+filepath.Ext(wb.Path))
	opts := annotate.Options{Lang: p.Lang, MaxBytes: s.cfg.MaxUpload, FiscalYear: wb.FiscalYear, Name: wb.Name}
	if _, err := annotate.Workbook(wb.Path, dst, docs[wb.First:wb.First+wb.Count], opts); err != nil {
		// The message may name the private file: it is not shown.
		answerError(w, r, reqError(http.StatusUnprocessableEntity, "not_annotated", "%s: the annotated copy could not be made", "%s：无法生成批注副本", wb.Name))
		return
	}
	f, err := os.Open(dst)
	if err != nil {
		answerError(w, r, err)
		return
	}
	defer f.Close()
	attachment(w, annotatedName(wb.Name, p.T("annotated_suffix")), xlsxType)
	http.ServeContent(w, r, "", b.created, f)
}

// annotatedName is the download's name: the uploaded name with suffix
// before its extension (街道.xlsx → 街道-批注.xlsx).
func annotatedName(name, suffix string) string {
	ext := path.Ext(name)
	if !slices.Contains([]string{".xlsx", ".xlsm"}, strings.ToLower(ext)) {
		return fmt.Sprintf("%s%s.xlsx", name, suffix)
	}
	return strings.TrimSuffix(name, ext) + suffix + ext
}
