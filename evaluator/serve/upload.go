package serve

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path"
	"strings"
	"unicode"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/evaluator/xlsximport"
)

// Kinds of an uploaded file.
const (
	kindSubmission = "submission" // YAML or JSON, budgetcheck/v1
	kindWorkbook   = "workbook"   // an Excel 申报表
)

// file is one uploaded file: a submission in memory, or a workbook in the
// private folder under a random name. Name is what the uploader called it,
// used only as a label.
type file struct {
	Name string
	Kind string
	Data []byte
	Path string
}

// requestError is a problem with the request itself, answered with its
// HTTP status and an error document.
type requestError struct {
	Status  int
	Code    string
	Message string // English
	Zh      string // Chinese
}

func (e *requestError) Error() string { return e.Message }

// reqError is a request error with its message in both languages, the
// same arguments in both.
func reqError(status int, code, en, zh string, args ...any) error {
	return &requestError{status, code, fmt.Sprintf(en, args...), fmt.Sprintf(zh, args...)}
}

func badRequest(code, en, zh string, args ...any) error {
	return reqError(http.StatusBadRequest, code, en, zh, args...)
}

// tooLarge is the answer to a body past --max-upload.
func tooLarge(limit int64) error {
	return reqError(http.StatusRequestEntityTooLarge, submission.CodeTooLarge, "the request body is larger than the limit of %d bytes (--max-upload)", "请求内容超过上限 %d 字节（--max-upload）", limit)
}

// maxFiles bounds the files of one request.
const maxFiles = 1000

// Content types of a body that is one file.
var bodyKinds = map[string]string{
	"application/yaml":   kindSubmission,
	"application/x-yaml": kindSubmission,
	"text/yaml":          kindSubmission,
	"text/x-yaml":        kindSubmission,
	"application/json":   kindSubmission,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": kindWorkbook,
}

// readFiles reads the files of a request: a multipart form (every part with
// a file name) or a body that is one file of a known content type. Workbooks
// are written to the private folder: the caller removes them (discard).
func (s *Server) readFiles(r *http.Request) (files []file, err error) {
	defer func() {
		if err != nil {
			discard(files)
			files = nil
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				err = tooLarge(mb.Limit)
			}
		}
	}()
	ct, params, perr := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if perr != nil {
		return nil, reqError(http.StatusUnsupportedMediaType, "unsupported_media_type", "Content-Type is missing or malformed: send multipart/form-data, application/yaml, application/json or an .xlsx workbook", "缺少 Content-Type 或格式不对：请以 multipart/form-data、application/yaml、application/json 或 .xlsx 申报表提交")
	}
	if ct == "multipart/form-data" {
		if params["boundary"] == "" {
			return nil, badRequest("malformed_multipart", "multipart/form-data without a boundary", "multipart/form-data 缺少 boundary")
		}
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return files, s.partError(err)
			}
			if len(files) == maxFiles {
				part.Close()
				return files, reqError(http.StatusRequestEntityTooLarge, "too_many_files", "more than %d files in one request", "一次请求超过 %d 个文件", maxFiles)
			}
			if part.FileName() == "" {
				part.Close()
				continue // a form field
			}
			f, err := s.readFile(part.FileName(), "", part)
			part.Close()
			if err != nil {
				return files, s.partError(err)
			}
			files = append(files, f)
		}
		if len(files) == 0 {
			return nil, badRequest("no_file", "the form holds no file: send each file as a part with a filename", "表单中没有文件：每个文件应作为带文件名（filename）的一部分上传")
		}
		return files, nil
	}
	kind, ok := bodyKinds[ct]
	if !ok {
		return nil, reqError(http.StatusUnsupportedMediaType, "unsupported_media_type", "Content-Type %s is not read: send multipart/form-data, application/yaml, application/json or an .xlsx workbook", "不读取 Content-Type %s：请以 multipart/form-data、application/yaml、application/json 或 .xlsx 申报表提交", ct)
	}
	name := "submission.yaml"
	switch {
	case kind == kindWorkbook:
		name = "workbook.xlsx"
	case ct == "application/json":
		name = "submission.json"
	}
	if q := r.URL.Query().Get("name"); q != "" {
		name = q
	}
	f, err := s.readFile(name, kind, r.Body)
	if err != nil {
		return nil, s.partError(err)
	}
	return []file{f}, nil
}

// partError names what went wrong while reading the body.
func (s *Server) partError(err error) error {
	var re *requestError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &re), errors.As(err, &mb):
		return err
	}
	return badRequest("malformed_multipart", "the upload cannot be read: %v", "上传内容无法读取：%v", err)
}

// readFile reads one file; kind "" is told by the name's extension, else
// by its first bytes.
func (s *Server) readFile(name, kind string, r io.Reader) (file, error) {
	f := file{Name: cleanName(name), Kind: kind}
	head := make([]byte, 4)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return f, err
	}
	head = head[:n]
	body := io.MultiReader(strings.NewReader(string(head)), r)
	ext := strings.ToLower(path.Ext(f.Name))
	if f.Kind == "" {
		switch {
		case xlsximport.IsWorkbook(f.Name):
			f.Kind = kindWorkbook
		case ext == ".yaml" || ext == ".yml" || ext == ".json":
			f.Kind = kindSubmission
		case string(head) == "PK\x03\x04":
			f.Kind = kindWorkbook
		default:
			return f, reqError(http.StatusUnsupportedMediaType, "unsupported_media_type", "%s: not a submission (.yaml, .yml, .json) or a workbook (.xlsx)", "%s：不是申报文件（.yaml、.yml、.json）或申报表（.xlsx）", f.Name)
		}
	}
	if f.Kind == kindSubmission {
		limit := min(s.cfg.MaxUpload, submission.DefaultMaxBytes)
		f.Data, err = io.ReadAll(io.LimitReader(body, limit+1))
		if err != nil {
			return f, err
		}
		if int64(len(f.Data)) > limit {
			return f, reqError(http.StatusRequestEntityTooLarge, submission.CodeTooLarge, "%s: the file is larger than the limit of %d bytes", "%s：文件超过上限 %d 字节", f.Name, limit)
		}
		return f, nil
	}
	// A workbook goes to the private folder under a random name; only its
	// extension is kept, which the importer reads (.xls is refused by it).
	if ext == "" || !xlsximport.IsWorkbook(f.Name) {
		ext = ".xlsx"
	}
	out, err := os.CreateTemp(s.dir, "upload-*"+ext)
	if err != nil {
		return f, err
	}
	f.Path = out.Name()
	written, err := io.Copy(out, io.LimitReader(body, s.cfg.MaxUpload+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && written > s.cfg.MaxUpload {
		err = reqError(http.StatusRequestEntityTooLarge, submission.CodeTooLarge, "%s: the workbook is larger than the limit of %d bytes", "%s：申报表超过上限 %d 字节", f.Name, s.cfg.MaxUpload)
	}
	if err != nil {
		os.Remove(f.Path)
		f.Path = ""
	}
	return f, err
}

// discard removes the workbooks of files from the private folder.
func discard(files []file) {
	for _, f := range files {
		if f.Path != "" {
			os.Remove(f.Path)
		}
	}
}

// cleanName keeps the last element of an uploaded file's name, without
// control characters: a label, never a path.
func cleanName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	if len([]rune(name)) > 120 {
		name = string([]rune(name)[:120])
	}
	if name == "" || name == "." || name == "/" || name == ".." {
		return "upload"
	}
	return name
}

// project is one submission of an upload: loaded (Sub) or not (Problems),
// with the import's warnings when it came from a workbook.
type project struct {
	Input    string // the uploaded file's name
	Sub      *submission.Submission
	Problems submission.Problems
	Warnings submission.Problems
	Sheet    string // the workbook sheet it was read from
}

// load turns an uploaded file into its projects: one for a YAML/JSON
// submission, one per project of a workbook (a workbook that cannot be
// opened is one project with its problems). Positions name the uploaded
// file, never the private folder. The workbook stays where it is: the
// caller removes it (discard) or keeps it for its annotated copy.
func (s *Server) load(f file, fiscalYear int) []project {
	if f.Kind == kindSubmission {
		sub, err := submission.Parse(f.Name, f.Data)
		if err != nil {
			return []project{{Input: f.Name, Problems: problemsOf(f.Name, err)}}
		}
		return []project{{Input: f.Name, Sub: sub}}
	}
	wb, err := xlsximport.Import(f.Path, xlsximport.Options{FiscalYear: cmpOr(fiscalYear, s.cfg.FiscalYear), MaxBytes: s.cfg.MaxUpload})
	rel := relabeler{from: f.Path, to: f.Name}
	if err != nil {
		return []project{{Input: f.Name, Problems: rel.problems(problemsOf(f.Path, err))}}
	}
	var out []project
	for i, p := range wb.Projects {
		warnings := p.Warnings
		if i == 0 {
			// the workbook's own warnings (sheets skipped) come with its first project
			warnings = append(append(submission.Problems{}, wb.Warnings...), p.Warnings...)
		}
		pr := project{Input: f.Name, Warnings: rel.problems(warnings), Sheet: p.Sheet}
		if len(p.Problems) > 0 {
			pr.Problems = rel.problems(p.Problems)
		} else {
			pr.Sub = p.Submission
			rel.submission(pr.Sub)
		}
		out = append(out, pr)
	}
	if len(out) == 0 {
		out = append(out, project{Input: f.Name, Problems: submission.Problems{{Code: xlsximport.CodeNoProjects, Pos: submission.Pos{File: f.Name}, Message: "the workbook holds no project"}}})
	}
	return out
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

func problemsOf(file string, err error) submission.Problems {
	var ps submission.Problems
	if errors.As(err, &ps) {
		return ps
	}
	return submission.Problems{{Code: submission.CodeRead, Pos: submission.Pos{File: file}, Message: err.Error()}}
}

// relabeler rewrites the private path of a workbook into its uploaded name
// in positions and messages.
type relabeler struct{ from, to string }

func (r relabeler) text(s string) string { return strings.ReplaceAll(s, r.from, r.to) }

func (r relabeler) problems(ps submission.Problems) submission.Problems {
	out := make(submission.Problems, len(ps))
	for i, p := range ps {
		p.Pos.File = r.text(p.Pos.File)
		p.Message, p.Zh = r.text(p.Message), r.text(p.Zh)
		out[i] = p
	}
	return out
}

func (r relabeler) submission(sub *submission.Submission) {
	sub.File = r.text(sub.File)
	for k, p := range sub.Positions {
		p.File = r.text(p.File)
		sub.Positions[k] = p
	}
}

// evaluate judges a project with e; a project that did not load, or whose
// evaluation fails, gives the error document check writes, and its status:
// 422 for input problems, 500 when the policies fail.
func evaluate(ctx context.Context, e Engine, lang string, p project) (*result.Document, int) {
	if p.Sub == nil {
		return errorDocument(p.Input, lang, p.Problems), http.StatusUnprocessableEntity
	}
	doc, err := e.Evaluate(ctx, p.Sub)
	if err == nil {
		return doc, http.StatusOK
	}
	var ps submission.Problems
	if errors.As(err, &ps) {
		return errorDocument(p.Sub.File, lang, ps), http.StatusUnprocessableEntity
	}
	return errorDocument(p.Sub.File, lang, submission.Problems{{Code: "evaluation_error", Pos: submission.Pos{File: p.Sub.File}, Message: err.Error()}}), http.StatusInternalServerError
}

// errorDocument is the result document of a file that did not load.
func errorDocument(file, lang string, ps submission.Problems) *result.Document {
	return &result.Document{Schema: result.Schema, File: file, Lang: lang, Errors: ps.In(lang)}
}

// randomID is 128 random bits in hex: a batch's name that cannot be guessed.
func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
